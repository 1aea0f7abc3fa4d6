"""Edits folded into the loaded arrays give exactly what reading the file again gives.

Random sequences of adds, moves, actor changes, deletes, undos and redos run
on a real SQLite file (the sample story, and a small synthetic file); after
every step the patched arrays, lane index and summaries must equal a fresh
full load, and a patched state must never become the cache beside the file.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import cache, edits, records, timeline_summary
from store.database import close_database, open_database
from store.lane_index import LaneIndex, build_merged_index
from store.records import Participation
from store.timeline_data import CACHED_ARRAYS, LANE_ARRAYS, default_lane_order, load_timeline_data
from store.network import events_with_actors
from store.timeline_overlay import overlay_of
from store.timeline_patch import apply_changes, patch_timeline, read_changes, relabel_actors
from store.view_model import density_frame
from store.view_model.visible import VisibleIndex, edge_pairs
from store.view_model.window_network import overlaid_network, window_events, window_network


def assert_same(patched, full) -> None:
    """Every array (values and dtype), the lane index and the summaries."""
    for name in CACHED_ARRAYS:
        a, b = getattr(patched, name), getattr(full, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert patched.t0_base == full.t0_base
    assert (patched.actor_names, patched.actor_kinds, patched.actor_colours) == (
        full.actor_names, full.actor_kinds, full.actor_colours)
    assert patched.time_range == full.time_range
    same_index(patched.derived["lane_index"], full.derived["lane_index"])
    for name, value in timeline_summary.summarise(full).items():
        np.testing.assert_array_equal(getattr(timeline_summary, name)(patched), value, err_msg=name)
    assert default_lane_order(patched) == default_lane_order(full)
    # what was carried over to find events by id agrees with the ids
    if "ids_ascending" in patched.derived:
        assert patched.derived["ids_ascending"] == full._ids_ascending()
    if patched._id_order is not None:
        np.testing.assert_array_equal(patched._id_order, np.argsort(full.event_ids, kind="stable"))
    # a few ids, looked up by a pass over the ids while the order is unbuilt (as on a fresh load)
    tiny = np.r_[full.event_ids[[0, -1]].astype(np.int64), -5, 2**40] if full.n_events else np.r_[-5, 2**40]
    idx, found = patched._scan(tiny)
    np.testing.assert_array_equal(idx[found], patched.index_of_ids(tiny))
    np.testing.assert_array_equal(patched.index_of_ids(tiny), full.index_of_ids(tiny))
    probe = np.r_[full.event_ids[::7], -5]
    np.testing.assert_array_equal(patched.index_of_ids(probe), full.index_of_ids(probe))
    few = np.r_[full.event_ids[:: max(1, full.n_events // 20)][:30].astype(np.int64), -5, 2**40]  # through the id order
    np.testing.assert_array_equal(patched.index_of_ids(few), full.index_of_ids(few))


def same_index(mine, theirs) -> None:
    assert isinstance(mine, LaneIndex)
    assert (mine.base, mine.quantum) == (theirs.base, theirs.quantum)
    for name in LANE_ARRAYS:
        a, b = getattr(mine, name), getattr(theirs, name)
        assert a.dtype == b.dtype, f"lane {name}"
        np.testing.assert_array_equal(a, b, err_msg=f"lane {name}")


@pytest.fixture(scope="module")
def masters(tmp_path_factory) -> dict[str, Path]:
    from store.sample import write_sample
    from bench.synth import write_synthetic

    folder = tmp_path_factory.mktemp("patch-masters")
    return {"sample": write_sample(folder / "sample.db"),
            "synth": write_synthetic(folder / "synth.db", events=400, actors=9, seed=3),
            "ordered": _ordered_story(folder / "ordered.db")}


def _ordered_story(path: Path) -> Path:
    """Events written in time order (ids follow time), a few without actors."""
    db = open_database(path, create=True)
    try:
        people = [records.add_actor(db, f"Person {k}") for k in range(5)]
        for k in range(60):
            who = [Participation(people[(k * j) % 5]) for j in range(1, 1 + k % 3)]
            records.add_event(db, f"Event {k}", _day(1_600_000_000 + k * 86400 * 3), actors=list(dict.fromkeys(who)))
    finally:
        close_database(db)
    return path


def _day(seconds: int) -> str:
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(seconds))).strftime("%Y-%m-%d")


step = st.one_of(
    st.tuples(st.just("add"), st.floats(-0.02, 1.02), st.lists(st.integers(0, 50), max_size=4), st.sampled_from(["day", "month", "year"])),
    st.tuples(st.just("move"), st.integers(0, 10**6), st.floats(-0.02, 1.02), st.booleans()),
    st.tuples(st.just("actors"), st.integers(0, 10**6), st.lists(st.integers(0, 50), max_size=4)),
    st.tuples(st.just("delete"), st.integers(0, 10**6)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
    # actors: a new one (no event yet), one deleted (with no event, or any)
    st.tuples(st.just("new_actor")),
    st.tuples(st.just("drop_actor"), st.integers(0, 10**6), st.booleans()),
)


def window_totals(data, lanes, overlay, x0, x1, lane_of_actor=None, n_lanes=None, masks=(None, None)):
    """Pairs per lane of the events overlapping [x0, x1], as the timeline's
    density frame counts them (columns, edge columns, and the overlay's delta),
    plus the grid itself; ``lanes`` is an index over ``data`` (merged by
    ``lane_of_actor``, or over the events of ``masks[0]``)."""
    width = 97
    n = lanes.offsets.shape[0] - 1 if n_lanes is None else n_lanes
    cols = density_frame.columns(lanes, x0, x1, width)
    rows = np.arange(n)
    grid = density_frame.count_grid(lanes, rows, cols).astype(np.int64)
    actor, col = edge_pairs(VisibleIndex(data), lanes, cols, x0, x1, masks[0])
    lane = actor if lane_of_actor is None else lane_of_actor[actor]
    np.add.at(grid, (lane[lane >= 0], col[lane >= 0]), 1)
    if overlay is not None:
        delta = overlay.grid_delta(lanes, rows, cols, (x0, x1), lane_of_actor, *masks)
        if delta is not None:
            np.add.at(grid, delta[:2], delta[2])
    return grid.sum(axis=1), grid


def overlaid_windows(story) -> list[tuple[float, float]]:
    lo, hi = story.lo, story.hi
    span = hi - lo
    return [(lo - span, hi + span), (lo + span * 0.3, lo + span * 0.7), (lo + span * 0.45, lo + span * 0.55 + 3600.5),
            (lo + span * 0.1, lo + span * 0.1 + 86400 * 3)]


def assert_overlay_reads_as(overlay, full, story) -> None:
    """What the views read through base and overlay equals the full load:
    events in windows (ids, times, actors), lane contents, events per actor,
    and density counts per lane (all lanes, summary lanes, a selection)."""
    base = overlay.base
    assert overlay.n_events == full.n_events
    same_actors = np.array_equal(base.actor_ids, full.actor_ids)
    if same_actors:
        np.testing.assert_array_equal(overlay.actor_events(timeline_summary.actor_events(base)),
                                      timeline_summary.actor_events(full))
    if base.time_range == full.time_range:  # the overview strip (its span as the base's until folded)
        np.testing.assert_array_equal(overlay.overview(timeline_summary.overview(base)), timeline_summary.overview(full))
        lanes, theirs = base.derived["lane_index"], full.derived["lane_index"]
        for a in range(full.n_actors):
            mine = overlay.lane_keys(lanes, a) * lanes.quantum + lanes.base
            np.testing.assert_array_equal(mine, theirs.lane_keys(a).astype(np.int64) * theirs.quantum + theirs.base)
    for x0, x1 in overlaid_windows(story):
        expected = VisibleIndex(full).events_in(x0, x1)
        np.testing.assert_array_equal(overlay.event_ids_in(x0, x1), np.sort(full.event_ids[expected].astype(np.int64)))
        seen, _ = overlay.window_data(x0, x1)
        np.testing.assert_array_equal(seen.event_ids, full.event_ids[expected])
        np.testing.assert_array_equal(seen.start(), full.start(expected))
        np.testing.assert_array_equal(seen.end(), full.end(expected))
        np.testing.assert_array_equal(seen.style, full.style[expected])
        np.testing.assert_array_equal(np.diff(seen.pair_offsets), np.diff(full.pair_offsets)[expected])
        np.testing.assert_array_equal(seen.pair_actor, full.pair_actor[np.concatenate(
            [np.arange(full.pair_offsets[i], full.pair_offsets[i + 1]) for i in expected] or [np.zeros(0, int)])])
        if not same_actors:
            continue
        # the relationship panel's network of the window
        counts, co = overlaid_network(overlay, (x0, x1), None, None, True)
        their_counts, theirs = window_network(full, window_events(full, (x0, x1), None), True)
        np.testing.assert_array_equal(counts, their_counts)
        for name in ("a", "b", "count"):
            np.testing.assert_array_equal(getattr(co, name), getattr(theirs, name))
        # density: every lane, lanes merging several actors, and one actor's events lit
        totals, grid = window_totals(base, base.derived["lane_index"], overlay, x0, x1)
        assert grid.min() >= 0  # no pair taken from a column it was not counted in
        np.testing.assert_array_equal(totals, window_totals(full, full.derived["lane_index"], None, x0, x1)[0])
        merge = np.arange(full.n_actors) % 3 - (np.arange(full.n_actors) % 4 == 0)
        totals, grid = window_totals(base, build_merged_index(base, merge, 3), overlay, x0, x1, merge, 3)
        assert grid.min() >= 0
        np.testing.assert_array_equal(totals, window_totals(full, build_merged_index(full, merge, 3), None, x0, x1,
                                                            merge, 3)[0])
        pick = [int(np.argmax(timeline_summary.actor_events(full)))]
        mb, me, mf = (events_with_actors(d, pick) for d in (base, overlay.extra, full))
        from store.lane_index import build_lane_index
        totals, grid = window_totals(base, build_lane_index(base, mb), overlay, x0, x1, masks=(mb, me))
        assert grid.min() >= 0
        np.testing.assert_array_equal(totals, window_totals(full, build_lane_index(full, mf), None, x0, x1,
                                                            masks=(mf, None))[0])


class Story:
    """A real file with an undo history of store edits, as the window keeps one."""

    def __init__(self, path: Path, fold_every: int = 1):
        self.db = open_database(path)
        self.data = load_timeline_data(self.db, use_cache=False)
        self.lo, self.hi = self.data.time_range
        self.actors = [int(a) for a in self.data.actor_ids if a != -1]
        self.undo: list = []
        self.redo: list = []
        self.patched = self.fell_back = self.overlaid = 0
        self.fold_every = fold_every  # edits shown through an overlay before they are folded in
        self.pending: set[int] = set()
        self.now = self.data  # the file as it is (the arrays may lag behind it by an overlay)

    def event(self, pick: int) -> int:
        ids = self.now.event_ids
        return int(ids[pick % len(ids)])

    def when(self, share: float, precision: str = "day") -> str:
        day = _day(self.lo + share * (self.hi - self.lo))
        return {"day": day, "month": day[:7], "year": day[:4]}[precision]

    def people(self, picks) -> list[Participation]:
        chosen = list(dict.fromkeys(self.actors[p % len(self.actors)] for p in picks))
        return [Participation(a, "participant") for a in chosen]

    def do(self, op) -> int | None:
        """Apply one step; the event id it touched (None: nothing happened)."""
        db, kind = self.db, op[0]
        if kind == "add":
            _, share, picks, precision = op
            eid = records.add_event(db, "added", self.when(share, precision), actors=self.people(picks))
            snap = [None]
            self.undo.append((eid, lambda: snap.__setitem__(0, edits.delete_event(db, eid)),
                              lambda: edits.restore_event(db, snap[0])))
        elif kind in ("move", "actors"):
            eid = self.event(op[1])
            fields = ({"start": self.when(op[2]), "end": self.when(op[2] + 0.01) if op[3] else None}
                      if kind == "move" else {"actors": self.people(op[2])})
            old = edits.update_event(db, eid, **fields)
            self.undo.append((eid, lambda: edits.update_event(db, eid, **old),
                              lambda: edits.update_event(db, eid, **fields)))
        elif kind == "delete":
            if self.now.n_events <= 1:
                return None
            eid = self.event(op[1])
            snap = [edits.delete_event(db, eid)]
            self.undo.append((eid, lambda: edits.restore_event(db, snap[0]),
                              lambda: snap.__setitem__(0, edits.delete_event(db, eid))))
        elif kind in ("new_actor", "drop_actor"):
            eid = ACTORS
            if kind == "new_actor":
                aid = records.add_actor(db, f"New actor {len(self.undo)}-{len(self.actors)}")
                snap = [None]
                self.undo.append((eid, lambda: snap.__setitem__(0, edits.delete_actor(db, aid)),
                                  lambda: edits.restore_actor(db, snap[0])))
            else:
                busy = {int(a) for (a,) in db.execute("SELECT DISTINCT actor_id FROM event_actors")}
                pool = [a for a in self.actors if not (op[2] and a in busy)]
                if not pool:
                    return None
                aid = pool[op[1] % len(pool)]
                snap = [edits.delete_actor(db, aid)]
                self.undo.append((eid, lambda: edits.restore_actor(db, snap[0]),
                                  lambda: snap.__setitem__(0, edits.delete_actor(db, aid))))
        elif kind == "undo":
            if not self.undo:
                return None
            entry = self.undo.pop()
            entry[1]()
            self.redo.append(entry)
            return entry[0]
        else:
            if not self.redo:
                return None
            entry = self.redo.pop()
            entry[2]()
            self.undo.append(entry)
            return entry[0]
        if kind != "undo":
            self.redo.clear()
        return eid

    def check(self, eid) -> None:
        full = self.now = load_timeline_data(self.db, use_cache=False)
        self.actors = [int(a) for (a,) in self.db.execute("SELECT id FROM actors ORDER BY id")]
        if eid is ACTORS:
            self.check_actors(full)
            return
        if self.fold_every > 1:
            self.check_overlay(eid, full)
            return
        patched = patch_timeline(self.db, self.data, [eid])
        if patched is None:
            self.fell_back += 1
            self.data = full
            return
        self.patched += 1
        assert_same(patched, full)
        # an index merging several actors per lane, as the timeline's summary lanes keep
        lanes = np.arange(full.n_actors) % 3 - (np.arange(full.n_actors) % 4 == 0)
        merged = patched.derived["pair_delta"].patch_merged(build_merged_index(self.data, lanes, 3), lanes)
        same_index(merged, build_merged_index(full, lanes, 3))
        self.data = patched  # the next step patches the patched state, as the window does

    def check_actors(self, full) -> None:
        """As the window does after an actor is added or deleted: the arrays
        take the file's actors (no event read), the edits not folded in yet
        are shown through an overlay made again over them, and a fold begun
        before the actor edit lands with the file's actors."""
        old = self.data
        data = relabel_actors(self.db, old)
        if data is None:
            self.fell_back += 1
            self.data, self.pending = full, set()
            return
        self.patched += 1
        if not self.pending:
            assert_same(data, full)
            self.data = data
            return
        if self._overlaid(data, full) is None:
            return
        # the fold that began over the old arrays, given the file's actors when it lands
        before = read_changes(self.db, old, self.pending)
        folded = None if before is None else apply_changes(old, before)
        landed = None if folded is None else relabel_actors(self.db, folded)
        if landed is not None:
            assert_same(landed, full)
        self.data = data

    def _overlaid(self, data, full):
        """The pending edits read over ``data`` and shown through an overlay,
        checked against the full load: their changes, or None when there was
        no overlay to make and the window loads the file again."""
        changes = read_changes(self.db, data, self.pending)
        overlay = None if changes is None else overlay_of(data, changes)
        if overlay is None:
            self.fell_back += 1
            self.data, self.pending = full, set()
            return None
        self.overlaid += 1
        assert_overlay_reads_as(overlay, full, self)
        return changes

    def check_overlay(self, eid: int, full) -> None:
        """As the window does on a big file: the edits since the arrays were
        loaded (or last folded) shown through an overlay over them, then folded in."""
        self.pending.add(eid)
        changes = self._overlaid(self.data, full)
        if changes is None:
            return
        if len(self.pending) >= self.fold_every:
            folded = apply_changes(self.data, changes)
            if folded is None:
                self.fell_back += 1
                self.data = full
            else:
                self.patched += 1
                assert_same(folded, full)
                self.data = folded
            self.pending = set()


ACTORS = "actors"  # a step that changed the actors, not an event


def _replay(master: Path, steps, **story_options) -> "Story":
    """Apply ``steps`` to a copy of ``master``, checking against a full load
    after each; the Story, with its counts, once its file is closed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.db"
        shutil.copy(master, path)
        story = Story(path, **story_options)
        try:
            for op in steps:
                eid = story.do(op)
                if eid is not None:
                    story.check(eid)
        finally:
            close_database(story.db)
    return story


def test_a_few_ids_are_found_by_a_pass_chunk_by_chunk_as_through_the_id_order(masters, monkeypatch):
    from store import timeline_data

    db = open_database(masters["synth"])
    try:
        data = load_timeline_data(db, use_cache=False)
    finally:
        close_database(db)
    assert not data._ids_ascending() and data._id_order is None  # so a few ids are found by a pass
    monkeypatch.setattr(timeline_data, "SCAN_CHUNK", 7)  # many chunks: ids in the first, a middle and the last
    ids = data.event_ids.astype(np.int64)
    wanted = np.r_[ids[[0, 6, 7, len(ids) // 2, -1]], -5, 2**40]
    for chunk in (wanted[:4], wanted[4:]):  # at most SCAN_IDS at a time: the pass, not the order
        idx, found = data._lookup_ids(chunk)
        assert data._id_order is None
        order = np.argsort(ids, kind="stable")
        pos = np.clip(np.searchsorted(ids[order], chunk), 0, len(ids) - 1)
        np.testing.assert_array_equal(found, ids[order][pos] == chunk)
        np.testing.assert_array_equal(idx[found], order[pos][found])


@pytest.mark.parametrize("which", ["sample", "synth", "ordered"])
def test_patched_arrays_equal_a_full_load(masters, which):
    counts = {"patched": 0, "fell_back": 0}

    # the same examples every run: how many fall back depends on the draw
    # (one run in many drew more fallbacks than patches), and the count is asserted below
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
    @given(st.lists(step, min_size=1, max_size=8))
    def run(steps):
        story = _replay(masters[which], steps)
        counts["patched"] += story.patched
        counts["fell_back"] += story.fell_back

    run()
    # the patch is the usual path, not a fallback that always fires
    assert counts["patched"] > counts["fell_back"], counts


@pytest.mark.parametrize("which", ["sample", "synth", "ordered"])
def test_views_read_through_an_overlay_as_a_full_load(masters, which):
    """Random edits, undos and redos shown through an overlay (up to three at
    a time) before the fold: at every step the views read what a full load
    gives, and every fold equals a full load exactly."""
    counts = {"overlaid": 0, "fell_back": 0}

    # the same examples every run, as above: one run in many drew more fallbacks than overlays
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
    @given(st.lists(step, min_size=1, max_size=8))
    def run(steps):
        story = _replay(masters[which], steps, fold_every=3)
        counts["overlaid"] += story.overlaid
        counts["fell_back"] += story.fell_back

    run()
    assert counts["overlaid"] > counts["fell_back"], counts


def test_a_move_is_patched_and_never_cached(masters, tmp_path):
    path = tmp_path / "story.db"
    shutil.copy(masters["synth"], path)
    db = open_database(path)
    try:
        data = load_timeline_data(db)  # writes the cache for this generation
        before = cache.cache_key(db, path)
        eid = int(data.event_ids[len(data.event_ids) // 2])
        lo, hi = data.time_range
        edits.update_event(db, eid, start=_day((lo + hi) // 2 + 86400 * 3))
        patched = patch_timeline(db, data, [eid])
        assert patched is not None and patched.derived["loaded_from"] == "patch"
        assert_same(patched, load_timeline_data(db, use_cache=False))
        # the edit made the old cache stale, and patching wrote none for the new state
        assert cache.cache_key(db, path) != before
        assert cache.read_cache(cache.cache_path(path), cache.cache_key(db, path)) is None
        assert load_timeline_data(db).derived["loaded_from"] == "database"
    finally:
        close_database(db)


def test_moving_the_earliest_event_falls_back(masters, tmp_path):
    path = tmp_path / "story.db"
    shutil.copy(masters["sample"], path)
    db = open_database(path)
    try:
        data = load_timeline_data(db, use_cache=False)
        first = int(data.event_ids[0])
        lo, hi = data.time_range
        edits.update_event(db, first, start=_day((lo + hi) // 2))
        assert patch_timeline(db, data, [first]) is None  # every start is relative to the earliest
    finally:
        close_database(db)




def alt_drag_trump_order(win) -> tuple[int, str, int]:
    """Alt-drag the sample's 'Trump signs order' marker from 9 April to 14
    April in Donald Trump's lane, as a person does; (its id, its start now,
    the lane's row)."""
    from PySide6.QtCore import Qt

    from store.dates import parse_date
    from test_explorer import drag, event_point, plot_point
    from test_window_editing import actor_id, row_count

    db = win.session.story.db
    order = row_count(db, "SELECT id FROM events WHERE title LIKE 'Trump signs order%'")
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, "Donald Trump"))
    win.timeline.set_window(parse_date("2025-04-01").earliest, parse_date("2025-04-20").latest)
    new_day = parse_date("2025-04-14").earliest + 12 * 3600
    drag(win.timeline.plot.viewport(), event_point(win, order, "Donald Trump"), plot_point(win, new_day, row),
         Qt.KeyboardModifier.AltModifier)
    return order, row_count(db, "SELECT start FROM events WHERE id = ?", order), row


def test_alt_drag_and_undo_show_the_move_without_reading_the_file_again(win, qtbot):
    from PySide6.QtCore import Qt

    from store.dates import parse_date
    from test_explorer import plot_point
    from test_window_editing import drawn_events, row_count

    session, db = win.session, win.session.story.db
    session.reloader.background_events = 0  # a reload would now run on a worker and show later
    reloads = []
    session.reloader.busy.connect(reloads.append)
    order, moved_to, row = alt_drag_trump_order(win)
    assert moved_to in ("2025-04-13", "2025-04-14", "2025-04-15")
    # shown at once, from patched arrays that equal a full load; no reload began
    assert not reloads and not session.reloader.running
    assert session.data.derived["loaded_from"] == "patch"
    assert order in drawn_events(win)
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    # a person clicking where it now is picks it
    qtbot.keyClick(win.timeline.plot.viewport(), Qt.Key.Key_Escape)
    assert not session.selection.selected_events
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot_point(win, parse_date(moved_to).earliest + 12 * 3600, row))
    assert session.selection.selected_events == {order}
    # undo by key: back on the 9th, again without a reload
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert row_count(db, "SELECT start FROM events WHERE id = ?", order) == "2025-04-09"
    assert not reloads and session.data.derived["loaded_from"] == "patch"
    i = session.event_index(order)
    assert session.data.start(i) == parse_date("2025-04-09").earliest
    assert_same(session.data, load_timeline_data(db, use_cache=False))


def test_a_folded_in_edit_keeps_the_cache_current_and_never_stale(qtbot, masters, tmp_path):
    from gui import commands
    from gui.session import Session

    path = tmp_path / "story.db"
    shutil.copy(masters["synth"], path)
    session = Session.open(path)
    try:
        data = session.data
        eid = int(data.event_ids[len(data.event_ids) // 2])
        lo, hi = data.time_range
        assert session.run(commands.move_event(session, eid, "x", _day((lo + hi) // 2 + 86400 * 5), None)) is None
        assert session.data.derived["loaded_from"] == "patch" and not session.reloader.running
        qtbot.waitUntil(lambda: not session.caching, timeout=10_000)
        # a second open reads the cache the patch wrote, and it is the file as it is
        with_cache = load_timeline_data(session.story.db)
        assert with_cache.derived["loaded_from"] == "cache"
        assert_same(with_cache, load_timeline_data(session.story.db, use_cache=False))
        # any later write to the file makes that cache stale: it is not used
        edits.update_event(session.story.db, eid, title="renamed elsewhere")
        assert load_timeline_data(session.story.db, write_cache=False).derived["loaded_from"] == "database"
    finally:
        session.close()


def test_a_very_big_file_folds_edits_in_on_a_worker_in_order(qtbot, masters, tmp_path):
    """Above a size the folding runs on a worker (the window keeps answering);
    an edit made meanwhile is not lost: it is read with the file, and the
    earlier patch, overtaken, is not shown over it."""
    from gui import commands
    from gui.session import Session

    path = tmp_path / "story.db"
    shutil.copy(masters["synth"], path)
    session = Session.open(path)
    session.patch_background_events = 0  # the small file stands in for a very big one
    try:
        before = session.data
        eid = int(before.event_ids[len(before.event_ids) // 2])
        lo, hi = before.time_range
        middle = (lo + hi) // 2
        assert session.run(commands.move_event(session, eid, "x", _day(middle + 86400 * 5), None)) is None
        assert session.patching and session.data is before  # nothing waited for it
        qtbot.waitUntil(lambda: not session.patching, timeout=10_000)
        assert session.data.derived["loaded_from"] == "patch"
        assert session.selection.selected_events == {eid}  # what follows an edit ran once it showed
        assert_same(session.data, load_timeline_data(session.story.db, use_cache=False))
        # two edits in a row: the second comes while the first is being folded in
        assert session.run(commands.move_event(session, eid, "x", _day(middle + 86400 * 9), None)) is None
        assert session.run(commands.move_event(session, eid, "x", _day(middle + 86400 * 11), None)) is None
        qtbot.waitUntil(lambda: not session.patching and not session.reloader.running, timeout=20_000)
        i = session.event_index(eid)
        assert _day(int(session.data.start(i))) == _day(middle + 86400 * 11)
        assert_same(session.data, load_timeline_data(session.story.db, use_cache=False))
    finally:
        session.close()


def test_deleting_a_relationships_evidence_updates_the_relationship_without_a_reload(win, qtbot):
    """Relationships are read again only when an edited event is (or was)
    evidence for one: deleting such an event drops it from the relationship,
    Ctrl+Z puts it back; a move of any other event leaves them as they are."""
    from PySide6.QtCore import Qt

    from gui import commands

    session = win.session
    rel = next(r for r in session.relationships if r.event_ids)
    evidence = rel.event_ids[0]
    session.reloader.background_events = 0  # a reload would run on a worker and be seen
    reads = []
    session.reloader.busy.connect(reads.append)
    assert session.run(commands.delete_event(session, evidence, "evidence")) is None
    assert evidence not in next(r for r in session.relationships if r.id == rel.id).event_ids
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert evidence in next(r for r in session.relationships if r.id == rel.id).event_ids
    before = session.relationships
    other = next(int(e) for e in session.data.event_ids
                 if not any(int(e) in r.event_ids for r in session.relationships))
    assert session.run(commands.move_event(session, other, "other", "2025-05-03", None)) is None
    assert session.relationships is before
    assert reads == [] and session.data.derived["loaded_from"] == "patch"


def _drawn_at(win, event_id) -> list[float]:
    """Where the timeline's last detail frame drew the event: its pairs' x, in seconds."""
    lanes = win.timeline.lanes
    _left, x0, x1, width = lanes._origin
    frame, data = lanes._frame, lanes._frame_data
    mine = data.event_ids[frame.event] == event_id
    return (x0 + frame.x0[mine] * (x1 - x0) / width).tolist()


def test_on_a_big_file_a_move_and_its_undo_show_in_the_next_paint_before_they_are_folded_in(win, qtbot, monkeypatch):
    """Above the size where edits are folded in on a worker, an Alt-drag is
    drawn at the event's new place in the very next paint, from the overlay
    over the unchanged arrays, with no reload; a second drag of it from there
    and Ctrl+Z likewise; then the fold replaces arrays and overlay with
    exactly what a full load gives."""
    from PySide6.QtCore import Qt

    from gui import session as session_module

    from store.dates import parse_date
    from test_window_editing import actor_id, row_count
    from test_explorer import drag, event_point, plot_point

    session, db = win.session, win.session.story.db
    session.patch_background_events = 0  # the sample stands in for a file of millions of events
    session.reloader.background_events = 0  # a reload would run on a worker and be seen
    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 2500)  # a fold as slow as ten million events'
    reloads = []
    session.reloader.busy.connect(reloads.append)
    order = row_count(db, "SELECT id FROM events WHERE title LIKE 'Trump signs order%'")
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, "Donald Trump"))
    win.timeline.set_window(parse_date("2025-04-01").earliest, parse_date("2025-04-20").latest)
    before = session.data
    new_day = parse_date("2025-04-14").earliest + 12 * 3600
    drag(win.timeline.plot.viewport(), event_point(win, order, "Donald Trump"), plot_point(win, new_day, row),
         Qt.KeyboardModifier.AltModifier)
    moved_to = row_count(db, "SELECT start FROM events WHERE id = ?", order)
    assert moved_to in ("2025-04-13", "2025-04-14", "2025-04-15")
    # the next paint: the arrays are those from before the edit, the overlay shows it
    assert session.patching and session.data is before and session.overlay is not None
    win.timeline.plot.viewport().repaint()
    day = parse_date(moved_to).earliest
    assert _drawn_at(win, order) and all(day <= x < day + 86400 for x in _drawn_at(win, order))
    assert not reloads and not session.reloader.running
    # dragged again from where it is drawn now, before the first move is folded in
    later = parse_date("2025-04-17").earliest + 12 * 3600
    drag(win.timeline.plot.viewport(), plot_point(win, day + 12 * 3600, row), plot_point(win, later, row),
         Qt.KeyboardModifier.AltModifier)
    again = row_count(db, "SELECT start FROM events WHERE id = ?", order)
    assert again in ("2025-04-16", "2025-04-17", "2025-04-18")
    assert session.patching and session.data is before
    win.timeline.plot.viewport().repaint()
    day = parse_date(again).earliest
    assert _drawn_at(win, order) and all(day <= x < day + 86400 for x in _drawn_at(win, order))
    # the detail panel of the event, selected since the first drag, says its new date at once
    assert session.selection.selected_events == {order}
    assert f"Date: {again}" in win.detail.toPlainText()
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert row_count(db, "SELECT start FROM events WHERE id = ?", order) == moved_to
    assert f"Date: {moved_to}" in win.detail.toPlainText()
    # Ctrl+Z, again drawn at once at its old place
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert row_count(db, "SELECT start FROM events WHERE id = ?", order) == "2025-04-09"
    win.timeline.plot.viewport().repaint()
    old_day = parse_date("2025-04-09").earliest
    assert _drawn_at(win, order) and all(old_day <= x < old_day + 86400 for x in _drawn_at(win, order))
    assert session.data is before and not reloads
    # folded in on the worker: the overlay is gone and the arrays equal a full load
    qtbot.waitUntil(lambda: not session.patching, timeout=20_000)
    assert session.overlay is None and session.data is not before
    assert session.data.derived["loaded_from"] == "patch" and not reloads
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    win.timeline.plot.viewport().repaint()
    assert all(old_day <= x < old_day + 86400 for x in _drawn_at(win, order))
    # a person clicking where it is picks it
    qtbot.keyClick(win.timeline.plot.viewport(), Qt.Key.Key_Escape)
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot_point(win, old_day + 12 * 3600, row))
    assert session.selection.selected_events == {order}


def test_an_overlaid_edit_is_never_cached_and_its_fold_is_cached_for_its_own_key(qtbot, masters, tmp_path):
    """While an edit is shown through an overlay no cache exists for the file
    as it is; the fold is cached under the key taken right after the edit's
    commit, equals a full load, and any later write makes it stale."""
    from gui import commands
    from gui.session import Session

    path = tmp_path / "story.db"
    shutil.copy(masters["synth"], path)
    session = Session.open(path)
    session.patch_background_events = 0  # the overlay path, as on a file of millions of events
    try:
        data = session.data
        eid = int(data.event_ids[len(data.event_ids) // 2])
        lo, hi = data.time_range
        assert session.run(commands.move_event(session, eid, "x", _day((lo + hi) // 2 + 86400 * 5), None)) is None
        assert session.overlay is not None and session.patching
        key = cache.cache_key(session.story.db, path)
        assert cache.read_cache(cache.cache_path(path), key) is None  # the overlay is never written
        qtbot.waitUntil(lambda: not session.patching and not session.caching, timeout=20_000)
        hit = load_timeline_data(session.story.db)
        assert hit.derived["loaded_from"] == "cache"
        assert_same(hit, load_timeline_data(session.story.db, use_cache=False))
        # two edits, the second while the first is folded: only the last state is cached
        assert session.run(commands.move_event(session, eid, "x", _day((lo + hi) // 2 + 86400 * 9), None)) is None
        assert session.run(commands.move_event(session, eid, "x", _day((lo + hi) // 2 + 86400 * 11), None)) is None
        assert load_timeline_data(session.story.db, write_cache=False).derived["loaded_from"] == "database"
        qtbot.waitUntil(lambda: not session.patching and not session.caching, timeout=20_000)
        assert session.overlay is None
        assert _day(int(session.data.start(session.event_index(eid)))) == _day((lo + hi) // 2 + 86400 * 11)
        hit = load_timeline_data(session.story.db)
        assert hit.derived["loaded_from"] == "cache"
        assert_same(hit, load_timeline_data(session.story.db, use_cache=False))
        edits.update_event(session.story.db, eid, title="renamed elsewhere")
        assert load_timeline_data(session.story.db, write_cache=False).derived["loaded_from"] == "database"
    finally:
        session.close()


def test_actor_and_relationship_edits_update_the_views_without_reading_the_file_again(win, qtbot):
    """Renaming an actor or changing its kind relabels the same arrays (the
    lane name changes at once, the arrays are the very same objects);
    a relationship added, edited or undone re-reads the relationships alone;
    each equals a full load, and Ctrl+Z goes the same way."""
    from PySide6.QtCore import Qt

    from test_window_editing import actor_id, fill_with, row_count

    session, db = win.session, win.session.story.db
    session.reloader.background_events = 0  # a reload would run on a worker and be seen
    reloads = []
    session.reloader.busy.connect(reloads.append)
    arrays = session.data.pair_actor
    xi = actor_id(win, "Xi Jinping")
    win.editor.exec_dialog = fill_with({"name": "Xi Jinping (President)", "kind": "government body"})
    assert win.editor.edit_actor(xi)
    assert "Xi Jinping (President)" in win.timeline.axis._names and "Xi Jinping" not in win.timeline.axis._names
    i = session.actor_index(xi)
    assert session.data.actor_kinds[i] == "government body"
    assert session.data.pair_actor is arrays and not reloads
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Xi Jinping" in win.timeline.axis._names and session.data.actor_kinds[i] == "person"
    assert session.data.pair_actor is arrays and not reloads
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    # a relationship: drawn in the graph, gone on Ctrl+Z, back on Ctrl+Shift+Z; no reload
    rubio, wang = actor_id(win, "Marco Rubio"), actor_id(win, "Wang Xiaohong")
    win.editor.exec_dialog = fill_with({"type": "counterpart of", "start": "May 2025"})
    assert win.editor.new_relationship(rubio, wang)
    rel = row_count(db, "SELECT id FROM relationships WHERE type = 'counterpart of'")
    assert [e for e in win.graph.edge_specs() if e.ref.kind == "rel" and e.ref.relationship_id == rel]
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not [e for e in win.graph.edge_specs() if e.ref.relationship_id == rel]
    assert rel not in {r.id for r in session.relationships}
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert rel in {r.id for r in session.relationships}
    assert session.data.pair_actor is arrays and not reloads and not session.reloader.running
    # an actor added (no event yet): in the actor list at once, no event read; Delete and Ctrl+Z likewise
    win.editor.exec_dialog = fill_with({"name": "Li Qiang", "kind": "person"})
    assert win.editor.new_actor()
    li = actor_id(win, "Li Qiang")
    assert win.actors.item_for(li) is not None and session.actor_index(li) is not None
    assert session.data.pair_actor is arrays and not reloads
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    assert session.selection.selected_actors == {li}
    qtbot.keyClick(win, Qt.Key.Key_Delete)
    assert win.actors.item_for(li) is None and session.actor_index(li) is None
    assert not row_count(db, "SELECT count(*) FROM actors WHERE id = ?", li)
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.actors.item_for(li) is not None
    assert session.data.pair_actor is arrays and not reloads
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    # an actor with events deleted changes events: the file is read again
    win.editor.delete_actor(xi)
    assert reloads
    qtbot.waitUntil(lambda: not session.reloader.running, timeout=10_000)
    assert_same(session.data, load_timeline_data(db, use_cache=False))


def test_on_a_big_file_an_actor_added_or_deleted_while_a_move_is_folded_in_reads_no_event(win, qtbot, monkeypatch):
    """Above the size where edits are folded in on a worker: a new actor
    while a moved event waits to be folded in shows in the actor list at
    once, the move stays drawn through the overlay, and once the fold lands
    the arrays equal a full load; deleting the new actor and Ctrl+Z
    likewise, with no reload at any step."""
    from PySide6.QtCore import Qt

    from gui import commands
    from gui import session as session_module
    from test_window_editing import actor_id, fill_with

    session, db = win.session, win.session.story.db
    session.patch_background_events = 0  # the sample stands in for a file of millions of events
    session.reloader.background_events = 0  # a reload would run on a worker and be seen
    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 1500)
    reloads = []
    session.reloader.busy.connect(reloads.append)
    moved = int(session.data.event_ids[len(session.data.event_ids) // 2])
    assert session.run(commands.move_event(session, moved, "moved", "2025-05-07", None)) is None
    assert session.patching and session.overlay is not None
    win.editor.exec_dialog = fill_with({"name": "Li Qiang", "kind": "person"})
    assert win.editor.new_actor()
    li = actor_id(win, "Li Qiang")
    assert win.actors.item_for(li) is not None and session.actor_index(li) is not None
    assert session.overlay is not None and moved in session.overlay.ids  # the move is still drawn
    qtbot.waitUntil(lambda: not session.patching, timeout=10_000)
    assert not reloads and session.overlay is None
    assert_same(session.data, load_timeline_data(db, use_cache=False))
    # deleted (Delete, the new actor selected) while another move waits, then Ctrl+Z
    assert session.run(commands.move_event(session, moved, "moved", "2025-05-09", None)) is None
    assert session.selection.selected_events == {moved}
    tree = win.actors.tree
    tree.scrollToItem(win.actors.item_for(li))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(win.actors.item_for(li)).center())
    assert session.selection.selected_actors == {li}
    qtbot.keyClick(win, Qt.Key.Key_Delete)
    assert win.actors.item_for(li) is None
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.actors.item_for(li) is not None
    qtbot.waitUntil(lambda: not session.patching, timeout=10_000)
    assert not reloads
    assert_same(session.data, load_timeline_data(db, use_cache=False))


def test_zoomed_out_a_move_shows_in_the_density_frame_as_the_fold_will(qtbot, tmp_path, monkeypatch):
    """Zoomed out (counts per pixel, not markers) the frame painted through the
    overlay right after a move is the very frame the folded arrays give, and
    Ctrl+Z gives back the frame from before, without a reload."""
    from PySide6.QtCore import Qt

    from conftest import open_main_window
    from gui import commands
    from gui import session as session_module
    from bench.synth import write_synthetic

    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 2500)
    path = write_synthetic(tmp_path / "dense.db", events=6000, actors=8, seed=5)
    win = open_main_window(qtbot, path, tmp_path)
    session, lanes = win.session, win.timeline.lanes
    session.patch_background_events = 0
    reloads = []
    session.reloader.busy.connect(reloads.append)
    lo, hi = session.data.time_range
    win.timeline.set_window(lo, hi)
    qtbot.waitExposed(win)
    qtbot.wait(50)

    def frame():
        win.timeline.plot.viewport().repaint()
        assert lanes.last_mode == "density"
        return lanes.last_grid.copy()

    before, base = frame(), session.data
    eid = int(base.event_ids[base.n_events // 3])
    assert session.run(commands.move_event(session, eid, "x", _day(lo + (hi - lo) * 0.9), None)) is None
    assert session.overlay is not None and session.data is base
    shown = frame()
    assert not np.array_equal(shown, before) and shown.sum() == before.sum()
    qtbot.waitUntil(lambda: not session.patching, timeout=20_000)
    assert session.overlay is None and session.data is not base
    np.testing.assert_array_equal(frame(), shown)  # the folded arrays draw what the overlay drew
    folded = session.data
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.overlay is not None and session.data is folded
    np.testing.assert_array_equal(frame(), before)
    assert not reloads


def test_on_a_big_file_the_table_actor_list_and_overview_follow_an_edit_before_it_is_folded_in(win, qtbot, monkeypatch):
    """Above the size where edits are folded in on a worker: an Alt-drag
    shows its new date in the event table at once, an event typed into the
    table's new-event row is listed and counted for its actor at once, and
    Delete takes its row out at once, all while the fold has not landed; the
    overview strip counts each; once folded the table lists what it listed."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from gui import session as session_module
    from store.dates import parse_date
    from test_window_editing import actor_id, row_count

    session, db = win.session, win.session.story.db
    session.patch_background_events = 0  # the sample stands in for a file of millions of events
    session.reloader.background_events = 0  # a reload would run on a worker and be seen
    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 60_000)  # no fold lands until the end
    reloads = []
    session.reloader.busy.connect(reloads.append)
    win.findChild(type(win.table.parent()), "dock-Events").show()
    table = win.table
    table.only_window.setChecked(False)
    qtbot.waitUntil(lambda: len(table.model.rows) == session.data.n_events)

    def table_row(eid):
        rows = table.model.row_of([eid])
        return [table.model.data(table.model.index(rows[0], c)) for c in (0, 2)] if rows else None

    def counted(name):
        return win.actors.item_for(actor_id(win, name)).data(2, Qt.ItemDataRole.DisplayRole)

    overview_before = round(float(np.sum(win.timeline.overview.curve.yData ** 2)))
    order, moved_to, _row = alt_drag_trump_order(win)
    assert moved_to != "2025-04-09" and session.patching and session.overlay is not None
    date, _title = table_row(order)
    assert parse_date(date).earliest == parse_date(moved_to).earliest  # the new date, as the table shows it
    # a new event typed into the table's row, for Donald Trump
    trump_events = counted("Donald Trump")
    QTest.keyClicks(table.quick_date, "2025-04-16")
    QTest.keyClicks(table.quick_title, "Typed while folding")
    table.quick_actor.setEditText("")
    QTest.keyClicks(table.quick_actor.lineEdit(), "Donald Trump")
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Return)
    typed = row_count(db, "SELECT id FROM events WHERE title = 'Typed while folding'")
    assert session.patching and table_row(typed)[1] == "Typed while folding"
    assert len(table.model.rows) == session.data.n_events + 1
    assert counted("Donald Trump") == trump_events + 1
    assert round(float(np.sum(win.timeline.overview.curve.yData ** 2))) == overview_before + 1
    # its row is in date order among the others
    listed = [table.model.event_id(r) for r in range(len(table.model.rows))]
    starts = [row_count(db, "SELECT earliest FROM events WHERE id = ?", e) for e in listed]
    assert starts == sorted(starts)
    # Delete, the typed event selected: its row goes at once
    assert session.selection.selected_events == {typed}
    qtbot.keyClick(win, Qt.Key.Key_Delete)
    assert session.patching and table_row(typed) is None and counted("Donald Trump") == trump_events
    assert round(float(np.sum(win.timeline.overview.curve.yData ** 2))) == overview_before
    assert not reloads
    # the fold lands: the table lists the same events, the moved one at its new date
    listed = sorted(table.model.event_id(r) for r in range(len(table.model.rows)))
    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 0)  # the edits made meanwhile: folded next, at once
    session._patching.start()  # the worker gets to it now rather than after the delay
    qtbot.waitUntil(lambda: not session.patching, timeout=20_000)
    assert sorted(table.model.event_id(r) for r in range(len(table.model.rows))) == listed
    assert parse_date(table_row(order)[0]).earliest == parse_date(moved_to).earliest


def test_on_a_big_file_closing_the_window_while_an_edit_is_folded_in_is_quiet(win, qtbot, monkeypatch):
    """A person who moves an event twice in a file of millions of events and
    closes the window at once (Ctrl+W): the fold of the first move, still
    running, lands on a closed file with the second move to be read after
    it, and is dropped, with no error; both moves are in the file."""
    import sqlite3

    from PySide6.QtCore import Qt

    from gui import commands
    from gui import session as session_module

    session, path = win.session, win.session.path
    session.patch_background_events = 0  # the sample stands in for a file of millions of events
    monkeypatch.setattr(session_module, "FOLD_DELAY_MS", 300)
    moved = int(session.data.event_ids[len(session.data.event_ids) // 2])
    assert session.run(commands.move_event(session, moved, "moved", "2025-05-06", None)) is None
    assert session.patching
    assert session.run(commands.move_event(session, moved, "moved", "2025-05-07", None)) is None
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not win.isVisible()
    qtbot.waitUntil(lambda: not session.patching, timeout=10_000)  # it landed, and was dropped quietly
    qtbot.wait(100)
    again = sqlite3.connect(path)
    assert again.execute("SELECT start FROM events WHERE id = ?", [moved]).fetchone()[0] == "2025-05-07"
    again.close()
