"""Progress and cancellation for long store jobs, without Qt.

A job run on a worker thread installs a ``Watcher`` for that thread; deep
inside, readers call ``tick(done, total)``. A tick reports progress and,
when the user asked to cancel, raises ``Cancelled`` there, which unwinds
through the import's single transaction, so the database is left exactly
as it was.
"""

from __future__ import annotations

import threading
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
