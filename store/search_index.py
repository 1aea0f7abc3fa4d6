"""Keeping the full-text index in step with events and actors.

The index tables (``events_fts``, ``actors_fts``) are FTS5 tables over the
content of ``events`` and ``actors``, as sqlite-utils makes them, so that
Datasette finds them. We do not keep them up to date with triggers: files
are opened with ``trusted_schema=OFF`` (a file from a stranger must not run
code through its triggers and views), and SQLite then refuses triggers that
write to a virtual table. So the store updates the index itself, in the same
transaction as the write: the write path (store/writing.py) calls this
module at each commit for the rows the writer said it changed.
"""

from __future__ import annotations

from sqlite_utils import Database

EVENT_TEXT = ("title", "summary", "location", "type")
ACTOR_TEXT = ("name", "title", "aliases", "notes", "country")
DOCUMENT_TEXT = ("title", "text")
# The indexed words of each table. Writers do not call this module: they say
# which rows they change (``store.writing.changing``) and the write path
# keeps the index in step at the commit.
TEXT = {"events": EVENT_TEXT, "actors": ACTOR_TEXT, "documents": DOCUMENT_TEXT}
CHUNK = 30_000  # ids per statement: under SQLite's limit on bound values (32,766)
_TABLES = {"events": EVENT_TEXT, "actors": ACTOR_TEXT}  # what a bulk write indexes (documents come one by one)


def _marks(ids) -> tuple[str, list[int]]:
    ids = [int(i) for i in ids]
    return ",".join("?" * len(ids)), ids


def index_rows(db: Database, table: str, ids) -> None:
    """Add rows to the index (they must not be in it yet)."""
    cols = ", ".join(f'"{c}"' for c in TEXT[table])
    marks, ids = _marks(ids)
    if ids:
        db.execute(f"INSERT INTO {table}_fts (rowid, {cols}) SELECT id, {cols} FROM {table} WHERE id IN ({marks})", ids)


def index_missing(db: Database, table: str, ids) -> None:
    """Add those of the rows that exist and are not in the index (the end of a write)."""
    cols = ", ".join(f'"{c}"' for c in TEXT[table])
    for start in range(0, len(ids), CHUNK):
        marks, part = _marks(ids[start : start + CHUNK])
        db.execute(
            f"INSERT INTO {table}_fts (rowid, {cols}) SELECT id, {cols} FROM {table} "
            f"WHERE id IN ({marks}) AND id NOT IN (SELECT id FROM {table}_fts_docsize)",
            part,
        )


def unindex_rows(db: Database, table: str, ids) -> None:
    """Remove rows from the index, before their text changes or they are deleted."""
    cols = ", ".join(f'"{c}"' for c in TEXT[table])
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        marks, part = _marks(ids[start : start + CHUNK])
        db.execute(
            f"INSERT INTO {table}_fts ({table}_fts, rowid, {cols}) SELECT 'delete', id, {cols} FROM {table} "
            f"WHERE id IN ({marks}) AND id IN (SELECT id FROM {table}_fts_docsize)",
            part,
        )


def index_unindexed(db: Database) -> None:
    """Index every row not in the index yet (after a bulk insert)."""
    for table, text in _TABLES.items():
        cols = ", ".join(f'"{c}"' for c in text)
        db.execute(
            f"INSERT INTO {table}_fts (rowid, {cols}) SELECT id, {cols} FROM {table} "
            f"WHERE id NOT IN (SELECT id FROM {table}_fts_docsize)"
        )


def rebuild(db: Database) -> None:
    for table in _TABLES:
        db.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
