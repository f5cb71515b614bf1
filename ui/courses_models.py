"""The table models of the course planning page and the case's course tab, and the table view they share.

Each model is a RowTableModel (ui.models) over what `session.courses` returns:
the planning rows, the courses, the waiting list's positions, the
transitions and the 12-month exits. Tested through `model.index(r, c).data()`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.handover import STATE_LABELS
from app.labels import label
from app.waitlist import ENTRY_STATES
from i18n import N_, _

from .casework.common import show_date
from .models import ROW_ROLE, RowTableModel, sort_proxy

LANGUAGE_KINDS = ("integrationskurs", "alphakurs", "deufoev", "einstiegskurs", "sprachkurs_bruecke")


def table(model) -> QTableView:
    view = QTableView()
    view.setModel(sort_proxy(model, view))
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return view


def two_lines(text: str, longer_than: int = 10) -> str:
    """`text` broken at the space nearest its middle when it is longer than `longer_than` characters."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if len(text) <= longer_than or not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1:]


def selected_row(view: QTableView):
    idx = view.selectionModel().currentIndex()
    return idx.data(ROW_ROLE) if idx.isValid() else None


class _Names:
    """Course kinds by name (the measure catalogue of the session)."""

    def __init__(self):
        self.catalogue = None

    def kind(self, code: str) -> str:
        return self.catalogue.name(code) if self.catalogue and code else code or ""


# -- models -------------------------------------------------------------------------------
class PlanModel(RowTableModel):
    COLUMNS = ("office", "kind", "level", "waiting", "proposed", "seats", "courses", "wait_avg", "wait_max", "gap",
               "seats_nearby", "german_levels")

    def __init__(self, names: _Names, parent=None):
        super().__init__((N_("Town"), N_("Course"), N_("Level"), N_("Waiting"), N_("Proposed"), N_("Free seats"),
                          N_("Courses"), N_("Avg. days waited"), N_("Longest wait (days)"), N_("Gap"),
                          N_("Free seats nearby"), N_("German (Profiling II)")), parent)
        self.names = names

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        """Long titles on two lines, so that twelve columns fit a laptop screen; the tooltip has them whole."""
        text = super().headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
        if orientation != Qt.Orientation.Horizontal or text is None:
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text
        if role == Qt.ItemDataRole.DisplayRole:
            return two_lines(text)
        return None

    def cell(self, r, col: int):
        key = self.COLUMNS[col]
        if key == "office":
            return label("office", r.office)
        if key == "kind":
            return self.names.kind(r.kind)
        if key == "level":
            return r.level or "–"
        if key == "german_levels":
            return "  ".join(f"{lv if lv != '?' else _('unknown')} {n}" for lv, n in sorted(r.german_levels.items()))
        return str(getattr(r, key))

    def sort_key(self, r, col: int):
        key = self.COLUMNS[col]
        if key in ("office", "kind", "level", "german_levels"):
            return str(self.cell(r, col)).casefold()
        return getattr(r, key)


class CourseModel(RowTableModel):
    def __init__(self, names: _Names, parent=None):
        super().__init__((N_("Start"), N_("End"), N_("Town"), N_("Course"), N_("Level"), N_("Provider"), N_("Seats"),
                          N_("Free"), N_("Schedule"), N_("Childcare")), parent)
        self.names = names

    def cell(self, c, col: int):
        return (show_date(c.start_date), show_date(c.end_date), label("office", c.office), c.title or
                self.names.kind(c.catalogue_id), c.level or "–", c.provider, str(c.seats), str(c.free), c.schedule,
                _("yes") if c.childcare else "")[col]

    def sort_key(self, c, col: int):
        return {0: c.start_date, 1: c.end_date, 6: c.seats, 7: c.free}.get(col) or str(self.cell(c, col)).casefold()


class WaitModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__((N_("Rank"), N_("Name"), N_("Case"), N_("Town"), N_("Registered"), N_("State"),
                          N_("Why this place"), N_("Notice")), parent)

    def cell(self, row, col: int):
        p, number, name, office = row
        e = p.entry
        return (str(p.rank), name, number, label("office", office), show_date(e.get("registered_on")),
                _(ENTRY_STATES.get(e.get("_state", "waiting"), "")), p.text(), e.get("notice") or "")[col]

    def sort_key(self, row, col: int):
        return row[0].rank if col == 0 else str(self.cell(row, col)).casefold()


class TransitionModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__((N_("Due"), N_("Case"), N_("Name"), N_("Town"), N_("Reason"), N_("Handover")), parent)

    def cell(self, t, col: int):
        return (show_date(t.due.isoformat() if t.due else None), t.case_number, t.name, label("office", t.office),
                t.title, _(STATE_LABELS.get(t.state, "")))[col]

    def sort_key(self, t, col: int):
        return (t.due.isoformat() if t.due else "9") if col == 0 else str(self.cell(t, col)).casefold()


class ExitModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__((N_("Planned exit"), N_("Case"), N_("Name"), N_("Town"), N_("12 months on"), N_("Exit")),
                         parent)

    def cell(self, e, col: int):
        return (show_date(e.planned_exit.isoformat()), e.case_number, e.name, label("office", e.office),
                show_date(e.limit.isoformat()), e.exit_label)[col]

    def sort_key(self, e, col: int):
        return e.planned_exit.isoformat() if col == 0 else str(self.cell(e, col)).casefold()
