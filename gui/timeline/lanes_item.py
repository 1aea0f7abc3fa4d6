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
from store.view_model import density, density_frame
from ..batch_paint import draw_rects
from .coverage import LaneGeometry
from .detail_paint import DetailPainter
from store.timeline_data import HAS_END, IMPRECISE
from store.timeline_patch import token
from .event_drag import EventDrag
from .images import density_image, density_pixels, over, paint_density_image
from .index_jobs import SubsetIndexes
from store.view_model.day_spread import spread_days
from store.view_model.lane_plan import ACTOR, LanePlan, plan_lanes
from .titles import LABEL_LIMIT, TitlePainter
from store.view_model.visible import PairFrame, VisibleIndex, edge_pairs, frame_pairs

DETAIL_LIMIT = 3000  # pairs; above this the density image is drawn
HIT_PX = 7  # how near the pointer an event must be to be hit
CONFIRMED, REPORTED, CLAIMED, CONTESTED = range(4)


class LanesItem(pg.GraphicsObject):
    """Paints the lanes of a ``Session`` for the view box it lives in."""

    sigEventClicked = Signal(object, object)  # event id or None, keyboard modifiers
    sigEventDoubleClicked = Signal(object)
    sigEventDragged = Signal(object, str, object)  # event id, new start and end as written (end may be None)
    sigProblem = Signal(str)  # background work for the lanes failed: one line for a person
    sigPainted = Signal()  # a frame was painted: ``last_highlight``, ``last_mode``... say what it drew

    def __init__(self, session, palette):
        super().__init__()
        self.session = session
        self.palette = palette
        self.setAcceptHoverEvents(True)
        self._drag = EventDrag(self)
        self._titles = TitlePainter(session, palette)
        self._detail = DetailPainter(palette)
        self._frame: PairFrame | None = None  # the pairs drawn in detail mode (None in density mode)
        self._frame_data = None  # the data the detail frame's event indices refer to
        self._frame_rows: tuple[float, float] = (0.0, 1.0)  # pixel y of row 0 centre, pixels per row
        self._origin = (0.0, 0.0, 1.0, 1)
        self._masks: tuple = (None, None, None)  # (filter, highlight, both) mask objects
        self.last_mode = "detail"
        self.last_spread = None  # the last detail frame's spread of same-day events (day_spread.Spread)
        self.last_grid: np.ndarray | None = None  # counts per (visible row, column) of the last density frame
        self.last_highlight_grid: np.ndarray | None = None
        self.last_highlight: np.ndarray | None = None  # the session's highlight mask the last frame lit (None: nothing lit)
        self._version = 0  # bumped by rebuild: lane order, colours
        self._layers_key = None
        self._layers: list = []  # (image, rect) of the last density frame
        self._merged_key = None
        self._merged_index = None
        self._merged_token = None  # stands for the data the merged index was built for
        self._subsets = SubsetIndexes(self)
        self._subsets.changed.connect(self._subset_ready)
        self._subsets.failed.connect(self.sigProblem)
        self.rebuild()

    # ---------------------------------------------------------- data
    def rebuild(self, plan: LanePlan | None = None) -> None:
        """New data, lane order or plan: recompute the per-data tables. Without
        a plan, every lane in the selection's order that is not hidden."""
        data = self.session.data
        self._version += 1
        self.index = VisibleIndex(data)
        self._titles.clear()
        if plan is None:
            sel = self.session.selection
            id_to_index = data.actor_index()
            allowed = sel.actor_filter  # the actor list's ticks: an unticked actor has no lane
            order = [id_to_index[a] for a in sel.lane_order or ()
                     if a not in sel.hidden_lanes and a in id_to_index and (allowed is None or a in allowed)]
            plan = plan_lanes(data.n_actors, order, data.actor_names, actor_ids=data.actor_ids)
        self.plan = plan
        self.row_of_actor = plan.row_of_actor
        self.row_actor_ids: list[int] = plan.row_actor_ids
        colours_key = (id(data), self.palette.dark)
        if getattr(self, "_colours_key", None) != colours_key:  # a new plan alone keeps the actors' colours
            self._colours_key = colours_key
            self.actor_colour = [
                self.palette.kind_colour(k, c) for k, c in zip(data.actor_kinds, data.actor_colours)
            ]
        summary = self.palette.muted.rgb() & 0xFFFFFF
        self.row_colours = np.array(
            [self.actor_colour[int(r.members[0])].rgb() & 0xFFFFFF if r.kind == ACTOR else summary for r in plan.rows],
            dtype=np.uint32,
        )
        self.prepareGeometryChange()
        self.update()

    def _merged(self, lanes):
        """For the whole file's index: (an index with one lane per summary row,
        the slot of each row or -1), so a summary lane of hundreds of actors
        costs one lane a frame. Built once per plan (few pairs: the "more" lane
        holds the least busy actors). None for a filter's or selection's index."""
        data = self.session.data
        if lanes is not density.lane_index(data):
            return None
        plan = self.plan
        summary = [i for i, r in enumerate(plan.rows) if r.kind != ACTOR]
        # kept while the summary lanes hold the same actors (a new plan after a pan
        # often moves only single lanes)
        key = (id(data), tuple(summary), b"".join(plan.rows[i].members.tobytes() + b"|" for i in summary))
        if self._merged_key != key:
            slot_of_row = np.full(len(plan.rows), -1, np.int64)
            slot_of_row[summary] = np.arange(len(summary))
            lane_of_actor = np.full(data.n_actors, -1, np.int64)
            for slot, i in enumerate(summary):
                lane_of_actor[plan.rows[i].members] = slot
            # an edit folded into the arrays (store/timeline_patch.py) is folded into this index too
            delta = data.derived.get("pair_delta")
            if (delta is not None and self._merged_key is not None and self._merged_key[1:] == key[1:]
                    and delta.source is self._merged_token):
                index = delta.patch_merged(self._merged_index[0], lane_of_actor)
            else:
                index = density.build_merged_index(data, lane_of_actor, max(len(summary), 1))
            self._merged_index = (index, slot_of_row)
            self._merged_lanes = lane_of_actor
            self._merged_key = key
            self._merged_token = token(data)
        return self._merged_index

    def _row_lanes(self, lanes, first_row, last_row):
        """[(index, lane per visible row or -1)]: the indexes and lanes whose
        counts, added, give each visible row's counts."""
        members, starts, single = self.plan.row_members(first_row, last_row)
        if single or not len(members):
            return [(lanes, members)], None
        merged = self._merged(lanes)
        if merged is None:
            return [(lanes, members)], starts  # every member counted, summed per row
        index, slot_of_row = merged
        slots = slot_of_row[first_row:last_row + 1]
        first_member = members[starts]
        return [(lanes, np.where(slots < 0, first_member, -1)), (index, slots)], None

    def _visible_pairs(self, lanes, cols, first_row, last_row) -> int:
        total = 0
        for index, row_lanes in self._row_lanes(lanes, first_row, last_row)[0]:
            real = row_lanes[row_lanes >= 0]
            lo, hi = density_frame.lane_bounds(index, real, cols)
            total += int((hi - lo).sum())
        return total

    def _row_counts(self, lanes, cols, first_row, last_row, masks=(None, None)):
        """Counts per (visible row, column); a summary lane is the density of its
        members. With edits not yet folded in, their overlay's change is added
        (``masks``: the events ``lanes`` indexes, over the base and over the overlay)."""
        parts, starts = self._row_lanes(lanes, first_row, last_row)
        overlay, window = self.session.overlay, self._origin[1:3]
        if starts is not None:
            sparse = self._sparse_row_counts(parts[0], starts, cols, overlay, window, masks)
            if sparse is not None:
                return sparse
        grid = None
        for k, (index, row_lanes) in enumerate(parts):
            counts = density_frame.count_grid(index, row_lanes, cols)
            if overlay is not None:
                merged = k == 1 and starts is None and len(parts) == 2
                overlay.add_to(counts, index, row_lanes, cols, window, self._merged_lanes if merged else None, *masks)
            grid = counts if grid is None else grid + counts
        if starts is not None:
            grid = np.add.reduceat(grid, starts, axis=0)
        return grid

    def _sparse_row_counts(self, part, starts, cols, overlay, window, masks):
        """Counts per row when rows sum many members and few of them have pairs
        in the index (a selection's or a filter's): only those members are
        counted, and added into their rows; None when most have pairs."""
        index, members = part
        busy = np.diff(index.offsets)[members] > 0
        if overlay is not None:
            busy |= np.isin(members, overlay.new[0]) | np.isin(members, overlay.gone[0])
        busy = np.flatnonzero(busy)
        if len(busy) * 4 > len(members):
            return None
        counts = density_frame.count_grid(index, members[busy], cols)
        if overlay is not None:
            overlay.add_to(counts, index, members[busy], cols, window, None, *masks)
        grid = np.zeros((len(starts), cols.width), np.int32)
        np.add.at(grid, np.searchsorted(starts, busy, side="right") - 1, counts)
        return grid

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
        selection, so the lane index built for it is reused frame after frame.
        A big selection still being looked up lights nothing (``highlight_mask``)."""
        filt, hot = self.session.filter_mask(), self.session.highlight_mask(wait=False)
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
        self.sigPainted.emit()

    def _paint_events(self, painter, x0, x1, width, first_row, last_row) -> None:
        data = self.session.data
        filt, hot = self._event_masks()
        overlay = self.session.overlay
        key = (x0, x1, width, first_row, last_row, self._frame_rows, id(data), self._version, id(filt), id(hot),
               id(overlay))
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
        edge_rows, edge_cols = self._edges(lanes, cols, x0, x1, None if pending else filt, first_row, last_row)
        visible = self._visible_pairs(lanes, cols, first_row, last_row) + len(edge_rows)
        extra_filt, extra_hot = self.session.overlay_masks() if overlay is not None else (None, None)
        if visible > DETAIL_LIMIT:
            self.last_mode = "density"
            self._frame = None
            grid = self._row_counts(lanes, cols, first_row, last_row,
                                    (None, None) if pending else (filt, extra_filt))
            _add_edges(grid, edge_rows, edge_cols)
            self.last_grid = grid
            if pending:
                self.last_highlight = None
                self._draw_grid(painter, grid, first_row, alpha_scale=0.25)
            else:
                self._paint_density(painter, grid, cols, x0, x1, first_row, last_row, hot)
                self._layers_key = key
        else:
            self.last_mode = "detail"
            self.last_grid = None
            frame, self._frame_data, hot = self._pairs(x0, x1, width, (first_row, last_row))
            self._frame = frame
            self.last_highlight = self.session.highlight_mask(wait=False)
            self._paint_detail(painter, frame, hot)

    def _pairs(self, x0, x1, width, rows):
        """(the frame's pairs, the data their event indices refer to, the
        highlight over that data): the session's arrays, or with edits not yet
        folded in, the window's events read through their overlay."""
        filt, hot = self.session.filter_mask(), self.session.highlight_mask(wait=False)
        overlay = self.session.overlay
        if overlay is None:
            return frame_pairs(self.index, self.row_of_actor, x0, x1, width, rows, filt), self.session.data, hot
        extra_filt, extra_hot = self.session.overlay_masks()
        if hot is None:
            extra_hot = None  # the selection still being looked up: its edited events wait with the rest
        data, (filt, hot) = overlay.window_data(x0, x1, (filt, hot), (extra_filt, extra_hot))
        return frame_pairs(VisibleIndex(data), self.row_of_actor, x0, x1, width, rows, filt), data, hot

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
        """Every other lane shaded, selected actors' lanes tinted: one batch each
        (with every lane shown that is a thousand rows a frame)."""
        y0, step = self._frame_rows
        if last_row < first_row:
            return
        rows = np.arange(first_row, last_row + 1)
        selected = self.session.selection.selected_actors
        picked = np.zeros(len(rows), bool)
        if selected:
            ids = np.asarray(self.row_actor_ids[first_row:last_row + 1], dtype=np.int64)
            picked = np.isin(ids, np.fromiter(selected, np.int64, len(selected)))
        painter.setPen(Qt.PenStyle.NoPen)
        for which, colour in ((~picked & (rows % 2 == 1), self.palette.lane_alt), (picked, None)):
            chosen = rows[which]
            if not len(chosen):
                continue
            if colour is None:
                colour = QColor(self.palette.highlight)
                colour.setAlpha(45)
            painter.setBrush(colour)
            top = y0 + (chosen - 0.5) * step
            draw_rects(painter, np.zeros(len(chosen)), top, np.full(len(chosen), float(width)), np.full(len(chosen), float(step)))

    # ---------------------------------------------------------- density
    def _paint_density(self, painter, grid, cols, x0, x1, first_row, last_row, hot) -> None:
        hot_index = None if hot is None else self._subsets.get(self.session.data, hot, "highlight")
        if hot_index is None:  # no selection, or a big one still being indexed: it lights up when ready
            self.last_highlight_grid = None
            self.last_highlight = None
            self._draw_grid(painter, grid, first_row)
            return
        # the selection: its own counts in the highlight colour, over the rest faded
        extra = self.session.overlay_masks() if self.session.overlay is not None else (None, None)
        extra_hot = extra[1] if extra[0] is None or extra[1] is None else extra[0] & extra[1]
        lit = self._row_counts(hot_index, cols, first_row, last_row, (hot, extra_hot))
        rows, columns = self._edges(hot_index, cols, x0, x1, hot, first_row, last_row)
        _add_edges(lit, rows, columns)
        self.last_highlight_grid = lit
        self.last_highlight = self.session.highlight_mask(wait=False)
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
        data = self._frame_data if self._frame_data is not None else self.session.data
        style = data.style[frame.event]
        ys = self._row_centre(frame.row)
        _, step = self._frame_rows
        size = float(np.clip(abs(step) * 0.5, 4, 12))
        hot = highlight[frame.event] if highlight is not None else None
        first_row, last_row = self._visible_rows
        lanes = LaneGeometry(self._frame_rows[0], step, first_row, last_row - first_row + 1, self._origin[3],
                             self.row_colours[first_row:last_row + 1])
        # markers over a band (a day seen at hour scale) that share their lane and day: spread in the band
        wide = ((style & (HAS_END | IMPRECISE)) == 0) & (np.abs(frame.x1 - frame.x0) >= size)
        spread = spread_days(frame.x0, frame.x1, frame.row, frame.event, ys, wide, step, size, self._titles.text_height)
        self.last_spread = spread
        centres = (spread.x, spread.y) if spread.spread.any() else None
        self._detail.paint(painter, frame, ys, size, style, self.actor_colour, hot, lanes, centres)
        obstacles = _marks_drawn(frame, ys, size, style, centres)
        if centres is None:
            if frame.n_events <= LABEL_LIMIT:
                self._titles.paint(painter, frame, ys, size, hot, abs(self._frame_rows[1]), self._origin[3],
                                   data.event_ids, obstacles)
        else:
            # titles beside the spread markers, in their sub-rows; spread too
            # tight for a line of text each, those markers go untitled
            moved = spread.spread
            keep = np.flatnonzero(~moved | spread.titled)  # titled: per (lane, day)
            n_titled = len(np.unique(frame.event[keep]))
            if n_titled <= LABEL_LIMIT:
                titled = PairFrame(frame.event[keep], spread.subrow[keep], frame.actor[keep],
                                   np.where(moved, spread.x, frame.x0)[keep], np.where(moved, spread.x, frame.x1)[keep],
                                   n_titled)
                self._titles.paint(painter, titled, spread.y[keep], size, None if hot is None else hot[keep],
                                   abs(self._frame_rows[1]), self._origin[3], data.event_ids, obstacles)

    # ---------------------------------------------------------- hit testing
    def event_at(self, scene_pos, prefer=frozenset()) -> int | None:
        """The event id under a scene position (within a few pixels), if any.
        Works in both modes: the pairs near the pointer are looked up afresh.
        Where markers overlap, an event in ``prefer`` (the selected one, for
        a move) wins over a nearer one."""
        vb = self.getViewBox()
        if vb is None or self.n_rows == 0:
            return None
        spread = self._spread_hit(scene_pos)
        if spread is not None:
            return spread
        point = vb.mapSceneToView(scene_pos)
        row = int(round(point.y()))
        if not 0 <= row < self.n_rows:
            return None
        _left, x0, x1, width = self._origin
        seconds_per_px = max(x1 - x0, 1e-9) / max(width, 1)
        t = point.x()
        lo, hi = t - HIT_PX * seconds_per_px, t + HIT_PX * seconds_per_px
        near, data, _hot = self._pairs(lo, hi, 2 * HIT_PX, (row, row))
        if not len(near):
            return None
        px = HIT_PX
        a, b = np.minimum(near.x0, near.x1), np.maximum(near.x0, near.x1)
        distance = np.where((px >= a) & (px <= b), 0.0, np.minimum(abs(px - a), abs(px - b)))
        # where a marker sits inside a vague span, the marker is what the pointer means
        order = np.lexsort((b - a, distance))
        ids = data.event_ids[near.event[order]]
        hits = distance[order] <= HIT_PX
        if not hits[0]:
            return None
        if prefer:
            preferred = np.flatnonzero(hits & np.isin(ids, np.fromiter(prefer, np.int64, len(prefer))))
            if len(preferred):
                return int(ids[preferred[0]])
        return int(ids[0])

    def _spread_hit(self, scene_pos) -> int | None:
        """The spread marker (same-day events in a band) under the pointer, if any:
        they are not where their dates alone would put them."""
        spread, frame = self.last_spread, self._frame
        if spread is None or frame is None or len(spread.x) != len(frame) or not spread.spread.any():
            return None
        moved = np.flatnonzero(spread.spread)
        px, py = scene_pos.x() - self._origin[0], scene_pos.y()
        d = np.hypot(spread.x[moved] - px, spread.y[moved] - py)
        best = int(np.argmin(d))
        if d[best] > HIT_PX:
            return None
        data = self._frame_data if self._frame_data is not None else self.session.data
        return int(data.event_ids[frame.event[moved[best]]])

    def set_move_mode(self, on: bool) -> None:
        """Edit > Move events by dragging: a plain drag on an event moves it (elsewhere it still pans)."""
        self._drag.move_mode = bool(on)

    def mouseDragEvent(self, ev):
        if not self._drag.handle(ev):
            ev.ignore()  # not a move gesture on an event: the view pans

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


def _marks_drawn(frame: PairFrame, ys, size: float, style, centres) -> tuple:
    """The boxes (left, right, top, bottom) of the marks the detail painter
    drew for ``frame``: each marker where it sits (spread within its day or
    not), each span and bar. A title keeps clear of them (titles.py); the
    thin lines joining an event's lanes pass beneath a title's halo."""
    cx = (frame.x0 + frame.x1) * 0.5 if centres is None else centres[0]
    cy = ys if centres is None else centres[1]
    extent = ((style & (HAS_END | IMPRECISE)) != 0) & ((frame.x1 - frame.x0) >= 3)
    half = size * 0.5
    left = np.where(extent, frame.x0, cx - half)
    right = np.where(extent, frame.x1, cx + half)
    top, bottom = cy - half, cy + half
    return left, right, top, bottom
