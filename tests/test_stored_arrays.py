"""The timeline's columns kept inside the file (store/stored_arrays.py): read
back they equal a read of the rows exactly, they are never used once any
program has changed the rows, and a damaged or forged stored form is
ignored (the file opens from its rows), never an error."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from store import stored_arrays
from store.database import StoreError, close_database, open_database
from store.schema import ARRAY_TRIGGERS, SCHEMA_VERSION
from store.timeline_data import load_timeline_data
from tests.conftest import open_main_window
from tests.fixtures.dbstate import dump

COLUMNS = ("actor_ids", "event_ids", "t0_rel", "dur", "style", "pair_offsets", "pair_actor")
LANES = ("offsets", "keys", "bin_width", "n_bins", "cum_offsets", "cum")
SUMMARIES = ("actor_events", "first_seen", "story_span", "overview")


def load(path, monkeypatch, rows: bool = False):
    """The arrays as an open without a cache makes them: from the stored
    columns when they are current, or (``rows``) from the rows alone."""
    with monkeypatch.context() as m:
        if rows:
            m.setenv(stored_arrays.DISABLE_ENV, "1")
        db = open_database(path, readonly=True)
        try:
            return load_timeline_data(db, use_cache=False)
        finally:
            close_database(db)


def store(path) -> None:
    """Keep the columns in the file, as ``bench/probes.py store_arrays`` does."""
    db = open_database(path)
    try:
        data = load_timeline_data(db, use_cache=False, store_arrays=True)
        assert data.derived["loaded_from"] == "database"
    finally:
        close_database(db)
    assert state(path)[0] == 1


def state(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT current, layout FROM timeline_arrays_state").fetchone()
    finally:
        conn.close()


def assert_same(a, b) -> None:
    """Every array, dtype, name, lane index part and summary equal."""
    for name in COLUMNS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert (a.actor_names, a.actor_kinds, a.actor_colours, a.t0_base) == (b.actor_names, b.actor_kinds, b.actor_colours, b.t0_base)
    la, lb = a.derived["lane_index"], b.derived["lane_index"]
    assert (la.base, la.quantum) == (lb.base, lb.quantum)
    for name in LANES:
        x, y = getattr(la, name), getattr(lb, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    for name in SUMMARIES:
        assert np.array_equal(a.derived[name], b.derived[name]), name


def sql(path, *statements) -> None:
    """Writes by another program: the sqlite3 module, nothing of Threadline's."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_columns_read_back_from_the_file_equal_a_read_of_its_rows(sample_db, monkeypatch):
    # an event with no actor (its own lane), dated before the rest: ids not in time order
    sql(sample_db, "INSERT INTO events (title, start, earliest, latest, precision, certainty) "
                   "VALUES ('alone', '2001', 978307200, 1009843199, 'year', 'claimed')")
    assert state(sample_db) == (0, None)  # a new file has none yet
    assert load(sample_db, monkeypatch).derived["loaded_from"] == "database"
    store(sample_db)
    stored, rows = load(sample_db, monkeypatch), load(sample_db, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored" and rows.derived["loaded_from"] == "database"
    assert rows.n_events > 20 and rows.actor_ids[-1] == -1 and not np.all(np.diff(rows.event_ids) > 0)
    assert_same(stored, rows)


def test_opening_alone_never_writes_them_and_edits_in_the_window_leave_them_current(qtbot, sample_db, tmp_path, monkeypatch):
    win = open_main_window(qtbot, sample_db, tmp_path)
    win.close()  # opened and looked at: the file is not written
    assert state(sample_db) == (0, None)
    win = open_main_window(qtbot, sample_db, tmp_path)
    data = win.session.data
    first, middle = int(data.event_ids[0]), int(data.event_ids[data.n_events // 2])
    assert win.editor.move_event(first, "2025-05-03", None)
    assert win.editor.move_event(middle, "1999", None)
    assert win.editor.delete_events([int(data.event_ids[-1])])
    win.undo_action.trigger()  # the delete undone
    qtbot.waitUntil(lambda: not win.session.reloader.running and not win.session.patching)
    shown = win.session.data
    win.close()  # a session that wrote keeps the arrays it shows in the file
    assert state(sample_db)[0] == 1
    stored, rows = load(sample_db, monkeypatch), load(sample_db, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored"
    assert_same(stored, rows)
    for name in COLUMNS:
        assert np.array_equal(getattr(shown, name), getattr(rows, name)), name


@pytest.mark.parametrize("statement", [
    "UPDATE events SET earliest = earliest - 86400 WHERE id = (SELECT min(id) FROM events)",
    "UPDATE events SET certainty = 'contested' WHERE id = (SELECT max(id) FROM events)",
    "INSERT INTO events (title, start, earliest, latest, precision, certainty) VALUES ('new', '2020', 1577836800, 1609459199, 'year', 'confirmed')",
    "DELETE FROM event_actors WHERE rowid = (SELECT min(rowid) FROM event_actors)",
    "UPDATE event_actors SET actor_id = (SELECT max(id) FROM actors) WHERE rowid = (SELECT max(rowid) FROM event_actors)",
    "INSERT INTO actors (name, kind) VALUES ('Someone new', 'person')",
])
def test_a_write_by_another_program_makes_them_stale(sample_db, monkeypatch, statement):
    store(sample_db)
    sql(sample_db, statement)
    assert state(sample_db)[0] == 0
    data = load(sample_db, monkeypatch)
    assert data.derived["loaded_from"] == "database"
    assert_same(data, load(sample_db, monkeypatch, rows=True))


def test_a_write_that_cannot_change_them_keeps_them(sample_db, monkeypatch):
    store(sample_db)
    sql(sample_db, "UPDATE events SET title = 'Renamed' WHERE id = (SELECT min(id) FROM events)",
        "UPDATE actors SET notes = 'noted'")
    data = load(sample_db, monkeypatch)
    assert data.derived["loaded_from"] == "stored"
    assert_same(data, load(sample_db, monkeypatch, rows=True))


def _blob(path, name, change):
    """Rewrite the first part of column ``name`` through ``change(bytes)``,
    as a hostile program can (the parts table has no triggers)."""
    conn = sqlite3.connect(path)
    (data,) = conn.execute("SELECT data FROM timeline_arrays WHERE name = ? AND part = 0", (name,)).fetchone()
    conn.execute("UPDATE timeline_arrays SET data = ? WHERE name = ? AND part = 0", (change(data), name))
    conn.commit()
    conn.close()


def _layout(path, change):
    conn = sqlite3.connect(path)
    (text,) = conn.execute("SELECT layout FROM timeline_arrays_state").fetchone()
    layout = json.loads(text)
    change(layout)
    conn.execute("UPDATE timeline_arrays_state SET layout = ?", (json.dumps(layout),))
    conn.commit()
    conn.close()


def _swap_words(data: bytes, size: int) -> bytes:
    """The first two values of the column swapped (an order broken)."""
    return data[size:2 * size] + data[:size] + data[2 * size:]


DAMAGE = {
    "layout not JSON": lambda p: sql(p, "UPDATE timeline_arrays_state SET layout = '{not json'"),
    "another format": lambda p: _layout(p, lambda lay: lay.update(format=99)),
    "a dtype Threadline never writes": lambda p: _layout(p, lambda lay: lay["arrays"]["t0_rel"].__setitem__(0, "<f8")),
    "a length far beyond the parts": lambda p: _layout(p, lambda lay: lay["arrays"]["pair_actor"].__setitem__(1, 10**12)),
    "a part missing": lambda p: sql(p, "DELETE FROM timeline_arrays WHERE name = 'event_ids'"),
    "a part that is text": lambda p: sql(p, "UPDATE timeline_arrays SET data = 'abc' WHERE name = 'style'"),
    "an actor index out of range": lambda p: _blob(p, "pair_actor", lambda d: b"\xff\xff" + d[2:]),
    "events out of time order": lambda p: _blob(p, "t0_rel", lambda d: d[:4] + b"\xff\xff\xff\x7f" + d[8:]),
    "offsets that fall": lambda p: _blob(p, "pair_offsets", lambda d: d[:4] + b"\x00\x00\x00\x00" + d[8:]),
    "an event id twice": lambda p: _blob(p, "event_ids", lambda d: d[:4] + d[:4] + d[8:]),
    "actor ids that are not the table's": lambda p: _blob(p, "actor_ids", lambda d: _swap_words(d, 8)),
    "a style bit Threadline never sets": lambda p: _blob(p, "style", lambda d: b"\xff" + d[1:]),
    "a time before year 1": lambda p: _layout(p, lambda lay: lay.update(t0_base=-10**12)),
    "an actor twice in one event": lambda p: _blob(p, "pair_actor", lambda d: d[:2] * 2 + d[4:]),
    "lane keys out of order": lambda p: _blob(p, "lane_keys", lambda d: b"\xff\xff\xff\xff" + d[4:]),
    "lane offsets that are not the pairs' counts": lambda p: _blob(p, "lane_offsets", lambda d: d[:8] + (
        int.from_bytes(d[8:16], "little") + 1).to_bytes(8, "little") + d[16:]),
    "a trigger dropped, then rows changed and marked current again": lambda p: sql(
        p, f"DROP TRIGGER {next(iter(ARRAY_TRIGGERS))}",
        "INSERT INTO events (title, start, earliest, latest, precision, certainty) VALUES ('x', '2020', 1577836800, 1577836800, 'day', 'confirmed')",
        "UPDATE timeline_arrays_state SET current = 1"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_or_forged_columns_are_ignored_and_the_file_opens(sample_db, monkeypatch, qtbot, tmp_path, damage):
    store(sample_db)
    DAMAGE[damage](sample_db)
    data = load(sample_db, monkeypatch)
    assert data.derived["loaded_from"] == "database"
    assert_same(data, load(sample_db, monkeypatch, rows=True))
    win = open_main_window(qtbot, sample_db, tmp_path)  # and the window shows it
    assert win.session.data.n_events == data.n_events
    win.close()


def test_a_trigger_changed_by_another_program_is_refused(sample_db):
    name = next(iter(ARRAY_TRIGGERS))
    sql(sample_db, f"DROP TRIGGER {name}",
        f"CREATE TRIGGER {name} AFTER INSERT ON events BEGIN UPDATE timeline_arrays_state SET current = 1; END")
    for readonly in (True, False):
        with pytest.raises(StoreError, match=f"foreign trigger '{name}'"):
            open_database(sample_db, readonly=readonly)


def test_a_file_from_before_them_is_migrated_without_touching_its_rows(sample_db, monkeypatch):
    sql(sample_db, *(f"DROP TRIGGER {name}" for name in ARRAY_TRIGGERS),
        "DROP TABLE timeline_arrays", "DROP TABLE timeline_arrays_state",
        "DELETE FROM _sqlite_migrations WHERE name = 'm004_timeline_arrays'", "PRAGMA user_version = 3")
    before = dump(sqlite3.connect(sample_db), generation=True)
    untouched = sample_db.read_bytes()
    data = load(sample_db, monkeypatch)  # opened read-only: read as it is, not upgraded
    assert data.derived["loaded_from"] == "database" and data.n_events > 20
    assert sample_db.read_bytes() == untouched
    db = open_database(sample_db)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert dump(db, generation=True) == before
        assert db.execute("SELECT current, layout FROM timeline_arrays_state").fetchall() == [(0, None)]
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert names == set(ARRAY_TRIGGERS)
    finally:
        close_database(db)
    store(sample_db)
    assert load(sample_db, monkeypatch).derived["loaded_from"] == "stored"


@pytest.mark.parametrize("offsets, actors, once", [
    ([0, 2, 4], [1, 2, 3, 4], True),
    ([0, 2, 4], [1, 2, 3, 3], False),
    ([0, 1, 2], [5, 5], True),  # the same actor in two events
    ([0, 4], [1, 2, 3, 1], False),  # three apart in one event
    ([0, 3, 5], [1, 2, 3, 1, 2], True),
    ([0, 12], list(range(11)) + [0], False),  # an event bigger than the shifted compares reach
    ([0, 12], list(range(12)), True),
])
def test_an_actor_named_twice_in_one_event_is_found(offsets, actors, once):
    assert stored_arrays._once_per_event(np.array(offsets), np.array(actors, dtype=np.uint16)) is once


def test_a_merged_lane_index_from_the_whole_files_equals_one_from_the_pairs(sample_db, monkeypatch):
    """The timeline's summary lanes ("more") are merged from the per-actor
    index it already has (a stored or loaded one): the same index as
    computing every pair's key again."""
    import dataclasses

    from store.lane_index import build_merged_index

    data = load(sample_db, monkeypatch)
    bare = dataclasses.replace(data, derived={})  # no index to merge from: every pair's key again
    rng = np.random.default_rng(5)
    for n_lanes in (1, 3, 7):
        lane_of_actor = rng.integers(-1, n_lanes, data.n_actors)
        mine, theirs = build_merged_index(data, lane_of_actor, n_lanes), build_merged_index(bare, lane_of_actor, n_lanes)
        assert (mine.base, mine.quantum) == (theirs.base, theirs.quantum)
        for name in LANES:
            x, y = getattr(mine, name), getattr(theirs, name)
            assert x.dtype == y.dtype and np.array_equal(x, y), name


def test_a_big_files_network_counted_in_chunks_equals_one_count(sample_db, monkeypatch):
    """The graph's whole-history network of a file bigger than a chunk is
    counted chunk by chunk (bounded memory at ten million events): the same
    pairs and counts as one count over every pair."""
    from store import network

    data = load(sample_db, monkeypatch)
    rng = np.random.default_rng(11)
    for mask in (np.ones(data.n_events, dtype=bool), rng.random(data.n_events) < 0.6):
        whole = network.cooccurrence(data, mask)
        for events, pairs in ((4, 1_000_000), (1_000_000, 3), (3, 1)):  # by events, by pairs (an event never split), both
            monkeypatch.setattr(network, "CHUNK_EVENTS", events)
            monkeypatch.setattr(network, "CHUNK_PAIRS", pairs)
            chunked = network.cooccurrence(data, mask)
            assert len(whole.a) > 10
            for name in ("a", "b", "count"):
                x, y = getattr(whole, name), getattr(chunked, name)
                assert x.dtype == y.dtype and np.array_equal(x, y), name
