"""Errors and time limits for SQLite statements.

A file from a stranger can hold a view or a default that runs forever; every
statement on such data runs under a ``QueryGuard`` deadline, so the app says
"took too long" instead of hanging. The errors are ``StoreError``s: one line
for a person, naming the file.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager

from sqlite_utils import Database


class StoreError(Exception):
    """A problem with a file or its contents, said in one line for a person."""


class QueryTimeout(StoreError):
    """A statement ran past the deadline set with ``QueryGuard.deadline``."""


class QueryCancelled(StoreError):
    """A statement was stopped by ``QueryGuard.cancel``."""



class QueryGuard:
    """Time limits and cancelling for the statements of one connection.

    SQLite calls a progress handler every few thousand virtual-machine steps;
    ours stops the running statement when the innermost ``deadline()`` has
    passed or ``cancel()`` was called. Outside a ``deadline()`` block no
    handler is installed, so ordinary queries pay nothing and a stray
    ``cancel()`` cannot abort an unrelated edit.

    ``deadline()`` must be entered on the thread that runs the statements;
    ``cancel()`` may be called from any thread (it only sets an Event).
    The guard owns the connection's one progress handler.
    """

    STEPS = 4000  # VM steps between looks at the clock: well under a millisecond

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._cancelled = threading.Event()
        self._until: list[float] = []  # deadlines of the nested blocks, innermost last
        self._tripped: str | None = None

    @contextmanager
    def deadline(self, seconds: float | None = None, steps: int | None = None):
        """Run the block's statements for at most ``seconds`` (None: no time
        limit, only ``cancel()``); raises QueryTimeout or QueryCancelled.
        ``steps`` (outermost block only) looks at the clock more often than
        ``STEPS``: a one-row write is a few dozen steps, however long one of
        them takes."""
        until = math.inf if seconds is None else time.monotonic() + seconds
        outermost = not self._until
        self._until.append(min(until, self._until[-1]) if self._until else until)
        if outermost:
            self._cancelled.clear()
            self._tripped = None
            self._conn.set_progress_handler(self._check, steps or self.STEPS)
        try:
            yield self
        except sqlite3.OperationalError as exc:
            tripped, self._tripped = self._tripped, None
            if tripped == "time":
                raise QueryTimeout("the query ran past its time limit and was stopped") from exc
            if tripped == "cancel":
                raise QueryCancelled("the query was cancelled") from exc
            raise
        finally:
            self._until.pop()
            if outermost:
                self._conn.set_progress_handler(None, 0)
                self._cancelled.clear()

    def cancel(self) -> None:
        """Stop whatever runs inside ``deadline()`` now (thread-safe)."""
        self._cancelled.set()

    @property
    def active(self) -> bool:
        return bool(self._until)

    def _check(self) -> int:
        # Stay set once tripped: every later statement of the block stops too.
        if self._cancelled.is_set():
            self._tripped = "cancel"
            return 1
        if time.monotonic() > self._until[-1]:
            self._tripped = "time"
            return 1
        return 0


def query_guard(db: Database) -> QueryGuard:
    """The guard of ``db``'s connection (made on first use)."""
    guard = getattr(db, "guard", None)
    if guard is None:
        guard = db.guard = QueryGuard(db.conn)
    return guard




# ---------------------------------------------------------------- writes

def write_seconds() -> float:
    """The deadline of one write transaction (an edit, a saved view): 30 s,
    or ``THREADLINE_WRITE_SECONDS``. A file can make writes cost anything (a
    CHECK constraint or an index on an expensive expression); past this the
    write is rolled back and reported instead of holding the app."""
    import os

    try:
        seconds = float(os.environ.get("THREADLINE_WRITE_SECONDS", ""))
    except ValueError:
        return 30.0
    return seconds if seconds > 0 and math.isfinite(seconds) else 30.0


# An edit's statements touch a few rows: a few dozen VM steps each, so the
# clock is looked at every WRITE_STEPS (a Python call: about a microsecond).
WRITE_STEPS = 20


def guard_writes(db: Database) -> None:
    """Make every outermost ``db.atomic()`` run under the write deadline, unless
    the caller has already set a deadline of its own (an import sets one
    that grows with the file it reads)."""
    # Only a weak reference and the class's own method: a closure holding the
    # database (or its bound atomic) would keep it alive past its last user,
    # and with it the writer lock that is let go when it is dropped.
    ref = weakref.ref(db)
    plain_atomic = type(db).atomic

    @contextmanager
    def atomic():
        db = ref()
        plain = lambda: plain_atomic(db)  # noqa: E731
        guard = query_guard(db)
        if db.conn.in_transaction or guard.active:
            with plain():
                yield db
            return
        seconds = write_seconds()
        try:
            with guard.deadline(seconds, steps=WRITE_STEPS), plain():
                yield db
        except QueryTimeout:
            raise QueryTimeout(
                f"writing took longer than {seconds:g} s and was stopped; nothing was changed "
                "(the file may hold an expensive constraint or index)"
            ) from None

    db.atomic = atomic
