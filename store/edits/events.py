"""Changing, deleting and restoring events.

Events carry most of the checks: their dates are re-derived from the text
(against a reference day for relative words), and their actor and source
links are validated and rewritten with them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from ..records import (
    Citation,
    Participation,
    event_bounds,
    reference_date,
    reference_text,
    set_event_actors,
    set_event_sources,
)
from ..schema import CERTAINTIES
from ..search_index import EVENT_TEXT
from ..writing import changing, write
from .rows import Row, fetch_row, fetch_rows, put_back, refuse_taken_id, rewrite_row
from .snapshots import EventSnapshot
from .validate import (
    check_choice,
    check_field_names,
    check_required,
    check_start,
    check_text,
    citations,
    participations,
    require_ids,
    same_optional,
)

EVENT_FIELDS = ("title", "summary", "start", "end", "reference", "certainty", "type", "location", "actors", "sources")


def snapshot_event(db: Database, event_id: int) -> EventSnapshot:
    row = fetch_row(db, "events", event_id, "event")
    return EventSnapshot(
        row,
        fetch_rows(db, "SELECT * FROM event_actors WHERE event_id = ? ORDER BY rowid", [event_id]),
        fetch_rows(db, "SELECT * FROM event_sources WHERE event_id = ? ORDER BY rowid", [event_id]),
        fetch_rows(db, "SELECT * FROM relationship_events WHERE event_id = ? ORDER BY rowid", [event_id]),
    )


def _event_actors(db: Database, event_id: int) -> list[Participation]:
    sql = "SELECT actor_id, role FROM event_actors WHERE event_id = ? ORDER BY rowid"
    return [Participation(a, r) for a, r in db.execute(sql, [event_id])]


def _event_sources(db: Database, event_id: int) -> list[Citation]:
    sql = "SELECT source_id, quote, quote_start, quote_end FROM event_sources WHERE event_id = ? ORDER BY rowid"
    return [Citation(*row) for row in db.execute(sql, [event_id])]


def _old_event_values(db: Database, row: Row, names: Iterable[str]) -> dict:
    old = {}
    for name in names:
        if name == "actors":
            old[name] = _event_actors(db, row["id"])
        elif name == "sources":
            old[name] = _event_sources(db, row["id"])
        elif name == "reference":
            old[name] = row["date_reference"]
        else:
            old[name] = row[name]
    return old


def _event_dates(row: Row, fields: dict) -> Row:
    """New date columns, or none when the dates as written do not change
    (so the stored bounds are kept exactly, whoever computed them)."""
    start = fields.get("start", row["start"])
    end = check_text(fields.get("end", row["end"]), "end") or None
    reference = reference_text(fields.get("reference", row["date_reference"]))
    check_start(start)
    if start == row["start"] and same_optional(end, row["end"]) and same_optional(reference, row["date_reference"]):
        return {}
    day = reference_date(reference, strict="reference" in fields)
    return {**event_bounds(start, end, day), "date_reference": reference}


def _event_columns(row: Row, fields: dict) -> Row:
    columns: Row = {}
    if "title" in fields:
        columns["title"] = check_required(fields["title"], "title", "title: an event needs a title")
    for name in ("summary", "type", "location"):
        if name in fields:
            columns[name] = check_text(fields[name], name)
    if "certainty" in fields:
        columns["certainty"] = check_choice(fields["certainty"], CERTAINTIES, "certainty")
    if {"start", "end", "reference"} & fields.keys():
        columns.update(_event_dates(row, fields))
    return columns


def update_event(db: Database, event_id: int, **fields) -> dict:
    """Change some of title, summary, start, end, reference, certainty,
    type, location, actors (Participations), sources (Citations).

    Dates are re-derived from the text when start, end or reference change.
    Returns the old values of exactly the given fields.
    """
    check_field_names(fields, EVENT_FIELDS, "an event")
    with write(db, "update event"):
        row = fetch_row(db, "events", event_id, "event")
        old = _old_event_values(db, row, fields)
        columns = _event_columns(row, fields)
        actors = participations(db, fields["actors"]) if "actors" in fields else None
        sources = citations(db, fields["sources"]) if "sources" in fields else None
        rewrite_row(db, "events", event_id, columns, EVENT_TEXT)
        if actors is not None:
            set_event_actors(db, event_id, actors)
        if sources is not None:
            set_event_sources(db, event_id, sources)
    return old


def move_event(db: Database, event_id: int, start: str, end: str | None) -> dict:
    """Drag-to-change-dates: ``update_event(start=, end=)``."""
    return update_event(db, event_id, start=start, end=end)


def delete_event(db: Database, event_id: int) -> EventSnapshot:
    """Delete an event with its actor, source and relationship links."""
    with write(db, "delete event"):
        snap = snapshot_event(db, event_id)
        changing(db, "events", [event_id])
        for table in ("relationship_events", "event_actors", "event_sources"):
            db.execute(f"DELETE FROM {table} WHERE event_id = ?", [event_id])
        db.execute("DELETE FROM events WHERE id = ?", [event_id])
    return snap


def restore_event(db: Database, snap: EventSnapshot) -> None:
    """Put a deleted event back, with the same id and all its links."""
    what = f"event '{snap.row.get('title')}'"
    with write(db, "restore event"):
        refuse_taken_id(db, "events", snap.id, what, "an event")
        require_ids(db, "actors", [r["actor_id"] for r in snap.actors], "actors", "actor")
        require_ids(db, "sources", [r["source_id"] for r in snap.sources], "sources", "source")
        require_ids(db, "relationships", [r["relationship_id"] for r in snap.relationships], "relationships", "relationship")
        put_back(
            db,
            what,
            ("events", [snap.row]),
            ("event_actors", snap.actors),
            ("event_sources", snap.sources),
            ("relationship_events", snap.relationships),
        )
        changing(db, "events", [snap.id])
