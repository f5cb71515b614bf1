"""Undo a merge of persons: the merged persons, newest merge first; the chosen one becomes a person of its own again.

Opened from the duplicates page (`unmerge_button(session, parent)` gives the small button
that opens it). The un-merge is `Session.undo.unmerge_person` (app.unmerge): ordinary
changes that sync; the history keeps both the merge and its undoing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListView, QMessageBox, QPushButton, QVBoxLayout,
)

from app.unmerge import UndoRefused
from i18n import _

from .models import RowListModel


def local_time(hlc: str) -> str:
    """When a change was made, in the laptop's time zone: 02.12.2026 08:15."""
    import datetime as dt

    return dt.datetime.fromtimestamp(int(hlc[:13]) / 1000).strftime("%d.%m.%Y %H:%M")


def _name(p: dict) -> str:
    born = ".".join(reversed((p.get("birth_date") or "").split("-")))
    return " ".join(x for x in (p.get("given_names"), p.get("family_name")) if x) + (f" ({born})" if born else "")


class MergedPersons(RowListModel):
    """The merged persons (app.unmerge `merged_persons()` rows), newest merge first."""

    def text(self, row) -> str:
        when = local_time(row["merged_at"]) if row["merged_at"] else ""
        return _("{away} was merged into {keep} ({when})").format(away=_name(row), keep=_name(row["into"]), when=when)


class UnmergeDialog(QDialog):
    unmerged = Signal(str)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Undo a merge"))
        self.resize(640, 420)
        self.merged = MergedPersons(self)
        self.merged.set_rows(session.undo.merged_persons())
        self.list = QListView()
        self.list.setObjectName("mergedPersons")
        self.list.setModel(self.merged)
        self.info = QLabel(_("Both become separate persons again, each with their cases; the history keeps "
                             "the merge and its undoing.") if self.merged.rows else _("No merged persons."))
        self.info.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.undo_button = buttons.addButton(_("&Undo merge"), QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setEnabled(bool(self.merged.rows))
        self.undo_button.clicked.connect(self.undo)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.info)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.list.setCurrentIndex(self.merged.index(0, 0))

    def undo(self) -> None:
        row = self.list.currentIndex().row()
        if not 0 <= row < len(self.merged.rows):
            return
        person_id = self.merged.rows[row]["id"]
        try:
            back = self.session.undo.unmerge_person(person_id)
        except UndoRefused as exc:
            QMessageBox.warning(self, _("Undo a merge"), str(exc))
            return
        self.merged.set_rows(r for r in self.merged.rows if r["id"] != person_id)
        self.list.setCurrentIndex(self.merged.index(0, 0))
        self.info.setText(_("Undone. Moved back: cases {cases}, household records {records}; fields restored: {fields}.").format(cases=back["cases"], records=back["household_records"],
                                                               fields=back["fields"]))
        self.undo_button.setEnabled(bool(self.merged.rows))
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
