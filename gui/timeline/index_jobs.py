"""Lane indexes for big selections and filters, built off the UI thread.

Selecting the busiest actor of a ten-million-event file means indexing
millions of its pairs: half a second of sorting. A subset that large is
indexed on a worker thread (numpy sorts without holding the GIL) while the
timeline keeps drawing; when the index is ready it is kept with the data
and the timeline repaints. Small subsets are indexed at once.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..jobs import INDEX_SYNC_EVENTS, Job
from store.view_model import density


class SubsetIndexes(QObject):
    """Hands out subset indexes; ``changed`` fires when a background one is ready,
    ``failed`` (one line) when one could not be built: the timeline then keeps
    drawing the whole file, faded, and says why."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pending: dict[str, object] = {}  # slot -> mask being indexed
        self._jobs: dict[str, Job] = {}  # slot -> its job (the newest)
        self._failed: dict[str, object] = {}  # slot -> mask whose index could not be built
        self._sizes: tuple = (None, 0)  # (mask, number of events) of the last mask counted

    def get(self, data, mask: np.ndarray, slot: str) -> density.LaneIndex | None:
        """The index now, or None while it is being built in the background (or could not be)."""
        index = density.cached_index(data, mask, slot)
        if index is not None:
            return index
        if self._count(mask) <= INDEX_SYNC_EVENTS:
            return density.lane_index(data, mask, slot)
        if self._pending.get(slot) is not mask and self._failed.get(slot) is not mask:
            self._pending[slot] = mask
            # no parent: a job outliving its timeline must find a live object to emit from
            job = Job(lambda: (data, mask, slot, density.build_lane_index(data, mask)))
            job.succeeded.connect(self._ready)
            job.failed.connect(self._job_failed)
            self._jobs[slot] = job
            job.start()
        return None

    def _count(self, mask) -> int:
        if self._sizes[0] is not mask:
            self._sizes = (mask, int(np.count_nonzero(mask)))
        return self._sizes[1]

    def _ready(self, result) -> None:
        data, mask, slot, index = result
        if self._pending.get(slot) is mask:
            del self._pending[slot]
        density.keep_index(data, mask, slot, index)
        self.changed.emit()

    def _job_failed(self, message: str) -> None:
        slot = next((s for s, j in self._jobs.items() if j is self.sender()), None)
        if slot is None:
            return
        self._failed[slot] = self._pending.pop(slot, None)
        what = "the selection" if slot == "highlight" else "the filter"
        self.failed.emit(f"Could not index {what} for the timeline ({message}); the lanes show every event meanwhile.")
