"""Upkeep that holds the UI thread, kept for when the user pauses: giving
freed memory back, and Python's full cycle collection.

``malloc_trim`` walks the heap and holds the allocator's lock while it does:
after a window's network was counted it took up to ~50 ms, and with every
thread in one arena (``store/memory.py``) the UI thread's allocations wait
for it. Python's full (oldest-generation) cycle collection walks every
object the interpreter tracks, some 70,000 once the main window is open:
17-41 ms measured on the bench VM (a slowed host), on whichever thread's
allocation happens to trigger it, so left to Python it lands inside a frame,
an edit or the graph's update now and then.
So both run here, once nothing has asked for IDLE_MS and the user has not
moved the time window for as long (``postpone``).

Who asks for a trim, and nobody else: the store at the end of a load or an
index build (``store.memory.release_free_memory``), the job runner when a job
ends (``gui/jobs.py``), and the main window once it is first shown. Once
``install`` has run (at start-up, ``gui.launch.prepare_process``), a trim
asked for on a worker thread comes here instead of holding the lock there
while the user pans.

A full collection is due after FULL_AFTER collections of the middle
generation (Python's own cadence); a due one is asked for by the next pan or
job. Python itself collects in full only after FULL_ANYWAY, so the garbage
of a user who never pauses is still freed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from store.memory import defer_worker_trims, release_free_memory

IDLE_MS = 2000
FULL_AFTER = 10  # Python's default third threshold
FULL_ANYWAY = 100

_timer: QTimer | None = None


class _Relay(QObject):
    """Lives on the UI thread: a request emitted on a worker arrives queued."""

    requested = Signal()

    @Slot()
    def trim_when_idle(self) -> None:
        trim_when_idle()


_relay: _Relay | None = None


def install() -> None:
    """Send the store's worker-thread trims to ``trim_when_idle`` and hold
    Python's full collections for the pause (UI thread, once)."""
    global _relay
    if _relay is None:
        _relay = _Relay()
        _relay.requested.connect(_relay.trim_when_idle, Qt.ConnectionType.QueuedConnection)
        defer_worker_trims(_relay.requested.emit)
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_ANYWAY)


def full_collection_due() -> bool:
    return gc.get_count()[2] >= FULL_AFTER


def trim_when_idle() -> None:
    """Run the upkeep once IDLE_MS have passed without another request (UI thread only)."""
    global _timer
    if _timer is None:
        _timer = QTimer(singleShot=True, interval=IDLE_MS)
        _timer.timeout.connect(_at_pause)
    _timer.start()  # restarts: a burst of requests is one upkeep, after it


def _at_pause() -> None:
    if full_collection_due():
        gc.collect()  # first, so that what it frees is given back too
    release_free_memory()


def postpone(*_args) -> None:
    """The user is panning or zooming: pending upkeep waits until they stop,
    and a full collection that has come due is asked for."""
    if _timer is not None and _timer.isActive():
        _timer.start()
    elif full_collection_due():
        trim_when_idle()
