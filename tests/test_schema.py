"""The file format: table and column names other tools rely on, and safe opening."""

import sqlite3

import pytest

from store.database import StoreError, open_database
from store.schema import SCHEMA_VERSION


def test_contract_tables_and_columns(sample):
    tables = set(sample.table_names())
    assert {"actors", "events", "event_actors", "relationships", "relationship_events", "sources", "event_sources"} <= tables
    assert {"events_fts", "actors_fts"} <= tables
    fks = {(fk.table, fk.column, fk.other_table) for t in ("event_actors", "event_sources") for fk in sample[t].foreign_keys}
    assert ("event_actors", "event_id", "events") in fks
    assert ("event_actors", "actor_id", "actors") in fks
    assert ("event_sources", "source_id", "sources") in fks
    assert "url" in sample["sources"].columns_dict
    assert {"earliest", "latest", "precision", "certainty", "start", "end"} <= set(sample["events"].columns_dict)
    indexed = {tuple(i.columns) for i in sample["events"].indexes}
    assert ("earliest",) in indexed and ("latest",) in indexed
    assert sample.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_new_file_is_created_and_migrated(tmp_path):
    db = open_database(tmp_path / "new.db", create=True)
    assert "events" in db.table_names()
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] >= 1


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such file"):
        open_database(tmp_path / "nope.db")


def test_not_sqlite_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_database(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(sample_db):
    conn = sqlite3.connect(sample_db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = sample_db.read_bytes()
    with pytest.raises(StoreError, match="newer Threadline"):
        open_database(sample_db)
    assert sample_db.read_bytes() == before


def test_foreign_schema_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stuff (x)")
    conn.execute("CREATE VIEW events AS SELECT 1 AS id")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a Threadline database"):
        open_database(path)
    assert path.read_bytes() == before


def test_foreign_trigger_is_refused(sample_db):
    conn = sqlite3.connect(sample_db)
    conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON events BEGIN DELETE FROM actors; END")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="foreign trigger"):
        open_database(sample_db)


def test_read_only_open_writes_nothing(sample_db):
    before = sample_db.read_bytes()
    db = open_database(sample_db, readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        db.execute("DELETE FROM events")
    db.conn.close()
    assert sample_db.read_bytes() == before


def test_attach_is_refused(sample, tmp_path):
    with pytest.raises(sqlite3.DatabaseError):
        sample.execute(f"ATTACH DATABASE '{tmp_path / 'x.db'}' AS x")
