"""The job runner: every piece of slow work runs off the UI thread through here.

Two ways in, one mechanism:

- ``Job(function)``: one piece of work with progress and Cancel (opening a
  file, an import, a reload, a graph layout, a lane index, a figure).
- ``LatestJobs``: work that follows the user while they pan or type (a
  window's network, a search): one job at a time, and a job asked for while
  one runs replaces any older waiting one, since only the newest matters.

A job is a plain function that opens its own SQLite connection if it needs
one (SQLite connections must not cross threads). It runs on a worker thread
inside a ``store.progress`` watcher, so readers deep in the store report
progress and honour Cancel by unwinding the job's single transaction. Its
outcome comes back on the UI thread as exactly one signal: ``succeeded``
(the result), ``failed`` (one line a person can read: never a traceback,
never dropped; a job nobody listens to prints that line on stderr) or
``cancelled``.

Every running job is kept alive here until its work is done, so a job that
outlives whoever asked for it (a closed window, a replaced timeline) finds a
live object to emit from; ``wait_all()`` blocks until none is left (an
export with no display, the tests, the benchmark). When a job ends it asks
for the memory its temporaries took to be given back, which happens on the
UI thread once the user pauses (``gui/idle_upkeep.py``).
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QCoreApplication, QMetaMethod, QObject, Signal

from store import progress
from store.memory import release_free_memory

# When work leaves the UI thread: above these sizes it would hold a frame
# (about 30 ms) or more. They differ because the work differs per event:
INDEX_SYNC_EVENTS = 100_000  # a selection's or filter's lane index: a sort of its pairs (a few ms below this)
SEARCH_SYNC_EVENTS = 100_000  # a search of the whole file (tens of ms at most below this)
NETWORK_SYNC_EVENTS = 150_000  # a window's network, by events counted one by one (~30 ms at this many)
LAYOUT_SYNC_EVENTS = 50_000  # the graph's layout gathers every pair of the history first: dearer per event
LAYOUT_SYNC_NODES = 150  # and the layout itself, by nodes

_RUNNING: set[Job] = set()  # jobs whose work has not finished, kept alive (and waitable)
_running_guard = threading.Lock()


def one_line(exc: BaseException) -> str:
    """What went wrong, as one line for a status bar or a dialog."""
    return " ".join(str(exc).split()) or type(exc).__name__


class Job(QObject):
    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # the function's result
    failed = Signal(str)  # one line for a person
    cancelled = Signal()

    def __init__(self, function, parent=None):
        super().__init__(parent)
        self.function = function
        self.watcher = progress.Watcher(on_progress=lambda done, total: self.progressed.emit(done, total))
        self._thread: threading.Thread | None = None
        self._listened = False  # someone connected to ``failed`` before the job started

    def start(self) -> None:
        self._listened = self.isSignalConnected(QMetaMethod.fromSignal(self.failed))
        self._thread = threading.Thread(target=self._run, name="threadline-job", daemon=True)
        with _running_guard:
            _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        self.watcher.cancel()

    def wait(self, seconds: float | None = None) -> None:
        """Block until the work is done and its outcome posted to the UI thread."""
        if self._thread is not None:
            self._thread.join(seconds)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            try:
                with progress.watching(self.watcher):
                    result = self.function()
            except progress.Cancelled:
                self._emit(self.cancelled)
            except Exception as exc:  # reported in one line; the store rolled back
                message = one_line(exc)
                if not self._listened:
                    print(f"threadline: background work failed: {message}", file=sys.stderr)
                self._emit(self.failed, message)
            else:
                self._emit(self.succeeded, result)
        finally:
            with _running_guard:
                _RUNNING.discard(self)  # holds no file's arrays once done
            # a job's temporaries (a window's pairs, a history's edges, a load)
            # were many times its result: given back once the user pauses
            release_free_memory()

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # whoever asked (a window, a session) was closed meanwhile: nobody to tell


def _deliver() -> None:
    """Hand results posted by workers to their receivers on this (the UI) thread."""
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


def wait_all() -> None:
    """Block until every job (and any job a result started) is done and its result delivered."""
    while True:
        with _running_guard:
            running = list(_RUNNING)
        if not running:
            break
        for job in running:
            job.wait()
        _deliver()
    _deliver()


class LatestJobs(QObject):
    """Runs ``work()`` callables as jobs, one after another, keeping only the
    newest waiting one. Each result comes back with the key it was asked
    with, so the asker can tell whether it still applies."""

    ready = Signal(object, object)  # key, result
    failed = Signal(object, str)  # key, one line for a person

    def __init__(self, parent=None):
        super().__init__(parent)
        self._job: Job | None = None  # the job running
        self._key = None  # and the key it was asked with
        self._waiting = None  # (key, work)

    @property
    def busy(self) -> bool:
        return self._job is not None or self._waiting is not None

    def has(self, key) -> bool:
        """A job for ``key`` is running or waiting."""
        return (self._job is not None and self._key == key) or (
            self._waiting is not None and self._waiting[0] == key)

    def submit(self, key, work) -> None:
        """Run ``work()`` on a worker; its result comes back as ``ready(key, result)``,
        a failure as ``failed(key, message)``."""
        if self._job is not None:
            self._waiting = (key, work)  # replaces an older waiting job: only the newest matters
            return
        self._start(key, work)

    def wait(self) -> None:
        """Block until this runner's jobs, the waiting one included, are done and delivered."""
        while self._job is not None:
            job = self._job
            job.wait()
            _deliver()
            if self._job is job:
                break  # its result could not be delivered here (not the UI thread)

    def _start(self, key, work) -> None:
        # no parent: a job outliving this runner must find a live object to emit from
        job = Job(work)
        job.succeeded.connect(self._succeeded)
        job.failed.connect(self._failed)
        self._job, self._key = job, key
        job.start()

    def _succeeded(self, result) -> None:
        key = self._next()
        self.ready.emit(key, result)

    def _failed(self, message: str) -> None:
        key = self._next()
        self.failed.emit(key, message)

    def _next(self):
        """The key of the job that just ended; the waiting one, if any, starts."""
        key, self._job, self._key = self._key, None, None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._start(*waiting)
        return key
