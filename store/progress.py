"""Progress and cancellation for long store jobs, without Qt.

A job run on a worker thread installs a ``Watcher`` for that thread; deep
inside, readers call ``tick(done, total)``. A tick reports progress and,
when the user asked to cancel, raises ``Cancelled`` there, which unwinds
through the import's single transaction, so the database is left exactly
as it was.

Background work that can wait (a graph layout, a file's running sums) also
calls ``pause_point()`` between its steps. While the UI thread is drawing
frames for a person (it calls ``drawing_frames()`` as the view moves), a
pause point waits a little before going on: Python runs one thread at a
time, and a worker computing beside a pan made its frames wait for the
lock, 40-50 ms where 15 were drawn alone. The work goes on at once when
the view rests, and never waits more than ``MOST_PAUSE_S`` at one point,
so it still progresses during a long drag.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

_local = threading.local()


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


class Watcher:
    def __init__(self, on_progress=None):
        self.on_progress = on_progress
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


@contextmanager
def watching(watcher: Watcher):
    previous = getattr(_local, "watcher", None)
    _local.watcher = watcher
    try:
        yield watcher
    finally:
        _local.watcher = previous


def tick(done: int, total: int) -> None:
    watcher = getattr(_local, "watcher", None)
    if watcher is None:
        return
    if watcher.cancelled:
        raise Cancelled("cancelled; nothing was imported")
    if watcher.on_progress is not None:
        watcher.on_progress(done, total)


FRAMES_FOR_S = 0.06  # after the last frame asked for: still drawing (the next is due)
MOST_PAUSE_S = 0.03  # the longest one pause point waits
_PAUSE_STEP_S = 0.002
_drawing_until = 0.0  # time.monotonic() until which the UI thread is drawing frames


def drawing_frames() -> None:
    """The UI thread is drawing frames for a person (a pan, a zoom)."""
    global _drawing_until
    _drawing_until = time.monotonic() + FRAMES_FOR_S


def pause_point() -> None:
    """Between steps of background work: while frames are being drawn, let
    them have the interpreter for a moment (at most ``MOST_PAUSE_S``). Never
    waits on the UI thread itself."""
    if threading.current_thread() is threading.main_thread():
        return
    now = time.monotonic()
    latest = now + MOST_PAUSE_S
    while now < min(_drawing_until, latest):  # a frame asked for meanwhile keeps it waiting, up to ``latest``
        time.sleep(_PAUSE_STEP_S)
        now = time.monotonic()
