"""A proposal for ui/case_list.py, measured by bench_store.py --qt: no Python callback per row.

As committed, QSortFilterProxyModel sorts by calling the model's data() twice
per comparison (Python callbacks: about 600,000 for 20,000 rows) and
re-sorts and re-filters (one Python filterAcceptsRow per row) after every
keystroke. Here the source model keeps a sort permutation computed once with
`sorted(key=...)` and the list of visible rows (CaseIndex positions in that
order); the proxy stays in the view, forwards `sort()` and the accepted rows
to the model and has nothing to compute. Column widths are fitted to the rows
on screen only (resize precision 0). Same widgets, same CaseIndex; not used by
the app until the UI adopts it.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from ui.case_list import CaseTableModel


class SortedCaseModel(CaseTableModel):
    """`rows` stay in load order (CaseIndex positions); `visible` is what is shown, in sort order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.order: list[int] = []
        self.visible: list[int] = []
        self._accepted: set[int] | None = None
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.order = self._sorted()
        self.visible = self._filtered()
        self.endResetModel()

    def set_accepted(self, accepted: list[int] | None) -> None:
        self.beginResetModel()
        self._accepted = None if accepted is None else set(accepted)
        self.visible = self._filtered()
        self.endResetModel()

    def rowCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.visible)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return super().data(self.createIndex(self.visible[index.row()], index.column()), role)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_pos = [(self.visible[i.row()], i.column()) for i in old]
        self.order = self._sorted()
        self.visible = self._filtered()
        where = {pos: n for n, pos in enumerate(self.visible)}
        self.changePersistentIndexList(
            old, [self.index(where[p], c) if p in where else self.index(-1, -1) for p, c in old_pos])
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        column, order = self._sort
        if column < 0:
            return list(range(len(self.rows)))
        keys = [str(self.cell(r, column) or "").casefold() for r in self.rows]
        return sorted(range(len(self.rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _filtered(self) -> list[int]:
        acc = self._accepted
        return self.order if acc is None else [i for i in self.order if i in acc]


class ForwardingProxy(QSortFilterProxyModel):
    """Kept between model and view; the work is the model's.

    It must not override filterAcceptsRow or lessThan in Python: Qt would call
    them once per row or comparison.
    """

    def set_accepted(self, rows: list[int] | None) -> None:
        self.sourceModel().set_accepted(rows)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


def install(page) -> None:
    """Swap the proposal into a CaseListPage (before refresh)."""
    page.model = SortedCaseModel(page)
    page.proxy = ForwardingProxy(page)
    page.proxy.setSourceModel(page.model)
    page.table.setModel(page.proxy)
    header = page.table.horizontalHeader()
    page.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
    resize = page.table.resizeColumnsToContents

    def resize_visible_rows_only() -> None:  # precision 0: the rows on screen, not 200 laid-out rows
        header.setResizeContentsPrecision(0)
        resize()

    page.table.resizeColumnsToContents = resize_visible_rows_only
