"""Changing, deleting and restoring relationships between two actors.

Deleting an actor takes its relationships with it, so the row-level delete
and restore (without a transaction of their own) are shared with actors.py.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..records import relationship_bounds
from ..schema import CERTAINTIES
from .rows import Row, _changed, _put_back, _refuse_taken_id, _row, _rows, _update
from .snapshots import RelationshipSnapshot
from .validate import (
    _check_field_names,
    _choice,
    _id,
    _no_repeats,
    _require_ids,
    _required,
    _same,
    _text,
)

RELATIONSHIP_FIELDS = (
    "from_actor_id", "to_actor_id", "type", "directed", "start", "end", "certainty", "notes", "events",
)  # fmt: skip


def snapshot_relationship(db: Database, rel_id: int) -> RelationshipSnapshot:
    row = _row(db, "relationships", rel_id, "relationship")
    sql = "SELECT * FROM relationship_events WHERE relationship_id = ? ORDER BY rowid"
    return RelationshipSnapshot(row, _rows(db, sql, [rel_id]))


def _relationship_events(db: Database, rel_id: int) -> list[int]:
    sql = "SELECT event_id FROM relationship_events WHERE relationship_id = ? ORDER BY rowid"
    return [r[0] for r in db.execute(sql, [rel_id])]


def _relationship_columns(db: Database, row: Row, fields: dict) -> Row:
    columns: Row = {}
    for end in ("from_actor_id", "to_actor_id"):
        if end in fields:
            _require_ids(db, "actors", [_id(fields[end], end)], end, "actor")
            columns[end] = fields[end]
    if "type" in fields:
        columns["type"] = _required(fields["type"], "type", "type: a relationship needs a type")
    if "directed" in fields:
        columns["directed"] = int(bool(fields["directed"]))
    if "certainty" in fields:
        columns["certainty"] = _choice(fields["certainty"], CERTAINTIES, "certainty")
    if "notes" in fields:
        columns["notes"] = _text(fields["notes"], "notes")
    if {"start", "end"} & fields.keys():
        start = _text(fields.get("start", row["start"]), "start") or None
        end = _text(fields.get("end", row["end"]), "end") or None
        if not (_same(start, row["start"]) and _same(end, row["end"])):
            columns.update(relationship_bounds(start, end))
    return columns


def update_relationship(db: Database, rel_id: int, **fields) -> dict:
    """Change some of from_actor_id, to_actor_id, type, directed, start,
    end, certainty, notes, events (event ids); returns the old values."""
    _check_field_names(fields, RELATIONSHIP_FIELDS, "a relationship")
    with db.atomic():
        row = _row(db, "relationships", rel_id, "relationship")
        old = {}
        for name in fields:
            if name == "events":
                old[name] = _relationship_events(db, rel_id)
            else:
                old[name] = bool(row[name]) if name == "directed" else row[name]
        columns = _relationship_columns(db, row, fields)
        events = None
        if "events" in fields:
            events = [_id(e, "events") for e in fields["events"]]
            _no_repeats(events, "events", "event")
            _require_ids(db, "events", events, "events", "event")
        _update(db, "relationships", rel_id, columns)
        if events is not None:
            db.execute("DELETE FROM relationship_events WHERE relationship_id = ?", [rel_id])
            db.conn.executemany(
                "INSERT INTO relationship_events (relationship_id, event_id) VALUES (?, ?)", [(rel_id, e) for e in events]
            )
        _changed(db)
    return old


def _delete_relationship_rows(db: Database, rel_id: int) -> None:
    db.execute("DELETE FROM relationship_events WHERE relationship_id = ?", [rel_id])
    db.execute("DELETE FROM relationships WHERE id = ?", [rel_id])


def _restore_relationship_rows(db: Database, snap: RelationshipSnapshot) -> None:
    what = f"relationship '{snap.row.get('type')}'"
    _refuse_taken_id(db, "relationships", snap.id, what, "a relationship")
    ends = [snap.row["from_actor_id"], snap.row["to_actor_id"]]
    _require_ids(db, "actors", ends, "actors", "actor")
    _require_ids(db, "events", [r["event_id"] for r in snap.events], "events", "event")
    _put_back(db, what, ("relationships", [snap.row]), ("relationship_events", snap.events))


def delete_relationship(db: Database, rel_id: int) -> RelationshipSnapshot:
    with db.atomic():
        snap = snapshot_relationship(db, rel_id)
        _delete_relationship_rows(db, rel_id)
        _changed(db)
    return snap


def restore_relationship(db: Database, snap: RelationshipSnapshot) -> None:
    with db.atomic():
        _restore_relationship_rows(db, snap)
        _changed(db)
