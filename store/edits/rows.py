"""Reading and writing rows for the edit functions.

Every record kind is edited with the same few statements: fetch rows as
dicts, insert and update by column name, keep the full-text index in step
while text changes, put a snapshot's rows back, and tell the cache beside
the file that the data changed. They live here so each kind's module holds
only what is particular to that kind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from .. import search_index
from ..cache import bump_generation
from ..records import RecordError

Row = dict[str, Any]


def _changed(db: Database) -> None:
    """Tell the timeline cache kept beside the file that the data changed.

    The one place edits are wired to store.cache. Runs inside the edit's
    transaction, so the generation and the data commit (or roll back) together.
    """
    bump_generation(db)


def _rows(db: Database, sql: str, params: Iterable = ()) -> tuple[Row, ...]:
    cursor = db.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return tuple(dict(zip(columns, values)) for values in cursor.fetchall())


def _row(db: Database, table: str, record_id: int, what: str) -> Row:
    rows = _rows(db, f"SELECT * FROM {table} WHERE id = ?", [record_id])
    if not rows:
        raise RecordError(f"there is no {what} with id {record_id}")
    return rows[0]


def _exists(db: Database, table: str, record_id: int) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone() is not None


def _insert(db: Database, table: str, rows: Iterable[Row]) -> None:
    for row in rows:
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def _update(db: Database, table: str, record_id: int, columns: Row) -> None:
    if columns:
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*columns.values(), record_id])


def _rewrite(db: Database, table: str, record_id: int, columns: Row, text_columns: tuple[str, ...]) -> None:
    """Update a row, taking it out of the full-text index while its text changes."""
    reindex = bool(set(columns) & set(text_columns))
    if reindex:
        search_index.unindex_rows(db, table, [record_id])
    _update(db, table, record_id, columns)
    if reindex:
        search_index.index_rows(db, table, [record_id])


def _refuse_taken_id(db: Database, table: str, record_id: int, what: str, a_record: str) -> None:
    """A restore puts a record back under its old id, so that id must be free."""
    if _exists(db, table, record_id):
        raise RecordError(f"cannot put back {what}: there is already {a_record} with id {record_id}")


def _put_back(db: Database, what: str, *tables: tuple[str, Iterable[Row]]) -> None:
    """Run the inserts of a restore, table by table in the order given; a
    clash becomes a RecordError (the enclosing transaction then rolls
    everything back)."""
    try:
        for table, rows in tables:
            _insert(db, table, rows)
    except sqlite3.IntegrityError as exc:
        raise RecordError(f"cannot put back {what}: {exc}") from None
