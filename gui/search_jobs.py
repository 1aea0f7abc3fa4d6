"""Searches of a big file run off the UI thread.

Typing a common word into the search box of a million-event file matches
hundreds of thousands of events; finding them took the UI thread up to half
a second. Here each search runs on a worker (``store.search``,
``LatestJobs``: one at a time, only the newest waiting one). Each result
names the text and the arrays it was made for, so the session uses only
results that still apply.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from store.search import search_mask, search_mask_in_file

from .jobs import SEARCH_SYNC_EVENTS, LatestJobs


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
        self._jobs = LatestJobs(self)
        self._jobs.ready.connect(self._ready)
        self._jobs.failed.connect(self._ready)  # the message, shown in the status bar

    def _key(self, text: str):
        return (text, self.session.generation)  # results of data since replaced do not apply

    def mask(self, text: str):
        """The events ``text`` finds, or None while it is being searched for."""
        key = self._key(text)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        session = self.session
        if session.path is None or session.data.n_events <= SEARCH_SYNC_EVENTS:
            self._cache = (key, search_mask(session.story.db, session.data, text))
            return self._cache[1]
        if not self._jobs.has(key):
            path, data = session.path, session.data
            self._jobs.submit(key, lambda: search_mask_in_file(path, data, text))
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
