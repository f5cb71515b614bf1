"""The duplicates page (central office): likely pairs of the same person, merged on request.

The search runs off the GUI thread (it compares every person). "Merge…" (or
Enter, or a double click on a pair) opens the review (ui.merge_dialog): both
records field by field, a choice per differing value, which record stays; the
merge keeps one record and points the other to it, its cases move with their
records (app.duplicates), as changes that replicate.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.labels import label
from i18n import N_, _, ngettext

from .case_list import born_display
from .merge_dialog import MergeDialog, percent
from .models import RowTableModel
from .tasks import run_in_background
from .unmerge_dialog import unmerge_button

HEADERS = (N_("Person A"), N_("Born"), N_("Office"), N_("Person B"), N_("Born"), N_("Office"), N_("Score"),
           N_("Why"))


def _name(p: dict) -> str:
    latin = f"{p.get('given_names') or ''} {p.get('family_name') or ''}".strip()
    orig = f"{p.get('given_names_orig') or ''} {p.get('family_name_orig') or ''}".strip()
    return f"{latin} ({orig})" if orig else latin


class PairModel(RowTableModel):
    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)

    def cell(self, r: dict, column: int):
        a, b = r["a"], r["b"]
        return (_name(a), born_display(a.get("birth_date")), label("office", r["office_a"]),
                _name(b), born_display(b.get("birth_date")), label("office", r["office_b"]),
                percent(r["score"]), ", ".join(_(x) for x in r["reasons"]))[column]


class DuplicatesPage(QWidget):
    refresh_on_show = False  # the search is slow: it runs on request
    def __init__(self, session, window=None):
        super().__init__(window)
        self.session = session
        self.window_ = window
        self.dialog: MergeDialog | None = None  # the last merge review opened
        self.model = PairModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.search = QPushButton(_("Search for duplicates"))
        self.search.clicked.connect(self.refresh)
        self.merge_button = QPushButton(_("&Merge…"))
        self.merge_button.setObjectName("reviewMerge")
        self.merge_button.setToolTip(_("Both records side by side: choose what stays, then merge"))
        self.merge_button.clicked.connect(lambda: self.merge())
        self.table.activated.connect(lambda _index: self.merge())  # Enter or a double click on a pair
        self.info = QLabel()
        buttons = QHBoxLayout()
        for b in (self.search, self.merge_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(unmerge_button(session, self, lambda: window.refresh() if window is not None else None))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("The same person registered twice (other spelling, other office). "
                               "Check the pair with the client before merging.")))
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.info)

    def refresh(self) -> None:
        if not self.session.is_open:
            return
        self.search.setEnabled(False)
        self.info.setText(_("Searching…"))
        run_in_background(self.session.duplicate_candidates, self._found, self._failed)

    def _found(self, rows) -> None:
        self.search.setEnabled(True)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.info.setText(ngettext("{n} possible duplicate", "{n} possible duplicates", len(rows)).format(n=len(rows)))

    def _failed(self, exc) -> None:
        self.search.setEnabled(True)
        self.info.setText(_("The search failed: {error}").format(error=type(exc).__name__))

    def clear(self) -> None:
        self.model.set_rows([])

    def merge(self, keep_first: bool = True) -> MergeDialog | None:
        """Review the selected pair in the merge dialog (A stays unless `keep_first` is False; the dialog
        can swap). Returns the dialog, open (modal), or None without a selection."""
        sel = self.table.selectionModel().selectedRows()
        if not sel:
            return None
        r = self.model.rows[sel[0].row()]
        keep, away = (r["a"], r["b"]) if keep_first else (r["b"], r["a"])
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog = MergeDialog(self.session, keep["id"], away["id"], self)
        dialog.merged.connect(self._merged)
        dialog.unmerged.connect(lambda _pid: self._changed())
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _merged(self, away_id: str) -> None:
        self.model.set_rows([x for x in self.model.rows if away_id not in (x["a"]["id"], x["b"]["id"])])
        self.info.setText(_("{n} possible duplicates").format(n=len(self.model.rows)))
        self._changed()

    def _changed(self) -> None:
        if self.window_ is not None and hasattr(self.window_, "refresh"):
            self.window_.refresh()


def duplicates_page(session, window):
    return _("Duplicates"), DuplicatesPage(session, window)
