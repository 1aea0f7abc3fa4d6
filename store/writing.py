"""The one write path: every add, update, delete and import is one ``write``.

``with write(db, "add event") as db:`` is one transaction (``db.atomic()``,
under the write deadline of ``query_guard.guard_writes``). On its way to the
commit it does, in this one place, what every change needs:

* the full-text index (``search_index``) is brought in step with the rows
  the block said it changes (``changing``), and, for a bulk write, with
  every row that is not in the index yet;
* the data's generation is bumped (``cache.bump_generation``), so no cache
  of the old contents is ever taken for the new ones.

Both happen inside the transaction: they commit, or roll back, with the
change itself. A ``write`` inside another one (an import's reader adding an
event, an undoable command calling ``records.add_event``) joins it as a
savepoint: the index and the generation are settled once, by the outermost.

The index needs to know which rows change, and before their text changes:
FTS5 takes a row out of the index by the words it was indexed with. So a
writer calls ``changing(db, table, ids)`` *before* it updates or deletes
rows, and after it inserts them (an insert has no old words to take out).
A ``Story`` (store/story.py) adds the rules of an open file on top: it
refuses to write while the file is read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from . import search_index
from .cache import bump_generation


class _Write:
    """What one outermost write has touched so far."""

    def __init__(self, what: str):
        self.what = what
        self.touched: dict[str, set[int]] = {}
        self.bulk = False

    def settle(self, db: Database) -> None:
        """Re-index what was touched and is still there, then bump the generation."""
        for table, ids in self.touched.items():
            search_index.index_missing(db, table, sorted(ids))
        if self.bulk:
            search_index.index_unindexed(db)
        bump_generation(db)


# The write in progress on each connection (keyed by the connection's id:
# the entry lives only while its block runs, and the block holds the
# connection). Connections never cross threads, so neither do entries.
_active: dict[int, _Write] = {}


@contextmanager
def write(db: Database, what: str = "change", *, bulk: bool = False) -> Iterator[Database]:
    """One transaction that keeps the search index and the cache key right.

    ``what`` says what is written, for messages. ``bulk`` (an import) adds
    every row not yet in the full-text index to it before the commit, so an
    importer need not name the thousands of rows it inserted."""
    key = id(db.conn)
    outer = _active.get(key)
    if outer is not None:
        outer.bulk = outer.bulk or bulk
        with db.atomic():  # a savepoint: a failure here undoes only this part
            yield db
        return
    current = _active[key] = _Write(what)
    current.bulk = bulk
    try:
        with db.atomic():
            yield db
            current.settle(db)
    finally:
        del _active[key]


def changing(db: Database, table: str, ids: Iterable[int]) -> None:
    """Say that rows of ``table`` change in the write now running on ``db``:
    call before updating or deleting them (they leave the full-text index
    while their words are still the old ones), after inserting them. At the
    commit the rows that still exist are indexed again with their new words."""
    current = _active.get(id(db.conn))
    if current is None:
        raise RuntimeError(f"changing {table} outside a write: use store.writing.write")
    ids = [int(i) for i in ids]
    if table not in search_index.TEXT:
        return  # a table with no words in the index: the generation covers it
    search_index.unindex_rows(db, table, ids)
    current.touched.setdefault(table, set()).update(ids)


def in_write(db: Database) -> bool:
    """Whether a ``write`` is running on ``db``'s connection."""
    return id(db.conn) in _active
