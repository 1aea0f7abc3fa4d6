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


# ---------------------------------------------------------------- every path that leaves a file behind


def no_cache_beside(path) -> None:
    """As on another machine: nothing beside the file but the file."""
    from store.cache import cache_path

    cache_path(path).unlink(missing_ok=True)
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [path.name]


def snapshot(path):
    """Every row, the stored columns' parts and their state."""
    conn = sqlite3.connect(path)
    try:
        parts = conn.execute("SELECT name, part, data FROM timeline_arrays ORDER BY name, part").fetchall()
        return dump(conn, generation=True), parts, state(path)
    finally:
        conn.close()


def test_a_command_line_import_leaves_the_columns_current_and_a_failed_one_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from conftest import SHARED_DATA, run_cli

    story = tmp_path / "gdelt.db"
    done = run_cli("import", story, SHARED_DATA / "gdelt1_events_sample_20160728.tsv", "--format", "gdelt")
    assert done.returncode == 0, done.stderr
    assert state(story)[0] == 1
    no_cache_beside(story)
    stored, rows = load(story, monkeypatch), load(story, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored" and rows.n_events > 100
    assert_same(stored, rows)
    before = snapshot(story)
    # an import that fails on its second event (the first is valid): nothing of it stays
    event = {"title": "Talks open", "start": "2025-05-03", "certainty": "reported",
             "actors": [{"actor": "Port Authority", "role": "initiator"}], "sources": []}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "threadline", "version": 1, "sources": [], "relationships": [],
                               "actors": [{"name": "Port Authority", "kind": "organisation"}],
                               "events": [dict(event, key="k1"), dict(event, key="k2", start="not a date")]}))
    failed = run_cli("import", story, bad, "--format", "json")
    assert failed.returncode != 0 and "'k2': start: cannot understand the date" in failed.stderr
    assert snapshot(story) == before
    more = tmp_path / "more.csv"
    more.write_text("Date,Who,What\n2025-05-03,Port Authority,Talks open\n1999,Dock Union,Founded\n", encoding="utf-8")
    assert run_cli("import", story, more, "--format", "csv", "--map", "date=Date", "actor=Who", "title=What").returncode == 0
    assert state(story)[0] == 1  # an import into a file with current columns leaves them current too
    stored, rows = load(story, monkeypatch), load(story, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored" and stored.n_events == len(before[0]["events"]) + 2
    assert_same(stored, rows)


def test_an_import_through_the_windows_dialog_leaves_the_columns_current(qtbot, sample_db, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from conftest import SHARED_DATA
    from gui.import_dialog import ImportDialog

    gdelt = SHARED_DATA / "gdelt1_events_sample_20160728.tsv"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(gdelt), "")))
    win = open_main_window(qtbot, sample_db, tmp_path)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    before = win.session.data.n_events
    seen = {}

    def act():  # in the dialog File > Import shows: Import, then Close once it is done
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ImportDialog):
            QTimer.singleShot(50, act)
        elif "dialog" not in seen:
            seen["dialog"] = dialog
            qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
            QTimer.singleShot(50, act)
        elif dialog.job is not None:
            QTimer.singleShot(50, act)
        else:
            seen["status"] = dialog.status.text()
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    qtbot.keyClick(win, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # File > Import; returns once the dialog closed
    assert "added" in seen.get("status", ""), seen
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    assert win.session.data.n_events > before
    assert win.session.data.derived["loaded_from"] == "stored"  # the views reloaded from them
    assert win.session.outside_change() is None  # the import's worker is the window's own
    win.close()
    assert state(sample_db)[0] == 1
    no_cache_beside(sample_db)
    stored, rows = load(sample_db, monkeypatch), load(sample_db, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored" and stored.n_events == rows.n_events > before
    assert_same(stored, rows)


def test_a_big_file_opened_from_its_rows_gets_them_after_the_first_frame_and_a_read_only_open_never(qtbot, sample_db, tmp_path, monkeypatch):
    import gui.session as session_module
    from gui.main_window import MainWindow
    from gui.session import Session
    from PySide6.QtCore import QSettings

    monkeypatch.setattr(session_module, "KEEP_OPENED_EVENTS", 10)  # the sample stands for a big file
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    reader = MainWindow(Session.open(sample_db, read_only=True), settings)
    qtbot.addWidget(reader)
    reader.show()
    qtbot.waitExposed(reader)
    qtbot.wait(2 * session_module.KEEP_DELAY_MS)
    assert not reader.session.keeping and state(sample_db) == (0, None)  # read-only: nothing written
    reader.close()
    assert reader.session.data.derived["loaded_from"] == "database"

    # opened writable from the cache the read-only open left beside it: that
    # cache is not there on another machine, so the columns go in the file too
    win = open_main_window(qtbot, sample_db, tmp_path)
    qtbot.waitExposed(win)
    assert win.session.data.derived["loaded_from"] == "cache" and state(sample_db) == (0, None)
    qtbot.waitUntil(lambda: state(sample_db)[0] == 1, timeout=10000)
    qtbot.waitUntil(lambda: not win.session.keeping)
    assert win.session.outside_change() is None  # the window's own worker wrote: no "changed by another program"
    shown = win.session.data
    win.close()
    no_cache_beside(sample_db)
    stored, rows = load(sample_db, monkeypatch), load(sample_db, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored"
    assert_same(stored, rows)
    for name in COLUMNS:
        assert np.array_equal(getattr(shown, name), getattr(rows, name)), name


def _opened_from_rows(path, monkeypatch):
    db = open_database(path)
    try:
        data = load_timeline_data(db, use_cache=False, write_cache=False)
    finally:
        close_database(db)
    assert data.derived["loaded_from"] == "database" and data.derived["rows_key"] is not None
    return data


@pytest.mark.parametrize("meanwhile, stale", [
    ("UPDATE events SET earliest = earliest - 86400 WHERE id = (SELECT min(id) FROM events)", True),
    ("UPDATE actors SET name = name || ' (renamed)' WHERE id = (SELECT min(id) FROM actors)", True),
    ("INSERT OR REPLACE INTO meta (key, value) VALUES ('title', 'Retitled elsewhere')", False),
])
def test_a_write_that_lands_while_they_are_kept_stops_it_and_they_are_not_current(sample_db, monkeypatch, meanwhile, stale):
    from store.timeline_data import keep_opened_in_file

    data = _opened_from_rows(sample_db, monkeypatch)
    calls = []

    def between():  # before each part: the second time, another program writes
        calls.append(1)
        if len(calls) == 2:
            sql(sample_db, meanwhile)

    outcome = keep_opened_in_file(sample_db, data, between=between)
    assert len(calls) >= 2 and outcome["others"] and not outcome["kept"]
    assert state(sample_db) == (0, None)
    conn = sqlite3.connect(sample_db)
    assert conn.execute("SELECT count(*) FROM timeline_arrays").fetchone() == (0,)  # no half-written parts left
    conn.close()
    assert load(sample_db, monkeypatch).derived["loaded_from"] == "database"
    # and a write before it starts (the file is not as the arrays were read) stops it at once
    data = _opened_from_rows(sample_db, monkeypatch)
    sql(sample_db, meanwhile)
    outcome = keep_opened_in_file(sample_db, data)
    assert outcome["others"] and not outcome["kept"] and state(sample_db) == (0, None)
    if not stale:  # the rows are still these: kept once nobody writes meanwhile
        assert keep_opened_in_file(sample_db, _opened_from_rows(sample_db, monkeypatch))["kept"]
        stored, rows = load(sample_db, monkeypatch), load(sample_db, monkeypatch, rows=True)
        assert stored.derived["loaded_from"] == "stored"
        assert_same(stored, rows)


def test_an_edit_in_the_window_while_they_are_kept_stops_it_and_the_edit_is_kept(qtbot, sample_db, tmp_path, monkeypatch):
    import gui.session as session_module
    from store import stored_arrays as sa

    monkeypatch.setattr(session_module, "KEEP_OPENED_EVENTS", 10)
    import time

    from store import progress

    monkeypatch.setattr(sa, "CHUNK", 64)  # many small parts, written slowly: the edit lands between two
    parts, tick = [], progress.tick
    monkeypatch.setattr(progress, "tick", lambda *a: (parts.append(1), time.sleep(0.02), tick(*a)))
    win = open_main_window(qtbot, sample_db, tmp_path)
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: len(parts) > 3, timeout=10000)
    data = win.session.data
    assert win.editor.move_event(int(data.event_ids[0]), "2025-05-03", None)  # waits for one part, then writes
    assert not win.session.keeping
    written = len(parts)
    qtbot.wait(200)
    assert len(parts) == written < data.nbytes() // 64  # stopped part way
    assert win.session.outside_change() is None  # its own worker's writes are not another program's
    conn = sqlite3.connect(sample_db)
    assert conn.execute("SELECT current FROM timeline_arrays_state").fetchone()[0] == 0
    assert conn.execute("SELECT start FROM events WHERE id = ?", [int(data.event_ids[0])]).fetchone()[0] == "2025-05-03"
    conn.close()
    qtbot.waitUntil(lambda: not win.session.reloader.running and not win.session.patching)
    win.close()  # a session that wrote keeps what it shows, as before
    stored, rows = load(sample_db, monkeypatch), load(sample_db, monkeypatch, rows=True)
    assert stored.derived["loaded_from"] == "stored"
    assert_same(stored, rows)


# ---------------------------------------------------------------- reading the rows


@pytest.mark.parametrize("huge_id", [False, True])
def test_the_two_readers_sharing_small_blocks_read_exactly_what_the_plain_reader_reads(sample_db, monkeypatch, huge_id):
    """Blocks of a few rows shared by the two reading threads, on a file
    whose rows are in no convenient order: events dated out of id order and
    with gaps in their ids (one past int32 when ``huge_id``: the pair columns
    are then read as int64), an event's participants recorded apart, an
    actor in two roles of one event, an event of ten actors, one with none,
    and pairs naming an event or actor that does not exist."""
    from store import timeline_sql
    from store.timeline_data import assemble
    from store.timeline_sql import read_event_columns_strict

    conn = sqlite3.connect(sample_db)
    conn.execute("PRAGMA foreign_keys = OFF")
    new_event = ("INSERT INTO events (id, title, start, earliest, latest, precision, certainty) "
                 "VALUES (?, 'x', '1990', ?, ?, 'year', 'claimed')")
    far = 2**31 + 5 if huge_id else 100_000
    for k, (eid, year) in enumerate([(500, 1990), (501, 1985), (900, 1995), (far, 1970), (505, 1970)]):
        conn.execute(new_event, (eid, 631152000 - (1990 - year) * 31557600, 631152000 - (1990 - year) * 31557600 + 86400 * (k + 1)))
    actors = [a for (a,) in conn.execute("SELECT id FROM actors ORDER BY id LIMIT 10")]
    pair = "INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)"
    conn.execute(pair, (500, actors[0], "participant"))
    conn.execute(pair, (501, actors[1], "initiator"))
    conn.execute(pair, (501, actors[1], "target"))  # one actor, two roles
    for a in actors:
        conn.execute(pair, (900, a, "participant"))  # ten actors
    conn.execute(pair, (far, actors[2], "participant"))
    conn.execute(pair, (500, actors[3], "target"))  # recorded apart from its event's first
    conn.execute(pair, (12345, actors[0], "participant"))  # no such event
    conn.execute(pair, (500, 99999, "participant"))  # no such actor
    conn.execute(pair, (501, actors[1], "participant"))  # the same actor a third time, apart
    conn.commit()
    conn.close()
    monkeypatch.setattr(timeline_sql, "BLOCK", 7)
    monkeypatch.setattr(timeline_sql, "MAX_RANGE_BLOCKS", 50)
    db = open_database(sample_db, readonly=True)
    try:
        columns = timeline_sql.read_event_columns(db, sample_db)
        assert columns[1][0].dtype == (np.int64 if huge_id else np.int32)
        fast = load(sample_db, monkeypatch, rows=True)
        actor_rows = db.conn.execute("SELECT id, name, kind, colour FROM actors ORDER BY id").fetchall()
        plain = assemble(actor_rows, *read_event_columns_strict(db))
    finally:
        close_database(db)
    assert fast.derived["loaded_from"] == "database" and fast.actor_ids[-1] == -1  # (505 has no actor)
    for name in COLUMNS:
        x, y = getattr(fast, name), getattr(plain, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert fast.t0_base == plain.t0_base
    # the actors' first events, taken from the lane index's sort, as counted on their own
    from store import timeline_summary

    taken = fast.derived.pop("first_seen")
    assert taken.dtype == np.int64 and np.array_equal(taken, timeline_summary.first_seen(fast))

    def actors_of(event_id):
        i = int(np.flatnonzero(fast.event_ids == event_id)[0])
        return fast.actor_ids[fast.pair_actor[fast.pair_offsets[i]:fast.pair_offsets[i + 1]]].tolist()

    # each actor once, in the order recorded
    assert (actors_of(500), actors_of(501), actors_of(900)) == ([actors[0], actors[3]], [actors[1]], actors)


def test_a_write_during_a_read_of_the_rows_is_neither_kept_waiting_nor_half_seen(sample_db, monkeypatch):
    """The readers hold no lock across the read: a window's edit (another
    connection, as the window's own is) commits at once while the rows are
    being read, and the read, which saw a commit land, is done again, so
    what it gives is the file after the edit, never half of it. (Held
    across the read, the readers' snapshot made such an edit wait, and one
    landing between the two readers' first reads locked both out.)"""
    from store import timeline_sql

    monkeypatch.setattr(timeline_sql, "BLOCK", 3)  # many blocks: the edit lands mid-read
    db = open_database(sample_db, readonly=True)
    writer = sqlite3.connect(sample_db, timeout=0.2, check_same_thread=False)
    landed = []
    fill = timeline_sql._Table.fill

    def fill_then_edit(table, conn, i):
        fill(table, conn, i)
        if not landed:  # after the first block read: the edit lands mid-read
            landed.append(i)
            writer.execute("UPDATE events SET earliest = earliest + 86400, latest = latest + 86400 WHERE id = 1")
            writer.commit()  # "database is locked" within 0.2 s when the readers hold the file

    monkeypatch.setattr(timeline_sql._Table, "fill", fill_then_edit)
    try:
        events, _pairs = timeline_sql.read_event_columns(db, sample_db)
        after = db.conn.execute("SELECT earliest FROM events WHERE id = 1").fetchone()[0]
    finally:
        writer.close()
        close_database(db)
    assert landed
    assert int(events[1][np.flatnonzero(events[0] == 1)[0]]) == after
