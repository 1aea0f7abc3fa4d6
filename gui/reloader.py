"""Re-reading the file's arrays after an edit, without freezing the window.

Every edit is committed at once, so the arrays the views draw from must be
read again afterwards. For a story that takes milliseconds and happens at
once. For a file of hundreds of thousands of events it takes a second or
two, so it runs on a worker with a connection of its own: the views keep
showing the old arrays (the detail panel already reads the new text) and
switch to the new ones in one step when they arrive. Edits made meanwhile
are not lost or reordered: a reload asked for while one runs starts again
when it ends, and what was to happen after an edit (selecting what it
made) runs once the arrays that contain it are shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from store import queries
from store.database import reading
from store.timeline_data import load_timeline_data

# Above this many events a reload runs on a worker (about 0.15 s of reading
# per 100,000 events); at or below it, at once.
BACKGROUND_EVENTS = 200_000


def read_state(db, write_cache: bool = True, progress=None):
    """(arrays, relationships) of the file as it is now."""
    return load_timeline_data(db, write_cache=write_cache, progress=progress), queries.relationships_in_window(db)


def _read_file(path, write_cache: bool, progress):
    with reading(path) as db:
        return read_state(db, write_cache, progress)


class Reloader(QObject):
    busy = Signal(bool)  # a background reload started (True) or finished (False)
    progressed = Signal(int, int)  # done, total, while reading in the background

    def __init__(self, session, apply, background_events: int | None = None):
        super().__init__(session)
        self.session = session
        self._apply = apply  # apply(data, relationships) swaps them in, on the UI thread
        self.background_events = BACKGROUND_EVENTS if background_events is None else background_events
        self._job = None
        self._again = False
        self._then: list = []

    @property
    def running(self) -> bool:
        return self._job is not None

    def reload(self, then=None) -> None:
        """Read the file again and show it; then call ``then()`` (at once or later)."""
        if then is not None:
            self._then.append(then)
        if self._job is not None:
            self._again = True  # read again when this one ends: it may have missed the newest edit
            return
        session = self.session
        if session.path is None or session.data.n_events <= self.background_events:
            self._apply(*read_state(session.story.db, write_cache=not session.deep_check_pending))
            self._run_then()
            return
        self._start()

    def _start(self) -> None:
        from .jobs import Job

        path, write_cache = self.session.path, not self.session.deep_check_pending
        job = Job(lambda: _read_file(path, write_cache, lambda f: job.progressed.emit(int(f * 1000), 1000)), self)
        job.succeeded.connect(self._arrived)
        job.failed.connect(self._failed)
        job.progressed.connect(self.progressed)
        self._job = job
        self.busy.emit(True)
        job.start()

    def _arrived(self, state) -> None:
        self._job = None
        self._apply(*state)  # newer than what is shown, even if a later edit is still to be read
        if self._again:
            self._again = False
            self._start()
            return
        self.busy.emit(False)
        self._run_then()

    def _failed(self, why: str) -> None:
        self._job = None
        self._again = False
        self._then.clear()
        self.busy.emit(False)
        self.session.stop_writing(f"the file could not be read again after an edit ({why}); reopen it")

    def _run_then(self) -> None:
        then, self._then = self._then, []
        for function in then:
            function()
