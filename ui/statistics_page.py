"""The statistics page: the central office's counts (app.statistics) as a tree."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.labels import label
from i18n import _

SECTIONS = (("open_cases_by_office", "office"), ("cases_by_status", "status"),
            ("open_cases_by_rechtskreis", None), ("open_cases_by_nationality", "country"))


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
            node = QTreeWidgetItem(self.tree, [titles[key], str(sum(stats[key].values()))])
            for code, n in sorted(stats[key].items(), key=lambda kv: -kv[1]):
                QTreeWidgetItem(node, [label(kind, code) if kind and code != "?" else code, str(n)])
        node = QTreeWidgetItem(self.tree, [titles["measures"], str(stats["measures_started"])])
        for cat, by_status in stats["measures"].items():
            item = QTreeWidgetItem(node, [cat, str(sum(by_status.values()))])
            for status, n in by_status.items():
                QTreeWidgetItem(item, [status, str(n)])
        node = QTreeWidgetItem(self.tree, [titles["transitions"], str(sum(stats["transitions"].values()))])
        QTreeWidgetItem(node, [_("into work"), str(stats["transitions"].get("work_start", 0))])
        QTreeWidgetItem(node, [_("into training"), str(stats["transitions"].get("training_start", 0))])
        self.tree.expandToDepth(0)

    def clear(self) -> None:
        self.tree.clear()


def statistics_page(session, window):
    return _("Statistics"), StatisticsPage(session, window)
