"""Reading and writing rows for the edit functions.

Every record kind is edited with the same few statements: fetch rows as
dicts, insert and update by column name, tell the write path which rows'
words change (it keeps the full-text index in step), put a snapshot's rows
back. They live here so each kind's module holds
only what is particular to that kind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from ..records import RecordError
from ..writing import changing

Row = dict[str, Any]


def fetch_rows(db: Database, sql: str, params: Iterable = ()) -> tuple[Row, ...]:
    cursor = db.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return tuple(dict(zip(columns, values)) for values in cursor.fetchall())


def fetch_row(db: Database, table: str, record_id: int, what: str) -> Row:
    rows = fetch_rows(db, f"SELECT * FROM {table} WHERE id = ?", [record_id])
    if not rows:
        raise RecordError(f"there is no {what} with id {record_id}")
    return rows[0]


def exists(db: Database, table: str, record_id: int) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone() is not None


def insert_rows(db: Database, table: str, rows: Iterable[Row]) -> None:
    for row in rows:
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def update_row(db: Database, table: str, record_id: int, columns: Row) -> None:
    if columns:
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*columns.values(), record_id])


def rewrite_row(db: Database, table: str, record_id: int, columns: Row, text_columns: tuple[str, ...]) -> None:
    """Update a row; when its indexed words change, the write path re-indexes it."""
    if set(columns) & set(text_columns):
        changing(db, table, [record_id])  # before the words change: see store/writing.py
    update_row(db, table, record_id, columns)


def refuse_taken_id(db: Database, table: str, record_id: int, what: str, a_record: str) -> None:
    """A restore puts a record back under its old id, so that id must be free."""
    if exists(db, table, record_id):
        raise RecordError(f"cannot put back {what}: there is already {a_record} with id {record_id}")


def put_back(db: Database, what: str, *tables: tuple[str, Iterable[Row]]) -> None:
    """Run the inserts of a restore, table by table in the order given; a
    clash becomes a RecordError (the enclosing transaction then rolls
    everything back)."""
    try:
        for table, rows in tables:
            insert_rows(db, table, rows)
    except sqlite3.IntegrityError as exc:
        raise RecordError(f"cannot put back {what}: {exc}") from None
