"""A table model over a Python list of rows; subclasses say what each cell shows.

`RowTableModel(headers)` holds `rows`, answers the row/column counts and the
translated header texts (also as the header's tooltip, for a title that elides); a subclass implements `cell(row, column)` for the
display text, may override `sort_key(row, column)` for what a column sorts by
(dates as ISO, not as shown) and `data` for more roles. `sort_proxy(model)` is
the proxy a sortable view shows: it sorts by `SORT_ROLE`. `RowListModel` is the
same for a list of one line per row (`text(row)`), for a QListView. `ChoiceListModel` is a
list of options with a tick each (a multiple-choice answer), its texts made by a function the
view may change (the interpreter view shows "German / client language"). `bidi_cell(text)` is
what a cell shows in a right-to-left UI: the text as an isolate of its own direction.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QGuiApplication

from i18n import _

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object of a line
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # what a cell sorts by (RowTableModel.sort_key)


def bidi_cell(value):
    """A cell's text in a right-to-left UI as a first-strong isolate (FSI … PDI): a German citation, a
    date or a case number keeps its own order ("§ 67b SGB X", not "67b SGB X §") and the cell stays
    aligned to the right. In a left-to-right UI the text as it is."""
    if isinstance(value, str) and value and QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        return f"\u2068{value}\u2069"
    return value


def sort_proxy(model, parent=None) -> QSortFilterProxyModel:
    """A proxy over `model` that sorts by SORT_ROLE (for a view with sorting enabled)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


class RowTableModel(QAbstractTableModel):
    def __init__(self, headers: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.headers = headers  # msgids, translated when shown
        self.rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _(self.headers[section])  # the tooltip: the whole title of a column too narrow for it
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return bidi_cell(self.cell(row, index.column()))
        if role == SORT_ROLE:
            return self.sort_key(row, index.column())
        return None

    def cell(self, row, column: int):
        raise NotImplementedError

    def sort_key(self, row, column: int):
        return self.cell(row, column)


class RowListModel(RowTableModel):
    """One line per row (`text(row)`), for a QListView (which shows column 0)."""

    def __init__(self, parent=None):
        super().__init__(("",), parent)

    def cell(self, row, column: int):
        return self.text(row)

    def text(self, row) -> str:
        raise NotImplementedError


class ChoiceListModel(QAbstractListModel):
    """Options `(code, msgid)` with a check box each; `chosen()` lists the ticked codes in option
    order, `chosen_changed` fires when a tick changes; `text(msgid)` makes what a line shows."""

    chosen_changed = Signal(list)

    def __init__(self, options, chosen=(), text: Callable[[str], str] = _, parent=None):
        super().__init__(parent)
        self.options = [(code, msgid) for code, msgid in options]
        self._ticked = {code for code, _m in self.options if code in set(chosen or ())}
        self._text = text

    def set_options(self, options, chosen=()) -> None:
        self.beginResetModel()
        self.options = [(code, msgid) for code, msgid in options]
        self._ticked = {code for code, _m in self.options if code in set(chosen or ())}
        self.endResetModel()

    def set_text(self, text: Callable[[str], str]) -> None:
        self._text = text
        if self.options:
            self.dataChanged.emit(self.index(0), self.index(len(self.options) - 1), [Qt.ItemDataRole.DisplayRole])

    def chosen(self) -> list:
        return [code for code, _m in self.options if code in self._ticked]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.options)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        code, msgid = self.options[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(msgid)
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if code in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return code
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        code = self.options[index.row()][0]
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked
        if ticked == (code in self._ticked):
            return True
        (self._ticked.add if ticked else self._ticked.discard)(code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.chosen_changed.emit(self.chosen())
        return True
