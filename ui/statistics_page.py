"""The statistics page: the central office's counts (app.statistics) as a tree."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.labels import label
from app.measures import STATUS_LABELS
from i18n import _

SECTIONS = (("open_cases_by_office", "office"), ("cases_by_status", "status"),
            ("open_cases_by_rechtskreis", None), ("open_cases_by_nationality", "country"))


def _sum(values) -> str:
    """The total of a breakdown, or "" when some of its counts are hidden ("< 5", app.suppression)."""
    values = list(values)
    return "" if any(isinstance(v, str) for v in values) else str(sum(values))


def _titles() -> dict:
    return {"open_cases_by_office": _("Open cases by office"), "cases_by_status": _("Cases by status"),
            "open_cases_by_rechtskreis": _("Open cases by Rechtskreis"),
            "open_cases_by_nationality": _("Open cases by nationality"), "measures": _("Measures"),
            "transitions": _("Transitions")}


class StatisticsPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.tree = QTreeWidget()
        self.tree.setObjectName("statistics")
        self.tree.setHeaderLabels([_("What"), _("Count")])
        self.tree.setColumnWidth(0, 360)
        QVBoxLayout(self).addWidget(self.tree)

    def refresh(self) -> None:
        stats = self.session.statistics()
        titles = _titles()
        self.tree.clear()
        QTreeWidgetItem(self.tree, [_("Cases"), str(stats["cases_total"])])
        for key, kind in SECTIONS:
            node = QTreeWidgetItem(self.tree, [titles[key], _sum(stats[key].values())])
            for code, n in sorted(stats[key].items(), key=lambda kv: -kv[1] if isinstance(kv[1], int) else 0):
                text = _("unknown") if code == "?" else label(kind, code) if kind else code
                QTreeWidgetItem(node, [text, str(n)])
        node = QTreeWidgetItem(self.tree, [titles["measures"],  # all, like the lines below it
                                           _sum(n for v in stats["measures"].values() for n in v.values())])
        catalogue = self.session.resources.catalogue
        for cat, by_status in stats["measures"].items():
            item = QTreeWidgetItem(node, [_("unknown") if cat == "?" else catalogue.name(cat),
                                          _sum(by_status.values())])
            for status, n in by_status.items():
                QTreeWidgetItem(item, [_(STATUS_LABELS[status]) if status in STATUS_LABELS else _("unknown"), str(n)])
        node = QTreeWidgetItem(self.tree, [titles["transitions"], _sum(stats["transitions"].values())])
        QTreeWidgetItem(node, [_("into work"), str(stats["transitions"].get("work_start", 0))])
        QTreeWidgetItem(node, [_("into training"), str(stats["transitions"].get("training_start", 0))])
        node = QTreeWidgetItem(self.tree, [_("Deleted cases (anonymised, still counted)"),
                                           str(stats.get("deleted_cases", 0))])
        for basis, n in sorted(stats.get("deleted_cases_by_basis", {}).items()):
            QTreeWidgetItem(node, [_("retention period ended") if basis == "retention" else
                                   _("erased on request") if basis == "erasure" else _("unknown"), str(n)])
        self.tree.expandToDepth(0)

    def clear(self) -> None:
        self.tree.clear()


def statistics_page(session, window):
    return _("Statistics"), StatisticsPage(session, window)
