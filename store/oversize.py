"""Naming the value that is over the size cap, for a one-line message.

Connections cap a single value at ``file_checks.MAX_VALUE_BYTES`` (100 MB):
a longer text or blob makes any statement that reads it fail with SQLite's
bare "string or blob too big". ``oversize_message`` finds which table,
column and row holds it, so the person can fix that one value.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .query_guard import QueryGuard, QueryTimeout, StoreError

SEARCH_SECONDS = 10.0


def is_too_big(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DataError | sqlite3.OperationalError) and "too big" in str(exc)


def _too_big(conn, sql: str, params=()) -> bool:
    try:
        conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        if is_too_big(exc):
            return True
        raise
    return False


def find_oversized(conn: sqlite3.Connection) -> tuple[str, str, int] | None:
    """(table, column, rowid) of a value over the connection's length limit.
    Reading it fails, its type does not: only text and blob cells are read,
    and the row is found by halving rowid ranges (a few dozen statements)."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({quoted})")]
        except sqlite3.Error:
            continue
        for column in columns:
            col = '"' + column.replace('"', '""') + '"'
            probe = f"SELECT length({col}) FROM {quoted} WHERE rowid BETWEEN ? AND ?"
            try:
                lo, hi = conn.execute(f"SELECT min(rowid), max(rowid) FROM {quoted}").fetchone()
                if lo is None or not _too_big(conn, probe, (lo, hi)):
                    continue
            except sqlite3.Error:
                break  # a table without rowid or otherwise unreadable: not this one
            while lo < hi:
                mid = lo + (hi - lo) // 2
                if _too_big(conn, probe, (lo, mid)):
                    hi = mid
                else:
                    lo = mid + 1
            return table, column, lo
    return None


def oversize_message(path: str | Path, conn: sqlite3.Connection | None = None) -> str:
    """One line naming the oversized value of the file at ``path``."""
    from .file_checks import MAX_VALUE_BYTES, connect

    limit = f"{MAX_VALUE_BYTES // 1_000_000} MB"
    try:
        own = conn is None
        conn = connect(Path(path), readonly=True) if own else conn
        try:
            with QueryGuard(conn).deadline(SEARCH_SECONDS):
                found = find_oversized(conn)
        finally:
            if own:
                conn.close()
    except (sqlite3.Error, QueryTimeout, StoreError, OSError):
        found = None
    if found is None:
        return f"{path}: a value is larger than the {limit} Threadline reads; it was not read"
    table, column, rowid = found
    return (f"{path}: {table}.{column} of row {rowid} is larger than the {limit} Threadline reads; "
            "shorten that value to use the file")
