"""The case view's "Undo…" button: take back the last edit of the person, the household or the case.

Each entry shows what the last edit changed (field: new → old) and asks before it writes
the old values back through `Session.undo.undo_last_edit` (app.unmerge), an ordinary change
that syncs; the history keeps both. `on_done()` refreshes the case view afterwards.
"""

from __future__ import annotations

import json

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton, QWidget

from app.labels import label
from app.unmerge import UndoRefused
from i18n import _

from .unmerge_dialog import local_time


def _shown(value) -> str:
    if value in (None, ""):
        return _("(empty)")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def undo_last_edit(session, parent: QWidget, entity: str, entity_id: str) -> bool:
    """Ask, then take back the record's last edit; True if it was taken back."""
    edit = session.undo.last_edit(entity, entity_id)
    if edit is None:
        QMessageBox.information(parent, _("Undo"), _("this record has no history"))
        return False
    lines = "\n".join(f"{label('field', f) if label('field', f) != f else f}: {_shown(new)} → {_shown(old)}"
                      for f, (old, new) in edit.fields.items() if f != "deleted")
    box = QMessageBox(QMessageBox.Icon.Question, _("Undo"),
                      _("Take back the last change ({when})?").format(when=local_time(edit.hlc)) + "\n\n" + lines,
                      parent=parent)
    yes = box.addButton(_("Take back"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not yes:
        return False
    try:
        session.undo.undo_last_edit(entity, entity_id)
    except UndoRefused as exc:
        QMessageBox.warning(parent, _("Undo"), str(exc))
        return False
    return True


def undo_button(view) -> QPushButton:
    """For a CaseView: a button whose menu takes back the last edit of its person, household or case."""
    button = QPushButton(_("&Undo…"))
    button.setObjectName("undoButton")
    button.setToolTip(_("Take back the last change of the person, the household or the case"))
    menu = QMenu(button)

    def target(kind: str) -> tuple[str, str] | None:
        if not view.household_id:
            return None
        if kind == "household":
            return "household", view.household_id
        data = view.session.load_household(view.household_id) or {"members": []}
        member = next((m for m in data["members"] if m.get("case") and m["case"]["id"] == view.case_id), None)
        if member is None:
            return None
        return ("case", member["case"]["id"]) if kind == "case" else ("person", member["id"])

    def run(kind: str) -> None:
        t = target(kind)
        if t and undo_last_edit(view.session, view, *t):
            view.show_case(view.household_id, view.case_id)

    for kind, text in (("person", _("Last change of the person…")), ("household", _("Last change of the household…")),
                       ("case", _("Last change of the case…"))):
        act = QAction(text, menu)
        act.triggered.connect(lambda _c=False, k=kind: run(k))
        menu.addAction(act)
    button.setMenu(menu)
    return button
