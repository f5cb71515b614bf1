"""The chronicle tab: deadlines and hints of the case, the dated timeline (case or household), notes, flags, Rechtskreiswechsel.

The timeline is `ChronicleModel` (ui.models.RowTableModel) in a QTableView, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListView, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.chronicle import FLAGS, KINDS
from app.chronicle_text import event_text
from app.schema import RECHTSKREISE
from i18n import N_, _, current_language

from ..models import RowListModel, RowTableModel
from .common import (
    RefreshOnShow, date_edit, date_value, error_label, errors_text, reload_case_view, services, set_error, show_date,
)

STATE_LABELS = {"overdue": N_("overdue"), "due_soon": N_("due soon"), "upcoming": N_("upcoming"),
                "reached": N_("since"), "info": N_("note")}


HEADERS = (N_("Date"), N_("Kind"), N_("Event"), N_("Recorded by"), N_("Case"))
COL_CASE = 4


class ChronicleModel(RowTableModel):
    """Chronicle events (dicts), newest first; `names` (staff id -> name) and `cases` (case id -> label)
    are looked up once per refresh, not per cell."""

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.names: dict[str, str] = {}
        self.cases: dict[str, str] = {}

    def set_events(self, events: list[dict], names: dict[str, str], cases: dict[str, str]) -> None:
        self.names, self.cases = names, cases
        self.set_rows(reversed(events))  # the service gives them oldest first

    def cell(self, e: dict, column: int):
        if column == 0:
            return show_date(e.get("date"))
        if column == 1:
            return _(KINDS.get(e["kind"], e["kind"]))
        if column == 2:  # written in whatever language: read in the reader's
            return event_text(e, current_language())
        if column == 3:
            return self.names.get(e.get("author") or "", "")
        return self.cases.get(e.get("case_id") or "", "")


def hint_line(h) -> str:
    when = show_date(h.due.isoformat()) if h.due else ""
    return f"[{_(STATE_LABELS[h.state])}{' ' + when if when else ''}] {h.title}: {h.text} ({h.legal_source})"


class HintsModel(RowListModel):
    """The case's deadlines and hints (app.rules `Hint`), one line each, in the rules' order."""

    def text(self, row) -> str:
        return hint_line(row)


class ChronicleTab(RefreshOnShow, QWidget):
    access_level = "own"  # without consent: the events the staff member's agency recorded (app.gated)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.household_id: str | None = None
        self.case_id: str | None = None
        self.hints_model = HintsModel(self)
        self.hints = QListView()
        self.hints.setObjectName("caseHints")
        self.hints.setModel(self.hints_model)
        self.hints.setWordWrap(True)
        self.hints.setMaximumHeight(130)
        self.whole_household = QCheckBox(_("Whole household"))
        self.whole_household.toggled.connect(self.refresh)
        self.flags = QLabel()
        self.flags.setObjectName("caseFlags")
        self.flags.setStyleSheet("color: #b00020; font-weight: bold;")
        self.model = ChronicleModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.date = date_edit()
        self.date.setAccessibleName(_("Date of the new event"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Note"))
        self.note.returnPressed.connect(self.add_note)
        self.note_button = QPushButton(_("Add note"))
        self.note_button.clicked.connect(self.add_note)
        self.flag = QComboBox()
        for key, label in FLAGS.items():
            self.flag.addItem(_(label), key)
        self.flag.setAccessibleName(_("Flag"))
        self.flag_text = QLineEdit()
        self.flag_text.setPlaceholderText(_("Detail, e.g. who reported it"))
        self.flag_button = QPushButton(_("Set flag"))
        self.flag_button.clicked.connect(self.set_flag)
        self.unflag_button = QPushButton(_("Remove flag"))
        self.unflag_button.clicked.connect(self.clear_flag)
        self.rechtskreis = QComboBox()
        for rk in RECHTSKREISE:
            self.rechtskreis.addItem(rk, rk)
        self.rechtskreis.setAccessibleName(_("New Rechtskreis"))
        self.rk_button = QPushButton(_("Record Rechtskreiswechsel"))
        self.rk_button.clicked.connect(self.change_rechtskreis)
        self.error = error_label()
        hg = self.hints_box = QGroupBox(_("Deadlines and hints"))
        QVBoxLayout(hg).addWidget(self.hints)
        head = QHBoxLayout()
        head.addWidget(self.flags, 1)
        head.addWidget(self.whole_household)
        add = QGroupBox(_("New entry"))
        al = QVBoxLayout(add)
        r1 = QHBoxLayout()
        r1.addWidget(QLabel(_("Date:")))
        r1.addWidget(self.date)
        r1.addWidget(self.note, 1)
        r1.addWidget(self.note_button)
        r2 = QHBoxLayout()
        for w in (self.flag, self.flag_text, self.flag_button, self.unflag_button):
            r2.addWidget(w)
        r3 = QHBoxLayout()  # a row of its own: the tab fits beside the case list on a 1366 px screen
        r3.addWidget(self.rechtskreis)
        r3.addWidget(self.rk_button)
        r3.addStretch(1)
        al.addLayout(r1)
        al.addLayout(r2)
        al.addLayout(r3)
        al.addWidget(self.error)
        lay = QVBoxLayout(self)
        lay.addWidget(hg)
        lay.addLayout(head)
        lay.addWidget(self.table, 1)
        lay.addWidget(add)
        self.setEnabled(False)

    def set_case(self, household_id, case_id) -> None:
        self.household_id, self.case_id = household_id, case_id
        self.setEnabled(household_id is not None)
        for w in (self.note, self.note_button, self.flag_button, self.unflag_button, self.rk_button):
            w.setEnabled(case_id is not None)
        self.refresh()

    def refresh(self) -> None:
        cw = services(self.session)
        self.hints_model.set_rows([])
        if self.case_id:
            full = cw.level(self.case_id) == "full"
            self.hints_box.setVisible(full)  # hints read every record of the case: without consent, none
            if full:
                self.hints_model.set_rows(cw.hints(self.case_id))
            flags = cw.chronicle.flags(self.case_id)
            self.flags.setText(" · ".join(_(FLAGS[f]) for f in flags))
            rk = cw.case(self.case_id).get("rechtskreis")
            self.rechtskreis.setCurrentIndex(max(0, (RECHTSKREISE.index(rk) + 1) % len(RECHTSKREISE)) if rk else 0)
        else:
            self.flags.setText("")
        if self.whole_household.isChecked() or not self.case_id:
            events = cw.chronicle.household_events(self.household_id) if self.household_id else []
        else:
            events = cw.chronicle.events(self.case_id)
        self.model.set_events(events, {a: cw.staff_name(a) for a in {e.get("author") for e in events} if a},
                              {c: cw.case_label(c) for c in {e["case_id"] for e in events}})
        self.table.setColumnHidden(COL_CASE, not self.whole_household.isChecked())
        self.table.resizeRowsToContents()

    def _run(self, fn) -> None:
        try:
            fn()
        except ValidationError as exc:
            set_error(self.error, errors_text(exc))
            return
        set_error(self.error, None)
        self.refresh()

    def add_note(self) -> None:
        self._run(lambda: services(self.session).chronicle.add_note(self.case_id, self.note.text(), date_value(self.date)))
        if not self.error.isVisible():
            self.note.clear()

    def set_flag(self) -> None:
        self._run(lambda: services(self.session).chronicle.set_flag(self.case_id, self.flag.currentData(),
                                                                     date_value(self.date), self.flag_text.text()))
        if not self.error.isVisible():
            self.flag_text.clear()

    def clear_flag(self) -> None:
        self._run(lambda: services(self.session).chronicle.clear_flag(self.case_id, self.flag.currentData(),
                                                                       date_value(self.date), self.flag_text.text()))

    def change_rechtskreis(self) -> None:
        self._run(lambda: services(self.session).chronicle.change_rechtskreis(
            self.case_id, self.rechtskreis.currentData(), date_value(self.date)))
        if not self.error.isVisible():
            reload_case_view(self)  # the header shows the Rechtskreis
