"""Changing and deleting records so that every change can be undone.

The window wraps each edit in an undo command whose redo and undo call one
function here, and each function is one transaction: the file on disk is
always complete and current, and there is nothing to "save".

* ``update_*`` change some fields and return ``{field: old value}`` for
  exactly the fields given, so undo is ``update_*(db, id, **old)``.
* ``delete_*`` return a snapshot holding everything needed to put the
  record back: its row and every join row that goes with it.
* ``restore_*`` put a snapshot back with the *same* ids, so later commands
  that name those ids stay valid.

Everything is validated before the first write, and errors are
``RecordError`` with a message naming the field and the value. The
full-text index is kept in step by hand (the file has no triggers, see
search_index.py): rows leave the index before their text changes or they
are deleted, and re-enter it after.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from sqlite_utils import Database

from . import search_index
from .cache import bump_generation
from .dates import DateError, datetime_from_seconds, parse_date
from .records import (
    Citation,
    Participation,
    RecordError,
    event_bounds,
    relationship_bounds,
    set_event_actors,
    set_event_sources,
)
from .schema import ACTOR_KINDS, CERTAINTIES, ROLES

Row = dict[str, Any]


# ---------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class RelationshipSnapshot:
    row: Row  # the relationships row, id included
    events: tuple[Row, ...] = ()  # its relationship_events rows

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass(frozen=True)
class EventSnapshot:
    row: Row  # the events row, id included
    actors: tuple[Row, ...] = ()  # event_actors rows
    sources: tuple[Row, ...] = ()  # event_sources rows
    relationships: tuple[Row, ...] = ()  # relationship_events rows (the relationships themselves stay)

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass(frozen=True)
class ActorSnapshot:
    row: Row  # the actors row, id included
    events: tuple[Row, ...] = ()  # its event_actors rows
    relationships: tuple[RelationshipSnapshot, ...] = ()  # every relationship from or to it

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass(frozen=True)
class SourceSnapshot:
    row: Row  # the sources row, id included
    citations: tuple[Row, ...] = ()  # its event_sources rows

    @property
    def id(self) -> int:
        return self.row["id"]


class _Missing:
    """What ``set_citation`` returns when the event did not cite the source."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self):  # stays the one instance through pickling/copying
        return (_Missing, ())


MISSING = _Missing()
_MISSING = MISSING


# ---------------------------------------------------------------- plumbing


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


def _check_field_names(fields: dict, allowed: tuple[str, ...], what: str) -> None:
    # A wrong name is a programming error, not a person's typo: TypeError.
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"{what} has no field {', '.join(unknown)} (it has {', '.join(allowed)})")


def _require_ids(db: Database, table: str, ids: Iterable[int], field: str, what: str) -> None:
    for record_id in ids:
        if not _exists(db, table, record_id):
            raise RecordError(f"{field}: there is no {what} with id {record_id}")


def _text(value, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise RecordError(f"{field} must be text, not {value!r}")
    return value


def _required(value, field: str, message: str) -> str:
    if value is not None and not isinstance(value, str):
        raise RecordError(f"{field} must be text, not {value!r}")
    if not (value or "").strip():
        raise RecordError(message)
    return value.strip()


def _choice(value, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise RecordError(f"{field} must be one of {', '.join(choices)}, not '{value}'")
    return value


def _id(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{field} must be a record id, not {value!r}")
    return value


def _no_repeats(ids: list[int], field: str, what: str) -> None:
    seen: set[int] = set()
    for record_id in ids:
        if record_id in seen:
            raise RecordError(f"{field}: {what} {record_id} is listed twice")
        seen.add(record_id)


def _same(value, stored) -> bool:
    # An empty text and NULL mean the same for an optional date.
    return (value or None) == (stored or None)


def _guarded_insert(what: str, insert) -> None:
    """Run the inserts of a restore; a clash becomes a RecordError (the
    enclosing transaction then rolls everything back)."""
    try:
        insert()
    except sqlite3.IntegrityError as exc:
        raise RecordError(f"cannot put back {what}: {exc}") from None


# ---------------------------------------------------------------- events

EVENT_FIELDS = ("title", "summary", "start", "end", "reference", "certainty", "type", "location", "actors", "sources")


def snapshot_event(db: Database, event_id: int) -> EventSnapshot:
    row = _row(db, "events", event_id, "event")
    return EventSnapshot(
        row,
        _rows(db, "SELECT * FROM event_actors WHERE event_id = ? ORDER BY rowid", [event_id]),
        _rows(db, "SELECT * FROM event_sources WHERE event_id = ? ORDER BY rowid", [event_id]),
        _rows(db, "SELECT * FROM relationship_events WHERE event_id = ? ORDER BY rowid", [event_id]),
    )


def _event_actors(db: Database, event_id: int) -> list[Participation]:
    sql = "SELECT actor_id, role FROM event_actors WHERE event_id = ? ORDER BY rowid"
    return [Participation(a, r) for a, r in db.execute(sql, [event_id])]


def _event_sources(db: Database, event_id: int) -> list[Citation]:
    sql = "SELECT source_id, quote FROM event_sources WHERE event_id = ? ORDER BY rowid"
    return [Citation(s, q) for s, q in db.execute(sql, [event_id])]


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


def _reference_text(value) -> str | None:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return _text(value, "reference") or None


def _reference_day(text: str | None, strict: bool) -> date | None:
    """The day relative dates are read against. A stored reference that
    cannot be read is ignored unless it is the one being set (``strict``)."""
    if text is None:
        return None
    try:
        fuzzy = parse_date(text)
    except DateError as exc:
        if strict:
            raise RecordError(f"reference: {exc}") from None
        return None
    if fuzzy.precision in ("year", "month"):
        if strict:
            raise RecordError(f"reference: '{text}' is not a single day")
        return None
    return datetime_from_seconds(fuzzy.earliest).date()


def _event_dates(row: Row, fields: dict) -> Row:
    """New date columns, or none when the dates as written do not change
    (so the stored bounds are kept exactly, whoever computed them)."""
    start = fields.get("start", row["start"])
    end = _text(fields.get("end", row["end"]), "end") or None
    reference = _reference_text(fields.get("reference", row["date_reference"]))
    if start is None or (isinstance(start, str) and not start.strip()):
        raise RecordError("start: an event needs a start date")
    _text(start, "start")
    if start == row["start"] and _same(end, row["end"]) and _same(reference, row["date_reference"]):
        return {}
    day = _reference_day(reference, strict="reference" in fields)
    return {**event_bounds(start, end, day), "date_reference": reference}


def _event_columns(row: Row, fields: dict) -> Row:
    columns: Row = {}
    if "title" in fields:
        columns["title"] = _required(fields["title"], "title", "title: an event needs a title")
    for name in ("summary", "type", "location"):
        if name in fields:
            columns[name] = _text(fields[name], name)
    if "certainty" in fields:
        columns["certainty"] = _choice(fields["certainty"], CERTAINTIES, "certainty")
    if {"start", "end", "reference"} & fields.keys():
        columns.update(_event_dates(row, fields))
    return columns


def _participations(db: Database, items) -> list[Participation]:
    parts = [p if isinstance(p, Participation) else Participation(*p) for p in items]
    for p in parts:
        _id(p.actor_id, "actors")
        _choice(p.role, ROLES, "role")
    ids = [p.actor_id for p in parts]
    _no_repeats(ids, "actors", "actor")
    _require_ids(db, "actors", ids, "actors", "actor")
    return parts


def _citations(db: Database, items) -> list[Citation]:
    cites = [c if isinstance(c, Citation) else Citation(*c) for c in items]
    for c in cites:
        _id(c.source_id, "sources")
        _text(c.quote, "quote")
    ids = [c.source_id for c in cites]
    _no_repeats(ids, "sources", "source")
    _require_ids(db, "sources", ids, "sources", "source")
    return cites


def _rewrite(db: Database, table: str, record_id: int, columns: Row, text_columns: tuple[str, ...]) -> None:
    """Update a row, taking it out of the full-text index while its text changes."""
    reindex = bool(set(columns) & set(text_columns))
    if reindex:
        search_index.unindex_rows(db, table, [record_id])
    _update(db, table, record_id, columns)
    if reindex:
        search_index.index_rows(db, table, [record_id])


def update_event(db: Database, event_id: int, **fields) -> dict:
    """Change some of title, summary, start, end, reference, certainty,
    type, location, actors (Participations), sources (Citations).

    Dates are re-derived from the text when start, end or reference change.
    Returns the old values of exactly the given fields.
    """
    _check_field_names(fields, EVENT_FIELDS, "an event")
    with db.atomic():
        row = _row(db, "events", event_id, "event")
        old = _old_event_values(db, row, fields)
        columns = _event_columns(row, fields)
        actors = _participations(db, fields["actors"]) if "actors" in fields else None
        sources = _citations(db, fields["sources"]) if "sources" in fields else None
        _rewrite(db, "events", event_id, columns, search_index.EVENT_TEXT)
        if actors is not None:
            set_event_actors(db, event_id, actors)
        if sources is not None:
            set_event_sources(db, event_id, sources)
        _changed(db)
    return old


def move_event(db: Database, event_id: int, start: str, end: str | None) -> dict:
    """Drag-to-change-dates: ``update_event(start=, end=)``."""
    return update_event(db, event_id, start=start, end=end)


def delete_event(db: Database, event_id: int) -> EventSnapshot:
    """Delete an event with its actor, source and relationship links."""
    with db.atomic():
        snap = snapshot_event(db, event_id)
        search_index.unindex_rows(db, "events", [event_id])
        for table in ("relationship_events", "event_actors", "event_sources"):
            db.execute(f"DELETE FROM {table} WHERE event_id = ?", [event_id])
        db.execute("DELETE FROM events WHERE id = ?", [event_id])
        _changed(db)
    return snap


def restore_event(db: Database, snap: EventSnapshot) -> None:
    """Put a deleted event back, with the same id and all its links."""
    what = f"event '{snap.row.get('title')}'"
    with db.atomic():
        if _exists(db, "events", snap.id):
            raise RecordError(f"cannot put back {what}: there is already an event with id {snap.id}")
        _require_ids(db, "actors", [r["actor_id"] for r in snap.actors], "actors", "actor")
        _require_ids(db, "sources", [r["source_id"] for r in snap.sources], "sources", "source")
        _require_ids(db, "relationships", [r["relationship_id"] for r in snap.relationships], "relationships", "relationship")

        def insert():
            _insert(db, "events", [snap.row])
            _insert(db, "event_actors", snap.actors)
            _insert(db, "event_sources", snap.sources)
            _insert(db, "relationship_events", snap.relationships)

        _guarded_insert(what, insert)
        search_index.index_rows(db, "events", [snap.id])
        _changed(db)


# ---------------------------------------------------------------- actors

ACTOR_FIELDS = ("name", "kind", "title", "country", "aliases", "notes", "colour")


def _alias_list(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return [text]  # not ours: keep the text rather than lose it
    return [str(v) for v in value] if isinstance(value, list) else [text]


def _aliases_json(value) -> str | None:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise RecordError(f"aliases must be a list of names, not {value!r}")
    for alias in value:
        _text(alias, "aliases")
    return json.dumps(list(value), ensure_ascii=False) if value else None


def _actor_columns(db: Database, actor_id: int, fields: dict) -> Row:
    columns: Row = {}
    if "name" in fields:
        name = _required(fields["name"], "name", "name: an actor needs a name")
        clash = db.execute("SELECT 1 FROM actors WHERE name = ? AND id != ?", [name, actor_id]).fetchone()
        if clash:
            raise RecordError(f"there is already an actor named '{name}'")
        columns["name"] = name
    if "kind" in fields:
        columns["kind"] = _choice(fields["kind"], ACTOR_KINDS, "actor kind")
    for name in ("title", "country", "notes", "colour"):
        if name in fields:
            columns[name] = _text(fields[name], name)
    if "aliases" in fields:
        columns["aliases"] = _aliases_json(fields["aliases"])
    return columns


def update_actor(db: Database, actor_id: int, **fields) -> dict:
    """Change some of name (unique), kind, title, country, aliases (a
    list), notes, colour; returns the old values of the given fields."""
    _check_field_names(fields, ACTOR_FIELDS, "an actor")
    with db.atomic():
        row = _row(db, "actors", actor_id, "actor")
        old = {f: _alias_list(row[f]) if f == "aliases" else row[f] for f in fields}
        columns = _actor_columns(db, actor_id, fields)
        _rewrite(db, "actors", actor_id, columns, search_index.ACTOR_TEXT)
        _changed(db)
    return old


def snapshot_actor(db: Database, actor_id: int) -> ActorSnapshot:
    row = _row(db, "actors", actor_id, "actor")
    rel_ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM relationships WHERE from_actor_id = ? OR to_actor_id = ? ORDER BY id", [actor_id, actor_id]
        )
    ]
    return ActorSnapshot(
        row,
        _rows(db, "SELECT * FROM event_actors WHERE actor_id = ? ORDER BY rowid", [actor_id]),
        tuple(snapshot_relationship(db, r) for r in rel_ids),
    )


def delete_actor(db: Database, actor_id: int) -> ActorSnapshot:
    """Delete an actor, its places in events, and every relationship from or to it."""
    with db.atomic():
        snap = snapshot_actor(db, actor_id)
        for rel in snap.relationships:
            _delete_relationship_rows(db, rel.id)
        search_index.unindex_rows(db, "actors", [actor_id])
        db.execute("DELETE FROM event_actors WHERE actor_id = ?", [actor_id])
        db.execute("DELETE FROM actors WHERE id = ?", [actor_id])
        _changed(db)
    return snap


def restore_actor(db: Database, snap: ActorSnapshot) -> None:
    """Put a deleted actor back with the same id, its event roles and relationships."""
    what = f"actor '{snap.row.get('name')}'"
    with db.atomic():
        if _exists(db, "actors", snap.id):
            raise RecordError(f"cannot put back {what}: there is already an actor with id {snap.id}")
        if db.execute("SELECT 1 FROM actors WHERE name = ?", [snap.row.get("name")]).fetchone():
            raise RecordError(f"there is already an actor named '{snap.row.get('name')}'")
        _require_ids(db, "events", [r["event_id"] for r in snap.events], "events", "event")

        def insert():
            _insert(db, "actors", [snap.row])
            _insert(db, "event_actors", snap.events)

        _guarded_insert(what, insert)
        search_index.index_rows(db, "actors", [snap.id])
        for rel in snap.relationships:  # after the actor: they refer to it
            _restore_relationship_rows(db, rel)
        _changed(db)


# ---------------------------------------------------------------- relationships

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
    if _exists(db, "relationships", snap.id):
        raise RecordError(f"cannot put back {what}: there is already a relationship with id {snap.id}")
    ends = [snap.row["from_actor_id"], snap.row["to_actor_id"]]
    _require_ids(db, "actors", ends, "actors", "actor")
    _require_ids(db, "events", [r["event_id"] for r in snap.events], "events", "event")

    def insert():
        _insert(db, "relationships", [snap.row])
        _insert(db, "relationship_events", snap.events)

    _guarded_insert(what, insert)


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


# ---------------------------------------------------------------- sources

SOURCE_FIELDS = ("publisher", "title", "url", "date", "notes")
_SOURCE_NAMES = ("publisher", "title", "url")  # a source needs one of these


def update_source(db: Database, source_id: int, **fields) -> dict:
    """Change some of publisher, title, url, date, notes; returns the old values."""
    _check_field_names(fields, SOURCE_FIELDS, "a source")
    with db.atomic():
        row = _row(db, "sources", source_id, "source")
        old = {name: row[name] for name in fields}
        columns = {name: _text(value, name) for name, value in fields.items()}
        after = {**row, **columns}
        # Refuse only making a named source nameless, so undo of anything can run.
        if any(row[n] for n in _SOURCE_NAMES) and not any(after[n] for n in _SOURCE_NAMES):
            raise RecordError("a source needs a publisher, a title or a URL")
        _update(db, "sources", source_id, columns)
        _changed(db)
    return old


def snapshot_source(db: Database, source_id: int) -> SourceSnapshot:
    row = _row(db, "sources", source_id, "source")
    return SourceSnapshot(row, _rows(db, "SELECT * FROM event_sources WHERE source_id = ? ORDER BY rowid", [source_id]))


def delete_source(db: Database, source_id: int) -> SourceSnapshot:
    """Delete a source and every citation of it."""
    with db.atomic():
        snap = snapshot_source(db, source_id)
        db.execute("DELETE FROM event_sources WHERE source_id = ?", [source_id])
        db.execute("DELETE FROM sources WHERE id = ?", [source_id])
        _changed(db)
    return snap


def restore_source(db: Database, snap: SourceSnapshot) -> None:
    what = f"source '{snap.row.get('title') or snap.row.get('publisher') or snap.row.get('url')}'"
    with db.atomic():
        if _exists(db, "sources", snap.id):
            raise RecordError(f"cannot put back {what}: there is already a source with id {snap.id}")
        _require_ids(db, "events", [r["event_id"] for r in snap.citations], "events", "event")

        def insert():
            _insert(db, "sources", [snap.row])
            _insert(db, "event_sources", snap.citations)

        _guarded_insert(what, insert)
        _changed(db)


# ---------------------------------------------------------------- citations


def _citation(db: Database, event_id: int, source_id: int):
    row = db.execute(
        "SELECT quote FROM event_sources WHERE event_id = ? AND source_id = ?", [event_id, source_id]
    ).fetchone()
    return MISSING if row is None else row[0]


def set_citation(db: Database, event_id: int, source_id: int, quote: str | None) -> str | None | _Missing:
    """Make the event cite the source with ``quote`` (added or replaced).

    Returns the previous state for undo: the old quote, or MISSING when the
    event did not cite the source (undo with ``restore_citation``).
    """
    _text(quote, "quote")
    with db.atomic():
        _row(db, "events", event_id, "event")
        _row(db, "sources", source_id, "source")
        previous = _citation(db, event_id, source_id)
        if previous is MISSING:
            db.execute("INSERT INTO event_sources (event_id, source_id, quote) VALUES (?, ?, ?)", [event_id, source_id, quote])
        else:
            db.execute("UPDATE event_sources SET quote = ? WHERE event_id = ? AND source_id = ?", [quote, event_id, source_id])
        _changed(db)
    return previous


def remove_citation(db: Database, event_id: int, source_id: int) -> str | None:
    """Stop the event citing the source; returns the quote it had."""
    with db.atomic():
        previous = _citation(db, event_id, source_id)
        if previous is MISSING:
            raise RecordError(f"event {event_id} does not cite source {source_id}")
        db.execute("DELETE FROM event_sources WHERE event_id = ? AND source_id = ?", [event_id, source_id])
        _changed(db)
    return previous


def restore_citation(db: Database, event_id: int, source_id: int, previous: str | None | _Missing) -> None:
    """Undo of set_citation or remove_citation: put ``previous`` back."""
    if previous is MISSING:
        remove_citation(db, event_id, source_id)
    else:
        set_citation(db, event_id, source_id, previous)
