"""Stable positions for the relationship graph.

Positions are computed once per file from the whole history (every stated
relationship and every pair of actors that ever shared an event), so a node
stays where it is when the time window changes: the window only decides
which nodes and edges are shown.

The layout is a force-directed one (Fruchterman-Reingold: every pair of
nodes repels, every edge pulls, the moves cool down), written with numpy so
it needs neither networkx nor scipy and is deterministic. A small
graph is laid out at once; a big one (or a big history to gather edges
from) on a worker thread, while the nodes wait on a circle.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from store import network
from ..idle_trim import trim_when_idle

SYNC_LIMIT = 150  # nodes; above this the layout runs in the background
SYNC_EVENTS = 50_000  # and when gathering the history's edges would take more than a frame
SCALE = 400.0
CHUNK = 512  # rows of the pairwise repulsion computed at once (bounds memory)
K_FACTOR = 1.6  # ideal edge length, times 1 / sqrt(nodes), in a unit square
GRAVITY = 0.05
# Repulsion is every pair of nodes, n^2 work an iteration: past this many
# pairs (2,000 nodes; a file where one event has 70,000 participants has
# 4.9 billion) each node is pushed by an even sample of the others instead,
# scaled up to all of them, so an iteration never costs more than this.
REPULSION_PAIRS = 4_000_000


def circle_positions(n: int) -> np.ndarray:
    angles = np.linspace(0, 2 * math.pi, max(n, 1), endpoint=False)
    return np.c_[np.cos(angles), np.sin(angles)][:n] * SCALE


def compute_positions(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Force-directed positions of ``n`` nodes joined by edges (a[i], b[i]) of weight w[i]."""
    if n == 0:
        return np.zeros((0, 2))
    a, b, w = _merge_edges(n, a, b, w)
    pos = spread_points(n)
    k = K_FACTOR / math.sqrt(n)  # the ideal distance between nodes in a unit square
    iterations = 120 if n <= 400 else 60 if n <= 2000 else 30 if n <= 20_000 else 10
    temperature = 0.1
    cool = temperature / (iterations + 1)
    w = w / max(float(w.max()), 1e-9) if len(w) else w
    for _ in range(iterations):
        disp = _repulsion(pos, k)
        if len(a):
            delta = pos[a] - pos[b]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-4)
            pull = delta * (dist * w / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(a, pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(b, pull[:, axis], minlength=n)
        disp -= pos * (GRAVITY * n * k)  # a little gravity keeps separate groups in view
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    pos -= pos.mean(axis=0)
    extent = max(float(np.abs(pos).max()), 1e-9)
    # more nodes, more room: node sizes are in scene units, so a big graph is
    # spread wider and the view, fitted to it, draws each node smaller
    return pos / extent * SCALE * max(1.0, math.sqrt(n / 50))


def positions_of(n: int, a, b, w, only=None) -> np.ndarray:
    """``compute_positions`` of all ``n`` nodes, or of the nodes ``only``
    (indices) among themselves: the others stay at the origin, unseen."""
    if only is None or len(only) >= n:
        return compute_positions(n, a, b, w)
    only = np.asarray(only, dtype=np.int64)
    new = np.full(n, -1, dtype=np.int64)
    new[only] = np.arange(len(only))
    a, b, w = np.asarray(a, np.int64), np.asarray(b, np.int64), np.asarray(w, np.float64)
    keep = (new[a] >= 0) & (new[b] >= 0) if len(a) else np.zeros(0, bool)
    positions = np.zeros((n, 2))
    positions[only] = compute_positions(len(only), new[a[keep]], new[b[keep]], w[keep])
    return positions


def spread_points(n: int) -> np.ndarray:
    """``n`` starting points evenly spread over [-1, 1)^2, the same every time:
    a low-discrepancy (R2) sequence, stepping by powers of the plastic number.
    As even as random points would be on average, and without importing
    numpy.random, which the first window would wait for (about 8 ms)."""
    g = 1.324717957244746  # the plastic number: x**3 = x + 1
    i = np.arange(1, n + 1, dtype=np.float64)[:, None]
    return ((0.5 + i * np.array([1 / g, 1 / g**2])) % 1.0) * 2.0 - 1.0


def _merge_edges(n, a, b, w):
    """One edge per unordered pair, weights summed; self-loops dropped."""
    a, b, w = np.asarray(a, np.int64), np.asarray(b, np.int64), np.asarray(w, np.float64)
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    key = np.minimum(a, b) * n + np.maximum(a, b)
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq // n, uniq % n, np.bincount(inverse, w, minlength=len(uniq))


def _repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """Sum over all other nodes of k^2 / d, along the line between them
    (over an even sample of them, scaled, past ``REPULSION_PAIRS``)."""
    n = len(pos)
    others, scale = pos, 1.0
    if n * n > REPULSION_PAIRS:
        others = pos[:: -(-n * n // REPULSION_PAIRS)]
        scale = n / len(others)
    disp = np.zeros_like(pos)
    for lo in range(0, n, CHUNK):
        delta = pos[lo:lo + CHUNK, None, :] - others[None, :, :]
        d2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1e-6)
        disp[lo:lo + CHUNK] = np.einsum("ijk,ij->ik", delta, (k * k * scale) / d2)
    return disp


def history_edges(data, relationships) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every edge the graph can ever show, by actor index, with a weight:
    arrays (a, b, weight). Pure numpy on arrays, safe on a worker thread."""
    co = network.cooccurrence(data, np.ones(data.n_events, dtype=bool))
    index = data.actor_index()
    rel = [(index[r.from_actor_id], index[r.to_actor_id]) for r in relationships
           if r.from_actor_id in index and r.to_actor_id in index]
    rel_a = np.array([p[0] for p in rel], dtype=np.int64)
    rel_b = np.array([p[1] for p in rel], dtype=np.int64)
    return (np.concatenate([co.a, rel_a]), np.concatenate([co.b, rel_b]),
            np.concatenate([np.log1p(co.count.astype(np.float64)), np.full(len(rel), 2.0)]))


class _Signals(QObject):
    done = Signal(object, int)  # positions, generation


class _LayoutJob(QRunnable):
    def __init__(self, data, relationships, generation, signals, only=None):
        super().__init__()
        self.data, self.relationships, self.generation, self.signals = data, relationships, generation, signals
        self.only = only

    def run(self):
        a, b, w = history_edges(self.data, self.relationships)
        positions = positions_of(self.data.n_actors, a, b, w, self.only)
        try:
            self.signals.done.emit(positions, self.generation)
        except RuntimeError:
            pass  # the graph was closed (an export's panel, a closed window) while this ran


class LayoutEngine(QObject):
    """Gives positions now (exact for small graphs) and better ones later."""

    positionsReady = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.done.connect(self._finished)
        self._generation = 0

    def layout(self, session, only=None) -> np.ndarray:
        """Positions of every actor; with ``only`` (actor indices), those are
        laid out among themselves and the rest left at the origin."""
        self._generation += 1
        data = session.data
        if data.n_actors <= SYNC_LIMIT and data.n_events <= SYNC_EVENTS:
            return positions_of(data.n_actors, *history_edges(data, session.relationships), only)
        job = _LayoutJob(data, list(session.relationships), self._generation, self._signals, only)
        QThreadPool.globalInstance().start(job)
        return circle_positions(data.n_actors)

    def _finished(self, positions, generation):
        trim_when_idle()  # gathering every pair of the history took far more than its result
        if generation == self._generation:
            self.positionsReady.emit(positions)

    @staticmethod
    def wait() -> None:
        QThreadPool.globalInstance().waitForDone()
