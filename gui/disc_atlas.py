"""Rendered discs kept on one pixmap, for stamping many markers in one call.

The timeline's event markers and the graph's nodes are discs of a few
looks (colour, outline, size in pixels) drawn thousands of times a frame.
Each look is rendered once, antialiased, onto one atlas pixmap, and a paint
hands Qt pieces of it (``batch_paint.draw_fragments``): one call for every
disc of a frame, in the order given, which is what lets the graph draw its
nodes biggest first across looks.

A new look is drawn into the free space after the others; the atlas grows
(doubling its height) until MAX_PX tall. When the looks asked for would not
fit, it starts afresh with only those, and when even they do not fit it says
so (``spots`` returns None) and the caller draws its discs one by one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPixmap

WIDTH = 1024  # pixels
MAX_PX = 4096  # the atlas's height at most
MAX_LOOKS = 4000  # kept before it is started afresh
FIRST_PX = 64  # the height it starts with


class DiscAtlas:
    """``render(painter, key, centre)`` draws the disc of a look, with its own
    pen and brush, centred on ``centre`` (the painter is antialiased and in
    device-independent pixels)."""

    def __init__(self, render: Callable[[QPainter, Hashable, QPointF], None]):
        self._render = render
        self.pixmap: QPixmap | None = None
        self._spots: dict[Hashable, tuple[float, float, float]] = {}  # key -> left, top, side
        self._ratio = 1.0
        self._x = self._y = self._row_h = 0  # where the next disc goes, and the open row's height

    def forget(self) -> None:
        """Render every look afresh when next asked (its colours changed)."""
        self.pixmap, self._spots = None, {}

    def spots(self, keys: Sequence[Hashable], sides: Sequence[int], ratio: float) -> np.ndarray | None:
        """(left, top, side) on ``pixmap`` of each look (distinct ``keys``, each
        disc ``side`` pixels square with room for its outline), rendering those
        it lacks; None when they do not fit on one atlas."""
        if ratio != self._ratio:
            self.pixmap, self._spots, self._ratio = None, {}, ratio
        missing = [(k, s) for k, s in zip(keys, sides) if k not in self._spots]
        if missing or self.pixmap is None:
            if len(self._spots) + len(missing) > MAX_LOOKS or not self._add(missing):
                self.pixmap, self._spots = None, {}
                if not self._add(list(zip(keys, sides))):
                    self.pixmap, self._spots = None, {}
                    return None
        return np.array([self._spots[k] for k in keys], dtype=np.float64).reshape(-1, 3)

    def _add(self, discs: list[tuple[Hashable, int]]) -> bool:
        """Place and draw ``discs`` after those already on the atlas; False
        (the atlas unchanged) when they would make it taller than MAX_PX."""
        if self.pixmap is None:
            self._x = self._y = self._row_h = 0
        x, y, row_h = self._x, self._y, self._row_h
        placed = []
        for key, side in discs:
            side = int(side)
            if x + side > WIDTH:
                x, y, row_h = 0, y + row_h, 0
            placed.append((key, side, x, y))
            x, row_h = x + side, max(row_h, side)
        if not placed:
            return True
        if y + row_h > MAX_PX:
            return False
        self._grow(y + row_h)
        p = QPainter(self.pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for key, side, left, top in placed:
            self._render(p, key, QPointF(left + side / 2, top + side / 2))
            self._spots[key] = (float(left), float(top), float(side))
        p.end()
        self._x, self._y, self._row_h = x, y, row_h
        return True

    def _grow(self, height: int) -> None:
        """A pixmap at least ``height`` tall, keeping what is drawn on it."""
        have = self.pixmap.height() / self._ratio if self.pixmap is not None else 0
        if height <= have:
            return
        tall = max(FIRST_PX, 2 * int(have))
        while tall < height:
            tall *= 2
        tall = min(tall, MAX_PX)
        grown = QPixmap(int(WIDTH * self._ratio), int(math.ceil(tall * self._ratio)))
        grown.setDevicePixelRatio(self._ratio)
        grown.fill(Qt.GlobalColor.transparent)
        if self.pixmap is not None:
            p = QPainter(grown)
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            p.drawPixmap(0, 0, self.pixmap)
            p.end()
        self.pixmap = grown
