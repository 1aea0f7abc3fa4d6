"""Zoomed in: real markers, bars, spans and connectors, drawn in batches.

Up to a few thousand pairs are visible in detail mode. Drawing them one by
one, with a QPen and QBrush made per pair, took tens of milliseconds; here
pairs are grouped by how they look (actor colour, certainty, shape,
highlight state) and each group is one ``drawRects`` or one
``drawPixmapFragments`` of a marker rendered once and kept.

What each shape means (see the README): a filled marker is confirmed, a
lighter one reported, a hollow one claimed, a red dashed outline contested;
an imprecise date is a faded span over all it may mean, never a point; a
stated duration is a bar.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from store.timeline_data import CERTAINTY_MASK, HAS_END, IMPRECISE

from ..batch_paint import draw_fragments, draw_lines, draw_rects
from ..disc_atlas import DiscAtlas
from .coverage import Shapes, opacity_weight, paint_coverage

CONFIRMED, REPORTED, CLAIMED, CONTESTED = range(4)
SPAN, BAR, MARKER = range(3)
PLAIN, DIMMED, LIT = range(3)  # highlight state: nothing selected / not selected / selected
CONTESTED_RED = "#C0392B"
RECT_LIMIT = 300  # wide shapes; above this their fills are summed into one image (coverage.py)


def _colour_ids(colours: list[QColor]) -> tuple[list[QColor], np.ndarray]:
    """The distinct colours, and each actor's index among them."""
    distinct: dict[int, int] = {}
    ids = np.array([distinct.setdefault(c.rgba(), len(distinct)) for c in colours], dtype=np.int64)
    by_id = {i: c for c in colours for i in [distinct[c.rgba()]]}
    return [by_id[i] for i in range(len(distinct))], ids


class DetailPainter:
    """Paints one detail frame; keeps rendered markers between frames."""

    def __init__(self, palette):
        self.palette = palette
        self._markers_atlas = DiscAtlas(self._render_marker)  # one disc per colour, certainty, state and size
        self._centres = None
        self._colour_ids_of = None
        self._colour_table = None
        self.last_marks: list[tuple] = []  # (left, top, right, bottom) arrays: the markers, spans and bars last drawn

    # ---------------------------------------------------------- styles
    def _colour(self, base: QColor, state: int) -> QColor:
        colour = QColor(base)
        if state == DIMMED:
            colour.setAlpha(55)
        return colour

    def _pen(self, colour: QColor, certainty: int, state: int) -> QPen:
        pen = QPen(colour.darker(130), 1.4)
        if certainty == CONTESTED:
            pen = QPen(QColor(CONTESTED_RED) if state != DIMMED else colour, 1.6, Qt.PenStyle.DashLine)
        if state == LIT:
            pen = QPen(self.palette.highlight, 2.4, pen.style())
        return pen

    def _brush(self, colour: QColor, certainty: int):
        if certainty not in (CONFIRMED, REPORTED):
            return Qt.BrushStyle.NoBrush
        fill = QColor(colour)
        if certainty == REPORTED:
            fill.setAlpha(int(fill.alpha() * 0.55))
        return QBrush(fill)

    def _render_marker(self, painter: QPainter, key: tuple, centre: QPointF) -> None:
        rgba, certainty, state, size = key
        colour = self._colour(QColor.fromRgba(rgba), state)
        painter.setPen(self._pen(colour, certainty, state))
        painter.setBrush(self._brush(colour, certainty))
        painter.drawEllipse(centre, size * 0.5, size * 0.5)

    # ---------------------------------------------------------- frame
    def paint(self, painter: QPainter, frame, ys, size: float, style, colours: list[QColor], hot, lanes=None,
              centres=None) -> None:
        """``colours`` by actor index; ``hot`` a bool per pair or None; ``lanes``
        (a ``coverage.LaneGeometry``) lets crowded fills be drawn as one image;
        ``centres`` (x, y per pair) puts markers elsewhere than the middle of
        their bounds on their lane (events of one day spread in its band)."""
        self.last_marks = []
        if not len(frame):
            return
        self._centres = centres
        self._paint_connectors(painter, frame, ys, hot)
        if lanes is not None:
            # shapes reaching past the edges are cut at them: an SVG export keeps no clip
            frame = dataclasses.replace(frame, x0=np.clip(frame.x0, -4, lanes.width + 4), x1=np.clip(frame.x1, -4, lanes.width + 4))
        span = frame.x1 - frame.x0
        kind = np.full(len(frame), MARKER, dtype=np.int64)
        kind[((style & HAS_END) != 0) & (span >= 3)] = BAR
        kind[((style & IMPRECISE) != 0) & (span >= 3)] = SPAN
        certainty = (style & CERTAINTY_MASK).astype(np.int64)
        state = np.full(len(frame), PLAIN, dtype=np.int64) if hot is None else np.where(hot, LIT, DIMMED)
        crowded = lanes is not None and int(((kind != MARKER) | (span >= size)).sum()) > RECT_LIMIT
        if crowded:
            self._coverage(painter, frame, kind, certainty, state, size, lanes)
        # one group per look; actors share their kind's colour, so there are few
        if self._colour_ids_of is not colours:  # one table per actor colour list, not per frame
            self._colour_ids_of, self._colour_table = colours, _colour_ids(colours)
        colour_ids, actor_colour = self._colour_table
        colour = actor_colour[frame.actor.astype(np.int64)]
        group = ((state * 3 + kind) * 4 + certainty) * (len(colour_ids) + 1) + colour
        # dimmed and plain groups first, so highlighted shapes end on top
        for g in np.unique(group).tolist():
            sel = np.flatnonzero(group == g)
            i = int(sel[0])
            args = (colour_ids[int(colour[i])], int(certainty[i]), int(state[i]))
            if kind[i] == MARKER:
                self._markers(painter, frame, ys, sel, size, *args, bands=not crowded)
            elif not crowded:
                self._rects(painter, frame, ys, sel, size, int(kind[i]), *args)

    def _coverage(self, painter, frame, kind, certainty, state, size, lanes) -> None:
        """Spans, bars and day bands as summed opacity per lane: no outlines,
        which in a crowd would only be noise."""
        dim = np.where(state == DIMMED, 55 / 255, 1.0)
        faint = np.isin(certainty, (CLAIMED, CONTESTED))
        alpha = np.where(kind == SPAN, np.where(faint, 0.12, 0.28),
                         np.where(kind == BAR, np.where(faint, 0.15, np.where(certainty == REPORTED, 0.55, 0.9)), 0.18))
        wide = (kind != MARKER) | ((frame.x1 - frame.x0) >= size)
        if self._centres is not None:
            # same-day events spread in one band: the band once per lane and day
            band = np.flatnonzero(wide & (kind == MARKER))
            key = np.c_[frame.row[band], np.round(frame.x0[band]), np.round(frame.x1[band])]
            first = np.unique(key, axis=0, return_index=True)[1]
            wide[band] = False
            wide[band[first]] = True
        weight = opacity_weight(alpha * dim)
        plain = wide & (state != LIT)
        layers = [Shapes(frame.x0[plain], frame.x1[plain], frame.row[plain], weight[plain])]
        lit = wide & (state == LIT)
        if lit.any():
            layers.append(Shapes(frame.x0[lit], frame.x1[lit], frame.row[lit], opacity_weight(np.full(int(lit.sum()), 0.5)),
                                 rgb=self.palette.highlight.rgb() & 0xFFFFFF))
        paint_coverage(painter, lanes, layers)

    def _rects(self, painter, frame, ys, sel, size, kind, base, certainty, state) -> None:
        colour = self._colour(base, state)
        pen = self._pen(colour, certainty, state)
        if kind == SPAN:
            # an uncertain date: a faded span over all it may mean, never a point
            faded = QColor(colour)
            faded.setAlpha(max(int(colour.alpha() * (0.12 if certainty in (CLAIMED, CONTESTED) else 0.28)), 14))
            painter.setPen(pen if certainty == CONTESTED or state == LIT else QPen(colour, 1.0, Qt.PenStyle.DotLine))
            painter.setBrush(faded)
            half = size * 0.45
        else:
            painter.setPen(pen)
            painter.setBrush(self._brush(colour, certainty))
            half = size * 0.35
        x0 = frame.x0[sel]
        draw_rects(painter, x0, ys[sel] - half, frame.x1[sel] - x0, np.full(len(sel), 2 * half))
        self.last_marks.append((x0, ys[sel] - half, frame.x1[sel], ys[sel] + half))

    def _markers(self, painter, frame, ys, sel, size, base, certainty, state, bands=True) -> None:
        x0, x1 = frame.x0[sel], frame.x1[sel]
        wide = np.flatnonzero((x1 - x0) >= size) if bands else np.zeros(0, np.int64)
        if len(wide):
            # zoomed in past the date's precision (a day at hour scale): show the
            # whole day it may mean, faintly, behind the marker
            colour = self._colour(base, state)
            band = QColor(colour)
            band.setAlpha(max(int(colour.alpha() * 0.18), 10))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(band)
            w = sel[wide]
            if self._centres is not None:
                # events spread within one day share one band: drawn once, not darker per event
                key = np.c_[np.round(frame.x0[w]), np.round(frame.x1[w]), np.round(ys[w])]
                w = w[np.unique(key, axis=0, return_index=True)[1]]
            draw_rects(painter, frame.x0[w], ys[w] - size * 0.45, frame.x1[w] - frame.x0[w], np.full(len(w), size * 0.9))
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        look = round(size, 1)
        # one small disc always fits on the atlas: a spot is always found
        (left, top, side), = self._markers_atlas.spots([(base.rgba(), certainty, state, look)], [int(np.ceil(look + 8))], ratio)
        cx, cy = (self._centres[0][sel], self._centres[1][sel]) if self._centres is not None else ((x0 + x1) * 0.5, ys[sel])
        draw_fragments(painter, self._markers_atlas.pixmap, cx, cy, left, top, side, side)
        r = size * 0.5
        self.last_marks.append((cx - r, cy - r, cx + r, cy + r))

    def _paint_connectors(self, painter, frame, ys, hot) -> None:
        """A vertical line through the lanes of each multi-actor event."""
        if len(frame) < 2:
            return
        order = np.argsort(frame.event, kind="stable")
        ev = frame.event[order]
        starts = np.flatnonzero(np.r_[True, ev[1:] != ev[:-1]])
        counts = np.diff(np.r_[starts, len(ev)])
        multi = counts > 1
        if not multi.any():
            return
        y_sorted = (ys if self._centres is None else self._centres[1])[order]
        top = np.minimum.reduceat(y_sorted, starts)[multi]
        bottom = np.maximum.reduceat(y_sorted, starts)[multi]
        first = order[starts[multi]]
        x = (frame.x0[first] + frame.x1[first]) * 0.5 if self._centres is None else self._centres[0][first]
        lit = np.zeros(len(first), bool) if hot is None else hot[first]
        for on in (False, True):
            pick = np.flatnonzero(lit == on)
            if not len(pick):
                continue
            colour = QColor(self.palette.highlight if on else self.palette.muted)
            if hot is not None and not on:
                colour.setAlpha(60)
            painter.setPen(QPen(colour, 2.0 if on else 1.0))
            draw_lines(painter, x[pick], top[pick], x[pick], bottom[pick])
