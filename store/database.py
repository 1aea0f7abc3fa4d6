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

The window may defer the one slow check, ``quick_check`` (it reads every
page: about 1 s per 400 MB), to run beside its first frame
(``open_for_session(defer_deep_check=True)``, then ``deep_check``): it
reads nothing it could be fooled by, and writes nothing until it passes.
A writable open checks with ``integrity_check`` instead (``CHECK_LEVEL``),
so nothing is ever written into a file whose indexes disagree with their
tables. The checks themselves live in ``file_checks``, the lock in
``writer_lock``, the files beside the database in ``side_files``.

While a database is open, no export or copy may be written over it or over
a file beside it (``atomic_file.protect``).

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

import os
import sqlite3
import weakref
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .atomic_file import protect, unprotect
from .file_checks import (
    check_path, check_seconds_for, checked, connect, deep_check, deep_check_pending, one_line, utils_database,
)  # fmt: skip
from .query_guard import QueryCancelled, QueryGuard, QueryTimeout, StoreError, guard_writes, query_guard
from .schema import OPTIONAL_MIGRATIONS, apply_migrations, migrations
from .side_files import check_companions
from .writer_lock import (
    LOCK_SUFFIX, WriterLock, acquire_writer_lock, held_in_this_process, lock_holder, lock_path,
)  # fmt: skip

__all__ = [
    "LOCK_SUFFIX", "QueryCancelled", "QueryGuard", "QueryTimeout", "StoreError", "WriterLock",
    "acquire_writer_lock", "close_database", "deep_check", "held_in_this_process", "lock_holder", "lock_path",
    "memory_database", "open_database", "open_for_session", "query_guard", "reading", "write_error",
]  # fmt: skip


# Files up to this size get the full integrity_check even when only read
# (about 0.6 s at this size): damage quick_check misses then never reaches a
# read either. Bigger files opened read-only get quick_check.
INTEGRITY_READ_BYTES = 64 * 1024 * 1024


def check_level(readonly: bool, path: Path | None = None) -> str:
    """The page check a file gets before use: the full ``integrity_check``
    when it may be written (or is small), SQLite's ``quick_check`` when a big
    file is only read."""
    if not readonly:
        return "integrity"
    try:
        small = path is not None and path.stat().st_size <= INTEGRITY_READ_BYTES
    except OSError:
        small = False
    return "integrity" if small else "quick"


def read_only_file_system(path: Path) -> bool:
    """Whether ``path`` (or, when missing, its folder) is on a file system
    mounted read-only, where SQLite could open it but every write would fail."""
    probe = path if path.exists() else path.parent
    try:
        return bool(os.statvfs(probe).f_flag & getattr(os, "ST_RDONLY", 1))
    except (OSError, AttributeError):
        return False


MIGRATION_SECONDS = 60.0
MIGRATION_SECONDS_PER_GB = 300.0


def _size_gb(path: Path) -> float:
    try:
        return path.stat().st_size / 1e9
    except OSError:
        return 0.0


def _same_file(path: Path, before: os.stat_result) -> bool:
    try:
        return os.path.samestat(before, path.stat())
    except OSError:
        return False


def _open(path: Path, create: bool, readonly: bool, check_seconds: float | None, defer_deep: bool = False) -> Database:
    """Check, connect, migrate. With ``defer_deep`` the page-by-page
    ``quick_check`` is left to the caller (``db.threadline_deep_check_pending``),
    unless the file needs a schema upgrade: nothing is written before it."""
    fresh = check_path(path, create, readonly)
    if not readonly and read_only_file_system(path):
        where = "is" if path.exists() else "would be made"
        raise StoreError(f"{path}: {where} on a read-only file system, so it cannot be written; nothing was changed")
    level = check_level(readonly, path)
    needs_schema = fresh
    before = None
    pending = False
    if not fresh:
        before = path.stat()
        seconds = check_seconds_for(path, check_seconds, level)
        pending = defer_deep and deep_check_pending(path, level)
        needs_schema = checked(path, readonly, seconds, deep=not pending, level=level)
        if needs_schema and pending:
            deep_check(path, seconds, level)  # a migration writes: the file must be sound first
            pending = False
        if needs_schema and readonly:
            if not _only_optional_upgrades(path):
                raise StoreError(f"{path}: needs a schema upgrade, which a read-only open cannot do")
            needs_schema = False  # read as it is: what it lacks, a reader does without
    try:
        conn = connect(path, readonly)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open ({exc})") from None
    if before is not None and not _same_file(path, before):
        conn.close()
        raise StoreError(f"{path}: was replaced by another program while it was being opened; try again")
    db = utils_database(conn)
    db.guard = QueryGuard(conn)
    guard_writes(db)
    db.threadline_deep_check_pending = pending
    db.threadline_check_level = level
    try:
        if needs_schema:
            # an upgrade rewrites the whole file (its search index, say): its
            # own deadline grows with the file, not an edit's 30 s
            with db.guard.deadline(MIGRATION_SECONDS + MIGRATION_SECONDS_PER_GB * _size_gb(path)):
                apply_migrations(db)
    except sqlite3.Error as exc:
        conn.close()
        raise write_error(path, exc) from None
    except Exception:
        conn.close()
        raise
    token = protect(path)
    weakref.finalize(db, unprotect, token)
    db.threadline_protect_token = token
    return db


def _only_optional_upgrades(path: Path) -> bool:
    """Whether every migration the file lacks only adds what a reader can do
    without (``schema.OPTIONAL_MIGRATIONS``: the timeline's columns kept in
    the file): a read-only open then reads the file as it is."""
    try:
        conn = connect(path, readonly=True)
    except sqlite3.Error:
        return False
    try:
        pending = migrations.pending(utils_database(conn))
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return bool(pending) and all(m.name in OPTIONAL_MIGRATIONS for m in pending)


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
    check_companions(path)  # before the lock file is made: a planted link is refused untouched
    lock = None
    if not readonly and not path.is_dir() and (path.exists() or create) and not read_only_file_system(path):
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
    return db


def open_for_session(
    path: str | os.PathLike, read_only: bool = False, defer_deep_check: bool = False
) -> tuple[Database, bool, str | None]:
    """Open a file for the window: ``(db, read_only_now, message)``.

    Falls back to read-only, with a message for the status bar, when another
    Threadline has the file open for editing, or when the file or its folder
    cannot be written. With ``defer_deep_check`` the file is opened after the
    quick checks (header, schema, triggers, version) and
    ``db.threadline_deep_check_pending`` says whether ``deep_check`` is still
    to run: the window runs it beside its first frame and writes nothing
    until it passes.
    """
    path = Path(path)
    check_companions(path)
    if read_only:
        return _open_read_only(path, defer_deep_check), True, None
    check_path(path, create=False, readonly=False)
    reason = _why_not_writable(path)
    if reason:
        return _open_read_only(path, defer_deep_check), True, f"{path.name} {reason}, so it is open read-only."
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
        return _open_read_only(path, defer_deep_check), True, message
    try:
        db = _open(path, False, False, None, defer_deep_check)
    except BaseException:
        lock.release()
        raise
    _attach_lock(db, lock)
    return db, False, None


def _open_read_only(path: Path, defer_deep: bool) -> Database:
    db = _open(path, False, True, None, defer_deep)
    _attach_lock(db, None)
    return db


def _why_not_writable(path: Path) -> str | None:
    if read_only_file_system(path):
        return "is on a read-only file system"
    if path.exists() and not os.access(path, os.W_OK):
        return "cannot be written (it is read-only on disk)"
    if not os.access(path.parent, os.W_OK):
        return "is in a folder Threadline cannot write in"
    return None


def write_error(path, exc: BaseException) -> StoreError | None:
    """A write SQLite could not finish (a full disk, a read-only file system,
    a file gone bad) as one line naming ``path``; None when ``exc`` is not
    such a failure. The transaction was rolled back, so nothing changed."""
    if not isinstance(exc, sqlite3.Error) or getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
        return None  # a deadline or a cancel: its QueryGuard says so
    text = str(exc)
    if "disk is full" in text or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
        reason = "the disk is full"
    elif "readonly" in text.replace("-", "").replace(" ", "") or "read-only" in text:
        reason = "the file or its folder cannot be written (read-only)"
    else:
        reason = one_line(text)
    return StoreError(f"{path}: could not be written: {reason}; nothing was changed")


def close_database(db: Database) -> None:
    """Close the connection, then let go of the writer lock (idempotent)."""
    try:
        db.conn.close()
    finally:
        unprotect(getattr(db, "threadline_protect_token", 0))
        lock = getattr(db, "threadline_lock", None)
        if lock is not None:
            lock.release()


def memory_database() -> Database:
    """A fresh in-memory Threadline database (tests, previews)."""
    db = utils_database(memory=True)
    db.conn.execute("PRAGMA foreign_keys = ON")
    apply_migrations(db)
    db.guard = QueryGuard(db.conn)
    guard_writes(db)
    db.threadline_lock = None
    db.threadline_deep_check_pending = False
    return db


@contextmanager
def reading(path: str | os.PathLike):
    """A read-only connection of its own to an already checked file, for a
    worker thread (connections must not cross threads); closed afterwards."""
    try:
        conn = connect(Path(path), readonly=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open ({exc})") from None
    db = utils_database(conn)
    db.guard = QueryGuard(conn)
    try:
        yield db
    finally:
        conn.close()
