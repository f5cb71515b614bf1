"""The guided intake: household and members, then consent and intake survey for each new case, in one flow.

`start_intake(session, parent)` opens the household dialog as step 1 (relations,
languages with levels and contact fields there; ui.household_dialog); once
the household is saved, `IntakeSteps` walks through the consent declaration and
the intake survey of every case the household got, the survey pre-filled with
everything already known (app.intake_prefill: nationality, languages,
interpreter, address, household size; a second adult's answers on residence
and entry from the first). Each step saves on "Next"; "Skip" leaves it for
later; closing keeps what was saved. It returns the household and the first
case, which the main window then selects and shows with its next steps.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from app.checks import ValidationError
from app.labels import label
from app.store import StoreError
from i18n import _

from .casework.common import services
from .casework.form_page import FormPage
from .casework.form_renderer import FormRenderer
from .household_dialog import HouseholdDialog
from .screen import resize_to_fit

CONSENT, INTAKE = "consent", "intake"


class ConsentStep(QWidget):
    """The consent declaration of one case: the consent form, signed today."""

    def __init__(self, session, case_id: str, language: str, parent=None):
        super().__init__(parent)
        self.session, self.case_id = session, case_id
        self.form = FormRenderer(services(session).forms.get("consent"))
        self.form.set_values({"signed_on": dt.date.today().isoformat(), "document_language": language or None})
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)

    def save(self) -> bool:
        try:
            services(self.session).consent.record_declaration(self.case_id, self.form.values())
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return False
        return True

    def focus(self) -> None:
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.focus_widget().setFocus()


class IntakeStep(QWidget):
    """The intake survey of one case, pre-filled; says which answers came from where."""

    def __init__(self, session, household_id: str, case_id: str, parent=None):
        super().__init__(parent)
        self.page = FormPage(session, INTAKE, self)
        self.page.set_case(household_id, case_id)
        self.page.save_button.hide()  # the flow's "Weiter" saves
        self.session, self.case_id = session, case_id
        self.prefilled: dict | None = None
        self.note = QLabel()
        self.note.setObjectName("prefillNote")
        self.note.setWordWrap(True)
        self.note.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.note)
        lay.addWidget(self.page, 1)

    def prefill(self) -> None:
        """Fill in what is known now (once, when the step is reached: an earlier step may have just saved
        the intake of another member)."""
        if self.prefilled is not None or self.page.renderer is None or self.page.response_id is not None:
            return  # (a case that has an intake already shows it as it is)
        answers, source = self.session.intake_defaults(self.case_id)
        self.prefilled = answers
        if not answers:
            return
        self.page.renderer.set_values(answers)
        self.page._mark_dirty()
        labels = {f.key: f.label for sec in self.page.renderer.form.sections for f in sec.fields}
        names = ", ".join(_(labels[k]) for k in answers if k in labels)
        self.note.setText(_("Pre-filled from what is already known ({fields}): please check.").format(fields=names)
                          if "family" not in source.values() else
                          _("Pre-filled from the household and from the intake of another member ({fields}): "
                            "please check.").format(fields=names))
        self.note.show()

    def save(self) -> bool:
        return self.page.save()

    def focus(self) -> None:
        self.prefill()
        r = self.page.renderer
        if r is None:
            return
        empty = next((ed for k, ed in r.editors.items() if r.is_visible(k) and ed.value() is None), None)
        (empty or next(iter(r.editors.values()))).focus_widget().setFocus()


class IntakeSteps(QDialog):
    """Consent and intake for each case of a household just saved; `steps` lists (kind, case_id, name)."""

    def __init__(self, session, household_id: str, case_ids: list[str], parent=None):
        super().__init__(parent)
        self.session, self.household_id = session, household_id
        self.setWindowTitle(_("New intake"))
        resize_to_fit(self, 1000, 700)
        data = session.load_household(household_id) or {"members": []}
        by_case = {m["case"]["id"]: m for m in data["members"] if m.get("case")}
        self.steps: list[tuple[str, str, str]] = []
        self.pages = QStackedWidget()
        for case_id in case_ids:
            m = by_case.get(case_id, {})
            name = " ".join(x for x in (m.get("given_names"), m.get("family_name")) if x)
            language = m.get("contact_language") or m.get("interpreter_language") or ""
            self.steps.append((CONSENT, case_id, name))
            self.pages.addWidget(ConsentStep(session, case_id, label("language", language) if language else "", self))
            self.steps.append((INTAKE, case_id, name))
            self.pages.addWidget(IntakeStep(session, household_id, case_id, self))
        self.saved: set[int] = set()
        self.heading = QLabel()
        self.heading.setObjectName("stepHeading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.skip_button = QPushButton(_("S&kip"))
        self.skip_button.setToolTip(_("Leave this step for later; it stays on the case's tab."))
        self.skip_button.clicked.connect(self.skip)
        self.next_button = QPushButton(_("&Next"))
        self.next_button.setObjectName("nextStep")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.pages, 1)
        lay.addLayout(buttons)
        self._show(0)

    def _show(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        kind, _case, name = self.steps[index]
        page = self.pages.currentWidget()
        what = _(page.form.form.title) if kind == CONSENT else _("Intake survey")  # the form's own title
        self.heading.setText(_("Step {n} of {total}: {what} – {name}").format(
            n=index + 2, total=len(self.steps) + 1, what=what, name=name))
        last = index == len(self.steps) - 1
        self.next_button.setText(_("&Finish") if last else _("&Next"))
        self.message.clear()
        self.pages.currentWidget().focus()

    def next(self) -> None:
        index = self.pages.currentIndex()
        try:
            ok = self.pages.currentWidget().save()
        except StoreError as exc:  # e.g. the disk is full: nothing was written, the input stays here
            QMessageBox.warning(self, _("Not saved"), str(exc))
            return
        if not ok:
            self.message.setText(_("Not saved: please correct the marked fields."))
            return
        self.saved.add(index)
        self._advance()

    def skip(self) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, IntakeStep):
            page.page.dirty = False  # the pre-filled answers are proposals: nothing to keep
        self._advance()

    def _advance(self) -> None:
        index = self.pages.currentIndex()
        if index + 1 < len(self.steps):
            self._show(index + 1)
        else:
            self.accept()

    def reject(self) -> None:
        for i in range(self.pages.count()):
            page = self.pages.widget(i)
            if isinstance(page, IntakeStep):
                page.page.dirty = False  # closing keeps what was saved; proposals are not asked about
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Enter in a field moves on, as in the household dialog
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.focusNextChild()
            return
        super().keyPressEvent(event)


def start_intake(session, parent=None) -> tuple[str, str | None] | None:
    """Run the guided intake; (household_id, first case id or None), or None when step 1 was cancelled."""
    dialog = HouseholdDialog(session, None, parent)
    dialog.setWindowTitle(_("New intake – step 1: household and members"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save and continue"))
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.saved_id:
        return None
    household_id, case_ids = dialog.saved_id, dialog.saved_case_ids
    if case_ids and session.is_open:
        IntakeSteps(session, household_id, case_ids, parent).exec()
    return household_id, (case_ids[0] if case_ids else None)
