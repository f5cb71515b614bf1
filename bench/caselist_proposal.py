"""A proposal for ui/case_list.py, measured by bench_store.py --qt: sort in Python, not per comparison.

QSortFilterProxyModel sorts by calling the model's data() twice per comparison
(Python callbacks: about 600,000 for 20,000 rows) and re-sorts after every
filter change. Here the source model keeps a sort permutation computed once
with `sorted(key=...)`, the proxy forwards `sort()` to it and only filters
(one cheap callback per row). Same widgets, same CaseIndex, same proxy class
in the view; not used by the app until the UI adopts it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from ui.case_list import CaseFilterProxy, CaseTableModel


class SortedCaseModel(CaseTableModel):
    """Rows stay in load order (CaseIndex positions); `order` is the displayed permutation."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.order: list[int] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.order = list(range(len(self.rows)))
        self.endResetModel()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return super().data(self.createIndex(self.order[index.row()], index.column()), role)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_pos = [(self.order[i.row()], i.column()) for i in old]
        rows, cell = self.rows, self.cell
        keys = [str(cell(r, column) or "").casefold() for r in rows]
        self.order = sorted(range(len(rows)), key=keys.__getitem__,
                            reverse=order == Qt.SortOrder.DescendingOrder)
        where = {pos: n for n, pos in enumerate(self.order)}
        self.changePersistentIndexList(old, [self.index(where[p], c) for p, c in old_pos])
        self.layoutChanged.emit()


class ForwardingProxy(CaseFilterProxy):
    """Filters by CaseIndex positions; sorting is the source model's job."""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row, source_parent=QModelIndex()) -> bool:  # noqa: N802
        return self._accepted is None or self.sourceModel().order[source_row] in self._accepted


def install(page) -> None:
    """Swap the proposal into a CaseListPage (before refresh)."""
    page.model = SortedCaseModel(page)
    page.proxy = ForwardingProxy(page)
    page.proxy.setSourceModel(page.model)
    page.table.setModel(page.proxy)
    page.table.sortByColumn(page.table.horizontalHeader().sortIndicatorSection(),
                            page.table.horizontalHeader().sortIndicatorOrder())
