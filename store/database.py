"""Opening a Threadline file safely.

Files come from colleagues and strangers, so a file is checked before we use
it and the connection is made so that the file cannot run code of its own:
``trusted_schema=OFF`` (views and triggers may not call risky functions),
extensions are never enabled, and ATTACH is refused by an authorizer. A file
that is not ours, damaged, or from a newer Threadline is refused with a
message naming the file, and nothing is written to it.

How a file is opened (``open_database``):

1. The checks (header, ``quick_check``, schema shape, triggers, version) run
   on a separate *read-only* connection, so a refused file is never written
   to, whatever is beside it (a ``-wal`` file is read, not checkpointed).
   They run under a deadline, so a huge or hostile file fails with a message
   instead of hanging the app.
2. Only then is the connection for use opened (read-only or writable).

Durability: files we create keep SQLite's default rollback journal (DELETE
mode) and every connection uses ``synchronous=FULL``. A commit is then on
disk before it returns, and a process killed at any moment leaves either the
old or the new state: the ``-journal`` beside the file is rolled back on the
next open. We do not switch to WAL: a WAL file is only complete together
with its ``-wal`` and ``-shm`` files, so copying or mailing the ``.db`` alone
would silently lose recent edits. A file that is already in WAL mode (made
by another tool) is left in it.

One writer per file: a writable open takes an advisory lock on
``FILE.threadline-lock`` beside the database (``flock`` on POSIX,
``msvcrt.locking`` on Windows) and holds it while the database is open.
``open_for_session`` opens read-only, with a message, when another process
holds it; ``open_database`` never refuses because of it (SQLite's own
locking keeps concurrent writers safe, e.g. a command-line import while the
window is open). Opens of the same file within one process share the lock.
"""

from __future__ import annotations

import math
import os
import sqlite3
import sys
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .cache import unchanged_since_cached
from .schema import REQUIRED_TABLES, SCHEMA_VERSION, apply_migrations, migrations

SQLITE_HEADER = b"SQLite format 3\x00"

# The checks before use may take this long, plus CHECK_SECONDS_PER_GB for a
# big file (quick_check reads every page); then the file is refused.
OPEN_CHECK_SECONDS = 10.0
CHECK_SECONDS_PER_GB = 40.0

# No text or blob we store comes near this; a hostile file's view or default
# asking for randomblob(1e9) fails at once instead of taking a gigabyte.
MAX_VALUE_BYTES = 100_000_000

LOCK_SUFFIX = ".threadline-lock"

# Every name Threadline reads or writes: each must be a table if present, so
# a file cannot make one of our queries run a view of its own.
KNOWN_TABLES = REQUIRED_TABLES + ("saved_views", "meta", "_sqlite_migrations")
FTS_TABLES = ("events_fts", "actors_fts")


class StoreError(Exception):
    """A problem with a file or its contents, said in one line for a person."""


class QueryTimeout(StoreError):
    """A statement ran past the deadline set with ``QueryGuard.deadline``."""


class QueryCancelled(StoreError):
    """A statement was stopped by ``QueryGuard.cancel``."""


# ---------------------------------------------------------------- query guard


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
    def deadline(self, seconds: float | None = None):
        """Run the block's statements for at most ``seconds`` (None: no time
        limit, only ``cancel()``); raises QueryTimeout or QueryCancelled."""
        until = math.inf if seconds is None else time.monotonic() + seconds
        outermost = not self._until
        self._until.append(min(until, self._until[-1]) if self._until else until)
        if outermost:
            self._cancelled.clear()
            self._tripped = None
            self._conn.set_progress_handler(self._check, self.STEPS)
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


# ---------------------------------------------------------------- writer lock


class WriterLock:
    """This process's claim to be the one Threadline writing a file."""

    def __init__(self, key: str, path: Path):
        self._key = key
        self.path = path
        self._released = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with _held_guard:
            entry = _held.get(self._key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _held[self._key]
            _unlock(entry[0], self.path)


# key (real path of the lock file) -> [fd, how many opens share it]
_held: dict[str, list] = {}
_held_guard = threading.Lock()


def lock_path(db_path: str | os.PathLike) -> Path:
    # Absolute, so releasing after a chdir still deletes the right file.
    return Path(os.path.abspath(str(db_path) + LOCK_SUFFIX))


def _lock_key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def held_in_this_process(db_path: str | os.PathLike) -> bool:
    with _held_guard:
        return _lock_key(lock_path(db_path)) in _held


def acquire_writer_lock(db_path: str | os.PathLike) -> WriterLock | None:
    """Take the writer lock of ``db_path``; None when another process holds it.

    Raises OSError when the lock file cannot be made (a read-only folder).
    """
    path = lock_path(db_path)
    key = _lock_key(path)
    with _held_guard:
        entry = _held.get(key)
        if entry is not None:  # another open in this process: share it
            entry[1] += 1
            return WriterLock(key, path)
        fd = _lock(path)
        if fd is None:
            return None
        _held[key] = [fd, 1]
        return WriterLock(key, path)


def lock_holder(db_path: str | os.PathLike) -> str | None:
    """What the lock file says about its holder ("process 1234"), if anything."""
    try:
        text = lock_path(db_path).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return f"process {text}" if text.isdigit() else None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(path: Path) -> int | None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            return None
        return fd

    def _unlock(fd: int, path: Path) -> None:
        # Windows cannot delete an open file, and the lock dies with the handle.
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        os.close(fd)

else:
    import errno
    import fcntl

    def _lock(path: Path) -> int | None:
        for _attempt in range(10):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    return None
                raise
            # The holder deletes the file when it lets go; if it did so between
            # our open and our lock, we locked a file nobody else will see.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode("ascii"))
                return fd
            os.close(fd)
        return None

    def _unlock(fd: int, path: Path) -> None:
        # Delete while still holding it (see the check in _lock), so no lock
        # files are left behind after a normal close.
        try:
            path.unlink()
        except OSError:
            pass
        os.close(fd)


# ---------------------------------------------------------------- connections


def _deny_attach(action, *_args):
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute("PRAGMA cell_size_check = ON")  # notice damaged pages early, not after reading garbage
    conn.set_authorizer(_deny_attach)
    if not readonly:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")  # see the module docstring
    return conn


def _check_header(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path}: not a SQLite database")


def _check_shape(conn: sqlite3.Connection, path: Path) -> bool:
    """Raise unless the tables are ours and plain; True if the file is empty."""
    rows = conn.execute("SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    objects = {name: kind for name, kind, _ in rows}
    if not objects:
        return True  # an empty database: ours to set up
    missing = [t for t in REQUIRED_TABLES if objects.get(t) != "table"]
    if missing:
        what = ", ".join(f"'{t}' is a {objects[t]}" if t in objects else f"no '{t}' table" for t in missing)
        raise StoreError(f"{path}: not a Threadline database ({what})")
    for name in KNOWN_TABLES + FTS_TABLES:
        if name in objects and objects[name] != "table":
            raise StoreError(f"{path}: not a Threadline database ('{name}' is a {objects[name]})")
    sql = {name: (text or "") for name, _, text in rows}
    for name in FTS_TABLES:
        if name in sql and "fts5" not in sql[name].lower():
            raise StoreError(f"{path}: not a Threadline database ('{name}' is not a full-text index)")
    for name, kind, _ in rows:
        if kind == "trigger":
            # Threadline makes no triggers: any trigger came from elsewhere.
            raise StoreError(f"{path}: not a Threadline database (it has a foreign trigger '{name}')")
    return False


def _check_contents(db: Database, path: Path) -> bool:
    """Raise StoreError unless the file is ours; True if it needs its schema made."""
    conn = db.conn
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: written by a newer Threadline (schema {version}, this one knows {SCHEMA_VERSION}); "
                "update Threadline to open it"
            )
        # quick_check reads every page (about 1 s per 400 MB); a file byte for byte
        # as it was when its timeline cache was written (after passing this
        # check) need not be read again.
        ok = "ok" if unchanged_since_cached(path) else conn.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise StoreError(f"{path}: the database is damaged ({ok})")
        if _check_shape(conn, path):
            return True
        return bool(migrations.pending(db))
    except sqlite3.DatabaseError as exc:
        if _needs_rollback(exc) or _interrupted(exc):
            raise  # handled by the caller: a rollback to do, a deadline passed
        raise StoreError(f"{path}: damaged or not a database ({exc})") from None


def _needs_rollback(exc: Exception) -> bool:
    # A read-only connection cannot roll back the -journal a killed writer left.
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"


def _interrupted(exc: Exception) -> bool:
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT"


def _check_seconds(path: Path, seconds: float | None) -> float:
    if seconds is not None:
        return seconds
    size_gb = path.stat().st_size / 1e9
    return OPEN_CHECK_SECONDS + CHECK_SECONDS_PER_GB * size_gb


def _check_before_use(path: Path, seconds: float) -> bool:
    """All checks, on a read-only connection under a deadline: nothing is written."""
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open ({exc})") from None
    try:
        with QueryGuard(conn).deadline(seconds):
            return _check_contents(Database(conn), path)
    except QueryTimeout:
        raise StoreError(
            f"{path}: took too long to check (more than {seconds:g} s); it may be hostile or damaged"
        ) from None
    finally:
        conn.close()


def _roll_back_interrupted_write(path: Path) -> None:
    """Let SQLite roll back the -journal of a writer that was killed.

    This is SQLite's own recovery of our file (it restores the last
    committed state); the checks then run on the recovered file.
    """
    try:
        conn = _connect(path, readonly=False)
        try:
            with QueryGuard(conn).deadline(OPEN_CHECK_SECONDS):
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, QueryTimeout) as exc:
        raise StoreError(f"{path}: an interrupted write could not be rolled back ({exc})") from None


def _checked(path: Path, readonly: bool, seconds: float) -> bool:
    try:
        return _check_before_use(path, seconds)
    except sqlite3.DatabaseError as exc:
        if not _needs_rollback(exc):
            raise StoreError(f"{path}: damaged or not a database ({exc})") from None
    if readonly:
        raise StoreError(
            f"{path}: a program stopped in the middle of writing it (its -journal file is beside it); "
            "open it for editing once so the unfinished change can be rolled back"
        )
    _roll_back_interrupted_write(path)
    return _check_before_use(path, seconds)


def _check_path(path: Path, create: bool, readonly: bool) -> bool:
    """Refuse what is not a file we may open; True when there is no content yet."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.exists():
        if not create or readonly:
            raise StoreError(f"{path}: no such file")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        return True
    if path.stat().st_size == 0:
        # A zero-byte file is an empty database (as SQLite sees it): a
        # writable open makes it a Threadline file, a read-only one refuses.
        if readonly:
            raise StoreError(f"{path}: is empty (0 bytes), not a Threadline database yet; open it for editing to start one")
        return True
    _check_header(path)
    return False


def _same_file(path: Path, before: os.stat_result) -> bool:
    try:
        return os.path.samestat(before, path.stat())
    except OSError:
        return False


def _open(path: Path, create: bool, readonly: bool, check_seconds: float | None) -> Database:
    fresh = _check_path(path, create, readonly)
    needs_schema = fresh
    before = None
    if not fresh:
        before = path.stat()
        needs_schema = _checked(path, readonly, _check_seconds(path, check_seconds))
        if needs_schema and readonly:
            raise StoreError(f"{path}: needs a schema upgrade, which a read-only open cannot do")
    try:
        conn = _connect(path, readonly)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open ({exc})") from None
    if before is not None and not _same_file(path, before):
        conn.close()
        raise StoreError(f"{path}: was replaced by another program while it was being opened; try again")
    db = Database(conn)
    db.guard = QueryGuard(conn)
    try:
        if needs_schema:
            apply_migrations(db)
    except Exception:
        conn.close()
        raise
    return db


def _attach_lock(db: Database, lock: WriterLock | None) -> None:
    db.threadline_lock = lock
    if lock is not None:
        # Callers that just close the connection (or drop the object) must not
        # keep other processes read-only: the lock goes with the object.
        weakref.finalize(db, lock.release)


def open_database(
    path: str | os.PathLike,
    *,
    create: bool = False,
    readonly: bool = False,
    check_seconds: float | None = None,
) -> Database:
    """Open ``path`` as a Threadline database, checked and migrated.

    ``create`` makes the file when it does not exist. ``readonly`` opens it
    so that nothing can be written, and refuses files that would need a
    schema upgrade (we never write to a file opened read-only).
    ``check_seconds`` bounds the checks before use (default: 10 s plus 40 s
    per GB). A writable open takes the writer lock when it is free
    (``db.threadline_lock``, None when another process holds it); close with
    ``close_database`` to let it go at once. ``db.guard`` is the connection's
    QueryGuard.
    """
    path = Path(path)
    lock = None
    if not readonly and not path.is_dir() and (path.exists() or create):
        try:
            lock = acquire_writer_lock(path)
        except OSError:
            lock = None  # a folder we cannot write in: SQLite will say so on the first write
    try:
        db = _open(path, create, readonly, check_seconds)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    _attach_lock(db, lock)
    db.threadline_read_only = readonly
    return db


def open_for_session(path: str | os.PathLike, read_only: bool = False) -> tuple[Database, bool, str | None]:
    """Open a file for the window: ``(db, read_only_now, message)``.

    Falls back to read-only, with a message for the status bar, when another
    Threadline has the file open for editing, or when the file or its folder
    cannot be written.
    """
    path = Path(path)
    if read_only:
        return open_database(path, readonly=True), True, None
    _check_path(path, create=False, readonly=False)
    reason = _why_not_writable(path)
    if reason:
        return open_database(path, readonly=True), True, f"{path.name} {reason}, so it is open read-only."
    try:
        lock = acquire_writer_lock(path)
    except OSError:
        lock = None
        reason = "is in a folder Threadline cannot write in"
    else:
        if lock is None:
            holder = lock_holder(path)
            reason = f"is open for editing in another Threadline window ({holder})" if holder else (
                "is open for editing in another Threadline window"
            )
    if lock is None:
        message = f"{path.name} {reason}, so it is open read-only. Close it there to edit it here."
        return open_database(path, readonly=True), True, message
    try:
        db = _open(path, False, False, None)
    except BaseException:
        lock.release()
        raise
    _attach_lock(db, lock)
    db.threadline_read_only = False
    return db, False, None


def _why_not_writable(path: Path) -> str | None:
    if path.exists() and not os.access(path, os.W_OK):
        return "cannot be written (it is read-only on disk)"
    if not os.access(path.parent, os.W_OK):
        return "is in a folder Threadline cannot write in"
    return None


def close_database(db: Database) -> None:
    """Close the connection, then let go of the writer lock (idempotent)."""
    try:
        db.conn.close()
    finally:
        lock = getattr(db, "threadline_lock", None)
        if lock is not None:
            lock.release()


def memory_database() -> Database:
    """A fresh in-memory Threadline database (tests, previews)."""
    db = Database(memory=True)
    db.conn.execute("PRAGMA foreign_keys = ON")
    apply_migrations(db)
    db.guard = QueryGuard(db.conn)
    db.threadline_lock = None
    db.threadline_read_only = False
    return db
