"""A date axis cheap enough to redraw every frame, readable from decades to seconds.

``pyqtgraph.DateAxisItem`` walks its zoom levels in Python and builds a
``datetime`` per candidate tick, which costs 10-16 ms a frame at spans of
years: most of a frame's budget. Here the steps and ticks come from
store/view_model/date_ticks.py (a few comparisons and one numpy ``arange``),
and results are kept per range and width, and labels per tick, so a repaint
without a change costs nothing.

The axis paints itself (see ``DateAxis``). Grid lines are drawn as one
image one pixel high, stretched over the plot:
Qt's software rasteriser fills a vertical line span by span, so ninety
translucent grid lines 800 pixels tall cost 10-15 ms as lines and under one
as an image.
"""

from __future__ import annotations


import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QImage, QPaintEngine, QPainter, QTransform

from store.view_model.date_ticks import Step, labels, pick_steps, tick_seconds

from ..safe_paint import guarded_paint


class DateAxis(pg.AxisItem):
    """A bottom axis of UTC dates (seconds since 1970) with nested grid ticks.

    It paints itself directly (pyqtgraph's generic axis records a QPicture of
    Point objects and measured rectangles first, a few ms a frame): grid
    lines as one stretched image, then the labels that fit without touching.
    """

    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, **kwargs)
        self._ticks_key = None
        self._ticks = None
        self._steps: dict[float, Step] = {}
        self._label_cache: dict[tuple, str] = {}
        self._widths: dict[str, float] = {}

    def tickValues(self, minVal, maxVal, size):
        key = (minVal, maxVal, size)
        if key != self._ticks_key:
            major, minor = pick_steps(abs(maxVal - minVal), size)
            majors = tick_seconds(major, minVal, maxVal)
            levels = [(major.seconds, majors.tolist())]
            self._steps = {major.seconds: major}
            if minor is not None:
                minors = tick_seconds(minor, minVal, maxVal)
                minors = minors[~np.isin(minors, majors)]
                levels.append((minor.seconds, minors.tolist()))
                self._steps[minor.seconds] = minor
            self._ticks_key, self._ticks = key, levels
        return self._ticks

    def tickStrings(self, values, scale, spacing):
        step = self._steps.get(spacing)
        if step is None or (len(self._steps) > 1 and spacing == min(self._steps)):
            return [""] * len(values)  # minor ticks: grid lines only
        key = (step, tuple(values))
        if key not in self._label_cache:
            if len(self._label_cache) > 256:
                self._label_cache.clear()
            self._label_cache[key] = labels(step, values)
        return list(self._label_cache[key])

    # ---------------------------------------------------------- painting
    @guarded_paint("date axis")
    def paint(self, p, opt, widget):
        if self.orientation != "bottom" or self._tickLevels is not None:
            super().paint(p, opt, widget)  # what this class does not specialise
            return
        bounds = self.mapRectFromParent(self.geometry())
        lo, hi = self.range
        if bounds.width() <= 0 or hi == lo:
            return
        levels = self.tickValues(lo, hi, bounds.width())
        scale = bounds.width() / (hi - lo)
        xs = [(np.asarray(values, dtype=np.float64) - lo) * scale + bounds.left() for _spacing, values in levels]
        p.save()
        self._paint_grid(p, bounds, xs)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(self.pen())
        p.drawLine(QPointF(bounds.left(), bounds.top()), QPointF(bounds.right(), bounds.top()))
        self._paint_labels(p, bounds, xs[0], self.tickStrings(levels[0][1], 1.0, levels[0][0]))
        p.restore()

    def _paint_grid(self, p, bounds, xs) -> None:
        top = bounds.top() - self.style["tickLength"] if self.grid is False else self._grid_top(bounds)
        colour = QColor(self.pen().color())
        row_width = int(np.ceil(bounds.width())) + 1
        row = np.zeros(row_width, dtype=np.uint32)
        for level, x in enumerate(xs):
            alpha = (int(self.grid) if self.grid is not False else 255) // (level + 1)
            value = _premultiplied(colour, alpha)
            cols = np.floor(x - bounds.left()).astype(np.int64)
            cols = cols[(cols >= 0) & (cols < row_width)]
            row[cols] = np.maximum(row[cols], value)
        if row.any():
            image = QImage(row.data, row_width, 1, row_width * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()
            rect = QRectF(bounds.left(), top, row_width, bounds.top() - top)
            engine = p.paintEngine()
            if engine is not None and engine.type() == QPaintEngine.Type.Raster:
                # on screen and in PNGs, the row as a texture repeated down the
                # plot: the same pixels as stretching it, at about 80% of the cost
                brush = QBrush(image)
                brush.setTransform(QTransform.fromTranslate(rect.left(), rect.top()))
                p.fillRect(rect, brush)
            else:
                # SVG and printers would write one tile per row: one stretched image.
                # Nearest-pixel stretching: smooth scaling blurs the lines.
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
                p.drawImage(rect, image)

    def _grid_top(self, bounds) -> float:
        view = self.linkedView()
        if view is None:
            return bounds.top()
        return view.mapRectToItem(self, view.boundingRect()).top()

    def _paint_labels(self, p, bounds, xs, strings) -> None:
        font = self.style["tickFont"] or p.font()
        p.setFont(font)
        p.setPen(self.textPen())
        metrics = QFontMetricsF(font)
        y = bounds.top() + self.style["tickTextOffset"][1] + metrics.ascent()
        gap, last_right = 6.0, -np.inf
        for x, text in zip(xs.tolist(), strings):
            if not text:
                continue
            width = self._widths.get(text)
            if width is None:
                width = self._widths[text] = metrics.horizontalAdvance(text)
                if len(self._widths) > 2048:
                    self._widths.clear()
            left = min(max(x - width / 2, bounds.left()), bounds.right() - width)
            if left < last_right + gap:
                continue  # would touch the previous label
            p.drawText(QPointF(left, y), text)
            last_right = left + width


def _premultiplied(colour: QColor, alpha: int) -> int:
    a = max(0, min(255, int(alpha * colour.alphaF())))
    return (a << 24) | ((colour.red() * a // 255) << 16) | ((colour.green() * a // 255) << 8) | (colour.blue() * a // 255)
