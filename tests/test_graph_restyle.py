"""The relationship panel keeps what it rendered and measured between
window changes (each node's disc, stamped from an atlas; each name's width):
after a user's zooms and a click on a node, it draws exactly the pixels a
panel that rendered and measured everything afresh draws."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from conftest import open_main_window


def _wheel(vp, steps: int) -> None:
    pos = QPointF(vp.width() * 0.4, vp.height() / 2)
    for _ in range(abs(steps)):
        delta = QPoint(0, 120 if steps > 0 else -120)
        QApplication.sendEvent(vp, QWheelEvent(pos, vp.mapToGlobal(pos), QPoint(0, 0), delta, Qt.MouseButton.NoButton,
                                               Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False))


def _settled_grab(qtbot, panel):
    # at rest: no count running, no update held back, and no draft (a draft
    # is drawn without smoothing, so it differs from the same graph at rest)
    qtbot.waitUntil(lambda: not panel._jobs.busy and not panel._trailing.isActive() and not panel.edges.draft,
                    timeout=10_000)
    panel.wait_for_layout()
    QApplication.processEvents()
    return panel.view.viewport().grab().toImage()


def _afresh(panel) -> None:
    """Every disc rendered and every name measured from scratch."""
    panel.node_items.forget_stamps()
    panel.labels._width_table = np.zeros((4, 0))
    panel.restyle()


def test_a_restyled_graph_draws_what_a_fresh_one_draws(qtbot, tmp_path):
    from bench.synth import write_synthetic

    path = write_synthetic(tmp_path / "s.db", events=6_000, actors=120, seed=3)
    win = open_main_window(qtbot, path, tmp_path)
    panel, vp = win.graph, win.timeline.plot.viewport()
    panel.wait_for_layout()
    seen = []
    for steps in (3, 2, -1, 4, -2):  # zoom in and out about the pointer, as a user does
        updates = panel.updates
        _wheel(vp, steps)
        qtbot.waitUntil(lambda: panel.updates > updates, timeout=10_000)
        seen.append(len(panel.visible_nodes))
        before = _settled_grab(qtbot, panel)
        _afresh(panel)
        after = _settled_grab(qtbot, panel)
        assert before == after, f"after zooming {steps}: the graph differs from one styled afresh"
    assert len(set(seen)) > 1, "the zooms changed which actors the graph shows"
    # a click on a node selects its actor (the topmost where nodes overlap):
    # highlight and dimming, then zoom again
    busiest = max(panel.node_counts, key=panel.node_counts.get)
    at = panel.view.mapFromScene(panel.node_scene_pos(busiest))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    picked = win.session.selection.selected_actors
    assert len(picked) == 1 and set(picked) <= panel.visible_nodes
    states = panel.node_states()
    assert any(v is True for v in states.values()) and any(v is False for v in states.values())
    updates = panel.updates
    _wheel(vp, -3)
    qtbot.waitUntil(lambda: panel.updates > updates, timeout=10_000)
    before = _settled_grab(qtbot, panel)
    _afresh(panel)
    assert before == _settled_grab(qtbot, panel)


def test_a_pan_after_a_pause_starts_drafted_and_a_left_window_is_drafted(qtbot, tmp_path, monkeypatch):
    """The first zoom after the window has rested draws only the strongest
    links (drawing every link of a crowded window would share the timeline's
    first frame and hold it up), then every link once the range rests; and a
    network counted for a window already left is drawn as a draft, then in
    full once the range rests."""
    from bench.synth import write_synthetic

    from gui.graph import panel as panel_module
    from gui.graph.items import DRAFT_EDGES

    path = write_synthetic(tmp_path / "many.db", events=20_000, actors=400, seed=8)
    win = open_main_window(qtbot, path, tmp_path)
    qtbot.waitExposed(win)
    panel, vp, session = win.graph, win.timeline.plot.viewport(), win.session
    lo, hi = session.data.time_range
    qtbot.waitUntil(lambda: len(panel._edges) > DRAFT_EDGES and not panel.edges.draft
                    and not panel._jobs.busy and not panel._trailing.isActive(), timeout=10_000)
    panel.wait_for_layout()
    QApplication.processEvents()
    panel.view.viewport().repaint()
    assert panel.edges.drawn == len(panel.edges.segments()[0]) > DRAFT_EDGES  # at rest: every link
    _wheel(vp, 1)  # one step in, after a pause
    panel.view.viewport().repaint()  # the frame that step gives (old or new network: both crowded)
    assert panel.edges.draft and panel.edges.drawn == DRAFT_EDGES
    qtbot.waitUntil(lambda: not panel.edges.draft, timeout=5_000)  # at rest: every link
    panel.view.viewport().repaint()
    assert panel.edges.drawn == len(panel.edges.segments()[0]) > DRAFT_EDGES
    # every window counted on the worker; the user moves on before the first is shown
    monkeypatch.setattr(panel_module, "NETWORK_SYNC_EVENTS", -1)
    qtbot.wait(400)
    shown = []
    real = panel._show_network

    def late(*args):  # each count comes back after the range has rested
        panel.edges.set_draft(False)
        real(*args)
        shown.append(panel.edges.draft)

    monkeypatch.setattr(panel, "_show_network", late)
    session.selection.set_visible_range((lo, hi))
    session.selection.set_visible_range((lo, hi - (hi - lo) * 0.01))
    qtbot.waitUntil(lambda: len(shown) >= 2 and not panel._jobs.busy, timeout=10_000)
    assert shown[0] is True and shown[-1] is False  # the left window drafted, the current one in full
    qtbot.waitUntil(lambda: not panel.edges.draft, timeout=5_000)
