"""The relationship panel restyles only the nodes a window change alters
(sizes, highlight, visibility) and measures each name once: after a user's
zooms and a click on a node, it draws exactly the pixels a panel that set
every node afresh draws."""

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
    qtbot.waitUntil(lambda: not panel._jobs.busy, timeout=10_000)
    panel.wait_for_layout()
    QApplication.processEvents()
    return panel.view.viewport().grab().toImage()


def _afresh(panel) -> None:
    """Every node set from scratch, as before nodes were restyled by difference."""
    for i, node in panel.nodes.items():
        node.setVisible(bool(panel._shown[i]))
    panel._node_style[:] = np.nan
    panel._node_visible = panel._shown & panel._is_node
    panel.labels._width_table = np.zeros((4, 0))
    panel.restyle()


def test_a_restyled_graph_draws_what_a_fresh_one_draws(qtbot, tmp_path):
    from store.synth import write_synthetic

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
