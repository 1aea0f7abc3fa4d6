"""What a selection lights up: the same events whichever way they are found
(at once, on a worker, in chunks, through an overlay of edits), and a
painted frame lights the current selection or nothing, never the one
before it.

Against the file itself: the events an actor takes part in are read from
the ``event_actors`` table, not from the arrays under test.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, Qt

from conftest import open_main_window
from store import lane_index, network
from store.database import close_database, open_database
from store.lane_index import build_lane_index, event_keys, key_frame
from store.timeline_data import load_timeline_data


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("highlight") / "synth.db", events=600, actors=12, seed=5)


@pytest.fixture(scope="module")
def synth_dense(tmp_path_factory) -> Path:
    """Enough events that the whole story is drawn as density."""
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("highlight") / "dense.db", events=6000, actors=12, seed=6)


@pytest.fixture(scope="module")
def story(synth):
    """(arrays, each event id's actor ids as the file says)."""
    db = open_database(synth)
    data = load_timeline_data(db, write_cache=False)
    people: dict[int, set[int]] = {}
    for event_id, actor_id in db.execute("SELECT event_id, actor_id FROM event_actors"):
        people.setdefault(event_id, set()).add(actor_id)
    close_database(db)
    return data, people


def expected_events(data, people, actor_ids, require_all=False) -> set[int]:
    wanted = set(actor_ids)
    return {e for e in data.event_ids.tolist()
            if (wanted <= people.get(e, set()) if require_all else wanted & people.get(e, set()))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=st.lists(st.integers(0, 11), max_size=5, unique=True), require_all=st.booleans(),
       chunk=st.sampled_from([4, 40, 400, 4_000_000]), dense=st.sampled_from([1, 8, 10**9]))
def test_events_with_actors_are_those_the_file_names_in_any_chunking(story, monkeypatch, picked, require_all, chunk, dense):
    """Chunks of a few events or the whole file, wanted pairs searched one by
    one or counted through every pair: the same events, the file's."""
    data, people = story
    monkeypatch.setattr(network, "CHUNK_EVENTS", chunk)
    monkeypatch.setattr(network, "DENSE_HITS", dense)
    mask = network.events_with_actors(data, picked, require_all=require_all)
    assert mask.dtype == bool and len(mask) == data.n_events
    assert set(data.event_ids[mask].tolist()) == expected_events(
        data, people, [int(data.actor_ids[i]) for i in picked], require_all)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), share=st.floats(0.0, 1.0), chunk=st.sampled_from([3, 64, 250_000]),
       sparse=st.sampled_from([0, 64, 10**9]))
def test_a_selections_lane_index_holds_each_lane_its_events_keys_sorted(story, monkeypatch, seed, share, chunk, sparse):
    """The lane index of a selection (what the timeline's lit density counts)
    against its definition: per actor, the midpoint keys of the selected
    events it takes part in, sorted; gathered in chunks of any size, through
    the chunk's mask or, for a few events, by their offsets."""
    data, _people = story
    monkeypatch.setattr(lane_index, "MASK_CHUNK_EVENTS", chunk)
    monkeypatch.setattr(lane_index, "SPARSE_FACTOR", sparse)
    mask = np.random.default_rng(seed).random(data.n_events) < share
    index = build_lane_index(data, mask)
    base, quantum = key_frame(data)
    keys = event_keys(data, base, quantum)
    for a in range(data.n_actors):
        mine = [int(keys[e]) for e in np.flatnonzero(mask)
                if a in data.pair_actor[data.pair_offsets[e]:data.pair_offsets[e + 1]]]
        assert index.lane_keys(a).tolist() == sorted(mine)
        # the mipmap counts what the keys hold
        cum = index.cum[index.cum_offsets[a]:index.cum_offsets[a + 1]]
        edges = np.minimum(np.arange(index.n_bins[a] + 1) * index.bin_width[a], 2**32 - 1)
        assert cum.tolist() == np.searchsorted(np.asarray(sorted(mine), np.int64), edges).tolist()


# ---------------------------------------------------------------- in the window


class Paints:
    """What the timeline lit in each frame it painted: the event ids of the
    highlight mask the paint used (None: nothing lit)."""

    def __init__(self, win):
        self.win, self.frames = win, []
        win.timeline.lanes.sigPainted.connect(self._painted)

    def _painted(self):
        lit = self.win.timeline.lanes.last_highlight
        self.frames.append(None if lit is None else frozenset(self.win.session.data.event_ids[lit].tolist()))


def lane_label_point(win, actor):
    row = win.timeline.lanes.row_actor_ids.index(actor)
    axis = win.timeline.axis
    scene = win.timeline.vb.mapViewToScene(QPointF(0, row))
    label_x = axis.mapToScene(QPointF(axis.width() - 40, 0)).x()
    return win.timeline.plot.mapFromScene(QPointF(label_x, scene.y()))


def file_events(win, actor) -> frozenset[int]:
    return frozenset(r[0] for r in win.session.story.db.execute(
        "SELECT event_id FROM event_actors WHERE actor_id = ?", [actor]))


def drawn_lit(win) -> set[int]:
    """The events drawn lit in the last detail frame (markers in the highlight colour)."""
    lanes = win.timeline.lanes
    frame, lit = lanes._frame, lanes.last_highlight
    assert frame is not None and lit is not None
    return set(win.session.data.event_ids[frame.event[lit[frame.event]]].tolist())


def open_big(qtbot, source, tmp_path, monkeypatch):
    """The main window on a synthetic file, standing in for a file of
    millions of events: an actor selection is looked up on a worker, and the
    lane index of its events is built on another."""
    from gui.timeline import index_jobs

    path = tmp_path / "story.db"
    shutil.copy(source, path)
    monkeypatch.setattr(index_jobs, "INDEX_SYNC_EVENTS", 0)
    win = open_main_window(qtbot, path, tmp_path, size=(1500, 900))
    qtbot.waitExposed(win)
    win.session.highlights.sync_events = 0
    return win


@pytest.fixture
def big(qtbot, synth, tmp_path, monkeypatch):
    return open_big(qtbot, synth, tmp_path, monkeypatch)


def busiest_actors(win, n):
    data = win.session.data
    counts = np.bincount(data.pair_actor, minlength=data.n_actors)
    return [int(data.actor_ids[i]) for i in np.argsort(-counts, kind="stable")[:n]]


@pytest.mark.parametrize("which", ["markers", "density"])
def test_clicking_lane_labels_lights_each_actor_and_never_the_one_before(qtbot, synth, synth_dense, tmp_path,
                                                                        monkeypatch, which):
    """A person clicks one lane label, then another: each frame painted after
    a click lights that actor's events exactly (as the file names them) or,
    while a big file's lookup runs, nothing; never the previous actor's. The
    detail panel lists the events once they are found. Zoomed in (markers)
    and over the whole story (density, from the lane index of the events)."""
    win = open_big(qtbot, synth if which == "markers" else synth_dense, tmp_path, monkeypatch)
    win.timeline.set_window(*win.session.data.time_range)
    qtbot.wait(50)
    win.timeline.plot.viewport().repaint()
    assert win.timeline.lanes.last_mode == ("detail" if which == "markers" else "density")
    first, second = busiest_actors(win, 2)
    paints = Paints(win)
    viewport = win.timeline.plot.viewport()
    for actor, before in ((first, None), (second, file_events(win, first))):
        paints.frames.clear()
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=lane_label_point(win, actor))
        assert win.session.selection.selected_actors == {actor}
        viewport.repaint()  # the frame right after the click: the lookup has not come back yet
        assert paints.frames[0] is None and win.session.highlight_pending
        assert "Finding the events" in win.detail.toPlainText()
        qtbot.waitUntil(lambda: bool(paints.frames) and paints.frames[-1] is not None, timeout=10_000)
        assert all(f is None or f == file_events(win, actor) for f in paints.frames)
        assert before is None or (before != file_events(win, actor) and before not in paints.frames)
        assert paints.frames[-1] == file_events(win, actor)
        assert f"Events ({len(file_events(win, actor))})" in win.detail.toPlainText()


def test_a_small_files_actor_is_lit_in_the_next_frame_and_drawn_lit(qtbot, synth, tmp_path):
    """A small file answers at once: the first frame after the click lights
    the actor's events, and the markers drawn lit are exactly those of its
    events in view."""
    path = tmp_path / "story.db"
    shutil.copy(synth, path)
    win = open_main_window(qtbot, path, tmp_path, size=(1500, 900))
    qtbot.waitExposed(win)
    actor = busiest_actors(win, 3)[2]
    data = win.session.data
    some = sorted(file_events(win, actor))
    t = int(data.start(win.session.event_index(some[len(some) // 2])))
    win.timeline.set_window(t - 30 * 86400, t + 30 * 86400)  # zoomed in: markers, one per event and lane
    qtbot.wait(50)
    paints = Paints(win)
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win, actor))
    win.timeline.plot.viewport().repaint()
    assert paints.frames[0] == file_events(win, actor)
    assert win.timeline.lanes.last_mode == "detail"
    shown = set(data.event_ids[win.timeline.lanes._frame.event].tolist())
    assert drawn_lit(win) == shown & file_events(win, actor) != set()


def test_a_graph_node_click_lights_its_actor_on_the_timeline(big, qtbot):
    """Clicking an actor's node in the relationship graph lights that actor
    on the timeline (found on a worker), never the actor selected before."""
    win = big
    first, second = busiest_actors(win, 2)
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win, first))
    qtbot.waitUntil(lambda: win.timeline.lanes.last_highlight is not None, timeout=10_000)
    graph = win.graph
    graph.wait_for_layout()
    node = next(n for n in graph.nodes.values() if n.isVisible() and n.actor_id == second)
    paints = Paints(win)
    qtbot.mouseClick(graph.view.viewport(), Qt.MouseButton.LeftButton, pos=graph.view.mapFromScene(node.scenePos()))
    assert win.session.selection.selected_actors == {second}
    qtbot.waitUntil(lambda: bool(paints.frames) and paints.frames[-1] is not None, timeout=10_000)
    assert all(f is None or f == file_events(win, second) for f in paints.frames)
    assert paints.frames[-1] == file_events(win, second)


def test_an_overlaid_edit_lights_with_its_actor_as_the_file_says(big, qtbot):
    """An event moved in a big file is shown through an overlay: selecting
    its actor lights it where it now is, with the rest of the actor's events."""
    from gui import commands

    win = big
    session = win.session
    session.patch_background_events = 0  # the overlay path, as on a file of millions of events
    actor = busiest_actors(win, 1)[0]
    mine = sorted(file_events(win, actor))
    eid = mine[len(mine) // 2]
    lo, hi = session.data.time_range
    day = (lo + hi) // 2
    when = datetime.fromtimestamp(day, timezone.utc).strftime("%Y-%m-%d")
    assert session.run(commands.move_event(session, eid, "x", when, None)) is None
    assert session.overlay is not None
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win, actor))
    qtbot.waitUntil(lambda: not session.highlight_pending, timeout=10_000)
    base = session.highlight_mask()
    _filt, extra = session.overlay_masks()
    lit = set(session.data.event_ids[base].tolist()) - session._overlay_ids
    lit |= set(session.overlay.extra.event_ids[extra].tolist())
    assert lit == set(file_events(win, actor))
    # the frame drawn at the moved event's day lights it
    win.timeline.set_window(day - 3 * 86400, day + 3 * 86400)
    win.timeline.plot.viewport().repaint()
    lanes = win.timeline.lanes
    frame, hot = lanes._frame, lanes._pairs(*lanes._origin[1:3], lanes._origin[3], lanes._visible_rows)[2]
    assert eid in set(lanes._frame_data.event_ids[frame.event[hot[frame.event]]].tolist())


def test_a_picture_exported_right_after_selecting_shows_the_selection_lit(big, qtbot):
    """Exporting the timeline at once after a click, while the window is still
    looking the actor up, gives the picture with the actor lit: the same
    image as exported once the window has lit it, and not the unlit one."""
    from gui.export import render_timeline

    win = big
    actor = busiest_actors(win, 1)[0]
    window = win.session.data.time_range
    unlit = render_timeline(win.session, 800, 400, window)
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win, actor))
    assert win.session.highlight_pending
    at_once = render_timeline(win.session, 800, 400, window)
    qtbot.waitUntil(lambda: win.timeline.lanes.last_highlight is not None, timeout=10_000)
    later = render_timeline(win.session, 800, 400, window)
    assert at_once == later and at_once != unlit
