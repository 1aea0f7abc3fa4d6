"""Running slow store work off the UI thread, with progress and Cancel.

A job is a plain function that opens its own SQLite connection (SQLite
connections must not cross threads); it runs on a worker thread inside a
``store.progress`` watcher, so readers deep in the store report progress
and honour Cancel by unwinding the job's single transaction.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from store import progress


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

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="threadline-job", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.watcher.cancel()

    def wait(self, seconds: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(seconds)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            with progress.watching(self.watcher):
                result = self.function()
        except progress.Cancelled:
            self._emit(self.cancelled)
        except Exception as exc:  # reported to the user in one line; the store rolled back
            self._emit(self.failed, str(exc) or type(exc).__name__)
        else:
            self._emit(self.succeeded, result)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # whoever asked (a window, a session) was closed meanwhile: nobody to tell
