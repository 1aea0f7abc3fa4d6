"""Changing, deleting and restoring relationships between two actors.

Deleting an actor takes its relationships with it, so the row-level delete
and restore (without a transaction of their own) are shared with actors.py.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..records import relationship_bounds
from ..schema import CERTAINTIES
from ..writing import write
from .rows import Row, fetch_row, fetch_rows, put_back, refuse_taken_id, update_row
from .snapshots import RelationshipSnapshot
from .validate import (
    check_choice,
    check_field_names,
    check_required,
    check_text,
    evidence,
    relationship_ends,
    require_ids,
    same_optional,
)

RELATIONSHIP_FIELDS = (
    "from_actor_id", "to_actor_id", "type", "directed", "start", "end", "certainty", "notes", "events",
)  # fmt: skip


def snapshot_relationship(db: Database, rel_id: int) -> RelationshipSnapshot:
    row = fetch_row(db, "relationships", rel_id, "relationship")
    sql = "SELECT * FROM relationship_events WHERE relationship_id = ? ORDER BY rowid"
    return RelationshipSnapshot(row, fetch_rows(db, sql, [rel_id]))


def _relationship_events(db: Database, rel_id: int) -> list[int]:
    sql = "SELECT event_id FROM relationship_events WHERE relationship_id = ? ORDER BY rowid"
    return [r[0] for r in db.execute(sql, [rel_id])]


def _relationship_columns(db: Database, row: Row, fields: dict) -> Row:
    columns: Row = {}
    ends = {end: fields[end] for end in ("from_actor_id", "to_actor_id") if end in fields}
    relationship_ends(db, ends)
    columns.update(ends)
    if "type" in fields:
        columns["type"] = check_required(fields["type"], "type", "type: a relationship needs a type")
    if "directed" in fields:
        columns["directed"] = int(bool(fields["directed"]))
    if "certainty" in fields:
        columns["certainty"] = check_choice(fields["certainty"], CERTAINTIES, "certainty")
    if "notes" in fields:
        columns["notes"] = check_text(fields["notes"], "notes")
    if {"start", "end"} & fields.keys():
        start = check_text(fields.get("start", row["start"]), "start") or None
        end = check_text(fields.get("end", row["end"]), "end") or None
        if not (same_optional(start, row["start"]) and same_optional(end, row["end"])):
            columns.update(relationship_bounds(start, end))
    return columns


def update_relationship(db: Database, rel_id: int, **fields) -> dict:
    """Change some of from_actor_id, to_actor_id, type, directed, start,
    end, certainty, notes, events (event ids); returns the old values."""
    check_field_names(fields, RELATIONSHIP_FIELDS, "a relationship")
    with write(db, "update relationship"):
        row = fetch_row(db, "relationships", rel_id, "relationship")
        old = {}
        for name in fields:
            if name == "events":
                old[name] = _relationship_events(db, rel_id)
            else:
                old[name] = bool(row[name]) if name == "directed" else row[name]
        columns = _relationship_columns(db, row, fields)
        events = evidence(db, fields["events"]) if "events" in fields else None
        update_row(db, "relationships", rel_id, columns)
        if events is not None:
            db.execute("DELETE FROM relationship_events WHERE relationship_id = ?", [rel_id])
            db.conn.executemany(
                "INSERT INTO relationship_events (relationship_id, event_id) VALUES (?, ?)", [(rel_id, e) for e in events]
            )
    return old


def delete_relationship_rows(db: Database, rel_id: int) -> None:
    db.execute("DELETE FROM relationship_events WHERE relationship_id = ?", [rel_id])
    db.execute("DELETE FROM relationships WHERE id = ?", [rel_id])


def restore_relationship_rows(db: Database, snap: RelationshipSnapshot) -> None:
    what = f"relationship '{snap.row.get('type')}'"
    refuse_taken_id(db, "relationships", snap.id, what, "a relationship")
    ends = [snap.row["from_actor_id"], snap.row["to_actor_id"]]
    require_ids(db, "actors", ends, "actors", "actor")
    require_ids(db, "events", [r["event_id"] for r in snap.events], "events", "event")
    put_back(db, what, ("relationships", [snap.row]), ("relationship_events", snap.events))


def delete_relationship(db: Database, rel_id: int) -> RelationshipSnapshot:
    with write(db, "delete relationship"):
        snap = snapshot_relationship(db, rel_id)
        delete_relationship_rows(db, rel_id)
    return snap


def restore_relationship(db: Database, snap: RelationshipSnapshot) -> None:
    with write(db, "restore relationship"):
        restore_relationship_rows(db, snap)
