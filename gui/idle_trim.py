"""When the window gives freed memory back: once the user pauses, not in the middle of work.

``malloc_trim`` walks the heap and holds the allocator's lock while it does:
after a window's network was counted it took up to ~50 ms, and with every
thread in one arena (``store/memory.py``) the UI thread's allocations wait
for it. So work that frees a lot asks for a trim, and the trim runs here
once nothing has asked for IDLE_MS and the user has not moved the time
window for as long (``postpone``).

Who asks, and nobody else: the store at the end of a load or an index
build (``store.memory.release_free_memory``), the job runner when a job
ends (``gui/jobs.py``), and the main window once it is first shown. Once
``install`` has run (at start-up, ``gui.launch.prepare_process``), a trim
asked for on a worker thread comes here instead of holding the lock there
while the user pans.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from store.memory import defer_worker_trims, release_free_memory

IDLE_MS = 2000

_timer: QTimer | None = None


class _Relay(QObject):
    """Lives on the UI thread: a request emitted on a worker arrives queued."""

    requested = Signal()

    @Slot()
    def trim_when_idle(self) -> None:
        trim_when_idle()


_relay: _Relay | None = None


def install() -> None:
    """Send the store's worker-thread trims to ``trim_when_idle`` (UI thread, once)."""
    global _relay
    if _relay is None:
        _relay = _Relay()
        _relay.requested.connect(_relay.trim_when_idle, Qt.ConnectionType.QueuedConnection)
        defer_worker_trims(_relay.requested.emit)


def trim_when_idle() -> None:
    """Trim once IDLE_MS have passed without another request (UI thread only)."""
    global _timer
    if _timer is None:
        _timer = QTimer(singleShot=True, interval=IDLE_MS)
        _timer.timeout.connect(release_free_memory)
    _timer.start()  # restarts: a burst of requests is one trim, after it


def postpone(*_args) -> None:
    """The user is panning or zooming: a pending trim waits until they stop."""
    if _timer is not None and _timer.isActive():
        _timer.start()
