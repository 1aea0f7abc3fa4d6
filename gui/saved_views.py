"""Saved views: a named time window, selection, filters, lane order and grouping.

The state is a plain JSON object kept in the file (``store.views``), so a
view saved in the window can be exported from the command line
(``export-png --view-name NAME``).
"""

from __future__ import annotations

from .selection import LaneGrouping


def current_state(selection) -> dict:
    return {
        "window": list(selection.visible_range) if selection.visible_range else None,
        "brush": list(selection.brush) if selection.brush else None,
        "selected_events": sorted(selection.selected_events),
        "selected_actors": sorted(selection.selected_actors),
        "search": selection.search,
        "actor_filter": sorted(selection.actor_filter) if selection.actor_filter is not None else None,
        "lane_order": list(selection.lane_order or ()),
        "hidden_lanes": sorted(selection.hidden_lanes),
        "lane_grouping": {
            "by": selection.lane_grouping.by,
            "collapsed": sorted(selection.lane_grouping.collapsed),
            "by_activity": selection.lane_grouping.by_activity,
        },
    }


def apply_state(selection, state: dict, origin=None) -> None:
    """Put the shared model in a saved state; views follow through its signals."""
    if state.get("lane_order"):
        known = set(selection.lane_order or ())
        order = [a for a in state["lane_order"] if a in known]
        order += [a for a in selection.lane_order or () if a not in order]
        selection.set_lanes(order, [a for a in state.get("hidden_lanes") or () if a in known], origin=origin)
    grouping = state.get("lane_grouping") or {}  # views saved before grouping was kept have none
    selection.set_lane_grouping(LaneGrouping(
        by=grouping.get("by") if grouping.get("by") in LaneGrouping.GROUP_KEYS else None,
        collapsed=frozenset(grouping.get("collapsed") or ()),
        by_activity=bool(grouping.get("by_activity")),
    ), origin=origin)  # fmt: skip
    selection.set_search(state.get("search") or "", origin=origin)
    selection.set_actor_filter(state.get("actor_filter"), origin=origin)
    if state.get("window"):
        selection.set_visible_range(tuple(state["window"]), origin=origin)
    selection.set_brush(tuple(state["brush"]) if state.get("brush") else None, origin=origin)
    if state.get("selected_events"):
        selection.select_events(state["selected_events"], origin=origin)
    elif state.get("selected_actors"):
        selection.select_actors(state["selected_actors"], origin=origin)
    else:
        selection.clear_selection(origin=origin)
