"""The graph's nodes are one item drawn from arrays (``gui/graph/nodes.py``):
on screen each disc is a stamp from an atlas, on a vector device an ellipse.
These tests pin what a user sees and does with them: the stamps look as the
discs drawn one by one (colour at every centre, outlines within a pixel of
smoothing), highlighted and dimmed alike; small nodes are not hidden under
big ones; a hover names the node under the pointer and shows the hand; a
node dragged by hand takes its links along while a drag beside the nodes
pans the view, and neither touches the file; an SVG of the scene holds
every shown node as a vector disc."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from conftest import open_graph_panel
from test_explorer import drag


@pytest.fixture(scope="module")
def busy_master(tmp_path_factory):
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("nodes") / "nodes.db", events=6_000, actors=150, seed=5)


def _settled(qtbot, panel):
    qtbot.waitUntil(lambda: not panel._jobs.busy and not panel._trailing.isActive() and not panel.edges.draft,
                    timeout=10_000)
    QApplication.processEvents()


def _pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, 2::-1].astype(int)


def _nodes_only(panel) -> np.ndarray:
    """The viewport with only the nodes drawn (links and names hidden)."""
    panel.edges.setVisible(False)
    panel.labels.setVisible(False)
    try:
        return _pixels(panel.view.viewport().grab().toImage())
    finally:
        panel.edges.setVisible(True)
        panel.labels.setVisible(True)


def _device_centres(panel):
    order = panel.node_items._order
    t = panel.view.viewportTransform()
    xy = panel.node_items.positions[order]
    return order, xy[:, 0] * t.m11() + t.dx(), xy[:, 1] * t.m22() + t.dy()


@pytest.mark.parametrize("select", [False, True])
def test_stamped_nodes_look_as_the_discs_drawn_one_by_one(qtbot, busy_master, monkeypatch, select):
    import gui.graph.nodes as nodes

    panel = open_graph_panel(qtbot, busy_master, size=(700, 600))
    _settled(qtbot, panel)
    if select:  # the busiest actor lit, the rest dimmed
        busiest = max(panel.node_counts, key=panel.node_counts.get)
        panel.session.selection.select_actors([busiest])
        _settled(qtbot, panel)
        assert set((panel.node_items.lit[panel.node_items._order]).tolist()) == {0, 1}
    stamped = _nodes_only(panel)
    monkeypatch.setattr(nodes, "MAX_STAMP_PX", 0)  # every node an ellipse, as on a vector device
    drawn = _nodes_only(panel)
    order, cx, cy = _device_centres(panel)
    assert len(order) > 100
    # where a node is drawn last (on top) its centre has the same colour both ways
    top = np.zeros(stamped.shape[:2], np.int64) - 1
    for k, (x, y) in enumerate(zip(np.round(cx).astype(int), np.round(cy).astype(int))):
        if 0 <= x < top.shape[1] and 0 <= y < top.shape[0]:
            top[y, x] = k
    centres = np.argwhere(top >= 0)
    assert len(centres) > 50
    diff = np.abs(stamped[centres[:, 0], centres[:, 1]] - drawn[centres[:, 0], centres[:, 1]]).max(axis=1)
    assert (diff <= 12).mean() > 0.97, "the stamps' colours differ from the discs' at their centres"
    # and the picture differs only along outlines: few pixels, and by a pixel's smoothing
    changed = np.abs(stamped - drawn).max(axis=2) > 40
    assert changed.mean() < 0.03


def test_small_nodes_are_drawn_over_big_ones_and_a_lit_node_over_all(qtbot, busy_master):
    panel = open_graph_panel(qtbot, busy_master)
    _settled(qtbot, panel)
    items = panel.node_items
    order = items._order
    radii, lit = items.radius[order], items.lit[order]
    assert len(set(radii.tolist())) > 3
    assert np.all(np.diff(radii) <= 0), "a bigger node drawn after (over) a smaller one"
    busiest = max(panel.node_counts, key=panel.node_counts.get)
    smallest = min(panel.node_counts, key=panel.node_counts.get)
    panel.session.selection.select_actors([smallest])
    _settled(qtbot, panel)
    last = int(items._order[-1])
    assert int(panel.session.data.actor_ids[last]) == smallest and items.lit[last] == 1
    assert busiest != smallest


def test_a_hover_names_the_node_under_the_pointer_and_shows_the_hand(qtbot, busy_master):
    panel = open_graph_panel(qtbot, busy_master)
    _settled(qtbot, panel)
    vp = panel.view.viewport()
    smallest = min(panel.node_counts, key=panel.node_counts.get)
    node = next(n for n in panel.nodes.values() if n.actor_id == smallest)
    at = panel.view.mapFromScene(node.scenePos())
    qtbot.mouseMove(vp, at)
    qtbot.waitUntil(lambda: panel.labels.hovered == node.actor_index, timeout=5_000)
    assert panel.node_items.toolTip() == node.name
    assert vp.cursor().shape() == Qt.CursorShape.PointingHandCursor
    empty = _empty_point(panel)
    qtbot.mouseMove(vp, empty)
    qtbot.waitUntil(lambda: panel.labels.hovered is None, timeout=5_000)
    assert vp.cursor().shape() != Qt.CursorShape.PointingHandCursor


def _empty_point(panel) -> QPoint:
    """A viewport point well away from every node, inside the box around
    them all (where the one nodes item lies, but no node)."""
    _, cx, cy = _device_centres(panel)
    box = panel.view.mapFromScene(panel.node_items.sceneBoundingRect()).boundingRect()
    area = box.intersected(panel.view.viewport().rect().adjusted(10, 10, -10, -10))
    for y in range(area.top(), area.bottom(), 5):
        for x in range(area.left(), area.right(), 5):
            if np.hypot(cx - x, cy - y).min() > 30:
                return QPoint(x, y)
    raise AssertionError("no free spot among the nodes")


def _rows(path) -> list:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM events ORDER BY id").fetchall() + db.execute(
            "SELECT * FROM actors ORDER BY id").fetchall()


def test_a_dragged_node_takes_its_links_and_a_drag_beside_the_nodes_pans(qtbot, busy_master, tmp_path):
    import shutil

    path = tmp_path / "drag.db"
    shutil.copy(busy_master, path)
    before_rows = _rows(path)
    panel = open_graph_panel(qtbot, path)
    _settled(qtbot, panel)
    vp = panel.view.viewport()
    busiest = max(panel.node_counts, key=panel.node_counts.get)
    node = next(n for n in panel.nodes.values() if n.actor_id == busiest)
    start_scene = node.scenePos()
    start = panel.view.mapFromScene(start_scene)
    to = _empty_point(panel)  # a free spot, so the node is the one found there afterwards
    drag(vp, start, to)
    QApplication.processEvents()
    moved = node.scenePos()
    assert abs(panel.view.mapFromScene(moved).x() - to.x()) <= 1 and abs(panel.view.mapFromScene(moved).y() - to.y()) <= 1
    # its links now end where it stands
    which, seg = panel.edges.segments()
    mine = panel.edges.edges.a[which] == node.actor_index
    assert mine.any()
    assert np.allclose(seg[mine, :2], [moved.x(), moved.y()], atol=FAN_TOLERANCE)
    # the pointer there finds the node in its new place
    assert panel.node_at(moved) is node
    # a drag where there is no node pans the view; no node moves
    places = {i: (n.pos().x(), n.pos().y()) for i, n in panel.nodes.items()}
    empty = _empty_point(panel)
    centre = panel.view.mapToScene(vp.rect().center())
    drag(vp, empty, empty + QPoint(-50, 30))
    QApplication.processEvents()
    assert panel.view.mapToScene(vp.rect().center()) != centre
    assert {i: (n.pos().x(), n.pos().y()) for i, n in panel.nodes.items()} == places
    assert panel.view.moved_by_hand
    panel.session.close()
    assert _rows(path) == before_rows  # moving nodes and the view is navigation: the file is as it was


FAN_TOLERANCE = 8.0  # scene units: a link beside another of the same pair is fanned out by a few


def test_an_svg_of_the_scene_holds_each_shown_node_as_a_vector_disc(qtbot, busy_master, tmp_path):
    from PySide6.QtSvg import QSvgGenerator

    panel = open_graph_panel(qtbot, busy_master)
    _settled(qtbot, panel)
    panel.edges.setVisible(False)
    panel.labels.setVisible(False)
    out = tmp_path / "nodes.svg"
    generator = QSvgGenerator()
    generator.setFileName(str(out))
    generator.setSize(QSize(600, 500))
    painter = QPainter(generator)
    try:
        panel.scene.render(painter, QRectF(0, 0, 600, 500), panel.scene.itemsBoundingRect())
    finally:
        painter.end()
    text = out.read_text()
    assert "<image" not in text, "nodes were written as a picture"
    discs = text.count("<circle") + text.count("<ellipse")  # Qt writes a round ellipse as a circle
    assert discs == int(panel.node_items.visible.sum()) > 100


def test_discs_too_many_for_one_atlas_are_drawn_as_ellipses(qtbot, busy_master, monkeypatch):
    import gui.disc_atlas as disc_atlas

    panel = open_graph_panel(qtbot, busy_master)
    _settled(qtbot, panel)
    stamped = _nodes_only(panel)
    monkeypatch.setattr(disc_atlas, "MAX_PX", 8)  # no room for the discs this view needs
    panel.node_items.forget_stamps()
    squeezed = _nodes_only(panel)
    assert panel.node_items._atlas.pixmap is None  # no atlas was made...
    changed = np.abs(stamped - squeezed).max(axis=2) > 40
    assert changed.mean() < 0.03  # ...and every node is there all the same
