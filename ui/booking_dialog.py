"""Book a client into a free office-hour slot: the case, purpose, interpreter language and what to bring.

Opened from the today view on a free slot (Enter or N). The case is found by name or case
number among the open cases (`session.hours.case_choices`); choosing it fills the interpreter
language of the person and the checklist suggestions (`session.hours.booking_defaults`). Saving
is one call, `session.hours.book_case` (access-checked, app.booking: no double booking, not in the
past, not outside office hours); a refusal is shown in the dialog and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListView, QVBoxLayout,
)

from app.access import AccessDenied
from app.checks import ValidationError
from i18n import _
from i18n import locale as loc

from .household_dialog import ERROR_STYLE
from .language_levels import language_combo, select
from .models import ChoiceListModel


class BookingDialog(QDialog):
    def __init__(self, session, office: str, starts_at: str, agency: str | None, parent=None):
        super().__init__(parent)
        self.session, self.office, self.starts_at, self.agency = session, office, starts_at, agency
        self.booked_id: str | None = None
        self.case_id: str | None = None
        when = dt.datetime.fromisoformat(starts_at)
        self.setWindowTitle(_("Book an appointment"))
        heading = QLabel(_("{office}, {day}, {time}, desk of the {agency}").format(
            office=session.hours.office(office).name, day=loc.format_date(when.date(), "de", "full"),
            time=f"{when:%H:%M}", agency=agency or "–"))
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
        self.error = QLabel()
        self.error.setObjectName("booking_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("Client"), self.case)
        form.addRow(_("Purpose"), self.purpose)
        form.addRow(_("Interpreter"), self.interpreter)
        form.addRow(_("What to bring"), self.bring)
        form.addRow("", self.bring_extra)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Book"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(560, 420)

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
        self._case_chosen(self.case.text())
        if self.case_id is None:
            self._show(_("Choose the client: a name or case number from the list."))
            return
        bring = self.bring_model.chosen() + [b.strip() for b in self.bring_extra.text().split(";") if b.strip()]
        try:
            self.booked_id = self.session.hours.book_case(
                self.case_id, self.office, self.starts_at, agency=self.agency, purpose=self.purpose.text(),
                interpreter=self.interpreter.currentData(), bring=bring)
        except ValidationError as exc:
            self._show("\n".join(exc.errors.values()))
            return
        except AccessDenied as exc:
            self._show(str(exc))
            return
        self.accept()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
