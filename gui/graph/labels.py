"""Actor names on the graph: one item that writes them all, above everything.

A few hundred names written where their nodes are make an unreadable block,
and names in scene units shrink with the view until they are a few pixels
high. So the names are placed afresh at each paint, in screen pixels: the
most important first (the highlighted actors, the one under the pointer,
then by events in the window), each in a size that grows with its
importance, right of its node, or left, above or below it when that side
is taken or would be cut at the panel's edge; a name with no free side is
left out (hover a node to see it). In a graph of a few dozen nodes names
also keep clear of the other nodes. The item sits above the nodes and edges.
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
NODES_BLOCK_NAMES = 80  # on-screen nodes; up to this a name never covers another node's disc


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

    def _levels(self, order: np.ndarray) -> np.ndarray:
        """Each candidate's size step (an index into SIZES_PX), by its importance."""
        peak = max(float(self.importance[order].max()), 1.0)
        steps = np.sqrt(np.maximum(self.importance[order], 0) / peak) * len(SIZES_PX)
        return np.clip(steps.astype(int), 0, len(SIZES_PX) - 1)

    def name_sizes_px(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(actor indices, widths, heights) of the shown names as they are
        painted, in pixels: the room a fitted view leaves beside the nodes."""
        order = self._order()
        if not len(order):
            return order, np.zeros(0), np.zeros(0)
        level = self._levels(order)
        heights = np.array([m.height() for _, m in self._fonts])[level]
        return order, self._name_widths(order, level), heights

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
        level = self._levels(order)
        w = self._name_widths(order, level)
        h = np.array([m.height() for _, m in self._fonts])[level]
        x = dev_x + self.radii[order] * scale + 3
        y = dev_y - h / 2
        on_screen = np.flatnonzero((x <= width) & (y <= height) & (x + w >= 0) & (y + h >= 0))
        spots = self._spots(order[on_screen], dev_x[on_screen], dev_y[on_screen], w[on_screen], h[on_screen],
                            scale, width, height)
        painter.save()
        painter.resetTransform()
        backdrop = QColor(self.palette.background)
        backdrop.setAlpha(190)
        has_lit = len(self.lit) > 0
        for j, px, py in spots:
            k = int(on_screen[j])
            i = int(order[k])
            rect = QRectF(px, py, float(w[k]), float(h[k]))
            font, metrics = self._fonts[int(level[k])]
            painter.fillRect(rect.adjusted(-1, 0, 1, 0), backdrop)
            colour = QColor(self.palette.highlight if has_lit and self.lit[i] == 1 else self.palette.foreground)
            if has_lit and self.lit[i] == 0:
                colour.setAlpha(110)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(rect.x(), rect.y() + metrics.ascent()), self.names[i])
            self.placed.append((self.names[i], rect, SIZES_PX[int(level[k])]))
        painter.restore()

    def _spots(self, who, cx, cy, w, h, scale, width, height) -> list[tuple[int, float, float]]:
        """Where each candidate (in order, most important first; ``who`` their
        actor indices, centred at pixel ``cx, cy``) writes its name: (its
        position in the candidates, x, y). Right of its node when that side is
        free and inside the panel, else left of it, above or below; a
        candidate with no free side inside the panel is left out (a name is
        never cut at its edge, "Manhunt (law enforc" is no name; hovering the
        node shows it). The pointed-at name always shows, on its first side
        inside the panel.

        Every side of every candidate is a box of the occupancy grid's cells
        (CELL_PX, with PAD_PX around it); two names clash when their boxes
        share a cell. Only a few dozen names are written among a thousand
        tried, so each written name strikes out, in one numpy pass, the sides
        of later candidates it clashes with: the next name written is the
        next candidate with a side left."""
        n = len(who)
        if not n:
            return []
        reach = self.radii[who] * scale + 3
        sx = np.stack([cx + reach, cx - reach - w, cx - w / 2, cx - w / 2], axis=1)
        sy = np.stack([cy - h / 2, cy - h / 2, cy - reach - h - 2, cy + reach + 2], axis=1)
        wide, high = w[:, None], h[:, None]
        inside = (sx >= 0) & (sy >= 0) & (sx + wide <= width) & (sy + high <= height)
        c0 = np.maximum(np.floor((sx - PAD_PX) / CELL_PX), 0)
        c1 = np.floor((sx + wide + PAD_PX) / CELL_PX) + 1
        r0 = np.maximum(np.floor((sy - PAD_PX) / CELL_PX), 0)
        r1 = np.floor((sy + high + PAD_PX) / CELL_PX) + 1
        free = inside & ~self._on_discs(who, cx, cy, sx, sy, wide, high, scale)
        spots, start = [], 0
        if self.hovered is not None and who[0] == self.hovered:  # first in the order
            side = int(np.argmax(inside[0])) if inside[0].any() else 0
            free[0] = False
            free[0, side] = True
        while start < n:
            left = np.flatnonzero(free[start:].any(axis=1))
            if not len(left):
                break
            j = start + int(left[0])
            side = int(np.argmax(free[j]))
            spots.append((j, float(sx[j, side]), float(sy[j, side])))
            start = j + 1
            a0, a1, b0, b1 = c0[j, side], c1[j, side], r0[j, side], r1[j, side]
            later = slice(start, n)
            free[later] &= ~((c0[later] < a1) & (a0 < c1[later]) & (r0[later] < b1) & (b0 < r1[later]))
        return spots

    def _on_discs(self, who, cx, cy, sx, sy, wide, high, scale) -> np.ndarray:
        """Per candidate and side: the box covers another shown node's disc.
        A few nodes on screen keep their discs clear of names (a name over a
        node hides it); among many, names go where they fit among names only,
        or hardly any would show."""
        if len(who) > NODES_BLOCK_NAMES:
            return np.zeros(sx.shape, bool)
        r = self.radii[who] * scale
        x0, y0, x1, y1 = cx - r, cy - r, cx + r, cy + r
        # candidates x sides x discs
        hit = ((x0 < (sx + wide)[..., None]) & (x1 > sx[..., None]) & (y0 < (sy + high)[..., None]) & (y1 > sy[..., None]))
        hit &= who[:, None, None] != who[None, None, :]
        return hit.any(axis=2)
