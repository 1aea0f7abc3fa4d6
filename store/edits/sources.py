"""Changing, deleting and restoring sources.

A source keeps at least one of publisher, title or URL once it has one;
deleting it deletes every citation of it (see citations.py for citing).
"""

from __future__ import annotations

from sqlite_utils import Database

from ..records import RecordError
from ..writing import write
from .rows import fetch_row, fetch_rows, put_back, refuse_taken_id, update_row
from .snapshots import SourceSnapshot
from .validate import check_field_names, check_text, require_ids

SOURCE_FIELDS = ("publisher", "title", "url", "date", "notes")
_SOURCE_NAMES = ("publisher", "title", "url")  # a source needs one of these


def update_source(db: Database, source_id: int, **fields) -> dict:
    """Change some of publisher, title, url, date, notes; returns the old values."""
    check_field_names(fields, SOURCE_FIELDS, "a source")
    with write(db, "update source"):
        row = fetch_row(db, "sources", source_id, "source")
        old = {name: row[name] for name in fields}
        columns = {name: check_text(value, name) for name, value in fields.items()}
        after = {**row, **columns}
        # Refuse only making a named source nameless, so undo of anything can run.
        if any(row[n] for n in _SOURCE_NAMES) and not any(after[n] for n in _SOURCE_NAMES):
            raise RecordError("a source needs a publisher, a title or a URL")
        update_row(db, "sources", source_id, columns)
    return old


def snapshot_source(db: Database, source_id: int) -> SourceSnapshot:
    row = fetch_row(db, "sources", source_id, "source")
    return SourceSnapshot(row, fetch_rows(db, "SELECT * FROM event_sources WHERE source_id = ? ORDER BY rowid", [source_id]))


def delete_source(db: Database, source_id: int) -> SourceSnapshot:
    """Delete a source and every citation of it."""
    with write(db, "delete source"):
        snap = snapshot_source(db, source_id)
        db.execute("DELETE FROM event_sources WHERE source_id = ?", [source_id])
        db.execute("DELETE FROM sources WHERE id = ?", [source_id])
    return snap


def restore_source(db: Database, snap: SourceSnapshot) -> None:
    what = f"source '{snap.row.get('title') or snap.row.get('publisher') or snap.row.get('url')}'"
    with write(db, "restore source"):
        refuse_taken_id(db, "sources", snap.id, what, "a source")
        require_ids(db, "events", [r["event_id"] for r in snap.citations], "events", "event")
        put_back(db, what, ("sources", [snap.row]), ("event_sources", snap.citations))
