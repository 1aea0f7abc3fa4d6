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
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from store import network
from ..idle_trim import trim_when_idle

SYNC_EVENTS = 150_000  # events in the window; up to this (~30 ms) the network is computed at once


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


class _Done(QObject):
    ready = Signal(object, object)  # request, (counts, co)


class _Job(QRunnable):
    def __init__(self, request, data, filt, with_co, done):
        super().__init__()
        self.request, self.data, self.filt, self.with_co, self.done = request, data, filt, with_co, done

    def run(self):
        window = self.request[0]
        events = window_events(self.data, window, self.filt)  # finding a big window's events takes a sort
        result = window_network(self.data, events, self.with_co)
        try:
            self.done.ready.emit(self.request, result)
        except RuntimeError:
            pass  # the panel was closed meanwhile


class NetworkJobs(QObject):
    """Runs window_network jobs one after another, keeping only the newest waiting one."""

    ready = Signal(object, object)  # request, (counts, co)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._done = _Done()
        self._done.ready.connect(self._finished)
        self._running = False
        self._waiting = None

    @property
    def busy(self) -> bool:
        return self._running or self._waiting is not None

    def submit(self, request, data, filt, with_co: bool) -> None:
        """Count the window ``request[0]`` (events passing ``filt``) on a worker."""
        job = (request, data, filt, with_co)
        if self._running:
            self._waiting = job  # replaces an older waiting window: only the newest matters
            return
        self._start(job)

    def _start(self, job) -> None:
        self._running = True
        QThreadPool.globalInstance().start(_Job(*job, self._done))

    def _finished(self, request, result) -> None:
        trim_when_idle()  # the pass over every pair of the window took many times its result
        self._running = False
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(waiting)
        self.ready.emit(request, result)
