"""Scale machinery, checked for correctness (never timed: speed is the benchmark's).

On a synthetic file of 20,000 events by 30 actors: the zoomed-out counts
(lane index, mipmap, edge columns) agree with a plain count of the pairs
drawn zoomed in, for every lane and window, nothing dropped at a lane, bin
or window edge; the selection shows in density mode; the loader's fast
path and cache give exactly the arrays of the plain reader and never go
stale; the timeline holds at most 40 bytes an event.
"""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest
from PySide6.QtGui import QImage

from store.view_model import density, density_frame
from store.view_model.visible import VisibleIndex, density_grid, edge_pairs, frame_pairs
from store import cache
from store.database import open_database
from store.timeline_data import load_timeline_data
from store.timeline_sql import read_event_columns_strict

EVENTS, ACTORS = 20_000, 30


@pytest.fixture(scope="module")
def synth_master(tmp_path_factory):
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("scale") / "synth.db", events=EVENTS, actors=ACTORS, seed=5)


@pytest.fixture
def synth_db(synth_master, tmp_path):
    path = tmp_path / "synth.db"
    shutil.copy(synth_master, path)
    return path


@pytest.fixture(scope="module")
def data(synth_master, tmp_path_factory):
    copy = tmp_path_factory.mktemp("scale-data") / "synth.db"
    shutil.copy(synth_master, copy)
    db = open_database(copy, readonly=True)
    try:
        return load_timeline_data(db, use_cache=False)
    finally:
        db.conn.close()


def fast_grid(data, x0, x1, width, mask=None):
    """What the timeline draws zoomed out: counts per (actor, column)."""
    lanes = density.build_lane_index(data, mask) if mask is not None else density.lane_index(data)
    cols = density_frame.columns(lanes, x0, x1, width)
    grid = density_frame.count_grid(lanes, np.arange(data.n_actors), cols)
    actor, col = edge_pairs(VisibleIndex(data), lanes, cols, x0, x1, mask)
    np.add.at(grid, (actor, col), 1)
    return grid, lanes, cols


def reference_grid(data, x0, x1, width, mask=None):
    """Every pair overlapping the window, from the plain per-pair path (what detail mode draws)."""
    rows = np.arange(data.n_actors)
    frame = frame_pairs(VisibleIndex(data), rows, x0, x1, width, (0, data.n_actors - 1), mask)
    return density_grid(frame, data.n_actors, width), frame


def windows(data, rng, n=25):
    lo, hi = data.time_range
    out = [(lo, hi), (lo - 86400 * 30, hi + 86400 * 30)]
    for _ in range(n):
        span = (hi - lo) * 10 ** rng.uniform(-5, 0)
        a = rng.uniform(lo - span / 2, hi - span / 2)
        out.append((a, a + span))
    # edges exactly on event bounds and midpoints: where an off-by-one would drop an event
    i = rng.integers(0, data.n_events, 6)
    mids = (data.start() + data.dur.astype(np.int64) // 2)[i]
    out += [(float(data.start(i[0])), float(data.end(i[1]) + 86400 * 20)), (float(mids[2]), float(mids[2] + 7 * 86400)),
            (float(mids[3] - 3 * 86400), float(mids[3])), (float(data.end(i[4])), float(data.end(i[4]) + 3600))]
    return [(a, b) for a, b in out if b > a]


def assert_same_within_a_column(fast, ref):
    """Equal per-lane totals, and every event placed within one column of where
    the per-pair count puts it (the mipmap snaps column edges to its bins)."""
    np.testing.assert_array_equal(fast.sum(axis=1), ref.sum(axis=1))
    cf, cr = np.cumsum(fast, axis=1), np.cumsum(ref, axis=1)
    lower = np.concatenate([np.zeros((len(cr), 1), cr.dtype), cr[:, :-1]], axis=1)
    upper = np.concatenate([cr[:, 1:], cr[:, -1:]], axis=1)
    assert np.all((cf >= lower) & (cf <= upper))


@pytest.mark.parametrize("width", [7, 400, 1600])
def test_density_counts_every_pair_the_detail_view_draws(data, width):
    rng = np.random.default_rng(width)
    for x0, x1 in windows(data, rng):
        fast, _, _ = fast_grid(data, x0, x1, width)
        ref, frame = reference_grid(data, x0, x1, width)
        assert fast.sum() == len(frame), (x0, x1)
        assert_same_within_a_column(fast, ref)


def test_both_paths_of_the_lane_index_agree(data):
    """The same windows through the mipmap and through the exact keys."""
    rng = np.random.default_rng(7)
    lanes = density.lane_index(data)
    used = set()
    for x0, x1 in windows(data, rng, 40):
        width = 1000
        cols = density_frame.columns(lanes, x0, x1, width)
        used.update(bool(m) for m in cols.px_keys >= lanes.bin_width)
        grid = density_frame.count_grid(lanes, np.arange(data.n_actors), cols)
        keys_ref = np.zeros_like(grid)
        for a in range(data.n_actors):
            k = lanes.lane_keys(a)
            k = k[(k >= cols.needles[0]) & (k < cols.needles[-1])]
            keys_ref[a] = np.bincount(np.searchsorted(cols.needles, k, side="right") - 1, minlength=width)[:width]
        assert_same_within_a_column(grid, keys_ref)
    assert used == {True, False}  # both the mipmap and the exact keys were exercised


def test_filtered_and_highlighted_subsets_count_exactly_their_pairs(data):
    """As a frame with a selection counts: the whole file's pairs, then the
    selection's over the same window (whose edge events the index keeps)."""
    rng = np.random.default_rng(11)
    mask = rng.random(data.n_events) < 0.3
    for x0, x1 in windows(data, rng, 10):
        every, _, _ = fast_grid(data, x0, x1, 500)
        assert every.sum() == len(reference_grid(data, x0, x1, 500)[1])
        fast, _, _ = fast_grid(data, x0, x1, 500, mask)
        ref, frame = reference_grid(data, x0, x1, 500, mask)
        assert fast.sum() == len(frame)
        assert_same_within_a_column(fast, ref)


def test_lane_keys_are_sorted_and_complete(data):
    lanes = density.lane_index(data)
    assert lanes.n_pairs == len(data.pair_actor)
    for a in range(data.n_actors):
        k = lanes.lane_keys(a)
        assert np.all(k[1:] >= k[:-1])
        assert len(k) == int(np.count_nonzero(data.pair_actor == a))


def test_the_timeline_holds_at_most_40_bytes_an_event(data):
    density.lane_index(data)
    VisibleIndex(data)
    assert data.nbytes() / data.n_events <= 40


# ---------------------------------------------------------------- the widget


@pytest.fixture
def timeline(qtbot, synth_db):
    from gui.session import Session
    from gui.theme import Palette
    from gui.timeline.widget import TimelineWidget

    session = Session.open(synth_db)
    widget = TimelineWidget(session, Palette(dark=False))
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def visible_rows(widget):
    (_, _), (y0, y1) = widget.vb.viewRange()
    return max(int(np.floor(min(y0, y1))), 0), min(int(np.ceil(max(y0, y1))), widget.lanes.n_rows - 1)


def test_zoomed_out_and_zoomed_in_show_the_same_events(timeline):
    lanes, data = timeline.lanes, timeline.session.data
    lo, hi = data.time_range
    timeline.set_window(lo, hi)
    timeline.plot.viewport().repaint()
    assert lanes.last_mode == "density"
    first, last = visible_rows(timeline)
    frame = frame_pairs(lanes.index, lanes.row_of_actor, *timeline.vb.viewRange()[0], 100, (first, last))
    assert lanes.last_grid.sum() == len(frame)  # every visible pair counted, in its own lane
    per_row = np.bincount(frame.row - first, minlength=last - first + 1)
    np.testing.assert_array_equal(lanes.last_grid.sum(axis=1), per_row)
    # zoom in on one event until real markers are drawn: it is among them
    mid = int(np.flatnonzero((data.end() - data.start()) < 86400)[data.n_events // 2])
    centre = (data.start(mid) + data.end(mid)) / 2
    timeline.set_window(centre - 3600, centre + 3600)
    timeline.plot.viewport().repaint()
    assert lanes.last_mode == "detail"
    assert mid in set(lanes._frame.event.tolist())


def test_a_selected_event_shows_in_density_mode(timeline):
    data, lanes = timeline.session.data, timeline.lanes
    i = int(np.flatnonzero((data.end() - data.start()) < 86400)[100])
    event_id = int(data.event_ids[i])
    timeline.session.selection.select_events([event_id])
    lo, hi = data.time_range
    timeline.set_window(lo, hi)
    timeline.plot.viewport().repaint()
    assert lanes.last_mode == "density"
    assert lanes.last_highlight_grid.sum() == data.pair_offsets[i + 1] - data.pair_offsets[i]
    # and it is visibly drawn: highlight-coloured pixels where its lane and time are
    image = timeline.plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    row = lanes.row_of_actor[int(data.pair_actor[data.pair_offsets[i]])]
    point = timeline.plot.mapFromScene(timeline.vb.mapViewToScene(_view_point((data.start(i) + data.end(i)) / 2, row)))
    highlight = timeline.palette.highlight
    near = [image.pixelColor(point.x() + dx, point.y() + dy) for dx in range(-3, 4) for dy in range(-3, 4)]
    assert any(abs(c.red() - highlight.red()) < 40 and abs(c.green() - highlight.green()) < 60 and c.blue() < 120
               for c in near)


def _view_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(float(x), float(y))


# ---------------------------------------------------------------- loading and the cache


def test_fast_loader_reads_exactly_what_the_plain_reader_reads(synth_db):
    db = open_database(synth_db, readonly=True)
    fast = load_timeline_data(db, use_cache=False)
    events, pairs = read_event_columns_strict(db)
    from store.timeline_data import assemble

    actors = db.conn.execute("SELECT id, name, kind, colour FROM actors ORDER BY id").fetchall()
    plain = assemble(actors, events, pairs)
    for name in ("event_ids", "t0_rel", "dur", "style", "pair_offsets", "pair_actor", "actor_ids"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(plain, name))
    assert fast.t0_base == plain.t0_base and fast.actor_names == plain.actor_names


def test_second_open_reads_the_cache_and_gets_the_same_arrays(synth_db):
    db = open_database(synth_db, readonly=True)
    first = load_timeline_data(db)
    assert first.derived["loaded_from"] == "database"
    assert cache.cache_path(synth_db).exists()
    second = load_timeline_data(db)
    assert second.derived["loaded_from"] == "cache"
    for name in ("event_ids", "t0_rel", "dur", "style", "pair_offsets", "pair_actor", "actor_ids"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    assert second.t0_base == first.t0_base and second.t0_rel.dtype == np.uint32  # 4 bytes an event
    assert second.actor_names == first.actor_names and second.actor_colours == first.actor_colours


def test_the_cache_is_never_stale_after_a_threadline_write(synth_db):
    from store import records

    db = open_database(synth_db)
    before = load_timeline_data(db)
    actor = records.add_actor(db, "Newcomer", "person")
    records.add_event(db, "Newcomer arrives", "2001-02-03", actors=[records.Participation(actor)])
    after = load_timeline_data(db)
    assert after.n_events == before.n_events + 1
    assert after.derived["loaded_from"] == "database"


def test_the_cache_is_never_stale_after_another_program_writes(synth_db):
    db = open_database(synth_db, readonly=True)
    before = load_timeline_data(db)
    db.conn.close()
    other = sqlite3.connect(synth_db)  # as the sqlite3 CLI or Datasette would: no generation bump
    other.execute("UPDATE events SET earliest = earliest - 86400 WHERE id = 5")
    other.commit()
    other.close()
    db = open_database(synth_db, readonly=True)
    after = load_timeline_data(db)
    assert after.derived["loaded_from"] == "database"
    i_before = before.index_of_ids([5])[0]
    i_after = after.index_of_ids([5])[0]
    assert after.start(i_after) == before.start(i_before) - 86400


def test_the_cache_is_never_stale_after_an_import(synth_db, tmp_path):
    from store.importing import import_into

    db = open_database(synth_db)
    before = load_timeline_data(db)
    source = tmp_path / "more.json"
    source.write_text('{"format": "threadline", "version": 1, "actors": [{"name": "Imported One", "kind": "person"}], '
                      '"events": [{"key": "e1", "title": "Imported", "start": "2010-05-05", '
                      '"actors": [{"actor": "Imported One", "role": "initiator"}]}]}')
    generation = cache.current_generation(db)
    import_into(db, source, "json")
    assert cache.current_generation(db) > generation  # every write bumps it
    after = load_timeline_data(db)
    assert after.n_events == before.n_events + 1


def test_a_damaged_or_foreign_cache_is_ignored(synth_db):
    db = open_database(synth_db, readonly=True)
    good = load_timeline_data(db)
    path = cache.cache_path(synth_db)
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF  # flip a byte of the arrays
    path.write_bytes(bytes(raw))
    again = load_timeline_data(db)
    assert again.derived["loaded_from"] == "database"
    np.testing.assert_array_equal(again.start(), good.start())
    path.write_bytes(b"not a cache at all")
    assert load_timeline_data(db).derived["loaded_from"] == "database"


def test_the_graph_counts_a_window_as_the_store_does(data):
    """The relationship panel counts only the window's pairs; the answer is the
    store's whole-file count restricted to the window, for any window and filter."""
    from store.view_model.window_network import window_events, window_network
    from store import network

    rng = np.random.default_rng(3)
    filt = rng.random(data.n_events) < 0.5
    for x0, x1 in windows(data, rng, 12):
        for f in (None, filt):
            mask = network.window_mask(data, (x0, x1)) & (True if f is None else f)
            events = window_events(data, (x0, x1), f)
            np.testing.assert_array_equal(events, np.flatnonzero(mask))
            counts, co = window_network(data, events, True)
            np.testing.assert_array_equal(counts, network.actor_counts(data, mask))
            ref = network.cooccurrence(data, mask)
            for name in ("a", "b", "count"):
                np.testing.assert_array_equal(getattr(co, name), getattr(ref, name))


def test_unchanged_since_cached_tells_a_changed_file(synth_db):
    db = open_database(synth_db)
    load_timeline_data(db)
    assert cache.unchanged_since_cached(synth_db)
    db.conn.execute("UPDATE events SET title = title || '!' WHERE id = 1")
    db.conn.commit()
    assert not cache.unchanged_since_cached(synth_db)


def test_times_are_kept_in_four_bytes_and_come_back_exact():
    """Starts are held as seconds after the file's first (uint32) and ends as
    durations after the start (a 1M-event file saves 8 MB); a file or a span
    past 136 years keeps 8 bytes, and nothing is wrapped round."""
    from store.timeline_data import assemble

    day, century = 86400, 100 * 366 * 86400
    t0 = np.array([0, 5 * day, -40 * century, 7 * day], dtype=np.int64)
    t1 = np.array([day - 1, 5 * day, 2 * century, 6 * day], dtype=np.int64)  # the last one ends before it starts
    ids = np.arange(1, 5, dtype=np.int64)
    events = [ids, t0, t1, np.zeros(4, dtype=np.int64)]
    data = assemble([(1, "A", "person", None)], events, [ids, np.ones(4, dtype=np.int64)])
    order = np.argsort(data.event_ids)
    assert data.dur.dtype == np.int64 and data.t0_rel.dtype == np.int64  # 4,200 years
    np.testing.assert_array_equal(data.start()[order], t0)
    np.testing.assert_array_equal(data.end()[order], [day - 1, 5 * day, 2 * century, 7 * day])
    short = assemble([(1, "A", "person", None)], [ids[:2] + 10, t0[:2] + 1000, t1[:2] + 1000, np.zeros(2, np.int64)],
                     [ids[:2] + 10, np.ones(2, np.int64)])
    assert short.dur.dtype == np.uint32 and short.t0_rel.dtype == np.uint32
    assert short.start(1) == 5 * day + 1000 and short.end(0) == day + 999
    assert short.time_range == (1000, 5 * day + 1000)
    # searching the starts as np.searchsorted would the int64 seconds, for any instant
    starts = short.start()
    for t in (-1e12, 0, 999.5, 1000, 1000.5, 5 * day + 999, 5 * day + 1000, 5 * day + 1000.2, 2e12):
        for side in ("left", "right"):
            assert short.search_start(t, side) == np.searchsorted(starts, t, side=side), (t, side)
    np.testing.assert_array_equal(short.search_start(np.array([0.0, 1000.0, 3e9])), [0, 0, 2])


def test_freed_memory_is_given_back_once_when_the_user_pauses(qtbot, monkeypatch):
    """Counting a window's network asks for a trim each time; the trim (which
    holds the allocator's lock) runs once, after the requests stop."""
    from gui import idle_upkeep

    import gc

    gc.collect()  # no full collection due: panning alone asks for nothing
    calls = []
    # requests 100 ms apart for longer than the 1 s pause: a timer that did
    # not restart would fire among them, and a loaded machine that oversleeps
    # a 100 ms wait several times over still asks in time
    monkeypatch.setattr(idle_upkeep, "IDLE_MS", 1000)
    monkeypatch.setattr(idle_upkeep, "_timer", None)
    monkeypatch.setattr(idle_upkeep, "release_free_memory", lambda: calls.append(1))
    for _ in range(12):
        idle_upkeep.trim_when_idle()
        qtbot.wait(100)
    assert calls == []  # still busy: each request put it off
    for _ in range(12):
        idle_upkeep.postpone()  # the user pans on: no trim mid-pan either
        qtbot.wait(100)
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1], timeout=5000)
    qtbot.wait(1200)
    assert calls == [1]
    idle_upkeep.postpone()  # nothing pending: panning alone never trims
    qtbot.wait(1200)
    assert calls == [1]


def test_a_trim_asked_for_on_a_worker_waits_for_the_pause_on_the_ui_thread(qtbot, monkeypatch):
    """A load or a selection's index is built on a worker and asks for a trim
    at its end; the trim holds the allocator's lock, so it must not run there
    while the user pans, but once, on the UI thread, after the pause."""
    import threading

    from gui import idle_upkeep
    from store import memory

    trims = []
    monkeypatch.setattr(idle_upkeep, "IDLE_MS", 200)
    monkeypatch.setattr(idle_upkeep, "_timer", None)
    monkeypatch.setattr(idle_upkeep, "_relay", None)
    monkeypatch.setattr(idle_upkeep, "release_free_memory", lambda: trims.append(threading.current_thread().name))
    monkeypatch.setattr(memory, "_glibc", lambda: pytest.fail("trimmed on the worker"))
    monkeypatch.setattr(memory, "_worker_trims", None)  # the start-up's relay is put back afterwards
    idle_upkeep.install()
    worker = threading.Thread(target=memory.release_free_memory, name="loader")
    worker.start()
    worker.join()
    assert trims == []
    qtbot.waitUntil(lambda: trims == [threading.main_thread().name], timeout=2000)


def test_a_finished_background_job_gives_its_memory_back_at_the_pause(qtbot, monkeypatch):
    """Every job of the runner (a window's network, a layout, a search) asks
    for a trim when it ends; it runs once, on the UI thread, after the pause."""
    import threading

    from gui import idle_upkeep
    from gui.jobs import Job, wait_all
    from store import memory

    trims = []
    monkeypatch.setattr(idle_upkeep, "IDLE_MS", 200)
    monkeypatch.setattr(idle_upkeep, "_timer", None)
    monkeypatch.setattr(idle_upkeep, "release_free_memory", lambda: trims.append(threading.current_thread().name))
    monkeypatch.setattr(memory, "_glibc", lambda: pytest.fail("trimmed on the worker"))
    jobs = [Job(lambda: bytearray(10_000_000)) for _ in range(3)]
    for job in jobs:
        job.start()
    wait_all()
    assert trims == []
    qtbot.waitUntil(lambda: trims == [threading.main_thread().name], timeout=2000)
    qtbot.wait(400)
    assert trims == [threading.main_thread().name]


def test_a_due_full_collection_waits_while_the_user_pans_and_runs_at_the_pause(win, qtbot, monkeypatch):
    """Python's full cycle collection walks every object the window holds
    (17-41 ms here): left to Python it falls inside a frame or an edit now and
    then. Held back, it runs once the user stops panning, and frees the
    garbage that waited for it."""
    import gc
    import weakref

    from PySide6.QtCore import QPoint
    from test_explorer import drag

    from gui import idle_upkeep

    assert gc.get_threshold()[2] == idle_upkeep.FULL_ANYWAY  # Python's own cadence is held back
    if idle_upkeep._timer is not None:
        idle_upkeep._timer.stop()  # the upkeep the window asked for when shown: it would run mid-test
    monkeypatch.setattr(idle_upkeep, "IDLE_MS", 300)
    monkeypatch.setattr(idle_upkeep, "_timer", None)
    full = []
    record = lambda phase, info: full.append(phase) if phase == "stop" and info["generation"] == 2 else None  # noqa: E731
    gc.callbacks.append(record)
    try:
        qtbot.wait(50)
        gc.collect()
        full.clear()

        class Node:
            pass

        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        for _ in range(2):
            gc.collect(1)  # the cycle ages into the oldest generation
        del cycle
        for _ in range(idle_upkeep.FULL_AFTER):
            gc.collect(1)  # as many middle collections as make a full one due
        assert gone() is not None and full == []
        vp = win.timeline.plot.viewport()
        middle = QPoint(vp.width() // 2, vp.height() // 2)
        window = win.session.selection.visible_range
        for _ in range(4):
            drag(vp, middle, middle + QPoint(40, 0))  # each drag ~150 ms: less than the pause
            assert full == [], "a full collection ran mid-pan"
        assert win.session.selection.visible_range != window  # the drags panned
        qtbot.waitUntil(lambda: full == ["stop"], timeout=3000)
        assert gone() is None
    finally:
        gc.callbacks.remove(record)
