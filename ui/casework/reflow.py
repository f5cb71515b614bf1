"""Tab pages that fit a 1366 px laptop beside the case list: side-by-side boxes stack when narrow.

`SideBySide(first, second, wide=900)` shows two group boxes next to each other when it is at
least `wide` pixels wide and one above the other (scrolling) when narrower, so a tab never
asks the case view for the width of both boxes. Its minimum width is that of the stacked
layout; the direction follows every resize.

`WrappedLabel(text)` is a word-wrapped label never shorter than its wrapped text: in a
QFormLayout a label that wraps to two lines beside a one-line field got the field's height
and lost its second line (seen with longer translations, `x-pseudo`).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


class WrappedLabel(QLabel):
    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        need = self.heightForWidth(self.width())
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)


class SideBySide(QWidget):
    def __init__(self, first: QWidget, second: QWidget, wide: int = 900, parent=None):
        super().__init__(parent)
        self.wide = wide
        self.inner = QWidget()
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.inner)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(first, 1)
        self.box.addWidget(second, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.inner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.scroll)

    @property
    def side_by_side(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.LeftToRight

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - the stacked layout's width, a little height
        return QSize(min(self.inner.minimumSizeHint().width(), 480), 200)

    def resizeEvent(self, event) -> None:  # noqa: N802
        wanted = (QBoxLayout.Direction.LeftToRight if event.size().width() >= self.wide
                  else QBoxLayout.Direction.TopToBottom)
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
        super().resizeEvent(event)
