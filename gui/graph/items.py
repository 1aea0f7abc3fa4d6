"""The graph's links: one scene item paints all the edges of the window.

Edges can be tens of thousands, so a single item paints them all from numpy
arrays: segments are computed for all edges at once, and each group of
edges that look alike (colour, width, dash, highlight) is one ``drawLines``
call, arrow heads one filled path per colour. (The nodes are one item too:
``nodes.py``.)
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPaintEngine, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem

from ..safe_paint import guarded_paint
from ..selection import EdgeRef
from ..batch_paint import clip_to_device, draw_lines, native_lines

FAN_PX = 7.0  # between parallel edges of one pair
DIMMED_OPACITY = 35 / 255  # of an edge not in the selection, when there is one
ANTIALIAS_LIMIT = 3000  # edges; above this lines are drawn without antialiasing (several times faster)
# While the time window is being dragged, at most this many edges are drawn
# (the strongest, and every highlighted one); all of them once it rests.
DRAFT_EDGES = 2500
# At rest, at most this many (the strongest, and every highlighted one): a
# file where one event has 70,000 participants has 770,000 links, which
# took most of a minute to draw and show nothing a person could follow.
MAX_DRAWN_EDGES = 100_000
# Above this many edges (where lines are no longer smoothed) the links are
# drawn on screen as a layer. The drawing order (dimmed first, highlighted
# last) is cut into as many runs of lines as there are cores, each run is
# rasterised into a transparent image of its own on a core of its own (Qt
# draws the lines with Python's lock let go: ``batch_paint.draw_lines``), and
# the images are laid over one another in order: painting one over another
# is associative, so the picture is the one drawn line by line. The layer is
# kept until the edges, their looks or the view change, so a hover or a
# name's repaint does not draw tens of thousands of lines again. A draft
# (the window moving) is drawn straight on the view: its few thousand lines
# cost less than making, handing over and laying the images.
LAYER_EDGES = ANTIALIAS_LIMIT + 1
MAX_SLICES = 3  # images of the whole view at once: a few megabytes each on a big screen


def _cores() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:  # not on Linux
        return max(1, min(os.cpu_count() or 1, 8))


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor | None:
    """The workers that rasterise runs of lines beside the UI thread (None on one core)."""
    global _POOL
    if _POOL is None and _cores() > 1:
        _POOL = ThreadPoolExecutor(max_workers=_cores() - 1, thread_name_prefix="graph-edges")
    return _POOL


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


@dataclass
class EdgeArrays:
    """All edges of the window as columns (actor indices, looks, highlight)."""

    a: np.ndarray  # int64 actor index (from)
    b: np.ndarray  # int64 actor index (to)
    colour: np.ndarray  # int64 index into ``colours``
    width: np.ndarray  # float64 pen width
    directed: np.ndarray  # bool
    dashed: np.ndarray  # bool
    lit: np.ndarray  # int8: -1 nothing selected, 0 dimmed, 1 highlighted
    colours: list  # QColor per colour index
    labels: list  # label text per edge (None for co-occurrence), only used when few edges

    def __len__(self) -> int:
        return len(self.a)

    @classmethod
    def empty(cls) -> "EdgeArrays":
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, np.zeros(0), np.zeros(0, bool), np.zeros(0, bool), np.zeros(0, np.int8), [], [])


class EdgesItem(QGraphicsItem):
    """All edges, painted in batches from node positions."""

    def __init__(self, palette):
        super().__init__()
        self.palette = palette
        self.edges = EdgeArrays.empty()
        self.positions = np.zeros((0, 2))  # per actor index
        self.radii = np.zeros(0)
        self.shown = np.zeros(0, bool)  # per actor index: node visible
        self.show_labels = True
        self.setZValue(0)
        self._bounds = QRectF()
        self._segments_cache = None
        self._version = 0  # bumped by every change of what the edges look like
        self._layer = None  # (key, [image per run of lines]) of the last layer drawn
        self._last_drawn = (np.zeros(0, np.int64), np.zeros((0, 4)))
        self.draft = False  # the window is moving: draw only the strongest edges
        self.drawn = 0  # edges drawn by the last paint
        self.paint_s = 0.0
        self.paint_total_s = 0.0  # all paints so far: the panel tells its own work from a pause
        self.font = QFont()
        self.font.setPointSizeF(7.5)
        # made now, not in the first paint of many links (during a pan): the
        # workers' threads, and the look for Qt's own line drawing
        pool = _pool()
        if pool is not None:
            pool.submit(int)  # its thread starts now
        native_lines()

    def set_edges(self, edges: EdgeArrays, positions: np.ndarray, radii: np.ndarray, shown: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.edges, self.positions, self.radii, self.shown = edges, positions, radii, shown
        self._segments_cache = None
        self._version += 1
        self._recompute_bounds()
        self.update()

    def node_moved(self) -> None:
        """A node was dragged: the positions array (shared with the nodes item,
        which wrote the move) changed, so the links are drawn again."""
        self.prepareGeometryChange()
        self._segments_cache = None
        self._version += 1
        self._recompute_bounds()
        self.update()

    def _recompute_bounds(self) -> None:
        pts = self.positions[self.shown] if len(self.shown) else self.positions[:0]
        if not len(pts):
            self._bounds = QRectF()
            return
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        self._bounds = QRectF(lo[0] - 60, lo[1] - 60, hi[0] - lo[0] + 120, hi[1] - lo[1] + 120)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def segments(self) -> tuple[np.ndarray, np.ndarray]:
        """(index of each drawn edge, its segment x0, y0, x1, y1): pairs with
        several edges are fanned out side by side."""
        if self._segments_cache is None:
            self._segments_cache = _fanned_segments(self.edges, self.positions, self.shown)
        return self._segments_cache

    @guarded_paint("relationship graph's links")
    def paint(self, painter, *_):
        started = time.perf_counter()
        rendered = True
        try:
            if self._as_layer(painter):
                rendered = self._paint_layer(painter)
            else:
                self._paint(painter)
        finally:
            spent = time.perf_counter() - started
            if rendered:
                self.paint_s = spent  # the panel paces its updates by what they cost
            self.paint_total_s += spent

    def _as_layer(self, painter) -> bool:
        """Many edges on a raster device (the screen, a grab), at rest: drawn
        as a layer (``LAYER_EDGES``). A vector device (PDF, SVG) gets every
        line as a line, and so does a draft."""
        engine = painter.paintEngine()
        return (engine is not None and engine.type() == QPaintEngine.Type.Raster and not self.draft
                and len(self.edges) >= LAYER_EDGES and painter.device() is not None)

    def _paint_layer(self, painter) -> bool:
        """Draw the layer, made afresh only when something it shows changed;
        True when it was made afresh."""
        device = painter.device()
        ratio = device.devicePixelRatioF() or 1.0
        width, height = int(np.ceil(device.width() * ratio)), int(np.ceil(device.height() * ratio))
        t = painter.transform()
        key = (self._version, self.draft, width, height, ratio,
               t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy())
        made = False
        if self._layer is None or self._layer[0] != key:
            self._layer = (key, self._render_layer(t * QTransform.fromScale(ratio, ratio), width, height, ratio))
            made = True
        painter.save()
        painter.resetTransform()
        for image in self._layer[1]:  # in drawing order
            painter.drawImage(QPointF(0, 0), image)
        painter.restore()
        self._paint_labels(painter, *self._last_drawn)
        return made

    def _render_layer(self, to_device: QTransform, width: int, height: int, ratio: float) -> list:
        """An image per run of the drawing order, each drawn on a core of its own."""
        plan = self._plan()
        if plan is None or width <= 0 or height <= 0:
            return []
        groups, antialias, seg = plan
        slices = _slices(groups, min(_cores(), MAX_SLICES) if _pool() is not None else 1)

        def render(part):
            image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(0)
            painter = QPainter(image)
            try:
                clip_to_device(painter)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
                painter.setTransform(to_device)
                self._draw_groups(painter, part, seg)
            finally:
                painter.end()
            image.setDevicePixelRatio(ratio)  # drawn in device pixels, shown at the view's size
            return image

        pool = _pool()
        if pool is None or len(slices) == 1:
            return [render(part) for part in slices]
        # the first run here, the others on the workers, at once; a run no
        # worker has started yet (a busy machine) is drawn here too, rather than waited for
        futures = [pool.submit(render, part) for part in slices[1:]]
        images = [render(slices[0])]
        for future, part in zip(futures, slices[1:]):
            images.append(render(part) if future.cancel() else future.result())
        return images

    def set_draft(self, draft: bool, repaint: bool = True) -> None:
        """Draw only the strongest links (``draft``) or all of them; without
        ``repaint`` the change shows at the next paint (the next network)."""
        if draft != self.draft:
            self.draft = draft
            self._version += 1
            if repaint:
                self.update()

    def _drafted(self, which: np.ndarray, seg: np.ndarray):
        """The strongest DRAFT_EDGES edges and every highlighted one: enough to
        follow a moving window; drawing tens of thousands takes many frames.
        At rest, the strongest MAX_DRAWN_EDGES."""
        limit = DRAFT_EDGES if self.draft else MAX_DRAWN_EDGES
        if len(which) <= limit:
            return which, seg
        weight = self.edges.width[which] + 1000.0 * (self.edges.lit[which] == 1)
        keep = np.sort(np.argpartition(-weight, limit)[:limit])
        return which[keep], seg[keep]

    def _plan(self):
        """What to draw: (groups, antialias, segments), each group (pen, colour,
        its rows of the segments, and for its arrowed ones their segments,
        target radii and which rows they are, or None); None when nothing."""
        which, seg = self._drafted(*self.segments())
        self.drawn = len(which)
        self._last_drawn = (which, seg)
        if not len(which):
            return None
        # smooth lines cost about twice as much: not for a crowd, nor while the window moves
        antialias = len(which) <= ANTIALIAS_LIMIT and not self.draft
        e = self.edges
        lit = e.lit[which]
        half_width = np.round(e.width[which] * 2).astype(np.int64)
        dashed, colour_index = e.dashed[which], e.colour[which]
        # dimmed first, highlighted last, so what is selected is on top
        order = np.lexsort((colour_index, half_width, dashed, lit))
        # a group is a run of one look: one number per look (widths and colour
        # indices stay far below 2**20) tells where each run starts
        look = ((lit.astype(np.int64) + 1) * 2 + dashed) << 40 | half_width << 20 | colour_index
        starts = np.flatnonzero(np.diff(look[order], prepend=-1))
        groups = []
        for s, t in zip(starts.tolist(), np.r_[starts[1:], len(order)].tolist()):
            rows = order[s:t]
            first = int(rows[0])
            pen, colour = self._style(int(lit[first]), bool(dashed[first]), int(half_width[first]), int(colour_index[first]))
            arrows = None
            directed = self.edges.directed[which[rows]]
            if directed.any():
                arrows = (seg[rows][directed], self.radii[self.edges.b[which[rows]][directed]], directed)
            groups.append((pen, colour, rows, arrows))
        return groups, antialias, seg

    @staticmethod
    def _draw_groups(painter, groups, seg) -> None:
        """The planned groups, each one ``drawLines`` and its arrow heads one
        filled path (a path of its own per call: runs are drawn on several
        threads at once)."""
        for pen, colour, rows, arrows in groups:
            painter.setPen(pen)
            s = seg[rows]
            draw_lines(painter, s[:, 0], s[:, 1], s[:, 2], s[:, 3])
            path = _arrow_path(*arrows[:2]) if arrows is not None else None
            if path is not None:
                painter.fillPath(path, colour)

    def _paint(self, painter) -> None:
        plan = self._plan()
        if plan is None:
            return
        groups, antialias, seg = plan
        painter.setRenderHint(painter.RenderHint.Antialiasing, antialias)
        painter.save()
        try:
            clip_to_device(painter)
            self._draw_groups(painter, groups, seg)
        finally:
            painter.restore()
        self._paint_labels(painter, *self._last_drawn)

    def _style(self, lit: int, dashed: bool, half_width: int, colour_index: int) -> tuple[QPen, QColor]:
        colour = QColor(self.palette.highlight if lit == 1 else self.edges.colours[colour_index])
        if lit == 0:
            # dimmed: faint, as if 14% opaque over the background, but drawn opaque.
            # Qt's software rasteriser blends a translucent line pixel by pixel,
            # 15-20 times slower than it fills an opaque one (a 20,000-edge
            # graph took 160 ms a paint with an actor selected)
            colour = _mixed(colour, self.palette.background, DIMMED_OPACITY)
        pen = QPen(colour, half_width / 2 + (1.5 if lit == 1 else 0))
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen, colour

    def _paint_labels(self, painter, which, seg) -> None:
        """A type is named once, in the legend; on the graph only the selected
        link says what it is."""
        if not self.show_labels:
            return
        which_lit = self.edges.lit[which] == 1
        if which_lit.sum() != 1 or (self.edges.lit == 1).sum() != 1:
            return
        which, seg = which[which_lit], seg[which_lit]
        painter.setFont(self.font)
        for i, s in zip(which.tolist(), seg.tolist()):
            text = self.edges.labels[i] if i < len(self.edges.labels) else None
            if not text or self.edges.lit[i] == 0:
                continue
            colour = QColor(self.palette.highlight if self.edges.lit[i] == 1 else self.edges.colours[self.edges.colour[i]])
            painter.setPen(colour.darker(120) if not self.palette.dark else colour.lighter(130))
            painter.drawText(QPointF((s[0] + s[2]) / 2 + 3, (s[1] + s[3]) / 2 - 3), text)

    def edge_at(self, pos: QPointF, tolerance: float) -> int | None:
        """Index of the edge nearest ``pos`` within ``tolerance`` scene units."""
        which, seg = self.segments()
        if not len(which):
            return None
        d = _distances(pos.x(), pos.y(), seg)
        best = int(np.argmin(d))
        return int(which[best]) if d[best] <= tolerance else None


def _slices(groups: list, n: int) -> list:
    """The planned groups cut into ``n`` runs of about as many lines each, in
    drawing order (a group may be cut: its pen goes with each part)."""
    total = sum(len(g[2]) for g in groups)
    if n <= 1 or total < 2 * n:
        return [groups]
    cuts = [total * k // n for k in range(1, n)]  # the first line of each run after the first
    out, part, done = [], [], 0  # done: lines in the groups before this one
    for pen, colour, rows, arrows in groups:
        start = 0
        while cuts and cuts[0] - done < len(rows):
            stop = cuts.pop(0) - done
            if stop > start:
                part.append(_group_part(pen, colour, rows, arrows, start, stop))
            out.append(part)
            part, start = [], stop
        if start < len(rows):
            part.append(_group_part(pen, colour, rows, arrows, start, len(rows)))
        done += len(rows)
    out.append(part)
    return out


def _group_part(pen, colour, rows, arrows, start: int, stop: int):
    """Rows ``start:stop`` of a planned group, with their arrow heads."""
    if arrows is None or (start == 0 and stop == len(rows)):
        return pen, colour, rows[start:stop], arrows
    seg, radii, directed = arrows
    before = int(directed[:start].sum())
    mine = directed[start:stop]
    count = int(mine.sum())
    part = (seg[before:before + count], radii[before:before + count], mine) if count else None
    return pen, colour, rows[start:stop], part


def _mixed(colour: QColor, background: QColor, opacity: float) -> QColor:
    """The opaque colour ``colour`` at ``opacity`` shows over ``background``."""
    def channel(a: int, b: int) -> int:
        return round(a * opacity + b * (1 - opacity))

    return QColor(channel(colour.red(), background.red()), channel(colour.green(), background.green()),
                  channel(colour.blue(), background.blue()))


def _fanned_segments(e: EdgeArrays, positions: np.ndarray, shown: np.ndarray):
    if not len(e) or not len(positions):
        return np.zeros(0, np.int64), np.zeros((0, 4))
    which = np.flatnonzero(shown[e.a] & shown[e.b])
    a, b = e.a[which], e.b[which]
    seg = np.empty((len(which), 4))
    seg[:, :2], seg[:, 2:] = positions[a], positions[b]
    # only pairs with several edges (a relationship beside shared events) are
    # fanned out: found by sorting the pair keys (already in order but for the
    # relationships appended), the rest stay centre to centre
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair = lo * len(positions) + hi
    order = np.argsort(pair, kind="stable")
    sorted_pair = pair[order]
    same = sorted_pair[1:] == sorted_pair[:-1]
    several = np.r_[same, False] | np.r_[False, same]
    if not several.any():
        return which, seg
    fan, fan_pair = order[several], sorted_pair[several]
    # rank of each such edge among those of its pair, and how many the pair has
    first = np.flatnonzero(np.r_[True, fan_pair[1:] != fan_pair[:-1]])
    size = np.diff(np.r_[first, len(fan)])
    rank = np.arange(len(fan)) - np.repeat(first, size)
    count = np.repeat(size, size)
    p, q = positions[lo[fan]], positions[hi[fan]]
    d = q - p
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
    normal = np.c_[-d[:, 1], d[:, 0]] / length[:, None]
    offset = (rank - (count - 1) / 2) * FAN_PX
    sign = np.where(a[fan] == lo[fan], 1.0, -1.0)
    shift = normal * (offset * sign)[:, None]
    seg[fan, :2] += shift
    seg[fan, 2:] += shift
    return which, seg


def _arrow_path(seg: np.ndarray, target_radius: np.ndarray):
    """Filled triangles at the target end of each segment, as one path."""
    d = seg[:, 2:4] - seg[:, 0:2]
    length = np.hypot(d[:, 0], d[:, 1])
    keep = length >= target_radius + 8
    if not keep.any():
        return None
    d, length, seg, r = d[keep], length[keep], seg[keep], target_radius[keep]
    u = d / length[:, None]
    tip = seg[:, 2:4] - u * (r + 2)[:, None]
    back = tip - u * 9
    side = np.c_[-u[:, 1], u[:, 0]] * 4.5
    corners = np.stack([tip, back + side, back - side, tip], axis=1)  # (n, 4, 2): closed triangles
    connect = np.ones((len(corners), 4), dtype=np.int32)
    connect[:, -1] = 0  # no line from one triangle to the next
    return pg.arrayToQPath(corners[:, :, 0].ravel(), corners[:, :, 1].ravel(), connect=connect.ravel())


def _distances(x: float, y: float, seg: np.ndarray) -> np.ndarray:
    ax, ay, bx, by = seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3]
    dx, dy = bx - ax, by - ay
    denom = dx * dx + dy * dy
    t = np.where(denom > 0, ((x - ax) * dx + (y - ay) * dy) / np.where(denom > 0, denom, 1), 0.0)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(x - (ax + t * dx), y - (ay + t * dy))
