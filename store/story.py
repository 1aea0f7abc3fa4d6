"""An open story file: its connection and everything that decides whether it may be written.

One ``Story`` per open file owns what used to travel beside a bare
connection: the ``sqlite_utils.Database``, the writer lock
(store/writer_lock.py), whether the file is read-only and why (one line for
a person), whether its page-by-page check (store/file_checks.py) is still
to run, which file on disk it is (store/filewatch.py) and the key a cache
of its arrays is filed under (store/cache.py). It knows nothing of Qt: the
window's ``Session`` (gui/session.py) wraps one, and so can a script.

Every change goes through ``with story.write("what") as db:``: it refuses,
with the true reason, while the file may not be written, and is otherwise
one transaction of the write path (store/writing.py), which keeps the
full-text index and the cache key right.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .cache import cache_key
from .database import StoreError, close_database, memory_database, open_for_session
from .filewatch import Change, FileIdentity, changed_since, check_same_file
from .records import get_meta
from .writing import write

CHECKING = "Threadline is still checking"


class Story:
    """One open file. Make it with ``Story.open`` (or ``Story.memory``); ``close`` when done."""

    def __init__(self, db: Database, path: str | os.PathLike | None = None, *, read_only: bool = False,
                 why_read_only: str | None = None):
        self.db = db
        self.path = Path(path) if path else None
        # a big file's page check, still to run: nothing is written until it passes
        self.check_pending = bool(getattr(db, "threadline_deep_check_pending", False))
        self._read_only = read_only
        self.why_read_only = why_read_only  # one line for a person, or None
        self.identity = FileIdentity.of(self.path, db) if self.path else None

    @classmethod
    def open(cls, path: str | os.PathLike, read_only: bool = False, defer_deep_check: bool = False) -> "Story":
        """Open ``path`` checked (store/database.py): writable with the writer
        lock, or read-only with the reason why (another Threadline has it
        open, the disk or folder cannot be written). With ``defer_deep_check``
        a big file's page check is left to run later (``check_pending``)."""
        db, read_only_now, why = open_for_session(path, read_only=read_only, defer_deep_check=defer_deep_check)
        return cls(db, path, read_only=read_only_now, why_read_only=why)

    @classmethod
    def memory(cls) -> "Story":
        """An empty story in memory (tests, previews)."""
        return cls(memory_database())

    def close(self) -> None:
        """Close the connection and let go of the writer lock."""
        close_database(self.db)

    # ---------------------------------------------------------- may it be written?
    @property
    def read_only(self) -> bool:
        """Nothing may be written now: opened so, or the check has not passed, or writing was stopped."""
        return self._read_only or self.check_pending

    @property
    def lock(self):
        """The writer lock held for this file (None when read-only or in memory)."""
        return getattr(self.db, "threadline_lock", None)

    @property
    def check_level(self) -> str:
        """The page check the file had ("quick" or "integrity"), or will have when pending."""
        return getattr(self.db, "threadline_check_level", "quick")

    def refusal(self) -> str | None:
        """Why nothing can be written now, in one line for a person; None when it can.
        A file replaced or removed on disk stops writing here (``stop_writing``)."""
        if self.check_pending:
            name = self.path.name if self.path else "the file"
            return f"{CHECKING} {name} for damage; editing turns on when that is done (a few seconds)."
        if self._read_only:
            return "This file is open read-only: nothing can be changed." + (
                f" ({self.why_read_only})" if self.why_read_only else "")
        if self.identity is not None:
            try:
                check_same_file(self.db, self.path, self.identity)
            except StoreError as exc:
                self.stop_writing(str(exc))
                return str(exc)
        return None

    @contextmanager
    def write(self, what: str = "change", *, bulk: bool = False) -> Iterator[Database]:
        """One transaction of the write path, refused (StoreError, the same
        words as ``refusal``) while the file may not be written."""
        why = self.refusal()
        if why is not None:
            raise StoreError(why)
        with write(self.db, what, bulk=bulk) as db:
            yield db

    def stop_writing(self, why: str) -> None:
        """Never write again in this open (the file was replaced, removed, found damaged)."""
        self._read_only = True
        self.why_read_only = why

    def check_passed(self) -> None:
        """The deferred page check found nothing wrong: writable, unless opened read-only."""
        self.check_pending = False

    def check_failed(self, why: str) -> None:
        self.check_pending = False
        self.stop_writing(f"{why}. Editing is off; what is shown may be incomplete")

    # ---------------------------------------------------------- the file on disk
    def outside_change(self) -> Change | None:
        """What another program did to the file since we last looked (None: nothing)."""
        return changed_since(self.identity, self.db) if self.identity else None

    def take_identity(self) -> None:
        """The file as it is now is ours: after a reload, after our own worker
        wrote to it (an import), or when a person chose to keep what is shown."""
        if self.path is not None:
            self.identity = FileIdentity.of(self.path, self.db)

    def cache_key(self) -> dict | None:
        """The key a cache of this file's arrays is filed under now (None: no caching)."""
        return cache_key(self.db, self.path) if self.path else None

    # ---------------------------------------------------------- typed reads
    @property
    def title(self) -> str:
        return get_meta(self.db, "title") or (self.path.stem if self.path else "Threadline")
