"""The whole file as a few numpy arrays: what the timeline and graph draw from.

A million events must not become a million Python objects, so events are
held column-wise, sorted by their earliest bound (so a time window is a
``searchsorted`` away), and the actors of each event are kept in a
compressed-sparse-row layout: the actors of event ``i`` are
``pair_actor[pair_offsets[i]:pair_offsets[i + 1]]``.

Each array uses the narrowest type its values fit (event ids and pair
offsets int32, actor indices uint16 below 65,536 actors, times as uint32
seconds: the earliest bound after the file's earliest event, the latest as
a duration after the earliest; int64 when a file spans more than 136
years), so an event with two actors costs 21 bytes, and the timeline's own
index over it about 10 more (see ``nbytes``). Ask ``start``, ``end`` and
``search_start`` for times rather than doing the arithmetic by hand: they
cast before it could overflow.
Titles and other text are fetched only for the few events on screen.

Loading reads the columns as text blocks in two threads (``timeline_sql``),
builds the timeline's lane index (``lane_index``) and keeps both in a cache
beside the file (``cache``), keyed so that it can never be stale: a second
open reads one file instead of three million rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from . import cache, progress, stored_arrays, timeline_summary
from .database import StoreError, deep_check, reading
from .lane_index import LaneIndex, build_lane_index, index_of_sorted, key_frame
from .memory import release_free_memory
from .row_checks import FIRST_SECOND, LAST_SECOND, check_bounds
from .schema import ACTOR_KINDS
from .timeline_sql import (  # noqa: F401  (the style bits are part of this module's API)
    CERTAINTY_MASK, HAS_END, IMPRECISE, FastPathFailed, read_event_columns, read_event_columns_strict,
)

NO_ACTOR_NAME = "(no actor)"
FEW_IDS = 64  # up to this many ids are looked up through the id order without gathering it
# Up to this many ids are found by a pass over the ids while the id order is
# not built: a pass costs about 5 ms at ten million events, the sort 0.2 to
# 1.3 s, which an edit's first lookup on the UI thread must not pay (the
# order is built on a worker when the edit is folded in, and kept).
SCAN_IDS = 4
SCAN_CHUNK = 1 << 20  # ids compared at a time by that pass, which stops at the first hit
INT32 = np.iinfo(np.int32)


@dataclass(eq=False)
class TimelineData:
    # actors, in id order; index len(actor_ids) - 1 may be the "(no actor)" lane
    actor_ids: np.ndarray  # int64; -1 for the "(no actor)" pseudo-actor
    actor_names: list[str]
    actor_kinds: list[str]
    actor_colours: list[str | None]
    # events, sorted by (earliest, id)
    event_ids: np.ndarray  # int32 (int64 when an id does not fit)
    t0_rel: np.ndarray  # earliest bound - t0_base, seconds: uint32 (136 years), int64 if the file spans more
    dur: np.ndarray  # latest - earliest: uint32 (136 years), int64 if some span is longer
    style: np.ndarray  # uint8 bits, see above
    pair_offsets: np.ndarray  # int32 (int64 past 2**31 pairs), len(events) + 1
    pair_actor: np.ndarray  # uint16 actor index of each (event, actor) pair (int32 past 65,535 actors)
    t0_base: int = 0  # seconds: the earliest bound of the file's earliest event
    _id_order: np.ndarray | None = field(default=None, repr=False)
    # Structures derived from these arrays by the views (the timeline's lane
    # index, ...), built once per loaded data and dropped with it.
    derived: dict = field(default_factory=dict, repr=False)

    @property
    def n_events(self) -> int:
        return len(self.event_ids)

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    def start(self, idx=slice(None)) -> np.ndarray | np.int64:
        """Earliest bounds (int64 seconds) of the events at ``idx``; all of them
        by default, which makes a new 8-byte-an-event array: index first."""
        return self.t0_rel[idx].astype(np.int64) + self.t0_base

    def end(self, idx=slice(None)) -> np.ndarray | np.int64:
        """Latest bounds (int64 seconds), as ``start``."""
        return self.start(idx) + self.dur[idx].astype(np.int64)

    def search_start(self, t, side: str = "left"):
        """``np.searchsorted`` of the earliest bounds for instants ``t`` (seconds,
        int or float, scalar or array): with "left" the first event starting at
        or after t, with "right" the first starting after it."""
        rel = np.asarray(t, dtype=np.float64) - self.t0_base
        needle = np.ceil(rel) if side == "left" else np.floor(rel)  # starts are whole seconds
        top = float(np.iinfo(np.uint32).max) if self.t0_rel.dtype == np.uint32 else float(2**62)
        pos = np.searchsorted(self.t0_rel, np.clip(needle, 0, top).astype(self.t0_rel.dtype), side=side)
        pos = np.where(needle < 0, 0, np.where(needle > top, self.n_events, pos))
        return int(pos) if pos.ndim == 0 else pos

    @property
    def time_range(self) -> tuple[int, int] | None:
        if not self.n_events:
            return None
        if "time_range" not in self.derived:  # the latest end is a full scan
            self.derived["time_range"] = (int(self.start(0)), int(self.end().max()))
        return self.derived["time_range"]

    def pair_event(self) -> np.ndarray:
        """The event index of each pair (built on demand: it costs 4 bytes a pair)."""
        counts = np.diff(self.pair_offsets)
        return np.repeat(np.arange(self.n_events, dtype=np.int32), counts)

    def _ids_ascending(self) -> bool:
        if "ids_ascending" not in self.derived:
            ids = self.event_ids
            self.derived["ids_ascending"] = bool(len(ids) < 2 or np.all(ids[1:] > ids[:-1]))
        return self.derived["ids_ascending"]

    def index_of_ids(self, ids) -> np.ndarray:
        """Event indices for event ids (ids not present are dropped)."""
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        idx, found = self._lookup_ids(ids)
        return idx[found]

    def _lookup_ids(self, ids: np.ndarray, keep_order: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(index, found) for each id. Ids usually follow time, so no sort is
        needed; otherwise the id order is built on first use and, unless
        ``keep_order`` is False (loading), kept: 4 bytes an event."""
        if self._ids_ascending():
            order, sorted_ids = None, self.event_ids
        else:
            order = self._id_order
            if order is None and len(ids) <= SCAN_IDS:
                return self._scan(np.asarray(ids, dtype=np.int64))
            if order is None:
                order = self._sorted_by_id()
                if keep_order:
                    self._id_order = order
            if len(ids) <= FEW_IDS and len(order):
                return self._search_through(order, np.asarray(ids, dtype=np.int64))
            sorted_ids = self.event_ids[order]
        if not len(sorted_ids):
            return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
        fits = np.ones(len(ids), bool)
        if sorted_ids.dtype == np.int32:
            # search with int32 needles: int64 ones would make numpy copy the whole column
            fits = (ids >= INT32.min) & (ids <= INT32.max)
            ids = np.where(fits, ids, 0).astype(np.int32)
        pos = np.clip(np.searchsorted(sorted_ids, ids), 0, len(sorted_ids) - 1)
        found = (sorted_ids[pos] == ids) & fits
        return (pos if order is None else order[pos].astype(np.int64)), found

    def _sorted_by_id(self) -> np.ndarray:
        return np.argsort(self.event_ids, kind="stable").astype(np.int32)

    def keep_id_order(self) -> None:
        """Build the id order now, if ids do not follow time and it is not
        built yet (a sort of every event: for a worker, so that the edits
        after it find their events without a pass over the ids)."""
        if self._id_order is None and not self._ids_ascending():
            self._id_order = self._sorted_by_id()

    def _scan(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_lookup_ids`` for a few ids by one pass over the ids each (ids are
        unique). What was found is remembered: an edit's event is looked up
        again by every view that follows the selection."""
        index, found = np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
        low, high = (INT32.min, INT32.max) if self.event_ids.dtype == np.int32 else (-(2**63), 2**63 - 1)
        seen = self.derived.setdefault("ids_scanned", {})
        if len(seen) > 256:
            seen.clear()
        for k, one in enumerate(ids.tolist()):
            if one not in seen:
                seen[one] = self._first_index_of(one) if low <= one <= high else -1
            if seen[one] >= 0:
                index[k], found[k] = seen[one], True
        return index, found

    def _first_index_of(self, one: int) -> int:
        """Where the id ``one`` is, or -1: compared a chunk at a time, so a
        pass that finds it stops there (on average half the ids)."""
        ids = self.event_ids
        for start in range(0, len(ids), SCAN_CHUNK):
            hit = np.flatnonzero(ids[start:start + SCAN_CHUNK] == one)
            if len(hit):
                return start + int(hit[0])
        return -1

    def _search_through(self, order: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_lookup_ids`` for a few ids, by a binary search through the id order
        itself: gathering every id in that order costs 25 ms at ten million
        events, for each event an edit or a selection looks up."""
        ids_sorted = self.event_ids
        lo = np.zeros(len(ids), np.int64)
        hi = np.full(len(ids), len(order), np.int64)
        while True:
            open_ = lo < hi
            if not open_.any():
                break
            mid = (lo + hi) // 2
            below = np.zeros(len(ids), bool)
            below[open_] = ids_sorted[order[mid[open_]]] < ids[open_]
            lo = np.where(open_ & below, mid + 1, lo)
            hi = np.where(open_ & ~below, mid, hi)
        pos = np.minimum(lo, len(order) - 1)
        index = order[pos].astype(np.int64)
        return index, ids_sorted[index] == ids

    def actor_index(self) -> dict[int, int]:
        return {int(a): i for i, a in enumerate(self.actor_ids)}

    def nbytes(self) -> int:
        """Bytes held: the columns, plus every derived array built so far."""
        arrays = (self.actor_ids, self.event_ids, self.t0_rel, self.dur, self.style, self.pair_offsets, self.pair_actor)
        total = sum(a.nbytes for a in arrays)
        if self._id_order is not None:
            total += self._id_order.nbytes
        return total + sum(int(getattr(v, "nbytes", 0)) for v in self.derived.values())


# ---------------------------------------------------------------- loading


def load_timeline_data(db: Database, *, use_cache: bool = True, progress=None, write_cache: bool = True,
                       store_arrays: bool = False) -> TimelineData:
    """The arrays of the whole file: from the cache beside it, else from the
    columns kept in the file (``stored_arrays``) when they are current, else
    from the rows. ``progress(fraction)`` is called now and then from this
    thread while rows are read (not when the cache is used).
    ``write_cache=False`` (the file's deep check has not passed yet) keeps
    the cache unwritten: ``check_deferred`` writes it once the check passes,
    because a cache also vouches that the file passed its checks.
    ``store_arrays`` keeps arrays read from the rows in the file (with
    ``write_cache``: a file that passed its checks), so a copy of it opens
    fast anywhere; opening a file in the window does not (opening never
    changes a file): a session that wrote keeps them when it closes
    (``keep_in_file``)."""
    db_file = cache.database_file(db)
    key = None
    if use_cache and db_file is not None and not db.conn.in_transaction:
        key = cache.cache_key(db, db_file)
    if key is not None:
        data = _from_cache(db_file, key)
        if data is not None:
            data.derived["loaded_from"] = "cache"
            data.derived["rows_key"] = key  # the cache shows the rows as of this key
            _check_time_range(db, db_file, data)
            data._ids_ascending()  # a pass over the ids: with the load, not in the first edit
            return data
    # before the rows are read: another connection's commit meanwhile changes it
    version = None if db.conn.in_transaction else stored_arrays.data_version(db.conn)
    rows_key = None if db_file is None or db.conn.in_transaction else cache.cache_key(db, db_file)
    data = _from_stored(db)
    if data is not None:
        data.derived["loaded_from"] = "stored"
    else:
        data = _from_sql(db, db_file, progress)
        data.derived["loaded_from"] = "database"
        data.derived["rows_version"] = version
        data.derived["rows_key"] = rows_key  # for ``keep_opened_in_file`` on another connection
    _check_time_range(db, db_file, data)
    data._ids_ascending()  # a pass over the ids: with the load, not in the first edit
    # built with the arrays, so they are cached with them and the first frame needs no sort
    if "lane_index" not in data.derived:
        data.derived["lane_index"] = build_lane_index(data)
    timeline_summary.summarise(data)
    # written only if nothing changed the file while we read it
    level = getattr(db, "threadline_check_level", "quick")
    if not write_cache:
        data.derived["check_level"] = level  # what the deferred check must be
    if store_arrays and write_cache and store_in_file(db, data) and key is not None:
        key = _key_after_storing(db, db_file, data)
    if key is not None and cache.cache_key(db, db_file) == key:
        if write_cache:
            _to_cache(data, db_file, key, level)
        else:
            data.derived["uncached_key"] = key
    release_free_memory()
    return data


def store_in_file(db: Database, data: TimelineData) -> bool:
    """Keep ``data``'s columns in the file (``stored_arrays``) if they were
    read from its rows on ``db`` and no other connection has committed since.
    True if written."""
    version = data.derived.get("rows_version")
    if data.derived.get("loaded_from") != "database" or version is None or db.conn.in_transaction or not data.n_events:
        return False
    if not stored_arrays.write_stored(db, *_stored_form(data), version):
        return False
    data.derived.pop("rows_version", None)
    return True


def keep_rows_in_file(db: Database) -> bool:
    """Read the file's columns from its rows and keep them in it
    (``stored_arrays``), unless they are current already: what an import
    does once its transaction has committed, so the file it leaves behind
    opens fast anywhere, copied or not. A speed-up for the next open only:
    nothing is raised, and a failure leaves the file as it was. True when
    the columns are current afterwards."""
    if stored_arrays.disabled() or db.conn.in_transaction:
        return False
    try:
        data = load_timeline_data(db, use_cache=False, write_cache=False)
        if data.derived.get("loaded_from") == "stored":
            return True
        return store_in_file(db, data)
    except (StoreError, sqlite3.Error, MemoryError, FastPathFailed):
        return False


# loaded from the rows, or from the cache beside the file (which a copy
# elsewhere lacks): both leave a file whose next open elsewhere reads every row
OPENED_FROM_ROWS = ("database", "cache")


def keep_opened_in_file(db_file, data: TimelineData, between=None) -> dict:
    """Keep ``data``'s columns in the file when it was read from the rows
    (or the cache beside the file) and the file is still exactly as then:
    on a worker thread, with a
    writable connection of its own, in short transactions
    (``stored_arrays.write_stored_in_steps``), so an edit waits for one part
    at most and one that lands meanwhile leaves them not current. "As
    then" is the cache key taken before the rows were read (the file's
    change counter, size and time, and the data's generation): without
    one (a WAL file, caching off) nothing is written. It stops as soon as
    another connection commits.

    Returns ``kept`` (the columns are current), ``others`` (another
    connection wrote since the rows were read) and ``key`` (the file's key
    after the last write here, None if nothing was tried), so the window
    can tell its own worker's writes from another program's."""
    result = {"kept": False, "others": False, "key": None}
    key = data.derived.get("rows_key")
    if data.derived.get("loaded_from") not in OPENED_FROM_ROWS or key is None or not data.n_events or stored_arrays.disabled():
        return result
    from .file_checks import connect, utils_database

    path = Path(db_file)
    columns, frame = _stored_form(data)
    try:
        conn = connect(path, readonly=False)
    except sqlite3.Error:
        return result
    seen = []  # this connection's data_version once the file was found unchanged

    def unchanged(c) -> bool:
        if not seen:
            if cache.cache_key(utils_database(c), path) != key:
                result["others"] = True
                return False
            seen.append(stored_arrays.data_version(c))
        elif stored_arrays.data_version(c) != seen[0]:
            result["others"] = True
            return False
        return True

    try:
        result["kept"] = stored_arrays.write_stored_in_steps(conn, columns, frame, unchanged, between)
    except progress.Cancelled:
        pass  # stopped between two parts (an edit, the window closing): its parts were dropped
    finally:
        conn.close()
        result["key"] = cache.file_key(path)
    return result


def _key_after_storing(db: Database, db_file, data: TimelineData) -> dict | None:
    """The cache key once the arrays are stored (the write changed the file's
    counter, size and time): valid for ``data`` only if they are still
    current (no row changed since), checked between two keys."""
    before = cache.cache_key(db, db_file)
    try:
        row = db.conn.execute(f"SELECT current FROM {stored_arrays.ARRAYS_STATE_TABLE} WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    return before if row == (1,) and cache.cache_key(db, db_file) == before else None


def check_deferred(db_file, data: TimelineData) -> None:
    """The deep check the window deferred (``database.deep_check``), then the
    cache of ``data`` if the file is still as when ``data`` was read. Runs on
    a worker thread with connections of its own. Raises StoreError on damage."""
    level = data.derived.pop("check_level", "quick")
    deep_check(db_file, level=level)
    key = data.derived.pop("uncached_key", None)
    if key is None:
        return
    with reading(db_file) as db:
        now = cache.cache_key(db, db_file)
    if now == key:
        _to_cache(data, db_file, key, level)


def keep_in_file(db: Database, data: TimelineData, data_version: int | None) -> bool:
    """Keep ``data``'s columns in the file (``stored_arrays``) when they show
    its rows as they are now: no other connection has committed since
    ``data_version`` (of ``db``'s connection; its own commits do not change
    it), so the rows are what ``data`` was read and patched from. What a
    session that wrote to the file does when it closes. True if written."""
    if data_version is None or db.conn.in_transaction or not data.n_events:
        return False  # (an empty file opens at once: nothing to gain)
    return stored_arrays.write_stored(db, *_stored_form(data), data_version)


def _stored_form(data: TimelineData) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """What ``stored_arrays`` keeps of ``data``: the columns, the lane index's
    keys and the summaries, and the frame of their times."""
    lanes = data.derived.get("lane_index")
    if lanes is None:
        lanes = data.derived["lane_index"] = build_lane_index(data)
    columns = {name: getattr(data, name) for name in stored_arrays.COLUMNS}
    columns.update(lane_offsets=lanes.offsets, lane_keys=lanes.keys)
    columns.update({f"summary_{name}": arr for name, arr in timeline_summary.summarise(data).items()})
    return columns, {"t0_base": data.t0_base, "lane_base": lanes.base, "lane_quantum": lanes.quantum}


def _from_stored(db: Database) -> TimelineData | None:
    """The arrays, lane index and summaries from what is kept in the file,
    if current and sound (``stored_arrays``)."""
    actors = db.conn.execute("SELECT id, name, kind, colour FROM actors ORDER BY id").fetchall()
    found = stored_arrays.read_stored(db.conn, np.array([a[0] for a in actors], dtype=np.int64))
    if found is None:
        return None
    c, frame = found
    data = TimelineData(c["actor_ids"], [a[1] for a in actors], [a[2] for a in actors], [a[3] for a in actors],
                        c["event_ids"], c["t0_rel"], c["dur"], c["style"], c["pair_offsets"], c["pair_actor"],
                        frame["t0_base"])
    if len(c["actor_ids"]) > len(actors):  # the "(no actor)" lane, as _attach_pairs makes it
        data.actor_names.append(NO_ACTOR_NAME)
        data.actor_kinds.append("group")
        data.actor_colours.append(None)
    if not data.n_events or (frame["lane_base"], frame["lane_quantum"]) != key_frame(data):
        return None  # keys in another frame than this data's
    data.derived["lane_index"] = index_of_sorted(c["lane_offsets"], c["lane_keys"], frame["lane_base"], frame["lane_quantum"])
    data.derived["actor_events"] = c["actor_events"]
    timeline_summary.restore(data, c)
    return data


def _from_sql(db: Database, db_file, progress) -> TimelineData:
    actors = db.conn.execute("SELECT id, name, kind, colour FROM actors ORDER BY id").fetchall()
    try:
        events, pairs = read_event_columns(db, db_file, progress)
    except FastPathFailed:
        try:
            events, pairs = read_event_columns_strict(db)
        except (ValueError, TypeError, OverflowError):  # a bound that is text, a REAL, past int64
            _refuse_bad_bounds(db, db_file)
            raise
    return assemble(actors, events, pairs, release=True)


def _check_time_range(db: Database, db_file, data: TimelineData) -> None:
    """Every bound must be a date of years 1 to 9999 (the axis, the labels and
    the exports cannot show others): else one line naming the event."""
    span = data.time_range
    if span is not None and not (FIRST_SECOND <= span[0] and span[1] <= LAST_SECOND):
        _refuse_bad_bounds(db, db_file)
        raise StoreError(f"{db_file or 'the database'}: an event's dates lie outside years 1 to 9999")


def _refuse_bad_bounds(db: Database, db_file) -> None:
    """Raise StoreError naming the event whose bound cannot be drawn."""
    check_bounds(db, db_file or "the database")


CACHED_ARRAYS = ("actor_ids", "event_ids", "t0_rel", "dur", "style", "pair_offsets", "pair_actor")
LANE_ARRAYS = ("offsets", "keys", "bin_width", "n_bins", "cum_offsets", "cum")


def _to_cache(data: TimelineData, db_file, key: dict, level: str = "quick") -> None:
    arrays = {name: getattr(data, name) for name in CACHED_ARRAYS}
    lanes = data.derived["lane_index"]
    arrays.update({f"lane_{name}": getattr(lanes, name) for name in LANE_ARRAYS})
    arrays.update({f"summary_{name}": arr for name, arr in timeline_summary.summarise(data).items()})
    extra = {"names": data.actor_names, "kinds": data.actor_kinds, "colours": data.actor_colours,
             "lane_base": lanes.base, "lane_quantum": lanes.quantum, "t0_base": data.t0_base}
    cache.write_cache(cache.cache_path(db_file), key, arrays, extra, checked=level)


def _from_cache(db_file, key: dict) -> TimelineData | None:
    hit = cache.read_cache(cache.cache_path(db_file), key)
    if hit is None:
        return None
    arrays, extra = hit
    try:
        names, kinds, colours = list(extra["names"]), list(extra["kinds"]), list(extra["colours"])
        columns = [arrays[name] for name in CACHED_ARRAYS]
        lanes = LaneIndex(*(arrays[f"lane_{name}"] for name in LANE_ARRAYS[:2]), int(extra["lane_base"]),
                          int(extra["lane_quantum"]), *(arrays[f"lane_{name}"] for name in LANE_ARRAYS[2:]))
    except (KeyError, TypeError, ValueError):
        return None
    if not len(names) == len(kinds) == len(colours) == len(columns[0]):
        return None
    actor_ids, event_ids, t0_rel, dur, style, offsets, pair_actor = columns
    try:
        t0_base = int(extra["t0_base"])
    except (KeyError, TypeError, ValueError):
        return None
    data = TimelineData(actor_ids, names, kinds, colours, event_ids, t0_rel, dur, style, offsets, pair_actor, t0_base)
    data.derived["lane_index"] = lanes
    timeline_summary.restore(data, arrays)
    return data


# ---------------------------------------------------------------- assembling


def assemble(actor_rows, events: list[np.ndarray], pairs: list[np.ndarray], release: bool = False) -> TimelineData:
    """TimelineData from actor rows (id order) and raw int64 columns in any
    order. With ``release`` the two lists are emptied as they are used, so
    each raw column's memory goes back as soon as its narrow one is made."""
    actor_ids = np.array([a[0] for a in actor_rows], dtype=np.int64)
    ids, t0, t1, style = events
    if release:
        events.clear()
    # before any reordering: 4 bytes an event to move, not 8; with ``release``
    # the latest bounds are this function's own, and their differences go in their place
    dur = durations(t0, t1, in_place=release)
    del t1
    order = _time_order(ids, t0)
    if order is not None:
        # one column at a time, each old one given back as its new one is made
        ids = ids[order]
        t0 = t0[order]
        dur = dur[order]
        style = style[order]
        del order
    t0_rel, t0_base = relative_starts(t0)
    del t0
    data = TimelineData(
        actor_ids, [a[1] for a in actor_rows], [a[2] for a in actor_rows], [a[3] for a in actor_rows],
        _narrow(ids), t0_rel, dur, style.astype(np.uint8, copy=False),
        np.zeros(len(ids) + 1, dtype=np.int32), np.zeros(0, dtype=np.uint16), t0_base,
    )  # fmt: skip
    del ids, style, dur, t0_rel
    pair_columns = list(pairs)
    if release:
        pairs.clear()
    _attach_pairs(data, pair_columns)
    return data


def _time_order(ids: np.ndarray, t0: np.ndarray) -> np.ndarray | None:
    """The (earliest, id) order, or None when the rows already come in it (usual)."""
    if len(ids) < 2:
        return None
    later = t0[1:] > t0[:-1]
    if later.all() or np.all(later | ((t0[1:] == t0[:-1]) & (ids[1:] > ids[:-1]))):
        return None
    return np.lexsort((ids, t0))


def relative_starts(t0: np.ndarray) -> tuple[np.ndarray, int]:
    """(earliest bounds as seconds after the first, that first) for sorted
    int64 starts: uint32 while the file spans at most 136 years, else int64."""
    if not len(t0):
        return np.zeros(0, dtype=np.uint32), 0
    base = int(t0[0])
    rel = t0 - base
    return (rel.astype(np.uint32) if rel[-1] <= np.iinfo(np.uint32).max else rel), base


def durations(t0: np.ndarray, t1: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Latest minus earliest bound, as uint32 (spans up to 136 years; int64
    if any is longer). The store keeps latest >= earliest; a row that does
    not is drawn as a point, not wrapped round to 136 years. ``in_place``
    computes them in ``t1`` (int64, of no further use to the caller): no
    temporary of 8 bytes an event."""
    if in_place and t1.dtype == np.int64:
        dur = np.subtract(t1, t0, out=t1)
        np.maximum(dur, 0, out=dur)
    else:
        dur = np.maximum(t1 - t0, 0)
    if not len(dur) or dur.max() <= np.iinfo(np.uint32).max:
        return dur.astype(np.uint32)
    return dur


def _narrow(ids: np.ndarray) -> np.ndarray:
    if not len(ids) or (ids.min() >= INT32.min and ids.max() <= INT32.max):
        return ids.astype(np.int32)
    return ids


def _dense_lookup(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(index in ``keys``, found) of each wanted id through a table over the id
    range, when ids are dense enough (they usually are: rowids); else None."""
    if not len(keys):
        return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
    lo, hi = int(keys.min()), int(keys.max())
    if hi - lo > 4 * len(keys) + 1024:
        return None
    table = np.full(hi - lo + 1, -1, dtype=np.int64 if len(keys) > INT32.max else np.int32)
    table[keys.astype(np.int64) - lo] = np.arange(len(keys), dtype=table.dtype)
    inside = (wanted >= lo) & (wanted <= hi)
    index = table[np.where(inside, _offsets(wanted, lo), 0)]
    found = inside & (index >= 0)
    return index, found


def _offsets(wanted: np.ndarray, lo: int) -> np.ndarray:
    """``wanted - lo`` without widening int32 ids to int64 (half the memory
    for twenty million pairs); values outside the table's range may wrap,
    and are masked by the caller."""
    if wanted.dtype == np.int32 and INT32.min <= lo <= INT32.max:
        return wanted - np.int32(lo)
    return wanted.astype(np.int64) - lo


def _contiguous_lookup(data: "TimelineData", wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(index, found) of event ids when the events are ids lo, lo + 1, ...
    in that order (rowids with no gap, dated in id order: the usual file),
    where an id's index is the id less lo; else None."""
    ids = data.event_ids
    if not len(ids) or int(ids[-1]) - int(ids[0]) != len(ids) - 1 or not data._ids_ascending():
        return None
    lo, hi = int(ids[0]), int(ids[-1])
    return _offsets(wanted, lo), (wanted >= lo) & (wanted <= hi)


def _actor_lookup(actor_ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, found) of actor ids in the id-sorted actor_ids."""
    dense = _dense_lookup(actor_ids, wanted)
    if dense is not None:
        return dense
    pos = np.clip(np.searchsorted(actor_ids, wanted), 0, len(actor_ids) - 1)
    return pos, actor_ids[pos] == wanted


def _attach_pairs(data: TimelineData, pair_columns: list[np.ndarray]) -> None:
    """Fill the CSR pair arrays from [event ids, actor ids] (the list is
    emptied, so each raw column goes once looked up); events without actors
    get the '(no actor)' lane. Pairs naming an event or actor that does not
    exist are left out."""
    ev_ids, actor_ids = pair_columns
    pair_columns.clear()
    actor_idx, actor_found = _actor_lookup(data.actor_ids, actor_ids)
    del actor_ids
    actor_idx = _narrow_index(actor_idx, data.n_actors)
    dense = _contiguous_lookup(data, ev_ids)
    if dense is None:
        dense = _dense_lookup(data.event_ids, ev_ids)
    event_idx, event_found = dense if dense is not None else data._lookup_ids(ev_ids, keep_order=False)
    del ev_ids, dense
    event_idx = _narrow_index(event_idx, data.n_events)
    keep = actor_found & event_found
    del actor_found, event_found
    if not keep.all():
        event_idx, actor_idx = event_idx[keep], actor_idx[keep]
    del keep
    event_idx, actor_idx = _once_in_recorded_order(event_idx, actor_idx, data.n_events, data.n_actors)
    counts = np.bincount(event_idx, minlength=data.n_events)
    orphans = np.flatnonzero(counts == 0)
    if len(orphans):
        data.actor_ids = np.append(data.actor_ids, -1)
        data.actor_names.append(NO_ACTOR_NAME)
        data.actor_kinds.append("group")
        data.actor_colours.append(None)
        event_idx = np.concatenate([event_idx, orphans])
        actor_idx = np.concatenate([actor_idx, np.full(len(orphans), data.n_actors - 1)])
        counts[orphans] = 1
    offsets = np.zeros(data.n_events + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    data.pair_actor = _event_major(event_idx, actor_idx, offsets, data.n_actors).astype(
        np.uint16 if data.n_actors <= 65535 else np.int32)
    data.pair_offsets = offsets.astype(np.int32) if offsets[-1] <= INT32.max else offsets


def _narrow_index(index: np.ndarray, n: int) -> np.ndarray:
    """Indices below ``n`` as int32 when they fit (half the memory of int64)."""
    return index.astype(np.int32, copy=False) if n <= INT32.max else index


SMALL_GROUP = 8  # events of up to this many rows are checked for an actor twice by comparing rows, bigger ones by a sort


def _once_in_recorded_order(event_idx: np.ndarray, actor_idx: np.ndarray, n_events: int, n_actors: int):
    """The pairs grouped by event, each event's participants in the order they
    were recorded (the rows' order) and each actor once per event: one actor
    in two roles has one place in its lane and is one participant of the
    co-occurrence rule (``queries.MAX_GROUP``), as the exports count it."""
    n = len(event_idx)
    if n < 2:
        return event_idx, actor_idx
    step = event_idx[1:] != event_idx[:-1]
    if (event_idx[1:] < event_idx[:-1]).any():
        starts = np.flatnonzero(np.r_[True, step])
        if len(starts) != int(np.count_nonzero(np.bincount(event_idx, minlength=n_events))):
            # some event's rows are apart (participants added at another time): a
            # stable sort by event keeps each event's rows in their recorded order
            order = np.argsort(event_idx, kind="stable")
            event_idx, actor_idx = event_idx[order], actor_idx[order]
            step = event_idx[1:] != event_idx[:-1]
    # an actor's second role usually follows its first (GDELT's Actor1 = Actor2)
    keep = np.r_[True, step | (actor_idx[1:] != actor_idx[:-1])]
    # further apart only in events of three or more rows
    starts = np.flatnonzero(np.r_[True, step])
    sizes = np.diff(np.r_[starts, n])
    if sizes.max() >= 3:
        # the rows of each size of group, by one byte a row (not the size of each row's group)
        small = np.flatnonzero(np.repeat((sizes >= 3) & (sizes <= SMALL_GROUP), sizes))
        e, a = event_idx[small], actor_idx[small]
        for d in range(2, min(int(sizes.max()), SMALL_GROUP, len(small))):  # each row against the rows d before it
            again = (e[d:] == e[:-d]) & (a[d:] == a[:-d])
            keep[small[d:][again]] = False
        del e, a
        big = np.flatnonzero(np.repeat(sizes > SMALL_GROUP, sizes))
        if len(big):
            key = event_idx[big].astype(np.int64) * max(n_actors, 1) + actor_idx[big]
            order = np.argsort(key, kind="stable")  # stable: an actor's first row comes first
            again = np.r_[False, key[order][1:] == key[order][:-1]]
            keep[big[order[again]]] = False
    if keep.all():
        return event_idx, actor_idx
    return event_idx[keep], actor_idx[keep]


def _event_major(event_idx: np.ndarray, actor_idx: np.ndarray, offsets: np.ndarray, n_actors: int) -> np.ndarray:
    """The actors in event order. Rows usually come grouped by event (each
    event's participants are written together), so each group is placed at
    its event's offset directly; otherwise a sort does it."""
    n = len(event_idx)
    if n and not (event_idx[1:] < event_idx[:-1]).any():
        return actor_idx  # the usual file: the rows come in event order already
    if n and len(offsets) > 1:
        starts = np.flatnonzero(np.r_[True, event_idx[1:] != event_idx[:-1]])
        if len(starts) == int(np.count_nonzero(np.diff(offsets))):  # one group per event
            # row j of a group starting at row s goes to its event's offset + (j - s):
            # j plus each group's shift, in int32 below 2**31 pairs (a third of the memory)
            index = np.int32 if n <= INT32.max else np.int64
            shift = (offsets[event_idx[starts]] - starts).astype(index)
            sizes = np.diff(np.r_[starts, n])
            del starts
            dest = np.repeat(shift, sizes)
            del shift, sizes
            dest += np.arange(n, dtype=index)
            out = np.empty(n, dtype=actor_idx.dtype)
            out[dest] = actor_idx
            return out
    return actor_idx[np.argsort(event_idx, kind="stable")]  # each event's actors in recorded order


# ---------------------------------------------------------------- lanes

KIND_ORDER = {k: i for i, k in enumerate(("person", "government body", "organisation", "media", "group", "country"))}
assert set(KIND_ORDER) == set(ACTOR_KINDS)


def default_lane_order(data: TimelineData) -> list[int]:
    """Actors grouped by kind (people first, countries last), busiest first within a kind."""
    counts = timeline_summary.actor_events(data)
    first = timeline_summary.first_seen(data)

    def key(i):
        if data.actor_ids[i] == -1:
            return (99, 0, 0, "")
        return (KIND_ORDER.get(data.actor_kinds[i], 50), -int(counts[i]), int(first[i]), data.actor_names[i])

    return sorted(range(data.n_actors), key=key)
