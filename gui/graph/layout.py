"""Stable positions for the relationship graph.

Positions are computed once per file from the whole history (every stated
relationship and every pair of actors that ever shared an event), so a node
stays where it is when the time window changes: the window only decides
which nodes and edges are shown. A big graph is laid out on a worker
thread; until it is done, nodes sit on a circle.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from store import network

SYNC_LIMIT = 400  # nodes; above this the layout runs in the background
SCALE = 400.0


def circle_positions(n: int) -> np.ndarray:
    angles = np.linspace(0, 2 * math.pi, max(n, 1), endpoint=False)
    return np.c_[np.cos(angles), np.sin(angles)] * SCALE


def compute_positions(n_actors: int, edges: list[tuple[int, int, float]], seed: int = 7) -> np.ndarray:
    """Force-directed positions (networkx spring layout), deterministic for a seed."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n_actors))
    for a, b, w in edges:
        if a != b:
            prev = graph.get_edge_data(a, b, {}).get("weight", 0.0)
            graph.add_edge(a, b, weight=prev + w)
    if n_actors == 0:
        return np.zeros((0, 2))
    k = 1.6 / math.sqrt(max(n_actors, 1))
    iterations = 120 if n_actors <= SYNC_LIMIT else 40
    pos = nx.spring_layout(graph, k=k, iterations=iterations, seed=seed, weight="weight")
    return np.array([pos[i] for i in range(n_actors)]) * SCALE


def history_edges(session) -> list[tuple[int, int, float]]:
    """Every edge the graph can ever show, by actor index, with a weight."""
    data = session.data
    index = data.actor_index()
    everything = np.ones(data.n_events, dtype=bool)
    co = network.cooccurrence(data, everything)
    edges = [(int(a), int(b), float(math.log1p(c))) for a, b, c in zip(co.a, co.b, co.count)]
    for rel in session.relationships:
        if rel.from_actor_id in index and rel.to_actor_id in index:
            edges.append((index[rel.from_actor_id], index[rel.to_actor_id], 2.0))
    return edges


class _Signals(QObject):
    done = Signal(object, int)  # positions, generation


class _LayoutJob(QRunnable):
    def __init__(self, n, edges, generation, signals):
        super().__init__()
        self.n, self.edges, self.generation, self.signals = n, edges, generation, signals

    def run(self):
        self.signals.done.emit(compute_positions(self.n, self.edges), self.generation)


class LayoutEngine(QObject):
    """Gives positions now (exact for small graphs) and better ones later."""

    positionsReady = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.done.connect(self._finished)
        self._generation = 0

    def layout(self, session) -> np.ndarray:
        self._generation += 1
        n = session.data.n_actors
        edges = history_edges(session)
        if n <= SYNC_LIMIT:
            return compute_positions(n, edges)
        QThreadPool.globalInstance().start(_LayoutJob(n, edges, self._generation, self._signals))
        return circle_positions(n)

    def _finished(self, positions, generation):
        if generation == self._generation:
            self.positionsReady.emit(positions)

    @staticmethod
    def wait() -> None:
        QThreadPool.globalInstance().waitForDone()
