"""Small stories in the window, as a new user starts one: a single event, a
dozen actors. What a person sees: the overview strip, the graph's names."""

from __future__ import annotations

from conftest import open_main_window
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from store import records
from store.database import close_database, open_database
from store.records import Participation


def story(path, n_actors=1, events=(("Harbour closed", "12 Mar 2024"),)):
    db = open_database(path, create=True)
    try:
        ids = [records.add_actor(db, f"Actor number {k + 1}") for k in range(n_actors)]
        for title, date in events:
            records.add_event(db, title, date, actors=[Participation(a) for a in ids])
    finally:
        close_database(db)
    return path


def test_the_overview_of_a_lone_event_holds_the_window_the_timeline_shows(qtbot, tmp_path):
    win = open_main_window(qtbot, story(tmp_path / "one.db"), tmp_path)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    timeline, overview = win.timeline, win.timeline.overview
    # zoom out over the timeline with the mouse wheel, as far as a year or more
    viewport = timeline.plot.viewport()
    centre = QPoint(viewport.width() // 2, viewport.height() // 2)
    for _ in range(60):
        lo, hi = win.session.selection.visible_range
        if hi - lo > 365 * 86400:
            break
        wheel = QWheelEvent(QPointF(centre), QPointF(viewport.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, -240),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, wheel)
    lo, hi = win.session.selection.visible_range
    assert hi - lo > 365 * 86400, "the wheel did not zoom out to a year"
    (x0, x1), _ = overview.viewRange()
    assert x0 <= lo and x1 >= hi, "the overview strip shows less than the timeline"
    assert x1 - x0 < 2 * (hi - lo)  # and not much more: the marked window is most of the strip
    lo_mark, hi_mark = overview.region.getRegion()
    assert x0 <= lo_mark < hi_mark <= x1  # the marked window lies inside the strip
    # zoomed back in (Home), the strip is the event's day again
    timeline.plot.setFocus()
    qtbot.keyClick(timeline.plot, Qt.Key.Key_Home)
    lo, hi = win.session.selection.visible_range
    (x0, x1), _ = overview.viewRange()
    assert x0 <= lo and x1 >= hi and x1 - x0 < 3 * 86400


NAMES = ["Greenline Services", "Regional Audit Office", "Civic Alliance", "Carla Nunes", "Brightwater Marine",
         "Tomas Reyes", "Northbridge Police", "Northbridge Echo", "Northbridge City Council", "Nordic Star",
         "Liepaja", "Kestrel Shipping", "Daniel Hoffmann"]  # fmt: skip


def thirteen_actors(path):
    """13 actors, 12 events in March 2024 of one to three of them (one actor in none)."""
    import random

    db = open_database(path, create=True)
    try:
        ids = [records.add_actor(db, name) for name in NAMES]
        pick = random.Random(3)
        for k in range(12):
            who = pick.sample(ids, pick.choice([1, 2, 2, 3]))
            records.add_event(db, f"Event {k}", f"2024-03-{k + 1:02d}", actors=[Participation(a) for a in who])
    finally:
        close_database(db)
    return path


def graph_on_screen(graph):
    """(names written, pixel box of the shown nodes' discs and names) as the panel paints them."""
    graph.view.viewport().grab()  # a real paint: the names are placed while painting
    t = graph.view.viewportTransform()
    boxes = [rect for _n, rect, _s in graph.labels.placed]
    for node in graph.nodes.values():
        if node.isVisible():
            boxes.append(t.mapRect(node.sceneBoundingRect()))
    box = boxes[0]
    for rect in boxes[1:]:
        box = box.united(rect)
    return {n for n, _r, _s in graph.labels.placed}, box


def test_a_small_graph_fills_its_panel_and_names_every_actor(qtbot, tmp_path):
    from tests.test_explorer import drag, plot_point

    win = open_main_window(qtbot, thirteen_actors(tmp_path / "thirteen.db"), tmp_path)
    graph = win.graph
    graph.wait_for_layout()
    qtbot.wait(50)
    port = graph.view.viewport().rect()
    names, box = graph_on_screen(graph)
    assert names == {n for n in NAMES if n != "Daniel Hoffmann"}  # every actor with an event, by name
    assert QRectF(port).contains(box)  # nothing cut at the panel's edges
    assert box.width() > 0.8 * port.width() or box.height() > 0.8 * port.height()  # the panel is filled
    # a narrower time window (shift-drag on the timeline) leaves fewer actors: they fill the panel again
    vp = win.timeline.plot.viewport()
    row = 0
    from store.dates import parse_date

    drag(vp, plot_point(win, parse_date("2024-03-01").earliest, row), plot_point(win, parse_date("2024-03-04").latest, row),
         Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: 0 < len(graph.visible_nodes) < 12)
    names, box = graph_on_screen(graph)
    shown = {graph.session.data.actor_names[graph.session.data.actor_ids.tolist().index(a)] for a in graph.visible_nodes}
    assert names == shown
    assert QRectF(port).contains(box)
    assert box.width() > 0.8 * port.width() or box.height() > 0.8 * port.height()


def test_no_name_is_cut_at_the_panels_edge_on_a_gdelt_story(qtbot, tmp_path):
    """GDELT's actor names are long ('Appeals Court (country not given)'): one right
    of a node near the panel's right edge was cut; it goes to another side."""
    from conftest import SHARED_DATA
    from main import main

    data = SHARED_DATA / "gdelt1_events_sample_20160728.tsv"
    assert data.exists(), f"real data file {data} is not there (shared/data must sit beside the checkout)"
    db = tmp_path / "gdelt.db"
    assert main(["import", str(db), str(data), "--format", "gdelt"]) == 0
    win = open_main_window(qtbot, db, tmp_path)
    graph = win.graph
    graph.wait_for_layout()
    qtbot.wait(50)
    port = QRectF(graph.view.viewport().rect())
    for zoom in (None, 1.6):  # as fitted, then zoomed in with the wheel over the middle
        if zoom:
            centre = QPointF(port.center())
            for _ in range(3):
                QApplication.sendEvent(graph.view.viewport(), QWheelEvent(
                    centre, QPointF(graph.view.viewport().mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120),
                    Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))
        names, _box = graph_on_screen(graph)
        assert len(names) > 30
        cut = [n for n, rect, _s in graph.labels.placed if not port.contains(rect)]
        assert cut == [], f"zoom {zoom}: names cut at the panel's edge: {cut[:5]}"
