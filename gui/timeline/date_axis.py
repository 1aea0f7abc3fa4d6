"""A date axis cheap enough to redraw every frame, readable from decades to seconds.

``pyqtgraph.DateAxisItem`` walks its zoom levels in Python and builds a
``datetime`` per candidate tick, which costs 10-16 ms a frame at spans of
years: most of a frame's budget. Here the step is picked from a fixed ladder
in a few comparisons and the ticks of a step are one numpy ``arange`` over
calendar units (``datetime64`` years, months or seconds), so a pan costs
well under a millisecond. Results are kept per range and width, and labels
per tick, so a repaint without a change costs nothing. Times are UTC, like
every bound Threadline stores.

The axis paints itself (see ``DateAxis``). Grid lines are drawn as one
image one pixel high, stretched over the plot:
Qt's software rasteriser fills a vertical line span by span, so ninety
translucent grid lines 800 pixels tall cost 10-15 ms as lines and under one
as an image.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QImage, QPaintEngine, QPainter, QTransform

from ..safe_paint import guarded_paint

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY = 86400
YEAR_S = 365.2425 * DAY
MONTH_S = YEAR_S / 12


@dataclass(frozen=True)
class Step:
    unit: str  # "Y", "M", "D" (days within a month) or "s"
    count: int
    seconds: float  # typical length, to compare with pixels
    label_px: int  # how wide its labels are, roughly

    @property
    def is_time(self) -> bool:
        return self.unit == "s"


def _ladder() -> list[Step]:
    steps = [Step("Y", n, n * YEAR_S, 44) for n in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)]
    steps += [Step("M", n, n * MONTH_S, 66) for n in (6, 3, 1)]
    steps += [Step("D", n, n * DAY, 52) for n in (15, 10, 5, 2, 1)]
    steps += [Step("s", n, n, 44) for n in (12 * 3600, 6 * 3600, 3 * 3600, 3600, 1800, 900, 600, 300, 60, 30, 15, 10, 5, 1)]
    return steps


LADDER = _ladder()  # coarsest first
MIN_LABEL_GAP = 28  # pixels between neighbouring labels
MIN_MINOR_PX = 14  # minor ticks (grid lines only) at least this far apart


def pick_steps(span_s: float, size_px: float) -> tuple[Step, Step | None]:
    """The finest step whose labels do not collide, and a finer one for grid lines."""
    px_per_s = size_px / max(span_s, 1e-9)
    major = LADDER[0]
    for step in LADDER:
        if step.seconds * px_per_s < step.label_px + MIN_LABEL_GAP:
            break
        major = step
    minor = None
    for step in LADDER[LADDER.index(major) + 1:]:
        if step.seconds * px_per_s < MIN_MINOR_PX:
            break
        if _divides(step, major):
            minor = step
    return major, minor


def _divides(fine: Step, coarse: Step) -> bool:
    """Whether every coarse tick is also a fine tick (so grid lines nest). Finer
    calendar units always start where coarser ones do (month starts are day-1
    ticks, day starts are whole hours); within one unit the counts must divide."""
    if fine.unit == coarse.unit:
        return coarse.count % fine.count == 0
    return True


def tick_seconds(step: Step, lo: float, hi: float) -> np.ndarray:
    """Every tick of ``step`` in [lo, hi], as seconds since 1970 UTC."""
    if hi < lo:
        lo, hi = hi, lo
    lo, hi = max(lo, -62_135_596_800.0), min(hi, 253_402_300_799.0)  # years 1 to 9999
    if hi <= lo:
        return np.zeros(0)
    if step.is_time:
        first = np.ceil(lo / step.count) * step.count
        return np.arange(first, hi + 1e-9, step.count, dtype=np.float64)
    if step.unit in ("Y", "M"):
        unit = f"datetime64[{step.unit}]"
        a = int(np.floor(_seconds_to(lo, step.unit)))
        b = int(np.floor(_seconds_to(hi, step.unit)))
        a -= a % step.count if step.unit == "M" else (a + 1970) % step.count
        units = np.arange(a, b + 1, step.count)
        secs = units.astype(unit).astype("datetime64[s]").astype(np.int64).astype(np.float64)
        return secs[(secs >= lo) & (secs <= hi)]
    return _day_ticks(step.count, lo, hi)


def _seconds_to(seconds: float, unit: str) -> float:
    """Whole calendar units (since 1970) before an instant."""
    t = np.datetime64(int(np.floor(seconds)), "s")
    return float(t.astype(f"datetime64[{unit}]").astype(np.int64))


def _day_ticks(count: int, lo: float, hi: float) -> np.ndarray:
    """Days 1, 1 + count, ... of each month, skipping one that would crowd the next 1st."""
    m0 = int(_seconds_to(lo, "M"))
    m1 = int(_seconds_to(hi, "M"))
    months = np.arange(m0, m1 + 1).astype("datetime64[M]")
    starts = months.astype("datetime64[D]").astype(np.int64)
    lengths = (months + 1).astype("datetime64[D]").astype(np.int64) - starts
    offsets = np.arange(0, 31, count)
    days = starts[:, None] + offsets[None, :]
    keep = offsets[None, :] <= lengths[:, None] - max(count * 0.6, 1)
    secs = days[keep].astype(np.float64) * DAY
    return np.sort(secs[(secs >= lo) & (secs <= hi)])


def labels(step: Step, values) -> list[str]:
    """Readable UTC labels; times carry the date where the day changes and at the first tick."""
    if not len(values):
        return []
    t = np.asarray(values, dtype=np.float64).astype(np.int64).astype("datetime64[s]")
    years = t.astype("datetime64[Y]").astype(np.int64) + 1970
    months = t.astype("datetime64[M]").astype(np.int64) % 12
    days = (t.astype("datetime64[D]") - t.astype("datetime64[M]")).astype(np.int64) + 1
    secs = (t - t.astype("datetime64[D]")).astype(np.int64)
    out = []
    for i, (y, m, d, s) in enumerate(zip(years.tolist(), months.tolist(), days.tolist(), secs.tolist())):
        if step.unit == "Y":
            out.append(str(y))
        elif step.unit == "M":
            out.append(f"{MONTHS[m]} {y}" if m == 0 or i == 0 else MONTHS[m])
        elif step.unit == "D":
            out.append(f"{d} {MONTHS[m]} {y}" if (m == 0 and d == 1) or i == 0 else f"{d} {MONTHS[m]}")
        else:
            clock = f"{s // 3600:02d}:{s // 60 % 60:02d}" + (f":{s % 60:02d}" if step.count < 60 else "")
            out.append(f"{d} {MONTHS[m]} {y} {clock}" if s == 0 or i == 0 else clock)
    return out


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
