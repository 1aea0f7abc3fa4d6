"""The Threadline schema, made and migrated with sqlite-utils ``Migrations``.

The tables are meant to be browsed as they are in Datasette: foreign keys are
declared, each table has a ``name`` or ``title`` label column, and events and
actors have full-text search. Their names and the join columns ``event_id``,
``actor_id``, ``source_id`` and ``sources.url`` are a contract that other
tools rely on: add to them, never rename.

Times are integer seconds since 1970-01-01 UTC (negative before then), so the
timeline can read them straight into numpy and pyqtgraph's date axis.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .search_index import ACTOR_TEXT, DOCUMENT_TEXT, EVENT_TEXT

# Bumped with every migration; a file whose user_version is higher was written
# by a newer Threadline, and we refuse to write to it.
SCHEMA_VERSION = 4
MIGRATION_SET = "threadline"

ACTOR_KINDS = ("person", "organisation", "government body", "country", "media", "group")
ROLES = ("initiator", "target", "participant", "mentioned")
CERTAINTIES = ("confirmed", "reported", "claimed", "contested")

# The tables a Threadline file must have, with the columns we read.
REQUIRED_TABLES = (
    "actors",
    "events",
    "event_actors",
    "relationships",
    "relationship_events",
    "sources",
    "event_sources",
)

migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    db["actors"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "title": str,
            "country": str,
            "aliases": str,  # JSON list of strings
            "notes": str,
            "colour": str,  # "#rrggbb" or NULL for the kind's colour
            "external_id": str,  # identity in the data set it came from (GDELT code, ...)
        },
        pk="id",
        not_null={"name", "kind"},
        defaults={"kind": "person"},
    )
    db["actors"].create_index(["name"], unique=True)
    db["actors"].create_index(["external_id"], unique=True)

    db["sources"].create(
        {
            "id": int,
            "publisher": str,
            "title": str,
            "url": str,
            "date": str,
            "notes": str,
            "external_id": str,
        },
        pk="id",
    )
    db["sources"].create_index(["url"])
    db["sources"].create_index(["external_id"], unique=True)

    db["events"].create(
        {
            "id": int,
            "title": str,
            "summary": str,
            # As written by the researcher, and what it was read against.
            "start": str,
            "end": str,
            "date_reference": str,
            "precision": str,  # year | month | day | minute (of the start)
            "end_precision": str,
            "approximate": int,  # 1 when "c. 2016" and the like
            # Derived bounds, seconds UTC: the event lies somewhere in
            # [earliest, latest]; it certainly covers [start_latest, end_earliest]
            # when that interval is not empty.
            "earliest": int,
            "latest": int,
            "start_latest": int,
            "end_earliest": int,
            "certainty": str,
            "type": str,
            "location": str,
            "attributes": str,  # JSON object of data-set specific fields (GDELT codes, tone...)
            "external_id": str,
        },
        pk="id",
        not_null={"title", "start", "earliest", "latest", "precision", "certainty"},
        defaults={"certainty": "confirmed", "approximate": 0},
    )
    db["events"].create_index(["earliest"])
    db["events"].create_index(["latest"])
    db["events"].create_index(["type"])
    db["events"].create_index(["external_id"], unique=True)

    db["event_actors"].create(
        {"event_id": int, "actor_id": int, "role": str},
        pk=("event_id", "actor_id"),
        foreign_keys=[("event_id", "events", "id"), ("actor_id", "actors", "id")],
        not_null={"role"},
        defaults={"role": "participant"},
    )
    db["event_actors"].create_index(["actor_id"])

    db["event_sources"].create(
        {"event_id": int, "source_id": int, "quote": str},
        pk=("event_id", "source_id"),
        foreign_keys=[("event_id", "events", "id"), ("source_id", "sources", "id")],
    )
    db["event_sources"].create_index(["source_id"])

    db["relationships"].create(
        {
            "id": int,
            "from_actor_id": int,
            "to_actor_id": int,
            "type": str,
            "directed": int,
            "start": str,
            "end": str,
            # NULL bound = open: alive since forever / still alive.
            "earliest": int,
            "latest": int,
            "certainty": str,
            "notes": str,
        },
        pk="id",
        foreign_keys=[("from_actor_id", "actors", "id"), ("to_actor_id", "actors", "id")],
        not_null={"from_actor_id", "to_actor_id", "type"},
        defaults={"directed": 1, "certainty": "confirmed"},
    )
    db["relationships"].create_index(["from_actor_id"])
    db["relationships"].create_index(["to_actor_id"])

    db["relationship_events"].create(
        {"relationship_id": int, "event_id": int},
        pk=("relationship_id", "event_id"),
        foreign_keys=[("relationship_id", "relationships", "id"), ("event_id", "events", "id")],
    )
    db["relationship_events"].create_index(["event_id"])

    # Named views: a time window, selection, filters and lane order (JSON).
    db["saved_views"].create(
        {"id": int, "name": str, "state": str},
        pk="id",
        not_null={"name"},
    )
    db["saved_views"].create_index(["name"], unique=True)

    # A small key/value table: the story's title, description and the
    # generation counter that caches beside the file compare against.
    db["meta"].create({"key": str, "value": str}, pk="key")

    # No triggers: the store keeps the index itself (see search_index.py).
    db["events"].enable_fts(list(EVENT_TEXT), create_triggers=False, tokenize="unicode61")
    db["actors"].enable_fts(list(ACTOR_TEXT), create_triggers=False, tokenize="unicode61")
    db.execute("PRAGMA user_version = 1")


@migrations()
def m002_datasets_and_both_roles(db: Database) -> None:
    """An event's external id belongs to a data set ("GDELT", "ICEWS", a CSV
    file's name): two data sets may both have an event 1001. And one actor
    may take two roles in one event (GDELT's Actor1 = Actor2: the initiator
    is also the target), so a role is part of a participation's key. Actors
    get ``attributes`` like events."""
    db["events"].add_column("dataset", str, not_null_default="")
    # What a data set says about an actor beyond its name and kind (GDELT's
    # CAMEO codes, ICEWS sectors), as a JSON object.
    db["actors"].add_column("attributes", str)
    # GDELT events were stored as "gdelt:<GLOBALEVENTID>"; the id is now
    # the bare GLOBALEVENTID in the data set "GDELT".
    db.execute(
        "UPDATE events SET dataset = 'GDELT', external_id = substr(external_id, 7) "
        "WHERE substr(external_id, 1, 6) = 'gdelt:'"
    )
    db.execute("DROP INDEX IF EXISTS idx_events_external_id")
    db["events"].create_index(["dataset", "external_id"], unique=True)
    db["event_actors"].transform(pk=("event_id", "actor_id", "role"))
    db.execute("PRAGMA user_version = 2")


@migrations()
def m003_documents(db: Database) -> None:
    """Documents kept in the story: the bytes as read, their SHA-256, the
    plain text quotes point into, and what the document says of itself.
    A stored document never changes; a new version is a new row."""
    db["documents"].create(
        {
            "id": int,
            "sha256": str,  # hex digest of content
            "content": bytes,  # the original file, byte for byte
            "media_type": str,  # text/plain, text/markdown, text/html, application/pdf
            "filename": str,
            "text": str,  # extracted plain text; quote offsets count characters in it
            "page_starts": str,  # JSON list: character offset where each PDF page begins
            "title": str,
            "publisher": str,
            "author": str,
            "date": str,  # date of publication as written
            "url": str,
            "language": str,
            "added_at": str,  # ISO 8601 UTC
        },
        pk="id",
        not_null={"sha256", "content", "text", "added_at"},
    )
    db["documents"].create_index(["sha256"], unique=True)
    db["documents"].enable_fts(list(DOCUMENT_TEXT), create_triggers=False, tokenize="unicode61")
    db["sources"].add_column("document_id", int, fk="documents", fk_col="id")
    db["sources"].create_index(["document_id"])
    # Where a quote lies in its source's document (characters, end exclusive).
    db["event_sources"].add_column("quote_start", int)
    db["event_sources"].add_column("quote_end", int)
    db.execute("PRAGMA user_version = 3")


# The timeline's columns kept in the file (``store/stored_arrays.py``), and
# what makes them stale: the first row change that could alter them, by any
# program, clears ``timeline_arrays_state.current`` through these triggers.
# Each row change pays one look at that one-row table (the WHEN); only the
# first one writes.
ARRAYS_TABLE = "timeline_arrays"
ARRAYS_STATE_TABLE = "timeline_arrays_state"
_ARRAY_INPUTS = (
    ("events", "id, earliest, latest, certainty, approximate, precision, \"end\", end_precision"),
    ("event_actors", "event_id, actor_id"),
    ("actors", "id"),
)
ARRAY_TRIGGERS = {
    f"{ARRAYS_TABLE}_stale_{table}_{when.split()[0].lower()}": (
        f"CREATE TRIGGER {ARRAYS_TABLE}_stale_{table}_{when.split()[0].lower()} AFTER {when} ON {table} "
        f"WHEN (SELECT current FROM {ARRAYS_STATE_TABLE} WHERE id = 1) "
        f"BEGIN UPDATE {ARRAYS_STATE_TABLE} SET current = 0 WHERE id = 1; END"
    )
    for table, columns in _ARRAY_INPUTS
    for when in ("INSERT", "DELETE", f"UPDATE OF {columns}")
}


@migrations()
def m004_timeline_arrays(db: Database) -> None:
    """The timeline's columns as BLOBs in the file, so a copy of it opens
    without reading every row. Cheap on any file: two empty tables and
    triggers, no pass over the rows."""
    db[ARRAYS_TABLE].create({"name": str, "part": int, "data": bytes}, pk=("name", "part"), not_null={"data"})
    # one row (id 1): ``current`` is 1 while the arrays show the rows (set
    # when they are written, cleared by the triggers), ``layout`` says what they are
    db[ARRAYS_STATE_TABLE].create({"id": int, "current": int, "layout": str}, pk="id",
                                  not_null={"current"}, defaults={"current": 0})
    db.execute(f"INSERT INTO {ARRAYS_STATE_TABLE} (id, current) VALUES (1, 0)")
    for sql in ARRAY_TRIGGERS.values():
        db.execute(sql)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# Migrations that only add what a reader can do without: a file lacking only
# these is read as it is when opened read-only (it is upgraded when opened
# for editing).
OPTIONAL_MIGRATIONS = ("m004_timeline_arrays",)


def apply_migrations(db: Database) -> None:
    """Bring a (possibly empty) Threadline file up to the current schema."""
    migrations.apply(db)
