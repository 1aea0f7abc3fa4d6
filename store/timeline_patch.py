"""Folding one edit into the loaded arrays instead of reading the file again.

After an edit that adds, changes or deletes a few events, reading every
event back (``load_timeline_data``) costs a second at a million events and
far more beyond. The rows of the edited events are read instead, and the
arrays, the lane index and the summaries are patched with numpy (one
``np.delete``/``np.insert`` pass per column, no Python loop over events),
giving exactly what a full load of the file as it is now would give.
``read_changes`` does the SQL (on the connection's thread) and
``apply_changes`` the numpy, which may run on a worker for a very big file;
``PairDelta`` lets an index a view built over the old arrays (the
timeline's merged summary lanes) be patched the same way.

Whenever that exactness would take more than a local change, ``patch_timeline``
answers None and the caller reads the whole file as before:

* the earliest event changes (every relative start would move), or the
  latest end moves so far that the lane keys need a coarser quantum;
* a column would change width (an id past int32, a time or a span past
  uint32, more than 2**31 pairs) or already is wide;
* the "(no actor)" lane would appear or disappear, or an event names an
  actor the loaded arrays do not know (actors were added);
* the order of an event's actors could depend on the whole participation
  table (see ``_segments``), or its rows are not written together;
* an id is not the events' rowid (a foreign file), a bound is not an
  integer or lies outside years 1 to 9999, or the file has no events left.

The cache beside the file stays exactly as trustworthy: a patched state is
written as the cache only for the key the file had when the patch was made
(``cache_ticket`` right after the edit's commit, then ``cache_patched``), so the
next edit, which bumps the generation, makes it stale like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from . import cache, timeline_summary
from .lane_index import KEY_MAX, LaneIndex, _lane_bins, event_keys
from .row_checks import FIRST_SECOND, LAST_SECOND
from .timeline_data import TimelineData, _to_cache
from .timeline_sql import STYLE_SQL, _id_is_rowid

U32 = int(np.iinfo(np.uint32).max)
I32 = np.iinfo(np.int32)
MAX_EVENTS_PATCHED = 500  # beyond a few events a full load is as quick and simpler


def patch_timeline(db: Database, data: TimelineData, event_ids: Iterable[int]) -> TimelineData | None:
    """``data`` with the events ``event_ids`` read again from ``db`` (added,
    changed or gone), equal to a full load of ``db``; None when only a full
    load can say (see the module's list)."""
    changes = read_changes(db, data, event_ids)
    return None if changes is None else apply_changes(data, changes)


@dataclass
class Changes:
    """The rows of some events as the file holds them now (``read_changes``)."""

    ids: np.ndarray  # every event asked about, sorted
    new_ids: np.ndarray  # those still in the file, in (earliest, id) order, and their columns:
    new_t0: np.ndarray
    new_t1: np.ndarray
    new_style: np.ndarray
    segments: list  # the actor indices of each, in the order a full load puts them


def read_changes(db: Database, data: TimelineData, event_ids: Iterable[int]) -> Changes | None:
    """The few rows ``apply_changes`` needs (on the connection's thread); None
    when the edit cannot be folded into ``data``."""
    ids = np.unique(np.fromiter((int(e) for e in event_ids), dtype=np.int64))
    lanes = data.derived.get("lane_index")
    if not len(ids) or len(ids) > MAX_EVENTS_PATCHED or not data.n_events or not isinstance(lanes, LaneIndex):
        return None
    wide = (data.event_ids.dtype != np.int32 or data.t0_rel.dtype != np.uint32 or data.dur.dtype != np.uint32
            or data.pair_offsets.dtype != np.int32)
    if wide or not _id_is_rowid(db.conn, "events"):
        return None
    rows = _event_rows(db, ids)
    if rows is None:
        return None
    segments = _segments(db, data, rows[0])
    if segments is None:
        return None
    return Changes(ids, *rows, segments)


def apply_changes(data: TimelineData, changes: Changes) -> TimelineData | None:
    """``data`` with ``changes`` folded in: numpy alone, so it may run on a worker
    (``data`` is only read). None when only a full load can say."""
    c = changes
    return _patched(data, data.derived["lane_index"], c.ids, c.new_ids, c.new_t0, c.new_t1, c.new_style, c.segments)


def relabel_actors(db: Database, data: TimelineData) -> TimelineData | None:
    """``data`` with its actors as the file holds them now: names, kinds and
    colours changed, actors with no event added or removed (each is a lane
    with no pair: the events, and the arrays of every pair, stay as they are,
    but for a pass renumbering the pairs when an actor's index moves). None
    when an actor that has events came or went (its events changed): only a
    full load can say then."""
    rows = db.conn.execute("SELECT id, name, kind, colour FROM actors ORDER BY id").fetchall()
    pseudo = bool(data.n_actors) and int(data.actor_ids[-1]) == -1
    old_ids = data.actor_ids[:-1] if pseudo else data.actor_ids
    new_ids = np.array([r[0] for r in rows], dtype=np.int64)
    if len(new_ids) and (not all(type(r[0]) is int for r in rows) or new_ids.min() < 0):
        return None
    names, kinds, colours = [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]
    if pseudo:
        names.append(data.actor_names[-1])
        kinds.append(data.actor_kinds[-1])
        colours.append(data.actor_colours[-1])
    same = len(new_ids) == len(old_ids) and np.array_equal(new_ids, old_ids)
    if same:
        out = TimelineData(data.actor_ids, names, kinds, colours, data.event_ids, data.t0_rel, data.dur, data.style,
                           data.pair_offsets, data.pair_actor, data.t0_base, data._id_order)
        # what depends on the arrays alone comes along (the visible index reads only arrays)
        keep = ("lane_index", "visible_index", "time_range", "ids_ascending", "pairs_in_actor_order",
                "ids_scanned", *timeline_summary.SUMMARIES)
        out.derived.update({k: v for k, v in data.derived.items() if k in keep})
        out.derived["loaded_from"] = "patch"
        return out
    came = np.setdiff1d(new_ids, old_ids)
    if len(came) and db.conn.execute(
            f"SELECT 1 FROM event_actors WHERE actor_id IN ({','.join('?' * len(came))}) LIMIT 1",
            [int(a) for a in came]).fetchone():
        return None  # an actor came back with its events (an undone delete): they changed
    return _with_actor_list(data, new_ids, names, kinds, colours, pseudo)


def _with_actor_list(data, new_ids, names, kinds, colours, pseudo) -> TimelineData | None:
    """``data`` over another list of actors, when only actors with no pair came or went."""
    n_old_real = data.n_actors - pseudo
    old_ids = data.actor_ids[:n_old_real]
    counts = timeline_summary.actor_events(data)
    kept = np.isin(old_ids, new_ids)
    if np.any(counts[:n_old_real][~kept]):
        return None  # an actor with events is gone: its events changed
    lanes = data.derived.get("lane_index")
    if not isinstance(lanes, LaneIndex) or len(lanes.offsets) != data.n_actors + 1:
        return None
    n_new = len(new_ids) + pseudo
    if data.pair_actor.dtype == np.uint16 and n_new > 65535:
        return None  # the pairs' column would widen: as a full load makes it
    # where each old actor (and the "(no actor)" lane) sits in the new list
    where = np.empty(data.n_actors, np.int64)
    where[:n_old_real] = np.searchsorted(new_ids, old_ids)
    if pseudo:
        where[-1] = n_new - 1
    pair_actor = data.pair_actor
    moved = where != np.arange(data.n_actors)
    if np.any(moved & (counts > 0)):
        pair_actor = where.astype(pair_actor.dtype)[pair_actor]
    actor_ids = np.r_[new_ids, -1] if pseudo else new_ids.copy()
    out = TimelineData(actor_ids.astype(data.actor_ids.dtype), names, kinds, colours, data.event_ids, data.t0_rel,
                       data.dur, data.style, data.pair_offsets, pair_actor, data.t0_base, data._id_order)
    # the lanes: the same keys, the kept lanes' offsets where they now sit, the new ones empty
    new_counts = np.zeros(n_new, np.int64)
    new_counts[where[kept_all(kept, pseudo)]] = counts[kept_all(kept, pseudo)]
    offsets = np.zeros(n_new + 1, np.int64)
    np.cumsum(new_counts, out=offsets[1:])
    stay = np.flatnonzero(kept_all(kept, pseudo))
    out.derived["lane_index"] = _relaned(lanes, stay, where[stay], offsets)
    keep = ("time_range", "ids_ascending", "ids_scanned", "story_span", "overview")
    out.derived.update({k: v for k, v in data.derived.items() if k in keep})
    if pair_actor is data.pair_actor:
        for k in ("visible_index", "pairs_in_actor_order"):
            if k in data.derived:
                out.derived[k] = data.derived[k]
    out.derived["actor_events"] = new_counts
    first = np.full(n_new, np.iinfo(np.int64).max)
    if "first_seen" in data.derived:
        old_first = data.derived["first_seen"]
        first[where[kept_all(kept, pseudo)]] = old_first[kept_all(kept, pseudo)]
        out.derived["first_seen"] = first
    out.derived["loaded_from"] = "patch"
    return out


def _relaned(lanes: LaneIndex, old: np.ndarray, moved_to: np.ndarray, offsets: np.ndarray) -> LaneIndex:
    """``lanes`` with its lanes ``old`` (those with pairs among them) at ``moved_to``
    in a list whose lane ``a`` holds ``offsets[a]:offsets[a + 1]`` of the same
    keys; what ``index_of_sorted`` makes of them. Each lane whose bins stay as
    they were keeps its counts per bin; only the others are counted again."""
    counts = np.diff(offsets)
    n = len(counts)
    span = int(lanes.keys.max()) + 1 if len(lanes.keys) else 1
    n_bins = _lane_bins(counts, max(int(counts.sum()) // 2, 1))
    bin_width = np.maximum(1, -(-span // n_bins))
    cum_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_bins + 1, out=cum_offsets[1:])
    cum = np.empty(int(cum_offsets[-1]), dtype=np.int32)
    came_from = np.full(n, -1, np.int64)
    came_from[moved_to] = old
    for a in range(n):
        was = int(came_from[a])
        if was >= 0 and lanes.n_bins[was] == n_bins[a] and lanes.bin_width[was] == bin_width[a]:
            cum[cum_offsets[a]:cum_offsets[a + 1]] = lanes.cum[lanes.cum_offsets[was]:lanes.cum_offsets[was + 1]]
            continue
        edges = np.minimum(np.arange(n_bins[a] + 1, dtype=np.int64) * bin_width[a], KEY_MAX).astype(np.uint32)
        cum[cum_offsets[a]:cum_offsets[a + 1]] = np.searchsorted(lanes.keys[offsets[a]:offsets[a + 1]], edges)
    return LaneIndex(offsets, lanes.keys, lanes.base, lanes.quantum, bin_width, n_bins, cum_offsets, cum)


def kept_all(kept: np.ndarray, pseudo: bool) -> np.ndarray:
    """The old actors kept, the "(no actor)" lane (always kept) included."""
    return np.r_[kept, True] if pseudo else kept


def cache_ticket(db: Database) -> tuple | None:
    """What ``cache_patched`` needs to cache a state patched just now: the file,
    its cache key as it is now, and the checks it passed; None when it cannot be cached."""
    db_file = cache.database_file(db)
    if db_file is None or db.conn.in_transaction:
        return None
    key = cache.cache_key(db, db_file)
    return None if key is None else (db_file, key, getattr(db, "threadline_check_level", "quick"))


def cache_patched(data: TimelineData, ticket: tuple) -> None:
    """Write ``data`` (patched to the file as it was at ``ticket``) as the cache
    for that key alone; safe on a worker thread."""
    db_file, key, level = ticket
    _to_cache(data, db_file, key, level)


# ---------------------------------------------------------------- reading the few rows


def _event_rows(db: Database, ids: np.ndarray):
    """(id, earliest, latest, style) int64 columns of those ids still in the file, in
    (earliest, id) order, as the loader computes them; None if a value is not an integer."""
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, earliest, latest, {STYLE_SQL} FROM events WHERE id IN ({marks})"
    rows = db.conn.execute(sql, [int(i) for i in ids]).fetchall()
    if any(type(v) is not int for row in rows for v in row):
        return None
    cols = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    order = np.lexsort((cols[:, 0], cols[:, 1]))
    return tuple(cols[order, i].copy() for i in range(4))


def _segments(db: Database, data: TimelineData, new_ids: np.ndarray) -> list[np.ndarray] | None:
    """The actor indices of each re-read event, in the order a full load puts them.

    A full load keeps an event's actors in the order their rows were written
    when every event's rows lie together in the participation table, and in
    actor order otherwise: a property of the whole table. Edits write an
    event's rows together at the end of the table, so they never change it
    from the first case to the second. Hence: if some event of the loaded
    arrays has its actors out of actor order, the table is in the first case
    and stays so; if every event's actors are in actor order, both cases
    agree as long as the re-read events' actors are in actor order too;
    otherwise it cannot be told without reading the table (None).
    """
    segments: list[np.ndarray] = []
    if not len(new_ids):
        return segments
    marks = ",".join("?" * len(new_ids))
    rows = db.conn.execute(
        f"SELECT rowid, event_id, actor_id FROM event_actors WHERE event_id IN ({marks}) ORDER BY rowid",
        [int(i) for i in new_ids],
    ).fetchall()
    if any(type(v) is not int for row in rows for v in row):
        return None
    by_event: dict[int, list[tuple[int, int]]] = {}
    for rowid, event_id, actor_id in rows:
        by_event.setdefault(event_id, []).append((rowid, actor_id))
    known = {int(a): i for i, a in enumerate(data.actor_ids) if a != -1}
    pseudo = data.n_actors - 1 if data.n_actors and data.actor_ids[-1] == -1 else None
    in_order = None
    for event_id in new_ids.tolist():
        mine = by_event.get(event_id, [])
        rowids = [r for r, _ in mine]
        if rowids and rowids[-1] - rowids[0] != len(rowids) - 1:
            return None  # not written together: the table's order decides
        try:
            actors = [known[a] for _, a in mine]
        except KeyError:
            return None  # an actor the arrays do not know
        kept = [a for k, a in enumerate(actors) if k == 0 or a != actors[k - 1]]  # one actor in two roles
        if not kept:
            if pseudo is None:
                return None
            kept = [pseudo]
        seg = np.array(kept, dtype=data.pair_actor.dtype)
        if np.any(seg[1:] < seg[:-1]):
            if in_order is None:
                in_order = pairs_in_actor_order(data)
            if in_order:
                return None
        segments.append(seg)
    return segments


def pairs_in_actor_order(data: TimelineData) -> bool:
    """Whether every event's actors are in actor-index order (kept in ``derived``)."""
    if "pairs_in_actor_order" not in data.derived:
        pa = data.pair_actor
        ok = pa[1:] >= pa[:-1]
        starts = data.pair_offsets[1:-1].astype(np.int64)
        starts = starts[(starts > 0) & (starts < len(pa))]
        ok[starts - 1] = True  # a new event may start anywhere
        data.derived["pairs_in_actor_order"] = bool(ok.all())
    return data.derived["pairs_in_actor_order"]


# ---------------------------------------------------------------- patching


def _patched(data, lanes, ids, new_ids, new_t0, new_t1, new_style, segments) -> TimelineData | None:
    base, quantum = lanes.base, lanes.quantum
    if base != data.t0_base:
        return None
    data.keep_id_order()  # carried over to the patched arrays (below) for the lookups after it
    old_idx, found = data._lookup_ids(ids)
    old_idx = np.sort(old_idx[found])

    # the new rows, checked against what the loaded columns can hold
    if len(new_ids):
        if new_ids.min() < I32.min or new_ids.max() > I32.max:
            return None
        rel = new_t0 - base
        dur = np.maximum(new_t1 - new_t0, 0)
        if rel.min() < 0 or rel.max() > U32 or dur.max() > U32:
            return None
        if new_t0.min() < FIRST_SECOND or (new_t0 + dur).max() > LAST_SECOND:
            return None
    else:
        rel = dur = np.zeros(0, np.int64)

    # events: out with the old rows, in with the new, in (earliest, id) order
    event_ids = np.delete(data.event_ids, old_idx)
    t0_rel = np.delete(data.t0_rel, old_idx)
    durs = np.delete(data.dur, old_idx)
    style = np.delete(data.style, old_idx)
    counts = np.delete(np.diff(data.pair_offsets), old_idx)
    lo = np.searchsorted(t0_rel, rel.astype(np.uint32), side="left")
    hi = np.searchsorted(t0_rel, rel.astype(np.uint32), side="right")
    at = np.array([a + int(np.searchsorted(event_ids[a:b], i)) for a, b, i in zip(lo, hi, new_ids)], dtype=np.int64)
    seg_len = np.array([len(s) for s in segments], dtype=np.int64)
    n_pairs = len(data.pair_actor) - int(np.diff(data.pair_offsets)[old_idx].sum()) + int(seg_len.sum())
    if n_pairs > I32.max:
        return None
    event_ids = np.insert(event_ids, at, new_ids.astype(np.int32))
    if not len(event_ids):
        return None
    t0_rel = np.insert(t0_rel, at, rel.astype(np.uint32))
    if t0_rel[0] != 0:
        return None  # the earliest event changed: every start would move
    durs = np.insert(durs, at, dur.astype(np.uint32))
    style = np.insert(style, at, new_style.astype(np.uint8))

    # pairs: the CSR rows of the old events out, the new segments in
    old_lo = data.pair_offsets[old_idx].astype(np.int64)
    old_n = np.diff(data.pair_offsets)[old_idx].astype(np.int64)
    gone = np.repeat(old_lo - np.cumsum(old_n) + old_n, old_n) + np.arange(int(old_n.sum()))
    gone_actors = data.pair_actor[gone].astype(np.int64)
    pair_actor = np.delete(data.pair_actor, gone)
    offsets_before = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets_before[1:])
    new_actors = np.concatenate(segments).astype(np.int64) if segments else np.zeros(0, np.int64)
    pair_actor = np.insert(pair_actor, np.repeat(offsets_before[at], seg_len), new_actors.astype(data.pair_actor.dtype))
    counts = np.insert(counts, at, seg_len)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])

    out = TimelineData(
        data.actor_ids, list(data.actor_names), list(data.actor_kinds), list(data.actor_colours),
        event_ids, t0_rel, durs, style, offsets.astype(np.int32), pair_actor, data.t0_base,
    )  # fmt: skip

    # the "(no actor)" lane exists exactly while some event has no actor
    old_events = timeline_summary.actor_events(data)
    delta = (np.bincount(new_actors, minlength=data.n_actors) - np.bincount(gone_actors, minlength=data.n_actors))
    actor_events = old_events + delta
    if data.actor_ids[-1] == -1 and actor_events[-1] == 0:
        return None

    # the time range, and with it the lane keys' frame
    old_range = data.time_range
    gone_ends = data.end(old_idx)
    if len(gone_ends) and gone_ends.max() >= old_range[1]:
        last = int(out.end().max())
    else:
        last = max(old_range[1], int((new_t0 + dur).max()) if len(new_ids) else old_range[1])
    new_range = (int(data.t0_base), last)
    if max(1, -(-(last - base + 1) // (int(KEY_MAX) - 1))) != quantum:
        return None
    out.derived["time_range"] = new_range

    gone_keys = np.repeat(event_keys(data, base, quantum, old_idx), old_n)
    new_mid = new_t0 + dur // 2
    new_keys = np.repeat(((new_mid - base) // quantum).astype(np.uint32), seg_len)
    out.derived["lane_index"] = patch_lanes(lanes, gone_actors, gone_keys, new_actors, new_keys)
    out.derived["pair_delta"] = PairDelta(token(data), gone_actors, gone_keys, new_actors, new_keys)
    out.derived["loaded_from"] = "patch"

    # summaries: counts and first appearances patched; the rest computed when asked
    out.derived["actor_events"] = actor_events
    if "first_seen" in data.derived:
        out.derived["first_seen"] = _first_seen(data, out, gone_actors, np.repeat(data.start(old_idx), old_n),
                                                new_actors, np.repeat(new_t0, seg_len))
    if "overview" in data.derived and new_range == old_range:
        out.derived["overview"] = (data.derived["overview"] - _overview_bins(data, old_idx, new_range)
                                   + _overview_bins(out, at + np.arange(len(at)), new_range))
    _carry_id_order(data, out, old_idx, at, new_ids)
    if data.derived.get("pairs_in_actor_order") and all(not np.any(s[1:] < s[:-1]) for s in segments):
        out.derived["pairs_in_actor_order"] = True
    return out


def _carry_id_order(old: TimelineData, new: TimelineData, old_idx, at, new_ids) -> None:
    """Whether ids follow time, and else the id order, brought over from ``old``
    (either is a pass over every event or a sort to find again)."""
    if "ids_ascending" not in old.derived:
        return
    final = at + np.arange(len(at))  # where the new rows ended up
    if old.derived["ids_ascending"]:
        ids = new.event_ids
        before = ids[final - 1] < ids[final] if len(final) else np.zeros(0, bool)
        after = ids[np.minimum(final + 1, len(ids) - 1)] > ids[final]
        ok = np.all(before | (final == 0)) and np.all(after | (final == len(ids) - 1))
        new.derived["ids_ascending"] = bool(ok)
        return
    order = old._id_order  # (whether ids follow time again, once a row is out, is checked when asked)
    if order is None:
        return
    gone = np.zeros(old.n_events, bool)
    gone[old_idx] = True
    kept = order[~gone[order]].astype(np.int64)
    kept -= np.cumsum(gone)[kept]  # index once the old rows are out
    kept += np.searchsorted(at, kept, side="right")  # and once the new rows are in
    by_id = np.argsort(new_ids, kind="stable")
    spot = np.searchsorted(new.event_ids[kept], new_ids[by_id])
    new._id_order = np.insert(kept, spot, final[by_id]).astype(np.int32)


def _overview_bins(data: TimelineData, idx: np.ndarray, time_range) -> np.ndarray:
    """The overview strip's counts of the events ``idx`` alone (as ``timeline_summary.overview``)."""
    lo, hi = time_range
    hi = max(hi, lo + 86400)
    starts = data.start(idx)
    mids = timeline_summary.mid_seconds(starts, np.minimum(data.dur[idx], np.maximum(hi - starts, 0)))
    bins = ((mids - lo).astype(np.float64) * (timeline_summary.OVERVIEW_BINS / (hi - lo))).astype(np.int64)
    return np.bincount(np.clip(bins, 0, timeline_summary.OVERVIEW_BINS - 1),
                       minlength=timeline_summary.OVERVIEW_BINS).astype(np.int64)


def _first_seen(old: TimelineData, new: TimelineData, gone_actors, gone_starts, new_actors, new_starts) -> np.ndarray:
    first = old.derived["first_seen"].copy()
    lost = np.unique(gone_actors[gone_starts <= first[gone_actors]])  # an actor's first event went
    for a in lost.tolist():
        hits = np.flatnonzero(new.pair_actor == a)
        if len(hits):
            event = np.searchsorted(new.pair_offsets, hits[0], side="right") - 1
            first[a] = new.start(event)
        else:
            first[a] = np.iinfo(np.int64).max
    if len(new_actors):
        np.minimum.at(first, new_actors, new_starts)
    return first


def token(data: TimelineData) -> object:
    """An object that stands for ``data`` as long as anyone holds it (ids are reused)."""
    return data.derived.setdefault("token", object())


@dataclass
class PairDelta:
    """The (actor, lane key) pairs a patch took out of the source's arrays
    and put in, so an index a view built over the source (lanes merging
    several actors) can be patched too rather than built again."""

    source: object  # ``token`` of the data patched
    gone_actors: np.ndarray
    gone_keys: np.ndarray
    new_actors: np.ndarray
    new_keys: np.ndarray

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.gone_actors, self.gone_keys, self.new_actors, self.new_keys))

    def patch_merged(self, index: LaneIndex, lane_of_actor: np.ndarray) -> LaneIndex:
        """``index`` as ``build_merged_index`` with ``lane_of_actor`` gives it for the patched data."""
        gone, new = lane_of_actor[self.gone_actors], lane_of_actor[self.new_actors]
        return patch_lanes(index, gone[gone >= 0], self.gone_keys[gone >= 0], new[new >= 0], self.new_keys[new >= 0])


def patch_lanes(lanes: LaneIndex, gone_actors, gone_keys, new_actors, new_keys) -> LaneIndex:
    """The lane index with some (lane, key) pairs out and others in, its bins
    recomputed as ``index_of_pairs`` would (only the lanes that changed)."""
    n_lanes = len(lanes.offsets) - 1
    keys, offsets = lanes.keys, lanes.offsets
    if len(gone_actors):
        pos = []
        pairs = np.stack([gone_actors, gone_keys.astype(np.int64)], axis=1)
        uniq, times = np.unique(pairs, axis=0, return_counts=True)
        for (a, k), c in zip(uniq.tolist(), times.tolist()):
            p = int(offsets[a] + np.searchsorted(keys[offsets[a]:offsets[a + 1]], k))
            pos.extend(range(p, p + c))
        keys = np.delete(keys, pos)
        offsets = offsets - np.r_[0, np.cumsum(np.bincount(gone_actors, minlength=n_lanes))]
    if len(new_actors):
        order = np.lexsort((new_keys, new_actors))
        na, nk = new_actors[order], new_keys[order]
        pos = np.array([offsets[a] + np.searchsorted(keys[offsets[a]:offsets[a + 1]], k) for a, k in zip(na, nk)],
                       dtype=np.int64)
        keys = np.insert(keys, pos, nk)
        offsets = offsets + np.r_[0, np.cumsum(np.bincount(na, minlength=n_lanes))]
    counts = np.diff(offsets)
    nonempty = np.flatnonzero(counts)
    span = int(keys[offsets[nonempty + 1] - 1].max()) + 1 if len(nonempty) else 1
    n_bins = _lane_bins(counts, max(int(counts.sum()) // 2, 1))
    bin_width = np.maximum(1, -(-span // n_bins))
    touched = np.zeros(n_lanes, bool)
    touched[gone_actors] = True
    touched[new_actors] = True
    touched |= (n_bins != lanes.n_bins) | (bin_width != lanes.bin_width)
    cum_offsets = np.zeros(n_lanes + 1, dtype=np.int64)
    np.cumsum(n_bins + 1, out=cum_offsets[1:])

    def lane_cum(a: int) -> np.ndarray:
        edges = np.minimum(np.arange(n_bins[a] + 1, dtype=np.int64) * bin_width[a], KEY_MAX).astype(np.uint32)
        return np.searchsorted(keys[offsets[a]:offsets[a + 1]], edges)

    if np.array_equal(cum_offsets, lanes.cum_offsets):
        cum = lanes.cum.copy()
        for a in np.flatnonzero(touched).tolist():
            cum[cum_offsets[a]:cum_offsets[a + 1]] = lane_cum(a)
    else:
        cum = np.empty(int(cum_offsets[-1]), dtype=np.int32)
        for a in range(n_lanes):
            cum[cum_offsets[a]:cum_offsets[a + 1]] = (
                lane_cum(a) if touched[a] else lanes.cum[lanes.cum_offsets[a]:lanes.cum_offsets[a + 1]])
    return LaneIndex(offsets, keys, lanes.base, lanes.quantum, bin_width, n_bins, cum_offsets, cum)
