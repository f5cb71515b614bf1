"""The case list: a table model over app.caselist rows, a filter proxy, and the page around them.

The model holds all rows of the open store (loaded once per refresh); the
search box and the office/status filters ask app.caselist.CaseIndex which
rows pass and hand that set to the proxy, which also sorts by column.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from app import schema
from app.caselist import CaseIndex, CaseRow
from app.lease import LeaseExpired
from app.labels import label
from i18n import N_, _, ngettext

from .columns import fit_columns, select_row, text_width
from .models import ROW_ROLE, RowTableModel, bidi_cell

COL_NUMBER, COL_FAMILY, COL_GIVEN, COL_ORIG, COL_BORN, COL_OFFICE, COL_RK, COL_STATUS = range(8)
# the widest a column gets when the rows would want more (px); the table's width scales them down
COLUMN_CAPS = (130, 170, 150, 150, 80, 110, 80, 100)
COLUMN_FLOORS = (110, 78, 60, 46, 76, 64, 48, 64)  # narrowest before eliding starts to hide what matters
SHRINK_ORDER = (3, 5, 7, 6, 2, 1, 0)  # original script, office, status, Rechtskreis, given, family, number
HEADERS = (N_("Case number"), N_("Family name"), N_("Given names"), N_("Name (original script)"),
           N_("Born"), N_("Office"), N_("Rechtskreis"), N_("Status"))


def born_display(partial: str | None) -> str:
    """A partial ISO birth date as staff write it: 17.05.1990, 05.1990 or 1990."""
    if not partial:
        return ""
    return ".".join(reversed(partial.split("-")))


class CaseTableModel(RowTableModel):
    """All rows in load order; `visible` lists the positions shown, filtered and in sort order.

    Sorting and filtering happen here in one Python pass each: a
    QSortFilterProxyModel doing it would call back into Python once per row
    and per comparison (about 600,000 calls to sort 20,000 rows).
    """

    def __init__(self, parent=None):
        super().__init__(HEADERS, parent)
        self.visible: list[int] = []
        self._order: list[int] = []
        self._accepted: set[int] | None = None
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._accepted = None
        self._order = self._sorted()
        self.visible = self._order
        self.endResetModel()

    def set_accepted(self, accepted: list[int] | None) -> None:
        self.beginResetModel()
        self._accepted = None if accepted is None else set(accepted)
        self.visible = self._filtered()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.visible)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[self.visible[index.row()]]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return bidi_cell(self.cell(row, index.column()))
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_pos = [(self.visible[i.row()], i.column()) for i in old]
        self._order = self._sorted()
        self.visible = self._filtered()
        where = {pos: n for n, pos in enumerate(self.visible)}
        self.changePersistentIndexList(
            old, [self.index(where[p], c) if p in where else QModelIndex() for p, c in old_pos])
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        column, order = self._sort
        if column < 0:
            return list(range(len(self.rows)))
        key = (lambda r: r.birth_date or "") if column == COL_BORN else (lambda r: str(self.cell(r, column)).casefold())
        keys = [key(r) for r in self.rows]
        return sorted(range(len(self.rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _filtered(self) -> list[int]:
        acc = self._accepted
        return self._order if acc is None else [i for i in self._order if i in acc]

    def cell(self, r: CaseRow, c: int):
        if c == COL_ORIG:
            return " ".join(x for x in (r.given_names_orig, r.family_name_orig) if x)
        if c == COL_BORN:
            return born_display(r.birth_date)
        if c == COL_OFFICE:
            return label("office", r.office)
        if c == COL_STATUS:
            return label("status", r.status)
        return {COL_NUMBER: r.case_number, COL_FAMILY: r.family_name, COL_GIVEN: r.given_names,
                COL_RK: r.rechtskreis}.get(c) or ""


class CaseFilterProxy(QSortFilterProxyModel):
    """Sits between view and model and hands sorting and the search hits to the model.

    It must not override filterAcceptsRow or lessThan: Qt would call them
    once per row or comparison.
    """

    def set_accepted(self, rows: list[int] | None) -> None:
        self.sourceModel().set_accepted(rows)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class CaseListPage(QWidget):
    """Search box, filters and the table. Emits `open_case(CaseRow)` on Enter or double-click."""

    open_case = Signal(object)
    sync_requested = Signal()  # the lease ran out: staff asked to sync now
    new_intake = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = CaseTableModel(self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.index = CaseIndex([])

        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(_("Search by name (Latin or original script) or case number…"))
        self.search.setClearButtonEnabled(True)
        self.office = QComboBox()
        self.office.addItem(_("All offices"), None)
        for code in schema.OFFICE_CODES:
            self.office.addItem(label("office", code), code)
        self.status = QComboBox()
        self.status.addItem(_("All statuses"), None)
        for code in schema.CASE_STATUSES:
            self.status.addItem(label("status", code), code)
        self.count = QLabel()
        # the offline lease (app.lease): case data locked until the laptop syncs
        self.lease_box = QWidget()
        self.lease_box.setObjectName("leaseLocked")
        self.lease_text = QLabel()
        self.lease_text.setWordWrap(True)
        self.lease_text.setStyleSheet("font-weight: bold;")
        self.lease_sync = QPushButton(_("&Sync now"))
        self.lease_sync.clicked.connect(self.sync_requested)
        box = QHBoxLayout(self.lease_box)
        box.addWidget(self.lease_text, 1)
        box.addWidget(self.lease_sync)
        self.lease_box.hide()
        self.intake_button = QPushButton(_("New &intake…"))
        self.intake_button.setObjectName("newIntake")
        self.intake_button.setToolTip(_("Household, consent and intake survey of a new family, one step after another"))
        self.intake_button.clicked.connect(self.new_intake)

        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_FAMILY, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # "Familienn…", not "amiliennam"
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)  # one line per row: long names elide instead of wrapping
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.viewport().installEventFilter(self)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

        filters = QHBoxLayout()
        filters.addWidget(self.office, 1)
        filters.addWidget(self.status, 1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.intake_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.lease_box)
        lay.addLayout(top)
        lay.addLayout(filters)
        lay.addWidget(self.table)
        lay.addWidget(self.count)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(0)  # coalesces keys typed within one event-loop turn
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.office.currentIndexChanged.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self._open_first)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

    def refresh(self) -> None:
        """Reload every row from the store, keeping the filters."""
        try:
            rows = self.session.list_rows()
            self.lease_box.hide()
        except LeaseExpired as exc:
            rows = []
            self.lease_text.setText(str(exc))
            self.lease_box.show()
        self.index = CaseIndex(rows)
        first = not self.model.rows
        self.model.set_rows(rows)
        self.apply_filter()
        if first and rows:
            self.fit_columns()

    def fit_columns(self) -> None:
        """Every column on screen: widths from the rows shown, capped; the family name takes the room left
        over; when the table is narrower, the columns that say least give way first, down to a floor (texts
        elide; a 360-character name never widens its column). Case number and birth date never elide.
        Not while the list is hidden (behind the Today page): then Qt would measure every row; it fits on show."""
        if not self.table.isVisible():
            return
        floors = dict(enumerate(COLUMN_FLOORS))
        floors[COL_NUMBER] = min(max(self.table.sizeHintForColumn(COL_NUMBER), text_width(self.table, "WAF-26-XXXX-0000")),
                                 COLUMN_CAPS[COL_NUMBER])
        floors[COL_BORN] = text_width(self.table, "00.00.0000")
        caps = {c: max(cap, floors[c]) for c, cap in enumerate(COLUMN_CAPS)}
        fit_columns(self.table, stretch=COL_FAMILY, give_way=SHRINK_ORDER, floors=floors, caps=caps,
                    keep=(COL_NUMBER, COL_BORN))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - the table's width changed: fit the columns again
        if obj is self.table.viewport() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show) \
                and self.model.rows:
            self.fit_columns()  # (not while hidden: see ui.columns; the Show fits it then)
        return super().eventFilter(obj, event)

    def clear(self) -> None:
        self.index = CaseIndex([])
        self.model.set_rows([])
        self.search.clear()

    def apply_filter(self) -> None:
        hits = self.index.match(self.search.text(), self.office.currentData(), self.status.currentData())
        everything = len(hits) == len(self.index.rows)
        self.proxy.set_accepted(None if everything else hits)
        shown = [self.index.rows[i] for i in hits]
        cases = sum(1 for r in shown if r.case_id is not None)
        text = ngettext("{n} case", "{n} cases", cases).format(n=cases)
        if cases < len(shown):
            members = len(shown) - cases
            text += ", " + ngettext("{n} household member without a case", "{n} household members without a case",
                                    members).format(n=members)
        self.count.setText(text)

    def select_case(self, case_id: str) -> bool:
        """Show and select the row of a case (the filters are cleared if they hide it); False if not listed."""
        pos = next((i for i, r in enumerate(self.model.rows) if r.case_id == case_id), None)
        if pos is None:
            return False
        if pos not in self.model.visible:
            self.search.clear()
            self.office.setCurrentIndex(0)
            self.status.setCurrentIndex(0)
            self.apply_filter()
        index = self.proxy.index(self.model.visible.index(pos), 0)
        select_row(self.table, index.row())
        self.table.scrollTo(index)
        return True

    def _activated(self, index) -> None:
        row = self.proxy.data(index, ROW_ROLE)
        if row is not None:
            self.open_case.emit(row)

    def _open_first(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus()
            select_row(self.table, 0)
            if self.proxy.rowCount() == 1:
                self._activated(self.proxy.index(0, 0))
