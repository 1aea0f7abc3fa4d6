"""Writing imported events: batched inserts with ids assigned here, and the
full-text index brought up to date at the end.

Importers run inside one ``db.atomic()`` block (all or nothing);
events go in with ``executemany`` in batches, with ids assigned here, which
is far faster than one sqlite-utils insert per row. An event whose
``external_id`` is already in the database is not added again.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Sequence

from .. import search_index
from .log import Log

if TYPE_CHECKING:
    from .books import ActorBook

BATCH = 5_000  # events per executemany batch

EVENT_COLUMNS = (
    "id", "title", "summary", "start", "end", "date_reference", "precision", "end_precision", "approximate",
    "earliest", "latest", "start_latest", "end_earliest", "certainty", "type", "location", "attributes",
    "external_id",
)  # fmt: skip
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(f'[{c}]' for c in EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
# OR IGNORE: the same actor (or source) twice in one event keeps its first role.
_INSERT_LINK = "INSERT OR IGNORE INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)"
_INSERT_CITE = "INSERT OR IGNORE INTO event_sources (event_id, source_id, quote) VALUES (?, ?, ?)"


def chunks(items: Sequence, size: int = 500) -> Iterator[Sequence]:
    # Stay under SQLite's limit on '?' parameters per statement.
    for i in range(0, len(items), size):
        yield items[i : i + size]


def event_row(
    *, title: str, bounds: dict, certainty: str, summary=None, type=None, location=None,
    attributes: dict | None = None, external_id: str, reference=None,
) -> tuple:  # fmt: skip
    """An events row (without id) in EVENT_COLUMNS order, from
    records.event_bounds() output and the other fields."""
    return (
        title, summary, bounds["start"], bounds["end"], reference, bounds["precision"], bounds["end_precision"],
        bounds["approximate"], bounds["earliest"], bounds["latest"], bounds["start_latest"], bounds["end_earliest"],
        certainty, type, location,
        json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else None, external_id,
    )  # fmt: skip


class EventWriter:
    """Buffers events with their actors and sources and writes them in
    batches. Identity is ``external_id`` (the last item of a row): rows
    whose id is in the database, or earlier in the file, are dropped. Ids
    are given as rows arrive, so a dropped row leaves a gap in the ids,
    which is harmless and saves rebuilding every row at write time.

    (Writing from a second thread while the first parses was tried: the
    GIL hand-over per row made it slower, not faster.)"""

    def __init__(self, db, log: Log, batch: int = BATCH):
        self.db = db
        self.conn = db.conn
        self.log = log
        self.batch = batch
        self.events: list[tuple] = []
        self.links: list[tuple[int, int, str]] = []
        self.cites: list[tuple[int, int, str | None]] = []
        self.next_id = (self.conn.execute("SELECT max(id) FROM events").fetchone()[0] or 0) + 1
        self.first_id = self.next_id  # every event from here on is ours

    def add(self, row: tuple, actors: Sequence[tuple[int, str]] = (), sources: Sequence[tuple[int, str | None]] = ()):
        """row: EVENT_COLUMNS without id; actors: (actor_id, role);
        sources: (source_id, quote)."""
        event_id = self.next_id
        self.next_id += 1
        self.events.append((event_id, *row))
        for actor_id, role in actors:
            self.links.append((event_id, actor_id, role))
        for source_id, quote in sources:
            self.cites.append((event_id, source_id, quote))
        if len(self.events) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the buffered events."""
        if not self.events:
            return
        batch = (self.events, self.links, self.cites)
        self.events, self.links, self.cites = [], [], []
        self._write(batch)

    def _existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(ids):
            sql = f"SELECT external_id FROM events WHERE external_id IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.conn.execute(sql, part))
        return found

    def _drop_known(self, events: list, links: list, cites: list) -> tuple[list, list, list]:
        """Leave out events already in the database or earlier in the batch."""
        external_ids = [e[-1] for e in events]
        known = self._existing(external_ids)
        if not known and len(set(external_ids)) == len(external_ids):
            return events, links, cites  # the usual case: nothing to leave out
        dropped, kept = set(), []
        for event in events:
            if event[-1] in known:
                dropped.add(event[0])
            else:
                known.add(event[-1])
                kept.append(event)
        self.log.already += len(dropped)
        return kept, [x for x in links if x[0] not in dropped], [x for x in cites if x[0] not in dropped]

    def _write(self, batch: tuple[list, list, list]) -> None:
        events, links, cites = self._drop_known(*batch)
        self.conn.executemany(_INSERT_EVENT, events)
        self.conn.executemany(_INSERT_LINK, links)
        self.conn.executemany(_INSERT_CITE, cites)
        self.log.report.events_added += len(events)


def complete(writer: EventWriter, actors: ActorBook) -> None:
    """Write what is buffered and add the new events and actors to the
    full-text index (the schema has no triggers: the store keeps the index
    itself, in the same transaction). Call once, last: after any renaming
    of the actors made."""
    writer.flush()
    columns = ", ".join(f'"{c}"' for c in search_index.EVENT_TEXT)
    # One statement for all new events: ids from first_id on are ours.
    writer.conn.execute(
        f"INSERT INTO events_fts (rowid, {columns}) SELECT id, {columns} FROM events WHERE id >= ?", [writer.first_id]
    )
    for part in chunks(actors.created):
        search_index.index_rows(writer.db, "actors", part)


@contextmanager
def bulk_cache(db, kib: int = 64 * 1024):
    """A bigger page cache for this connection while a big import runs:
    index updates then touch the disk far less. Nothing in the file changes."""
    old = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.conn.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(old)}")
