"""The one shared model of what the user is looking at.

Every view reads it and writes it; no view holds a reference to another.
A setter given the value it already holds does nothing, so two views that
follow each other cannot ping-pong; every signal carries the object that
made the change, so that view can skip redrawing what it already shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

Window = tuple[float, float]


@dataclass(frozen=True)
class EdgeRef:
    """A selected graph edge: two actor ids and what kind of link it is."""

    a: int
    b: int
    kind: str  # "co" (shared events) or "rel" (a stated relationship)
    relationship_id: int | None = None


@dataclass(frozen=True)
class LaneGrouping:
    """Lanes grouped by "kind", "country" or "saved" (a saved view's actors),
    or not at all; groups drawn as one summary lane; lanes ordered by their
    events in the visible window."""

    by: str | None = None
    collapsed: frozenset[str] = frozenset()
    by_activity: bool = False

    GROUP_KEYS = ("kind", "country", "saved")


class SelectionModel(QObject):
    selectionChanged = Signal(object)  # origin
    visibleRangeChanged = Signal(object)
    brushChanged = Signal(object)
    filterChanged = Signal(object)
    laneOrderChanged = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._events: frozenset[int] = frozenset()
        self._actors: frozenset[int] = frozenset()
        self._actor_order: tuple[int, ...] = ()  # the selected actors in the order they were picked
        self._edge: EdgeRef | None = None
        self._visible: Window | None = None
        self._brush: Window | None = None
        self._search = ""
        self._actor_filter: frozenset[int] | None = None
        self._lane_order: tuple[int, ...] | None = None  # actor ids, top to bottom
        self._hidden: frozenset[int] = frozenset()
        self._grouping = LaneGrouping()

    # ---------------------------------------------------------- selection
    @property
    def selected_events(self) -> frozenset[int]:
        return self._events

    @property
    def selected_actors(self) -> frozenset[int]:
        return self._actors

    @property
    def actor_order(self) -> tuple[int, ...]:
        """The selected actors in the order they were picked (A then B: a relationship A -> B)."""
        return self._actor_order

    @property
    def selected_edge(self) -> EdgeRef | None:
        return self._edge

    def _set_selection(self, events, actors, edge, origin) -> None:
        picked = tuple(dict.fromkeys(actors))
        events, actors = frozenset(events), frozenset(picked)
        self._actor_order = picked
        if (events, actors, edge) == (self._events, self._actors, self._edge):
            return
        self._events, self._actors, self._edge = events, actors, edge
        self.selectionChanged.emit(origin)

    def select_events(self, event_ids, origin=None) -> None:
        self._set_selection(event_ids, (), None, origin)

    def select_actors(self, actor_ids, origin=None) -> None:
        self._set_selection((), actor_ids, None, origin)

    def select_edge(self, edge: EdgeRef | None, origin=None) -> None:
        self._set_selection((), (), edge, origin)

    def clear_selection(self, origin=None) -> None:
        self._set_selection((), (), None, origin)

    # ---------------------------------------------------------- time
    @property
    def visible_range(self) -> Window | None:
        return self._visible

    def set_visible_range(self, window: Window, origin=None) -> None:
        window = (float(window[0]), float(window[1]))
        if self._visible is not None and _close(window, self._visible):
            return
        self._visible = window
        self.visibleRangeChanged.emit(origin)

    @property
    def brush(self) -> Window | None:
        return self._brush

    def set_brush(self, window: Window | None, origin=None) -> None:
        if window is not None:
            lo, hi = sorted((float(window[0]), float(window[1])))
            window = (lo, hi)
        if window == self._brush or (window and self._brush and _close(window, self._brush)):
            return
        self._brush = window
        self.brushChanged.emit(origin)

    @property
    def time_window(self) -> Window | None:
        """The window the network follows: the brushed one, else the visible one."""
        return self._brush or self._visible

    # ---------------------------------------------------------- filters
    @property
    def search(self) -> str:
        return self._search

    def set_search(self, text: str, origin=None) -> None:
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        self.filterChanged.emit(origin)

    @property
    def actor_filter(self) -> frozenset[int] | None:
        """Actor ids to show (None: everyone)."""
        return self._actor_filter

    def set_actor_filter(self, actor_ids, origin=None) -> None:
        value = None if actor_ids is None else frozenset(actor_ids)
        if value == self._actor_filter:
            return
        self._actor_filter = value
        self.filterChanged.emit(origin)

    def clear_filters(self, origin=None) -> None:
        if not self._search and self._actor_filter is None:
            return
        self._search, self._actor_filter = "", None
        self.filterChanged.emit(origin)

    # ---------------------------------------------------------- lanes
    @property
    def lane_order(self) -> tuple[int, ...] | None:
        return self._lane_order

    @property
    def hidden_lanes(self) -> frozenset[int]:
        return self._hidden

    def set_lanes(self, order, hidden=(), origin=None) -> None:
        order = tuple(order) if order is not None else None
        hidden = frozenset(hidden)
        if (order, hidden) == (self._lane_order, self._hidden):
            return
        self._lane_order, self._hidden = order, hidden
        self.laneOrderChanged.emit(origin)

    @property
    def lane_grouping(self) -> LaneGrouping:
        return self._grouping

    def set_lane_grouping(self, grouping: LaneGrouping, origin=None) -> None:
        """How lanes are grouped and ordered (part of a saved view); the
        lanes are laid out again through ``laneOrderChanged``."""
        if grouping == self._grouping:
            return
        self._grouping = grouping
        self.laneOrderChanged.emit(origin)


def _close(a: Window, b: Window) -> bool:
    """Equal to well under a pixel: float round trips through views must not re-emit."""
    span = max(abs(a[1] - a[0]), 1.0)
    return abs(a[0] - b[0]) < span * 1e-9 and abs(a[1] - b[1]) < span * 1e-9
