"""Reading the event and participation columns out of SQLite, fast.

Python's sqlite3 makes a tuple and an int object per value, which caps a
plain ``fetchall`` near two million rows a second. Here SQLite itself joins
each column of a block of rows into one text (``group_concat``) and numpy
parses it (``np.fromstring``): no Python object per row, and SQLite runs
without holding the GIL, so the events and their participants are read on
two connections in two threads at once.

Blocks are ``rowid`` ranges of at most ``BLOCK`` rows (a few MB of text), so
memory stays bounded and progress can be reported. Anything unexpected in a
foreign file (a NULL, a REAL, text in an integer column) makes the columns
disagree in length or fail to parse; then the strict row-by-row reader is
used instead, which raises on bad values as it always did.
"""

from __future__ import annotations

import sqlite3
import threading
import warnings
from pathlib import Path

import numpy as np

from .file_checks import connect as locked_down
from .schema import CERTAINTIES

BLOCK = 250_000  # rowids per group_concat

# style bits of each event (see timeline_data.py)
CERTAINTY_MASK = 0b011
IMPRECISE = 0b100
HAS_END = 0b1000

_CERTAINTY_CASE = " ".join(f"WHEN '{c}' THEN {i}" for i, c in enumerate(CERTAINTIES))
STYLE_SQL = (
    f"((CASE certainty {_CERTAINTY_CASE} ELSE 0 END)"
    f" | (CASE WHEN approximate OR precision IN ('year', 'month') OR (\"end\" IS NOT NULL AND end_precision IN ('year', 'month')) THEN {IMPRECISE} ELSE 0 END)"
    f" | (CASE WHEN \"end\" IS NOT NULL THEN {HAS_END} ELSE 0 END))"
)
EVENT_COLUMNS = ("rowid", "earliest", "latest", STYLE_SQL)  # an event's id is its rowid (INTEGER PRIMARY KEY)
PAIR_COLUMNS = ("event_id", "actor_id")


class FastPathFailed(Exception):
    """The file holds something the text fast path cannot read exactly."""


def _parse(text: str | None) -> np.ndarray:
    if text is None:
        return np.zeros(0, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warns (and truncates) on unparsable text
        try:
            return np.fromstring(text, dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning) as exc:
            raise FastPathFailed(str(exc)) from None


MAX_RANGE_BLOCKS = 1000  # rowid ranges cut by arithmetic; wider id spans are walked row by row


def _blocks(conn: sqlite3.Connection, table: str) -> list[tuple[int, int]]:
    """Rowid ranges of at most ``BLOCK`` rows each. Usual files (ids from 1,
    few gaps) are cut by arithmetic; when the ids span more than
    ``MAX_RANGE_BLOCKS`` blocks (one event with id 2**63-1, a negative id,
    a huge participant rowid) the ranges are found by walking the rowid
    index, so their number follows the rows, never the span of the ids."""
    lo, hi = conn.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
    if lo is None:
        return []
    if (hi - lo) // BLOCK < MAX_RANGE_BLOCKS:
        return [(start, min(start + BLOCK - 1, hi)) for start in range(lo, hi + 1, BLOCK)]
    blocks: list[tuple[int, int]] = []
    start = lo
    while start is not None:
        end = conn.execute(
            f"SELECT rowid FROM {table} WHERE rowid >= ? ORDER BY rowid LIMIT 1 OFFSET ?", (start, BLOCK - 1)
        ).fetchone()
        if end is None:
            blocks.append((start, hi))
            break
        blocks.append((start, end[0]))
        (start,) = conn.execute(f"SELECT min(rowid) FROM {table} WHERE rowid > ?", (end[0],)).fetchone()
    return blocks


def _read_block(conn, table: str, columns, block) -> list[np.ndarray]:
    """The columns of the rows with rowid in ``block``. A first column "rowid"
    is not read when the block has no gaps: it is then just the range
    (events' ids are their rowids, and usually have no gaps)."""
    skip_rowid = columns[0] == "rowid"
    read = columns[1:] if skip_rowid else columns
    aggregates = ", ".join(f"group_concat({c})" for c in read)
    row = conn.execute(f"SELECT {aggregates} FROM {table} WHERE rowid BETWEEN ? AND ?", block).fetchone()
    parts = [_parse(text) for text in row]
    del row
    if len({len(p) for p in parts}) > 1:
        raise FastPathFailed(f"{table}: a column has NULLs")
    if skip_rowid:
        lo, hi = block
        if len(parts[0]) == hi - lo + 1:
            rowids = np.arange(lo, hi + 1, dtype=np.int64)
        else:
            (text,) = conn.execute(f"SELECT group_concat(rowid) FROM {table} WHERE rowid BETWEEN ? AND ?", block).fetchone()
            rowids = _parse(text)
        parts.insert(0, rowids)
    return parts


def _id_is_rowid(conn, table: str) -> bool:
    """Whether ``id`` is the table's INTEGER PRIMARY KEY (then it is the rowid)."""
    columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
    keys = [c for c in columns if c[5]]
    return len(keys) == 1 and keys[0][1] == "id" and str(keys[0][2]).upper() == "INTEGER"


INT32 = np.iinfo(np.int32)


def _fits_int32(conn, table: str, column: str) -> bool:
    """Whether every value of ``column`` is an integer that fits int32 (both
    pair columns have an index in Threadline's files: two index lookups).
    A NULL, a REAL or text is caught when the blocks are parsed."""
    # one aggregate a query: SQLite answers a lone min() or max() from the
    # index, both in one query by a scan of every row
    (lo,) = conn.execute(f"SELECT min({column}) FROM {table}").fetchone()
    (hi,) = conn.execute(f"SELECT max({column}) FROM {table}").fetchone()
    return lo is None or all(type(v) is int and INT32.min <= v <= INT32.max for v in (lo, hi))


class _Table:
    """One table's columns, filled block by block (by either reader) into
    arrays of their final size: block ``i`` goes at its own offset (the
    sum of the row counts before it at most), and the blocks are moved
    together at the end only if some held fewer rows than their range."""

    def __init__(self, conn, table: str, columns, dtypes):
        if columns[0] == "rowid" and not _id_is_rowid(conn, table):
            columns = ("id", *columns[1:])  # a foreign file whose ids are not its rowids
        self.table, self.columns = table, columns
        self.blocks = _blocks(conn, table)
        sizes = [min(hi - lo + 1, BLOCK) for lo, hi in self.blocks]  # a block holds at most BLOCK rows
        self.starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).tolist()
        self.out = [np.empty(self.starts[-1], dtype=dt) for dt in dtypes]
        self.rows = [0] * len(self.blocks)

    def fill(self, conn, i: int) -> None:
        parts = _read_block(conn, self.table, self.columns, self.blocks[i])
        k, start = len(parts[0]), self.starts[i]
        if k > self.starts[i + 1] - start:
            raise FastPathFailed(f"{self.table}: more rows in a block than its rowids")
        for column, part in zip(self.out, parts):
            if column.dtype.kind in "iu" and column.dtype.itemsize < 8 and k and (
                    part.min() < np.iinfo(column.dtype).min or part.max() > np.iinfo(column.dtype).max):
                raise FastPathFailed(f"{self.table}: a value out of range")  # (the strict reader says which)
            column[start:start + k] = part
        self.rows[i] = k

    def result(self) -> list[np.ndarray]:
        n = 0
        for i, k in enumerate(self.rows):
            if self.starts[i] != n:  # a block with gaps before this one: move it down
                for column in self.out:
                    column[n:n + k] = column[self.starts[i]:self.starts[i] + k]
            n += k
        # a column much longer than its rows (ids with wide gaps) is cut to size
        return [c[:n] if n >= 0.9 * len(c) else c[:n].copy() for c in self.out]


class _Reader(threading.Thread):
    """Reads blocks from the shared list until none is left (each reader on
    its own connection, both seeing the same snapshot): the two threads
    share the work whatever the sizes of the two tables."""

    def __init__(self, conn, work, lock):
        super().__init__(daemon=True)
        self.conn, self.work, self.lock = conn, work, lock
        self.done = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.work:
                        return
                    table, i = self.work.pop()
                table.fill(self.conn, i)
                self.done += 1
        except BaseException as exc:  # re-raised in the calling thread
            self.error = exc
            with self.lock:
                self.work.clear()  # the other reader stops too


def _worker_connection(db_file: Path):
    """A separate read-only connection, locked down like the main one."""
    return locked_down(Path(db_file), readonly=True)


def read_event_columns(db, db_file: Path | None, progress=None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """([id, earliest, latest, style], [event_id, actor_id]) in rowid order:
    int64, but style uint8 and the pair columns int32 when every value fits.

    With a file and no open transaction on ``db`` the blocks of both tables
    are read by two threads on read-only connections of their own;
    otherwise (in-memory databases, uncommitted writes that only ``db``
    can see) on ``db`` itself, in this thread.
    """
    parallel = db_file is not None and not db.conn.in_transaction
    if not parallel:
        return _read_event_columns(db, [], progress)
    # The readers hold no lock across the read: a snapshot held for all of it
    # (seconds at ten million events) kept the window's own edits waiting, and
    # one landing between the two readers' first reads locked both out. A
    # commit by anyone during the read is seen afterwards (data_version), and
    # the read is done again.
    # the last try holds one snapshot throughout, on one connection (two holding theirs
    # could each wait for the other behind a writer's pending lock)
    for attempt in range(READ_TRIES):
        hold = attempt == READ_TRIES - 1
        conns = [_worker_connection(db_file) for _ in range(1 if hold else 2)]
        try:
            if hold:
                conns[0].execute("BEGIN")
                conns[0].execute("SELECT count(*) FROM sqlite_master").fetchone()
            before = conns[0].execute("PRAGMA data_version").fetchone()[0]
            result = _read_event_columns(db, conns, progress)
            if hold or conns[0].execute("PRAGMA data_version").fetchone()[0] == before:
                return result
        finally:
            for conn in conns:
                conn.close()
    raise AssertionError("unreachable: the last try returns")


READ_TRIES = 3


def _read_event_columns(db, conns: list, progress) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """One read of both tables: by two threads on ``conns``, or on ``db``'s own connection when none."""
    parallel = bool(conns)
    first = conns[0] if parallel else db.conn
    pair_type = np.int32 if all(_fits_int32(first, "event_actors", c) for c in PAIR_COLUMNS) else np.int64
    events = _Table(first, "events", EVENT_COLUMNS, (np.int64, np.int64, np.int64, np.uint8))
    pairs = _Table(first, "event_actors", PAIR_COLUMNS, (pair_type, pair_type))
    # popped from the end: the events first (their columns are done first
    # and given back first), each table in rowid order
    work = [(pairs, i) for i in reversed(range(len(pairs.blocks)))]
    work += [(events, i) for i in reversed(range(len(events.blocks)))]
    total = len(work) or 1
    lock = threading.Lock()
    readers = [_Reader(conn, work, lock) for conn in (conns if parallel else [db.conn])]
    if parallel:
        for r in readers:
            r.start()
        while any(r.is_alive() for r in readers):
            for r in readers:
                r.join(timeout=0.05)
            if progress is not None:
                progress(sum(r.done for r in readers) / total)
    else:
        readers[0].run()  # in this thread: the connection may hold uncommitted writes
    for r in readers:
        if r.error is not None:
            raise r.error
    return events.result(), pairs.result()


def read_columns_strict(db, sql: str, n: int) -> list[np.ndarray]:
    """Row by row (slow, exact): raises on values that are not integers."""
    rows = np.fromiter((tuple(r) for r in db.conn.execute(sql)), dtype=np.dtype([(f"c{i}", np.int64) for i in range(n)]))
    return [rows[f"c{i}"].copy() for i in range(n)]


def read_event_columns_strict(db) -> tuple[list[np.ndarray], list[np.ndarray]]:
    events = read_columns_strict(db, f"SELECT id, {', '.join(EVENT_COLUMNS[1:])} FROM events", 4)
    pairs = read_columns_strict(db, "SELECT event_id, actor_id FROM event_actors ORDER BY rowid", 2)  # the recorded order
    return events, pairs
