"""The graph's names and lines, drawn fast and drawn the same:

- names are placed by striking out, per written name, the later candidates'
  sides it clashes with; that gives exactly the names (and places) of
  trying each candidate's sides one by one against an occupancy grid;
- lines drawn through Qt's own drawLines (Python's lock let go) make the
  same picture as PySide's call, and are the way lines are drawn here;
- a painter clipped to its whole image (where Qt writes thin lines' pixels
  straight into it) draws the same lines, up to blending's rounding, over
  the whole image at any pixel ratio, and a PDF painter gets no clip;
- background work pauses between its steps while the UI thread draws frames,
  never for long, and never on the UI thread itself.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest
from PySide6.QtCore import QLineF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

from gui.graph.labels import CELL_PX, NODES_BLOCK_NAMES, PAD_PX, LabelsItem
from gui.theme import Palette
from store import progress


def _one_by_one(item: LabelsItem, width: int, height: int, scale: float, dx: float, dy: float):
    """The placement written the plain way: candidates in order, each side
    tried against a grid of taken cells (and, among a few nodes, the discs)."""
    order = item._order()
    if not len(order):
        return []
    level = item._levels(order)
    w = item._name_widths(order, level)
    h = np.array([m.height() for _, m in item._fonts])[level]
    cx = item.positions[order, 0] * scale + dx
    cy = item.positions[order, 1] * scale + dy
    x = cx + item.radii[order] * scale + 3
    y = cy - h / 2
    on_screen = [k for k in range(len(order)) if x[k] <= width and y[k] <= height and x[k] + w[k] >= 0 and y[k] + h[k] >= 0]
    grid = np.zeros((height // CELL_PX + 2, width // CELL_PX + 2), bool)
    discs = None
    if len(on_screen) <= NODES_BLOCK_NAMES:
        discs = [(int(order[k]), cx[k] - item.radii[order[k]] * scale, cy[k] - item.radii[order[k]] * scale,
                  cx[k] + item.radii[order[k]] * scale, cy[k] + item.radii[order[k]] * scale) for k in on_screen]

    def cells(px, py, wk, hk):
        rows = slice(max(int((py - PAD_PX) // CELL_PX), 0), int((py + hk + PAD_PX) // CELL_PX) + 1)
        cols = slice(max(int((px - PAD_PX) // CELL_PX), 0), int((px + wk + PAD_PX) // CELL_PX) + 1)
        return rows, cols

    out = []
    for k in on_screen:
        i = int(order[k])
        reach = item.radii[i] * scale + 3
        wk, hk = float(w[k]), float(h[k])
        sides = [(x[k], y[k]), (cx[k] - reach - wk, y[k]), (cx[k] - wk / 2, cy[k] - reach - hk - 2),
                 (cx[k] - wk / 2, cy[k] + reach + 2)]
        inside = [p for p in sides if p[0] >= 0 and p[1] >= 0 and p[0] + wk <= width and p[1] + hk <= height]
        spot = None
        if i == item.hovered:
            spot = inside[0] if inside else sides[0]
        else:
            for px, py in inside:
                on_disc = discs is not None and any(
                    who != i and x0 < px + wk and x1 > px and y0 < py + hk and y1 > py for who, x0, y0, x1, y1 in discs)
                if not grid[cells(px, py, wk, hk)].any() and not on_disc:
                    spot = (px, py)
                    break
        if spot is None:
            continue
        grid[cells(spot[0], spot[1], wk, hk)] = True
        out.append((item.names[i], round(float(spot[0]), 6), round(float(spot[1]), 6)))
    return out


@pytest.mark.parametrize("n,seed,hover", [(12, 1, None), (60, 2, 5), (400, 3, None), (1500, 4, 77), (900, 5, 3)])
def test_names_go_where_trying_each_side_in_turn_puts_them(qapp, n, seed, hover):
    rng = np.random.default_rng(seed)
    item = LabelsItem(Palette())
    names = [("Actor %d " % k) + "x" * int(rng.integers(0, 25)) for k in range(n)]
    positions = rng.normal(0, 300, (n, 2))
    radii = rng.uniform(4, 30, n)
    shown = rng.random(n) < 0.9
    importance = rng.integers(0, 500, n).astype(float)
    lit = np.where(rng.random(n) < 0.1, 1, -1).astype(np.int8)
    item.set_nodes(names, positions, radii, shown, importance, lit)
    item.hovered = hover if hover is not None and shown[hover] else None
    width, height, scale = 640, 480, float(rng.uniform(0.2, 1.5))
    dx, dy = width / 2 + rng.uniform(-80, 80), height / 2 + rng.uniform(-60, 60)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setTransform(QTransform(scale, 0, 0, scale, dx, dy))
    item.paint(painter, None)
    painter.end()
    got = [(name, round(r.x(), 6), round(r.y(), 6)) for name, r, _px in item.placed]
    assert got == _one_by_one(item, width, height, scale, dx, dy)
    assert len(got) >= min(5, int(shown.sum()))
    # and no two names share a cell of the grid: none is written over another
    boxes = [r.adjusted(-PAD_PX, -PAD_PX, PAD_PX, PAD_PX) for _n, r, _p in item.placed]
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            assert not boxes[a].adjusted(CELL_PX, CELL_PX, -CELL_PX, -CELL_PX).intersects(boxes[b].adjusted(CELL_PX, CELL_PX, -CELL_PX, -CELL_PX))


def _picture(draw, pen: QPen, antialias: bool, transform: QTransform) -> np.ndarray:
    image = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
    painter.setTransform(transform)
    painter.setPen(pen)
    draw(painter)
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).copy()


@pytest.mark.parametrize("width,antialias,dashed,scale", [(0.0, False, False, 1.0), (1.5, False, False, 0.3),
                                                          (2.5, True, False, 1.7), (1.0, False, True, 1.0)])
def test_lines_through_qt_itself_are_the_lines_pyside_draws(qapp, width, antialias, dashed, scale):
    from gui import batch_paint

    rng = np.random.default_rng(int(width * 10) + antialias)
    seg = rng.uniform(-50, 350, (3000, 4))
    pen = QPen(QColor(30, 120, 200, 255), width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    transform = QTransform(scale, 0, 0, scale, 10, -5)
    ours = _picture(lambda p: batch_paint.draw_lines(p, seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3]), pen, antialias, transform)
    theirs = _picture(lambda p: p.drawLines([QLineF(*row) for row in seg.tolist()]), pen, antialias, transform)
    assert np.count_nonzero(ours) > 1000  # something was drawn
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux wheel's QtGui is looked for in /proc/self/maps")
def test_on_linux_lines_are_drawn_by_qt_itself_with_the_lock_let_go(qapp):
    """The fast way is the way taken (CI runs Linux): while a worker draws
    many lines, this thread gets to run Python."""
    from gui import batch_paint

    assert batch_paint.native_lines() is not None
    seg = np.random.default_rng(0).uniform(0, 600, (400_000, 4))
    image = QImage(600, 600, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    started, done, ran_meanwhile = threading.Event(), threading.Event(), []

    def draw():
        painter = QPainter(image)
        painter.setPen(QPen(QColor("#333"), 1))
        started.set()
        batch_paint.draw_lines(painter, seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3])
        painter.end()
        done.set()

    worker = threading.Thread(target=draw)
    worker.start()
    started.wait()
    while not done.is_set():
        ran_meanwhile.append(1)  # Python running here while the lines are drawn there
    worker.join()
    assert len(ran_meanwhile) > 1000


def _clipped_or_not(clip: bool, seg, pen: QPen, antialias: bool, ratio: float) -> np.ndarray:
    from gui import batch_paint

    image = QImage(int(300 * ratio), int(200 * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
    painter.setTransform(QTransform(0.5, 0, 0, 0.5, 3, -2))
    if clip:
        batch_paint.clip_to_device(painter)
    painter.setPen(pen)
    batch_paint.draw_lines(painter, seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3])
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).astype(int)


@pytest.mark.parametrize("width,cosmetic,antialias,ratio", [(0.5, False, False, 1.0), (0.0, True, False, 1.0),
                                                            (1.2, True, True, 1.0), (3.0, False, False, 1.0),
                                                            (0.5, False, False, 2.0)])
def test_a_painter_clipped_to_its_image_draws_the_same_lines_over_all_of_it(qapp, width, cosmetic, antialias, ratio):
    seg = np.random.default_rng(7).uniform(-40, 640, (4000, 4))  # in and out of the image, corners too
    pen = QPen(QColor(90, 140, 60), width)
    pen.setCosmetic(cosmetic)
    clipped = _clipped_or_not(True, seg, pen, antialias, ratio)
    plain = _clipped_or_not(False, seg, pen, antialias, ratio)
    drawn = plain.max(axis=2) > 0
    assert drawn.mean() > 0.2
    # the same pixels drawn, to the image's last row and column
    np.testing.assert_array_equal(clipped.max(axis=2) > 0, drawn)
    assert drawn[-3:, :].any() and drawn[:, -3:].any()
    # each as bright, but for the rounding of a thin line's blend
    assert np.abs(clipped - plain).max() <= 3


def test_a_pdf_painter_gets_no_clip_and_an_image_painter_all_of_its_image(qapp, tmp_path):
    from PySide6.QtGui import QPdfWriter

    from gui import batch_paint

    writer = QPdfWriter(str(tmp_path / "lines.pdf"))
    painter = QPainter(writer)
    batch_paint.clip_to_device(painter)
    assert not painter.hasClipping()  # a clip there would be written into the file
    painter.end()
    image = QImage(40, 30, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    batch_paint.clip_to_device(painter)
    assert painter.hasClipping() and painter.clipBoundingRect().contains(image.rect().toRectF())
    painter.end()


class _Clock:
    def __init__(self):
        self.now = 100.0
        self.slept = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
        self.slept += seconds


def _paused_on_a_worker(clock) -> float:
    before = clock.slept
    worker = threading.Thread(target=progress.pause_point)
    worker.start()
    worker.join()
    return clock.slept - before


def test_background_work_waits_for_frames_being_drawn_briefly_and_never_on_the_ui_thread(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(progress, "time", clock)
    monkeypatch.setattr(progress, "_drawing_until", 0.0)
    assert _paused_on_a_worker(clock) == 0  # nothing drawn: no pause
    progress.drawing_frames()  # the view moved just now
    waited = _paused_on_a_worker(clock)
    assert 0 < waited <= progress.MOST_PAUSE_S + 0.0021
    assert waited == pytest.approx(min(progress.FRAMES_FOR_S, progress.MOST_PAUSE_S), abs=0.0021)
    clock.now += 1.0  # the view has rested
    assert _paused_on_a_worker(clock) == 0
    progress.drawing_frames()
    before = clock.slept
    progress.pause_point()  # on the UI thread itself: never
    assert clock.slept == before


def test_a_wheel_zoom_on_the_timeline_holds_background_work_back_a_moment(qtbot, sample_db, tmp_path, monkeypatch):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from conftest import open_main_window

    win = open_main_window(qtbot, sample_db, tmp_path)
    clock = _Clock()
    monkeypatch.setattr(progress, "_drawing_until", 0.0)
    assert _paused_on_a_worker(clock) == 0
    monkeypatch.setattr(progress, "time", clock)
    viewport = win.timeline.plot.viewport()
    centre = QPoint(viewport.width() // 2, viewport.height() // 2)
    before = win.session.selection.visible_range
    QApplication.sendEvent(viewport, QWheelEvent(
        QPointF(centre), QPointF(viewport.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))
    assert win.session.selection.visible_range != before  # the view moved
    assert _paused_on_a_worker(clock) > 0  # and a worker between two steps waits for its frames
