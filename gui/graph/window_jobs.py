"""A window's network computed off the UI thread when the window holds many events.

Counting each actor's events and the pairs that share them is a numpy pass
over every (event, actor) pair in the window (found without a pass over the
whole file): a few ms for a story, 0.2 s for a million events. Every pan or zoom of the timeline changes the window,
so on a big file that work runs on a worker thread, one job at a time: a
window that changes while a job runs is computed next (only the newest),
and each result is applied when it arrives. The timeline never waits.
"""

from __future__ import annotations

from PySide6.QtCore import Signal

from store.view_model.window_network import overlaid_network, window_events, window_network

from ..idle_trim import trim_when_idle
from ..latest_jobs import LatestJobs

NETWORK_SYNC_EVENTS = 150_000  # events in the window; up to this (~30 ms) the network is computed at once


class NetworkJobs(LatestJobs):
    """Counts windows on a worker (``LatestJobs``: only the newest waiting one)."""

    def count(self, request, data, filt, with_co: bool, overlay=None, extra_filt=None) -> None:
        """Count the window ``request[0]`` (events passing ``filt``, read through
        an edit's ``overlay`` if any); ``ready(request, (counts, co))``."""
        window = request[0]
        # finding a big window's events takes a sort
        if overlay is not None:
            self.submit(request, lambda: overlaid_network(overlay, window, filt, extra_filt, with_co))
        else:
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
