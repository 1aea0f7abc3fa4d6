"""Connections that cannot run a file's code, and the checks before use.

Files come from colleagues and strangers: ``connect`` makes connections with
``trusted_schema=OFF``, no extensions and ATTACH refused; the checks (header,
schema shape, foreign triggers, version, and SQLite's ``quick_check``) run on
a separate read-only connection under a deadline, so a refused file is never
written to and a hostile one cannot hang the app. ``quick_check`` reads every
page (about 1 s per 400 MB): the window may run it as a *deep check* beside
the first frame (``deep_check``), with editing off until it passes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .cache import unchanged_since_cached
from .query_guard import QueryGuard, QueryTimeout, StoreError
from .text_decoding import lenient_text_factory
from .schema import REQUIRED_TABLES, SCHEMA_VERSION, migrations

SQLITE_HEADER = b"SQLite format 3\x00"

# The checks before use may take this long, plus CHECK_SECONDS_PER_GB for a
# big file (quick_check reads every page); then the file is refused.
OPEN_CHECK_SECONDS = 10.0
CHECK_SECONDS_PER_GB = 40.0

# No text or blob we store comes near this; a hostile file's view or default
# asking for randomblob(1e9) fails at once instead of taking a gigabyte.
MAX_VALUE_BYTES = 100_000_000

# Every name Threadline reads or writes: each must be a table if present, so
# a file cannot make one of our queries run a view of its own.
KNOWN_TABLES = REQUIRED_TABLES + ("saved_views", "meta", "_sqlite_migrations")
FTS_TABLES = ("events_fts", "actors_fts")


def _deny_attach(action, *_args):
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def utils_database(conn: sqlite3.Connection | None = None, **kwargs) -> Database:
    """sqlite-utils over ``conn`` with its plugins off. A sqlite-utils plugin
    installed beside Threadline would otherwise prepare every connection to a
    user's file (register functions, change settings) behind the checks made
    here; and looking for plugins scans every installed package, about 25 ms
    of each start."""
    return Database(conn, execute_plugins=False, **kwargs)


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.text_factory = lenient_text_factory(path)  # a title that is not UTF-8 is shown, not fatal
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute("PRAGMA cell_size_check = ON")  # notice damaged pages early, not after reading garbage
    conn.set_authorizer(_deny_attach)
    if not readonly:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")  # durability: see database.py
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


def _check_contents(db: Database, path: Path, deep: bool = True) -> bool:
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
        if deep and not unchanged_since_cached(path):
            _quick_check(conn, path)
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


def check_seconds_for(path: Path, seconds: float | None) -> float:
    if seconds is not None:
        return seconds
    size_gb = path.stat().st_size / 1e9
    return OPEN_CHECK_SECONDS + CHECK_SECONDS_PER_GB * size_gb


def _on_check_connection(path: Path, seconds: float, work):
    """``work(conn)`` on a read-only connection of its own, under a deadline:
    nothing is written, and a hostile file cannot hang us."""
    try:
        conn = connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open ({exc})") from None
    try:
        with QueryGuard(conn).deadline(seconds):
            return work(conn)
    except QueryTimeout:
        raise StoreError(
            f"{path}: took too long to check (more than {seconds:g} s); it may be hostile or damaged"
        ) from None
    finally:
        conn.close()


def _check_before_use(path: Path, seconds: float, deep: bool = True) -> bool:
    """All checks: True if the file needs its schema made or upgraded."""
    return _on_check_connection(path, seconds, lambda conn: _check_contents(utils_database(conn), path, deep))


def _roll_back_interrupted_write(path: Path) -> None:
    """Let SQLite roll back the -journal of a writer that was killed.

    This is SQLite's own recovery of our file (it restores the last
    committed state); the checks then run on the recovered file.
    """
    try:
        conn = connect(path, readonly=False)
        try:
            with QueryGuard(conn).deadline(OPEN_CHECK_SECONDS):
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, QueryTimeout) as exc:
        raise StoreError(f"{path}: an interrupted write could not be rolled back ({exc})") from None


def checked(path: Path, readonly: bool, seconds: float, deep: bool = True) -> bool:
    try:
        return _check_before_use(path, seconds, deep)
    except sqlite3.DatabaseError as exc:
        if not _needs_rollback(exc):
            raise StoreError(f"{path}: damaged or not a database ({exc})") from None
    if readonly:
        raise StoreError(
            f"{path}: a program stopped in the middle of writing it (its -journal file is beside it); "
            "open it for editing once so the unfinished change can be rolled back"
        )
    _roll_back_interrupted_write(path)
    return _check_before_use(path, seconds, deep)


def check_path(path: Path, create: bool, readonly: bool) -> bool:
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


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    if ok != "ok":
        raise StoreError(f"{path}: the database is damaged ({ok})")


def deep_check_pending(path: Path) -> bool:
    """Whether ``quick_check`` would have to read the file (it is skipped for
    a file byte for byte as when its cache was written after passing it)."""
    return not unchanged_since_cached(path)


def deep_check(path: str | os.PathLike, seconds: float | None = None) -> None:
    """SQLite's ``quick_check`` of the whole file, on a read-only connection of
    its own (safe on a worker thread, beside other readers). Raises StoreError
    naming the damage, or when it takes longer than ``seconds`` (default: as
    the checks before use)."""
    path = Path(path)
    try:
        _on_check_connection(path, check_seconds_for(path, seconds), lambda conn: _quick_check(conn, path))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged or not a database ({exc})") from None
