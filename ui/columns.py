"""Column widths that keep every column of a table on screen: texts elide, one column takes what is left.

`fit_columns(view, stretch=…)` sizes the columns of a QTableView once: each column wants the width of its
header and of the rows on screen (capped, so a 360-character name never widens its column); when they want
more than the viewport, columns give way in the order given (the stretch column last, before the rest
shrink evenly), each down to a floor (the floors shrink alike when even they do not fit, except for the
columns to `keep` whole, such as a case number; `optional` columns are hidden while even the floors do
not fit, their texts being in the row's tooltip); when they want less, the stretch column takes the rest.
`keep_fitted(view, …)` does it again whenever the viewport's width or the rows change. A hidden view is
not fitted (Qt would measure every row of it, not the rows on screen); it is fitted when it is shown. Used
by the tables beside the case view (1366 px leave them about 600) and the course planning table, where a
horizontal scroll bar would hide the outcome or status of a row. `select_row(view, row)` selects a whole
row in either layout direction
(QTableView.selectRow selects nothing in a right-to-left layout: it looks for a column at x = width).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

FLOOR_CHARS = 6  # a column shows at least this many average characters (and its ellipsis) unless told
MIN_WIDTH = 24  # the narrowest any column gets: an ellipsis and a letter
CAP_SHARE = 0.45  # no column wants more than this share of the viewport unless told


def text_width(view: QTableView, text: str) -> int:
    """Width of a cell showing `text` in the view's font, padding included."""
    return view.fontMetrics().horizontalAdvance(text) + 2 * view.style().pixelMetric(
        view.style().PixelMetric.PM_FocusFrameHMargin, None, view) + 8


def fit_columns(view: QTableView, stretch: int, give_way: Sequence[int] = (),
                floors: Mapping[int, int] | None = None, caps: Mapping[int, int] | None = None,
                keep: Sequence[int] = (), optional: Sequence[int] = ()) -> list[int]:
    """Size the columns of `view` to its viewport (see the module docstring); returns the widths.
    The `optional` columns are hidden, in their order, while the others' floors do not fit beside them."""
    header = view.horizontalHeader()
    model = view.model()
    n = model.columnCount() if model is not None else 0
    if not n or not view.isVisible():  # hidden, Qt measures every row (8.8 s at 20,000): fit when shown
        return []
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    header.setResizeContentsPrecision(0)  # the rows on screen, not all 20,000
    avail = view.viewport().width()
    caps = caps or {}
    floors = floors or {}
    default_floor = view.fontMetrics().averageCharWidth() * FLOOR_CHARS + 12
    if optional:
        for c in optional:
            header.setSectionHidden(c, False)
        hints = {c: min(max(view.sizeHintForColumn(c), header.sectionSizeHint(c)),
                        caps.get(c, int(avail * CAP_SHARE))) for c in range(n)}
        lows = {c: hints[c] if c in keep else floors.get(c, min(default_floor, hints[c])) for c in range(n)}
        shown = set(range(n))
        for c in optional:
            if sum(lows[x] for x in shown) <= avail:
                break
            shown.discard(c)
            header.setSectionHidden(c, True)
    want, floor = [], []
    for c in range(n):
        if header.isSectionHidden(c):
            want.append(0)
            floor.append(0)
            continue
        w = min(max(view.sizeHintForColumn(c), header.sectionSizeHint(c)), caps.get(c, int(avail * CAP_SHARE)))
        f = floors[c] if c in floors else min(default_floor, w)
        want.append(max(w, f))
        floor.append(want[c] if c in keep else f)
    low = sum(f for c, f in enumerate(floor) if c not in keep)
    room = avail - sum(floor[c] for c in keep if c < n)
    if low > room > 0:  # a narrow table: the floors shrink alike (the columns in `keep` never elide)
        for c in range(n):
            if c not in keep:
                floor[c] = max(MIN_WIDTH, floor[c] * room // low)
    widths = list(want)
    deficit = sum(widths) - avail
    order = [c for c in give_way if c < n] + ([stretch] if stretch not in give_way else [])
    for c in order:
        if deficit <= 0:
            break
        give = min(deficit, max(widths[c] - floor[c], 0))
        widths[c] -= give
        deficit -= give
    if deficit > 0:  # the rest give way evenly, each down to its floor
        rest = [c for c in range(n) if widths[c] > floor[c]]
        while deficit > 0 and rest:
            share = max(deficit // len(rest), 1)
            for c in list(rest):
                give = min(share, widths[c] - floor[c], deficit)
                widths[c] -= give
                deficit -= give
                if widths[c] <= floor[c]:
                    rest.remove(c)
                if deficit <= 0:
                    break
    elif deficit < 0 and 0 <= stretch < n:
        widths[stretch] -= deficit  # the room left over
    for c, w in enumerate(widths):
        if not header.isSectionHidden(c):
            header.resizeSection(c, w)
    return widths


class _Fitter(QObject):
    """Fits the columns again when the viewport's width or the model's rows change (coalesced)."""

    def __init__(self, view: QTableView, kwargs: dict):
        super().__init__(view)
        self.view = view
        self.kwargs = kwargs
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.fit)
        view.viewport().installEventFilter(self)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setWordWrap(False)
        view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged,
                       model.dataChanged):
            signal.connect(self.timer.start)

    def fit(self) -> None:
        fit_columns(self.view, **self.kwargs)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False


def keep_fitted(view: QTableView, stretch: int, give_way: Sequence[int] = (),
                floors: Mapping[int, int] | None = None, caps: Mapping[int, int] | None = None,
                keep: Sequence[int] = (), optional: Sequence[int] = ()) -> None:
    """Fit the columns of `view` now and whenever its width or rows change (set the model first)."""
    fitter = _Fitter(view, {"stretch": stretch, "give_way": tuple(give_way), "floors": floors, "caps": caps,
                            "keep": tuple(keep), "optional": tuple(optional)})
    fitter.fit()


def select_row(view: QTableView, row: int) -> None:
    """Make `row` the current, selected row (what QTableView.selectRow does in a left-to-right layout)."""
    model = view.model()
    if model is None or not 0 <= row < model.rowCount():
        return
    header = view.horizontalHeader()
    column = next((c for c in range(model.columnCount()) if not header.isSectionHidden(c)), 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(model.index(row, column), flags)
