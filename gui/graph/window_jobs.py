"""A window's network computed off the UI thread when the window holds many events.

Counting each actor's events and the pairs that share them is a numpy pass
over the window's (event, actor) pairs (found without a pass over the whole
file; in a big file only those of the window's two partial blocks, the rest
from running sums made once on this worker): a few ms for a story, 0.2 s
for a million events counted pair by pair. Every pan or zoom of the timeline changes the window,
so on a big file that work runs on a worker thread, one job at a time: a
window that changes while a job runs is computed next (only the newest),
and each result is applied when it arrives. The timeline never waits.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import Signal

from store.view_model.window_network import NetworkBlocks, network_of_window, overlaid_network

from ..jobs import NETWORK_SYNC_EVENTS, Job, LatestJobs  # noqa: F401  (NETWORK_SYNC_EVENTS: the panel reads it here)


class NetworkJobs(LatestJobs):
    """Counts windows on a worker (``LatestJobs``: only the newest waiting one)."""

    def count(self, request, data, filt, with_co: bool, overlay=None, extra_filt=None) -> None:
        """Count the window ``request[0]`` (events passing ``filt``, read through
        an edit's ``overlay`` if any); ``ready(request, (counts, co))``."""
        window = request[0]
        if overlay is not None:  # an edit not yet folded in: its window read through the overlay
            self.submit(request, lambda: overlaid_network(overlay, window, filt, extra_filt, with_co))
        else:  # the first big window of a file also makes its running sums (store/view_model/window_network.py)
            self.submit(request, lambda: network_of_window(data, window, filt, with_co))

    problem = Signal(str)  # a window could not be counted: one line for a person

    def __init__(self, parent=None):
        super().__init__(parent)
        # reported in the panel, never as a traceback; the next window is counted afresh
        self.failed.connect(self._report)
        # the data whose running sums were asked for, held weakly: an id could
        # be reused by later data, and a strong reference would keep old arrays alive
        self._sums_for = None

    def make_sums(self, data) -> None:
        """The data's running sums, made on a worker if they are neither made
        nor ruled out yet: windows counted here, on the UI thread, are then
        counted from them (after an edit is folded in, as after opening)."""
        if "network_blocks" in data.derived or (self._sums_for is not None and self._sums_for() is data):
            return
        self._sums_for = weakref.ref(data)
        Job(lambda: NetworkBlocks.of(data, True)).start()

    def _report(self, _key, message: str) -> None:
        self.problem.emit(f"The network of this window could not be counted ({message}).")
