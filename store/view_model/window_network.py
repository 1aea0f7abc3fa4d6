"""Who shares events in a time window: the window's events, found without a
pass over the whole file, and their co-occurrence network by the one rule in
store/network.py. Used by the relationship panel (on a worker for big
windows).
"""

from __future__ import annotations

import numpy as np

from store import network

from .visible import VisibleIndex


def window_events(data, window, filt) -> np.ndarray:
    """Indices of the events overlapping the window (and passing the filter):
    what ``network.window_mask`` selects, found in time proportional to the
    window, not to the file (events are sorted by their earliest bound)."""
    lo, hi = window if window else (None, None)
    if lo is None or hi is None:
        mask = network.window_mask(data, window)
        events = np.flatnonzero(mask if filt is None else mask & filt)
        return events
    events = VisibleIndex(data).events_in(lo, hi)
    return events if filt is None else events[filt[events]]


def events_at_most(data, window) -> int:
    """An upper bound on the events a window holds, from two binary searches:
    enough to decide whether counting it would hold up the UI thread."""
    lo, hi = window if window else (None, None)
    if lo is None or hi is None or data.time_range is None:
        return data.n_events

    index = VisibleIndex(data)
    first = data.search_start(np.floor(lo) - index.long_reach - 1, "left")
    last = data.search_start(np.ceil(hi) + 1, "right")
    return int(last - first)


def window_network(data, events: np.ndarray, with_cooccurrence: bool):
    """(events per actor, co-occurrence pairs or None) of the given events."""
    lo = data.pair_offsets[events].astype(np.int64)
    n = data.pair_offsets[events + 1] - lo
    pairs = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    actor = data.pair_actor[pairs]
    counts = np.bincount(actor, minlength=data.n_actors)
    co = network.cooccurrence_of_pairs(data, np.repeat(events, n), actor.astype(np.int64)) if with_cooccurrence else None
    return counts, co


def overlaid_network(overlay, window, filt, extra_filt, with_cooccurrence: bool):
    """``window_network`` of a window read through an edit's overlay
    (``store/timeline_overlay.py``): the base's events in it without the
    hidden ones, and the overlay's own (``filt``/``extra_filt`` over each)."""
    base, extra = overlay.base, overlay.extra
    counts, co = window_network(base, overlay.keep(window_events(base, window, filt)), with_cooccurrence)
    more, co_more = window_network(extra, window_events(extra, window, extra_filt), with_cooccurrence)
    counts = counts + more
    if co is None or not len(co_more.a):
        return counts, co
    n = base.n_actors
    keys, inverse = np.unique(np.r_[co.a * n + co.b, co_more.a * n + co_more.b], return_inverse=True)
    total = np.bincount(inverse, weights=np.r_[co.count, co_more.count], minlength=len(keys)).astype(np.int64)
    return counts, network.CoOccurrence(keys // n, keys % n, total)
