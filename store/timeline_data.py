"""The whole file as a few numpy arrays: what the timeline and graph draw from.

A million events must not become a million Python objects, so events are
held column-wise, sorted by their earliest bound (so a time window is a
``searchsorted`` away), and the actors of each event are kept in a
compressed-sparse-row layout: the actors of event ``i`` are
``pair_actor[pair_offsets[i]:pair_offsets[i + 1]]``. About 35 bytes an event.
Titles and other text are fetched only for the few events on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from .schema import ACTOR_KINDS, CERTAINTIES

# style bits of each event
CERTAINTY_MASK = 0b011  # index into CERTAINTIES
IMPRECISE = 0b100  # date known only to within [earliest, latest]: draw faded
HAS_END = 0b1000  # a stated duration: draw as a bar
NO_ACTOR_NAME = "(no actor)"


@dataclass
class TimelineData:
    # actors, in id order; index len(actor_ids) - 1 may be the "(no actor)" lane
    actor_ids: np.ndarray  # int64; -1 for the "(no actor)" pseudo-actor
    actor_names: list[str]
    actor_kinds: list[str]
    actor_colours: list[str | None]
    # events, sorted by (earliest, id)
    event_ids: np.ndarray  # int64
    t0: np.ndarray  # int64 earliest
    t1: np.ndarray  # int64 latest
    style: np.ndarray  # uint8 bits, see above
    pair_offsets: np.ndarray  # int32/int64, len(events) + 1
    pair_actor: np.ndarray  # int32 actor index of each (event, actor) pair
    _id_order: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_events(self) -> int:
        return len(self.event_ids)

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def time_range(self) -> tuple[int, int] | None:
        if not self.n_events:
            return None
        return int(self.t0[0]), int(self.t1.max())

    def pair_event(self) -> np.ndarray:
        """The event index of each pair (built on demand: it costs 4 bytes a pair)."""
        counts = np.diff(self.pair_offsets)
        return np.repeat(np.arange(self.n_events, dtype=np.int32), counts)

    def index_of_ids(self, ids) -> np.ndarray:
        """Event indices for event ids (ids not present are dropped)."""
        if self._id_order is None:
            self._id_order = np.argsort(self.event_ids, kind="stable").astype(np.int32)
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        sorted_ids = self.event_ids[self._id_order]
        pos = np.searchsorted(sorted_ids, ids)
        pos = np.clip(pos, 0, max(len(sorted_ids) - 1, 0))
        found = sorted_ids[pos] == ids if len(sorted_ids) else np.zeros(len(ids), bool)
        return self._id_order[pos[found]]

    def actor_index(self) -> dict[int, int]:
        return {int(a): i for i, a in enumerate(self.actor_ids)}

    def nbytes(self) -> int:
        arrays = (self.actor_ids, self.event_ids, self.t0, self.t1, self.style, self.pair_offsets, self.pair_actor)
        return sum(a.nbytes for a in arrays)


def _read_columns(db: Database, sql: str, dtypes: list) -> list[np.ndarray]:
    """Run ``sql`` and return its columns as numpy arrays, without per-row objects kept."""
    dtype = np.dtype([(f"c{i}", d) for i, d in enumerate(dtypes)])
    cursor = db.conn.execute(sql)
    table = np.fromiter((tuple(r) for r in cursor), dtype=dtype)
    return [table[f"c{i}"].copy() for i in range(len(dtypes))]


def load_timeline_data(db: Database) -> TimelineData:
    actors = db.conn.execute("SELECT id, name, kind, colour FROM actors ORDER BY id").fetchall()
    actor_ids = np.array([a[0] for a in actors], dtype=np.int64)
    names = [a[1] for a in actors]
    kinds = [a[2] for a in actors]
    colours = [a[3] for a in actors]

    certainty_case = " ".join(f"WHEN '{c}' THEN {i}" for i, c in enumerate(CERTAINTIES))
    style_sql = (
        f"(CASE certainty {certainty_case} ELSE 0 END)"
        f" | (CASE WHEN approximate OR precision IN ('year', 'month') OR (\"end\" IS NOT NULL AND end_precision IN ('year', 'month')) THEN {IMPRECISE} ELSE 0 END)"
        f" | (CASE WHEN \"end\" IS NOT NULL THEN {HAS_END} ELSE 0 END)"
    )
    event_ids, t0, t1, style = _read_columns(
        db,
        f"SELECT id, earliest, latest, {style_sql} FROM events ORDER BY earliest, id",
        [np.int64, np.int64, np.int64, np.uint8],
    )
    ev_of_pair, actor_of_pair = _read_columns(
        db, "SELECT event_id, actor_id FROM event_actors", [np.int64, np.int64]
    )
    data = TimelineData(
        actor_ids, names, kinds, colours, event_ids, t0, t1, style,
        np.zeros(len(event_ids) + 1, dtype=np.int64), np.zeros(0, dtype=np.int32),
    )  # fmt: skip
    _attach_pairs(data, ev_of_pair, actor_of_pair)
    return data


def _attach_pairs(data: TimelineData, ev_ids: np.ndarray, actor_ids: np.ndarray) -> None:
    """Fill the CSR pair arrays; events without actors get the '(no actor)' lane."""
    order = np.argsort(data.actor_ids)
    sorted_actor_ids = data.actor_ids[order]
    actor_idx = order[np.searchsorted(sorted_actor_ids, actor_ids)] if len(actor_ids) else np.zeros(0, np.int64)
    event_idx = data.index_of_ids(ev_ids)
    # events that have no actor at all
    has_actor = np.zeros(data.n_events, dtype=bool)
    has_actor[event_idx] = True
    orphans = np.flatnonzero(~has_actor)
    if len(orphans):
        data.actor_ids = np.append(data.actor_ids, -1)
        data.actor_names.append(NO_ACTOR_NAME)
        data.actor_kinds.append("group")
        data.actor_colours.append(None)
        event_idx = np.concatenate([event_idx, orphans])
        actor_idx = np.concatenate([actor_idx, np.full(len(orphans), data.n_actors - 1)])
    sort = np.lexsort((actor_idx, event_idx))
    data.pair_actor = actor_idx[sort].astype(np.int32)
    counts = np.bincount(event_idx, minlength=data.n_events)
    data.pair_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


KIND_ORDER = {k: i for i, k in enumerate(("person", "government body", "organisation", "media", "group", "country"))}
assert set(KIND_ORDER) == set(ACTOR_KINDS)


def default_lane_order(data: TimelineData) -> list[int]:
    """Actors grouped by kind (people first, countries last), busiest first within a kind."""
    counts = np.bincount(data.pair_actor, minlength=data.n_actors)
    first = np.full(data.n_actors, np.iinfo(np.int64).max)
    if len(data.pair_actor):
        # first appearance: events are sorted by time, so the first pair index wins
        pair_event = data.pair_event()
        np.minimum.at(first, data.pair_actor, data.t0[pair_event])

    def key(i):
        if data.actor_ids[i] == -1:
            return (99, 0, 0, "")
        return (KIND_ORDER.get(data.actor_kinds[i], 50), -int(counts[i]), int(first[i]), data.actor_names[i])

    return sorted(range(data.n_actors), key=key)
