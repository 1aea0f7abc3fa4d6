"""Hundreds and thousands of actors: lanes, graph layout and exports that stay readable.

Synthetic files with 300 and 2,000 actors (``threadline synth``) opened in the
real window and driven with the mouse and keys: the lane limit and its "more"
lane, grouping and collapsing from the lane menu, the lane finder; events of
one day spread in their lane; the graph laid out off the UI thread and waited
for by an export; ``export-png`` bounded by ``--height``.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from conftest import open_graph_panel, open_main_window, run_cli
from store.dates import parse_date


@pytest.fixture(scope="module")
def synth300_master(tmp_path_factory):
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("a300") / "a300.db", events=6000, actors=300, seed=3)


@pytest.fixture(scope="module")
def synth2000_master(tmp_path_factory):
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("a2000") / "a2000.db", events=20000, actors=2000, seed=4)


@pytest.fixture
def db300(synth300_master, tmp_path):
    shutil.copy(synth300_master, tmp_path / "a300.db")
    return tmp_path / "a300.db"


@pytest.fixture
def db2000(synth2000_master, tmp_path):
    shutil.copy(synth2000_master, tmp_path / "a2000.db")
    return tmp_path / "a2000.db"


def open_window(qtbot, path, tmp_path):
    win = open_main_window(qtbot, path, tmp_path, size=(1500, 900))
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.timeline.lanes.plan.n_more > 0, timeout=3000)  # laid out: the lanes that fit
    return win


@pytest.fixture
def win300(qtbot, db300, tmp_path):
    return open_window(qtbot, db300, tmp_path)


def lane_label_point(win, row):
    axis = win.timeline.axis
    scene = win.timeline.vb.mapViewToScene(QPointF(0, row))
    label_x = axis.mapToScene(QPointF(axis.width() - 40, 0)).x()
    return win.timeline.plot.mapFromScene(QPointF(label_x, scene.y()))


def row_labels(win):
    return [r.label for r in win.timeline.lanes.plan.rows]


# a real popup menu on the offscreen platform: it cannot raise itself or grab the keyboard, and says so
POPUP = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing the keyboard")


def choose_in_lane_menu(qtbot, win, row, *path):
    """Right-click a lane label and pick ``path`` (menu texts, submenus first) with the keyboard."""
    def pick():
        menu = QApplication.activePopupWidget()
        for k, text in enumerate(path):
            action = next(a for a in menu.actions() if a.text() == text)
            menu.setActiveAction(action)
            if k < len(path) - 1:
                qtbot.keyClick(menu, Qt.Key.Key_Right)
                menu = action.menu()
            else:
                qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(100, pick)
    qtbot.mouseClick(win.timeline.plot.viewport(), Qt.MouseButton.RightButton, pos=lane_label_point(win, row))


# ---------------------------------------------------------------- lanes


def test_more_actors_than_fit_show_the_busiest_and_one_more_lane_that_expands(win300, qtbot):
    tl = win300.timeline
    plan = tl.lanes.plan
    n_lanes = len(win300.session.selection.lane_order)
    assert n_lanes == 300
    rows = plan.rows
    # every lane readable: as many as fit at 18 px, the last one counting the rest
    assert len(rows) <= tl.vb.height() // 18 + 1
    assert rows[-1].kind == "more" and rows[-1].label.startswith(f"+ {n_lanes - (len(rows) - 1)} more actors")
    assert plan.n_more == n_lanes - (len(rows) - 1)
    # the shown lanes are the busiest in the visible window
    from store.view_model.density import window_counts

    x0, x1 = tl.vb.viewRange()[0]
    counts = window_counts(win300.session.data, x0, x1)
    shown = [int(r.members[0]) for r in rows[:-1]]
    left_out = rows[-1].members
    assert counts[shown].min() >= counts[left_out].max()
    assert tl.axis._names[-1] == rows[-1].label
    # clicking the "more" lane's label shows every lane
    qtbot.mouseClick(tl.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win300, len(rows) - 1))
    assert tl.lanes.n_rows == n_lanes and tl.n_more == 0


def test_the_more_lane_draws_the_density_of_the_actors_it_holds(win300):
    tl = win300.timeline
    tl.fit_everything()
    tl.plot.viewport().repaint()
    assert tl.lanes.last_mode == "density"
    grid = tl.lanes.last_grid
    first, last = tl.lanes._visible_rows
    more_row = tl.lanes.n_rows - 1 - first
    # its counts are the sum of its members' events (every pair, nothing dropped)
    members = tl.lanes.plan.rows[-1].members
    data = win300.session.data
    expected = int(np.isin(data.pair_actor, members).sum())
    assert int(grid[more_row].sum()) == expected


@POPUP
def test_lanes_grouped_by_kind_and_a_group_collapsed_into_one_summary_lane(win300, qtbot):
    tl = win300.timeline
    tl.show_all_lanes()
    choose_in_lane_menu(qtbot, win300, 0, "Group lanes", "By kind")
    assert tl.group_by == "kind"
    kinds = win300.session.data.actor_kinds
    first = tl.lanes.plan.rows[0]
    people = sum(1 for k in kinds if k == "person")
    assert first.group == kinds[int(first.members[0])]
    choose_in_lane_menu(qtbot, win300, 0, f"Collapse group '{first.group}'")
    rows = tl.lanes.plan.rows
    assert rows[0].kind == "group" and len(rows[0].members) == (people if first.group == "person" else len(rows[0].members))
    assert row_labels(win300)[0] == f"▸ {first.group} ({len(rows[0].members)})"
    assert tl.axis._names[0] == rows[0].label
    # hovering an event in the summary lane names it: its events are there
    assert all(tl.lanes.row_of_actor[m] == 0 for m in rows[0].members)
    # clicking the summary lane's label expands the group again
    qtbot.mouseClick(tl.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win300, 0))
    assert tl.lanes.plan.rows[0].kind == "actor"


@POPUP
def test_lanes_grouped_by_country(win300, qtbot):
    tl = win300.timeline
    choose_in_lane_menu(qtbot, win300, 0, "Group lanes", "By country")
    countries = win300.session.actor_countries()
    groups = [r.group for r in tl.lanes.plan.rows if r.kind == "actor"]
    assert groups and all(g is not None for g in groups)
    ids = win300.session.data.actor_ids
    for r in tl.lanes.plan.rows:
        if r.kind == "actor":
            assert r.group == (countries.get(int(ids[int(r.members[0])])) or "(no country)")


@POPUP
def test_lanes_grouped_by_a_saved_view_and_collapsed(win300, qtbot):
    from store import views

    tl = win300.timeline
    data = win300.session.data
    crew = [int(a) for a in data.actor_ids[[5, 17, 250]]]
    views.save_view(win300.session.story.db, "Harbour crew", {"selected_actors": crew})
    tl.show_all_lanes()
    choose_in_lane_menu(qtbot, win300, 0, "Group lanes", "By saved view (its actors)")
    rows = tl.lanes.plan.rows
    crew_rows = [r for r in rows if r.group == "Harbour crew"]
    assert sorted(r.actor_id for r in crew_rows) == sorted(crew)
    row = rows.index(crew_rows[0])
    choose_in_lane_menu(qtbot, win300, row, "Collapse group 'Harbour crew'")
    summary = [r for r in tl.lanes.plan.rows if r.kind == "group"]
    assert len(summary) == 1 and summary[0].label == "▸ Harbour crew (3)"
    assert sorted(int(data.actor_ids[m]) for m in summary[0].members) == sorted(crew)


@POPUP
def test_lanes_ordered_by_activity_in_the_window(win300, qtbot):
    tl = win300.timeline
    tl.show_all_lanes()
    choose_in_lane_menu(qtbot, win300, 0, "Order lanes by activity in the window")
    from store.view_model.density import window_counts

    x0, x1 = tl.vb.viewRange()[0]
    counts = window_counts(win300.session.data, x0, x1)
    order = [int(r.members[0]) for r in tl.lanes.plan.rows]
    assert list(counts[order]) == sorted(counts[order], reverse=True)


@POPUP
def test_the_lane_finder_brings_a_left_out_actor_into_view(win300, qtbot):
    tl = win300.timeline
    hidden = tl.lanes.plan.rows[-1].members
    data = win300.session.data
    name = data.actor_names[int(hidden[-1])]
    actor = int(data.actor_ids[int(hidden[-1])])
    qtbot.keyClick(win300, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert tl.finder.isVisible() and tl.finder.edit.hasFocus()
    qtbot.keyClicks(tl.finder.edit, name)
    qtbot.keyClick(tl.finder.edit, Qt.Key.Key_Return)
    assert actor in tl.lanes.row_actor_ids
    assert win300.session.selection.selected_actors == {actor}
    assert not tl.finder.isVisible()
    # a name that is no actor says so and changes nothing
    qtbot.keyClick(win300, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tl.finder.edit, "No Such Actor Anywhere")
    qtbot.keyClick(tl.finder.edit, Qt.Key.Key_Return)
    assert tl.finder.message.text() == "no actor by that name"
    qtbot.keyClick(tl.finder.edit, Qt.Key.Key_Escape)
    assert not tl.finder.isVisible()


def test_two_thousand_actors_open_with_readable_lanes(qtbot, db2000, tmp_path):
    win = open_window(qtbot, db2000, tmp_path)
    tl = win.timeline
    assert tl.lanes.n_rows < 60 and tl.n_more > 1900
    # every visible lane is at least 18 px high, so its name is written
    step = abs(tl.vb.mapViewToScene(QPointF(0, 1)).y() - tl.vb.mapViewToScene(QPointF(0, 0)).y())
    assert step >= 18
    assert len(tl.axis._names) == tl.lanes.n_rows and tl.axis._names[-1].startswith("+ ")


# ---------------------------------------------------------------- same day


@pytest.fixture
def same_day_db(tmp_path):
    from store.importing import import_path

    csv = tmp_path / "day.csv"
    rows = ["date,title,actor,target"]
    rows += [f"2016-07-28,Statement number {i} by Ministry,Ministry," for i in range(8)]
    rows += ["2016-07-27,The day before,Ministry,", "2016-07-29,The day after,Ministry,", "2016-07-28,Talks,Envoy,Ministry"]
    csv.write_text("\n".join(rows) + "\n")
    db = tmp_path / "day.db"
    import_path(db, csv, "csv", mapping=["date=date", "title=title", "actor=actor", "target=target"])
    return db


def test_events_of_one_day_are_spread_in_their_lane_and_can_be_told_apart(qtbot, same_day_db, tmp_path):
    win = open_main_window(qtbot, same_day_db, tmp_path, size=(1500, 900))
    qtbot.waitExposed(win)
    tl = win.timeline
    day = parse_date("2016-07-28")
    tl.set_window(day.earliest - 3600, day.latest + 3600)
    tl.lanes._frame = None
    tl.plot.viewport().repaint()
    qtbot.waitUntil(lambda: tl.lanes._frame is not None, timeout=2000)
    spread = tl.lanes.last_spread
    frame = tl.lanes._frame
    ministry_row = tl.lanes.row_actor_ids.index(int(win.session.data.actor_ids[win.session.data.actor_names.index("Ministry")]))
    on_day = np.flatnonzero((frame.row == ministry_row) & spread.spread)
    assert len(on_day) == 9  # eight statements and the talks, all on the 28th
    points = set(zip(np.round(spread.x[on_day]).tolist(), np.round(spread.y[on_day]).tolist()))
    assert len(points) == 9  # nine places, none on top of another
    # all inside the day's band, in file order: a place says "the n-th event of the day", not a time
    left = tl.vb.mapViewToScene(QPointF(day.earliest, 0)).x() - tl.lanes._origin[0]
    right = tl.vb.mapViewToScene(QPointF(day.latest, 0)).x() - tl.lanes._origin[0]
    assert (spread.x[on_day] > left).all() and (spread.x[on_day] < right).all()
    # a tall lane stacks them in sub-rows a line apart, with room for titles
    assert spread.titled[on_day].all() and len(set(np.round(spread.y[on_day]).tolist())) == 9
    # hovering a spread marker finds that event
    k = on_day[3]
    scene = QPointF(spread.x[k] + tl.lanes._origin[0], spread.y[k])
    eid = tl.lanes.event_at(scene)
    assert eid == int(win.session.data.event_ids[frame.event[k]])
    # a click on it selects it
    pos = tl.plot.mapFromScene(scene)
    qtbot.mouseClick(tl.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert win.session.selection.selected_events == {eid}


def test_fit_all_holds_the_bulk_of_the_events_and_shift_home_everything(qtbot, tmp_path):
    from store.importing import import_path

    csv = tmp_path / "outlier.csv"
    rows = ["date,title,actor"] + [f"2016-07-{1 + i % 28:02d},Event {i},A" for i in range(200)] + ["1982-01-02,Far back,A"]
    csv.write_text("\n".join(rows) + "\n")
    db = tmp_path / "o.db"
    import_path(db, csv, "csv", mapping=["date=date", "title=title", "actor=actor"])
    win = open_main_window(qtbot, db, tmp_path, size=(1200, 800))
    qtbot.waitExposed(win)
    win.timeline.plot.setFocus()
    qtbot.keyClick(win.timeline.plot, Qt.Key.Key_Home)
    x0, x1 = win.timeline.vb.viewRange()[0]
    assert x0 > parse_date("2016-06-01").earliest and x1 < parse_date("2016-08-15").latest
    qtbot.keyClick(win.timeline.plot, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    x0, _ = win.timeline.vb.viewRange()[0]
    assert x0 < parse_date("1982-01-02").earliest


# ---------------------------------------------------------------- graph


def test_a_big_graph_is_laid_out_off_the_ui_thread_and_not_on_a_circle(qtbot, db300):
    from gui.jobs import LAYOUT_SYNC_NODES
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    session = Session.open(db300, read_only=True)
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    assert session.data.n_actors > LAYOUT_SYNC_NODES and panel.layout_engine.pending  # the window did not wait
    qtbot.waitUntil(lambda: not panel.layout_engine.pending, timeout=20000)
    radii = np.hypot(*panel._positions[:, :2].T)
    assert radii.std() / radii.mean() > 0.2  # spread over the plane, not on a ring


def test_a_failed_layout_is_reported_and_the_graph_stays_usable(qtbot, db300, monkeypatch, capfd):
    from gui.graph import layout
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    def broken(*_args):
        raise MemoryError("not enough memory for the layout")

    monkeypatch.setattr(layout, "layout_of", broken)
    session = Session.open(db300, read_only=True)
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.layout_engine.pending, timeout=20000)
    assert panel.header.text().startswith("The graph layout failed (not enough memory for the layout)")
    assert "Traceback" not in capfd.readouterr().err
    panel.session.selection.set_visible_range(session.data.time_range)  # still follows the window
    assert panel.visible_nodes


def test_a_layout_outliving_its_panel_says_nothing(qtbot, db300, capfd):
    from gui.graph.panel import GraphPanel
    from gui.jobs import wait_all
    from gui.session import Session

    session = Session.open(db300, read_only=True)
    for _ in range(3):
        panel = GraphPanel(session)
        panel.deleteLater()
    QApplication.sendPostedEvents(None, 0)
    qtbot.wait(10)
    wait_all()
    qtbot.wait(50)
    err = capfd.readouterr().err
    assert "Signal source has been deleted" not in err and "Traceback" not in err


def test_graph_names_never_overlap_and_sit_above_the_edges(qtbot, db300):
    panel = open_graph_panel(qtbot, db300, (1000, 700))
    panel.fit()
    panel.view.viewport().repaint()
    placed = panel.labels.placed
    assert len(placed) >= 20
    for i, (_, a, _) in enumerate(placed):
        for _, b, _ in placed[i + 1:]:
            assert not a.intersects(b)
    sizes = [px for *_, px in placed]
    assert sizes[0] == max(sizes) and min(sizes) >= 11  # the busiest first and largest; none tiny
    assert panel.labels.zValue() > panel.edges.zValue() and panel.labels.zValue() > 20


def test_graph_filters_by_link_type_weight_and_unlinked_actors(qtbot, db300):
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    session = Session.open(db300, read_only=True)
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.wait_for_layout()
    specs = panel.edge_specs()
    types = sorted({s.label for s in specs if s.label})
    assert types
    panel.set_type_shown(types[0], False)
    assert types[0] not in {s.label for s in panel.edge_specs()}
    co_before = sum(1 for s in panel.edge_specs() if s.ref.kind == "co")
    panel.min_weight.setValue(3)
    co_after = [s for s in panel.edge_specs() if s.ref.kind == "co"]
    assert len(co_after) < co_before and all(s.width >= 0.8 + 1.6 * np.log1p(3) - 1e-9 for s in co_after)
    shown = set(panel.visible_nodes)
    qtbot.mouseClick(panel.hide_unlinked, Qt.MouseButton.LeftButton)
    linked = {r for s in panel.edge_specs() for r in (s.ref.a, s.ref.b)}
    assert panel.visible_nodes == linked and panel.visible_nodes < shown


# ---------------------------------------------------------------- export


def image_size(path):
    image = QImage(str(path))
    return image.width(), image.height()


def test_export_png_respects_height_and_says_what_it_left_out(db300, tmp_path):
    out = tmp_path / "t.png"
    done = run_cli("export-png", db300, "--out", out, "--width", 1600, "--height", 900)
    assert done.returncode == 0, done.stderr
    assert image_size(out) == (1600, 900)
    line = next(l for l in done.stderr.splitlines() if "more actors not shown" in l)
    n = int(line.split("threadline: ")[1].split()[0])
    assert 250 < n < 300
    # --lanes all: every lane, the page as tall as they need
    everything = tmp_path / "all.png"
    done = run_cli("export-png", db300, "--out", everything, "--lanes", "all")
    assert done.returncode == 0 and "not shown" not in done.stderr
    assert image_size(everything)[1] > 300 * 20
    # no --height: a bounded page all the same
    default = tmp_path / "d.png"
    done = run_cli("export-png", db300, "--out", default)
    assert done.returncode == 0 and image_size(default)[1] <= 1000 and "more actors not shown" in done.stderr


def test_export_png_names_a_bad_lanes_value(db300, tmp_path):
    done = run_cli("export-png", db300, "--out", tmp_path / "x.png", "--lanes", "many")
    assert done.returncode == 1 and done.stderr.strip() == "threadline: --lanes must be 'all' or a number of lanes, not 'many'"


def test_export_both_waits_for_the_layout_and_fits_the_height(db300, tmp_path):
    out = tmp_path / "both.png"
    done = run_cli("export-png", db300, "--out", out, "--view", "both", "--width", 1600, "--height", 1800)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "RuntimeError" not in done.stderr
    assert image_size(out) == (1600, 1800)


def test_an_exported_graph_is_the_finished_layout(qtbot, db300, monkeypatch):
    """The export's panel waits: its nodes are where the layout put them, not on the waiting circle."""
    from gui import export
    from gui.graph.layout import circle_positions
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    seen = []
    original = GraphPanel.grab

    def grab(panel):
        seen.append(np.array(panel._positions))
        return original(panel)

    monkeypatch.setattr(GraphPanel, "grab", grab)
    session = Session.open(db300, read_only=True)
    image = export.render_graph(session, 1200, 800)
    assert image.width() == 1200 and image.height() == 800
    assert not np.allclose(seen[0], circle_positions(session.data.n_actors))
    radii = np.hypot(*seen[0].T)
    assert radii.std() / radii.mean() > 0.2


def test_a_failed_index_is_reported_and_the_lanes_stay_usable(win300, qtbot, monkeypatch, capfd):
    from gui.timeline import index_jobs
    from store.view_model import density

    def broken(*_args):
        raise MemoryError("out of memory")

    monkeypatch.setattr(index_jobs, "INDEX_SYNC_EVENTS", 0)  # every selection indexed in the background
    monkeypatch.setattr(density, "build_lane_index", broken)
    tl = win300.timeline
    tl.fit_everything()
    qtbot.mouseClick(tl.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(win300, 0))
    assert win300.session.selection.selected_actors
    tl.plot.viewport().repaint()
    qtbot.waitUntil(lambda: "Could not index the selection" in win300.statusBar().currentMessage(), timeout=5000)
    assert "Traceback" not in capfd.readouterr().err
    # still drawn, still navigable
    qtbot.keyClick(tl.plot, Qt.Key.Key_Plus)
    tl.plot.viewport().repaint()
    assert tl.lanes.last_grid is not None or tl.lanes._frame is not None


def test_a_failed_window_count_is_reported_in_the_graph(qtbot, db300, monkeypatch, capfd):
    from gui.graph import panel as panel_module
    from gui.graph import window_jobs
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    def broken(*_args):
        raise ValueError("a broken count")

    monkeypatch.setattr(panel_module, "NETWORK_SYNC_EVENTS", -1)  # every window counted on the worker
    monkeypatch.setattr(window_jobs, "network_of_window", broken)
    session = Session.open(db300, read_only=True)
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: "could not be counted (a broken count)" in panel.header.text(), timeout=5000)
    assert "Traceback" not in capfd.readouterr().err


def test_a_name_left_out_in_a_crowd_shows_when_its_node_is_hovered(qtbot, db300):
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    session = Session.open(db300, read_only=True)
    panel = GraphPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 650)
    panel.show()
    qtbot.waitExposed(panel)
    panel.wait_for_layout()
    panel.fit()
    panel.view.viewport().repaint()
    placed = {name for name, *_ in panel.labels.placed}
    hidden = [n for n in panel.nodes.values() if n.isVisible() and n.name not in placed]
    assert hidden  # a crowd: some names give way
    node = hidden[len(hidden) // 2]
    pos = panel.view.mapFromScene(node.scenePos())
    qtbot.mouseMove(panel.view.viewport(), pos)
    qtbot.waitUntil(lambda: panel.labels.hovered == node.actor_index, timeout=2000)
    panel.view.viewport().repaint()
    assert node.name in {name for name, *_ in panel.labels.placed}


@POPUP
def test_a_saved_view_keeps_the_lane_grouping_and_collapsed_groups(win300, qtbot):
    """Grouped by kind with one group collapsed, saved as a view: after
    ungrouping, choosing the view from the menu brings both back."""
    from PySide6.QtCore import QPoint

    from gui import commands
    from gui.saved_views import current_state
    from store import views
    from test_daily_use import pick_from_menu

    tl = win300.timeline
    tl.show_all_lanes()
    choose_in_lane_menu(qtbot, win300, 0, "Group lanes", "By kind")
    first = tl.lanes.plan.rows[0].group
    choose_in_lane_menu(qtbot, win300, 0, f"Collapse group '{first}'")
    assert row_labels(win300)[0].startswith(f"▸ {first} (")
    session = win300.session
    assert session.run(commands.SaveView(session, "Grouped", current_state(session.selection))) is None
    choose_in_lane_menu(qtbot, win300, 0, "Group lanes", "Not grouped")
    assert tl.group_by is None and not row_labels(win300)[0].startswith("▸")
    pick_from_menu(qtbot, win300.views_menu, "Grouped", win300.mapToGlobal(QPoint(200, 40)))
    assert tl.group_by == "kind"
    assert row_labels(win300)[0].startswith(f"▸ {first} (")
    assert views.load_view(session.story.db, "Grouped")["lane_grouping"] == {
        "by": "kind", "collapsed": [first], "by_activity": False}
