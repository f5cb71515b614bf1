"""Book a client into a free office-hour slot: the case, purpose, interpreter language, what to bring and the
length (one or more consecutive slots of the desk); or move a booking to another slot (reschedule).

Opened from the today view on a free slot (Enter or N), or on a booking (V) to reschedule it: then the
client, purpose, interpreter, checklist and length are the booking's, and the dialog offers the day's slot
starts where the booking fits (`session.hours.free_starts`); saving is `session.hours.reschedule` (the old
booking becomes "rescheduled" and points to the new one; the chronicle says so). The case is found by name or case
number among the open cases (`session.hours.case_choices`); choosing it fills the interpreter
language of the person and the checklist suggestions (`session.hours.booking_defaults`). Saving
is one call, `session.hours.book_case` (access-checked, app.booking: no double booking, not in the
past, not outside office hours); a refusal is shown in the dialog and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QCompleter, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListView, QVBoxLayout,
)

import i18n
from i18n import _
from i18n import locale as loc

from .household_dialog import ERROR_STYLE
from .casework.common import attempt
from .language_levels import language_combo, select
from .models import ChoiceListModel


class BookingDialog(QDialog):
    """`moving`: the booking (a day row of app.dayview) to reschedule; `starts_at` is then the first slot offered."""

    def __init__(self, session, office: str, starts_at: str, agency: str | None, parent=None, moving=None):
        super().__init__(parent)
        self.session, self.office, self.starts_at, self.agency = session, office, starts_at, agency
        self.moving = moving
        self.booked_id: str | None = None
        self.case_id: str | None = None
        when = dt.datetime.fromisoformat(starts_at)
        self.setWindowTitle(_("Reschedule an appointment") if moving else _("Book an appointment"))
        if moving:
            old = dt.datetime.fromisoformat(moving.starts_at)
            text = _("{name}: the booking of {day}, {time} ({agency}) moves to another slot.").format(
                name=moving.name, day=loc.format_date(old.date(), "de", "full"), time=f"{old:%H:%M}",
                agency=moving.agency or "–")
        else:
            text = _("{office}, {day}, {time}, desk of the {agency}").format(
                office=session.hours.office(office).name, day=loc.format_date(when.date(), "de", "full"),
                time=f"{when:%H:%M}", agency=agency or "–")
        heading = QLabel(text)
        heading.setObjectName("booking_heading")
        heading.setWordWrap(True)
        self._choices = {f"{c['name']} ({c['case_number']})": c for c in session.hours.case_choices(office)}
        self.case = QLineEdit()
        self.case.setObjectName("booking_case")
        self.case.setPlaceholderText(_("Name or case number"))
        completer = QCompleter(list(self._choices), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.case.setCompleter(completer)
        completer.activated.connect(self._case_chosen)
        self.case.editingFinished.connect(lambda: self._case_chosen(self.case.text()))
        self.purpose = QLineEdit()
        self.purpose.setObjectName("booking_purpose")
        self.purpose.setPlaceholderText(_("e.g. Profiling II, application for benefits"))
        self.interpreter = language_combo(_("no interpreter"))
        self.interpreter.setObjectName("booking_interpreter")
        self.bring_model = ChoiceListModel([], (), text=lambda s: s, parent=self)
        self.bring = QListView()
        self.bring.setObjectName("booking_bring")
        self.bring.setModel(self.bring_model)
        self.bring.setMaximumHeight(120)
        self.bring_extra = QLineEdit()
        self.bring_extra.setObjectName("booking_bring_extra")
        self.bring_extra.setPlaceholderText(_("more to bring, separated by semicolons"))
        self.length = QComboBox()
        self.length.setObjectName("booking_length")
        self.new_day = QDateEdit(QDate(when.year, when.month, when.day))
        self.new_day.setObjectName("booking_new_day")
        self.new_day.setCalendarPopup(True)
        self.new_day.setDisplayFormat("dd.MM.yyyy")
        self.new_time = QComboBox()
        self.new_time.setObjectName("booking_new_time")
        self.closed = QLabel()
        self.closed.setObjectName("booking_cancelled")
        self.closed.setWordWrap(True)
        self.closed.setStyleSheet(ERROR_STYLE)
        self.closed.hide()
        self.error = QLabel()
        self.error.setObjectName("booking_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        if moving:
            slot = QHBoxLayout()
            slot.addWidget(self.new_day)
            slot.addWidget(self.new_time, 1)
            form.addRow(_("New slot"), slot)
            form.addRow("", self.closed)
        form.addRow(_("Client"), self.case)
        form.addRow(_("Purpose"), self.purpose)
        form.addRow(_("Interpreter"), self.interpreter)
        form.addRow(_("Length"), self.length)
        form.addRow(_("What to bring"), self.bring)
        form.addRow("", self.bring_extra)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Reschedule") if moving else _("Book"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(560, 440)
        if moving:
            self._fill_moving()
        else:
            self._fill_lengths()

    def _fill_lengths(self, fixed: int | None = None) -> None:
        """One to eight slots of the desk, as far as the office hour goes and the desk is free ("2 slots
        (40 min)"); `fixed`: the length of a booking being moved (shown, not changed)."""
        self.length.clear()
        if fixed is not None:
            self.length.addItem(i18n.ngettext("{n} slot", "{n} slots", fixed).format(n=fixed), fixed)
        else:
            for n, minutes in self.session.hours.lengths(self.office, self.starts_at, self.agency) or [(1, 0)]:
                self.length.addItem(i18n.ngettext("{n} slot ({minutes} min)", "{n} slots ({minutes} min)",
                                                  n).format(n=n, minutes=minutes), n)
        self.length.setEnabled(fixed is None and self.length.count() > 1)

    def _fill_moving(self) -> None:
        """The booking's client, purpose, interpreter, checklist and length (kept by the move), read-only; the
        free slot starts of the chosen day."""
        m = self.moving
        self.case_id = m.case_id
        self.case.setText(f"{m.name} ({m.case_number})")
        self.purpose.setText(m.purpose)
        select(self.interpreter, m.interpreter or None)
        self.bring_model.set_options([(b, b) for b in m.bring], m.bring)
        for w in (self.case, self.purpose, self.interpreter, self.bring, self.bring_extra):
            w.setEnabled(False)
        self._fill_lengths(m.slots)
        self.new_day.dateChanged.connect(lambda _d: self._fill_times())
        self._fill_times(self.starts_at)

    def _fill_times(self, prefer: str | None = None) -> None:
        q = self.new_day.date()
        day = dt.date(q.year(), q.month(), q.day())
        starts = self.session.hours.free_starts(self.office, day, self.agency, self.moving.slots,
                                                exclude=self.moving.appointment_id)
        self.new_time.clear()
        for at in starts:
            self.new_time.addItem(at[11:16], at)
        if prefer in starts:
            self.new_time.setCurrentIndex(starts.index(prefer))
        if not starts:
            self.new_time.addItem(_("no free slot on this day"), None)
        notes = self.session.hours.closed_notes(self.office, day)  # a cancelled office hour says why
        self.closed.setText("\n".join(notes))
        self.closed.setVisible(bool(notes))
    def choose_case(self, case_id: str) -> None:
        """Take this case (also what a test or a caller with a case at hand does)."""
        self.case_id = case_id
        choice = next((k for k, c in self._choices.items() if c["id"] == case_id), None)
        if choice is not None and self.case.text() != choice:
            self.case.setText(choice)
        day = dt.date.fromisoformat(self.starts_at[:10])
        defaults = self.session.hours.booking_defaults(case_id, day)
        select(self.interpreter, defaults["interpreter"])
        items = defaults["bring"]
        self.bring_model.set_options([(item, item) for item in items], items[:2])  # ID and letters: ticked

    def _case_chosen(self, text: str) -> None:
        text = text.strip()
        choice = self._choices.get(text) or next(
            (c for c in self._choices.values() if text and text.lower() in (c["case_number"].lower(),
                                                                             c["name"].lower())), None)
        if choice is not None and choice["id"] != self.case_id:
            self.choose_case(choice["id"])

    def save(self) -> None:
        if self.moving:
            self._move()
            return
        self._case_chosen(self.case.text())
        if self.case_id is None:
            self._show(_("Choose the client: a name or case number from the list."))
            return
        bring = self.bring_model.chosen() + [b.strip() for b in self.bring_extra.text().split(";") if b.strip()]
        self._write(lambda: self.session.hours.book_case(
            self.case_id, self.office, self.starts_at, agency=self.agency, purpose=self.purpose.text(),
            interpreter=self.interpreter.currentData(), bring=bring, slots=self.length.currentData() or 1))

    def _move(self) -> None:
        at = self.new_time.currentData()
        if not at:
            self._show(_("Choose a day with a free slot."))
            return
        self._write(lambda: self.session.hours.reschedule(self.moving.appointment_id, at, agency=self.agency))

    def _write(self, action) -> None:
        """Book or move; a refusal (input or access) stays in the dialog, which then writes nothing."""
        def write() -> None:
            self.booked_id = action()

        if attempt(self.error, write, lambda exc: "\n".join(exc.errors.values())):
            self.accept()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
