"""Give freed memory back when the user pauses, not in the middle of work.

``malloc_trim`` walks the heap and holds the allocator's lock while it does:
after a window's network was counted it took up to ~50 ms, and with every
thread in one arena (``store/memory.py``) the UI thread's allocations wait
for it. So work that frees a lot asks for a trim here, and the trim runs
once nothing has asked for IDLE_MS.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from store.memory import release_free_memory

IDLE_MS = 2000

_timer: QTimer | None = None


def trim_when_idle() -> None:
    """Trim once IDLE_MS have passed without another request (UI thread only)."""
    global _timer
    if _timer is None:
        _timer = QTimer(singleShot=True, interval=IDLE_MS)
        _timer.timeout.connect(release_free_memory)
    _timer.start()  # restarts: a burst of requests is one trim, after it
