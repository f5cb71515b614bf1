"""A tab that fills one kind of questionnaire for the selected case: intake, Profiling I or Profiling II.

It lists the case's earlier responses (each shown with the form version it
was recorded with), renders the chosen one with app.forms, saves through the
case-work services (field messages appear under the fields; nothing is saved
while there are errors) and protects unsaved changes when the case or the
response changes. Profiling II proposes U25 or Ü25 from the age on the
profiling date; staff can override the proposal.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QComboBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.profiling import SOCIAL, U25, UE25
from i18n import _

from .common import ask_unsaved, date_edit, date_value, error_label, services, set_error, show_date
from .form_renderer import FormRenderer

INTAKE, WORK = "intake", "work"


class FormPage(QWidget):
    access_level = "own"  # without consent: the records the staff member's agency made (app.gated)

    saved = Signal(str)

    def __init__(self, session, mode: str, parent=None):
        super().__init__(parent)
        self.session, self.mode = session, mode
        self.case_id: str | None = None
        self.response_id: str | None = None
        self.renderer: FormRenderer | None = None
        self.dirty = False
        self.responses = QComboBox()
        self.responses.setAccessibleName(_("Questionnaire"))
        self.responses.activated.connect(self._pick_response)
        self.date = date_edit()
        self.date.setAccessibleName(_("Date"))
        self.date.textEdited.connect(self._mark_dirty)
        self.date.editingFinished.connect(self._refresh_proposal)
        self.date_error = error_label()
        self.choice = QComboBox()
        self.choice.addItem(_("Profiling II (under 25)"), U25)
        self.choice.addItem(_("Profiling II (25 and older)"), UE25)
        self.choice.setAccessibleName(_("Questionnaire for the age group"))
        self.choice.activated.connect(self._choose_group)
        self.choice.setVisible(mode == WORK)
        self.proposal = QLabel()
        self.proposal.setWordWrap(True)
        self.proposal.setVisible(mode == WORK)
        self.status = QLabel()
        self.save_button = QPushButton(_("Save"))
        self.save_button.setToolTip(_("Save ({keys})").format(  # Strg+S in German: Qt's native key names
            keys=QKeySequence(QKeySequence.StandardKey.Save).toString(QKeySequence.SequenceFormat.NativeText)))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        QApplication.instance().focusChanged.connect(self._follow_focus)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Questionnaire:")))
        top.addWidget(self.responses, 1)
        top.addWidget(QLabel(_("Date:")))
        top.addWidget(self.date)
        top.addWidget(self.choice)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.date_error)
        lay.addWidget(self.proposal)
        lay.addWidget(self.scroll, 1)
        lay.addLayout(bottom)
        self.setEnabled(False)

    def _follow_focus(self, _old, new) -> None:
        """Keep the field that has the keyboard focus in view while tabbing through a long form."""
        if new is not None and self.renderer is not None and self.renderer.isAncestorOf(new):
            self.scroll.ensureWidgetVisible(new, 20, 40)

    # -- which form ---------------------------------------------------------------
    @property
    def interpreter_form(self) -> str:
        """The questionnaire the interpreter view shows from this tab (questions only without a case)."""
        return self.renderer.form.id if self.renderer is not None else self.form_ids()[0]

    def form_ids(self) -> tuple[str, ...]:
        return {INTAKE: ("intake",), "social": (SOCIAL,), WORK: (U25, UE25)}[self.mode]

    def _cw(self):
        return services(self.session)

    def set_case(self, household_id: str | None, case_id: str | None) -> None:
        if not self.maybe_leave():
            return
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        self.response_id = None
        if case_id is None:
            self._set_form(None)
            return
        self._fill_responses()
        rows = self._rows()
        self._load(rows[-1]["id"] if rows else None)

    def _rows(self) -> list[dict]:
        cw = self._cw()
        return [r for r in cw.responses.for_case(self.case_id) if r["form_id"] in self.form_ids()]

    def _fill_responses(self) -> None:
        cw = self._cw()
        self.responses.clear()
        self.responses.addItem(_("New questionnaire"), None)
        for r in self._rows():
            form = cw.forms.get(r["form_id"], r["form_version"])
            self.responses.addItem(_("{date} – {title} (version {version})").format(
                date=show_date(r.get("date")), title=_(form.title), version=r["form_version"]), r["id"])

    def _load(self, response_id: str | None) -> None:
        cw = self._cw()
        self.response_id = response_id
        self.responses.setCurrentIndex(max(0, self.responses.findData(response_id)))
        if response_id:
            row, form, answers = cw.responses.get(response_id)
            self.date.setText(show_date(row.get("date")))
            self._set_form(form)
            self.renderer.set_values(answers)
            self.choice.setEnabled(False)
            self.choice.setCurrentIndex(max(0, self.choice.findData(form.id)))
        else:
            self.date.setText(show_date(dt.date.today().isoformat()))
            self.choice.setEnabled(True)
            form_id = self.form_ids()[0]
            if self.mode == WORK:
                form_id = self._cw().profiling.proposal(self.case_id, date_value(self.date)).form_id or U25
                self.choice.setCurrentIndex(self.choice.findData(form_id))
            self._set_form(cw.forms.get(form_id))
        self._refresh_proposal()
        self.dirty = False
        self.status.setText("")
        set_error(self.date_error, None)

    def _set_form(self, form) -> None:
        if self.renderer is not None and (form is None or self.renderer.form is not form):
            self.renderer.deleteLater()
            self.renderer = None
        if form is not None and self.renderer is None:
            self.renderer = FormRenderer(form)
            self.renderer.changed.connect(self._mark_dirty)
            self.scroll.setWidget(self.renderer)

    def _refresh_proposal(self) -> None:
        if self.mode != WORK or not self.case_id:
            return
        try:
            g = self._cw().profiling.proposal(self.case_id, date_value(self.date))
        except ValueError:
            return
        if g.form_id is None:
            self.proposal.setText(g.reason)
            return
        age = str(g.age_min) if g.age_min == g.age_max else f"{g.age_min}–{g.age_max}"
        name = _("U25") if g.form_id == U25 else _("Ü25")
        self.proposal.setText(_("Proposed: {group} (age {age}). {reason}").format(group=name, age=age, reason=g.reason))
        self.proposal.setStyleSheet("" if g.certain else "color: #8a5a00;")

    def _choose_group(self) -> None:
        form = self._cw().forms.get(self.choice.currentData())
        if self.renderer is not None and self.renderer.form.id != form.id:
            keep = self.renderer.raw_values()
            self._set_form(form)
            self.renderer.set_values(keep)  # shared questions carry over
            self._mark_dirty()

    def _pick_response(self) -> None:
        rid = self.responses.currentData()
        if rid == self.response_id:
            return
        if not self.maybe_leave():
            self.responses.setCurrentIndex(max(0, self.responses.findData(self.response_id)))
            return
        self._load(rid)

    def _mark_dirty(self, *args) -> None:
        self.dirty = True
        self.status.setText(_("Unsaved changes"))

    # -- saving -----------------------------------------------------------------
    def maybe_leave(self) -> bool:
        """True when it is fine to show something else (saved, discarded, or nothing to save)."""
        if not self.dirty or self.case_id is None:
            return True
        answer = ask_unsaved(self)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.dirty = False
            return True
        return False

    def save(self) -> bool:
        if self.renderer is None or self.case_id is None:
            return False
        cw = self._cw()
        try:
            date = date_value(self.date)
        except ValidationError as exc:
            self.renderer.validate()  # the answers' own messages too, all at once
            set_error(self.date_error, exc.errors["date"])
            self.status.setText(_("Not saved: please correct the marked fields."))
            return False
        values = self.renderer.values()
        try:
            if self.mode == INTAKE:
                rid = cw.save_intake(self.case_id, values, date, self.response_id)
            elif self.mode == WORK:
                rid = cw.profiling.save_work(self.case_id, values, date,
                                             form_id=None if self.response_id else self.renderer.form.id,
                                             response_id=self.response_id)
            else:
                rid = cw.profiling.save_social(self.case_id, values, date, self.response_id)
        except ValidationError as exc:
            self.renderer.show_errors(exc.errors)
            set_error(self.date_error, exc.errors.get("date"))
            self.status.setText(_("Not saved: please correct the marked fields."))
            return False
        self.renderer.show_errors({})
        set_error(self.date_error, None)
        self.dirty = False
        self._fill_responses()
        self.response_id = rid
        self.responses.setCurrentIndex(self.responses.findData(rid))
        self.choice.setEnabled(False)
        self.status.setText(_("Saved."))
        self.saved.emit(rid)
        return True
