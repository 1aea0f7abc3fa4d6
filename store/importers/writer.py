"""Writing imported events: batched inserts with ids assigned here.

Importers run inside one bulk ``store.writing.write`` (all or nothing; the
full-text index is brought up to date at its commit);
events go in with ``executemany`` in batches, with ids assigned here, which
is far faster than one sqlite-utils insert per row. An event's
``external_id`` is its identity within its data set (``events.dataset``):
one already stored is not added again (see ``EventWriter``).
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Sequence

from ..writing import changing
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
    f"INSERT INTO events ({', '.join(f'[{c}]' for c in EVENT_COLUMNS)}, [dataset]) "
    f"VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 1))})"
)
# OR IGNORE: the same actor twice in one role (or source twice) in one event
# is one link; one actor in two roles (Actor1 = Actor2) keeps both.
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
    batches. Identity is ``external_id`` (the last item of a row) within
    the writer's data set: a row whose id is stored already is compared
    with the stored record. The same content adds nothing; other content
    is reported by line and kept as stored, or replaced when ``update`` is
    set (in the same transaction). A second row with an id given earlier in
    the file is skipped with both lines named. Ids are given as rows
    arrive, so a dropped row leaves a gap in the ids, which is harmless and
    saves rebuilding every row at write time.

    (Writing from a second thread while the first parses was tried: the
    GIL hand-over per row made it slower, not faster.)"""

    def __init__(self, db, log: Log, batch: int = BATCH, *, dataset: str = "", update: bool = False):
        self.db = db
        self.conn = db.conn
        self.log = log
        self.batch = batch
        self.dataset = dataset or ""
        self.update = update
        self.events: list[tuple] = []
        self.links: list[tuple[int, int, str]] = []
        self.cites: list[tuple[int, int, str | None]] = []
        self.next_id = (self.conn.execute("SELECT max(id) FROM events").fetchone()[0] or 0) + 1
        self.first_id = self.next_id  # every event from here on is ours
        self.lines = array("q")  # the line of each event given out, by id - first_id (0: unknown)
        self.replaced: list[int] = []  # stored events given this file's content

    def add(
        self, row: tuple, actors: Sequence[tuple[int, str]] = (), sources: Sequence[tuple[int, str | None]] = (),
        line: int = 0,
    ) -> None:  # fmt: skip
        """row: EVENT_COLUMNS without id; actors: (actor_id, role);
        sources: (source_id, quote); line: where the row starts in the file."""
        event_id = self.next_id
        self.next_id += 1
        self.lines.append(line)
        self.events.append((event_id, *row, self.dataset))
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

    def _line(self, event_id: int) -> int:
        return self.lines[event_id - self.first_id]

    def _stored(self, ids: list[str]) -> dict[str, tuple]:
        """external_id -> the stored events row (EVENT_COLUMNS) of those in this data set."""
        found: dict[str, tuple] = {}
        columns = ", ".join(f"[{c}]" for c in EVENT_COLUMNS)
        for part in chunks(ids):
            sql = f"SELECT {columns} FROM events WHERE dataset = ? AND external_id IN ({','.join('?' * len(part))})"
            found.update((r[-1], tuple(r)) for r in self.conn.execute(sql, [self.dataset, *part]))
        return found

    def _stored_links(self, event_ids: list[int]) -> dict[int, tuple[set, set]]:
        found: dict[int, tuple[set, set]] = {i: (set(), set()) for i in event_ids}
        for part in chunks(event_ids):
            marks = ",".join("?" * len(part))
            for event_id, actor_id, role in self.conn.execute(
                f"SELECT event_id, actor_id, role FROM event_actors WHERE event_id IN ({marks})", part
            ):
                found[event_id][0].add((actor_id, role))
            for event_id, source_id, quote in self.conn.execute(
                f"SELECT event_id, source_id, quote FROM event_sources WHERE event_id IN ({marks})", part
            ):
                found[event_id][1].add((source_id, quote))
        return found

    def _sort_out(self, events: list, links: list, cites: list) -> tuple[list, list, list]:
        """Leave out events whose id is stored already or given earlier in
        the batch, comparing their content; replace stored ones that differ
        when updating."""
        external_ids = [e[-2] for e in events if e[-2] is not None]
        stored = self._stored(external_ids)
        if not stored and len(set(external_ids)) == len(external_ids):
            return events, links, cites  # the usual case: all new
        mine: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
        for event_id, actor_id, role in links:
            mine[event_id][0].add((actor_id, role))
        for event_id, source_id, quote in cites:
            mine[event_id][1].add((source_id, quote))
        theirs = self._stored_links([row[0] for row in stored.values()])
        earlier: dict[str, tuple] = {}  # external_id -> an event of this batch
        dropped, kept, replace = set(), [], []
        for event in events:
            key = event[-2]
            if key is None:
                kept.append(event)
                continue
            if key in earlier or (key in stored and stored[key][0] >= self.first_id):
                first = earlier.get(key) or stored[key]
                first_links = mine[first[0]] if key in earlier else theirs[first[0]]
                same = _same(event, mine[event[0]], first, first_links)
                self.log.repeated(self._line(event[0]), self._line(first[0]), key, same)
                dropped.add(event[0])
            elif key in stored:
                if _same(event, mine[event[0]], stored[key], theirs[stored[key][0]]):
                    self.log.unchanged(self._line(event[0]))
                elif self.update:
                    replace.append((stored[key][0], event))
                    self.log.replaced(self._line(event[0]))
                else:
                    self.log.differs(self._line(event[0]))
                dropped.add(event[0])
                earlier[key] = event  # a later row with this id repeats this line
            else:
                earlier[key] = event
                kept.append(event)
        for stored_id, event in replace:
            self._replace(stored_id, event, mine[event[0]])
        return kept, [x for x in links if x[0] not in dropped], [x for x in cites if x[0] not in dropped]

    def _replace(self, stored_id: int, event: tuple, links: tuple[set, set]) -> None:
        """Give a stored event this row's content, actors and sources."""
        changing(self.db, "events", [stored_id])  # before its words change (store/writing.py)
        columns = EVENT_COLUMNS[1:]
        self.conn.execute(
            f"UPDATE events SET {', '.join(f'[{c}] = ?' for c in columns)} WHERE id = ?",
            [*event[1 : len(EVENT_COLUMNS)], stored_id],
        )
        self.conn.execute("DELETE FROM event_actors WHERE event_id = ?", [stored_id])
        self.conn.execute("DELETE FROM event_sources WHERE event_id = ?", [stored_id])
        actors, sources = links
        self.conn.executemany(_INSERT_LINK, [(stored_id, a, r) for a, r in sorted(actors)])
        self.conn.executemany(_INSERT_CITE, [(stored_id, s, q) for s, q in sorted(sources, key=repr)])
        self.replaced.append(stored_id)

    def _write(self, batch: tuple[list, list, list]) -> None:
        events, links, cites = self._sort_out(*batch)
        self.conn.executemany(_INSERT_EVENT, events)
        self.conn.executemany(_INSERT_LINK, links)
        self.conn.executemany(_INSERT_CITE, cites)
        self.log.report.events_added += len(events)


def _attributes(text):
    return json.loads(text) if text else None


def _same(event: tuple, links: tuple[set, set], stored: tuple, stored_links: tuple[set, set]) -> bool:
    """Whether a new row says what a stored one says: every column but the
    id (attributes compared as JSON, whatever their key order), the same
    actors in the same roles, the same sources and quotes."""
    at = EVENT_COLUMNS.index("attributes")
    for i in range(1, len(EVENT_COLUMNS)):
        if i == at:
            if _attributes(event[i]) != _attributes(stored[i]):
                return False
        elif event[i] != stored[i]:
            return False
    return links == stored_links


def complete(writer: EventWriter, actors: ActorBook) -> None:
    """Write what is buffered. Call once, last: after any renaming of the
    actors made. The new events and actors enter the full-text index at the
    commit of the import's bulk write (store/writing.py)."""
    writer.flush()


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
