"""A window's network computed off the UI thread when the window holds many events.

Counting each actor's events and the pairs that share them is a numpy pass
over every (event, actor) pair in the window (found without a pass over the
whole file): a few ms for a story, 0.2 s for a million events. Every pan or zoom of the timeline changes the window,
so on a big file that work runs on a worker thread, one job at a time: a
window that changes while a job runs is computed next (only the newest),
and each result is applied when it arrives. The timeline never waits.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal

from store import network

from ..idle_trim import trim_when_idle
from ..latest_jobs import LatestJobs

NETWORK_SYNC_EVENTS = 150_000  # events in the window; up to this (~30 ms) the network is computed at once


def window_events(data, window, filt) -> np.ndarray:
    """Indices of the events overlapping the window (and passing the filter):
    what ``network.window_mask`` selects, found in time proportional to the
    window, not to the file (events are sorted by their earliest bound)."""
    from ..timeline.visible import VisibleIndex  # the timeline keeps one per data

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
    from ..timeline.visible import VisibleIndex

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


class NetworkJobs(LatestJobs):
    """Counts windows on a worker (``LatestJobs``: only the newest waiting one)."""

    def count(self, request, data, filt, with_co: bool) -> None:
        """Count the window ``request[0]`` (events passing ``filt``); ``ready(request, (counts, co))``."""
        window = request[0]
        # finding a big window's events takes a sort
        self.submit(request, lambda: window_network(data, window_events(data, window, filt), with_co))

    problem = Signal(str)  # a window could not be counted: one line for a person

    def __init__(self, parent=None):
        super().__init__(parent)
        # reported in the panel, never as a traceback; the next window is counted afresh
        self.failed.connect(self._report)

    def _report(self, _key, exc) -> None:
        self.problem.emit(f"The network of this window could not be counted ({exc or type(exc).__name__}).")

    def _finished(self, key, result) -> None:
        trim_when_idle()  # the pass over every pair of the window took many times its result
        super()._finished(key, result)
