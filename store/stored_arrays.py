"""The timeline's columns kept inside the database, for a first open anywhere.

The cache beside a file (``cache.py``) makes a second open fast on one
machine; a file mailed or copied elsewhere arrives without it, and reading
ten million events and twenty million participations back out of SQLite
takes about twenty seconds. So a writable Threadline also keeps the
columns ``load_timeline_data`` builds (``COLUMNS``: event ids, times,
styles, the participants in CSR form, the actor ids) in the file itself,
as BLOBs in ``timeline_arrays`` (parts of at most ``CHUNK`` bytes), with
``timeline_arrays_state`` saying what they are (``layout``) and whether
they still show the rows (``current``).

They are never used stale. Triggers on ``events``, ``event_actors`` and
``actors`` (``schema.ARRAY_TRIGGERS``) clear ``current`` at the first row
change that could alter the columns, whichever program makes it
(Threadline, the sqlite3 shell, Datasette, a script): the arrays are used
only while ``current`` is 1 and every trigger is there exactly as
Threadline makes it. They are written, and ``current`` set, in one write
transaction that first checks that no other connection has committed since
the rows they show were read (``PRAGMA data_version``, which a connection's
own commits leave alone).

A file can be hostile, so what is read is validated before use (``_valid``):
dtypes and lengths as Threadline writes them, the actor ids equal to the
``actors`` table's, events in (earliest, id) order with unique ids, pair
offsets starting at 0, rising by at least one per event and ending at the
pair count, every actor index in range and each actor once per event. Every
check is a numpy pass. Anything else (a missing part, a size the layout does
not declare, a wrong dtype) and the columns are read from the rows instead;
a bad stored form is never an error. Sizes are checked against the BLOBs'
lengths before anything is allocated.

Memory: each column is allocated once at its final size and filled part by
part, so an open from the stored form holds the columns plus one part.
"""

from __future__ import annotations

import json
import os
import sqlite3

import numpy as np

from .row_checks import FIRST_SECOND, LAST_SECOND
from .schema import ARRAYS_STATE_TABLE, ARRAYS_TABLE
from .schema_check import array_triggers_intact

FORMAT = 1  # bump when the columns or their meaning change
CHUNK = 8 * 2**20  # bytes per BLOB: well under the connection's 100 MB cap on a value
DISABLE_ENV = "THREADLINE_NO_STORED_ARRAYS"  # set to 1 to neither read nor write them
COLUMNS = ("actor_ids", "event_ids", "t0_rel", "dur", "style", "pair_offsets", "pair_actor")
# what the first frame needs besides them, each a pass over every pair when
# computed (a sort, a partition): the timeline's lane index (its keys; the
# bins are counted again from them) and the summaries (timeline_summary)
DERIVED = ("lane_offsets", "lane_keys", "summary_first_seen", "summary_story_span", "summary_overview")
# the dtypes each may have (as TimelineData narrows them), little-endian as written
DTYPES = {
    "actor_ids": ("<i8",), "event_ids": ("<i4", "<i8"), "t0_rel": ("<u4", "<i8"), "dur": ("<u4", "<i8"),
    "style": ("|u1",), "pair_offsets": ("<i4", "<i8"), "pair_actor": ("<u2", "<i4"),
    "lane_offsets": ("<i8",), "lane_keys": ("<u4",), "summary_first_seen": ("<i8",),
    "summary_story_span": ("<i8",), "summary_overview": ("<i8",),
}
STYLE_BITS = 0b1111  # certainty (2 bits), imprecise, has an end: see timeline_sql


def disabled() -> bool:
    return bool(os.environ.get(DISABLE_ENV))


def data_version(conn: sqlite3.Connection) -> int:
    """Changes when another connection commits to the file (never for this one's own)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]


# ---------------------------------------------------------------- writing


def write_stored(db, columns: dict[str, np.ndarray], frame: dict[str, int], version: int | None) -> bool:
    """Keep ``columns`` in the file and mark them current, in one write
    transaction, if no other connection has committed since ``db``'s
    connection showed ``version`` (``data_version``, taken before the rows
    ``columns`` show were read). False (nothing written) when one has, the
    triggers are not all there, or the write fails."""
    if version is None or disabled():
        return False
    layout = {"format": FORMAT, **{k: int(v) for k, v in frame.items()}, "arrays": {}}
    try:
        with db.atomic():
            conn = db.conn
            # the first read holds the file: no other commit can come in between
            if conn.execute(f"SELECT count(*) FROM {ARRAYS_STATE_TABLE} WHERE id = 1").fetchone()[0] != 1:
                return False
            if data_version(conn) != version or not array_triggers_intact(conn):
                return False
            conn.execute(f"DELETE FROM {ARRAYS_TABLE}")
            conn.executemany(f"INSERT INTO {ARRAYS_TABLE} (name, part, data) VALUES (?, ?, ?)",
                             _parts(columns, layout))
            conn.execute(f"UPDATE {ARRAYS_STATE_TABLE} SET current = 1, layout = ? WHERE id = 1", (json.dumps(layout),))
    except sqlite3.Error:
        return False  # a full disk, a lock held too long: the file keeps what it had
    return True


def _parts(columns: dict[str, np.ndarray], layout: dict):
    """(name, part, bytes) rows of every column, little-endian, in parts of
    ``CHUNK`` bytes; each column's dtype and length go into ``layout``."""
    for name in COLUMNS + DERIVED:
        arr = np.ascontiguousarray(columns[name])
        arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        layout["arrays"][name] = [arr.dtype.str, int(len(arr))]
        raw = memoryview(arr).cast("B")
        for part, start in enumerate(range(0, len(raw), CHUNK)):
            yield name, part, raw[start:start + CHUNK]


WRITING = 2  # ``current`` while a worker writes the columns part by part (``write_stored_in_steps``)


def write_stored_in_steps(conn: sqlite3.Connection, columns: dict[str, np.ndarray], frame: dict[str, int],
                          unchanged, between=None) -> bool:
    """Keep ``columns`` in the file as ``write_stored`` does, on a worker's
    own connection, in short transactions so that an edit on another
    connection never waits for more than one part.

    Every transaction first asks ``unchanged(conn)`` (the first one: the rows
    are still the ones ``columns`` show; later ones: nobody else has written
    since) and stops when it says no. The first sets ``current`` to
    ``WRITING``; any row
    change after that clears it (the triggers fire on any non-zero value),
    and the last transaction sets it to 1 only if it is still ``WRITING``.
    So the columns are never marked current over rows they do not show, and
    a reader never takes them while they are being written (it wants 1).
    ``between()`` is called before each part (it may raise to stop: the
    parts written so far are dropped). True if the columns are now current."""
    if disabled():
        return False
    layout = {"format": FORMAT, **{k: int(v) for k, v in frame.items()}, "arrays": {}}
    state = f"SELECT current FROM {ARRAYS_STATE_TABLE} WHERE id = 1"
    done = False
    try:
        with _immediate(conn):
            row = conn.execute(state).fetchone()
            if row is None or row[0] == 1 or not unchanged(conn) or not array_triggers_intact(conn):
                return False
            conn.execute(f"DELETE FROM {ARRAYS_TABLE}")
            conn.execute(f"UPDATE {ARRAYS_STATE_TABLE} SET current = {WRITING}, layout = NULL WHERE id = 1")
        for row in _parts(columns, layout):
            if between is not None:
                between()
            with _immediate(conn):
                if not unchanged(conn) or conn.execute(state).fetchone() != (WRITING,):
                    return False  # a row changed: these columns no longer show the file
                conn.execute(f"INSERT INTO {ARRAYS_TABLE} (name, part, data) VALUES (?, ?, ?)", row)
        with _immediate(conn):
            if not unchanged(conn) or conn.execute(state).fetchone() != (WRITING,) or not array_triggers_intact(conn):
                return False
            sizes = dict(conn.execute(f"SELECT name, sum(length(data)) FROM {ARRAYS_TABLE} GROUP BY name").fetchall())
            if any(sizes.get(n, 0) != length * np.dtype(dt).itemsize for n, (dt, length) in layout["arrays"].items()):
                return False
            conn.execute(f"UPDATE {ARRAYS_STATE_TABLE} SET current = 1, layout = ? WHERE id = 1",
                         (json.dumps(layout),))
        done = True
    except sqlite3.Error:
        return False  # a full disk, a lock held too long: the file keeps rows that are whole
    finally:
        if not done:
            _drop_unfinished(conn)
    return True


class _immediate:
    """One short write transaction on a plain connection: BEGIN IMMEDIATE
    (no other writer can commit in between), committed when the block is
    left (a ``return`` too), rolled back on an exception."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.conn.commit()
        else:
            self.conn.rollback()
        return False


def _drop_unfinished(conn: sqlite3.Connection) -> None:
    """Remove parts a stopped ``write_stored_in_steps`` left (they are never
    read: ``current`` is not 1), so the file does not keep their bytes."""
    try:
        if conn.in_transaction:
            conn.rollback()
        with _immediate(conn):
            if conn.execute(f"SELECT current FROM {ARRAYS_STATE_TABLE} WHERE id = 1").fetchone() != (1,):
                conn.execute(f"DELETE FROM {ARRAYS_TABLE}")
                conn.execute(f"UPDATE {ARRAYS_STATE_TABLE} SET current = 0, layout = NULL WHERE id = 1 AND current != 0")
    except sqlite3.Error:
        pass


# ---------------------------------------------------------------- reading


def read_stored(conn: sqlite3.Connection, sql_actor_ids: np.ndarray) -> tuple[dict[str, np.ndarray], dict] | None:
    """(columns, frame) kept in the file, when they are current and sound;
    else None. ``sql_actor_ids``: the ``actors`` table's ids in id order.
    ``frame``: t0_base, lane_base, lane_quantum; ``columns`` also holds
    ``actor_events`` (counted while checking)."""
    if disabled():
        return None
    try:
        row = conn.execute(f"SELECT current, layout FROM {ARRAYS_STATE_TABLE} WHERE id = 1").fetchone()
        if row is None or type(row[0]) is not int or row[0] != 1 or not isinstance(row[1], str):
            return None
        if not array_triggers_intact(conn):
            return None
        layout = _layout(row[1])
        if layout is None:
            return None
        arrays, frame = layout
        stored = dict(conn.execute(f"SELECT name, sum(length(data)) FROM {ARRAYS_TABLE} GROUP BY name").fetchall())
        for name, (dtype, length) in arrays.items():
            if stored.get(name) != length * dtype.itemsize:
                return None  # declared sizes are checked before anything is allocated
        columns = {}
        for name, (dtype, length) in arrays.items():
            columns[name] = _read_column(conn, name, dtype, length)
            if columns[name] is None:
                return None
    except (sqlite3.Error, MemoryError):
        return None
    if not _valid(columns, frame["t0_base"], sql_actor_ids):
        return None
    return columns, frame


def _layout(text: str) -> tuple[dict[str, tuple[np.dtype, int]], dict] | None:
    try:
        layout = json.loads(text)
        if not isinstance(layout, dict) or layout.get("format") != FORMAT:
            return None
        frame = {k: layout[k] for k in ("t0_base", "lane_base", "lane_quantum")}
        if any(type(v) is not int or abs(v) >= 2**62 for v in frame.values()):
            return None
        arrays = {}
        for name in COLUMNS + DERIVED:
            dtype, length = layout["arrays"][name]
            if dtype not in DTYPES[name] or type(length) is not int or not 0 <= length < 2**40:
                return None
            arrays[name] = (np.dtype(dtype), length)
    except (ValueError, KeyError, TypeError):
        return None
    return arrays, frame


def _read_column(conn: sqlite3.Connection, name: str, dtype: np.dtype, length: int) -> np.ndarray | None:
    """One column, its parts copied in order into an array of its final size."""
    out = np.empty(length, dtype=dtype)
    raw = memoryview(out).cast("B")
    filled, expected_part = 0, 0
    for part, data in conn.execute(f"SELECT part, data FROM {ARRAYS_TABLE} WHERE name = ? ORDER BY part", (name,)):
        if part != expected_part or not isinstance(data, bytes) or filled + len(data) > len(raw):
            return None
        raw[filled:filled + len(data)] = data
        filled += len(data)
        expected_part += 1
    if filled != len(raw):
        return None
    if not dtype.isnative:
        out = out.astype(dtype.newbyteorder("="))  # written little-endian, read on a big-endian machine
    return out


def _valid(c: dict[str, np.ndarray], t0_base: int, sql_actor_ids: np.ndarray) -> bool:
    """Whether the columns are what loading makes from some rows: the shapes,
    orders and ranges every reader of TimelineData and the lane index relies
    on. Adds ``actor_events`` (each actor's pairs) to ``c``."""
    actor_ids = c["actor_ids"]
    n_sql = len(sql_actor_ids)
    if not (len(actor_ids) in (n_sql, n_sql + 1) and np.array_equal(actor_ids[:n_sql], sql_actor_ids)):
        return False
    if len(actor_ids) == n_sql + 1 and actor_ids[-1] != -1:
        return False  # the one extra lane is the "(no actor)" one
    ids, t0, dur, style = c["event_ids"], c["t0_rel"], c["dur"], c["style"]
    offsets, pair_actor = c["pair_offsets"], c["pair_actor"]
    n, m, n_actors = len(ids), len(pair_actor), len(actor_ids)
    if not (len(t0) == len(dur) == len(style) == n and len(offsets) == n + 1):
        return False
    if offsets[0] != 0 or offsets[-1] != m or (n and np.diff(offsets).min() < 1):
        return False  # every event has a lane: its actors or the "(no actor)" one
    if m and (int(pair_actor.max()) >= n_actors or (pair_actor.dtype.kind == "i" and int(pair_actor.min()) < 0)):
        return False
    counts = np.bincount(pair_actor, minlength=n_actors).astype(np.int64)
    if n_actors == n_sql + 1 and not counts[-1]:
        return False  # a "(no actor)" lane with no event in it is not what loading makes
    if not (_valid_lanes(c, counts) and _valid_summaries(c, n_actors)):
        return False
    c["actor_events"] = counts
    if not n:
        return True
    if int(style.max()) > STYLE_BITS:
        return False
    # within years 1 to 9999 (as loading requires), so no time arithmetic can overflow
    if t0[0] != 0 or not (FIRST_SECOND <= t0_base and t0_base + int(t0[-1]) <= LAST_SECOND):
        return False
    if dur.dtype.kind == "i" and not 0 <= int(dur.min()) <= int(dur.max()) <= LAST_SECOND - FIRST_SECOND:
        return False
    # sorted by (earliest, id), ids unique
    ids_up = ids[1:] > ids[:-1]
    if not np.all((t0[1:] > t0[:-1]) | ((t0[1:] == t0[:-1]) & ids_up)):
        return False  # (earlier starts are a fall, caught here too)
    if not ids_up.all():
        ordered = np.sort(ids)
        if np.any(ordered[1:] == ordered[:-1]):
            return False
        del ordered
    del ids_up
    return _once_per_event(offsets, pair_actor)


MAX_SHIFT = 8  # events of up to this many pairs are checked by shifted compares; bigger ones by a sort


def _once_per_event(offsets: np.ndarray, pair_actor: np.ndarray) -> bool:
    """Whether no event names an actor twice. Pair k and pair k + d belong to
    one event when no event starts in (k, k + d]: compared for each d up to
    the size of most events with one byte a pair, the rest sorted."""
    m = len(pair_actor)
    starts = np.zeros(m + 1, dtype=bool)
    starts[offsets[:-1]] = True
    sizes = np.diff(offsets)
    biggest = int(sizes.max()) if len(sizes) else 0
    together = np.ones(max(m - 1, 0), dtype=bool)  # pair k and k + d in one event
    for d in range(1, min(biggest, MAX_SHIFT)):
        together[: m - d] &= ~starts[d:m]
        if np.any(together[: m - d] & (pair_actor[d:] == pair_actor[: m - d])):
            return False
    big = np.flatnonzero(sizes > MAX_SHIFT)
    for e in big.tolist():  # rare: an event of more than MAX_SHIFT actors
        actors = np.sort(pair_actor[offsets[e]:offsets[e + 1]])
        if np.any(actors[1:] == actors[:-1]):
            return False
    return True


def _valid_lanes(c: dict[str, np.ndarray], counts: np.ndarray) -> bool:
    """The lane index's keys: grouped by actor in the counts the pairs
    have, sorted within each lane (what its binary searches assume)."""
    offsets, keys = c["lane_offsets"], c["lane_keys"]
    if len(offsets) != len(counts) + 1 or offsets[0] != 0 or not np.array_equal(np.diff(offsets), counts):
        return False
    if len(keys) != int(offsets[-1]):
        return False
    rising = keys[1:] >= keys[:-1]
    rising[offsets[1:-1][(offsets[1:-1] > 0) & (offsets[1:-1] < len(keys))] - 1] = True  # a lane's first key may fall
    return bool(rising.all())


def _valid_summaries(c: dict[str, np.ndarray], n_actors: int) -> bool:
    from .timeline_summary import OVERVIEW_BINS

    return (len(c["summary_first_seen"]) == n_actors and len(c["summary_story_span"]) == 2
            and len(c["summary_overview"]) == OVERVIEW_BINS)
