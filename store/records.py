"""Writing records: actors, sources, events, relationships.

Every public function here is one write of the write path
(``store.writing.write``: one transaction that keeps the search index and
the cache key right), so a failure leaves the file as it was; callers that
need several writes in one transaction (an import, an undoable command)
nest them inside their own ``write``, which they then join.
Dates are validated before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from sqlite_utils import Database

from .dates import DateError, FuzzyDate, datetime_from_seconds, parse_date
from .schema import ACTOR_KINDS, CERTAINTIES, ROLES  # noqa: F401 (ROLES: callers pick roles from here)
from .writing import changing, write


class RecordError(ValueError):
    """A value a record cannot hold, named in the message."""


def _validate():
    # The checks of values live in store/edits/validate.py, one set for adding
    # and for changing; that package builds on this module, so it is imported
    # when first used rather than at the top.
    from .edits import validate

    return validate


def read_date(text: str, field: str, reference=None) -> FuzzyDate:
    """A date as written, read for ``field``: RecordError naming the field when it cannot be read."""
    try:
        return parse_date(text, reference=reference_date(reference))
    except DateError as exc:
        raise RecordError(f"{field}: {exc}") from None


def reference_text(value) -> str | None:
    """A reference day as it is stored: text as written, a date as ISO text, None when empty."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is not None and not isinstance(value, str):
        raise RecordError(f"reference must be text, not {value!r}")
    return value or None


def reference_date(reference, *, strict: bool = True) -> date | datetime | None:
    """The day relative dates ("last Friday") of an event are read against:
    its reference (a day as text, "2025-05-04", or a date), or a document's
    publication date. The one reader of them all.

    Text that is not one single day ("2025", "May 2025", words) raises
    RecordError naming it; with ``strict=False`` it is ignored (None), as a
    stored reference nobody is setting now, or a publication date, is."""
    if reference is None or isinstance(reference, (date, datetime)):
        return reference
    text = reference_text(reference)
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


def event_bounds(start: str, end: str | None = None, reference=None) -> dict:
    """The derived date columns of an event from its dates as written."""
    s = read_date(start, "start", reference)
    row = {
        "start": s.text,
        "precision": s.precision,
        # "on or before": the day is only when it was reported by, so it is
        # stored and drawn as uncertain, like "c. 2016"
        "approximate": int(s.approximate or s.on_or_before),
        "earliest": s.earliest,
        "start_latest": s.latest,
        "end": None,
        "end_precision": None,
    }
    if end:
        e = read_date(end, "end", reference)
        if e.latest < s.earliest:
            raise RecordError(f"end '{end}' is before start '{start}'")
        row.update(
            end=e.text,
            end_precision=e.precision,
            approximate=int(s.approximate or e.approximate),
            latest=max(e.latest, s.latest),
            end_earliest=max(e.earliest, s.earliest),
        )
    else:
        row.update(latest=s.latest, end_earliest=s.earliest)
    return row


def relationship_bounds(start: str | None, end: str | None, reference=None) -> dict:
    """Open ends are NULL: alive since before the record / still alive."""
    earliest = read_date(start, "start", reference).earliest if start else None
    latest = read_date(end, "end", reference).latest if end else None
    if earliest is not None and latest is not None and latest < earliest:
        raise RecordError(f"end '{end}' is before start '{start}'")
    return {"start": start or None, "end": end or None, "earliest": earliest, "latest": latest}


# ---------------------------------------------------------------- actors


def add_actor(
    db: Database,
    name: str,
    kind: str = "person",
    *,
    title: str | None = None,
    country: str | None = None,
    aliases: Iterable[str] = (),
    notes: str | None = None,
    colour: str | None = None,
    external_id: str | None = None,
) -> int:
    check = _validate()
    name = check.check_required(name, "name", "name: an actor needs a name")
    check.check_choice(kind, ACTOR_KINDS, "actor kind")
    row = {
        "name": name,
        "kind": kind,
        "title": title,
        "country": country,
        "aliases": json.dumps(list(aliases), ensure_ascii=False) if aliases else None,
        "notes": notes,
        "colour": colour,
        "external_id": external_id,
    }
    with write(db, "add actor"):
        if db.execute("SELECT 1 FROM actors WHERE name = ?", [name]).fetchone():
            raise RecordError(f"there is already an actor named '{name}'")
        actor_id = db["actors"].insert(row).last_pk
        changing(db, "actors", [actor_id])
        return actor_id


def actor_id_by_name(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM actors WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- sources


def source_content_key(publisher=None, title=None, url=None, date=None) -> str:
    """A key made from a source's own content: two sources get the same key
    only when publisher, title, URL and date are all the same, so a key
    made in one file never names another file's different source."""
    parts = [publisher or "", title or "", url or "", date or ""]
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"source-{digest[:16]}"


def add_source(
    db: Database,
    publisher: str | None = None,
    title: str | None = None,
    url: str | None = None,
    date: str | None = None,
    notes: str | None = None,
    external_id: str | None = None,
    document_id: int | None = None,
) -> int:
    if not (publisher or title or url):
        raise RecordError("a source needs a publisher, a title or a URL")
    with write(db, "add source"):
        return db["sources"].insert(
            {"publisher": publisher, "title": title, "url": url, "date": date, "notes": notes, "external_id": external_id,
             **({"document_id": document_id} if document_id is not None else {})}
        ).last_pk


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Participation:
    actor_id: int
    role: str = "participant"


@dataclass(frozen=True)
class Citation:
    source_id: int
    quote: str | None = None
    # Where the quote lies in the source's document (characters, end
    # exclusive); None when the source has no document or it was typed.
    start: int | None = None
    end: int | None = None


def add_event(
    db: Database,
    title: str,
    start: str,
    end: str | None = None,
    *,
    summary: str | None = None,
    certainty: str = "confirmed",
    type: str | None = None,
    location: str | None = None,
    reference: str | None = None,
    actors: Iterable[Participation] = (),
    sources: Iterable[Citation] = (),
    attributes: dict | None = None,
    external_id: str | None = None,
    dataset: str = "",
) -> int:
    check = _validate()
    title = check.check_required(title, "title", "title: an event needs a title")
    check.check_choice(certainty, CERTAINTIES, "certainty")
    for name, value in (("summary", summary), ("type", type), ("location", location)):
        check.check_text(value, name)
    check.check_start(start)
    reference = reference_text(reference)
    row = {
        "title": title,
        "summary": summary,
        "certainty": certainty,
        "type": type,
        "location": location,
        "date_reference": reference,
        "attributes": json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else None,
        "external_id": external_id,
        "dataset": dataset or "",
        **event_bounds(start, end, reference),
    }
    with write(db, "add event"):
        actors = check.participations(db, actors)  # the same rules as update_event: no actor twice
        sources = check.citations(db, sources)
        event_id = db["events"].insert(row).last_pk
        changing(db, "events", [event_id])
        set_event_actors(db, event_id, actors)
        set_event_sources(db, event_id, sources)
    return event_id


def set_event_actors(db: Database, event_id: int, actors: Iterable[Participation]) -> None:
    with write(db, "set an event's actors"):
        db.execute("DELETE FROM event_actors WHERE event_id = ?", [event_id])
        db.conn.executemany(
            "INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)",
            [(event_id, p.actor_id, p.role) for p in actors],
        )


def set_event_sources(db: Database, event_id: int, sources: Iterable[Citation]) -> None:
    with write(db, "set an event's sources"):
        db.execute("DELETE FROM event_sources WHERE event_id = ?", [event_id])
        db.conn.executemany(
            "INSERT INTO event_sources (event_id, source_id, quote, quote_start, quote_end) "
            "VALUES (?, ?, ?, ?, ?)",
            [(event_id, c.source_id, c.quote, c.start, c.end) for c in sources],
        )


# ---------------------------------------------------------------- relationships


def add_relationship(
    db: Database,
    from_actor_id: int,
    to_actor_id: int,
    type: str,
    *,
    directed: bool = True,
    start: str | None = None,
    end: str | None = None,
    certainty: str = "confirmed",
    notes: str | None = None,
    events: Iterable[int] = (),
) -> int:
    check = _validate()
    type = check.check_required(type, "type", "type: a relationship needs a type")
    check.check_choice(certainty, CERTAINTIES, "certainty")
    row = {
        "from_actor_id": from_actor_id,
        "to_actor_id": to_actor_id,
        "type": type,
        "directed": int(bool(directed)),
        "certainty": certainty,
        "notes": notes,
        **relationship_bounds(start, end),
    }
    with write(db, "add relationship"):
        check.require_ids(db, "actors", [from_actor_id, to_actor_id], "actors", "actor")
        events = [check.check_id(e, "events") for e in events]
        check.check_no_repeats(events, "events", "event")
        check.require_ids(db, "events", events, "events", "event")
        rel_id = db["relationships"].insert(row).last_pk
        db.conn.executemany(
            "INSERT INTO relationship_events (relationship_id, event_id) VALUES (?, ?)",
            [(rel_id, e) for e in events],
        )
    return rel_id


def set_meta(db: Database, key: str, value: str | None) -> None:
    with write(db, "set a story property"):
        db["meta"].upsert({"key": key, "value": value}, pk="key")


def set_meta_values(db: Database, values: dict[str, str | None]) -> dict[str, str | None]:
    """Set several meta keys in one transaction; returns their old values (for undo)."""
    with write(db, "set story properties"):
        old = {key: get_meta(db, key) for key in values}
        for key, value in values.items():
            db["meta"].upsert({"key": key, "value": value}, pk="key")
    return old


def get_meta(db: Database, key: str, default: str | None = None) -> str | None:
    if not db["meta"].exists():
        return default
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default
