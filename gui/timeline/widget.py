"""The timeline panel: lanes, date axis, brushed window, overview and legend.

It talks only to the session's shared selection model: it writes the
visible range, the brush and selections there, and redraws when the model
says something changed.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem, QLabel, QMenu, QVBoxLayout, QWidget

from ..legend import LegendStrip, timeline_entries
from ..theme import Palette
from store import progress, timeline_summary

from .controls import LaneAxis, TimelineViewBox
from .date_axis import DateAxis
from store.view_model.density import window_counts
from store.view_model.lane_plan import ACTOR, GROUP, MORE, plan_lanes, rows_that_fit
from .lane_finder import LaneFinder
from .lanes_item import LanesItem
from .overview import OverviewStrip

MIN_ROW_PX = 18  # a lane thinner than this cannot show its name: more actors than fit share one lane
REPLAN_MS = 250  # after the view rests this long, the busiest lanes of the new window are picked
MIN_SPAN = 600.0  # ten minutes: below that a date axis says nothing useful
ZOOM_STEP = 0.8


class TimelinePlot(pg.PlotWidget):
    """The plot widget, with keyboard and pinch zoom."""

    def __init__(self, vb, axes, palette, parent=None):
        super().__init__(parent=parent, viewBox=vb, axisItems=axes, background=palette.background)
        self.vb = vb
        self.fit = None  # fit(everything: bool), set by the timeline widget
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.grabGesture(Qt.GestureType.PinchGesture)

    def keyPressEvent(self, ev):
        key = ev.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.vb.zoom_by(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.vb.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_Left:
            self.vb.pan_by(-0.1)
        elif key == Qt.Key.Key_Right:
            self.vb.pan_by(0.1)
        elif key == Qt.Key.Key_Home and self.fit is not None:
            # the graphics view takes Home before the window's shortcut sees it: fit here
            self.fit(everything=bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def event(self, ev):
        # trackpad pinch: macOS sends native zoom gestures, others a pinch gesture
        if ev.type() == QEvent.Type.NativeGesture and ev.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.vb.zoom_by(1.0 / (1.0 + ev.value()))
            return True
        if ev.type() == QEvent.Type.Gesture:
            pinch = ev.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                factor = pinch.scaleFactor()
                if factor > 0:
                    self.vb.zoom_by(1.0 / factor)
                return True
        return super().event(ev)


class TimelineWidget(QWidget):
    def __init__(self, session, palette: Palette | None = None, parent=None, show_overview: bool = True, follow_model: bool = True,
                 lane_limit: int | str | None = "fit"):
        """``follow_model=False`` makes a detached copy (for export) that never moves the shared window.
        ``lane_limit``: "fit" (as many lanes as fit the height, the rest in one
        "more" lane), a number of rows, or None (every lane)."""
        super().__init__(parent)
        self.follow_model = follow_model
        self.lane_limit = lane_limit
        self.found: set[int] = set()  # actor ids found with the lane finder: they keep a lane
        self._plan_key = None
        self._planned_limit = None
        self._replan = QTimer(self, singleShot=True, interval=REPLAN_MS)
        self._replan.timeout.connect(self.replan)
        self._replan_soon = QTimer(self, singleShot=True, interval=0)  # after a resize: once the layout settles
        self._replan_soon.timeout.connect(self.replan)
        self.session = session
        self.palette = palette or Palette()
        sel = session.selection

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont()
        font.setPointSizeF(13)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setContentsMargins(10, 6, 10, 4)
        # a long title wraps: it never widens a picture past the width asked for
        self.title.setWordWrap(True)
        self.title.hide()

        self.vb = TimelineViewBox()
        self.axis = LaneAxis()
        self.date_axis = DateAxis(orientation="bottom")  # vectorised ticks: cheap enough for every frame
        self.plot = TimelinePlot(self.vb, {"left": self.axis, "bottom": self.date_axis}, self.palette)
        self.plot.fit = lambda everything: self.fit_everything() if everything else self.fit_all()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        for side in ("left", "bottom", "top", "right"):
            # dates and lane names have no units to scale: without this every
            # range change re-typesets each axis's (empty) label as HTML
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.plot.showGrid(x=True, y=False, alpha=0.25)
        self._colour_axes()
        self.vb.invertY(True)
        # pyqtgraph applies a new range to the item transform lazily, while
        # painting, which makes Qt paint the whole view a second time per pan
        # frame; applying it at once keeps one paint per frame
        self.vb.sigRangeChanged.connect(lambda *_: self.vb.updateMatrix())
        self.lanes = LanesItem(session, self.palette)
        self.vb.addItem(self.lanes, ignoreBounds=True)
        self.brush = pg.LinearRegionItem(brush=QColor(255, 143, 0, 40), pen=pg.mkPen(QColor(255, 143, 0), width=2))
        self.brush.setZValue(-5)
        self.brush.hide()
        self.vb.addItem(self.brush, ignoreBounds=True)

        self.overview = OverviewStrip(session, self.palette) if show_overview else None
        self.legend = LegendStrip(self.palette, timeline_entries(self.palette, session.data.actor_kinds))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.finder = LaneFinder(self)
        self.finder.set_actors(session.data.actor_names, session.data.actor_ids)
        self.finder.found.connect(self._found)
        self.finder.closed.connect(self.plot.setFocus)
        layout.addWidget(self.title)
        layout.addWidget(self.finder)
        layout.addWidget(self.plot, 1)
        if self.overview:
            layout.addWidget(self.overview)
        layout.addWidget(self.legend)

        self.vb.sigBrushed.connect(lambda lo, hi: sel.set_brush((lo, hi), origin=self))
        self.brush.sigRegionChangeFinished.connect(self._brush_moved)
        self.lanes.sigEventClicked.connect(self._event_clicked)
        self.axis.sigLaneClicked.connect(self._lane_clicked)
        self.axis.sigLaneMenu.connect(self._lane_menu)
        sel.brushChanged.connect(self._follow_brush)
        sel.selectionChanged.connect(self._repaint_lanes)
        sel.filterChanged.connect(self._filter_changed)
        sel.laneOrderChanged.connect(self._relayout_lanes)
        session.dataChanged.connect(self._data_changed)
        session.recordsTouched.connect(self.bring_into_view)
        session.overlayChanged.connect(self.lanes.update)  # an edit not yet folded in: shown in the next frame
        session.highlightReady.connect(self.lanes.update)  # a big selection, looked up on a worker: lit now
        self._apply_limits()
        if sel.visible_range is None:
            self.fit_story()
        else:
            self.set_window(*sel.visible_range)
        self._relayout_lanes()  # after the first range: the busiest lanes are those of the window
        self.vb.sigResized.connect(self._resized)
        self.vb.sigXRangeChanged.connect(self._range_moved)
        self._follow_brush(None)
        # connected last: setting limits and the first range must not reach the model
        if follow_model:
            # on screen the lane names move only when the lanes change, never on
            # a pan or zoom: kept as a pixmap, a frame blits them instead of laying
            # out 200 texts. (Not in an export: it paints once, and an SVG must
            # get the names as text.)
            self.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.vb.sigXRangeChanged.connect(self._range_changed)
            sel.visibleRangeChanged.connect(self._follow_range)
            self._range_changed(self.vb, self.vb.viewRange()[0])

    # ---------------------------------------------------------- layout
    def _filter_changed(self, *_origin) -> None:
        # unticked actors lose their lanes; a search only changes what is drawn in them
        allowed = self.session.selection.actor_filter
        if allowed != getattr(self, "_lanes_for_filter", None):
            self._lanes_for_filter = allowed
            self._relayout_lanes()
        self.lanes.update()

    def _repaint_lanes(self, *_origin) -> None:
        self.lanes.update()

    def _relayout_lanes(self, *_origin) -> None:
        self._plan_key = None
        self.replan()

    def plan(self):
        """The rows for the current lanes, window and choices (``lane_plan``)."""
        data, sel = self.session.data, self.session.selection
        index = data.actor_index()
        allowed = sel.actor_filter  # the actor list's ticks: an unticked actor has no lane
        order = [index[a] for a in sel.lane_order or ()
                 if a not in sel.hidden_lanes and a in index and (allowed is None or a in allowed)]
        limit = self.row_limit()
        self._planned_limit = limit
        crowded = limit is not None and len(order) > limit
        counts = None
        if crowded or self.by_activity:
            x0, x1 = self.vb.viewRange()[0]
            counts = window_counts(data, x0, x1)
        groups = self._groups(data) if self.group_by else None
        pinned = {index[a] for a in (sel.selected_actors | self.found) if a in index}
        return plan_lanes(data.n_actors, order, data.actor_names, counts, limit, self.by_activity, groups,
                          self.collapsed, pinned, export=not self.follow_model, actor_ids=data.actor_ids)

    def row_limit(self) -> int | None:
        if self.lane_limit is None:
            return None
        if self.lane_limit == "fit":
            height = self.vb.height()
            if height <= 1:
                return None  # not laid out yet: planned again when it is
            return rows_that_fit(height, MIN_ROW_PX)
        return max(int(self.lane_limit), 1)

    def _groups(self, data) -> list[str | None]:
        if self.group_by == "country":
            countries = self.session.actor_countries()
            return [countries.get(int(a)) or "(no country)" for a in data.actor_ids]
        if self.group_by == "saved":
            # a saved view's actors (its selection, else its filter) are a group; an
            # actor in several views goes with the first by name
            group_of: dict[int, str] = {}
            for name, ids in self.session.saved_actor_groups().items():
                for a in ids:
                    group_of.setdefault(a, name)
            return [group_of.get(int(a)) or "(in no saved view)" for a in data.actor_ids]
        return list(data.actor_kinds)

    def replan(self) -> None:
        """Rebuild the rows if they changed (a rest after panning picks the
        busiest lanes of the new window; a resize fits a new number)."""
        plan = self.plan()
        key = (id(self.session.data), tuple((r.kind, r.label, r.actor_id, r.group, len(r.members)) for r in plan.rows),
               plan.lane_actor.tobytes())
        if key == self._plan_key:
            return
        self._plan_key = key
        self.lanes.rebuild(plan)
        self.axis.set_names([r.label for r in plan.rows])
        self.vb.setYRange(-0.6, max(self.lanes.n_rows, 1) - 0.4, padding=0)

    def _resized(self, *_args) -> None:
        # the view's height changes with the date axis's labels as often as every
        # pan: plan again only when a different number of lanes fits
        if self.row_limit() != self._planned_limit:
            self._replan_soon.start()

    def _range_moved(self, *_args) -> None:
        limit = self.row_limit()
        if self.by_activity or (limit is not None and self.lanes.plan.n_more):
            self._replan.start()

    @property
    def n_more(self) -> int:
        """Actors left out of the lanes by the limit (in the "more" lane)."""
        return self.lanes.plan.n_more

    def show_all_lanes(self) -> None:
        self.lane_limit = None
        self.replan()

    def fit_lanes(self) -> None:
        self.lane_limit = "fit"
        self.replan()

    # grouping and ordering live in the shared model, so a saved view keeps them
    @property
    def group_by(self) -> str | None:
        return self.session.selection.lane_grouping.by

    @property
    def collapsed(self) -> frozenset[str]:
        return self.session.selection.lane_grouping.collapsed

    @property
    def by_activity(self) -> bool:
        return self.session.selection.lane_grouping.by_activity

    def _set_grouping(self, **changes) -> None:
        sel = self.session.selection
        sel.set_lane_grouping(replace(sel.lane_grouping, **changes), origin=self)

    def set_group_by(self, key: str | None) -> None:
        self._set_grouping(by=key, collapsed=frozenset())

    def set_collapsed(self, group: str, collapsed: bool) -> None:
        self._set_grouping(collapsed=self.collapsed | {group} if collapsed else self.collapsed - {group})

    def set_by_activity(self, on: bool) -> None:
        self._set_grouping(by_activity=on)

    def find_lane(self, actor_id: int) -> int | None:
        """Give the actor a lane of its own (out of the "more" lane or a
        collapsed group), select it and return its row."""
        data = self.session.data
        index = data.actor_index()
        if actor_id not in index:
            return None
        if actor_id in self.session.selection.hidden_lanes:
            sel = self.session.selection
            sel.set_lanes(sel.lane_order, sel.hidden_lanes - {actor_id})
        self.found.add(actor_id)
        row = self.lanes.plan.row_of_actor[index[actor_id]]
        if row >= 0 and self.lanes.plan.rows[row].kind == GROUP:
            self.set_collapsed(self.lanes.plan.rows[row].group, False)
        self.replan()
        self.session.selection.select_actors([actor_id], origin=self)
        row = int(self.lanes.plan.row_of_actor[index[actor_id]])
        return row if row >= 0 else None

    def _apply_limits(self) -> None:
        span = self.session.data.time_range
        if span is None:
            return
        lo, hi = span
        # room around a young story: its first events must not pin the view to a few days
        width = max(hi - lo, 2 * 365 * 86400)
        self.vb.setLimits(xMin=lo - width, xMax=hi + width, minXRange=MIN_SPAN, maxXRange=width * 3)

    def _colour_axes(self) -> None:
        for axis in (self.axis, self.date_axis):
            axis.setTextPen(self.palette.foreground)
            axis.setPen(self.palette.muted)

    def apply_palette(self) -> None:
        """The shared palette switched between light and dark: recolour."""
        self.plot.setBackground(self.palette.background)
        self._colour_axes()
        self.lanes.rebuild()  # lane colours are lighter on dark
        self.lanes.update()
        if self.overview is not None:
            self.overview.apply_palette()
        self.legend.set_entries(timeline_entries(self.palette, self.session.data.actor_kinds))

    def _found(self, actor_id: int) -> None:
        self.find_lane(actor_id)
        self.finder.hide()
        self.plot.setFocus()

    def _data_changed(self) -> None:
        self.finder.set_actors(self.session.data.actor_names, self.session.data.actor_ids)
        self._relayout_lanes()
        self._apply_limits()
        self.legend.set_entries(timeline_entries(self.palette, self.session.data.actor_kinds))

    # ---------------------------------------------------------- time
    def fit_all(self) -> None:
        """Fit to the data: the range holding nearly all events (98%), so a few
        outliers decades away stay reachable on the overview strip without
        squeezing the rest into one pixel column."""
        if self.session.data.time_range is None:
            self.fit_everything()  # an empty story: around today
            return
        lo, hi = timeline_summary.bulk_span(self.session.data)
        pad = max((hi - lo) * 0.03, 3600)
        self.vb.setXRange(lo - pad, hi + pad, padding=0)

    def fit_everything(self) -> None:
        """The whole range, from the earliest event to the latest."""
        span = self.session.data.time_range
        if span is None:  # an empty story: the past year up to next month, not 1970
            now = time.time()
            self.vb.setXRange(now - 365 * 86400, now + 31 * 86400, padding=0)
            return
        lo, hi = span
        pad = max((hi - lo) * 0.03, 3600)
        self.vb.setXRange(lo - pad, hi + pad, padding=0)

    def fit_story(self) -> None:
        """Where the story happens: the span of its precisely dated events
        (the 2nd to 98th percentile on big files, so outliers do not stretch it)."""
        data = self.session.data
        if data.n_events < 5:
            self.fit_all()
            return
        lo, hi = (int(v) for v in timeline_summary.story_span(data))  # kept with the data, and cached
        pad = max((hi - lo) * 0.1, 3 * 86400)
        self.vb.setXRange(lo - pad, hi + pad, padding=0)

    def bring_into_view(self, event_ids) -> None:
        """Show events just added or edited: pan to them at the same zoom, or
        widen the view when they do not fit in it."""
        starts, ends = self.session.event_bounds(event_ids)  # edits not yet folded in included
        if not len(starts):
            return
        lo, hi = float(np.min(starts)), float(np.max(ends))
        (x0, x1), _ = self.vb.viewRange()
        if lo >= x0 and hi <= x1:
            return
        width = x1 - x0
        if hi - lo > width * 0.8 or width > 200 * 365 * 86400:
            pad = max((hi - lo) * 0.25, 15 * 86400)
            self.vb.setXRange(lo - pad, hi + pad, padding=0)
        else:
            centre = (lo + hi) / 2
            self.vb.setXRange(centre - width / 2, centre + width / 2, padding=0)

    def set_window(self, lo: float, hi: float) -> None:
        self.vb.setXRange(lo, hi, padding=0)

    def _range_changed(self, _vb, rng) -> None:
        progress.drawing_frames()  # background work lets the frames go first (store/progress.py)
        self.session.selection.set_visible_range(tuple(rng), origin=self)

    def _follow_range(self, origin) -> None:
        if origin is self:
            return
        window = self.session.selection.visible_range
        if window is not None:
            self.vb.setXRange(*window, padding=0)

    def _follow_brush(self, origin) -> None:
        window = self.session.selection.brush
        if window is None:
            self.brush.hide()
            return
        if origin is not self or not self.brush.isVisible():
            self.brush.blockSignals(True)
            self.brush.setRegion(window)
            self.brush.blockSignals(False)
        self.brush.show()

    def _brush_moved(self) -> None:
        if self.brush.isVisible():
            self.session.selection.set_brush(self.brush.getRegion(), origin=self)

    # ---------------------------------------------------------- selection
    def _event_clicked(self, event_id, modifiers) -> None:
        sel = self.session.selection
        if event_id is None:
            sel.clear_selection(origin=self)
        elif modifiers & Qt.KeyboardModifier.ControlModifier:
            sel.select_events(sel.selected_events ^ {event_id}, origin=self)
        else:
            sel.select_events([event_id], origin=self)

    def _lane_clicked(self, row, modifiers) -> None:
        lane = self.lanes.plan.rows[row]
        if lane.kind == MORE:
            self.show_all_lanes()
            return
        if lane.kind == GROUP:
            self.set_collapsed(lane.group, False)
            return
        actor_id = lane.actor_id
        if actor_id == -1:
            return
        sel = self.session.selection
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            picked = [a for a in sel.actor_order if a != actor_id]
            sel.select_actors(picked + ([] if actor_id in sel.actor_order else [actor_id]), origin=self)
        else:
            sel.select_actors([actor_id], origin=self)

    def _lane_menu(self, row, screen_pos) -> None:
        menu = QMenu(self)
        self.fill_lane_menu(menu, row)
        menu.exec(screen_pos)

    def fill_lane_menu(self, menu: QMenu, row: int) -> None:
        sel = self.session.selection
        lane = self.lanes.plan.rows[row]
        actor_id = lane.actor_id
        order = list(sel.lane_order or ())
        if lane.kind == ACTOR:
            self.lane_menu_actions(menu, actor_id)
            menu.addAction("Move lane up", lambda: self._move_lane(actor_id, -1)).setEnabled(row > 0)
            menu.addAction("Move lane down", lambda: self._move_lane(actor_id, +1)).setEnabled(row < self.lanes.n_rows - 1)
            menu.addAction("Move lane to top", lambda: sel.set_lanes([actor_id] + [a for a in order if a != actor_id], sel.hidden_lanes))
            menu.addAction("Hide lane", lambda: sel.set_lanes(order, sel.hidden_lanes | {actor_id}))
        show_all = menu.addAction("Show hidden lanes", lambda: sel.set_lanes(order, ()))
        show_all.setEnabled(bool(sel.hidden_lanes))
        menu.addSeparator()
        if lane.group is not None and lane.kind == ACTOR:
            menu.addAction(f"Collapse group '{lane.group}'", lambda: self.set_collapsed(lane.group, True))
        if lane.kind == GROUP:
            menu.addAction(f"Expand group '{lane.group}'", lambda: self.set_collapsed(lane.group, False))
        if self.group_by and self.collapsed:
            menu.addAction("Expand every group", lambda: self._set_grouping(collapsed=frozenset()))
        group = menu.addMenu("Group lanes")
        for text, key in (("By kind", "kind"), ("By country", "country"), ("By saved view (its actors)", "saved"),
                          ("Not grouped", None)):
            action = group.addAction(text, lambda k=key: self.set_group_by(k))
            action.setCheckable(True)
            action.setChecked(self.group_by == key)
        busiest = menu.addAction("Order lanes by activity in the window", lambda: self.set_by_activity(not self.by_activity))
        busiest.setCheckable(True)
        busiest.setChecked(self.by_activity)
        if self.lane_limit is None:
            menu.addAction("Show only the lanes that fit", self.fit_lanes)
        elif self.n_more:
            menu.addAction(f"Show all {len(self.lanes.plan.lane_actor)} lanes", self.show_all_lanes)

    def lane_menu_actions(self, menu, actor_id: int) -> None:
        """Extra lane actions, e.g. editing, added by the window (empty here)."""
        for text, slot in self.extra_lane_actions:
            action = menu.addAction(text, lambda s=slot: s(actor_id))
            action.setEnabled(actor_id != -1)
        if self.extra_lane_actions:
            menu.addSeparator()

    extra_lane_actions: list = []  # (text, function(actor_id)) pairs, set by the main window

    def _move_lane(self, actor_id: int, delta: int) -> None:
        sel = self.session.selection
        visible = [a for a in self.lanes.row_actor_ids if a != -2]
        i = visible.index(actor_id)
        j = i + delta
        if not 0 <= j < len(visible):
            return
        visible[i], visible[j] = visible[j], visible[i]
        hidden = [a for a in sel.lane_order or () if a not in visible]
        sel.set_lanes(visible + hidden, sel.hidden_lanes, origin=self)

    def move_lane(self, actor_id: int, delta: int) -> None:
        self._move_lane(actor_id, delta)
