"""The "due soon" list across all open cases: a table model and a widget with date and office filters.

Double-click (or Enter) on a row emits `open_case(household_id, case_id)`.
Evaluation runs through app.casework (on its own connection, off the GUI
thread); nothing here decides, it only shows the rules' hints.
"""

from __future__ import annotations

import datetime as dt

import shiboken6

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app.labels import label
from app.next_steps import DueCount
from app.schema import OFFICE_CODES
from i18n import N_, _, ngettext

from ..models import SORT_ROLE, RowTableModel, sort_proxy
from ..tasks import run_in_background
from .chronicle_tab import STATE_LABELS
from .common import date_edit, date_value, show_date

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = (N_("Due"), N_("State"), N_("Case"), N_("Name"), N_("Office"), N_("Deadline or hint"), N_("Legal source"))


STATE_ORDER = {"overdue": 0, "due_soon": 1, "reached": 2, "info": 3, "upcoming": 4}


def state_text(state: str, due: dt.date | None, day: dt.date | None) -> str:
    """The hint's state as a phrase of its own, counted from `day` (the day the list was evaluated on):
    "seit 3 Tagen überfällig", "in 5 Tagen fällig", "vor 2 Tagen erreicht" (a milestone), "Hinweis"."""
    if due is None or day is None:
        return _(STATE_LABELS[state])
    n = abs((day - due).days)
    if state == "overdue":
        return ngettext("overdue by {n} day", "overdue by {n} days", n).format(n=n)
    if state in ("due_soon", "upcoming"):
        return _("due today") if n == 0 else ngettext("due in {n} day", "due in {n} days", n).format(n=n)
    if state == "reached":
        return _("reached today") if n == 0 else ngettext("reached {n} day ago", "reached {n} days ago",
                                                         n).format(n=n)
    return _(STATE_LABELS[state])


class DueModel(RowTableModel):
    """One row per hint: (household_id, case_id) under CASE_ROLE, the due date under SORT_ROLE. `day`: the day
    the list was evaluated on, which the state counts from ("seit 3 Tagen überfällig")."""

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.day: dt.date | None = None

    def set_day_rows(self, day: dt.date, rows) -> None:
        self.day = day
        self.set_rows(rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        it = self.rows[index.row()]
        if role == CASE_ROLE:
            return (it.household_id, it.case_id)
        if role == SORT_ROLE:
            return self.sort_key(it, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return it.hint.text
        if role == Qt.ItemDataRole.ForegroundRole and it.hint.state == "overdue":
            return QColor("#b00020")
        return super().data(index, role) if role == Qt.ItemDataRole.DisplayRole else None

    def cell(self, it, column: int):
        h = it.hint
        return (show_date(h.due.isoformat()) if h.due else "", state_text(h.state, h.due, self.day), it.case_number,
                it.name, label("office", it.office), h.title, h.legal_source)[column]

    def sort_key(self, it, column: int):
        if column == 0:  # by date; a hint without a date after every dated one
            return it.hint.due.isoformat() if it.hint.due else "9999"
        if column == 1:  # overdue first (the longest overdue first), then due soon, milestones, notes
            return f"{STATE_ORDER.get(it.hint.state, 9)}{it.hint.due.isoformat() if it.hint.due else '9999'}"
        return self.cell(it, column)


class DueSoonWidget(QWidget):
    """`waiting()` is the number of items due today across all offices, shown in the navigation
    ("Fällig (12)"); it is counted off the GUI thread whenever the store changed since the last count, over
    the cases this staff member sees in full, like the list (Session.due_items). The count is kept per
    household (app.next_steps.DueCount, Session.due_count): after a save only the households it touched
    are counted again. Locking (`clear`) forgets it."""

    open_case = Signal(str, str)
    waiting_changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = DueModel(self)
        self.proxy = sort_proxy(self.model, self)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self._open)
        self.date = date_edit()
        self.date.setAccessibleName(_("Evaluate on"))
        self.office = QComboBox()
        self.office.addItem(_("All offices"), None)
        for code in OFFICE_CODES:
            self.office.addItem(label("office", code), code)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Due on:")))
        top.addWidget(self.date)
        top.addWidget(self.office)
        top.addWidget(self.refresh_button)
        top.addWidget(self.count, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        self._waiting = 0
        self._counted_at: tuple | None = None  # (change mark, day) of the last count
        self._counter = DueCount()  # the count kept per household between counts

    def waiting(self) -> int:
        if not self.session.is_open:
            return 0
        today = dt.date.today()
        mark = (self.session.change_mark(), today)
        if mark != self._counted_at:
            self._counted_at = mark
            counter = self._counter
            run_in_background(self._on_worker(lambda w: w.due_count(counter, today)), self._counted, lambda _e: None)
        return self._waiting

    def _counted(self, n: int) -> None:
        if not shiboken6.isValid(self) or not self.session.is_open:  # locked meanwhile: the page goes
            return
        if n != self._waiting:
            self._waiting = n
            self.waiting_changed.emit()

    def refresh(self) -> None:
        if not self.session.is_open:
            return
        try:
            day = dt.date.fromisoformat(date_value(self.date) or "")
        except ValueError:
            day = dt.date.today()
            self.date.setText(show_date(day.isoformat()))
        office = self.office.currentData()
        self.refresh_button.setEnabled(False)
        self.count.setText(_("Evaluating…"))
        run_in_background(self._on_worker(lambda w: w.due_items(day, office)), lambda items: self._show(items, day),
                          self._failed)

    def _on_worker(self, read):
        """A job for the pool: `read(worker session)` on a connection of its own (opened here, locked when done),
        through the consent check: only cases the staff member sees in full have due items."""
        worker = self.session.worker()

        def job():
            try:
                return read(worker)
            finally:
                worker.lock()

        return job

    def _show(self, items, day: dt.date) -> None:
        self.refresh_button.setEnabled(True)
        self.model.set_day_rows(day, items)
        self.count.setText(ngettext("{n} item", "{n} items", len(items)).format(n=len(items)))

    def _failed(self, exc: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self.count.setText(_("The list could not be built: {error}").format(error=exc))

    def clear(self) -> None:
        self.model.set_rows([])
        self.count.clear()
        self._counted_at = None
        self._counter = DueCount()

    def _open(self, index) -> None:
        household_id, case_id = index.data(CASE_ROLE)
        self.open_case.emit(household_id, case_id)
