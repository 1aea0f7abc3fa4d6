"""Small read queries that return plain data for the views.

A time window is a pair of epoch seconds ``(t0, t1)``, inclusive; ``None``
for either end leaves it open. An event belongs to a window when its bounds
overlap it (``latest >= t0 and earliest <= t1``), so an event dated
"May 2025" is in every window that touches May, and never pinned to a
false day. Relationships with an open end are alive on that side forever.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable

from sqlite_utils import Database

from .query_guard import StoreError
from .row_checks import FIRST_SECOND, LAST_SECOND, check_bounds, db_name
from .dates import as_read, format_date

Window = tuple[int | None, int | None]

EVENT_COLUMNS = (
    "id, title, summary, start, \"end\", precision, end_precision, approximate, certainty, type, location, "
    "earliest, latest, start_latest, end_earliest, date_reference, attributes, external_id"
)


@dataclass(frozen=True)
class EventRow:
    id: int
    title: str
    summary: str | None
    start: str
    end: str | None
    precision: str
    end_precision: str | None
    approximate: bool
    certainty: str
    type: str | None
    location: str | None
    earliest: int
    latest: int
    start_latest: int
    end_earliest: int
    date_reference: str | None = None
    attributes: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class ActorRow:
    id: int
    name: str
    kind: str
    title: str | None
    country: str | None
    aliases: tuple[str, ...]
    notes: str | None
    colour: str | None
    external_id: str | None = None


@dataclass(frozen=True)
class SourceRow:
    id: int
    publisher: str | None
    title: str | None
    url: str | None
    date: str | None
    notes: str | None
    external_id: str | None = None


@dataclass(frozen=True)
class RelationshipRow:
    id: int
    from_actor_id: int
    to_actor_id: int
    type: str
    directed: bool
    start: str | None
    end: str | None
    earliest: int | None
    latest: int | None
    certainty: str
    notes: str | None
    event_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CoEdge:
    """Two actors that share events in a window: how many, and which."""

    a: int
    b: int
    count: int
    event_ids: tuple[int, ...]


@dataclass(frozen=True)
class EventDetail:
    event: EventRow
    actors: list[tuple[ActorRow, str]] = field(default_factory=list)  # (actor, role)
    sources: list[tuple[SourceRow, str | None]] = field(default_factory=list)  # (source, quote)


def _event(row) -> EventRow:
    return EventRow(*row[:7], bool(row[7]), *row[8:])


def _aliases(text) -> tuple:
    """The aliases column as a tuple of names; what another program wrote
    there that is not a JSON list of text is shown as one alias, as written."""
    if not text:
        return ()
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return (str(text),)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return (str(text),)


def _actor(row) -> ActorRow:
    aliases = _aliases(row[5])
    return ActorRow(row[0], row[1], row[2], row[3], row[4], aliases, row[6], row[7], row[8])


ACTOR_COLUMNS = "id, name, kind, title, country, aliases, notes, colour, external_id"
SOURCE_COLUMNS = "id, publisher, title, url, date, notes, external_id"


def whole_seconds(window: Window | None) -> tuple[int | None, int | None]:
    """The whole-second window that holds the same events as ``window``,
    whose ends may fall between seconds (a window brushed on screen): bounds
    are whole seconds, so ``latest >= 10.5`` is ``latest >= 11``. Truncating
    instead would take in events the graph on screen leaves out."""
    t0, t1 = window if window else (None, None)
    return (None if t0 is None else math.ceil(t0), None if t1 is None else math.floor(t1))


def _window_sql(window: Window, alias: str = "events") -> tuple[str, list]:
    t0, t1 = whole_seconds(window)
    clauses, params = [], []
    if t0 is not None:
        clauses.append(f"{alias}.latest >= ?")
        params.append(t0)
    if t1 is not None:
        clauses.append(f"{alias}.earliest <= ?")
        params.append(t1)
    return " AND ".join(clauses) or "1", params


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every word must match, as a prefix."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _id_list(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def events_in_window(
    db: Database,
    window: Window = (None, None),
    *,
    actor_ids: Iterable[int] | None = None,
    types: Iterable[str] | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[EventRow]:
    """Events overlapping the window, optionally only those of some actors,
    of some types, or matching a full-text search; ordered by earliest."""
    where, params = _window_sql(window)
    sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE {where}"
    if actor_ids is not None:
        sql += f" AND id IN (SELECT event_id FROM event_actors WHERE actor_id IN ({_id_list(actor_ids)}))"
    if types is not None:
        types = list(types)
        sql += f" AND type IN ({','.join('?' * len(types))})"
        params += types
    if search:
        query = fts_query(search)
        if not query:
            return []
        sql += " AND id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)"
        params.append(query)
    sql += " ORDER BY earliest, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_event(r) for r in db.execute(sql, params).fetchall()]


def search_event_ids(db: Database, text: str) -> set[int]:
    query = fts_query(text)
    if not query:
        return set()
    return {r[0] for r in db.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", [query])}


def search_actor_ids(db: Database, text: str) -> set[int]:
    query = fts_query(text)
    if not query:
        return set()
    return {r[0] for r in db.execute("SELECT rowid FROM actors_fts WHERE actors_fts MATCH ?", [query])}


def get_event(db: Database, event_id: int) -> EventRow | None:
    row = db.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", [event_id]).fetchone()
    return _event(row) if row else None


def get_actor(db: Database, actor_id: int) -> ActorRow | None:
    row = db.execute(f"SELECT {ACTOR_COLUMNS} FROM actors WHERE id = ?", [actor_id]).fetchone()
    return _actor(row) if row else None


def list_actors(db: Database) -> list[ActorRow]:
    return [_actor(r) for r in db.execute(f"SELECT {ACTOR_COLUMNS} FROM actors ORDER BY id")]


def actor_countries(db: Database) -> dict[int, str]:
    """Actor id -> country, for the actors that have one (lanes grouped by country)."""
    rows = db.execute("SELECT id, country FROM actors WHERE country IS NOT NULL AND country != ''").fetchall()
    return {int(r[0]): str(r[1]) for r in rows}


def list_sources(db: Database) -> list[SourceRow]:
    return [SourceRow(*r) for r in db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")]


def event_detail(db: Database, event_id: int) -> EventDetail | None:
    """Everything about one event; StoreError when a value of it is over
    the size cap (the panel says so instead of failing)."""
    try:
        return _event_detail(db, event_id)
    except sqlite3.DataError as exc:
        from .oversize import is_too_big

        if not is_too_big(exc):
            raise
        raise StoreError(f"event {event_id} holds a value larger than the 100 MB Threadline reads") from None


def _event_detail(db: Database, event_id: int) -> EventDetail | None:
    event = get_event(db, event_id)
    if event is None:
        return None
    actors = [
        (_actor(r[:-1]), r[-1])
        for r in db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in ACTOR_COLUMNS.split(','))}, ea.role "
            "FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ? "
            "ORDER BY CASE ea.role WHEN 'initiator' THEN 0 WHEN 'target' THEN 1 WHEN 'participant' THEN 2 ELSE 3 END, a.name",
            [event_id],
        )
    ]
    sources = [
        (SourceRow(*r[:-1]), r[-1])
        for r in db.execute(
            f"SELECT {', '.join('s.' + c.strip() for c in SOURCE_COLUMNS.split(','))}, es.quote "
            "FROM event_sources es JOIN sources s ON s.id = es.source_id WHERE es.event_id = ? ORDER BY s.id",
            [event_id],
        )
    ]
    return EventDetail(event, actors, sources)


def actor_event_counts(db: Database, window: Window = (None, None)) -> dict[int, int]:
    """How many events each actor takes part in within the window."""
    where, params = _window_sql(window, "e")
    sql = (
        "SELECT ea.actor_id, count(DISTINCT ea.event_id) FROM event_actors ea JOIN events e ON e.id = ea.event_id "
        f"WHERE {where} GROUP BY ea.actor_id"
    )
    return dict(db.execute(sql, params).fetchall())


def is_evidence(db: Database, event_ids) -> bool:
    """Whether any of these events is cited as a relationship's evidence."""
    ids = [int(i) for i in event_ids][:900]
    if not ids:
        return False
    marks = ",".join("?" * len(ids))
    return db.execute(f"SELECT 1 FROM relationship_events WHERE event_id IN ({marks}) LIMIT 1", ids).fetchone() is not None


def relationships_in_window(db: Database, window: Window = (None, None)) -> list[RelationshipRow]:
    """Stated relationships alive at some moment of the window (open ends are alive)."""
    t0, t1 = whole_seconds(window)
    clauses, params = [], []
    if t0 is not None:
        clauses.append("(latest IS NULL OR latest >= ?)")
        params.append(t0)
    if t1 is not None:
        clauses.append("(earliest IS NULL OR earliest <= ?)")
        params.append(t1)
    where = " AND ".join(clauses) or "1"
    rows = db.execute(
        "SELECT id, from_actor_id, to_actor_id, type, directed, start, \"end\", earliest, latest, certainty, notes, "
        "(SELECT group_concat(event_id) FROM relationship_events re WHERE re.relationship_id = relationships.id) "
        f"FROM relationships WHERE {where} ORDER BY id",
        params,
    ).fetchall()
    return [
        RelationshipRow(*r[:4], bool(r[4]), *r[5:11], tuple(sorted(int(x) for x in r[11].split(","))) if r[11] else ())
        for r in rows
    ]


# An event links each participant with the next MAX_GROUP - 1 in the order
# they were recorded: every pair when it has at most MAX_GROUP participants,
# and at most 11 links a participant beyond (a summit of 70,000 would
# otherwise make 2.4 billion pairs). network.cooccurrence keeps the same rule.
MAX_GROUP = 12


def cooccurrence_edges(db: Database, window: Window = (None, None)) -> list[CoEdge]:
    """Pairs of actors sharing events in the window, with the events' ids
    (each event's participants paired as ``MAX_GROUP`` says)."""
    where, params = _window_sql(window, "e")
    sql = (
        "WITH ranked AS MATERIALIZED ("
        " SELECT event_id, actor_id, row_number() OVER (PARTITION BY event_id ORDER BY first) AS r FROM ("
        "  SELECT ea.event_id, ea.actor_id, min(ea.rowid) AS first"
        f"  FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE {where}"
        "  GROUP BY ea.event_id, ea.actor_id)),"  # one actor in two roles is one participant
        f" steps(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM steps WHERE k < {MAX_GROUP - 1}) "
        "SELECT min(a.actor_id, b.actor_id), max(a.actor_id, b.actor_id), count(*), group_concat(a.event_id) "
        "FROM ranked a JOIN steps JOIN ranked b ON b.event_id = a.event_id AND b.r = a.r + steps.k "
        "WHERE a.actor_id <> b.actor_id GROUP BY 1, 2"
    )
    return [
        CoEdge(a, b, n, tuple(sorted(int(x) for x in ids.split(","))))
        for a, b, n, ids in db.execute(sql, params).fetchall()
    ]


def story_info(db: Database) -> dict:
    """Counts and the date range, as ``threadline info`` prints them."""
    count = lambda table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
    lo, hi = db.execute("SELECT min(earliest), max(latest) FROM events").fetchone()
    if not all(v is None or (isinstance(v, int) and FIRST_SECOND <= v <= LAST_SECOND) for v in (lo, hi)):
        check_bounds(db, db_name(db))
    return {
        "events": count("events"),
        "actors": count("actors"),
        "relationships": count("relationships"),
        "sources": count("sources"),
        "earliest": format_date(lo, "day") if lo is not None else None,
        "latest": format_date(hi, "day") if hi is not None else None,
    }


def actors_with_counts(db: Database) -> list[dict]:
    """Every actor with its number of events, busiest first."""
    return [
        {"id": r[0], "name": r[1], "kind": r[2], "events": r[3]}
        for r in db.execute(
            "SELECT a.id, a.name, a.kind, (SELECT count(DISTINCT ea.event_id) FROM event_actors ea WHERE ea.actor_id = a.id) AS n "
            "FROM actors a ORDER BY n DESC, a.name"
        )
    ]


def _actor_names_of(db: Database, ids: list[int]) -> dict[int, list[str]]:
    """Names of each event's actors, alphabetical, for at most 900 events."""
    names: dict[int, list[str]] = {}
    sql = (
        "SELECT DISTINCT ea.event_id, a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        f"WHERE ea.event_id IN ({','.join('?' * len(ids))}) ORDER BY a.name"
    )
    for eid, name in db.execute(sql, ids):
        names.setdefault(eid, []).append(name)
    return names


TOO_LONG_TITLE = "(title over the 100 MB Threadline reads)"


def _rows_by_id(db: Database, columns: str, ids: list[int], too_long: tuple) -> list[tuple]:
    """``SELECT id, columns`` of the events ``ids``. A value over the size cap
    makes SQLite refuse the whole statement: then the rows are read one by
    one, and the row that cannot be read is ``(id, *too_long)``, so the
    screen shows every other event and says what is wrong with that one."""
    sql = f"SELECT id, {columns} FROM events WHERE id IN ({','.join('?' * len(ids))})"
    try:
        return db.execute(sql, ids).fetchall()
    except sqlite3.DataError:
        rows = []
        for event_id in ids:
            try:
                rows.extend(db.execute(f"SELECT id, {columns} FROM events WHERE id = ?", (event_id,)).fetchall())
            except sqlite3.DataError:
                rows.append((event_id, *too_long))
        return rows


def event_titles(db: Database, event_ids: Iterable[int]) -> dict[int, str]:
    """Titles of a few events (those on screen), by id."""
    ids = [int(i) for i in event_ids]
    titles: dict[int, str] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's variable limit
        titles.update(_rows_by_id(db, "title", ids[start : start + 900], (TOO_LONG_TITLE,)))
    return titles


def event_tooltips(db: Database, event_ids: Iterable[int]) -> dict[int, tuple[str, str, str | None, list[str]]]:
    """(title, start, end, actor names) of a few events; the dates as written,
    each followed by what it was read as when the words alone do not say
    ("last Friday (2 May 2025, read against 6 May 2025)")."""
    ids = [int(i) for i in event_ids][:900]
    if not ids:
        return {}
    rows = _rows_by_id(db, 'title, start, "end", date_reference', ids, (TOO_LONG_TITLE, "", None, None))
    names = _actor_names_of(db, ids)
    return {r[0]: (r[1], as_read(r[2], r[4]), as_read(r[3], r[4]) if r[3] else r[3], names.get(r[0], [])) for r in rows}


def event_types(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY type")]


def relationship_types(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT type FROM relationships ORDER BY type")]


def get_source(db: Database, source_id: int) -> SourceRow | None:
    row = db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?", [source_id]).fetchone()
    return SourceRow(*row) if row else None


def event_table_rows(db: Database, event_ids: Iterable[int]) -> dict[int, tuple]:
    """(start, end, title, actors, type, certainty, location, date_reference) of a page of events, by id;
    the dates as written (``dates.as_read`` adds what relative words were read as)."""
    ids = [int(i) for i in event_ids][:900]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    names = _actor_names_of(db, ids)
    rows = db.execute(
        f'SELECT id, start, "end", title, type, certainty, location, date_reference FROM events WHERE id IN ({marks})', ids
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3], ", ".join(names.get(r[0], [])), r[4], r[5], r[6], r[7]) for r in rows}


def event_column_values(db: Database, column: str, event_ids: Iterable[int]) -> dict[int, str | None]:
    """One column of many events, for sorting a table by it."""
    if column not in ("title", "type", "certainty", "location", "start"):
        raise ValueError(f"cannot sort by {column}")
    ids = [int(i) for i in event_ids]
    out: dict[int, str | None] = {}
    for lo in range(0, len(ids), 900):
        chunk = ids[lo : lo + 900]
        out.update(db.execute(f'SELECT id, "{column}" FROM events WHERE id IN ({",".join("?" * len(chunk))})', chunk).fetchall())
    return out
