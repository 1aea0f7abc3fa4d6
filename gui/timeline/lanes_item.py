"""The swimlanes: one pyqtgraph item that paints every event in pixels.

One QGraphicsItem per event would cost kilobytes each and crawl at 100k, so
this single item paints from numpy arrays. Zoomed out, when more than
``DETAIL_LIMIT`` pairs are visible, it draws a per-lane density image (one
``drawImage``); zoomed in it draws real markers, bars, faded spans for
imprecise dates, connectors between the lanes of one event and titles where
they fit. Both modes count exactly the same pairs (see ``visible.py``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from store.timeline_data import CERTAINTY_MASK, HAS_END, IMPRECISE

from .visible import PairFrame, VisibleIndex, density_grid, frame_pairs

DETAIL_LIMIT = 3000  # pairs; above this the density image is drawn
LABEL_LIMIT = 400  # visible events; above this no titles are drawn
CONFIRMED, REPORTED, CLAIMED, CONTESTED = range(4)


class LanesItem(pg.GraphicsObject):
    """Paints the lanes of a ``Session`` for the view box it lives in."""

    sigEventClicked = Signal(object, object)  # event id or None, keyboard modifiers
    sigEventDoubleClicked = Signal(object)

    def __init__(self, session, palette):
        super().__init__()
        self.session = session
        self.palette = palette
        self.setAcceptHoverEvents(True)
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self._metrics = QFontMetricsF(self.font)
        self._title_cache: dict[int, str] = {}
        self._frame: PairFrame | None = None
        self._frame_rows: tuple[float, float] = (0.0, 1.0)  # pixel y of row 0 centre, pixels per row
        self.last_mode = "detail"
        self.last_grid: np.ndarray | None = None
        self.rebuild()

    # ---------------------------------------------------------- data
    def rebuild(self) -> None:
        """New data or new lane order: recompute the per-data tables."""
        data = self.session.data
        self.index = VisibleIndex(data)
        self._title_cache.clear()
        sel = self.session.selection
        id_to_index = data.actor_index()
        self.row_of_actor = np.full(data.n_actors, -1, dtype=np.int64)
        self.row_actor_ids: list[int] = []
        for actor_id in sel.lane_order or ():
            if actor_id in sel.hidden_lanes or actor_id not in id_to_index:
                continue
            self.row_of_actor[id_to_index[actor_id]] = len(self.row_actor_ids)
            self.row_actor_ids.append(actor_id)
        self.actor_colour = [
            self.palette.kind_colour(k, c) for k, c in zip(data.actor_kinds, data.actor_colours)
        ]
        self.row_colours = np.array(
            [self.actor_colour[id_to_index[a]].rgb() & 0xFFFFFF for a in self.row_actor_ids], dtype=np.uint32
        )
        self.prepareGeometryChange()
        self.update()

    @property
    def n_rows(self) -> int:
        return len(self.row_actor_ids)

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        if vb is None:
            return QRectF()
        return vb.viewRect()

    def viewRangeChanged(self):
        self.prepareGeometryChange()

    # ---------------------------------------------------------- paint
    def paint(self, painter: QPainter, *_):
        vb = self.getViewBox()
        if vb is None or self.n_rows == 0 or self.session.data.n_events == 0:
            return
        (x0, x1), (y0, y1) = vb.viewRange()
        to_device = painter.transform()
        left = to_device.map(QPointF(x0, 0)).x()
        right = to_device.map(QPointF(x1, 0)).x()
        width = max(int(round(right - left)), 1)
        row_y0 = to_device.map(QPointF(x0, 0.0)).y()
        row_step = to_device.map(QPointF(x0, 1.0)).y() - row_y0
        painter.save()
        painter.resetTransform()
        painter.translate(left, 0)
        self._frame_rows = (row_y0, row_step)
        self._origin = (left, x0, x1, width)
        first_row = max(int(np.floor(min(y0, y1))), 0)
        last_row = min(int(np.ceil(max(y0, y1))), self.n_rows - 1)
        frame = frame_pairs(
            self.index, self.row_of_actor, x0, x1, width, (first_row, last_row), self.session.filter_mask()
        )
        self._frame = frame
        self._paint_lane_bands(painter, width, first_row, last_row)
        highlight = self.session.highlight_mask()
        if len(frame) > DETAIL_LIMIT:
            self.last_mode = "density"
            self._paint_density(painter, frame, width, first_row, last_row, highlight)
        else:
            self.last_mode = "detail"
            self.last_grid = None
            self._paint_detail(painter, frame, highlight)
        painter.restore()

    def _row_centre(self, row) -> np.ndarray:
        y0, step = self._frame_rows
        return y0 + np.asarray(row, dtype=float) * step

    def _paint_lane_bands(self, painter, width, first_row, last_row):
        y0, step = self._frame_rows
        selected = self.session.selection.selected_actors
        painter.setPen(Qt.PenStyle.NoPen)
        for row in range(first_row, last_row + 1):
            top = y0 + (row - 0.5) * step
            if self.row_actor_ids[row] in selected:
                colour = QColor(self.palette.highlight)
                colour.setAlpha(45)
            elif row % 2:
                colour = self.palette.lane_alt
            else:
                continue
            painter.fillRect(QRectF(0, top, width, step), colour)

    def _paint_density(self, painter, frame, width, first_row, last_row, highlight):
        n = last_row - first_row + 1
        grid = density_grid(frame, n, width, first_row)
        self.last_grid = grid
        if highlight is not None:
            hot = highlight[frame.event]
            self._draw_grid(painter, grid - density_grid(frame, n, width, first_row, hot), first_row, alpha_scale=0.25)
            self._draw_grid(painter, density_grid(frame, n, width, first_row, hot), first_row, colour=self.palette.highlight)
        else:
            self._draw_grid(painter, grid, first_row)

    def _draw_grid(self, painter, grid, first_row, alpha_scale=1.0, colour: QColor | None = None):
        if not grid.any():
            return
        n, width = grid.shape
        # log-scaled opacity: one event is visible, a burst of thousands saturates
        alpha = np.where(grid > 0, 70 + 185 * np.log1p(grid) / np.log1p(max(int(grid.max()), 2)), 0)
        alpha = (np.clip(alpha, 0, 255) * alpha_scale).astype(np.uint32)
        if colour is not None:
            rgb = np.full((n, 1), colour.rgb() & 0xFFFFFF, dtype=np.uint32)
        else:
            rgb = self.row_colours[first_row : first_row + n].reshape(n, 1)
        argb = np.ascontiguousarray((alpha << 24) | rgb)
        image = QImage(argb.data, width, n, width * 4, QImage.Format.Format_ARGB32)
        y0, step = self._frame_rows
        top = y0 + (first_row - 0.35) * step
        painter.drawImage(QRectF(0, top, width, n * step - 0.3 * step), image)

    # ---------------------------------------------------------- detail
    def _paint_detail(self, painter, frame: PairFrame, highlight):
        if not len(frame):
            return
        data = self.session.data
        style = data.style[frame.event]
        ys = self._row_centre(frame.row)
        _, step = self._frame_rows
        size = float(np.clip(abs(step) * 0.5, 4, 12))
        hot = highlight[frame.event] if highlight is not None else None
        self._paint_connectors(painter, frame, ys, hot)
        order = np.arange(len(frame))
        if hot is not None:  # highlighted last, so they are on top
            order = np.concatenate([order[~hot], order[hot]])
        for i in order:
            self._paint_pair(painter, frame, int(i), float(ys[i]), size, int(style[i]), None if hot is None else bool(hot[i]))
        if frame.n_events <= LABEL_LIMIT:
            self._paint_titles(painter, frame, ys, size, hot)

    def _paint_connectors(self, painter, frame, ys, hot):
        """A vertical line through the lanes of each multi-actor event."""
        if len(frame) < 2:
            return
        order = np.argsort(frame.event, kind="stable")
        ev = frame.event[order]
        starts = np.flatnonzero(np.r_[True, ev[1:] != ev[:-1]])
        counts = np.diff(np.r_[starts, len(ev)])
        multi = starts[counts > 1]
        if not len(multi):
            return
        y_sorted = ys[order]
        top = np.minimum.reduceat(y_sorted, starts)[counts > 1]
        bottom = np.maximum.reduceat(y_sorted, starts)[counts > 1]
        first = order[multi]
        x = (frame.x0[first] + frame.x1[first]) * 0.5
        for j in range(len(multi)):
            lit = hot is not None and bool(hot[first[j]])
            colour = QColor(self.palette.highlight if lit else self.palette.muted)
            if hot is not None and not lit:
                colour.setAlpha(60)
            painter.setPen(QPen(colour, 2.0 if lit else 1.0))
            painter.drawLine(QPointF(x[j], top[j]), QPointF(x[j], bottom[j]))

    def _paint_pair(self, painter, frame, i, y, size, style, lit):
        colour = QColor(self.actor_colour[int(frame.actor[i])])
        certainty = style & CERTAINTY_MASK
        if lit is False:
            colour.setAlpha(55)
        px0, px1 = float(frame.x0[i]), float(frame.x1[i])
        span = px1 - px0
        pen = QPen(colour.darker(130), 1.4)
        if certainty == CONTESTED:
            pen = QPen(QColor("#C0392B") if lit is not False else colour, 1.6, Qt.PenStyle.DashLine)
        if lit:
            pen = QPen(self.palette.highlight, 2.4, pen.style())
        fill = QColor(colour)
        if certainty == REPORTED:
            fill.setAlpha(int(fill.alpha() * 0.55))
        brush = QBrush(fill) if certainty in (CONFIRMED, REPORTED) else Qt.BrushStyle.NoBrush
        if style & IMPRECISE and span >= 3:
            # an uncertain date: a faded span over all it may mean, never a point
            faded = QColor(colour)
            faded.setAlpha(max(int(colour.alpha() * (0.12 if certainty in (CLAIMED, CONTESTED) else 0.28)), 14))
            outline = QPen(colour, 1.0, Qt.PenStyle.DotLine)
            if certainty == CONTESTED or lit:
                outline = pen
            painter.setPen(outline)
            painter.setBrush(faded)
            painter.drawRect(QRectF(px0, y - size * 0.45, span, size * 0.9))
            return
        if style & HAS_END and span >= 3:
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawRect(QRectF(px0, y - size * 0.35, span, size * 0.7))
            return
        if span >= size:
            # zoomed in past the date's precision (a day at hour scale): show the
            # whole day it may mean, faintly, behind the marker
            band = QColor(colour)
            band.setAlpha(max(int(colour.alpha() * 0.18), 10))
            painter.fillRect(QRectF(px0, y - size * 0.45, span, size * 0.9), band)
        painter.setPen(pen)
        painter.setBrush(brush)
        painter.drawEllipse(QPointF((px0 + px1) * 0.5, y), size * 0.5, size * 0.5)

    def _paint_titles(self, painter, frame, ys, size, hot):
        """Titles to the right of their event, where they fit without overlap."""
        ids = self.session.data.event_ids
        wanted = {int(ids[e]) for e in np.unique(frame.event)} - self._title_cache.keys()
        if wanted:
            self._title_cache.update(self.session.titles(wanted))
        painter.setFont(self.font)
        text_h = self._metrics.height()
        if abs(self._frame_rows[1]) < text_h + 2:
            return
        # one title per event, on its first visible lane
        shown: set[int] = set()
        order = np.lexsort((frame.x0, frame.row))
        last_end: dict[int, float] = {}
        next_start = _next_in_row(frame, order)
        for k, i in enumerate(order):
            ev = int(frame.event[i])
            if ev in shown:
                continue
            row = int(frame.row[i])
            start = max(float(frame.x1[i]), float(frame.x0[i]) + size * 0.5) + 4
            room = next_start[k] - start - 6
            if start < last_end.get(row, -1e9) + 6 or room < 40:
                continue
            text = self._metrics.elidedText(self._title_cache.get(int(ids[ev]), ""), Qt.TextElideMode.ElideRight, min(room, 320))
            if not text:
                continue
            colour = QColor(self.palette.foreground)
            if hot is not None and not hot[i]:
                colour.setAlpha(90)
            painter.setPen(colour)
            painter.drawText(QPointF(start, float(ys[i]) + text_h * 0.3), text)
            last_end[row] = start + self._metrics.horizontalAdvance(text)
            shown.add(ev)

    # ---------------------------------------------------------- hit testing
    def event_at(self, scene_pos) -> int | None:
        """The event id under a scene position (within a few pixels), if any."""
        frame = self._frame
        vb = self.getViewBox()
        if frame is None or not len(frame) or vb is None:
            return None
        device = vb.mapSceneToView(scene_pos)
        left, x0, x1, width = self._origin
        px = (device.x() - x0) * width / max(x1 - x0, 1e-9)
        row = int(round(device.y()))
        in_row = frame.row == row
        if not in_row.any():
            return None
        lo = np.minimum(frame.x0, frame.x1)
        hi = np.maximum(frame.x1, frame.x0)
        distance = np.where((px >= lo) & (px <= hi), 0.0, np.minimum(abs(px - lo), abs(px - hi)))
        distance = np.where(in_row, distance, np.inf)
        # where a marker sits inside a vague span, the marker is what the pointer means
        best = int(np.lexsort((hi - lo, distance))[0])
        if distance[best] > 7:
            return None
        return int(self.session.data.event_ids[frame.event[best]])

    def actor_at_row(self, y: float) -> int | None:
        row = int(round(y))
        return self.row_actor_ids[row] if 0 <= row < self.n_rows else None

    def mouseClickEvent(self, ev):
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        event_id = self.event_at(ev.scenePos())
        if ev.double():
            if event_id is not None:
                self.sigEventDoubleClicked.emit(event_id)
        else:
            self.sigEventClicked.emit(event_id, ev.modifiers())
        ev.accept()

    def hoverEvent(self, ev):
        if ev.isExit():
            self.setToolTip("")
            return
        event_id = self.event_at(ev.scenePos())
        self.setToolTip(self.session.tooltip(event_id) if event_id is not None else "")


def _next_in_row(frame: PairFrame, order: np.ndarray) -> np.ndarray:
    """For pairs in (row, x) order: the x where the next event in the same row starts."""
    rows = frame.row[order]
    xs = np.minimum(frame.x0[order], frame.x1[order])
    nxt = np.r_[xs[1:], np.inf]
    same = np.r_[rows[1:] == rows[:-1], False]
    return np.where(same, nxt, np.inf)
