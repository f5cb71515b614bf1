"""Measures of a case: a table model (ui.models.RowTableModel), adding from the catalogue, status changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.measures import INITIAL, STATUS_LABELS, TRANSITIONS
from i18n import N_, _

from ..columns import keep_fitted, select_row, text_width
from ..models import RowTableModel, sort_proxy
from .common import RefreshOnShow, date_edit, date_value, error_label, errors_text, services, set_error, show_date

ID_ROLE = Qt.ItemDataRole.UserRole + 1
COL_MEASURE, COL_PHASE, COL_PROVIDER, COL_STATUS, COL_PROPOSED, COL_REGISTERED, COL_START, COL_END, \
    COL_EXPECTED, COL_NOTES = range(10)
DATE_FIELDS = {COL_PROPOSED: "proposed_on", COL_REGISTERED: "registered_on", COL_START: "start_date",
               COL_END: "end_date"}
HEADERS = (N_("Measure"), N_("Phase"), N_("Provider"), N_("Status"), N_("Proposed"), N_("Registered"), N_("Start"),
           N_("End"), N_("Expected start"), N_("Notes"))


class MeasuresModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.cw = None

    def load(self, cw, case_id: str | None) -> None:
        self.cw = cw
        self.set_rows(cw.measures.for_case(case_id) if case_id else [])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == ID_ROLE:
            return self.rows[index.row()]["id"]
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:  # the whole row, hidden columns included
            m = self.rows[index.row()]
            return "\n".join(f"{_(h)}: {v}" for c, h in enumerate(HEADERS) if (v := self.cell(m, c)))
        return super().data(index, role)

    def cell(self, m: dict, col: int):
        item = self.cw.catalogue.get(m["catalogue_id"])
        if col == COL_MEASURE:
            return self.cw.catalogue.name(m["catalogue_id"])
        if col == COL_PHASE:
            return _(dict(self.cw.catalogue.phases).get(item.phase, "")) if item else ""
        if col == COL_PROVIDER:
            return m.get("provider") or ""
        if col == COL_STATUS:
            return _(STATUS_LABELS.get(m.get("status"), m.get("status") or ""))
        if col == COL_EXPECTED:
            exp = self.cw.measures.expected_start(m)
            return show_date(exp.isoformat()) if exp else ""
        if col == COL_NOTES:
            return m.get("notes") or ""
        return show_date(m.get(DATE_FIELDS[col]))

    def sort_key(self, m: dict, col: int):
        """Dates by the calendar (ISO), not as shown (DD.MM.YYYY); text ignoring case."""
        if col in DATE_FIELDS:
            return m.get(DATE_FIELDS[col]) or ""
        if col == COL_EXPECTED:
            exp = self.cw.measures.expected_start(m)
            return exp.isoformat() if exp else ""
        return str(self.cell(m, col)).casefold()


class MeasuresTab(RefreshOnShow, QWidget):
    access_level = "own"  # without consent: the records the staff member's agency made (app.gated)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.model = MeasuresModel(self)
        self.proxy = sort_proxy(self.model, self)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # every column on screen beside the case list: dates and status whole; the phase and the steps before
        # the start hide while there is no room for them (they are in the row's tooltip), notes elide first
        keep_fitted(self.view, stretch=COL_MEASURE, give_way=(COL_NOTES, COL_EXPECTED, COL_PROVIDER, COL_MEASURE),
                    keep=(COL_START, COL_END, COL_PROPOSED, COL_REGISTERED),
                    floors={COL_EXPECTED: text_width(self.view, "00.00.0000"), COL_MEASURE: 150, COL_PROVIDER: 70},
                    optional=(COL_PHASE, COL_REGISTERED, COL_PROPOSED, COL_EXPECTED))
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        # add
        self.catalogue = QComboBox()
        self.catalogue.setAccessibleName(_("Measure"))
        if session.is_open:
            cw = services(session)
            for label, items in cw.catalogue.by_phase():
                self.catalogue.addItem(f"— {_(label)} —", None)
                self.catalogue.model().item(self.catalogue.count() - 1).setEnabled(False)
                for it in items:
                    self.catalogue.addItem(_(it.name), it.id)
            self.catalogue.setCurrentIndex(1)
        self.new_status = QComboBox()
        for s in INITIAL:
            self.new_status.addItem(_(STATUS_LABELS[s]), s)
        self.new_status.setAccessibleName(_("Status"))
        self.provider = QLineEdit()
        self.provider.setPlaceholderText(_("Provider"))
        self.new_date = date_edit()
        self.add_button = QPushButton(_("Add measure"))
        self.add_button.clicked.connect(self.add)
        self.catalogue.currentIndexChanged.connect(self._describe)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: palette(mid);")
        # change status
        self.status = QComboBox()
        self.status.setAccessibleName(_("New status"))
        self.status_date = date_edit()
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("Note (e.g. feedback of the provider)"))
        self.status_button = QPushButton(_("Change status"))
        self.status_button.clicked.connect(self.change_status)
        self.error = error_label()
        add = QGroupBox(_("New measure"))
        al = QVBoxLayout(add)
        al.addWidget(self.catalogue)  # its names are long: a row of its own keeps the tab narrow
        r = QHBoxLayout()
        for w in (self.new_status, self.provider, self.new_date, self.add_button):
            r.addWidget(w)
        al.addLayout(r)
        al.addWidget(self.description)
        change = QGroupBox(_("Selected measure"))
        cl = QVBoxLayout(change)
        c1, c2 = QHBoxLayout(), QHBoxLayout()
        for w in (self.status, self.status_date):
            c1.addWidget(w)
        c1.addStretch(1)
        c2.addWidget(self.notes, 1)
        c2.addWidget(self.status_button)
        cl.addLayout(c1)
        cl.addLayout(c2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addWidget(change)
        lay.addWidget(add)
        lay.addWidget(self.error)
        self.setEnabled(False)
        self._describe()

    def _describe(self) -> None:
        if not self.session.is_open:
            return
        item = services(self.session).catalogue.get(self.catalogue.currentData())
        if item:
            self.description.setText(_("{description} Legal basis: {basis}. Typical waiting time: {lo}–{hi} weeks.").format(
                description=_(item.description), basis=item.legal_basis, lo=item.wait_weeks[0], hi=item.wait_weeks[1]))

    def set_case(self, household_id, case_id) -> None:
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        self.model.load(services(self.session), self.case_id)
        if select:
            for r in range(self.proxy.rowCount()):
                if self.proxy.index(r, 0).data(ID_ROLE) == select:
                    select_row(self.view, r)
        self._selected()

    def selected_id(self) -> str | None:
        idx = self.view.selectionModel().currentIndex()
        return idx.data(ID_ROLE) if idx.isValid() else None

    def _selected(self, *args) -> None:
        self.status.clear()
        mid = self.selected_id()
        m = next((r for r in self.model.rows if r["id"] == mid), None)
        for s in TRANSITIONS.get(m["status"], ()) if m else ():
            self.status.addItem(_(STATUS_LABELS[s]), s)
        for w in (self.status, self.status_button, self.notes, self.status_date):
            w.setEnabled(self.status.count() > 0)

    def add(self) -> None:
        try:
            mid = services(self.session).measures.add(self.case_id, self.catalogue.currentData() or "",
                                                      status=self.new_status.currentData(),
                                                      date=date_value(self.new_date), provider=self.provider.text())
        except ValidationError as exc:
            set_error(self.error, errors_text(exc))
            return
        set_error(self.error, None)
        self.provider.clear()
        self.refresh(select=mid)

    def change_status(self) -> None:
        mid = self.selected_id()
        try:
            services(self.session).measures.set_status(mid, self.status.currentData(), date_value(self.status_date),
                                                       notes=self.notes.text() or None)
        except ValidationError as exc:
            set_error(self.error, errors_text(exc))
            return
        set_error(self.error, None)
        self.notes.clear()
        self.refresh(select=mid)
