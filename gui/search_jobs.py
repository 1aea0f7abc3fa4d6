"""Searches of a big file run off the UI thread.

Typing a common word into the search box of a million-event file matches
hundreds of thousands of events; finding them took the UI thread up to half
a second. Here each search runs on a worker (``store.search``), one at a
time: a search typed while one runs waits, and only the newest waiting one
is run. Each result names the text and the data it was made for, so the
session uses only results that still apply.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from store.search import search_mask_in_file

SYNC_EVENTS = 100_000  # files up to this many events are searched at once (tens of ms at most)


class _Done(QObject):
    ready = Signal(object, object)  # (text, generation), mask or an error message


class _Job(QRunnable):
    def __init__(self, key, path, data, done):
        super().__init__()
        self.key, self.path, self.data, self.done = key, path, data, done

    def run(self):
        try:
            result = search_mask_in_file(self.path, self.data, self.key[0])
        except Exception as exc:  # a file gone or damaged meanwhile: the session says so, nothing crashes
            result = str(exc) or type(exc).__name__
        try:
            self.done.ready.emit(self.key, result)
        except RuntimeError:
            pass  # the window was closed meanwhile


class SearchJobs(QObject):
    """Runs searches one after another, keeping only the newest waiting one."""

    ready = Signal(object, object)  # (text, generation), mask (numpy bool) or error (str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._done = _Done()
        self._done.ready.connect(self._finished)
        self._running = None  # key of the search running
        self._waiting = None

    def running_or_waiting(self, key) -> bool:
        return key in (self._running, self._waiting and self._waiting[0])

    def submit(self, key, path, data) -> None:
        """Search for ``key[0]`` in the file at ``path`` (events of ``data``)."""
        if self.running_or_waiting(key):
            return
        job = (key, path, data)
        if self._running is not None:
            self._waiting = job  # replaces an older waiting search: only the newest matters
            return
        self._start(job)

    def _start(self, job) -> None:
        self._running = job[0]
        QThreadPool.globalInstance().start(_Job(*job, self._done))

    def _finished(self, key, result) -> None:
        self._running = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(waiting)
        self.ready.emit(key, result)


class Searches(QObject):
    """The search masks of one session: found at once in a small file, on a
    worker in a big one. ``mask`` gives None while that search runs, and
    ``finished`` says when its result is in (the views then filter again)."""

    finished = Signal()

    def __init__(self, session):
        super().__init__(session)
        self.session = session
        self.error: str | None = None  # why the last search failed, for the status bar
        self._cache = None  # (key, mask)
        self._jobs = SearchJobs(self)
        self._jobs.ready.connect(self._ready)

    def _key(self, text: str):
        return (text, self.session.generation)  # results of data since replaced do not apply

    def mask(self, text: str):
        """The events ``text`` finds, or None while it is being searched for."""
        key = self._key(text)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        session = self.session
        if session.path is None or session.data.n_events <= SYNC_EVENTS:
            from store.search import search_mask

            self._cache = (key, search_mask(session.db, session.data, text))
            return self._cache[1]
        self._jobs.submit(key, session.path, session.data)
        return None

    def pending(self, text: str) -> bool:
        return self._cache is None or self._cache[0] != self._key(text)

    def _ready(self, key, result) -> None:
        if key != self._key(self.session.selection.search):
            return  # typed over, or the data changed: a newer search is on its way
        self.error = result if isinstance(result, str) else None
        mask = result if self.error is None else np.zeros(self.session.data.n_events, dtype=bool)
        self._cache = (key, mask)
        self.finished.emit()
