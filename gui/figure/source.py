"""A figure's data from an open session: its window, actors, lane order, the
events its search finds and, when asked, its selection as the highlight. The command line and the export
dialog both come through here, so they make the same figure."""

from __future__ import annotations

from store.figure_data import FigureData


def session_window(session) -> tuple[int, int] | None:
    """The window on screen, cut to where the story has events: a figure's
    subtitle must not claim years the view only showed as margin."""
    window, story = session.selection.time_window, session.data.time_range
    window = window or story
    if not window:
        return None
    lo, hi = window
    if story and story[0] < hi and lo < story[1]:
        lo, hi = max(lo, story[0]), min(hi, story[1])
    return int(lo), int(hi)


def figure_from_session(session, window=None, actor_ids=None, highlight: bool = False) -> FigureData:
    """``window`` and ``actor_ids`` default to the session's (the time window,
    the actor filter); the selection is carried only with ``highlight``."""
    sel = session.selection
    window = window or session_window(session)
    if window is None:
        from store.figure_data import FigureError

        raise FigureError("the story has no events to draw")
    if actor_ids is None and sel.actor_filter is not None:
        actor_ids = set(sel.actor_filter)
    hl_actors, hl_events = (), ()
    if highlight:
        if sel.selected_events:
            hl_events = sel.selected_events
        elif sel.selected_actors:
            hl_actors = sel.selected_actors
        elif sel.selected_edge is not None:
            idx = session.edge_event_indices(sel.selected_edge)
            hl_events = [int(session.data.event_ids[i]) for i in idx]
    found = session.search_event_ids() if sel.search else None  # what the search box finds, as on screen
    return session.figure_data(
        window, actor_ids=actor_ids, lane_order=sel.lane_order,
        hidden=sel.hidden_lanes, highlight_actors=hl_actors, highlight_events=hl_events,
        event_ids=found, search=sel.search if found is not None else "",
    )
