"""Work that follows the user on a worker thread, newest first.

While the user pans or types, each change asks for work (count this window,
search for these words) faster than it can be done. ``LatestJobs`` runs one
job at a time on the thread pool; a job asked for while one runs waits, and
replaces any older waiting one, since only the newest matters. Each result
comes back on the UI thread with the key it was asked with, so the asker can
tell whether it still applies.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Done(QObject):
    ready = Signal(object, object)  # key, result (the Exception, if the work raised one)


class _Job(QRunnable):
    def __init__(self, key, work, done):
        super().__init__()
        self.key, self.work, self.done = key, work, done

    def run(self):
        try:
            result = self.work()
        except Exception as exc:  # handed to the asker, who says what went wrong
            result = exc
        try:
            self.done.ready.emit(self.key, result)
        except RuntimeError:
            pass  # the asker was deleted meanwhile (its window closed)


class LatestJobs(QObject):
    """Runs ``work()`` callables one after another, keeping only the newest waiting one."""

    ready = Signal(object, object)  # key, result
    failed = Signal(object, object)  # key, the Exception the work raised

    def __init__(self, parent=None):
        super().__init__(parent)
        self._done = _Done()
        self._done.ready.connect(self._finished)
        self._running = None  # (key,) of the job running
        self._waiting = None  # (key, work)

    @property
    def busy(self) -> bool:
        return self._running is not None or self._waiting is not None

    def has(self, key) -> bool:
        """A job for ``key`` is running or waiting."""
        return (self._running is not None and self._running[0] == key) or (
            self._waiting is not None and self._waiting[0] == key)

    def submit(self, key, work) -> None:
        """Run ``work()`` on a worker; its result comes back as ``ready(key, result)``."""
        if self._running is not None:
            self._waiting = (key, work)  # replaces an older waiting job: only the newest matters
            return
        self._start(key, work)

    def _start(self, key, work) -> None:
        self._running = (key,)
        QThreadPool.globalInstance().start(_Job(key, work, self._done))

    def _finished(self, key, result) -> None:
        self._running = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(*waiting)
        if isinstance(result, Exception):
            self.failed.emit(key, result)
        else:
            self.ready.emit(key, result)
