"""A bar chart painted with QPainter, for the steering figures on the statistics page.

PySide6-Essentials (the app's Qt) has no QtCharts, and the figures need little: grouped vertical bars,
one group per category (a month, an office), one bar per series (into work, into training, ...), a value
axis, a legend, and hidden counts drawn as the steering report draws them (app.steering_report): an
outlined, dashed bar of the threshold's height marked "< 5", so a reader never mistakes them for a number.
`BarChart.set_data(categories, series)` takes `[(name, [value, ...]), ...]` with ints, "< 5", or None for a
value that is not shown at all ("–", no bar).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.suppression import HIDDEN, THRESHOLD

PALETTE = ("#2f6f9f", "#e08a2c", "#4f9a58", "#a5517f", "#7a6fb8", "#8c8c8c")


def nice_top(n: int) -> int:
    """The axis maximum: four round steps (1, 2, 5 × 10^k each) that reach at least `n`."""
    step = 1
    while True:
        for f in (1, 2, 5):
            if 4 * f * step >= n:
                return 4 * f * step
        step *= 10


class BarChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, list]] = []
        self.empty_text = ""
        self.hidden_text = ""  # the legend of a dashed bar ("1 to 4, hidden")
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, 260)

    def set_data(self, categories: list[str], series: list[tuple[str, list]], empty_text: str = "") -> None:
        self.categories = list(categories)
        self.series = [(name, list(values)) for name, values in series]
        self.empty_text = empty_text
        self.update()

    def values(self) -> list:
        return [v for _n, vs in self.series for v in vs]

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = QFontMetrics(self.font())
        numbers = [v for v in self.values() if isinstance(v, int)]
        if not self.categories or not self.series:
            p.setPen(self.palette().placeholderText().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top = nice_top(max(numbers + [THRESHOLD]))
        legend_h = fm.height() + 6 if len(self.series) > 1 or HIDDEN in self.values() else 0
        left = fm.horizontalAdvance(str(top)) + 12
        n = len(self.categories)
        label_w = max(fm.horizontalAdvance(c) for c in self.categories)
        plot_w = self.width() - left - 10
        group_w = plot_w / n
        rotated = label_w + 6 > group_w
        if rotated:  # the first label hangs down to the left of its bar: room for it
            reach = min(label_w, 120) * 0.71 + fm.height() * 0.7
            left = max(left, int(reach - group_w / 2) + 4)
            plot_w = self.width() - left - 10
            group_w = plot_w / n
        bottom_h = (int(min(label_w, 120) * 0.72) + fm.height() + 4) if rotated else fm.height() + 8
        plot = QRectF(left, 8 + legend_h, plot_w, self.height() - bottom_h - 16 - legend_h)
        text = self.palette().text().color()
        # value axis with four grid lines
        for i in range(5):
            y = plot.bottom() - plot.height() * i / 4
            p.setPen(QPen(QColor("#d8dde3"), 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(text)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(round(top * i / 4)))
        # bars
        k = len(self.series)
        bar_w = group_w * 0.8 / k
        for ci, cat in enumerate(self.categories):
            x0 = plot.left() + ci * group_w + group_w * 0.1
            for si, (_name, values) in enumerate(self.series):
                v = values[ci] if ci < len(values) else 0
                color = QColor(PALETTE[si % len(PALETTE)])
                x = x0 + si * bar_w
                if v == HIDDEN:
                    h = plot.height() * (THRESHOLD - 1) / top
                    pen = QPen(color, 1, Qt.PenStyle.DashLine)
                    p.setPen(pen)
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRect(QRectF(x + 1, plot.bottom() - h, bar_w - 2, h))
                    label = HIDDEN
                elif v is None:  # not shown at all (a median of fewer than five): no bar
                    h, label = 0, "–"
                    p.setPen(text)
                    p.drawText(QRectF(x - 10, plot.bottom() - fm.height() - 1, bar_w + 20, fm.height()),
                               Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, label)
                    continue
                else:
                    h = plot.height() * int(v or 0) / top
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(color)
                    p.drawRect(QRectF(x + 1, plot.bottom() - h, bar_w - 2, h))
                    label = str(v) if v else ""
                if label and fm.horizontalAdvance(label) <= bar_w:
                    p.setPen(text)
                    p.drawText(QRectF(x - 10, plot.bottom() - h - fm.height() - 1, bar_w + 20, fm.height()),
                               Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, label)
            # category label
            p.setPen(text)
            name = cat if fm.horizontalAdvance(cat) <= 120 else fm.elidedText(cat, Qt.TextElideMode.ElideRight, 120)
            cx = plot.left() + ci * group_w + group_w / 2
            if rotated:
                p.save()
                p.translate(cx + fm.height() / 3, plot.bottom() + 6)
                p.rotate(-45)
                p.drawText(QRectF(-fm.horizontalAdvance(name), -fm.height(), fm.horizontalAdvance(name), fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
                p.restore()
            else:
                p.drawText(QRectF(cx - group_w / 2, plot.bottom() + 4, group_w, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, name)
        p.setPen(QPen(text, 1))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        # legend, and what a dashed bar means
        x = plot.left()
        for si, (name, _v) in enumerate(self.series if k > 1 else []):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(PALETTE[si % len(PALETTE)]))
            p.drawRect(QRectF(x, 6, 10, 10))
            p.setPen(text)
            p.drawText(QPointF(x + 14, 6 + fm.ascent() - 1), name)
            x += 14 + fm.horizontalAdvance(name) + 16
        if HIDDEN in self.values() and self.hidden_text:
            p.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            w = fm.horizontalAdvance(self.hidden_text)
            x = max(x, plot.right() - w - 14)
            p.drawRect(QRectF(x, 6, 10, 10))
            p.setPen(text)
            p.drawText(QPointF(x + 14, 6 + fm.ascent() - 1), self.hidden_text)
