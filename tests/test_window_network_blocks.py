"""A window's network from running sums over blocks of events equals the
pair-by-pair count, for any window and block size (property-based), and the
relationship panel shows the same links whichever way a window was counted."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import network
from store.database import open_database
from store.timeline_data import load_timeline_data
from store.view_model import window_network as wn


def _load(path):
    db = open_database(path, readonly=True)
    try:
        return load_timeline_data(db, use_cache=False)
    finally:
        db.conn.close()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from bench.synth import write_synthetic

    return _load(write_synthetic(tmp_path_factory.mktemp("blocks") / "synth.db", events=12_000, actors=30, seed=9))


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """More actors than the dense pair table holds (their pairs are counted by sorting)."""
    from bench.synth import write_synthetic

    return _load(write_synthetic(tmp_path_factory.mktemp("crowd") / "crowd.db", events=6_000, actors=2_100, seed=4))


def _same(blocks, data, window):
    counts, co = blocks.network(window, True)
    ref_counts, ref = wn.window_network(data, wn.window_events(data, window, None), True)
    mask = network.window_mask(data, window)
    np.testing.assert_array_equal(counts, ref_counts)
    np.testing.assert_array_equal(counts, network.actor_counts(data, mask))
    whole = network.cooccurrence(data, mask)  # the one rule, over the whole file's mask
    for name in ("a", "b", "count"):
        np.testing.assert_array_equal(getattr(co, name), getattr(ref, name))
        np.testing.assert_array_equal(getattr(co, name), getattr(whole, name))
    only_counts, none = blocks.network(window, False)
    assert none is None
    np.testing.assert_array_equal(only_counts, ref_counts)
    # the bound that decides where a window is counted is a bound
    first, last, direct = blocks._split(window)
    assert len(direct) <= blocks.direct_at_most(window)


_fraction = st.floats(min_value=-0.1, max_value=1.1, allow_nan=False)
_sizes = st.sampled_from([64, 256, 1000, 4096])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lo=_fraction, width=st.floats(min_value=0.0, max_value=1.2, allow_nan=False), size=_sizes)
def test_running_sums_give_the_pair_by_pair_network(data, lo, width, size):
    t0, t1 = data.time_range
    x0 = t0 + lo * (t1 - t0)
    blocks = wn.NetworkBlocks(data, size)
    _same(blocks, data, (x0, x0 + width * (t1 - t0)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lo=_fraction, width=st.floats(min_value=0.0, max_value=1.2, allow_nan=False), size=_sizes)
def test_running_sums_with_thousands_of_actors(crowd, lo, width, size):
    t0, t1 = crowd.time_range
    x0 = t0 + lo * (t1 - t0)
    _same(wn.NetworkBlocks(crowd, size), crowd, (x0, x0 + width * (t1 - t0)))


def test_the_window_edges_and_the_file_ends_are_exact(data):
    """Windows whose edges fall exactly on events' bounds and on block boundaries."""
    blocks = wn.NetworkBlocks(data, 512)
    starts, ends = data.start(), data.end()
    for i in (0, 511, 512, 513, 4096, data.n_events - 1):
        for window in ((starts[i], starts[i]), (starts[i], ends[i]), (ends[i], ends[i] + 1),
                       (starts[0] - 10, starts[i]), (starts[i], ends.max() + 10)):
            _same(blocks, data, (float(window[0]), float(window[1])))


@pytest.mark.parametrize("size", [64, 1000, 4096])
def test_the_whole_history_from_the_sums_is_the_pair_by_pair_count(data, crowd, size):
    for d in (data, crowd):
        whole = wn.NetworkBlocks(d, size).whole()
        ref = network.cooccurrence(d, np.ones(d.n_events, dtype=bool))
        for name in ("a", "b", "count"):
            np.testing.assert_array_equal(getattr(whole, name), getattr(ref, name))


def test_the_layout_and_the_first_window_share_one_pass_over_the_file(data, monkeypatch):
    """The graph's layout reads the whole history from the running sums (made
    then, once), and a window counted after it finds them made."""
    from gui.graph.layout import history_edges

    monkeypatch.setattr(wn, "BLOCK_BYTES_PER_EVENT", 40.0)  # blocks even for this small file
    monkeypatch.setattr(wn, "MIN_BLOCK", 256)
    data.derived.pop("network_blocks", None)
    built = []
    real_init = wn.NetworkBlocks.__init__
    monkeypatch.setattr(wn.NetworkBlocks, "__init__", lambda self, *a: built.append(1) or real_init(self, *a))
    a, b, w = history_edges(data, [])
    ref = network.cooccurrence(data, np.ones(data.n_events, dtype=bool))
    np.testing.assert_array_equal(a, ref.a)
    np.testing.assert_array_equal(b, ref.b)
    np.testing.assert_allclose(w, np.log1p(ref.count))
    assert built == [1]  # the layout made the sums
    t0, t1 = data.time_range
    wn.network_of_window(data, (t0 + 0.1 * (t1 - t0), t0 + 0.8 * (t1 - t0)), None, True)
    assert built == [1]  # and the window found them
    data.derived.pop("network_blocks", None)


def test_network_of_window_uses_the_sums_once_built_and_filters_pair_by_pair(data, monkeypatch):
    monkeypatch.setattr(wn, "BLOCK_BYTES_PER_EVENT", 40.0)  # blocks even for this small file
    monkeypatch.setattr(wn, "MIN_BLOCK", 256)
    data.derived.pop("network_blocks", None)
    t0, t1 = data.time_range
    window = (t0 + 0.2 * (t1 - t0), t0 + 0.7 * (t1 - t0))
    assert wn.network_of_window(data, window, None, True, build=False)[0].sum() > 0
    assert "network_blocks" not in data.derived  # the UI thread never builds them
    counts, co = wn.network_of_window(data, window, None, True)
    blocks = data.derived["network_blocks"]
    assert blocks and blocks.nbytes > 0
    assert wn.work_at_most(data, window, None) < len(wn.window_events(data, window, None))
    ref = network.cooccurrence(data, network.window_mask(data, window))
    np.testing.assert_array_equal(co.count, ref.count)
    filt = np.random.default_rng(1).random(data.n_events) < 0.3
    counts, co = wn.network_of_window(data, window, filt, True)
    mask = network.window_mask(data, window) & filt
    np.testing.assert_array_equal(counts, network.actor_counts(data, mask))
    np.testing.assert_array_equal(co.count, network.cooccurrence(data, mask).count)
    data.derived.pop("network_blocks", None)


def test_the_last_window_asked_again_is_answered_as_counted_and_no_other_is(data):
    """An edit shown through an overlay asks again for the window the panel
    shows: the kept answer is the count of that window; another window, filter
    or kind of count is counted afresh, and the kept arrays cannot be changed."""
    t0, t1 = data.time_range
    window = (t0 + 0.3 * (t1 - t0), t0 + 0.6 * (t1 - t0))
    first = wn.network_of_window(data, window, None, True, build=False)
    again = wn.network_of_window(data, window, None, True, build=False)
    assert again is first
    mask = network.window_mask(data, window)
    np.testing.assert_array_equal(first[0], network.actor_counts(data, mask))
    np.testing.assert_array_equal(first[1].count, network.cooccurrence(data, mask).count)
    with pytest.raises(ValueError):
        first[0][0] += 1  # read-only: a caller cannot spoil the next answer
    other = (window[0], window[1] + 86400 * 30)
    wider = wn.network_of_window(data, other, None, True, build=False)
    np.testing.assert_array_equal(wider[0], network.actor_counts(data, network.window_mask(data, other)))
    filt = np.random.default_rng(2).random(data.n_events) < 0.5
    filtered = wn.network_of_window(data, other, filt, True, build=False)
    np.testing.assert_array_equal(filtered[0], network.actor_counts(data, network.window_mask(data, other) & filt))
    same_values = filt.copy()  # a filter is one object per choice: another object is another filter
    assert wn.network_of_window(data, other, same_values, True, build=False) is not filtered
    assert wn.network_of_window(data, other, same_values, False, build=False)[1] is None


def test_the_panel_shows_the_same_links_from_the_running_sums(qtbot, tmp_path, monkeypatch):
    """The relationship panel of a file with running sums, window after window
    as the timeline sets them: the same links and counts as the store's count."""
    from bench.synth import write_synthetic

    from gui.graph import panel as panel_module
    from conftest import open_graph_panel

    path = write_synthetic(tmp_path / "p.db", events=8_000, actors=25, seed=2)
    monkeypatch.setattr(wn, "BLOCK_BYTES_PER_EVENT", 40.0)
    monkeypatch.setattr(wn, "MIN_BLOCK", 256)
    monkeypatch.setattr(panel_module, "NETWORK_SYNC_EVENTS", 2_000)  # big windows go to the worker
    panel = open_graph_panel(qtbot, path)
    session = panel.session
    data = session.data
    t0, t1 = data.time_range
    rng = np.random.default_rng(5)
    for k in range(8):
        width = (t1 - t0) * rng.uniform(0.01, 0.9)
        x0 = t0 + rng.uniform(0, (t1 - t0) - width)
        updates = panel.updates
        session.selection.set_visible_range((x0, x0 + width))
        qtbot.waitUntil(lambda: panel.updates > updates and not panel._jobs.busy, timeout=10_000)
        panel.wait_for_layout()
        ref = network.cooccurrence(data, network.window_mask(data, (x0, x0 + width)))
        ids = data.actor_ids
        expected = {(min(int(ids[a]), int(ids[b])), max(int(ids[a]), int(ids[b]))): int(c)
                    for a, b, c in zip(ref.a, ref.b, ref.count)}
        assert panel.shared_event_counts() == expected
    assert data.derived.get("network_blocks"), "the big windows were counted from running sums"


def test_an_edit_overlaid_on_the_running_sums_counts_as_the_edited_file(tmp_path, monkeypatch):
    """A big file's window counted from its running sums, with edits not yet
    folded in (moved, retitled, deleted events): the same network as the
    edited file counted afresh, for windows of every width."""
    from bench.synth import write_synthetic
    from store.edits import events as event_edits
    from store.timeline_overlay import overlay_of
    from store.timeline_patch import read_changes
    from store.writing import write

    monkeypatch.setattr(wn, "BLOCK_BYTES_PER_EVENT", 40.0)
    monkeypatch.setattr(wn, "MIN_BLOCK", 256)
    path = write_synthetic(tmp_path / "edit.db", events=8_000, actors=25, seed=3)
    base = _load(path)
    assert wn.NetworkBlocks.of(base, True) is not None  # the sums the panel counts big windows from
    db = open_database(path)
    ids = [int(base.event_ids[i]) for i in (10, 2_500, 7_990)]
    with write(db, "edit") as w:
        event_edits.update_event(w, ids[0], start="2 May 2031")  # moved past every other event
        event_edits.update_event(w, ids[1], start="1990")  # and before them
        event_edits.delete_event(w, ids[2])
    overlay = overlay_of(base, read_changes(db, base, ids))
    db.conn.close()
    edited = _load(path)
    t0, t1 = edited.time_range
    for lo, hi in ((t0, t1), (t0 - 1e9, t1 + 1e9), (t0 + (t1 - t0) * 0.3, t0 + (t1 - t0) * 0.6), (t1 - 86_400 * 400, t1)):
        counts, co = wn.overlaid_network(overlay, (lo, hi), None, None, True)
        their_counts, theirs = wn.window_network(edited, wn.window_events(edited, (lo, hi), None), True)
        np.testing.assert_array_equal(counts, their_counts)
        for name in ("a", "b", "count"):
            np.testing.assert_array_equal(getattr(co, name), getattr(theirs, name))


@pytest.fixture(scope="module")
def many_actors(tmp_path_factory):
    """A file under a million events with a thousand actors: half a million
    possible pairs, far fewer made."""
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("many") / "many.db", events=20_000, actors=1_000, seed=6)


def test_a_smaller_file_with_many_actors_gets_running_sums_sized_by_the_pairs_it_makes(many_actors):
    data = _load(many_actors)
    a, possible = data.n_actors, data.n_actors * (data.n_actors - 1) // 2
    assert data.n_events < wn.SMALL_FILE_EVENTS
    assert wn._size_for(data.n_events, wn.SMALL_FILE_BYTES / 4 / (a + possible)) == 0  # sized for every possible pair: none
    size = wn._block_size(data)
    assert size >= wn.MIN_BLOCK and data.n_events // size >= wn.MIN_BLOCKS
    blocks = wn.NetworkBlocks(data, size)
    assert blocks.nbytes <= wn.SMALL_FILE_BYTES
    t0, t1 = data.time_range
    for lo, hi in ((0.0, 1.0), (0.1, 0.35), (0.5, 0.52), (0.2, 0.9)):
        _same(blocks, data, (t0 + lo * (t1 - t0), t0 + hi * (t1 - t0)))


def test_the_panel_asks_for_the_sums_of_new_data_once_on_a_worker(qtbot, many_actors, monkeypatch):
    """Windows small enough to count on the UI thread ask for the data's sums
    on a worker (after an edit is folded in there is new data and none yet):
    once per data, and the next windows are counted from them."""
    from gui.graph import window_jobs
    from gui.jobs import wait_all

    from conftest import open_graph_panel

    panel = open_graph_panel(qtbot, many_actors)
    session = panel.session
    wait_all()
    data = session.data
    assert data.derived.get("network_blocks")  # made with the layout's pass
    # as new data after an edit: no sums, and none asked for yet (at opening
    # the panel may have asked while the layout's pass was making them)
    data.derived.pop("network_blocks")
    panel._jobs._sums_for = None
    started = []
    real_start = window_jobs.Job.start
    monkeypatch.setattr(window_jobs.Job, "start", lambda job: started.append(job) or real_start(job))
    t0, t1 = data.time_range
    for lo, hi in ((0.1, 0.3), (0.2, 0.5), (0.4, 0.45)):
        session.selection.set_visible_range((t0 + lo * (t1 - t0), t0 + hi * (t1 - t0)))
        qtbot.waitUntil(lambda: not panel._jobs.busy and not panel._trailing.isActive(), timeout=10_000)
    wait_all()
    assert len(started) == 1
    assert data.derived.get("network_blocks")
    window = (t0 + 0.3 * (t1 - t0), t0 + 0.8 * (t1 - t0))
    assert wn.work_at_most(data, window, None) < len(wn.window_events(data, window, None))


def test_a_tiny_or_empty_file_has_no_running_sums(tmp_path):
    from bench.synth import write_synthetic

    for events in (0, 1, 2_000):
        if events:
            path = write_synthetic(tmp_path / f"t{events}.db", events=events, actors=5, seed=1)
        else:
            path = tmp_path / "empty.db"
            open_database(path, create=True).conn.close()
        data = _load(path)
        assert wn._block_size(data) == 0
        assert wn.NetworkBlocks.of(data, True) is None
        assert len(wn.history_network(data).a) == len(network.cooccurrence(data, np.ones(data.n_events, bool)).a)
