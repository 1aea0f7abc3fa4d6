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


class _Reader(threading.Thread):
    """Reads one table's columns block by block, counting blocks done."""

    def __init__(self, connect, table: str, columns):
        super().__init__(daemon=True)
        self.connect, self.table, self.columns = connect, table, columns
        self.blocks: list[tuple[int, int]] = []
        self.done = 0
        self.result: list[np.ndarray] | None = None
        self.error: BaseException | None = None
        self.ready = threading.Event()  # set once the block list is known

    def run(self) -> None:
        try:
            conn, own = self.connect()
            try:
                if own:
                    conn.execute("BEGIN")  # one snapshot for every block, whatever others write meanwhile
                self.result = self._read(conn)
            finally:
                if own:
                    conn.close()
        except BaseException as exc:  # re-raised in the calling thread
            self.error = exc
        finally:
            self.ready.set()

    def _read(self, conn) -> list[np.ndarray]:
        if self.columns[0] == "rowid" and not _id_is_rowid(conn, self.table):
            self.columns = ("id", *self.columns[1:])  # a foreign file whose ids are not its rowids
        self.blocks = _blocks(conn, self.table)
        self.ready.set()
        # each block is copied into columns of their final size as it is read:
        # a list of blocks joined at the end held every column twice at its peak
        capacity = sum(min(hi - lo + 1, BLOCK) for lo, hi in self.blocks)  # a block holds at most BLOCK rows
        out = [np.empty(capacity, dtype=np.int64) for _ in self.columns]
        n = 0
        for block in self.blocks:
            parts = _read_block(conn, self.table, self.columns, block)
            k = len(parts[0])
            if n + k > capacity:
                raise FastPathFailed(f"{self.table}: more rows in a block than its rowids")
            for column, part in zip(out, parts):
                column[n:n + k] = part
            n += k
            self.done += 1
        # a column much longer than its rows (ids with wide gaps) is cut to size
        return [c[:n] if n >= 0.9 * capacity else c[:n].copy() for c in out]


def _worker_connection(db_file: Path):
    """A separate read-only connection, locked down like the main one."""
    return lambda: (locked_down(Path(db_file), readonly=True), True)


def read_event_columns(db, db_file: Path | None, progress=None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """([id, earliest, latest, style], [event_id, actor_id]) as int64 arrays, in rowid order.

    With a file and no open transaction on ``db`` both tables are read in
    parallel on their own read-only connections; otherwise (in-memory
    databases, uncommitted writes that only ``db`` can see) on ``db`` itself.
    """
    parallel = db_file is not None and not db.conn.in_transaction
    if parallel:
        readers = [_Reader(_worker_connection(db_file), "events", EVENT_COLUMNS),
                   _Reader(_worker_connection(db_file), "event_actors", PAIR_COLUMNS)]
    else:
        shared = lambda: (db.conn, False)  # noqa: E731
        readers = [_Reader(shared, "events", EVENT_COLUMNS), _Reader(shared, "event_actors", PAIR_COLUMNS)]
    if parallel:
        for r in readers:
            r.start()
        _wait(readers, progress)
    else:
        for r in readers:
            r.run()  # in this thread: the connection may hold uncommitted writes
    for r in readers:
        if r.error is not None:
            raise r.error
    return readers[0].result, readers[1].result


def _wait(readers: list[_Reader], progress) -> None:
    """Join the readers, reporting the share of blocks read from this thread."""
    while any(r.is_alive() for r in readers):
        for r in readers:
            r.join(timeout=0.05)
        if progress is not None and all(r.ready.is_set() for r in readers):
            total = sum(len(r.blocks) for r in readers) or 1
            progress(sum(r.done for r in readers) / total)


def read_columns_strict(db, sql: str, n: int) -> list[np.ndarray]:
    """Row by row (slow, exact): raises on values that are not integers."""
    rows = np.fromiter((tuple(r) for r in db.conn.execute(sql)), dtype=np.dtype([(f"c{i}", np.int64) for i in range(n)]))
    return [rows[f"c{i}"].copy() for i in range(n)]


def read_event_columns_strict(db) -> tuple[list[np.ndarray], list[np.ndarray]]:
    events = read_columns_strict(db, f"SELECT id, {', '.join(EVENT_COLUMNS[1:])} FROM events", 4)
    pairs = read_columns_strict(db, "SELECT event_id, actor_id FROM event_actors ORDER BY rowid", 2)  # the recorded order
    return events, pairs
