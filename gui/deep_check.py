"""A big file's page-by-page check, run beside the first frame.

SQLite's ``quick_check`` reads every page of a file (about 1 s per 400 MB;
``integrity_check``, which a file opened for editing gets, about 1 s per
100 MB). A big file is opened after the quick checks (header, schema,
triggers, version), its timeline shown at once, and the page check run on a worker;
until it passes the session writes nothing (edits are refused with a
message) and no cache is written beside the file, because a cache vouches
that the file passed. A damaged file stays read-only and says why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from store.timeline_data import check_deferred

# Files bigger than this are opened with the page check deferred.
DEFER_BYTES = 32 * 1024 * 1024


def defer_for(path) -> bool:
    """Whether opening ``path`` should leave its page check to ``DeepCheck``."""
    try:
        return Path(path).stat().st_size > DEFER_BYTES
    except OSError:
        return False


class DeepCheck(QObject):
    passed = Signal()
    failed = Signal(str)  # the damage, in one line for a person

    def __init__(self, parent=None):
        super().__init__(parent)
        self._job = None

    def start(self, path: Path, data) -> None:
        """Check on a worker; then write the cache of ``data`` if the file is unchanged.
        Whether the check is still to run is the story's to know (``Story.check_pending``)."""
        if self._job is not None:
            return
        from .jobs import Job

        self._job = Job(lambda: check_deferred(path, data), self)
        self._job.succeeded.connect(lambda _result: self._finished(None))
        self._job.failed.connect(self._finished)
        self._job.start()

    def _finished(self, damage: str | None) -> None:
        self._job = None
        if damage is None:
            self.passed.emit()
        else:
            self.failed.emit(damage)
