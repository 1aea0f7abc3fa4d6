"""Writing a synthetic database: ``write_synthetic`` and the SQL inserts.

This is the one place that fixes the order of the random draws (actors,
relationships, event times, sources, then the event chunks), and with it
the rows a seed gives: change the order and every seed gives other data.

Speed: the events are made in chunks of 200,000 with numpy and written with
``executemany``, one transaction per chunk, into a temporary file beside the
target with journalling and syncing off (the file is renamed into place only
once complete, so an interrupted run leaves nothing).  The full-text index
is built once at the end, in one pass (the store keeps it itself, without
triggers: see search_index.py).
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

import numpy as np

from store.database import StoreError, open_database
from .actors import _actors, _relationships
from .dates import _event_times
from .events import _event_chunk, _Plan
from .sampling import _cdf
from .vocabulary import (
    ACTOR_ZIPF,
    EVENTS_PER_SOURCE,
    LINKS_PER_RELATIONSHIP,
    PUBLISHERS,
    SOURCE_FORMS,
    TOPICS,
)

CHUNK = 200_000

_INSERT_EVENT = (
    'INSERT INTO events (id, title, summary, start, "end", precision, end_precision, approximate, '
    "earliest, latest, start_latest, end_earliest, certainty, type, location) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _fill(db, rng: np.random.Generator, n_events: int, n_actors: int, seed: int) -> None:
    conn: sqlite3.Connection = db.conn
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = OFF",
                   "cache_size = -262144", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")

    actor_rows, kinds = _actors(rng, n_actors)
    names = [row[1] for row in actor_rows]
    ranks = rng.permutation(n_actors) + 1 if n_actors else np.empty(0)
    actor_cdf = _cdf(1.0 / ranks ** ACTOR_ZIPF) if n_actors else np.empty(0)
    if n_actors:
        rel_rows, rel_src, rel_dst, rel_directed, rel_lo, rel_hi = _relationships(rng, actor_cdf, kinds)
    else:
        rel_rows, rel_src, rel_dst, rel_directed = [], np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool)
        rel_lo = rel_hi = np.empty(0, np.int64)
    times = _event_times(rng, n_events)
    n_sources = max(1, math.ceil(n_events / EVENTS_PER_SOURCE)) if n_events else 0

    with conn:
        conn.executemany("INSERT INTO actors (id, name, kind, title, country) VALUES (?, ?, ?, ?, ?)", actor_rows)
        if n_sources:
            middle = times[np.minimum((2 * np.arange(n_sources) + 1) * n_events // (2 * n_sources), n_events - 1)]
            days = np.datetime_as_string(middle.astype("datetime64[s]").astype("datetime64[D]")).tolist()
            pub = rng.integers(0, len(PUBLISHERS), n_sources).tolist()
            doc = rng.integers(0, len(SOURCE_FORMS), n_sources).tolist()
            top = rng.integers(0, len(TOPICS), n_sources).tolist()
            conn.executemany(
                "INSERT INTO sources (id, publisher, title, url, date) VALUES (?, ?, ?, ?, ?)",
                [(i + 1, PUBLISHERS[pub[i]], f"{SOURCE_FORMS[doc[i]]} on {TOPICS[top[i]]}",
                  f"https://example.org/synthetic/source/{i + 1}", days[i]) for i in range(n_sources)],
            )
        conn.executemany(
            'INSERT INTO relationships (id, from_actor_id, to_actor_id, type, directed, start, "end", '
            "earliest, latest, certainty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rel_rows,
        )
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                     ("title", f"Synthetic data: {n_events} events by {n_actors} actors (seed {seed})"))
        conn.execute("INSERT INTO meta (key, value) VALUES ('generation', '1')")  # see store/cache.py

    if not n_events:
        return

    plan = _Plan(rng, n_events, names, actor_cdf, rel_src, rel_dst, rel_directed, n_sources)
    all_links = []
    for lo in range(0, n_events, CHUNK):
        events, event_actors, event_sources, links = _event_chunk(rng, plan, times[lo:lo + CHUNK], lo + 1)
        with conn:
            conn.executemany(_INSERT_EVENT, events)
            conn.executemany("INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)", event_actors)
            conn.executemany("INSERT INTO event_sources (event_id, source_id) VALUES (?, ?)", event_sources)
        rel, event_ids, e_first, e_last = links
        # Evidence for a relationship: events between its actors while it lasted.
        inside = (e_first >= rel_lo[rel]) & (e_last <= rel_hi[rel])
        all_links.append((rel[inside], event_ids[inside]))

    rel = np.concatenate([x[0] for x in all_links])
    event_ids = np.concatenate([x[1] for x in all_links])
    order = np.lexsort((event_ids, rel))
    rel, event_ids = rel[order], event_ids[order]
    group_start = np.flatnonzero(np.r_[True, rel[1:] != rel[:-1]]) if len(rel) else np.empty(0, np.int64)
    rank = np.arange(len(rel)) - np.repeat(group_start, np.diff(np.r_[group_start, len(rel)]))
    keep = rank < LINKS_PER_RELATIONSHIP
    with conn:
        conn.executemany(
            "INSERT INTO relationship_events (relationship_id, event_id) VALUES (?, ?)",
            zip((rel[keep] + 1).tolist(), event_ids[keep].tolist()),
        )
        for table in ("events", "actors"):
            conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('rebuild')")


def write_synthetic(out: str | os.PathLike, *, events: int, actors: int, seed: int = 1) -> Path:
    """Write a new synthetic Threadline database at ``out`` and return its path.

    The same (events, actors, seed) always give the same rows and ids.
    Refuses to overwrite: raises StoreError when ``out`` exists, ValueError
    for a count that is not a whole number of at least 0.
    """
    out = Path(out)
    for value, what in ((events, "events"), (actors, "actors"), (seed, "seed")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{what} must be a whole number of at least 0, not {value!r}")
    if events and not actors:
        raise ValueError("synthetic events need at least one actor")
    if out.exists():
        raise StoreError(f"{out}: already exists; choose a new file name")
    if not out.parent.is_dir():
        raise StoreError(f"{out}: the folder {out.parent} does not exist")

    tmp = out.with_name(f".{out.name}.{os.getpid()}.synth-part")
    tmp.unlink(missing_ok=True)
    try:
        db = open_database(tmp, create=True)
        try:
            _fill(db, np.random.default_rng(int(seed)), int(events), int(actors), int(seed))
        finally:
            db.conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, out)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise StoreError(f"{out}: already exists; choose a new file name") from None
        except OSError:  # a file system without hard links
            if out.exists():
                raise StoreError(f"{out}: already exists; choose a new file name") from None
            os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
