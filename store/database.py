"""Opening a Threadline file safely.

Files come from colleagues and strangers, so a file is checked before we use
it and the connection is made so that the file cannot run code of its own:
``trusted_schema=OFF`` (views and triggers may not call risky functions),
extensions are never enabled, and ATTACH is refused by an authorizer. A file
that is not ours, damaged, or from a newer Threadline is refused with a
message naming the file, and nothing is written to it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .schema import REQUIRED_TABLES, SCHEMA_VERSION, apply_migrations, migrations

SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(Exception):
    """A problem with a file or its contents, said in one line for a person."""


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
    conn.set_authorizer(_deny_attach)
    if not readonly:
        conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path}: not a SQLite database")


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
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged or not a database ({exc})") from None
    if ok != "ok":
        raise StoreError(f"{path}: the database is damaged ({ok})")
    objects = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    if not objects:
        return True  # an empty database: ours to set up
    missing = [t for t in REQUIRED_TABLES if objects.get(t) != "table"]
    if missing:
        what = ", ".join(f"'{t}' is a {objects[t]}" if t in objects else f"no '{t}' table" for t in missing)
        raise StoreError(f"{path}: not a Threadline database ({what})")
    for (name,) in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        # Threadline makes no triggers: any trigger came from elsewhere.
        raise StoreError(f"{path}: not a Threadline database (it has a foreign trigger on '{name}')")
    return bool(migrations.pending(db))


def open_database(path: str | os.PathLike, *, create: bool = False, readonly: bool = False) -> Database:
    """Open ``path`` as a Threadline database, checked and migrated.

    ``create`` makes the file when it does not exist. ``readonly`` opens it
    so that nothing can be written, and refuses files that would need a
    schema upgrade (we never write to a file opened read-only).
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.exists():
        if not create or readonly:
            raise StoreError(f"{path}: no such file")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
    else:
        _check_header(path)
    try:
        conn = _connect(path, readonly)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open ({exc})") from None
    db = Database(conn)
    try:
        needs_schema = _check_contents(db, path)
        if needs_schema:
            if readonly:
                raise StoreError(f"{path}: needs a schema upgrade, which a read-only open cannot do")
            apply_migrations(db)
    except Exception:
        conn.close()
        raise
    return db


def memory_database() -> Database:
    """A fresh in-memory Threadline database (tests, previews)."""
    db = Database(memory=True)
    db.conn.execute("PRAGMA foreign_keys = ON")
    apply_migrations(db)
    return db
