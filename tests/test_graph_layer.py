"""A crowded relationship graph draws its links as a layer: runs of its
lines, each rasterised on a core of its own and laid over one another in
drawing order (``gui/graph/items.py``). These tests
pin that the layer is the window's network and nothing else: every link of
random windows drawn, with the endpoints and widths the network gives; the
picture the same as the lines drawn one group at a time on the view; a
click on a link still selects it (and lights it); a hover does not draw
the links again; a moving window's draft is drawn straight on the view,
and the layer once it rests."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from conftest import open_graph_panel


@pytest.fixture(scope="module")
def crowded_master(tmp_path_factory):
    from bench.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("crowd") / "crowd.db", events=20_000, actors=400, seed=8)


def _pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    # RGB32 is 0xffRRGGBB: blue, green, red, 255 in memory on a little-endian machine
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, 2::-1].astype(int)


def _settled(qtbot, panel):
    """The window's network shown in full: no count running, no update held
    back for later (a busy panel follows the range at most every so often)."""
    qtbot.waitUntil(lambda: not panel._jobs.busy and not panel._trailing.isActive() and not panel.edges.draft,
                    timeout=10_000)
    QApplication.processEvents()


def _grab(panel) -> np.ndarray:
    return _pixels(panel.view.viewport().grab().toImage())


def _near_dashed(panel, shape) -> np.ndarray:
    """Pixels within 2 of a dashed link (a claimed or contested relationship):
    where its dashes fall along the line is Qt's choice, made afresh per drawing."""
    which, seg = panel.edges.segments()
    seg = seg[panel.edges.edges.dashed[which]]
    t = panel.view.viewportTransform()
    mask = np.zeros(shape, bool)
    for x0, y0, x1, y1 in seg.tolist():
        a = np.array([x0 * t.m11() + t.dx(), y0 * t.m22() + t.dy()])
        b = np.array([x1 * t.m11() + t.dx(), y1 * t.m22() + t.dy()])
        for p in a + np.linspace(0, 1, int(np.hypot(*(b - a)) * 2) + 2)[:, None] * (b - a):
            x, y = int(round(p[0])), int(round(p[1]))
            mask[max(y - 2, 0): y + 3, max(x - 2, 0): x + 3] = True
    return mask


def _differing(a, b, panel) -> np.ndarray:
    """Pixels that differ more than blending's rounding, dashed links aside."""
    return (np.abs(a - b).max(axis=2) > 24) & ~_near_dashed(panel, a.shape[:2])


def _windows(session, n, seed):
    lo, hi = session.data.time_range
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        width = (hi - lo) * rng.uniform(0.3, 0.9)
        start = lo + rng.uniform(0, (hi - lo) - width)
        out.append((start, start + width))
    return out


def test_the_layer_draws_every_link_of_random_windows_as_the_network_counts_it(qtbot, crowded_master, monkeypatch):
    from gui.graph import items
    from store.view_model.window_network import window_events, window_network

    panel = open_graph_panel(qtbot, crowded_master)
    session, data = panel.session, panel.session.data
    seen = []
    for window in _windows(session, 5, seed=1):
        session.selection.set_visible_range(window)
        _settled(qtbot, panel)
        layered = _grab(panel)
        assert len(panel._edges) >= items.LAYER_EDGES and panel.edges._layer is not None
        # the window's network counted afresh, pair by pair
        counts, co = window_network(data, window_events(data, window, None), True)
        rel = panel._rels.alive(window, None, None)
        shown = ((counts > 0) | np.isin(np.arange(data.n_actors), np.r_[panel._rels.a[rel], panel._rels.b[rel]]))
        keep = shown[co.a] & shown[co.b]
        want_co = {(int(a), int(b)): 0.8 + 1.6 * np.log1p(c) for a, b, c in zip(co.a[keep], co.b[keep], co.count[keep])}
        e = panel.edges.edges
        is_co = e.colour == 0
        drawn_co = {(int(a), int(b)): float(w) for a, b, w in zip(e.a[is_co], e.b[is_co], e.width[is_co])}
        assert drawn_co.keys() == want_co.keys()
        assert all(abs(drawn_co[k] - want_co[k]) < 1e-9 for k in want_co)
        assert sorted(zip(e.a[~is_co].tolist(), e.b[~is_co].tolist())) == sorted(zip(panel._rels.a[rel].tolist(), panel._rels.b[rel].tolist()))
        # every one of them drawn, each from its node to its node
        which, seg = panel.edges.segments()
        assert panel.edges.drawn == len(which) == len(e)
        nodes = {i: (n.scenePos().x(), n.scenePos().y()) for i, n in panel.nodes.items()}
        single = np.bincount(np.minimum(e.a, e.b) * data.n_actors + np.maximum(e.a, e.b))[
            np.minimum(e.a, e.b)[which] * data.n_actors + np.maximum(e.a, e.b)[which]] == 1
        ends = np.array([nodes[int(a)] + nodes[int(b)] for a, b in zip(e.a[which], e.b[which])])
        assert np.allclose(seg[single], ends[single])
        # the same picture as the lines drawn straight on the view, group by group
        monkeypatch.setattr(items, "LAYER_EDGES", 10**9)
        panel.edges.update()
        direct = _grab(panel)
        monkeypatch.undo()
        off = _differing(layered, direct, panel)
        # translucent lines laid over one another round a little differently
        assert off.mean() < 0.0005, f"{off.sum()} pixels differ from the lines drawn directly"
        # and not a blank: the links cover much of the view
        background = np.array([panel.palette.background.red(), panel.palette.background.green(), panel.palette.background.blue()])
        seen.append(float((np.abs(direct - background).max(axis=2) > 8).mean()))
    assert min(seen) > 0.05


def test_runs_on_more_cores_than_the_machine_has_draw_the_same_picture(qtbot, crowded_master, monkeypatch):
    from gui.graph import items

    panel = open_graph_panel(qtbot, crowded_master)
    lo, hi = panel.session.data.time_range
    panel.session.selection.set_visible_range((lo + (hi - lo) * 0.1, lo + (hi - lo) * 0.7))
    _settled(qtbot, panel)
    monkeypatch.setattr(items, "_cores", lambda: 1)  # one run, drawn here
    panel.edges._layer = None  # made afresh, though nothing it shows changed
    panel.edges.update()
    one = _grab(panel)
    monkeypatch.setattr(items, "_cores", lambda: 5)  # three runs (MAX_SLICES), two on workers
    monkeypatch.setattr(items, "_POOL", None)
    panel.edges._layer = None
    panel.edges.update()
    many = _grab(panel)
    assert len(panel.edges._layer[1]) == items.MAX_SLICES == 3
    assert _differing(one, many, panel).mean() < 0.0005


def test_the_layer_and_the_draft_draw_their_lines_in_a_painter_clipped_to_its_device(qtbot, crowded_master, monkeypatch):
    """Where Qt writes thin lines' pixels straight into the image (2-3 times
    faster): a painter with a rectangular clip of its own."""
    from gui.graph import items

    panel = open_graph_panel(qtbot, crowded_master)
    lo, hi = panel.session.data.time_range
    panel.session.selection.set_visible_range((lo + (hi - lo) * 0.1, lo + (hi - lo) * 0.7))
    _settled(qtbot, panel)
    seen = []
    real = items.draw_lines

    def watched(painter, *columns):
        seen.append((painter.hasClipping(), painter.paintEngine().type(), len(columns[0])))
        real(painter, *columns)

    monkeypatch.setattr(items, "draw_lines", watched)
    panel.edges._layer = None  # made afresh
    panel.edges.update()
    _grab(panel)
    assert sum(n for _c, _t, n in seen) == panel.edges.drawn >= items.LAYER_EDGES
    seen.clear()
    panel.edges.set_draft(True)  # a moving window: drawn straight on the view
    _grab(panel)
    assert sum(n for _c, _t, n in seen) == panel.edges.drawn == items.DRAFT_EDGES
    assert all(clipped for clipped, _t, _n in seen)


def _clear_point(panel, k_max=2000):
    """A point on one drawn link, at least 3 device pixels from every other
    link and well away from every node, and that link's index."""
    which, seg = panel.edges.segments()
    to_view = panel.view.viewportTransform()
    dev = np.c_[seg[:, 0] * to_view.m11() + to_view.dx(), seg[:, 1] * to_view.m22() + to_view.dy(),
                seg[:, 2] * to_view.m11() + to_view.dx(), seg[:, 3] * to_view.m22() + to_view.dy()]
    nodes = np.array([(panel.view.mapFromScene(n.scenePos()).x(), panel.view.mapFromScene(n.scenePos()).y())
                      for n in panel.nodes.values() if n.isVisible()], float)
    vp = panel.view.viewport().rect()
    order = np.argsort(-np.hypot(dev[:, 2] - dev[:, 0], dev[:, 3] - dev[:, 1]))[:k_max]
    for k in order.tolist():
        for t in np.linspace(0.3, 0.7, 9):
            x, y = dev[k, :2] + t * (dev[k, 2:] - dev[k, :2])
            x, y = round(x), round(y)
            if not (5 < x < vp.width() - 5 and 5 < y < vp.height() - 5):
                continue
            ax, ay, bx, by = np.delete(dev, k, axis=0).T
            dx, dy = bx - ax, by - ay
            u = np.clip(((x - ax) * dx + (y - ay) * dy) / np.maximum(dx * dx + dy * dy, 1e-9), 0, 1)
            if np.hypot(x - ax - u * dx, y - ay - u * dy).min() >= 3 and np.hypot(nodes[:, 0] - x, nodes[:, 1] - y).min() >= 12:
                return QPoint(x, y), int(which[k])
    raise AssertionError("no link stands clear of the others in this view")


def test_a_click_on_a_link_of_the_layer_selects_and_lights_it_and_a_hover_keeps_the_layer(qtbot, crowded_master, tmp_path):
    from gui.graph.items import LAYER_EDGES

    panel = open_graph_panel(qtbot, crowded_master, size=(900, 700))
    lo, hi = panel.session.data.time_range
    panel.session.selection.set_visible_range((lo + (hi - lo) * 0.2, lo + (hi - lo) * 0.6))
    _settled(qtbot, panel)
    assert len(panel._edges) >= LAYER_EDGES
    at, edge = _clear_point(panel)
    ref = panel.edge_refs()[edge]
    before = _grab(panel)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert panel.session.selection.selected_edge == ref
    _settled(qtbot, panel)
    after = _grab(panel)
    # the clicked link is drawn in the highlight colour where it was clicked, and the rest dimmed
    hl = panel.palette.highlight
    panel.view.viewport().grab().save(str(tmp_path / "selected-link.png"))

    def to_highlight(pixels):
        near = pixels[at.y() - 2: at.y() + 3, at.x() - 2: at.x() + 3].reshape(-1, 3)
        return np.abs(near - [hl.red(), hl.green(), hl.blue()]).sum(axis=1).min()

    assert to_highlight(after) < to_highlight(before) - 60
    assert np.abs(after - before).max(axis=2).mean() > 1
    # a pointer over a node shows its name; the links are not drawn again for it
    layer = panel.edges._layer
    node = max(panel.node_counts, key=panel.node_counts.get)
    qtbot.mouseMove(panel.view.viewport(), panel.view.mapFromScene(panel.node_scene_pos(node)))
    qtbot.waitUntil(lambda: panel.labels.hovered is not None, timeout=5_000)
    panel.view.viewport().repaint()
    assert panel.edges._layer is layer


def test_a_moving_window_draws_its_strongest_links_straight_on_the_view_and_the_layer_at_rest(qtbot, crowded_master):
    """While the window moves (a draft), the strongest links are drawn as
    lines on the view, with no layer made for them; once it rests, the layer
    of every link, and the picture holds the draft's links."""
    from gui.graph import items

    panel = open_graph_panel(qtbot, crowded_master)
    lo, hi = panel.session.data.time_range
    panel.session.selection.set_visible_range((lo + (hi - lo) * 0.1, lo + (hi - lo) * 0.7))
    _settled(qtbot, panel)
    assert len(panel._edges) > items.DRAFT_EDGES
    rested_layer = panel.edges._layer
    panel.edges.set_draft(True)
    panel.view.viewport().repaint()
    assert panel.edges.drawn == items.DRAFT_EDGES
    assert panel.edges._layer is rested_layer  # no layer made for the draft
    draft = _grab(panel)
    panel.edges.set_draft(False)
    panel.view.viewport().repaint()
    assert panel.edges.drawn == len(panel._edges)
    assert panel.edges._layer is not rested_layer  # made afresh at rest (its look changed twice)
    full = _grab(panel)
    background = np.array([panel.palette.background.red(), panel.palette.background.green(), panel.palette.background.blue()])
    inked = lambda pixels: (np.abs(pixels - background).max(axis=2) > 8)  # noqa: E731
    assert inked(full).sum() > inked(draft).sum() > 0


def _wheel(vp, pos: QPointF, steps: int) -> None:
    from PySide6.QtGui import QWheelEvent

    for _ in range(abs(steps)):
        delta = QPoint(0, 120 if steps > 0 else -120)
        QApplication.sendEvent(vp, QWheelEvent(pos, vp.mapToGlobal(pos), QPoint(0, 0), delta, Qt.MouseButton.NoButton,
                                               Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))


def test_after_a_zoom_names_near_the_right_edge_are_written_left_of_their_nodes_and_whole(qtbot, tmp_path):
    from bench.synth import write_synthetic

    path = write_synthetic(tmp_path / "names.db", events=3000, actors=120, seed=5)
    panel = open_graph_panel(qtbot, path, size=(700, 500))
    _settled(qtbot, panel)
    vp = panel.view.viewport()
    width = vp.width()
    # a node right of the middle, with a long name
    at = {n: panel.view.mapFromScene(n.scenePos()) for n in panel.nodes.values() if n.isVisible()}
    right = sorted((n for n, p in at.items() if p.x() > width / 2 and 60 <= p.y() <= vp.height() - 60),
                   key=lambda n: -at[n].x())[:12]
    node = max(right, key=lambda n: len(n.name))
    # zoomed in by hand about a point chosen so that the node lands near the right edge
    notches = 4
    factor = 1.0015 ** (120 * notches)  # notches of the wheel (gui/graph/view.py)
    x = at[node].x()
    about = QPointF((x * factor - (width - 25)) / (factor - 1), at[node].y())
    assert 0 <= about.x() <= width  # the pointer is over the view: it zooms about the pointer
    qtbot.mouseMove(vp, about.toPoint())
    _wheel(vp, about, notches)
    now = panel.view.mapFromScene(node.scenePos())
    assert width - 40 < now.x() < width
    # the pointer over it writes its name whatever the crowd
    qtbot.mouseMove(vp, now)
    qtbot.waitUntil(lambda: panel.labels.hovered == node.actor_index, timeout=5_000)
    vp.repaint()
    panel.view.viewport().grab().save(str(tmp_path / "zoomed.png"))
    placed = {name: rect for name, rect, _px in panel.labels.placed}
    assert len(placed) >= 10
    for name, rect in placed.items():
        assert rect.left() >= 0 and rect.right() <= width, f"{name!r} is cut at the edge: {rect}"
        assert rect.top() >= 0 and rect.bottom() <= vp.height(), f"{name!r} is cut at the edge: {rect}"
    assert node.name in placed and placed[node.name].right() < now.x()  # left of its node


@pytest.mark.parametrize("seed", range(6))
def test_every_planned_group_is_drawn_in_the_look_of_each_of_its_links(qapp, seed):
    """The links are drawn a group per look (highlight, dash, width, colour):
    a link's group pen is its own colour and width, dimmed ones come first
    and highlighted ones last, and every link is drawn once."""
    from PySide6.QtGui import QColor

    from gui.graph.items import EdgeArrays, EdgesItem
    from gui.theme import Palette

    rng = np.random.default_rng(seed)
    n_nodes, n = 60, int(rng.integers(50, 4000))
    a = rng.integers(0, n_nodes, n)
    b = (a + rng.integers(1, n_nodes, n)) % n_nodes
    colours = [QColor.fromHsv(int(h), 200, 200) for h in rng.integers(0, 360, 7)]
    lit = rng.choice(np.array([-1, 0, 1], np.int8), n) if seed % 2 else np.full(n, -1, np.int8)
    edges = EdgeArrays(a, b, rng.integers(0, len(colours), n), rng.choice([0.8, 1.6, 1.9, 2.6, 4.0], n),
                       rng.random(n) < 0.3, rng.random(n) < 0.2, lit, colours, [])
    palette = Palette()
    item = EdgesItem(palette)
    item.set_edges(edges, rng.uniform(0, 500, (n_nodes, 2)), np.full(n_nodes, 6.0), np.ones(n_nodes, bool))
    groups, _antialias, _seg = item._plan()
    which = item._last_drawn[0]
    drawn = np.concatenate([rows for _pen, _colour, rows, _arrows in groups])
    assert sorted(drawn.tolist()) == list(range(len(which)))  # each link once
    order_of_lit = []
    for pen, _colour, rows, _arrows in groups:
        links = which[rows]
        assert len(set(edges.colour[links].tolist())) == 1
        assert len(set(edges.dashed[links].tolist())) == 1
        assert len(set(np.round(edges.width[links] * 2).tolist())) == 1
        assert len(set(lit[links].tolist())) == 1
        want, _ = item._style(int(lit[links[0]]), bool(edges.dashed[links[0]]),
                              int(round(edges.width[links[0]] * 2)), int(edges.colour[links[0]]))
        assert pen.color() == want.color() and pen.widthF() == want.widthF() and pen.style() == want.style()
        order_of_lit.append(int(lit[links[0]]))
    assert order_of_lit == sorted(order_of_lit)  # dimmed first, highlighted last
