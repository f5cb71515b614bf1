"""Undo a merge of persons: the merged persons, newest merge first; the chosen one becomes a person of its own again.

Opened from the duplicates page (`unmerge_button(session, parent)` gives the small button
that opens it). The un-merge is `Session.undo.unmerge_person` (app.unmerge): ordinary
changes that sync; the history keeps both the merge and its undoing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout,
)

from app.unmerge import UndoRefused
from i18n import _


def local_time(hlc: str) -> str:
    """When a change was made, in the laptop's time zone: 02.12.2026 08:15."""
    import datetime as dt

    return dt.datetime.fromtimestamp(int(hlc[:13]) / 1000).strftime("%d.%m.%Y %H:%M")


def _name(p: dict) -> str:
    born = ".".join(reversed((p.get("birth_date") or "").split("-")))
    return " ".join(x for x in (p.get("given_names"), p.get("family_name")) if x) + (f" ({born})" if born else "")


class UnmergeDialog(QDialog):
    unmerged = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Undo a merge"))
        self.resize(640, 420)
        self.list = QListWidget()
        self.list.setObjectName("mergedPersons")
        for p in session.undo.merged_persons():
            when = local_time(p["merged_at"]) if p["merged_at"] else ""
            item = QListWidgetItem(_("{away} was merged into {keep} ({when})").format(
                away=_name(p), keep=_name(p["into"]), when=when))
            item.setData(256, p["id"])
            self.list.addItem(item)
        self.info = QLabel(_("Both become separate persons again, each with their cases; the history keeps "
                             "the merge and its undoing.") if self.list.count() else _("No merged persons."))
        self.info.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.undo_button = buttons.addButton(_("&Undo merge"), QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setEnabled(self.list.count() > 0)
        self.undo_button.clicked.connect(self.undo)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.info)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.list.setCurrentRow(0)

    def undo(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        person_id = item.data(256)
        try:
            back = self.session.undo.unmerge_person(person_id)
        except UndoRefused as exc:
            QMessageBox.warning(self, _("Undo a merge"), str(exc))
            return
        self.list.takeItem(self.list.row(item))
        self.info.setText(_("Undone. Moved back: cases {cases}, household records {records}; fields restored: {fields}.").format(cases=back["cases"], records=back["household_records"],
                                                               fields=back["fields"]))
        self.undo_button.setEnabled(self.list.count() > 0)
        self.unmerged.emit(person_id)


def unmerge_button(session, parent, on_done) -> QPushButton:
    """A small button "Undo a merge…"; `on_done()` runs after each un-merge (refresh the lists)."""
    button = QPushButton(_("Undo a merge…"))
    button.setObjectName("unmergeButton")

    def open_dialog() -> None:
        dialog = UnmergeDialog(session, parent)
        dialog.unmerged.connect(lambda _pid: on_done())
        dialog.exec()

    button.clicked.connect(open_dialog)
    return button
