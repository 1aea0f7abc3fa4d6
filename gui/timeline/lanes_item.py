"""The swimlanes: one pyqtgraph item that paints every event in pixels.

One QGraphicsItem per event would cost kilobytes each and crawl at 100k, so
this single item paints from numpy arrays. Zoomed out, when more than
``DETAIL_LIMIT`` pairs are visible, it draws a per-lane density image (one
``drawImage``) whose counts come from the lane index (``density.py``), at a
cost that does not grow with the file; zoomed in it draws real markers,
bars, faded spans for imprecise dates, connectors between the lanes of one
event and titles where they fit (``detail_paint.py``). Both modes count
exactly the same pairs: those overlapping the visible range.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter

from ..safe_paint import guarded_paint
from . import density, density_frame
from .coverage import LaneGeometry
from .detail_paint import DetailPainter
from .event_drag import EventDrag
from .images import density_image, density_pixels, over, paint_density_image
from .index_jobs import SubsetIndexes
from .titles import LABEL_LIMIT, TitlePainter
from .visible import PairFrame, VisibleIndex, edge_pairs, frame_pairs

DETAIL_LIMIT = 3000  # pairs; above this the density image is drawn
HIT_PX = 7  # how near the pointer an event must be to be hit
CONFIRMED, REPORTED, CLAIMED, CONTESTED = range(4)


class LanesItem(pg.GraphicsObject):
    """Paints the lanes of a ``Session`` for the view box it lives in."""

    sigEventClicked = Signal(object, object)  # event id or None, keyboard modifiers
    sigEventDoubleClicked = Signal(object)
    sigEventDragged = Signal(object, str, float)  # event id, "start" | "end" | "move", seconds

    def __init__(self, session, palette):
        super().__init__()
        self.session = session
        self.palette = palette
        self.setAcceptHoverEvents(True)
        self._drag = EventDrag(self)
        self._titles = TitlePainter(session, palette)
        self._detail = DetailPainter(palette)
        self._frame: PairFrame | None = None  # the pairs drawn in detail mode (None in density mode)
        self._frame_rows: tuple[float, float] = (0.0, 1.0)  # pixel y of row 0 centre, pixels per row
        self._origin = (0.0, 0.0, 1.0, 1)
        self._masks: tuple = (None, None, None)  # (filter, highlight, both) mask objects
        self.last_mode = "detail"
        self.last_grid: np.ndarray | None = None  # counts per (visible row, column) of the last density frame
        self.last_highlight_grid: np.ndarray | None = None
        self._version = 0  # bumped by rebuild: lane order, colours
        self._layers_key = None
        self._layers: list = []  # (image, rect) of the last density frame
        self._subsets = SubsetIndexes(self)
        self._subsets.changed.connect(self._subset_ready)
        self.rebuild()

    # ---------------------------------------------------------- data
    def rebuild(self) -> None:
        """New data or new lane order: recompute the per-data tables."""
        data = self.session.data
        self._version += 1
        self.index = VisibleIndex(data)
        self._titles.clear()
        sel = self.session.selection
        id_to_index = data.actor_index()
        self.row_of_actor = np.full(data.n_actors, -1, dtype=np.int64)
        self.row_actor_ids: list[int] = []
        for actor_id in sel.lane_order or ():
            if actor_id in sel.hidden_lanes or actor_id not in id_to_index:
                continue
            self.row_of_actor[id_to_index[actor_id]] = len(self.row_actor_ids)
            self.row_actor_ids.append(actor_id)
        self.actor_of_row = np.array([id_to_index[a] for a in self.row_actor_ids], dtype=np.int64)
        self.actor_colour = [
            self.palette.kind_colour(k, c) for k, c in zip(data.actor_kinds, data.actor_colours)
        ]
        self.row_colours = np.array(
            [self.actor_colour[id_to_index[a]].rgb() & 0xFFFFFF for a in self.row_actor_ids], dtype=np.uint32
        )
        self.prepareGeometryChange()
        self.update()

    def _subset_ready(self) -> None:
        self._layers_key = None
        self.update()

    @property
    def n_rows(self) -> int:
        return len(self.row_actor_ids)

    def boundingRect(self) -> QRectF:
        # Everything the view can ever show (its limits are a few spans around
        # the data): a rect that does not change with the view, so a pan needs
        # no geometry change, which would make Qt paint the view a second time.
        span = self.session.data.time_range or (0, 86400)
        lo, hi = span
        pad = max(hi - lo, 86400) * 4
        return QRectF(lo - pad, -2.0, (hi - lo) + 2 * pad, self.n_rows + 4.0)

    def _event_masks(self):
        """(filter, highlight within the filter): the highlight is one object per
        selection, so the lane index built for it is reused frame after frame."""
        filt, hot = self.session.filter_mask(), self.session.highlight_mask()
        if self._masks[0] is not filt or self._masks[1] is not hot:
            both = hot if filt is None or hot is None else hot & filt
            self._masks = (filt, hot, both)
        return filt, self._masks[2]

    # ---------------------------------------------------------- paint
    @guarded_paint("timeline lanes")
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
        # the view clips on screen, but an SVG export keeps whatever is drawn
        # past the plot's edges (over the lane labels): clip here too
        top, bottom = sorted((to_device.map(QPointF(x0, y0)).y(), to_device.map(QPointF(x0, y1)).y()))
        painter.setClipRect(QRectF(0, top, width, bottom - top))
        self._frame_rows = (row_y0, row_step)
        self._origin = (left, x0, x1, width)
        first_row = max(int(np.floor(min(y0, y1))), 0)
        last_row = min(int(np.ceil(max(y0, y1))), self.n_rows - 1)
        self._visible_rows = (first_row, last_row)
        self._paint_lane_bands(painter, width, first_row, last_row)
        if last_row >= first_row:
            self._paint_events(painter, x0, x1, width, first_row, last_row)
        painter.restore()

    def _paint_events(self, painter, x0, x1, width, first_row, last_row) -> None:
        data = self.session.data
        filt, hot = self._event_masks()
        key = (x0, x1, width, first_row, last_row, self._frame_rows, id(data), self._version, id(filt), id(hot))
        if key == self._layers_key:
            # the same picture again (an export settling, an expose): draw the kept layers
            for image, rect in self._layers:
                paint_density_image(painter, image, rect)
            return
        self._layers_key, self._layers = None, []
        lanes = density.lane_index(data) if filt is None else self._subsets.get(data, filt, "filter")
        pending = lanes is None  # a big filter still being indexed: the whole file, faded, meanwhile
        if pending:
            lanes = density.lane_index(data)
        cols = density_frame.columns(lanes, x0, x1, width)
        row_lanes = self.actor_of_row[first_row:last_row + 1]
        bounds = density_frame.lane_bounds(lanes, row_lanes, cols)
        edge_rows, edge_cols = self._edges(lanes, cols, x0, x1, None if pending else filt, first_row, last_row)
        visible = int((bounds[1] - bounds[0]).sum()) + len(edge_rows)
        if visible > DETAIL_LIMIT:
            self.last_mode = "density"
            self._frame = None
            grid = density_frame.count_grid(lanes, row_lanes, cols, bounds)
            _add_edges(grid, edge_rows, edge_cols)
            self.last_grid = grid
            if pending:
                self._draw_grid(painter, grid, first_row, alpha_scale=0.25)
            else:
                self._paint_density(painter, grid, cols, x0, x1, first_row, last_row, hot)
                self._layers_key = key
        else:
            self.last_mode = "detail"
            self.last_grid = None
            frame = frame_pairs(self.index, self.row_of_actor, x0, x1, width, (first_row, last_row), filt)
            self._frame = frame
            self._paint_detail(painter, frame, self.session.highlight_mask())

    def _edges(self, lanes, cols, x0, x1, mask, first_row, last_row):
        """(row - first_row, column) of the pairs drawn at an edge column."""
        actor, col = edge_pairs(self.index, lanes, cols, x0, x1, mask)
        rows = self.row_of_actor[actor]
        keep = (rows >= first_row) & (rows <= last_row)
        return rows[keep] - first_row, col[keep]

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

    # ---------------------------------------------------------- density
    def _paint_density(self, painter, grid, cols, x0, x1, first_row, last_row, hot) -> None:
        hot_index = None if hot is None else self._subsets.get(self.session.data, hot, "highlight")
        if hot_index is None:  # no selection, or a big one still being indexed: it lights up when ready
            self.last_highlight_grid = None
            self._draw_grid(painter, grid, first_row)
            return
        # the selection: its own counts in the highlight colour, over the rest faded
        row_lanes = self.actor_of_row[first_row:last_row + 1]
        lit = density_frame.count_grid(hot_index, row_lanes, cols)
        rows, columns = self._edges(hot_index, cols, x0, x1, hot, first_row, last_row)
        _add_edges(lit, rows, columns)
        self.last_highlight_grid = lit
        pixels = self._pixels(np.maximum(grid - lit, 0), first_row, alpha_scale=0.25)
        # a selected event is at least three pixels wide, so one event in a dense strip still shows
        widened = lit.copy()
        widened[:, 1:] = np.maximum(widened[:, 1:], lit[:, :-1])
        widened[:, :-1] = np.maximum(widened[:, :-1], lit[:, 1:])
        cells = np.flatnonzero(widened)
        if len(cells):
            # composited here, only where the selection is: one image drawn, not two
            counts = widened.reshape(-1)[cells].reshape(1, -1)
            rgb = np.array([self.palette.highlight.rgb() & 0xFFFFFF], dtype=np.uint32)
            flat = pixels.reshape(-1)
            flat[cells] = over(density_pixels(counts, int(counts.max()), 1.0, rgb)[0], flat[cells])
        self._draw_pixels(painter, pixels, first_row)

    def _draw_grid(self, painter, grid, first_row, alpha_scale=1.0) -> None:
        peak = int(grid.max()) if grid.size else 0
        if peak > 0:
            self._draw_pixels(painter, self._pixels(grid, first_row, alpha_scale, peak), first_row)

    def _pixels(self, grid, first_row, alpha_scale=1.0, peak: int | None = None) -> np.ndarray:
        """Premultiplied pixels for counts per (visible row, column), in the lanes' colours."""
        if peak is None:
            peak = int(grid.max()) if grid.size else 0
        if peak <= 0:
            return np.zeros(grid.shape, dtype=np.uint32)
        return density_pixels(grid, peak, alpha_scale, self.row_colours[first_row : first_row + grid.shape[0]])

    def _draw_pixels(self, painter, pixels, first_row) -> None:
        n = pixels.shape[0]
        y0, step = self._frame_rows
        top = y0 + (first_row - 0.35) * step
        image = density_image(pixels)
        rect = QRectF(0, top, pixels.shape[1], n * step - 0.3 * step)
        self._layers.append((image, rect))
        paint_density_image(painter, image, rect)

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
        first_row, last_row = self._visible_rows
        lanes = LaneGeometry(self._frame_rows[0], step, first_row, last_row - first_row + 1, self._origin[3],
                             self.row_colours[first_row:last_row + 1])
        self._detail.paint(painter, frame, ys, size, style, self.actor_colour, hot, lanes)
        if frame.n_events <= LABEL_LIMIT:
            self._titles.paint(painter, frame, ys, size, hot, abs(self._frame_rows[1]))

    # ---------------------------------------------------------- hit testing
    def event_at(self, scene_pos) -> int | None:
        """The event id under a scene position (within a few pixels), if any.
        Works in both modes: the pairs near the pointer are looked up afresh."""
        vb = self.getViewBox()
        if vb is None or self.n_rows == 0:
            return None
        point = vb.mapSceneToView(scene_pos)
        row = int(round(point.y()))
        if not 0 <= row < self.n_rows:
            return None
        _left, x0, x1, width = self._origin
        seconds_per_px = max(x1 - x0, 1e-9) / max(width, 1)
        t = point.x()
        lo, hi = t - HIT_PX * seconds_per_px, t + HIT_PX * seconds_per_px
        near = frame_pairs(self.index, self.row_of_actor, lo, hi, 2 * HIT_PX, (row, row), self.session.filter_mask())
        if not len(near):
            return None
        px = HIT_PX
        a, b = np.minimum(near.x0, near.x1), np.maximum(near.x0, near.x1)
        distance = np.where((px >= a) & (px <= b), 0.0, np.minimum(abs(px - a), abs(px - b)))
        # where a marker sits inside a vague span, the marker is what the pointer means
        best = int(np.lexsort((b - a, distance))[0])
        if distance[best] > HIT_PX:
            return None
        return int(self.session.data.event_ids[near.event[best]])

    def actor_at_row(self, y: float) -> int | None:
        row = int(round(y))
        return self.row_actor_ids[row] if 0 <= row < self.n_rows else None

    def mouseDragEvent(self, ev):
        if not self._drag.handle(ev):
            ev.ignore()  # not on the selected event: the view pans

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


def _add_edges(grid: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> None:
    """Count the edge pairs into their cells (rows, cols may repeat)."""
    if len(rows):
        flat = rows * grid.shape[1] + cols
        grid += np.bincount(flat, minlength=grid.size).reshape(grid.shape).astype(grid.dtype)
