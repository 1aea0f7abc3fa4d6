"""Connections that cannot run a file's code, and the checks before use.

Files come from colleagues and strangers: ``connect`` makes connections with
``trusted_schema=OFF``, no extensions and ATTACH refused; the checks (header,
schema shape, foreign triggers, version, and SQLite's ``quick_check``) run on
a separate read-only connection under a deadline, so a refused file is never
written to and a hostile one cannot hang the app. ``quick_check`` reads every
page (about 1 s per 400 MB): the window may run it as a *deep check* beside
the first frame (``deep_check``), with editing off until it passes.

A file about to be written gets SQLite's full ``integrity_check`` instead
(indexes against their tables too; about 1 s per 100 MB): damage that
``quick_check`` cannot see (an index that disagrees with its table) would
otherwise be written into. The schema is compared with the one Threadline
makes (``schema_check``), and the files beside the database must be plain
files (``side_files``).

A ``-journal`` left beside the file by a program that stopped mid-write is
never rolled back when it names a super-journal (SQLite would delete the
file it names), and otherwise rolled back first on a private copy (the file and its journal copied to a
private temporary folder) and the result checked in full; only when it
passes is the real file rolled back. A journal that does not belong to the
file (copied in from elsewhere) would otherwise be replayed into it and
damage it; such a file is refused, and it and its journal are left as
they were.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

from sqlite_utils import Database

from .cache import unchanged_since_cached
from .query_guard import QueryGuard, QueryTimeout, StoreError
from .text_decoding import lenient_text_factory
from .schema import ARRAYS_STATE_TABLE, ARRAYS_TABLE, REQUIRED_TABLES, SCHEMA_VERSION, migrations
from .schema_check import SchemaProblem, check_schema, check_triggers
from .side_files import check_companions

SQLITE_HEADER = b"SQLite format 3\x00"

# The checks before use may take this long, plus CHECK_SECONDS_PER_GB for a
# big file (quick_check reads every page); then the file is refused.
OPEN_CHECK_SECONDS = 10.0
CHECK_SECONDS_PER_GB = 40.0
# integrity_check (before a file is written) reads indexes against tables too.
INTEGRITY_SECONDS_PER_GB = 160.0
# How many problems integrity_check lists before it stops (one is enough to refuse).
INTEGRITY_ROWS = 3
# The longest message a check writes about damage (SQLite's lists can be long).
MESSAGE_CHARS = 300

# No text or blob we store comes near this; a hostile file's view or default
# asking for randomblob(1e9) fails at once instead of taking a gigabyte.
MAX_VALUE_BYTES = 100_000_000

# Every name Threadline reads or writes: each must be a table if present, so
# a file cannot make one of our queries run a view of its own.
KNOWN_TABLES = REQUIRED_TABLES + ("saved_views", "meta", "_sqlite_migrations", "documents", ARRAYS_TABLE, ARRAYS_STATE_TABLE)
FTS_TABLES = ("events_fts", "actors_fts", "documents_fts")


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


def one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """SQLite's multi-line reports as one line for a person, cut to ``limit``."""
    text = re.sub(r"\*\*\* in database \w+ \*\*\*\s*", "", str(text)).strip()
    text = re.sub(r"\s*\n\s*", "; ", text)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    try:
        check_triggers(conn)  # the only ones Threadline makes mark its stored arrays stale
        check_schema(conn)
    except SchemaProblem as problem:
        raise StoreError(f"{path}: not a Threadline database ({one_line(problem)})") from None
    return False


def _check_contents(db: Database, path: Path, deep: bool = True, level: str = "quick") -> bool:
    """Raise StoreError unless the file is ours; True if it needs its schema made.
    ``level`` is the page check when ``deep``: "quick" or "integrity"."""
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
        if deep and not unchanged_since_cached(path, level):
            _page_check(conn, path, level)
        if _check_shape(conn, path):
            return True
        return bool(migrations.pending(db))
    except sqlite3.DatabaseError as exc:
        if _needs_rollback(exc) or _interrupted(exc):
            raise  # handled by the caller: a rollback to do, a deadline passed
        raise StoreError(f"{path}: damaged or not a database ({one_line(exc)})") from None


def _needs_rollback(exc: Exception) -> bool:
    # A read-only connection cannot roll back the -journal a killed writer left.
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"


def _interrupted(exc: Exception) -> bool:
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT"


def check_seconds_for(path: Path, seconds: float | None, level: str = "quick") -> float:
    if seconds is not None:
        return seconds
    size_gb = path.stat().st_size / 1e9
    per_gb = INTEGRITY_SECONDS_PER_GB if level == "integrity" else CHECK_SECONDS_PER_GB
    return OPEN_CHECK_SECONDS + per_gb * size_gb


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


def _check_before_use(path: Path, seconds: float, deep: bool = True, level: str = "quick") -> bool:
    """All checks: True if the file needs its schema made or upgraded."""
    return _on_check_connection(path, seconds, lambda conn: _check_contents(utils_database(conn), path, deep, level))


# The bytes that end a rollback journal naming a super-journal (SQLite's
# aJournalMagic), written only by a transaction over several attached files.
JOURNAL_MAGIC = bytes((0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7))


def _names_a_super_journal(journal: Path) -> bool:
    """Whether the journal ends with a super-journal record. When SQLite
    rolls such a journal back it reads the named file as a list of journals
    and then deletes it: a planted journal naming any of the user's files
    would have SQLite delete that file. Threadline never writes several
    files in one transaction (ATTACH is refused), so such a journal is
    never one of ours."""
    try:
        with open(journal, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            if size < 16:
                return False
            fh.seek(size - 8)
            return fh.read(8) == JOURNAL_MAGIC
    except OSError:
        return True  # cannot be read: not to be rolled back either


def _check_rollback_on_a_copy(path: Path, seconds: float) -> None:
    """Roll the hot ``-journal`` back on a private copy and check the result
    in full; raise StoreError (the real file and journal untouched) unless
    it is a sound Threadline file."""
    journal = Path(str(path) + "-journal")
    if _names_a_super_journal(journal):
        raise StoreError(
            f"{path}: its -journal belongs to a transaction over several files (it names a super-journal), "
            "which Threadline never writes; it was not rolled back, and the file and the journal were left as they are"
        )
    folder = tempfile.mkdtemp(prefix="threadline-check-")
    try:
        copy = Path(folder) / "copy.db"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(journal, Path(str(copy) + "-journal"))
        except OSError as exc:
            raise StoreError(
                f"{path}: has an unfinished write beside it (-journal) that could not be checked on a copy "
                f"({one_line(exc.strerror or exc)}); the file and its journal were left as they are"
            ) from None
        try:
            _roll_back_interrupted_write(copy)
            _check_before_use(copy, seconds, True, "integrity")
        except (StoreError, sqlite3.DatabaseError) as exc:
            reason = one_line(str(exc).replace(str(copy), "").lstrip(": "))
            raise StoreError(
                f"{path}: its -journal (an unfinished write beside it) does not roll back to a sound Threadline "
                f"file, so neither was touched: {reason}"
            ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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


def checked(path: Path, readonly: bool, seconds: float, deep: bool = True, level: str = "quick") -> bool:
    try:
        return _check_before_use(path, seconds, deep, level)
    except sqlite3.DatabaseError as exc:
        if not _needs_rollback(exc):
            raise StoreError(f"{path}: damaged or not a database ({one_line(exc)})") from None
    _check_rollback_on_a_copy(path, seconds)
    if readonly:
        raise StoreError(
            f"{path}: a program stopped in the middle of writing it (its -journal file is beside it); "
            "open it for editing once so the unfinished change can be rolled back"
        )
    _roll_back_interrupted_write(path)
    return _check_before_use(path, seconds, deep, level)


def check_path(path: Path, create: bool, readonly: bool) -> bool:
    """Refuse what is not a file we may open; True when there is no content yet."""
    check_companions(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.exists():
        if not create or readonly:
            raise StoreError(f"{path}: no such file")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        return True
    if not stat.S_ISREG(path.stat().st_mode):
        raise StoreError(f"{path}: is not a regular file (a device, FIFO or socket), so it is not a database")
    if path.stat().st_size == 0:
        # A zero-byte file is an empty database (as SQLite sees it): a
        # writable open makes it a Threadline file, a read-only one refuses.
        if readonly:
            raise StoreError(f"{path}: is empty (0 bytes), not a Threadline database yet; open it for editing to start one")
        return True
    _check_header(path)
    return False


def _page_check(conn: sqlite3.Connection, path: Path, level: str = "quick") -> None:
    pragma = f"integrity_check({INTEGRITY_ROWS})" if level == "integrity" else "quick_check(1)"
    ok = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
    if ok != "ok":
        try:
            with_wal = os.path.getsize(str(path) + "-wal") > 0
        except OSError:
            with_wal = False
        what = "the database, with the -wal file beside it," if with_wal else "the database"
        raise StoreError(f"{path}: {what} is damaged ({one_line(ok)})")


def deep_check_pending(path: Path, level: str = "quick") -> bool:
    """Whether the page check would have to read the file (it is skipped for
    a file byte for byte as when its cache was written after passing it)."""
    return not unchanged_since_cached(path, level)


def deep_check(path: str | os.PathLike, seconds: float | None = None, level: str = "quick") -> None:
    """SQLite's ``quick_check`` (or, with ``level="integrity"``, the full
    ``integrity_check`` a file gets before it is written) of the whole file,
    on a read-only connection of its own (safe on a worker thread, beside
    other readers). Raises StoreError naming the damage, or when it takes
    longer than ``seconds`` (default: as the checks before use)."""
    path = Path(path)
    try:
        _on_check_connection(path, check_seconds_for(path, seconds, level), lambda conn: _page_check(conn, path, level))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged or not a database ({one_line(exc)})") from None
