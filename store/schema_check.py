"""Is this file's schema the one Threadline made? Compared, not guessed.

Every statement Threadline runs assumes its own tables: a column it does not
know can carry a default that allocates a gigabyte on each insert, a
generated column can compute one on each read, a CHECK constraint or an
expression index can run a slow expression on each write, a table WITHOUT
ROWID or a missing column breaks the reads. None of these is something
Threadline made, so each is refused with a message naming the table and
column, before anything is read or written.

The expected schema is not written out here: it is read from an in-memory
database built by the migrations themselves (``schema.apply_migrations``),
so it cannot drift from what Threadline creates. Tables of the file's own
that Threadline never reads (a Datasette user's notes) are allowed, unless
they refer to ours by a foreign key (a delete would then have to scan them).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache

from .schema import ARRAY_TRIGGERS, migrations

FTS_TABLES = ("events_fts", "actors_fts")


@dataclass
class TableShape:
    sql: str
    columns: dict[str, tuple]  # name -> (declared type, not null, default, pk position, hidden)
    without_rowid: bool
    indexes: dict[str, tuple] = field(default_factory=dict)  # name -> (unique, partial, key columns)
    foreign_keys: frozenset = frozenset()
    virtual: bool = False


def _normal_sql(sql: str | None) -> str:
    """SQL text without quoting style, case or spacing differences."""
    text = (sql or "").lower()
    text = re.sub(r"[\[\]`\"]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_literals(sql: str) -> str:
    """The SQL with its string literals and quoted names blanked, so a word
    inside a name or a default is not taken for a keyword."""
    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\[[^\]]*\]|`[^`]*`", " _ ", sql or "")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_shape(conn: sqlite3.Connection, name: str, sql: str) -> TableShape:
    virtual = _normal_sql(sql).startswith("create virtual table")
    columns = {}
    for _cid, col, ctype, notnull, dflt, pk, hidden in conn.execute(f"PRAGMA table_xinfo({_q(name)})"):
        columns[col] = ((ctype or "").upper(), int(notnull), _normal_sql(dflt) if dflt is not None else None, int(pk), int(hidden))
    without_rowid = bool(re.search(r"\bwithout\s+rowid\b", _strip_literals(sql), re.I))
    indexes = {}
    fks = frozenset()
    if not virtual:
        for _seq, iname, unique, origin, partial in conn.execute(f"PRAGMA index_list({_q(name)})"):
            keys = []
            for _seqno, cid, cname, _desc, _coll, key in conn.execute(f"PRAGMA index_xinfo({_q(iname)})"):
                if key:
                    keys.append(cname if cid >= 0 else ("<expression>" if cid == -2 else "<rowid>"))
            indexes[iname] = (int(unique), int(partial), tuple(keys), origin)
        fks = frozenset(
            (row[2], row[3], row[4]) for row in conn.execute(f"PRAGMA foreign_key_list({_q(name)})")
        )
    return TableShape(sql or "", columns, without_rowid, indexes, fks, virtual)


def _shapes(conn: sqlite3.Connection, names) -> dict[str, TableShape]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name: _table_shape(conn, name, sql) for name, sql in rows if name in names}


@lru_cache(maxsize=4)
def expected_shapes(stop_before: str | None = None) -> dict[str, TableShape]:
    """The schema the migrations make (up to, not including, ``stop_before``:
    a file from an older Threadline has only the earlier ones applied), read
    from a fresh in-memory database."""
    from .file_checks import utils_database

    db = utils_database(memory=True)
    migrations.apply(db, stop_before=stop_before)
    names = [r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    shapes = _shapes(db.conn, names)
    db.conn.close()
    return shapes


class SchemaProblem(Exception):
    """What is not Threadline's, in a few words naming table and column."""


def _compare(name: str, found: TableShape, want: TableShape) -> None:
    if want.virtual:
        if _normal_sql(found.sql) != _normal_sql(want.sql):
            raise SchemaProblem(f"'{name}' is not the full-text index Threadline makes")
        return
    if found.without_rowid != want.without_rowid:
        raise SchemaProblem(f"table '{name}' is {'a' if found.without_rowid else 'not a'} WITHOUT ROWID table")
    if _normal_sql(found.sql) == _normal_sql(want.sql) and found.indexes.keys() == want.indexes.keys():
        if all(found.indexes[i][:3] == want.indexes[i][:3] for i in want.indexes):
            return  # the very table Threadline makes
    for col, spec in found.columns.items():
        if spec[4] in (2, 3):
            raise SchemaProblem(f"column '{name}.{col}' is a generated column")
        if col not in want.columns:
            raise SchemaProblem(f"table '{name}' has a column '{col}' Threadline did not make")
    for col, spec in want.columns.items():
        if col not in found.columns:
            raise SchemaProblem(f"table '{name}' has no column '{col}'")
        have = found.columns[col]
        if have[0] != spec[0]:
            raise SchemaProblem(f"column '{name}.{col}' is declared {have[0] or 'without a type'}, not {spec[0]}")
        if have[2] != spec[2]:
            raise SchemaProblem(f"column '{name}.{col}' has a default Threadline did not set")
        if have[3] != spec[3]:
            raise SchemaProblem(f"column '{name}.{col}' is {'not ' if not have[3] else ''}part of the primary key, unlike Threadline's")
    if re.search(r"\bcheck\b", _strip_literals(found.sql), re.I):
        raise SchemaProblem(f"table '{name}' has a CHECK constraint")
    if re.search(r"\bcollate\b", _strip_literals(found.sql), re.I) and not re.search(r"\bcollate\b", _strip_literals(want.sql), re.I):
        raise SchemaProblem(f"table '{name}' has a COLLATE clause Threadline did not write")
    if found.foreign_keys != want.foreign_keys:
        raise SchemaProblem(f"table '{name}' has foreign keys Threadline did not make")
    for iname, (unique, partial, keys, origin) in found.indexes.items():
        if "<expression>" in keys:
            raise SchemaProblem(f"index '{iname}' on '{name}' is an expression index")
        if partial:
            raise SchemaProblem(f"index '{iname}' on '{name}' is a partial index")
        if origin == "c" and (iname not in want.indexes or want.indexes[iname][:3] != (unique, partial, keys)):
            raise SchemaProblem(f"table '{name}' has an index '{iname}' Threadline did not make")


def check_schema(conn: sqlite3.Connection) -> None:
    """Raise SchemaProblem unless every table Threadline reads or writes is
    exactly as Threadline's migrations, as far as the file records them
    applied, make it (``conn`` holds Threadline's tables)."""
    from .file_checks import utils_database

    rows = conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    kinds = dict(rows)
    for name in FTS_TABLES:
        if name not in kinds:
            raise SchemaProblem(f"no '{name}' full-text table")
    if "_sqlite_migrations" not in kinds:
        raise SchemaProblem("no '_sqlite_migrations' table recording how its schema was made")
    pending = migrations.pending(utils_database(conn))
    if pending and pending[0].name == first_migration():
        raise SchemaProblem("its '_sqlite_migrations' table does not record that Threadline made its tables")
    want = expected_shapes(pending[0].name if pending else None)
    found = _shapes(conn, want.keys())
    for name in want:
        if name not in found:
            if name.endswith(("_data", "_idx", "_docsize", "_config")) and name.rsplit("_", 1)[0] in FTS_TABLES:
                raise SchemaProblem(f"the full-text table '{name.rsplit('_', 1)[0]}' is missing its part '{name}'")
            raise SchemaProblem(f"no '{name}' table")
        _compare(name, found[name], want[name])
    ours = set(want)
    for name, kind in rows:
        if kind != "table" or name in ours:
            continue
        for row in conn.execute(f"PRAGMA foreign_key_list({_q(name)})"):
            if row[2] in ours:
                raise SchemaProblem(f"table '{name}' refers to '{row[2]}', which Threadline's deletes would have to scan")


def check_triggers(conn: sqlite3.Connection) -> None:
    """Raise SchemaProblem for a trigger Threadline did not make. The only
    triggers Threadline makes mark the timeline arrays kept in the file as
    stale (``schema.ARRAY_TRIGGERS``); one of their names with other SQL is
    foreign too (a trigger runs on every write, by any program)."""
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall():
        want = ARRAY_TRIGGERS.get(name)
        if want is None or _normal_sql(sql) != _normal_sql(want):
            raise SchemaProblem(f"it has a foreign trigger '{name}'")


def array_triggers_intact(conn: sqlite3.Connection) -> bool:
    """Whether every trigger that marks the stored timeline arrays stale is
    there, exactly as Threadline makes it (else the arrays are never used)."""
    found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    return all(_normal_sql(found.get(name)) == _normal_sql(sql) for name, sql in ARRAY_TRIGGERS.items())


@lru_cache(maxsize=1)
def first_migration() -> str:
    """The name of the migration that makes Threadline's tables."""
    from .file_checks import utils_database

    db = utils_database(memory=True)
    try:
        return migrations.pending(db)[0].name
    finally:
        db.conn.close()


__all__ = ["FTS_TABLES", "SchemaProblem", "array_triggers_intact", "check_schema", "check_triggers", "expected_shapes",
           "first_migration"]
