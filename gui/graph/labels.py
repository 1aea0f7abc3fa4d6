"""Actor names on the graph: one item that writes them all, above everything.

A few hundred names written where their nodes are make an unreadable block,
and names in scene units shrink with the view until they are a few pixels
high. So the names are placed afresh at each paint, in screen pixels: the
most important first (the highlighted actors, the one under the pointer,
then by events in the window), each in a size that grows with its
importance, and a name that would overlap one already placed is left out
(hover a node to see it). A name is written right of its node, or left of
it where it would run past the view's right edge, and whole or not at all.
The item sits above the nodes and edges.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainterPath
from PySide6.QtWidgets import QGraphicsItem

CELL_PX = 4  # the occupancy grid's resolution
SIZES_PX = (11.0, 12.5, 14.5, 17.0)  # font pixel sizes, least to most important
MAX_CANDIDATES = 1500  # names tried per paint, most important first
PAD_PX = 2


class LabelsItem(QGraphicsItem):
    def __init__(self, palette):
        super().__init__()
        self.palette = palette
        self.setZValue(30)
        self.setAcceptedMouseButtons(self.acceptedMouseButtons().NoButton)
        self.names: list[str] = []
        self.positions = np.zeros((0, 2))
        self.radii = np.zeros(0)
        self.shown = np.zeros(0, bool)
        self.importance = np.zeros(0)
        self.lit = np.zeros(0, np.int8)  # -1 nothing selected, 0 dimmed, 1 highlighted
        self.hovered: int | None = None
        self.placed: list[tuple[str, QRectF, float]] = []  # (name, rect in device pixels, pixel size) of the last paint
        self._fonts = []
        for px in SIZES_PX:
            font = QFont()
            font.setPixelSize(int(round(px)))
            self._fonts.append((font, QFontMetricsF(font)))
        self._width_table = np.zeros((len(SIZES_PX), 0))  # name widths per size, NaN until measured
        self._bounds = QRectF()

    def set_nodes(self, names, positions, radii, shown, importance, lit) -> None:
        self.prepareGeometryChange()
        if names is not self.names:
            self._width_table = np.zeros((len(SIZES_PX), 0))
        self.names, self.positions, self.radii, self.shown = names, positions, radii, shown
        self.importance, self.lit = np.asarray(importance, np.float64), lit
        pts = positions[shown] if len(shown) and len(positions) else np.zeros((0, 2))
        if len(pts):
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            # names reach right of their nodes by a width that depends on the zoom;
            # padded on every side alike, so the scene (and a fitted view) stays
            # centred on the nodes
            pad = max(float((hi - lo).max()) * 0.5, 200.0)
            self._bounds = QRectF(lo[0] - pad, lo[1] - pad, hi[0] - lo[0] + 2 * pad, hi[1] - lo[1] + 2 * pad)
        else:
            self._bounds = QRectF()
        self.update()

    def set_hovered(self, index: int | None) -> None:
        if index != self.hovered:
            self.hovered = index
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: a click or drag is for the node or edge under the name

    def contains(self, _point) -> bool:
        return False

    def _order(self) -> np.ndarray:
        shown = np.flatnonzero(self.shown[: len(self.positions)])
        if not len(shown):
            return shown
        imp = self.importance[shown]
        lit = self.lit[shown] if len(self.lit) == len(self.shown) else np.full(len(shown), -1)
        hover = shown == (-1 if self.hovered is None else self.hovered)
        # the pointed-at name first, then highlighted ones, then by importance; dimmed ones last
        order = np.lexsort((shown, -imp, lit == 0, lit != 1, ~hover))
        return shown[order][:MAX_CANDIDATES]

    def _name_widths(self, order: np.ndarray, level: np.ndarray) -> np.ndarray:
        """Each candidate's name width in its size (measured once per name and size)."""
        if self._width_table.shape[1] != len(self.names):
            self._width_table = np.full((len(SIZES_PX), len(self.names)), np.nan)
        widths = self._width_table[level, order]
        for k in np.flatnonzero(np.isnan(widths)).tolist():
            i, lv = int(order[k]), int(level[k])
            widths[k] = self._width_table[lv, i] = self._fonts[lv][1].horizontalAdvance(self.names[i])
        return widths

    def paint(self, painter, option, widget=None):
        self.placed = []
        order = self._order()
        if not len(order):
            return
        t = painter.transform()
        device = painter.device()
        width, height = (device.width(), device.height()) if device is not None else (4000, 4000)
        scale = math.hypot(t.m11(), t.m12())
        xy = self.positions[order]
        dev_x = xy[:, 0] * t.m11() + xy[:, 1] * t.m21() + t.dx()
        dev_y = xy[:, 0] * t.m12() + xy[:, 1] * t.m22() + t.dy()
        peak = max(float(self.importance[order].max()), 1.0)
        level = np.clip((np.sqrt(np.maximum(self.importance[order], 0) / peak) * len(SIZES_PX)).astype(int), 0, len(SIZES_PX) - 1)
        grid = np.zeros((height // CELL_PX + 2, width // CELL_PX + 2), bool)
        # every candidate's box at once; the loop below only places them
        w = self._name_widths(order, level)
        h = np.array([m.height() for _, m in self._fonts])[level]
        reach = self.radii[order] * scale + 3
        x = dev_x + reach
        # a name that would run past the right edge (a node near it, after a
        # zoom) is written left of its node, where it fits
        left = dev_x - reach - w
        x = np.where((x + w > width) & (left >= 0), left, x)
        y = dev_y - h / 2
        # only whole names: one cut at the view's edge reads as another name
        # (the pointed-at one is written whatever the room, as it always was)
        inside = (x >= 0) & (y >= 0) & (x + w <= width) & (y + h <= height)
        hovered = order == (-1 if self.hovered is None else self.hovered)
        partly = (x <= width) & (y <= height) & (x + w >= 0) & (y + h >= 0)
        on_screen = np.flatnonzero(inside | (hovered & partly))
        c0 = np.maximum((x - PAD_PX) // CELL_PX, 0).astype(np.int64)
        r0 = np.maximum((y - PAD_PX) // CELL_PX, 0).astype(np.int64)
        c1 = ((x + w + PAD_PX) // CELL_PX).astype(np.int64) + 1
        r1 = ((y + h + PAD_PX) // CELL_PX).astype(np.int64) + 1
        painter.save()
        painter.resetTransform()
        backdrop = QColor(self.palette.background)
        backdrop.setAlpha(190)
        has_lit = len(self.lit) > 0
        for k in on_screen.tolist():
            i = int(order[k])
            rows, cols = slice(int(r0[k]), int(r1[k])), slice(int(c0[k]), int(c1[k]))
            if grid[rows, cols].any() and i != self.hovered:
                continue  # a more important name is there: this one shows on hover
            grid[rows, cols] = True
            font, metrics = self._fonts[int(level[k])]
            rect = QRectF(float(x[k]), float(y[k]), float(w[k]), float(h[k]))
            painter.fillRect(rect.adjusted(-1, 0, 1, 0), backdrop)
            colour = QColor(self.palette.highlight if has_lit and self.lit[i] == 1 else self.palette.foreground)
            if has_lit and self.lit[i] == 0:
                colour.setAlpha(110)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(float(x[k]), float(y[k]) + metrics.ascent()), self.names[i])
            self.placed.append((self.names[i], rect, SIZES_PX[int(level[k])]))
        painter.restore()
