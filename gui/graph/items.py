"""Graph scene items: one item per actor node, one item for all the edges.

Nodes are few enough (hundreds to a thousand) to be real, draggable items;
edges can be tens of thousands, so a single item paints them all in one
pass, grouped by pen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsSimpleTextItem

from ..selection import EdgeRef


class NodeItem(QGraphicsEllipseItem):
    def __init__(self, actor_index: int, actor_id: int, name: str, colour: QColor, palette, on_moved):
        super().__init__()
        self.actor_index = actor_index
        self.actor_id = actor_id
        self.name = name
        self.colour = colour
        self.palette = palette
        self._on_moved = on_moved
        self.radius = 8.0
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(10)
        self.label = QGraphicsSimpleTextItem(name, self)  # simple text: never parsed as HTML
        font = QFont()
        font.setPointSizeF(8.5)
        self.label.setFont(font)
        self.label.setBrush(palette.foreground)
        self.set_style(8.0, lit=None)

    def set_style(self, radius: float, lit: bool | None, show_label: bool = True) -> None:
        """lit: True highlighted, False dimmed, None nothing selected."""
        self.radius = radius
        self.setRect(QRectF(-radius, -radius, 2 * radius, 2 * radius))
        fill = QColor(self.colour)
        if lit is False:
            fill.setAlpha(60)
        self.setBrush(QBrush(fill))
        pen = QPen(self.palette.highlight, 3.0) if lit else QPen(self.palette.background, 1.2)
        self.setPen(pen)
        self.label.setVisible(show_label or bool(lit))
        colour = QColor(self.palette.foreground)
        if lit is False:
            colour.setAlpha(90)
        self.label.setBrush(colour)
        self.label.setPos(radius + 3, -self.label.boundingRect().height() / 2)
        self.setZValue(20 if lit else 10)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._on_moved(self)
        return super().itemChange(change, value)


@dataclass
class EdgeSpec:
    a: int  # actor index
    b: int
    ref: EdgeRef
    colour: QColor
    width: float
    directed: bool
    label: str | None
    dashed: bool = False
    lit: bool | None = None


class EdgesItem(QGraphicsItem):
    """All edges, painted in one pass from node positions."""

    def __init__(self, palette):
        super().__init__()
        self.palette = palette
        self.edges: list[EdgeSpec] = []
        self.positions: dict[int, QPointF] = {}
        self.radii: dict[int, float] = {}
        self.show_labels = True
        self.setZValue(0)
        self._bounds = QRectF()
        self.font = QFont()
        self.font.setPointSizeF(7.5)

    def set_edges(self, edges: list[EdgeSpec], positions: dict[int, QPointF], radii: dict[int, float]) -> None:
        self.prepareGeometryChange()
        self.edges, self.positions, self.radii = edges, positions, radii
        self._recompute_bounds()
        self.update()

    def move_node(self, index: int, pos: QPointF) -> None:
        self.prepareGeometryChange()
        self.positions[index] = pos
        self._recompute_bounds()
        self.update()

    def _recompute_bounds(self) -> None:
        if not self.positions:
            self._bounds = QRectF()
            return
        xs = [p.x() for p in self.positions.values()]
        ys = [p.y() for p in self.positions.values()]
        self._bounds = QRectF(min(xs) - 60, min(ys) - 60, max(xs) - min(xs) + 120, max(ys) - min(ys) + 120)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _segments(self):
        """Each edge's line, pairs with several edges fanned out side by side."""
        groups: dict[tuple[int, int], list[EdgeSpec]] = {}
        for e in self.edges:
            if e.a in self.positions and e.b in self.positions:
                groups.setdefault((min(e.a, e.b), max(e.a, e.b)), []).append(e)
        for (lo, hi), specs in groups.items():
            p, q = self.positions[lo], self.positions[hi]
            dx, dy = q.x() - p.x(), q.y() - p.y()
            length = math.hypot(dx, dy) or 1.0
            nx_, ny_ = -dy / length, dx / length
            for k, e in enumerate(specs):
                off = (k - (len(specs) - 1) / 2) * 7.0
                a, b = (p, q) if e.a == lo else (q, p)
                sign = 1 if e.a == lo else -1
                shift = QPointF(nx_ * off * sign, ny_ * off * sign)
                yield e, QLineF(a + shift, b + shift)

    def paint(self, painter, *_):
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        labels = []
        for e, line in self._segments():
            colour = QColor(self.palette.highlight if e.lit else e.colour)
            if e.lit is False:
                colour.setAlpha(35)
            pen = QPen(colour, e.width + (1.5 if e.lit else 0))
            if e.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(line)
            if e.directed:
                self._arrow(painter, line, colour, self.radii.get(e.b, 8.0))
            if e.label and self.show_labels and e.lit is not False:
                labels.append((line.center(), e.label, colour))
        painter.setFont(self.font)
        for centre, text, colour in labels:
            painter.setPen(colour.darker(120) if not self.palette.dark else colour.lighter(130))
            painter.drawText(centre + QPointF(3, -3), text)

    @staticmethod
    def _arrow(painter, line: QLineF, colour: QColor, target_radius: float) -> None:
        length = line.length()
        if length < target_radius + 8:
            return
        ux, uy = line.dx() / length, line.dy() / length
        tip = line.p2() - QPointF(ux, uy) * (target_radius + 2)
        back = tip - QPointF(ux, uy) * 9
        side = QPointF(-uy, ux) * 4.5
        path = QPainterPath()
        path.addPolygon(QPolygonF([tip, back + side, back - side, tip]))
        painter.fillPath(path, colour)

    def edge_at(self, pos: QPointF, tolerance: float) -> EdgeSpec | None:
        best, best_d = None, tolerance
        for e, line in self._segments():
            d = _distance(pos, line)
            if d <= best_d:
                best, best_d = e, d
        return best


def _distance(p: QPointF, line: QLineF) -> float:
    ax, ay, bx, by = line.x1(), line.y1(), line.x2(), line.y2()
    dx, dy = bx - ax, by - ay
    denom = dx * dx + dy * dy
    t = 0.0 if denom == 0 else max(0.0, min(1.0, ((p.x() - ax) * dx + (p.y() - ay) * dy) / denom))
    return math.hypot(p.x() - (ax + t * dx), p.y() - (ay + t * dy))
