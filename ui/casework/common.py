"""Small shared pieces of the case-work widgets: services of the session, dates, messages, unsaved changes.

Widgets reach app/ only through `services(session)` (app.casework.CaseWork behind app.gated's check);
they never touch the database. `ask_unsaved` asks whether to save, discard
or stay.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QWidget

from app.access import AccessDenied
from app.casework import CaseWork
from app.gated import GatedCaseWork
from app.checks import PartialDateError, ValidationError, parse_input_date
from i18n import _

from .form_renderer import from_iso



def services(session) -> GatedCaseWork:
    """The case-work services behind the session's consent and role check (app.gated): a tab can only
    read what the staff member who unlocked may see."""
    return session.casework()


def show_date(iso: str | None) -> str:
    return from_iso(iso) if iso else ""


def date_edit(iso: str | None = None) -> QLineEdit:
    e = QLineEdit(show_date(iso or dt.date.today().isoformat()))
    e.setPlaceholderText(_("DD.MM.YYYY"))
    e.setMaximumWidth(120)
    e.setMinimumWidth(e.fontMetrics().horizontalAdvance("00.00.00000") + 12)  # a whole date, never ".12.2026"
    return e


def date_value(edit: QLineEdit, key: str = "date") -> str | None:
    """The ISO date of a date field typed as DD.MM.YYYY (or YYYY-MM-DD); None when empty.

    Anything else raises ValidationError({key: "Datum als TT.MM.JJJJ eingeben."}): the message names
    the format the field takes (the services' own message names ISO, the format of import files)."""
    try:
        return parse_input_date(edit.text())
    except PartialDateError as exc:
        raise ValidationError({key: str(exc)}) from None


def error_label() -> QLabel:
    lab = QLabel()
    lab.setStyleSheet("color: #b00020;")
    lab.setWordWrap(True)
    lab.hide()
    return lab


def set_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


def errors_text(exc: ValidationError) -> str:
    return " ".join(exc.errors.values())


def attempt(label: QLabel, action, text=errors_text) -> bool:
    """Run one write; a refusal (invalid input, or app.access saying no) is shown in `label` and nothing
    was written then (False); on success the label is cleared (True)."""
    try:
        action()
    except ValidationError as exc:
        set_error(label, text(exc))
        return False
    except AccessDenied as exc:
        set_error(label, str(exc))
        return False
    set_error(label, None)
    return True


def ask_unsaved(parent: QWidget) -> str:
    """'save', 'discard' or 'cancel' for unsaved changes."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"),
                      _("There are unsaved changes. Save them?"), parent=parent)
    save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def staff_name(cw: CaseWork, staff_id: str | None) -> str:
    return cw.staff_name(staff_id)


class RefreshOnShow:
    """Mixin for tabs: show fresh data whenever the tab becomes visible (other tabs may have written)."""

    def showEvent(self, event) -> None:  # noqa: N802
        if getattr(self, "case_id", None) or getattr(self, "household_id", None):
            self.refresh()
        super().showEvent(event)


def reload_case_view(widget: QWidget) -> None:
    """Ask the enclosing case view to show its case again (e.g. after the Rechtskreis changed)."""
    w = widget.parentWidget()
    while w is not None and not (hasattr(w, "show_case") and hasattr(w, "household_id")):
        w = w.parentWidget()
    if w is not None and w.household_id:
        w.show_case(w.household_id, w.case_id)
