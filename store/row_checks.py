"""Values a stranger's file can hold that Threadline's own writes never make.

A file passes the checks at open (schema, damage) and can still hold rows
no Threadline wrote: an event bound that is text or past year 9999, a
participant naming an actor that is not there, ``aliases`` or a saved view
that is not the JSON it should be. Reads that would trip on them ask here
for one line naming the table, row and column, so the person can fix that
row (in Threadline or any SQLite tool) instead of reading a traceback.
"""

from __future__ import annotations

import json
from datetime import datetime

from .dates.seconds import seconds_from_datetime
from .query_guard import StoreError

# Event and relationship bounds are seconds since 1970 within years 1 to 9999.
FIRST_SECOND = seconds_from_datetime(datetime(1, 1, 1))
LAST_SECOND = seconds_from_datetime(datetime(9999, 12, 31, 23, 59, 59))


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def bad_bound(db) -> str | None:
    """'events row 4: earliest is 'soon' ...' for the first bound that is not
    whole seconds within years 1 to 9999, or None (one pass over the rows)."""
    checks = (
        ("events", "SELECT id, earliest, latest FROM events WHERE typeof(earliest) <> 'integer' "
         "OR typeof(latest) <> 'integer' OR earliest NOT BETWEEN ?1 AND ?2 OR latest NOT BETWEEN ?1 AND ?2 LIMIT 1"),
        ("relationships", "SELECT id, earliest, latest FROM relationships WHERE "
         "(earliest IS NOT NULL AND (typeof(earliest) <> 'integer' OR earliest NOT BETWEEN ?1 AND ?2)) OR "
         "(latest IS NOT NULL AND (typeof(latest) <> 'integer' OR latest NOT BETWEEN ?1 AND ?2)) LIMIT 1"),
    )
    for table, sql in checks:
        row = db.execute(sql, (FIRST_SECOND, LAST_SECOND)).fetchone()
        if row is None:
            continue
        row_id, earliest, latest = row
        column, value = ("earliest", earliest) if not _in_range(earliest) else ("latest", latest)
        return (f"{table} row {row_id}: '{column}' is {_shown(value)}, not a time in whole seconds within "
                "years 1 to 9999; fix or delete that row")
    return None


def _in_range(value) -> bool:
    return value is None or (isinstance(value, int) and FIRST_SECOND <= value <= LAST_SECOND)


def check_bounds(db, name) -> None:
    """Raise StoreError naming the first bad bound of the file ``name``."""
    problem = bad_bound(db)
    if problem:
        raise StoreError(f"{name}: {problem}")


def json_column(text, table: str, row_id, column: str, default):
    """A JSON column's value, or StoreError naming the row when it is not JSON."""
    if not text:
        return default
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise StoreError(
            f"{table} row {row_id}: '{column}' is not JSON Threadline can read ({_shown(text)}); fix that row"
        ) from None


def db_name(db) -> str:
    """The file behind ``db``, for messages."""
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return file or "the database"
    return "the database"
