"""Appointments of a case: plan one (date, time, place, interpreter language), then mark it kept, missed or cancelled.

One that already took place is recorded with its outcome right away (a planned one must lie today or later).
The list is `AppointmentsModel` (ui.models.RowTableModel) in a QTableView, in the order of time like a
calendar; the next appointment (the case header's "Next appointment") is shown in bold, selected and
scrolled into view, with an earlier one whose outcome is still to record just above it; past ones are grey."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from app.appointments import OUTCOME_LABELS
from app.checks import ValidationError
from i18n import N_, _

from ..columns import keep_fitted, select_row
from ..models import RowTableModel
from .common import (
    RefreshOnShow, date_edit, date_value, error_label, errors_text, services, set_error, show_date,
)

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")  # 9:30, 09:30 or 09.30
HEADERS = (N_("When"), N_("Purpose"), N_("Place"), N_("Interpreter"), N_("Outcome"))


class AppointmentsModel(RowTableModel):
    """Appointment records (dicts) in the service's order; ROW_ROLE gives the record. `next_id` is the
    next appointment (bold); those before `today` (ISO) are grey."""

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.next_id: str | None = None
        self.today = ""

    def set_rows(self, rows, next_id: str | None = None, today: str = "") -> None:
        self.next_id, self.today = next_id, today
        super().set_rows(rows)

    def row_of(self, appointment_id: str | None) -> int:
        return next((i for i, a in enumerate(self.rows) if a["id"] == appointment_id), -1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            a = self.rows[index.row()]
            if role == Qt.ItemDataRole.FontRole and a["id"] == self.next_id:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and (a.get("starts_at") or "")[:10] < self.today:
                return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            return None
        return super().data(index, role)

    def cell(self, a: dict, column: int):
        if column == 0:
            return f"{show_date(a['starts_at'][:10])} {a['starts_at'][11:]}"
        if column == 4:
            return _(OUTCOME_LABELS[a.get("outcome") or "planned"])
        return a.get(("", "purpose", "place", "interpreter_language")[column]) or ""


class AppointmentsTab(RefreshOnShow, QWidget):
    access_level = "booking"  # shown when only an appointment may be booked (app.access)
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.model = AppointmentsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # when and outcome whole; purpose takes the room, interpreter and place elide first
        keep_fitted(self.table, stretch=1, give_way=(3, 2, 1), keep=(0, 4))
        self._scroll = QTimer(self)  # once the table has its rows laid out
        self._scroll.setSingleShot(True)
        self._scroll.setInterval(0)
        self._scroll.timeout.connect(self.show_selected)
        self.date = date_edit()
        self.time = QLineEdit("10:00")
        self.time.setMaximumWidth(70)
        self.time.setAccessibleName(_("Time"))
        self.purpose = QLineEdit()
        self.place = QLineEdit()
        self.directions = QLineEdit()
        self.interpreter = QLineEdit()
        self.outcome = QComboBox()  # an appointment that already took place is recorded with its outcome
        for outcome in ("planned", "kept", "missed", "cancelled"):
            self.outcome.addItem(_(OUTCOME_LABELS[outcome]), outcome)
        self.plan_button = QPushButton(_("Plan appointment"))
        self.plan_button.clicked.connect(self.plan)
        self.error = error_label()
        self.outcome_buttons = {}
        row = QHBoxLayout()
        for outcome in ("kept", "missed", "cancelled"):
            b = QPushButton(_("Mark as {outcome}").format(outcome=_(OUTCOME_LABELS[outcome])))
            b.clicked.connect(lambda _c=False, o=outcome: self.set_outcome(o))
            row.addWidget(b)
            self.outcome_buttons[outcome] = b
        row.addStretch(1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        form = QGroupBox(_("New appointment"))
        fl = QFormLayout(form)
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(self.time)
        when.addStretch(1)
        fl.addRow(_("Date and time"), when)
        fl.addRow(_("Purpose"), self.purpose)
        fl.addRow(_("Place"), self.place)
        fl.addRow(_("Directions"), self.directions)
        fl.addRow(_("Interpreter language"), self.interpreter)
        fl.addRow(_("Outcome"), self.outcome)
        fl.addRow(self.plan_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addWidget(form)
        self.setEnabled(False)

    def set_case(self, household_id, case_id) -> None:
        if case_id != self.case_id:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        if case_id:  # the interpreter language from the intake survey, as a proposal
            intake = services(self.session).responses.latest_answers(case_id, "intake")
            self.interpreter.setText(intake.get("interpreter_language", "") if intake.get("interpreter_needed") else "")
        self.refresh()

    def refresh(self) -> None:
        """Reload; the row selected stays selected, else the next appointment is (else the latest)."""
        chosen = self.selected_id()
        if not self.case_id:
            self.model.set_rows([])
            return
        service = services(self.session).appointments
        today = dt.date.today().isoformat()
        upcoming = service.upcoming(self.case_id, today)  # what the case header names "next appointment"
        rows = service.for_case(self.case_id)
        self.model.set_rows(rows, upcoming[0]["id"] if upcoming else None, today)
        row = self.model.row_of(chosen)
        if row < 0:
            row = self.model.row_of(self.model.next_id)
        if row < 0:
            row = len(rows) - 1
        if row >= 0:
            select_row(self.table, row)
        self.show_selected()
        self._scroll.start()

    def _update_buttons(self) -> None:
        """The next appointment is selected by itself: "kept" and "missed" only for one that has begun
        (a click must not mark next week's appointment as kept); "cancelled" for any."""
        row = self.table.currentIndex().row()
        chosen = self.model.rows[row] if 0 <= row < self.model.rowCount() else None
        begun = chosen is not None and (chosen.get("starts_at") or "")[:10] <= dt.date.today().isoformat()
        for outcome, button in self.outcome_buttons.items():
            button.setEnabled(chosen is not None and (begun or outcome == "cancelled"))
            button.setToolTip("" if button.isEnabled() or chosen is None else
                              _("Only an appointment that has begun can be kept or missed."))

    def selected_id(self) -> str | None:
        row = self.table.currentIndex().row()
        return self.model.rows[row]["id"] if 0 <= row < self.model.rowCount() else None

    def show_selected(self) -> None:
        """Scroll the selected row into view; the next appointment to the top, below an earlier one
        still waiting for its outcome (kept or missed?), so the ones after it show too."""
        row = self.table.currentIndex().row()
        if not 0 <= row < self.model.rowCount():
            return
        if self.model.rows[row]["id"] == self.model.next_id:
            top = row - 1 if row > 0 and (self.model.rows[row - 1].get("outcome") or "planned") == "planned" else row
            self.table.scrollTo(self.model.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)

    def _starts_at(self) -> str:
        """Date and time as the service takes them (ISO); the messages name what the fields take."""
        errors = {}
        try:
            day = date_value(self.date)
        except ValidationError as exc:
            errors.update(exc.errors)
            day = None
        if day is None and not errors:
            errors["date"] = _("Enter a date as DD.MM.YYYY.")
        m = _TIME.fullmatch(self.time.text().strip())
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            errors["time"] = _("Enter the time as HH:MM.")
        if errors:
            raise ValidationError(errors)
        return f"{day}T{int(m.group(1)):02d}:{m.group(2)}"

    def plan(self) -> None:
        cw = services(self.session)
        try:
            starts = self._starts_at()
            cw.appointments.plan(self.case_id, starts, self.purpose.text(), place=self.place.text(),
                                 directions=self.directions.text(), interpreter_language=self.interpreter.text(),
                                 staff=self.session.staff_name, outcome=self.outcome.currentData())
        except ValidationError as exc:
            set_error(self.error, errors_text(exc))
            return
        set_error(self.error, None)
        for w in (self.purpose, self.place, self.directions):
            w.clear()
        self.outcome.setCurrentIndex(0)
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())  # the next appointment is selected again
        self.refresh()

    def set_outcome(self, outcome: str) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < self.model.rowCount():
            set_error(self.error, _("Please select an appointment."))
            return
        try:
            services(self.session).appointments.set_outcome(self.model.rows[row]["id"], outcome)
        except ValidationError as exc:
            set_error(self.error, errors_text(exc))
            return
        set_error(self.error, None)
        self.refresh()
