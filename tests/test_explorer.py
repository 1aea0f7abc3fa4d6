"""The explorer window, driven as a user would: clicks, drags, keys, typing.

Each test asserts what a person would see: which lanes and events are lit,
what the detail panel says, which nodes the graph shows and highlights.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QImage

from store.dates import parse_date

FIVE = ["Xi Jinping", "Wang Xiaohong", "Marco Rubio", "Scott Bessent", "Donald Trump"]


@pytest.fixture
def window(qtbot, sample_db, tmp_path):
    from gui.main_window import MainWindow
    from gui.session import Session

    win = MainWindow(Session.open(sample_db), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.detail.confirm_links = False
    qtbot.addWidget(win)
    win.resize(1500, 900)
    win.show()
    qtbot.waitExposed(win)
    win.timeline.set_window(parse_date("2025-03-25").earliest, parse_date("2025-05-10").latest)
    qtbot.wait(50)
    return win


def actor_id(win, name):
    data = win.session.data
    return int(data.actor_ids[data.actor_names.index(name)])


def event_id(win, title_part):
    titles = win.session.titles(win.session.data.event_ids.tolist())
    return next(i for i, t in titles.items() if title_part in t)


def plot_point(win, x_seconds, row):
    """Viewport pixel of a (time, lane row) point on the timeline."""
    scene = win.timeline.vb.mapViewToScene(QPointF(x_seconds, row))
    return win.timeline.plot.mapFromScene(scene)


def lane_label_point(win, row):
    axis = win.timeline.axis
    scene = win.timeline.vb.mapViewToScene(QPointF(0, row))
    label_x = axis.mapToScene(QPointF(axis.width() - 40, 0)).x()
    return win.timeline.plot.mapFromScene(QPointF(label_x, scene.y()))


def event_point(win, eid, lane_name):
    data = win.session.data
    i = win.session.event_index(eid)
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, lane_name))
    return plot_point(win, (data.start(i) + data.end(i)) / 2, row)


def drag(widget, start: QPoint, end: QPoint, modifiers=Qt.KeyboardModifier.NoModifier):
    """A real press-move-release with the button held (QTest's mouseMove holds none)."""
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    def send(kind, pos, button, buttons):
        p = QPointF(pos)
        QApplication.sendEvent(widget, QMouseEvent(kind, p, widget.mapToGlobal(p), button, buttons, modifiers))

    left = Qt.MouseButton.LeftButton
    send(QMouseEvent.Type.MouseButtonPress, start, left, left)
    steps = 6
    for k in range(1, steps + 1):
        QTest.qWait(25)  # pyqtgraph drops mouse moves that come faster than a screen refresh
        pos = start + (end - start) * (k / steps)
        send(QMouseEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, left)
    send(QMouseEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)


def lit_events(win):
    mask = win.session.highlight_mask()
    return set() if mask is None else set(win.session.data.event_ids[mask].tolist())


def drawn_events(win):
    win.timeline.plot.viewport().repaint()
    frame = win.timeline.lanes._frame
    return set(win.session.data.event_ids[frame.event].tolist())


def test_opens_on_the_story_with_the_five_people_in_lanes(window):
    names = [window.session.data.actor_names[window.session.data.actor_index()[a]] for a in window.timeline.lanes.row_actor_ids]
    for person in FIVE:
        assert person in names
    assert names.index("Donald Trump") < names.index("China")  # people first, countries last
    drawn = drawn_events(window)
    assert event_id(window, "WSJ") in drawn
    assert window.graph.visible_nodes >= {actor_id(window, n) for n in ("Xi Jinping", "Donald Trump")}
    assert "Network for" in window.graph.header.text()


def test_clicking_a_lane_label_selects_the_actor_everywhere(window, qtbot):
    row = window.timeline.lanes.row_actor_ids.index(actor_id(window, "Wang Xiaohong"))
    qtbot.mouseClick(window.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=lane_label_point(window, row))
    wang = actor_id(window, "Wang Xiaohong")
    assert window.session.selection.selected_actors == {wang}
    # the timeline lights Wang's events, and only those
    expected = {r[0] for r in window.session.story.db.execute("SELECT event_id FROM event_actors WHERE actor_id = ?", [wang])}
    assert lit_events(window) == expected
    text = window.detail.toPlainText()
    assert "Wang Xiaohong" in text and "Minister of Public Security" in text
    assert "WSJ" in text  # his events are listed
    states = window.graph.node_states()
    assert states["Wang Xiaohong"] is True and states["Donald Trump"] is False
    assert window.actors.item_for(wang).isSelected()


def test_clicking_an_event_shows_it_and_its_participants(window, qtbot):
    wsj = event_id(window, "WSJ")
    qtbot.mouseClick(window.timeline.plot.viewport(), Qt.MouseButton.LeftButton, pos=event_point(window, wsj, "Xi Jinping"))
    assert window.session.selection.selected_events == {wsj}
    assert lit_events(window) == {wsj}
    text = window.detail.toPlainText()
    assert "WSJ" in text and "Certainty: confirmed" in text and "day precision" in text
    assert "Xi Jinping (mentioned)" in text or "Xi Jinping (participant)" in text
    assert "Sources" in text and "http" in text
    participants = {r[0] for r in window.session.story.db.execute("SELECT a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?", [wsj])}
    states = window.graph.node_states()
    assert {n for n, lit in states.items() if lit} == participants
    lit_edges = [e for e in window.graph.edge_specs() if e.lit]
    assert lit_edges and all({e.ref.a, e.ref.b} <= {actor_id(window, n) for n in participants} for e in lit_edges)


def test_escape_clears_the_selection(window, qtbot):
    window.session.selection.select_actors([actor_id(window, "Xi Jinping")])
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Escape)
    assert not window.session.selection.selected_actors
    assert window.session.highlight_mask() is None
    assert "Click an event" in window.detail.toPlainText()


def clear_point_on(graph, ref):
    """A point on the drawn line of edge ``ref``, as far as can be from every
    other line and node (where a user would click to mean that edge)."""
    from PySide6.QtCore import QPointF

    refs = graph.edge_refs()
    which, seg = graph.edges.segments()
    mine = next(k for k, i in enumerate(which.tolist()) if refs[i] == ref)
    others = np.delete(seg, mine, axis=0)
    nodes = np.array([(n.scenePos().x(), n.scenePos().y()) for n in graph.nodes.values() if n.isVisible()])
    best, best_gap = None, -1.0
    for t in np.linspace(0.2, 0.8, 25):
        x, y = seg[mine, :2] + t * (seg[mine, 2:] - seg[mine, :2])
        ax, ay, bx, by = others.T
        dx, dy = bx - ax, by - ay
        u = np.clip(((x - ax) * dx + (y - ay) * dy) / np.maximum(dx * dx + dy * dy, 1e-9), 0, 1)
        gap = min(np.hypot(x - ax - u * dx, y - ay - u * dy).min(initial=1e9),
                  np.hypot(nodes[:, 0] - x, nodes[:, 1] - y).min() - 30)
        if gap > best_gap:
            best, best_gap = QPointF(x, y), gap
    return best


def test_selecting_a_graph_edge_lights_its_events(window, qtbot):
    xi, wang = actor_id(window, "Xi Jinping"), actor_id(window, "Wang Xiaohong")
    edge = next(e for e in window.graph.edge_specs() if {e.ref.a, e.ref.b} == {xi, wang} and e.ref.kind == "co")
    view = window.graph.view
    point = view.mapFromScene(clear_point_on(window.graph, edge.ref))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.session.selection.selected_edge == edge.ref
    shared = {r[0] for r in window.session.story.db.execute(
        "SELECT a.event_id FROM event_actors a JOIN event_actors b ON a.event_id = b.event_id WHERE a.actor_id = ? AND b.actor_id = ?", [xi, wang])}
    window_mask = window.session.selection.time_window
    assert lit_events(window) and lit_events(window) <= shared
    assert "Xi Jinping — Wang Xiaohong" in window.detail.toPlainText()
    assert window_mask is not None


def test_brushing_a_window_narrows_the_graph(window, qtbot):
    vp = window.timeline.plot.viewport()
    row = 0
    start = plot_point(window, parse_date("2025-04-08").earliest, row)
    end = plot_point(window, parse_date("2025-04-12").latest, row)
    drag(vp, start, end, Qt.KeyboardModifier.ShiftModifier)
    brush = window.session.selection.brush
    assert brush is not None
    assert abs(brush[0] - parse_date("2025-04-08").earliest) < 86400
    assert "brushed window" in window.graph.header.text()
    counts = window.graph.node_counts
    assert counts[actor_id(window, "Donald Trump")] >= 1  # the tariff order of 9 April
    assert counts.get(actor_id(window, "Wang Xiaohong"), 0) == 0  # his events are in May
    assert window.timeline.brush.isVisible()
    window.session.selection.set_brush(None)
    assert window.graph.node_counts[actor_id(window, "Wang Xiaohong")] >= 1
    assert not window.timeline.brush.isVisible()


def test_narrowing_the_visible_range_changes_the_network(window, qtbot):
    before = set(window.graph.visible_nodes)
    window.timeline.set_window(parse_date("2025-04-09").earliest, parse_date("2025-04-11").latest)
    # the panel follows the timeline at a pace set by its own cost: on a busy
    # machine it may take a few frames
    qtbot.waitUntil(lambda: set(window.graph.visible_nodes) != before, timeout=5000)
    after = window.graph.visible_nodes
    assert after < before
    xi = actor_id(window, "Xi Jinping")
    # Xi has no events in those days; he is shown only through relationships alive then
    assert window.graph.node_counts[xi] == 0
    window.graph.show_relationships.setChecked(False)
    assert xi not in window.graph.visible_nodes
    assert actor_id(window, "Donald Trump") in window.graph.visible_nodes


def test_search_filters_both_views_and_clearing_restores(window, qtbot):
    everything = drawn_events(window)
    qtbot.keyClicks(window.search, "Hannity")
    qtbot.waitUntil(lambda: window.session.selection.search == "Hannity", timeout=2000)
    drawn = drawn_events(window)
    assert drawn and drawn < everything
    titles = window.session.titles(drawn)
    assert all("Hannity" in t or "Rubio" in t for t in titles.values())
    assert actor_id(window, "Sean Hannity") in window.graph.visible_nodes
    assert actor_id(window, "Wang Xiaohong") not in window.graph.visible_nodes
    window.search.clear()
    qtbot.waitUntil(lambda: window.session.selection.search == "", timeout=2000)
    assert drawn_events(window) == everything


def test_a_big_files_search_runs_off_the_ui_thread_and_then_filters(window, qtbot, monkeypatch):
    """On a big file a common word matches hundreds of thousands of events:
    the search runs on a worker, the status bar says so, and the views filter
    when it is done; a search typed over an unfinished one wins."""
    from gui import search_jobs
    from store.search import search_mask

    monkeypatch.setattr(search_jobs, "SEARCH_SYNC_EVENTS", 0)  # treat the sample as big
    everything = drawn_events(window)
    session = window.session
    session.selection.set_search("Bessent")
    session.selection.set_search("Hannity")  # typed over before the first search is done
    assert session.search_pending and session.filter_mask() is None  # meanwhile, nothing is hidden
    assert "searching" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not session.search_pending, timeout=5000)
    expected = search_mask(session.story.db, session.data, "Hannity")
    np.testing.assert_array_equal(session.filter_mask(), expected)
    drawn = drawn_events(window)
    assert drawn and drawn < everything
    assert set(session.titles(drawn)) <= set(session.data.event_ids[expected].tolist())
    assert f"search: Hannity ({int(expected.sum()):,} events)" in window.statusBar().currentMessage()
    assert actor_id(window, "Wang Xiaohong") not in window.graph.visible_nodes


def test_actor_list_checkboxes_filter_the_views(window, qtbot):
    window.actors.check_none()
    item = window.actors.item_for(actor_id(window, "Marco Rubio"))
    item.setCheckState(0, Qt.CheckState.Checked)
    assert window.session.selection.actor_filter == {actor_id(window, "Marco Rubio")}
    rubio_events = {r[0] for r in window.session.story.db.execute("SELECT event_id FROM event_actors WHERE actor_id = ?", [actor_id(window, "Marco Rubio")])}
    assert drawn_events(window) <= rubio_events and drawn_events(window)
    assert window.graph.visible_nodes == {actor_id(window, "Marco Rubio")}
    window.actors.check_all()
    assert window.session.selection.actor_filter is None


def test_keys_zoom_and_pan(window, qtbot):
    window.timeline.plot.setFocus()
    x0, x1 = window.session.selection.visible_range
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Plus)
    y0, y1 = window.session.selection.visible_range
    assert (y1 - y0) < (x1 - x0) * 0.9
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Right)
    z0, z1 = window.session.selection.visible_range
    assert z0 > y0 and abs((z1 - z0) - (y1 - y0)) < 1
    qtbot.keyClick(window.timeline.plot, Qt.Key.Key_Minus)
    w0, w1 = window.session.selection.visible_range
    assert (w1 - w0) > (z1 - z0)


def test_wheel_zooms_about_the_pointer(window, qtbot):
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    x0, x1 = window.session.selection.visible_range
    vp = window.timeline.plot.viewport()
    pos = QPointF(vp.width() / 2, vp.height() / 2)
    ev = QWheelEvent(pos, vp.mapToGlobal(pos), P(0, 0), P(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)
    y0, y1 = window.session.selection.visible_range
    assert (y1 - y0) < (x1 - x0)


def test_overview_strip_marks_and_moves_the_window(window):
    lo, hi = window.timeline.overview.region.getRegion()
    v0, v1 = window.session.selection.visible_range
    assert abs(lo - v0) < 1 and abs(hi - v1) < 1
    shift = 30 * 86400
    window.timeline.overview.region.setRegion((lo - shift, hi - shift))
    n0, _ = window.session.selection.visible_range
    assert abs(n0 - (v0 - shift)) < 1
    assert abs(window.timeline.vb.viewRange()[0][0] - n0) < 1


def test_imprecise_and_contested_events_are_drawn_as_spans(window):
    from store.timeline_data import CERTAINTY_MASK, IMPRECISE

    data = window.session.data
    claim = event_id(window, "97%")
    i = window.session.event_index(claim)
    assert data.style[i] & IMPRECISE
    assert data.style[i] & CERTAINTY_MASK == 3  # contested
    assert data.end(i) - data.start(i) > 365 * 86400  # the 2016/2017 claim spans two years


def test_html_in_the_file_is_shown_as_text(qtbot, tmp_path):
    from gui.main_window import MainWindow
    from gui.session import Session
    from store import records
    from store.database import open_database

    path = tmp_path / "html.db"
    db = open_database(path, create=True)
    actor = records.add_actor(db, "<b>Bold</b> Actor", "person", notes="<script>alert(1)</script>")
    src = records.add_source(db, "<i>Pub</i>", "<img src=x>", "javascript:alert(1)")
    ev = records.add_event(db, "<h1>Big</h1> title", "2025-05-02", summary="<a href='http://x'>click</a>",
                           actors=[records.Participation(actor)], sources=[records.Citation(src, "<u>quote</u>")])
    db.conn.close()
    win = MainWindow(Session.open(path), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.session.selection.select_events([ev])
    text = win.detail.toPlainText()
    assert "<h1>Big</h1> title" in text and "<a href='http://x'>click</a>" in text and "<u>quote</u>" in text
    assert "javascript:alert(1)" in text
    win.session.selection.select_actors([actor])
    assert "<script>alert(1)</script>" in win.detail.toPlainText()
    assert "&lt;b&gt;" in win.session.tooltip(ev) or "&lt;h1&gt;" in win.session.tooltip(ev)


def test_layout_and_window_are_restored_on_next_launch(qtbot, sample_db, tmp_path):
    from gui.main_window import MainWindow
    from gui.session import Session

    ini = str(tmp_path / "settings.ini")
    first = MainWindow(Session.open(sample_db), QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.timeline.set_window(parse_date("2025-04-01").earliest, parse_date("2025-04-30").latest)
    first.close()
    second = MainWindow(Session.open(sample_db), QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    v0, v1 = second.session.selection.visible_range
    assert abs(v0 - parse_date("2025-04-01").earliest) < 60 and abs(v1 - parse_date("2025-04-30").latest) < 60


def image_stats(path):
    image = QImage(str(path))
    assert not image.isNull()
    arr = np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB32).constBits(), dtype=np.uint32)
    return image, len(np.unique(arr))


def test_export_timeline_png_from_the_window(window, tmp_path):
    from gui.export import export_timeline_png

    out = tmp_path / "timeline.png"
    before = window.session.selection.visible_range
    export_timeline_png(window.session, out, width=2000)
    image, colours = image_stats(out)
    assert image.width() == 2000 and image.height() > 500
    assert colours > 50  # not blank, not one colour
    assert window.session.selection.visible_range == before  # exporting did not move the user's view
    # the person lane colour appears (markers drawn)
    arr = np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB32).constBits(), dtype=np.uint32) & 0xFFFFFF
    assert np.count_nonzero(arr == 0x0072B2) > 50


def test_export_png_cli_without_display(sample_db, tmp_path):
    from conftest import run_cli

    out = tmp_path / "cli.png"
    env = {"DISPLAY": ""}
    done = run_cli("export-png", sample_db, "--out", out, "--width", 1600, "--start", "April 2025", "--end", "May 2025",
                   "--actor", "Xi Jinping", "--view", "both", env=env)
    assert done.returncode == 0, done.stderr
    image, colours = image_stats(out)
    assert image.width() == 1600 and colours > 50
    bad = run_cli("export-png", sample_db, "--out", tmp_path / "x.png", "--actor", "Nobody", env=env)
    assert bad.returncode == 1 and "Nobody" in bad.stderr
    assert not (tmp_path / "x.png").exists()


def test_export_timeline_svg_is_vector_with_labels(window, tmp_path):
    from gui.export import export_timeline_svg

    out = tmp_path / "timeline.svg"
    export_timeline_svg(window.session, out, width=1600)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text
    assert "Donald Trump" in text and "Xi Jinping" in text  # lane labels are text, not pixels
    assert "fill-opacity" in text  # faded spans stay faded


def test_export_cli_formats_with_a_window(sample_db, tmp_path):

    from conftest import run_cli

    out = tmp_path / "april.gexf"
    done = run_cli("export", sample_db, "--format", "gexf", "--out", out, "--start", "2025-04-09", "--end", "2025-04-11")
    assert done.returncode == 0, done.stderr
    from test_exporters import _read_gexf  # a mixed graph, which networkx's own reader refuses

    graph = _read_gexf(out)
    label = {n: graph.nodes[n].get("label", n) for n in graph.nodes}
    events = {label[n]: graph.nodes[n].get("events") for n in graph.nodes}
    assert events["Donald Trump"] >= 1  # the tariff order of 9 April
    assert events["Wang Xiaohong"] == 0  # he is there by a standing relationship, with no events in these days
    shared = {frozenset((label[a], label[b])) for a, b, d in graph.edges(data=True) if d.get("link") != "relationship"}
    assert frozenset(("Xi Jinping", "Wang Xiaohong")) not in shared  # their shared events are in May
    whole = run_cli("export", sample_db, "--format", "json", "--out", tmp_path / "x.json", "--start", "2025")
    assert whole.returncode == 1 and "whole" in whole.stderr


def test_a_big_file_opens_on_a_worker_thread(qtbot, sample_db, tmp_path):
    from gui import launch

    window = launch.open_window(sample_db, background_bytes=0)  # treat the sample as "big"
    try:
        assert window.session.data.n_events == window.session.story.db.execute("SELECT count(*) FROM events").fetchone()[0]
        assert not window.session.read_only
        bad = tmp_path / "bad.db"
        bad.write_bytes(b"not a database at all" * 100)
        from store.database import StoreError

        with pytest.raises(StoreError, match="not a SQLite database"):
            launch.open_window(bad, background_bytes=0)
    finally:
        window.close()  # deletes it (the app's windows delete themselves when closed)


def test_a_closed_window_is_freed_with_its_file(qtbot, sample_db):
    """Hours of work open and close many files: a closed window must not keep
    its file's arrays (tens of MB for a big file) or its lock."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    from gui import launch

    window = launch.open_window(sample_db)
    data = weakref.ref(window.session.data)
    assert window in launch._windows
    window.close()
    del window

    def freed():
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window, then its session
        gc.collect()
        return data() is None

    qtbot.waitUntil(freed, timeout=5000)
    assert launch._windows == []
    again = launch.open_window(sample_db)  # the lock went with it: writable again
    assert not again.session.read_only
    again.close()


def test_dragging_the_window_drafts_the_graph_then_draws_it_all(window, qtbot, monkeypatch):
    """While the timeline is dragged the graph draws only its strongest links
    (a big graph takes many frames to draw); when the drag rests, all of them."""
    from gui.graph import items

    monkeypatch.setattr(items, "DRAFT_EDGES", 3)  # the sample's graph stands in for a big one
    graph, timeline = window.graph, window.timeline
    lo, hi = window.session.data.time_range
    timeline.set_window(lo - 86400, hi + 86400)
    qtbot.waitUntil(lambda: not graph.edges.draft, timeout=5000)
    graph.view.viewport().repaint()
    everything = graph.edges.drawn
    assert everything > 3 and not graph.edges.draft
    for step in range(3):  # a drag: range changes in quick succession
        timeline.set_window(lo - 86400 * (2 + step), hi + 86400 * (2 + step))
    graph.view.viewport().repaint()
    assert graph.edges.draft and graph.edges.drawn == 3
    every, segments = graph.edges.segments()
    kept, _ = graph.edges._drafted(every, segments)
    widths = graph.edges.edges.width
    assert widths[kept].min() >= widths[np.setdiff1d(every, kept)].max()  # the strongest links stay
    widths = widths[every]
    qtbot.waitUntil(lambda: not graph.edges.draft, timeout=5000)  # the drag rests
    graph.view.viewport().repaint()
    assert graph.edges.drawn == len(widths) >= everything


def test_switching_the_desktop_to_dark_recolours_the_open_window(window, qtbot):
    """People work for hours; the desktop may turn dark at sunset. The views
    follow the application's palette while open, and back again."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    def mean_lightness(widget) -> float:
        image = widget.grab().toImage().scaled(60, 40)
        return float(np.mean([QColor(image.pixel(x, y)).lightness() for x in range(60) for y in range(40)]))

    app = QApplication.instance()
    light = app.palette()
    assert not window.palette_.dark and mean_lightness(window.timeline.plot) > 150
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                         (QPalette.ColorRole.Base, "#202124"), (QPalette.ColorRole.Text, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    try:
        qtbot.waitUntil(lambda: window.palette_.dark, timeout=5000)
        assert mean_lightness(window.timeline.plot) < 100
        assert mean_lightness(window.graph.view) < 100
        # names readable on the dark background: light letters inside a written name's box
        graph = window.graph
        graph_image = graph.view.viewport().grab().toImage()
        assert graph.labels.placed
        _name, rect, _size = graph.labels.placed[0]
        box = rect.toRect()
        assert max(QColor(graph_image.pixel(x, y)).lightness()
                   for x in range(box.left(), box.right()) for y in range(box.top(), box.bottom())) > 150
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: not window.palette_.dark, timeout=5000)
    assert mean_lightness(window.timeline.plot) > 150


def test_the_story_graph_is_laid_out_the_same_every_time_with_nodes_apart(sample_db):
    """Opening the file twice gives the same picture, and no two actors sit on
    top of each other (each is at least a node's width from the next)."""
    from gui.graph.layout import compute_positions, history_edges
    from gui.session import Session

    session = Session.open(sample_db, read_only=True)
    edges = history_edges(session.data, session.relationships)
    first = compute_positions(session.data.n_actors, *edges)
    again = compute_positions(session.data.n_actors, *edges)
    assert np.array_equal(first, again)
    gaps = np.hypot(*(first[:, None, :] - first[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > 0.05 * np.ptp(first, axis=0).max()


@pytest.mark.parametrize("command", [("export", "--format", "gexf"), ("export-png",), ("export-figure",)],
                         ids=lambda c: c[0])
def test_a_date_the_command_line_cannot_read_is_one_line_naming_its_flag(sample_db, tmp_path, command):
    """--start/--end are read by one function for every export: the same
    message, exit code 1, no traceback and no file written."""
    from conftest import run_cli

    out = tmp_path / ("out.png" if command[0] != "export" else "out.gexf")
    done = run_cli(command[0], sample_db, *command[1:], "--out", out, "--start", "the day after the vote")
    assert done.returncode == 1
    assert done.stderr.strip() == "threadline: --start: cannot understand the date 'the day after the vote'"
    assert not out.exists()
    backwards = run_cli(command[0], sample_db, *command[1:], "--out", out, "--start", "May 2025", "--end", "April 2025")
    if command[0] == "export":
        assert backwards.returncode == 0  # an empty window exports an empty graph
    else:
        assert backwards.returncode == 1 and backwards.stderr.strip() == "threadline: --end must be after --start"
