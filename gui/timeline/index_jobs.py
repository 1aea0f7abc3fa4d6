"""Lane indexes for big selections and filters, built off the UI thread.

Selecting the busiest actor of a ten-million-event file means indexing
millions of its pairs: half a second of sorting. A subset that large is
indexed on a worker thread (numpy sorts without holding the GIL) while the
timeline keeps drawing; when the index is ready it is kept with the data
and the timeline repaints. Small subsets are indexed at once.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from . import density

SYNC_EVENTS = 100_000  # subsets up to this many events are indexed in the frame (a few ms)


class _Done(QObject):
    ready = Signal(object, object, str, object)  # data, mask, slot, index


class _Job(QRunnable):
    def __init__(self, data, mask, slot, done):
        super().__init__()
        self.data, self.mask, self.slot, self.done = data, mask, slot, done

    def run(self):
        index = density.build_lane_index(self.data, self.mask)
        self.done.ready.emit(self.data, self.mask, self.slot, index)


class SubsetIndexes(QObject):
    """Hands out subset indexes; ``changed`` fires when a background one is ready."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._done = _Done()
        self._done.ready.connect(self._ready)
        self._pending: dict[str, object] = {}  # slot -> mask being indexed
        self._sizes: tuple = (None, 0)  # (mask, number of events) of the last mask counted

    def get(self, data, mask: np.ndarray, slot: str) -> density.LaneIndex | None:
        """The index now, or None while it is being built in the background."""
        index = density.cached_index(data, mask, slot)
        if index is not None:
            return index
        if self._count(mask) <= SYNC_EVENTS:
            return density.lane_index(data, mask, slot)
        if self._pending.get(slot) is not mask:
            self._pending[slot] = mask
            QThreadPool.globalInstance().start(_Job(data, mask, slot, self._done))
        return None

    def _count(self, mask) -> int:
        if self._sizes[0] is not mask:
            self._sizes = (mask, int(np.count_nonzero(mask)))
        return self._sizes[1]

    def _ready(self, data, mask, slot, index) -> None:
        if self._pending.get(slot) is mask:
            del self._pending[slot]
        density.keep_index(data, mask, slot, index)
        self.changed.emit()

    @staticmethod
    def wait() -> None:
        QThreadPool.globalInstance().waitForDone()
