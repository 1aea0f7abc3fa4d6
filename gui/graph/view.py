"""The relationship panel's view: wheel zoom, hand-drag pan, a click, and a
shift-drag from one node to another to ask for a relationship between them.

It reports to its panel (``clicked``, ``connectRequested``) and draws
nothing of its own besides the dashed line of a shift-drag.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsView


class GraphView(QGraphicsView):
    def __init__(self, panel, scene):
        super().__init__(scene)
        self.panel = panel
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._press = None
        # zoomed or panned by the user: the panel then stops fitting the view to new nodes
        self.moved_by_hand = False

    def wheelEvent(self, ev):
        factor = 1.0015 ** ev.angleDelta().y()
        self.scale(factor, factor)
        self.moved_by_hand = True

    # shift-drag from one node to another asks for a relationship between them
    def node_at(self, pos):
        return self.panel.node_at(self.mapToScene(pos.toPoint()))

    def mousePressEvent(self, ev):
        self._press = ev.position()
        node = self.node_at(ev.position()) if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier else None
        if node is not None and ev.button() == Qt.MouseButton.LeftButton:
            self._link_from = node
            self._link_line = self.scene().addLine(QLineF(node.scenePos(), node.scenePos()), QPen(self.panel.palette.highlight, 2, Qt.PenStyle.DashLine))
            ev.accept()
            return
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev):
        if getattr(self, "_link_from", None) is not None:
            self._link_line.setLine(QLineF(self._link_from.scenePos(), self.mapToScene(ev.position().toPoint())))
            return
        super().mouseMoveEvent(ev)

    def mouseReleaseEvent(self, ev):
        if getattr(self, "_link_from", None) is not None:
            source, self._link_from = self._link_from, None
            self.scene().removeItem(self._link_line)
            target = self.node_at(ev.position())
            if target is not None and target is not source:
                self.panel.connectRequested.emit(source.actor_id, target.actor_id)
            self._press = None
            return
        super().mouseReleaseEvent(ev)
        if self._press is not None and (ev.position() - self._press).manhattanLength() >= 4:
            self.moved_by_hand = True  # a hand-drag pan
        if self._press is not None and (ev.position() - self._press).manhattanLength() < 4:
            self.panel.clicked(self.mapToScene(ev.position().toPoint()), ev.modifiers(), self.transform().m11())
        self._press = None
