"""The relationship panel: the actor network as of the current time window.

Nodes are actors active in the window (sized by their events in it,
coloured by kind); edges are the stated relationships alive in the window
(coloured by type, arrowed when directed) and co-occurrence links (actors
sharing events, thicker for more). Positions come from a layout of the whole
history, so nothing jumps when the window moves. Like every view it reads
and writes only the shared selection model.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QCheckBox, QGraphicsScene, QGraphicsView, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from store import network
from store.dates import datetime_from_seconds

from ..legend import LegendStrip
from ..selection import EdgeRef
from ..theme import KIND_COLOURS, Palette
from .items import EdgeSpec, EdgesItem, NodeItem
from .layout import LayoutEngine

LABEL_LIMIT = 60  # nodes; above this only the busiest are labelled
CO_COLOUR = "#9AA0A6"


def describe_window(window) -> str:
    if window is None:
        return "all time"
    lo, hi = (datetime_from_seconds(int(t)) for t in window)
    fmt = "%d %b %Y %H:%M" if (hi - lo).days < 3 else "%d %b %Y"
    return f"{lo.strftime(fmt).lstrip('0')} – {hi.strftime(fmt).lstrip('0')}"


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

    def wheelEvent(self, ev):
        factor = 1.0015 ** ev.angleDelta().y()
        self.scale(factor, factor)

    def mousePressEvent(self, ev):
        self._press = ev.position()
        super().mousePressEvent(ev)

    def mouseReleaseEvent(self, ev):
        super().mouseReleaseEvent(ev)
        if self._press is not None and (ev.position() - self._press).manhattanLength() < 4:
            self.panel.clicked(self.mapToScene(ev.position().toPoint()), ev.modifiers(), self.transform().m11())
        self._press = None



class GraphPanel(QWidget):
    def __init__(self, session, palette: Palette | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.palette = palette or Palette()
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.show_relationships = QCheckBox("Stated relationships")
        self.show_cooccurrence = QCheckBox("Shared events")
        for box in (self.show_relationships, self.show_cooccurrence):
            box.setChecked(True)
            box.toggled.connect(self.refresh)
        self.scene = QGraphicsScene(self)
        self.scene.setBackgroundBrush(self.palette.background)
        self.view = GraphView(self, self.scene)
        self.edges = EdgesItem(self.palette)
        self.scene.addItem(self.edges)
        self.nodes: dict[int, NodeItem] = {}  # by actor index
        self.layout_engine = LayoutEngine(self)
        self.layout_engine.positionsReady.connect(self._apply_positions)

        toggles = QHBoxLayout()
        toggles.addWidget(self.show_relationships)
        toggles.addWidget(self.show_cooccurrence)
        toggles.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addLayout(toggles)
        layout.addWidget(self.view, 1)
        self.legend = LegendStrip(self.palette)
        layout.addWidget(self.legend)

        sel = session.selection
        sel.visibleRangeChanged.connect(self.refresh)
        sel.brushChanged.connect(self.refresh)
        sel.filterChanged.connect(self.refresh)
        sel.selectionChanged.connect(self.restyle)
        session.dataChanged.connect(self.rebuild)
        self._edges_all: list[EdgeSpec] = []
        self.visible_nodes: set[int] = set()  # actor ids shown now
        self.node_counts: dict[int, int] = {}
        self.rebuild()

    # ---------------------------------------------------------- building
    def rebuild(self) -> None:
        """New data: new nodes at their layout positions."""
        for node in self.nodes.values():
            self.scene.removeItem(node)
        self.nodes.clear()
        data = self.session.data
        positions = self.layout_engine.layout(self.session)
        for i in range(data.n_actors):
            actor_id = int(data.actor_ids[i])
            if actor_id == -1:
                continue
            colour = self.palette.kind_colour(data.actor_kinds[i], data.actor_colours[i])
            node = NodeItem(i, actor_id, data.actor_names[i], colour, self.palette, self._node_moved)
            node.setPos(QPointF(*positions[i]))
            self.scene.addItem(node)
            self.nodes[i] = node
        self.refresh()
        self.fit()

    def _apply_positions(self, positions) -> None:
        for i, node in self.nodes.items():
            node.setPos(QPointF(*positions[i]))
        self.refresh()
        self.fit()

    def fit(self) -> None:
        shown = [n for n in self.nodes.values() if n.isVisible()] or list(self.nodes.values())
        if not shown:
            return
        rect = QRectF()
        for n in shown:
            rect = rect.united(n.sceneBoundingRect()).united(n.label.sceneBoundingRect())
        self.view.fitInView(rect.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self.fit()

    # ---------------------------------------------------------- the window's network
    def refresh(self, *_origin) -> None:
        """Nodes, sizes and edges for the current window and filters."""
        session, data = self.session, self.session.data
        window = session.selection.time_window
        mask = network.window_mask(data, window)
        filt = session.filter_mask()
        if filt is not None:
            mask &= filt
        counts = network.actor_counts(data, mask)
        index = data.actor_index()
        allowed = session.selection.actor_filter
        edges: list[EdgeSpec] = []
        shown: set[int] = {i for i in range(data.n_actors) if counts[i] > 0}
        if self.show_cooccurrence.isChecked():
            co = network.cooccurrence(data, mask)
            for a, b, c in zip(co.a.tolist(), co.b.tolist(), co.count.tolist()):
                if a in self.nodes and b in self.nodes:
                    ref = EdgeRef(int(data.actor_ids[a]), int(data.actor_ids[b]), "co")
                    edges.append(EdgeSpec(a, b, ref, QColor(CO_COLOUR), 0.8 + 1.6 * math.log1p(c), False, None))
        if self.show_relationships.isChecked():
            for rel in session.relationships:
                if not network.relationship_alive(rel, window):
                    continue
                a, b = index.get(rel.from_actor_id), index.get(rel.to_actor_id)
                if a is None or b is None:
                    continue
                if allowed is not None and not {rel.from_actor_id, rel.to_actor_id} <= allowed:
                    continue
                if filt is not None and not (counts[a] and counts[b]):
                    continue
                ref = EdgeRef(rel.from_actor_id, rel.to_actor_id, "rel", rel.id)
                dashed = rel.certainty in ("claimed", "contested")
                edges.append(EdgeSpec(a, b, ref, self.palette.relation_colour(rel.type), 1.6, rel.directed, rel.type, dashed))
                shown.update((a, b))
        if allowed is not None:
            shown = {i for i in shown if int(data.actor_ids[i]) in allowed}
            edges = [e for e in edges if e.a in shown and e.b in shown]
        self.visible_nodes = {int(data.actor_ids[i]) for i in shown if i in self.nodes}
        self.node_counts = {int(data.actor_ids[i]): int(counts[i]) for i in shown if i in self.nodes}
        self._edges_all = edges
        self.legend.set_entries(self._legend_entries())
        self.header.setText(self._header_text(window, len(self.visible_nodes), len(edges)))
        for i, node in self.nodes.items():
            node.setVisible(i in shown)
        self.restyle()

    def _header_text(self, window, n_nodes, n_edges) -> str:
        which = "brushed window" if self.session.selection.brush else "visible range"
        return f"Network for {describe_window(window)} ({which}): {n_nodes} actors, {n_edges} links"

    def restyle(self, *_origin) -> None:
        """Sizes and highlights; called alone when only the selection changed."""
        lit_actors = self.session.highlighted_actor_ids()
        sel_edge = self.session.selection.selected_edge
        shown = [n for n in self.nodes.values() if n.isVisible()]
        by_count = sorted(shown, key=lambda n: -self.node_counts.get(n.actor_id, 0))
        labelled = {n.actor_id for n in by_count[:LABEL_LIMIT]}
        for node in shown:
            count = self.node_counts.get(node.actor_id, 0)
            radius = 5.0 + 3.2 * math.sqrt(count)
            lit = None if not (lit_actors or sel_edge) else node.actor_id in lit_actors
            node.set_style(min(radius, 34.0), lit, node.actor_id in labelled)
        positions = {i: n.pos() for i, n in self.nodes.items() if n.isVisible()}
        radii = {i: n.radius for i, n in self.nodes.items() if n.isVisible()}
        for e in self._edges_all:
            if sel_edge is not None:
                e.lit = e.ref == sel_edge
            elif self.session.selection.selected_actors:
                # an actor's links all light up, so its neighbours are easy to follow
                e.lit = e.ref.a in lit_actors or e.ref.b in lit_actors
            elif lit_actors:
                e.lit = e.ref.a in lit_actors and e.ref.b in lit_actors
            else:
                e.lit = None
        self.edges.show_labels = len(self._edges_all) <= 80
        self.edges.set_edges(self._edges_all, positions, radii)
        self.view.viewport().update()

    def _node_moved(self, node: NodeItem) -> None:
        self.edges.move_node(node.actor_index, node.pos())

    # ---------------------------------------------------------- clicks
    def clicked(self, scene_pos: QPointF, modifiers, scale: float) -> None:
        sel = self.session.selection
        item = self.scene.itemAt(scene_pos, self.view.transform())
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if isinstance(item, NodeItem):
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                sel.select_actors(sel.selected_actors ^ {item.actor_id}, origin=self)
            else:
                sel.select_actors([item.actor_id], origin=self)
            return
        edge = self.edges.edge_at(scene_pos, 6.0 / max(scale, 1e-6))
        if edge is not None:
            sel.select_edge(edge.ref, origin=self)
        else:
            sel.clear_selection(origin=self)

    def node_scene_pos(self, actor_id: int) -> QPointF | None:
        for node in self.nodes.values():
            if node.actor_id == actor_id:
                return node.scenePos()
        return None

    def _legend_entries(self) -> list:
        kinds = set(self.session.data.actor_kinds)
        entries = [("dot", self.palette.kind_colour(k), k) for k in KIND_COLOURS if k in kinds]
        if self.show_cooccurrence.isChecked():
            entries.append(("line", QColor(CO_COLOUR), "shared events"))
        rel_types = sorted({e.label for e in self._edges_all if e.label})
        entries += [("arrow", self.palette.relation_colour(t), t) for t in rel_types[:12]]
        if len(rel_types) > 12:
            entries.append(("line", QColor(CO_COLOUR), f"+{len(rel_types) - 12} more types"))
        if any(e.dashed for e in self._edges_all):
            entries.append(("dashed", QColor(CO_COLOUR), "claimed or contested"))
        return entries

    # ---------------------------------------------------------- for tests and export
    def edge_specs(self) -> list[EdgeSpec]:
        return list(self._edges_all)

    def node_states(self) -> dict[str, bool | None]:
        """Actor name -> True (highlighted) / False (dimmed) / None, for shown nodes."""
        lit = self.session.highlighted_actor_ids()
        sel_edge = self.session.selection.selected_edge
        anything = bool(lit) or sel_edge is not None
        return {n.name: (n.actor_id in lit if anything else None) for n in self.nodes.values() if n.isVisible()}

