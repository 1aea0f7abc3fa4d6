"""All actor nodes of the graph as one scene item, drawn from numpy arrays.

A thousand nodes as a thousand Qt items cost a window change about 10 ms
of the UI thread on the bench VM when its host was slowed: a call into Qt
per node to resize and restyle it, and Qt's own bookkeeping per item at
each paint. Here a window change sets a few arrays, and a paint on screen
stamps every node from one atlas of rendered discs (``gui/disc_atlas.py``:
one disc per colour, highlight and size in pixels, made once) in one
``drawPixmapFragments`` call. A vector device (PDF, SVG, print) gets every
node as an ellipse, and so does a view zoomed in so far that discs would be
large stamps.

Nodes are drawn biggest first, so a small actor is never hidden under a
busy one, and highlighted ones last, on top. Clicks, hovers and drags find
their node by distance, the topmost where nodes overlap.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPaintEngine, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from .. import disc_atlas
from ..batch_paint import draw_fragments

PEN = 1.2  # outline (in the background's colour) of a node, scene units
LIT_PEN = 3.0  # outline of a highlighted node
DIMMED_ALPHA = 60  # fill of a dimmed node
MAX_STAMP_PX = 48  # disc radius in pixels; above this nodes are drawn as ellipses
QUANTUM = 4  # stamps come in quarter-pixel radii


class NodesItem(QGraphicsItem):
    def __init__(self, palette, on_moved, on_hover=None):
        super().__init__()
        self.palette = palette
        self._on_moved = on_moved  # (actor index, new scene position) while a node is dragged
        self._on_hover = on_hover  # actor index under the pointer, or None
        self.setZValue(10)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)  # shown only over a node (see ``contains``)
        self.names: list[str] = []
        self.present = np.zeros(0, bool)  # per actor index: has a node
        self.visible = np.zeros(0, bool)
        self.radius = np.zeros(0)
        self.lit = np.zeros(0, np.int8)  # -1 nothing selected, 0 dimmed, 1 highlighted
        self.positions = np.zeros((0, 2))  # shared with the edges and names
        self._colour_of = np.zeros(0, np.int64)  # index into _colours
        self._colours: list[QColor] = []
        self._order = np.zeros(0, np.int64)
        self._bounds = QRectF()
        self._atlas = disc_atlas.DiscAtlas(self._render_disc)
        self._grabbed: tuple[int, QPointF] | None = None
        self._hovered: int | None = None

    # ---------------------------------------------------------- state
    def set_actors(self, names: list[str], colours: list[QColor], present: np.ndarray, positions: np.ndarray) -> None:
        """The file's actors (names and colours by actor index) and which have a node."""
        self.names = names
        n = len(names)
        self.present = np.asarray(present, bool)
        self.visible = self.present.copy()
        self.radius = np.full(n, 8.0)
        self.lit = np.full(n, -1, np.int8)
        self.set_colours(colours)
        self.set_positions(positions)

    def set_colours(self, colours: list[QColor]) -> None:
        table: dict[int, int] = {}
        self._colours = []
        index = np.zeros(len(colours), np.int64)
        for i, colour in enumerate(colours):
            rgba = colour.rgba()
            if rgba not in table:
                table[rgba] = len(self._colours)
                self._colours.append(QColor(colour))
            index[i] = table[rgba]
        self._colour_of = index
        self.forget_stamps()

    def forget_stamps(self) -> None:
        """Render every disc afresh at the next paint (the palette changed)."""
        self._atlas.forget()
        self.update()

    def set_positions(self, positions: np.ndarray) -> None:
        self.positions = positions
        self._changed()

    def set_style(self, visible: np.ndarray, radius: np.ndarray, lit: np.ndarray) -> None:
        """What the window shows: which nodes, how big, which are lit or dimmed."""
        self.visible = np.asarray(visible, bool) & self.present
        self.radius = np.asarray(radius, np.float64)
        self.lit = np.asarray(lit, np.int8)
        self._changed()

    def _changed(self) -> None:
        self.prepareGeometryChange()
        shown = self._shown()
        # biggest first, so small nodes stay on top; highlighted ones last of all
        self._order = shown[np.lexsort((shown, -self.radius[shown], self.lit[shown] == 1))] if len(shown) else shown
        if len(shown) and len(self.positions) >= len(self.present):
            xy, r = self.positions[shown], self.radius[shown] + LIT_PEN
            lo, hi = (xy - r[:, None]).min(axis=0), (xy + r[:, None]).max(axis=0)
            self._bounds = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        else:
            self._bounds = QRectF()
        self.update()

    def _shown(self) -> np.ndarray:
        n = min(len(self.visible), len(self.positions))
        return np.flatnonzero(self.visible[:n])

    def reach(self, indices: np.ndarray) -> np.ndarray:
        """How far each node's disc reaches from its centre, outline included."""
        return self.radius[indices] + np.where(self.lit[indices] == 1, LIT_PEN, PEN) / 2

    # ---------------------------------------------------------- finding a node
    def node_at(self, x: float, y: float) -> int | None:
        """The topmost shown node whose disc (with its outline) holds the scene point."""
        order = self._order
        if not len(order):
            return None
        xy = self.positions[order]
        hit = np.flatnonzero(np.hypot(xy[:, 0] - x, xy[:, 1] - y) <= self.reach(order))
        return int(order[hit[-1]]) if len(hit) else None

    def boundingRect(self) -> QRectF:
        return self._bounds

    def contains(self, point: QPointF) -> bool:
        return self.node_at(point.x(), point.y()) is not None

    def collidesWithPath(self, path: QPainterPath, mode=Qt.ItemSelectionMode.IntersectsItemShape) -> bool:
        # the view asks with a small rectangle around the pointer (its cursor,
        # its tooltip): a disc that meets the path's box, found without
        # building the shape of every node
        box = path.boundingRect()
        order = self._order
        if not len(order):
            return False
        xy = self.positions[order]
        dx = np.maximum(np.maximum(box.left() - xy[:, 0], xy[:, 0] - box.right()), 0)
        dy = np.maximum(np.maximum(box.top() - xy[:, 1], xy[:, 1] - box.bottom()), 0)
        return bool(np.any(np.hypot(dx, dy) <= self.reach(order)))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for i, r in zip(self._order.tolist(), self.reach(self._order).tolist()):
            path.addEllipse(QPointF(*self.positions[i]), r, r)
        return path

    # ---------------------------------------------------------- painting
    def paint(self, painter: QPainter, option, widget=None) -> None:
        order = self._visible_order(painter)
        if not len(order):
            return
        t = painter.transform()
        scale = math.hypot(t.m11(), t.m12())
        engine = painter.paintEngine()
        upright = abs(t.m12()) < 1e-9 and abs(t.m21()) < 1e-9 and abs(t.m11() - t.m22()) < 1e-9 * max(abs(t.m11()), 1)
        stamped = (engine is not None and engine.type() == QPaintEngine.Type.Raster and upright
                   and float(self.radius[order].max()) * scale <= MAX_STAMP_PX)
        if stamped:
            self._stamp(painter, order, t, scale)
        else:
            self._draw(painter, order)

    def _visible_order(self, painter) -> np.ndarray:
        """The nodes in drawing order, less those wholly off the device."""
        order = self._order
        device = painter.device()
        if not len(order) or device is None:
            return order
        t = painter.transform()
        inverse, ok = t.inverted()
        if not ok:
            return order
        seen = inverse.mapRect(QRectF(0, 0, device.width(), device.height()))
        xy, r = self.positions[order], self.radius[order] + LIT_PEN
        inside = ((xy[:, 0] + r >= seen.left()) & (xy[:, 0] - r <= seen.right())
                  & (xy[:, 1] + r >= seen.top()) & (xy[:, 1] - r <= seen.bottom()))
        return order[inside]

    def _look(self, colour_index: int, lit: int) -> tuple[QPen, QBrush]:
        fill = QColor(self._colours[colour_index])
        if lit == 0:
            fill.setAlpha(DIMMED_ALPHA)
        pen = QPen(self.palette.highlight, LIT_PEN) if lit == 1 else QPen(self.palette.background, PEN)
        return pen, QBrush(fill)

    def _draw(self, painter: QPainter, order: np.ndarray) -> None:
        """Each node an ellipse, as a vector device keeps it."""
        painter.save()
        last = None
        for i in order.tolist():
            look = (int(self._colour_of[i]), int(self.lit[i]))
            if look != last:
                pen, brush = self._look(*look)
                painter.setPen(pen)
                painter.setBrush(brush)
                last = look
            r = float(self.radius[i])
            x, y = self.positions[i]
            painter.drawEllipse(QRectF(x - r, y - r, 2 * r, 2 * r))
        painter.restore()

    def _stamp(self, painter: QPainter, order: np.ndarray, t, scale: float) -> None:
        """Every node a piece of the atlas, in one call."""
        device = painter.device()
        ratio = (device.devicePixelRatioF() or 1.0) if device is not None else 1.0
        lit = self.lit[order].astype(np.int64)
        radius_q = np.maximum(np.round(self.radius[order] * scale * QUANTUM), 1).astype(np.int64)
        # the outline scales with the view, as an outline in scene units does
        pen_q = np.minimum(np.round(np.where(lit == 1, LIT_PEN, PEN) * scale * QUANTUM), 255).astype(np.int64)
        # one number per look: colour, highlight, radius and outline in quarter pixels (``_unpacked`` reads it back)
        keys = ((self._colour_of[order] * 3 + lit + 1) * 4096 + radius_q) * 256 + pen_q
        distinct, inverse = np.unique(keys, return_inverse=True)
        looks = distinct.tolist()
        table = self._atlas.spots(looks, [_unpacked(k)[4] for k in looks], ratio)
        if table is None:  # more looks than one atlas holds
            self._draw(painter, order)
            return
        spots = table[inverse.ravel()]
        xy = self.positions[order]
        cx = xy[:, 0] * t.m11() + t.dx()
        cy = xy[:, 1] * t.m22() + t.dy()
        painter.save()
        painter.resetTransform()
        draw_fragments(painter, self._atlas.pixmap, cx, cy, spots[:, 0], spots[:, 1], spots[:, 2], spots[:, 2])
        painter.restore()

    def _render_disc(self, painter: QPainter, key: int, centre: QPointF) -> None:
        colour_index, lit, r, pen_px, _side = _unpacked(key)
        pen, brush = self._look(colour_index, lit)
        pen.setWidthF(pen_px)
        painter.setPen(pen if pen_px > 0 else Qt.PenStyle.NoPen)
        painter.setBrush(brush)
        painter.drawEllipse(centre, r, r)

    # ---------------------------------------------------------- pointer
    def hoverMoveEvent(self, ev):
        self._hover(self.node_at(ev.pos().x(), ev.pos().y()))

    def hoverEnterEvent(self, ev):
        self._hover(self.node_at(ev.pos().x(), ev.pos().y()))

    def hoverLeaveEvent(self, ev):
        self._hover(None)

    def _hover(self, index: int | None) -> None:
        if index == self._hovered:
            return
        self._hovered = index
        self.setToolTip(self.names[index] if index is not None else "")
        if self._on_hover is not None:
            self._on_hover(index)

    def mousePressEvent(self, ev):
        index = self.node_at(ev.pos().x(), ev.pos().y()) if ev.button() == Qt.MouseButton.LeftButton else None
        if index is None:
            ev.ignore()  # not on a node: the view pans by hand
            return
        self._grabbed = (index, QPointF(*self.positions[index]) - ev.pos())
        ev.accept()

    def mouseMoveEvent(self, ev):
        if self._grabbed is None:
            return
        index, offset = self._grabbed
        to = ev.pos() + offset
        self.positions[index] = (to.x(), to.y())
        self._changed()
        self._on_moved(index, to)

    def mouseReleaseEvent(self, ev):
        self._grabbed = None


def _unpacked(key: int) -> tuple[int, int, float, float, int]:
    """A stamp key's colour index, highlight (-1, 0, 1), radius and outline
    in pixels, and the side of the square that holds its disc."""
    rest, pen_q = divmod(key, 256)
    look, radius_q = divmod(rest, 4096)
    colour_index, lit = divmod(look, 3)
    r, pen_px = radius_q / QUANTUM, pen_q / QUANTUM
    return colour_index, lit - 1, r, pen_px, 2 * math.ceil(r + pen_px / 2 + 1)


class Node:
    """One actor's node, read from the nodes item: what tests, fitting and
    the shift-drag ask of a node (shown, where, how big, whose)."""

    __slots__ = ("_item", "actor_index", "actor_id", "name")

    def __init__(self, item: NodesItem, actor_index: int, actor_id: int, name: str):
        self._item, self.actor_index, self.actor_id, self.name = item, actor_index, actor_id, name

    def isVisible(self) -> bool:  # noqa: N802 (as a Qt item says it)
        return bool(self._item.visible[self.actor_index])

    def pos(self) -> QPointF:
        return QPointF(*self._item.positions[self.actor_index])

    scenePos = pos  # the item sits at the scene's origin

    @property
    def radius(self) -> float:
        return float(self._item.radius[self.actor_index])

    def sceneBoundingRect(self) -> QRectF:  # noqa: N802
        r = float(self._item.reach(np.array([self.actor_index]))[0])
        x, y = self._item.positions[self.actor_index]
        return QRectF(x - r, y - r, 2 * r, 2 * r)
