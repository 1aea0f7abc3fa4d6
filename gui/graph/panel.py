"""The relationship panel: the actor network as of the current time window.

Nodes are actors active in the window (sized by their events in it,
coloured by kind); edges are the stated relationships alive in the window
(coloured by type, arrowed when directed) and co-occurrence links (actors
sharing events, thicker for more). Positions come from a layout of the whole
history, so nothing jumps when the window moves. Like every view it reads
and writes only the shared selection model.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTransform
from PySide6.QtWidgets import (
    QCheckBox, QGraphicsScene, QHBoxLayout, QLabel, QMenu, QSpinBox, QToolButton, QVBoxLayout, QWidget,
)

from store.figure_data import search_phrase
from store.network import CoOccurrence
from store.view_model.date_ticks import describe_window
from store.view_model.window_network import network_of_window, overlaid_network, work_at_most

from ..legend import LegendStrip
from ..selection import EdgeRef
from ..theme import KIND_COLOURS, Palette
from .edges import CO_COLOUR, LABELLED_EDGES, RelationshipArrays, WindowEdges
from .items import EdgeArrays, EdgeSpec, EdgesItem
from .labels import LabelsItem
from .layout import LayoutEngine
from .nodes import Node, NodesItem
from .view import GraphView
from .window_jobs import NETWORK_SYNC_EVENTS, NetworkJobs

SMALL_GRAPH = 60  # shown nodes; up to this the camera fits them again whenever they change
FIT_MARGIN_PX = 14  # the fitted view's margin on every side
NAME_GAP_PX = 5  # between a node and its name (labels.py writes a name 3 px off the node)
NAME_ROOM = 0.3  # of the panel's width: the most a fitted view leaves for one name
MAX_FIT_SCALE = 2.5  # a lone node or two are not blown up to fill the panel
CHEAP_S = 0.008  # a window change cheaper than this is followed at once, every time
THROTTLE_FACTOR = 3.0  # else at most once per this many times its cost...
THROTTLE_MIN_S = 0.1  # ...and at least this far apart
MOVING_S = 0.3  # range changes closer than this are one drag: the graph drafts until it rests
DRAG_INTERVAL_S = 0.4  # during a drag an expensive graph follows at most this often
# A file with 70,000 actors (one event's crowd) is no network a person can
# read, and laying it out held the window for most of a minute. Past this
# many, only the busiest actors are nodes, and the header says so; the
# timeline still has every actor.
MAX_NODE_ITEMS = 3000


class GraphPanel(QWidget):
    connectRequested = Signal(int, int)  # shift-drag from one actor's node to another's
    def __init__(self, session, palette: Palette | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.palette = palette or Palette()
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        # two lines always: a header that wraps differently per window would resize the graph under the user
        self.header.setFixedHeight(2 * self.header.fontMetrics().lineSpacing() + 2)
        self.show_relationships = QCheckBox("Stated relationships")
        self.show_cooccurrence = QCheckBox("Shared events")
        for box in (self.show_relationships, self.show_cooccurrence):
            box.setChecked(True)
            box.toggled.connect(self.refresh)
        # filters: which relationship types, how many shared events make a link, unlinked actors
        self.hidden_types: set[str] = set()
        self.type_button = QToolButton()
        self.type_button.setText("Link types")
        self.type_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.type_menu = QMenu(self.type_button)
        self.type_button.setMenu(self.type_menu)
        self.min_weight = QSpinBox()
        self.min_weight.setRange(1, 100000)
        self.min_weight.setPrefix("shared ≥ ")
        self.min_weight.setToolTip("Show a shared-events link only when the two actors share at least this many events in the window")
        self.min_weight.valueChanged.connect(self.refresh)
        self.hide_unlinked = QCheckBox("Hide unlinked")
        self.hide_unlinked.setToolTip("Hide actors with no link in the window")
        self.hide_unlinked.toggled.connect(self.refresh)
        self.layout_message = ""  # why the layout failed, if it did
        self.scene = QGraphicsScene(self)
        self.scene.setBackgroundBrush(self.palette.background)
        # one item paints all edges and the set of nodes changes often: no BSP index to keep up
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.view = GraphView(self, self.scene)
        self.edges = EdgesItem(self.palette)
        self.scene.addItem(self.edges)
        self.labels = LabelsItem(self.palette)
        self.scene.addItem(self.labels)
        self.node_items = NodesItem(self.palette, self._node_moved, self.labels.set_hovered)
        self.scene.addItem(self.node_items)
        self.nodes: dict[int, Node] = {}  # by actor index
        self.layout_engine = LayoutEngine(self)
        self._jobs = NetworkJobs(self)
        self._jobs.ready.connect(self._apply)
        self._jobs.problem.connect(self.header.setText)
        self.updates = 0  # networks applied so far (a window change may finish later, off the UI thread)
        self._cost = 0.0  # seconds the last window change took here (counting, restyling, painting)
        self._last_refresh = 0.0
        self._trailing = QTimer(self, singleShot=True)
        self._trailing.timeout.connect(self.refresh)
        self._last_range_change = 0.0
        self._work_s = 0.0  # seconds spent in refresh and _apply so far
        self._busy_at_change = 0.0
        self._rested = QTimer(self, singleShot=True, interval=int(MOVING_S * 1000))
        self._rested.timeout.connect(lambda: self.edges.set_draft(False))
        # a child timer, not QTimer.singleShot(0, self.fit): PySide keeps a pending
        # single shot's callable (and this panel, and its file) after the panel is deleted
        self._fit_later = QTimer(self, singleShot=True, interval=0)
        self._fit_later.timeout.connect(self.fit)
        self.layout_engine.positionsReady.connect(self._apply_positions)
        self.layout_engine.failed.connect(self._layout_failed)

        toggles = QHBoxLayout()
        toggles.addWidget(self.show_relationships)
        toggles.addWidget(self.show_cooccurrence)
        toggles.addWidget(self.type_button)
        toggles.addWidget(self.min_weight)
        toggles.addWidget(self.hide_unlinked)
        toggles.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addLayout(toggles)
        layout.addWidget(self.view, 1)
        self.legend = LegendStrip(self.palette)
        layout.addWidget(self.legend)

        self._legend_types: int | None = 12  # on screen; a picture names every type
        self._controls = (self.show_relationships, self.show_cooccurrence, self.type_button,
                          self.min_weight, self.hide_unlinked)

        sel = session.selection
        sel.visibleRangeChanged.connect(self._range_changed)
        sel.brushChanged.connect(self.refresh)
        sel.filterChanged.connect(self.refresh)
        sel.selectionChanged.connect(self.restyle)
        session.dataChanged.connect(self.rebuild)
        session.overlayChanged.connect(self.refresh)  # an edit not yet folded in: counted with it
        self._edges = EdgeArrays.empty()
        self._window = WindowEdges.empty()
        self._specs: list[EdgeSpec] | None = None
        self._shown = np.zeros(0, bool)  # per actor index
        self._counts = np.zeros(0, np.int64)
        self.visible_nodes: set[int] = set()  # actor ids shown now
        self.node_counts: dict[int, int] = {}
        self._actor_signature = None  # the actors the nodes were made for
        self.rebuild()

    # ---------------------------------------------------------- building
    def rebuild(self) -> None:
        """New data: new nodes at their layout positions; after an edit that
        left the actors as they were, the same nodes where they stand."""
        data = self.session.data
        signature = (data.actor_ids.tobytes(), tuple(data.actor_names), tuple(data.actor_kinds), tuple(data.actor_colours))
        if signature == self._actor_signature:
            self._rels = RelationshipArrays(self.session.relationships, data, self.palette)
            self._fill_type_menu()  # an edit may have added or removed a relationship type
            self.refresh()  # counts, sizes and edges of the new data; no new layout, nothing moves
            return
        self._actor_signature = signature
        self._rels = RelationshipArrays(self.session.relationships, data, self.palette)
        indices = self._node_indices(data)
        only = None if len(indices) >= data.n_actors else np.array(indices, dtype=np.int64)
        positions = self.layout_engine.layout(self.session, only)
        self._positions = np.array(positions, dtype=np.float64)  # node positions by actor index, for the edges
        self._is_node = np.zeros(data.n_actors, bool)
        self._is_node[indices] = True
        self._is_node &= data.actor_ids != -1
        self.node_items.set_actors(data.actor_names, self._kind_colours(), self._is_node, self._positions)
        self.nodes = {i: Node(self.node_items, i, int(data.actor_ids[i]), data.actor_names[i])
                      for i in np.flatnonzero(self._is_node).tolist()}
        # nothing shown until the first window is counted (maybe on a worker thread)
        self._shown, self._counts = np.zeros(data.n_actors, bool), np.zeros(data.n_actors, np.int64)
        self._edges, self._window = EdgeArrays.empty(), WindowEdges.empty()
        self._fill_type_menu()
        self.refresh()
        self.fit()

    def _fill_type_menu(self) -> None:
        self.type_menu.clear()
        types = self._rels.type_names
        self.hidden_types &= set(types)
        self.type_button.setEnabled(bool(types))
        for name in types:
            action = self.type_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name not in self.hidden_types)
            action.toggled.connect(lambda on, t=name: self.set_type_shown(t, on))

    def set_type_shown(self, rel_type: str, shown: bool) -> None:
        (self.hidden_types.discard if shown else self.hidden_types.add)(rel_type)
        self.refresh()

    def _layout_failed(self, message: str) -> None:
        self.layout_message = message
        self.header.setText(message)

    def for_print(self) -> None:
        """A picture of the graph, not of the panel: its check boxes, filters
        and the view's frame stay on screen only."""
        for widget in self._controls:
            widget.hide()
        self.view.setFrameShape(self.view.Shape.NoFrame)
        self._legend_types = None
        self.refresh()

    def wait_for_layout(self) -> None:
        """Block until the positions and the window's network are in (an export)."""
        self.layout_engine.wait_until_laid_out()
        self._jobs.wait()

    @staticmethod
    def _node_indices(data) -> list[int]:
        """The actors that get a node: all, or the MAX_NODE_ITEMS busiest."""
        if data.n_actors <= MAX_NODE_ITEMS:
            return list(range(data.n_actors))
        from store import timeline_summary

        counts = timeline_summary.actor_events(data)
        busiest = np.argsort(-counts, kind="stable")[:MAX_NODE_ITEMS]
        return sorted(int(i) for i in busiest)

    def apply_palette(self) -> None:
        """The shared palette switched between light and dark: recolour the
        nodes where they stand (colours are lighter on dark), edges, legend."""
        self.scene.setBackgroundBrush(self.palette.background)
        self.node_items.set_colours(self._kind_colours())
        self.legend.set_entries(self._legend_entries())
        self.restyle()

    def _kind_colours(self) -> list[QColor]:
        """Each actor's fill by kind (or its own colour); only actors with a node
        are looked up, so a file with 70,000 actors costs 3,000 lookups."""
        data, none = self.session.data, QColor()
        colours = [none] * data.n_actors
        for i in np.flatnonzero(self._is_node).tolist():
            colours[i] = self.palette.kind_colour(data.actor_kinds[i], data.actor_colours[i])
        return colours

    def _apply_positions(self, positions) -> None:
        self._positions = np.array(positions, dtype=np.float64)  # node positions by actor index, for the edges
        self.node_items.set_positions(self._positions)
        self.refresh()
        self.fit()

    def fit(self) -> None:
        """The camera on the shown nodes: as large as the panel allows with a
        margin, leaving room for their names (written in pixels beside the
        nodes, so the room is worked out in pixels, at the scale chosen)."""
        items = self.node_items
        shown = np.flatnonzero(items.visible)
        if not len(shown):
            shown = np.flatnonzero(items.present)
        if not len(shown) or len(self._positions) < len(items.present):
            return
        xy = self._positions[shown]
        r = items.radius[shown]
        name_w, name_h = np.zeros(len(shown)), np.zeros(len(shown))
        at = {i: k for k, i in enumerate(shown.tolist())}
        for i, w, h in zip(*self.labels.name_sizes_px()):
            k = at.get(int(i))
            if k is not None:
                name_w[k], name_h[k] = w + NAME_GAP_PX, h

        def box(scale):  # the pixel box of nodes and names at this scale
            x0 = xy[:, 0] * scale
            y0 = xy[:, 1] * scale
            half_h = np.maximum(r * scale, name_h / 2)
            return (float((x0 - r * scale).min()), float((y0 - half_h).min()),
                    float((x0 + r * scale + name_w).max()), float((y0 + half_h).max()))

        port = self.view.viewport().rect()
        # a very long name is not given its whole width: the nodes would shrink for
        # it; written left of its node, or cut at the edge, it leaves them their room
        name_w = np.minimum(name_w, NAME_ROOM * port.width())
        room_w, room_h = max(port.width() - 2 * FIT_MARGIN_PX, 20), max(port.height() - 2 * FIT_MARGIN_PX, 20)
        lo, hi = 1e-4, MAX_FIT_SCALE
        if not self._fits(box(lo), room_w, room_h):
            hi = lo
        elif self._fits(box(hi), room_w, room_h):
            lo = hi
        for _ in range(40):  # the box grows with the scale: halve to the largest that fits
            if hi / lo < 1.001:
                break
            mid = (lo * hi) ** 0.5
            lo, hi = (mid, hi) if self._fits(box(mid), room_w, room_h) else (lo, mid)
        x0, y0, x1, y1 = box(lo)
        centre = QPointF((x0 + x1) / 2 / lo, (y0 + y1) / 2 / lo)
        half_w, half_h = port.width() / 2 / lo, port.height() / 2 / lo
        seen = QRectF(centre.x() - half_w, centre.y() - half_h, 2 * half_w, 2 * half_h)
        # the view scrolls only within its scene rect: one that holds the fitted
        # view (and a panel's width of room around it to pan), or centring stops at its edge
        self.view.setSceneRect(self.scene.itemsBoundingRect().united(seen.adjusted(-2 * half_w, -2 * half_h, 2 * half_w, 2 * half_h)))
        self.view.setTransform(QTransform.fromScale(lo, lo))
        self.view.centerOn(centre)
        self.view.moved_by_hand = False

    @staticmethod
    def _fits(box, room_w, room_h) -> bool:
        return box[2] - box[0] <= room_w and box[3] - box[1] <= room_h

    def _all_in_view(self) -> bool:
        seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        items = self.node_items
        shown = np.flatnonzero(items.visible)
        xy = self._positions[shown]
        r = items.reach(shown)
        return bool(np.all((xy[:, 0] - r >= seen.left()) & (xy[:, 0] + r <= seen.right())
                           & (xy[:, 1] - r >= seen.top()) & (xy[:, 1] + r <= seen.bottom())))

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._fit_later.start()  # after the view inside has its new size

    # ---------------------------------------------------------- the window's network
    def _range_changed(self, *_origin) -> None:
        """Follow the visible range: at once while that is cheap; when the network
        is expensive to redo, at most every few times its cost (and once more when
        the range stops moving), so panning the timeline is never held up. While
        the range moves only the strongest edges are drawn (``DRAFT_EDGES``); all
        of them once it rests."""
        now = time.perf_counter()
        # the panel's own work since the last change (counting, painting) is
        # no pause: a slow paint must not end a drag, or the next change is
        # taken for a new one and not held back to the drag's pace
        busy = self.edges.paint_total_s + self._work_s - self._busy_at_change
        dragging = now - self._last_range_change - busy < MOVING_S
        # The first change after a pause is drafted too: it is where a pan
        # starts, and drawing every link of the new window (tens of thousands
        # in a big file) shares the paint of the timeline's first frame. The
        # links shown stay as they are until the new window's network is in:
        # drawing the old ones again as a draft would cost a paint and show
        # nothing new.
        self.edges.set_draft(True, repaint=False)
        self._rested.start()
        self._last_range_change = now
        self._busy_at_change = self.edges.paint_total_s + self._work_s
        interval = max(THROTTLE_MIN_S, THROTTLE_FACTOR * self._cost) if self._cost > CHEAP_S else 0.0
        if dragging and interval:
            interval = max(interval, DRAG_INTERVAL_S)  # a drag: a few updates a second, all of it when it rests
        wait = self._last_refresh + interval - now
        if wait <= 0:
            self._trailing.stop()
            self.refresh()
        elif not self._trailing.isActive():
            self._trailing.start(int(wait * 1000) + 1)

    def refresh(self, *_origin) -> None:
        """Nodes, sizes and edges for the current window and filters. A window
        with many events is counted on a worker thread (``window_jobs``)."""
        session, data = self.session, self.session.data
        window = session.selection.time_window
        self._last_refresh = started = time.perf_counter()
        work_before = self._work_s
        filt = session.filter_mask()
        request = (window, filt, id(data))
        with_co = self.show_cooccurrence.isChecked()
        overlay, extra_filt = session.overlay, None
        if overlay is not None:  # edits not yet folded in: a few events more or less
            request += (id(overlay),)
            extra_filt = session.overlay_masks()[0]
        if work_at_most(data, window, filt) <= NETWORK_SYNC_EVENTS and not self._jobs.busy:
            if overlay is not None:
                self._apply(request, overlaid_network(overlay, window, filt, extra_filt, with_co, build=False))
            else:
                self._apply(request, network_of_window(data, window, filt, with_co, build=False))
                self._jobs.make_sums(data)
        else:
            self._jobs.count(request, data, filt, with_co, overlay, extra_filt)
        self._cost = time.perf_counter() - started + self.edges.paint_s
        self._work_s = work_before + time.perf_counter() - started  # an _apply in here counted once

    def _apply(self, request, result) -> None:
        """Show the network of a window, counted (here or on a worker)."""
        started = time.perf_counter()
        try:
            self._show_network(request, result)
        finally:
            self._work_s += time.perf_counter() - started

    def _show_network(self, request, result) -> None:
        (window, filt, data_id), (counts, co) = request[:3], result
        data = self.session.data
        if data_id != id(data) or len(counts) != data.n_actors:
            return  # computed for data since replaced
        if window != self.session.selection.time_window:
            # counted for a window the user has already left: drawn as a
            # draft (the strongest edges), not at the full cost of a frame
            self.edges.set_draft(True)
            self._rested.start()
        allowed = self._allowed_mask()
        shown = (counts > 0) & self._is_node
        rel = None
        if co is not None and self.min_weight.value() > 1:
            strong = co.count >= self.min_weight.value()
            co = CoOccurrence(co.a[strong], co.b[strong], co.count[strong])
        if self.show_relationships.isChecked():
            rel = self._rels.alive(window, allowed, counts if filt is not None else None)
            if self.hidden_types:
                rel = rel[self._rels.type_shown(self.hidden_types)[rel]]
            shown[self._rels.a[rel]] = True
            shown[self._rels.b[rel]] = True
        if allowed is not None:
            shown &= allowed
        shown &= self._is_node  # a relationship's end that has no node (past MAX_NODE_ITEMS)
        if not self.show_cooccurrence.isChecked():
            co = None
        self._window = WindowEdges(co, rel, shown, self._is_node, self._rels, data.actor_ids)
        edges = self._window.arrays
        if self.hide_unlinked.isChecked():
            # an unlinked actor has no edge, so the edges stay as they are
            linked = np.zeros(len(shown), bool)
            linked[edges.a] = True
            linked[edges.b] = True
            shown &= linked
        self._shown, self._counts, self._edges, self._specs = shown, counts, edges, None
        on = np.flatnonzero(shown)
        shown_ids = data.actor_ids[on].tolist()
        self.visible_nodes = set(shown_ids)
        self.node_counts = dict(zip(shown_ids, counts[on].tolist()))
        self.legend.set_entries(self._legend_entries())
        self.header.setText(self._header_text(window, len(self.visible_nodes), len(edges)))
        was = self.node_items.visible
        flips = np.flatnonzero((was != shown) & self._is_node) if len(was) == len(shown) else np.flatnonzero(self._is_node)
        appeared = bool(shown[flips].any())
        self.restyle()
        # nodes came into the window outside the panel, or a small graph changed:
        # the camera follows (a few nodes fill the panel again), nothing moves
        refit = not self.view.moved_by_hand and len(flips) > 0 and (
            len(self.visible_nodes) <= SMALL_GRAPH or (appeared and not self._all_in_view()))
        if refit:
            self.fit()  # after restyle: the names are sized for the nodes now shown
        self.updates += 1

    def _allowed_mask(self) -> np.ndarray | None:
        allowed = self.session.selection.actor_filter
        if allowed is None:
            return None
        return np.isin(self.session.data.actor_ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))

    def _header_text(self, window, n_nodes, n_edges) -> str:
        which = "brushed window" if self.session.selection.brush else "visible range"
        if self.layout_message:
            return self.layout_message
        text = (f"Network for {describe_window(window)} ({which}){search_phrase(self.session.selection.search)}: "
                f"{n_nodes} actors, {n_edges} links")
        if len(self.nodes) < self.session.data.n_actors - 1:
            text += f" (the file's {MAX_NODE_ITEMS:,} busiest actors are drawn)"
        return text

    def restyle(self, *_origin) -> None:
        """Sizes and highlights; called alone when only the selection changed."""
        lit_actors = self.session.highlighted_actor_ids()
        sel_edge = self.session.selection.selected_edge
        ids = self.session.data.actor_ids
        counts = self._counts
        # half-pixel steps: a small change of count leaves a node (and its label) as it is
        radii = np.round(np.minimum(5.0 + 3.2 * np.sqrt(counts), 34.0) * 2) / 2
        radii = np.where(self._shown, radii, 8.0)
        on = self._shown & self._is_node
        shown = np.flatnonzero(on)
        lit_of = np.full(len(counts), -1, np.int8)
        if lit_actors or sel_edge:
            lit_ids = np.fromiter(lit_actors, dtype=np.int64, count=len(lit_actors))
            lit_of[shown] = np.isin(ids[shown], lit_ids)
        self.node_items.set_style(on, radii, lit_of)
        self.labels.set_nodes(self.session.data.actor_names, self._positions, radii, on, counts, lit_of)
        self._edges.lit = self._edge_lit(lit_actors, sel_edge, ids)
        self._specs = None
        self.edges.show_labels = len(self._edges) <= LABELLED_EDGES
        self.edges.set_edges(self._edges, self._positions, radii, self._shown)  # the scene repaints once

    def _edge_lit(self, lit_actors, sel_edge, ids) -> np.ndarray:
        e = self._edges
        n = len(e)
        if sel_edge is None and not lit_actors:
            return np.full(n, -1, np.int8)
        if sel_edge is not None:
            return np.array([1 if r == sel_edge else 0 for r in self.edge_refs()], dtype=np.int8)
        lit_ids = np.fromiter(lit_actors, dtype=np.int64, count=len(lit_actors))
        in_a, in_b = np.isin(ids[e.a], lit_ids), np.isin(ids[e.b], lit_ids)
        # an actor's links all light up, so its neighbours are easy to follow
        on = (in_a | in_b) if self.session.selection.selected_actors else (in_a & in_b)
        return on.astype(np.int8)

    def _node_moved(self, index: int, pos: QPointF) -> None:
        """A node dragged by hand (the nodes item has moved it in the positions
        all three share): its links and name follow."""
        self.edges.node_moved()
        self.labels.update()

    # ---------------------------------------------------------- clicks
    def node_at(self, scene_pos: QPointF) -> Node | None:
        """The node under a scene point (the topmost where nodes overlap)."""
        index = self.node_items.node_at(scene_pos.x(), scene_pos.y())
        return self.nodes.get(index) if index is not None else None

    def clicked(self, scene_pos: QPointF, modifiers, scale: float) -> None:
        sel = self.session.selection
        node = self.node_at(scene_pos)
        if node is not None:
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                sel.select_actors(sel.selected_actors ^ {node.actor_id}, origin=self)
            else:
                sel.select_actors([node.actor_id], origin=self)
            return
        edge = self.edges.edge_at(scene_pos, 6.0 / max(scale, 1e-6))
        if edge is not None:
            sel.select_edge(self.edge_refs()[edge], origin=self)
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
        rel_types = sorted(self._window.relationship_types())
        limit = self._legend_types if self._legend_types is not None else len(rel_types)
        entries += [("arrow", self.palette.relation_colour(t), t) for t in rel_types[:limit]]
        if len(rel_types) > limit:
            entries.append(("line", QColor(CO_COLOUR), f"+{len(rel_types) - limit} more types"))
        if self._edges.dashed.any():
            entries.append(("dashed", QColor(CO_COLOUR), "claimed or contested"))
        return entries

    # ---------------------------------------------------------- for tests and export
    def shared_event_counts(self) -> dict[tuple[int, int], int]:
        """(lower actor id, higher actor id) -> events shared in the window, for each shared-events link drawn."""
        w, ids = self._window, self.session.data.actor_ids
        if not w.co:
            return {}
        out = {}
        for i in w.keep[w.keep < w.n_co].tolist():
            a, b = int(ids[w.co[0][i]]), int(ids[w.co[1][i]])
            out[(min(a, b), max(a, b))] = int(w.co[2][i])
        return out

    def edge_refs(self) -> list[EdgeRef]:
        """The EdgeRef of each current edge (built on demand: a Python object each)."""
        return self._window.refs()

    def edge_specs(self) -> list[EdgeSpec]:
        if self._specs is None:
            e = self._edges
            refs, labels = self.edge_refs(), self._window.labels()
            lit = {-1: None, 0: False, 1: True}
            self._specs = [
                EdgeSpec(int(e.a[i]), int(e.b[i]), refs[i], e.colours[int(e.colour[i])], float(e.width[i]),
                         bool(e.directed[i]), labels[i], bool(e.dashed[i]), lit[int(e.lit[i])])
                for i in range(len(e))
            ]
        return list(self._specs)

    def node_states(self) -> dict[str, bool | None]:
        """Actor name -> True (highlighted) / False (dimmed) / None, for shown nodes."""
        lit = self.session.highlighted_actor_ids()
        sel_edge = self.session.selection.selected_edge
        anything = bool(lit) or sel_edge is not None
        return {n.name: (n.actor_id in lit if anything else None) for n in self.nodes.values() if n.isVisible()}
