"""Stable positions for the relationship graph.

Positions are computed once per file from the whole history (every stated
relationship and every pair of actors that ever shared an event), so a node
stays where it is when the time window changes: the window only decides
which nodes and edges are shown.

The layout itself is numpy with no Qt (``store/force_layout.py``: a
force-directed one, its repulsion approximated on a grid above a few
hundred nodes, about 0.3 s for 1,000 nodes and 20,000 edges). A small graph
is laid out at once; a big one (or a big history to gather edges from) runs
through the job runner (``gui/jobs.py``) while the nodes wait on a circle.
An export waits for it (``wait_until_laid_out``), so it never draws the circle; a failure
is reported (``failed``), never printed as a traceback, and the panel stays
usable; a job that outlives its panel finds nobody to tell and says nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from store.view_model.window_network import history_network
from store.force_layout import (  # noqa: F401  (re-exported: the panel, tests and benchmarks use them here)
    SCALE, circle_positions, compute_positions, merge_edges as _merge_edges, spread_points,
)

from ..jobs import LAYOUT_SYNC_EVENTS, LAYOUT_SYNC_NODES, Job


def history_edges(data, relationships) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every edge the graph can ever show, by actor index, with a weight:
    arrays (a, b, weight). Pure numpy on arrays, safe on a worker thread."""
    co = history_network(data)
    index = data.actor_index()
    rel = [(index[r.from_actor_id], index[r.to_actor_id]) for r in relationships
           if r.from_actor_id in index and r.to_actor_id in index]
    rel_a = np.array([p[0] for p in rel], dtype=np.int64)
    rel_b = np.array([p[1] for p in rel], dtype=np.int64)
    return (np.concatenate([co.a, rel_a]), np.concatenate([co.b, rel_b]),
            np.concatenate([np.log1p(co.count.astype(np.float64)), np.full(len(rel), 2.0)]))


def positions_of(n: int, a, b, w, only=None) -> np.ndarray:
    """``compute_positions`` of all ``n`` nodes, or of the nodes ``only``
    (indices) among themselves: the others stay at the origin, unseen (a
    file with more actors than the panel draws)."""
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


def layout_of(data, relationships, only=None) -> np.ndarray:
    """The positions for a file's whole history (runs on a worker)."""
    a, b, w = history_edges(data, relationships)
    return positions_of(data.n_actors, a, b, w, only)


class LayoutEngine(QObject):
    """Gives positions now (exact for small graphs) and better ones later."""

    positionsReady = Signal(object)
    failed = Signal(str)  # one line for a person: the layout could not be made

    def __init__(self, parent=None):
        super().__init__(parent)
        self._job: Job | None = None
        self.pending = False  # a background layout has not arrived yet

    def layout(self, session, only=None) -> np.ndarray:
        """Positions of every actor; with ``only`` (actor indices), those are
        laid out among themselves and the rest left at the origin."""
        data = session.data
        if data.n_actors <= LAYOUT_SYNC_NODES and data.n_events <= LAYOUT_SYNC_EVENTS:
            self.pending = False
            return positions_of(data.n_actors, *history_edges(data, session.relationships), only)
        if self._job is not None:
            self._job.cancel()  # the file changed: positions for the old actors are not wanted
        relationships = list(session.relationships)
        # no parent: the job's QObject must outlive this engine while its thread
        # runs (emitting from a deleted object is what "Signal source has been
        # deleted" was). Bound methods: PySide disconnects them when the engine goes.
        job = Job(lambda: layout_of(data, relationships, only))
        job.succeeded.connect(self._finished)
        job.failed.connect(self._failed)
        self._job = job
        self.pending = True
        job.start()
        return circle_positions(data.n_actors)

    def _finished(self, positions):
        if self.sender() is self._job:  # not a layout for data since replaced
            self.pending = False
            self.positionsReady.emit(positions)

    def _failed(self, message):
        if self.sender() is self._job:
            self.pending = False
            self.failed.emit(f"The graph layout failed ({message}); the nodes stay where they are.")

    def wait_until_laid_out(self) -> None:
        """Block until this engine's layout is done and applied (an export)."""
        from PySide6.QtCore import QCoreApplication

        job = self._job
        if job is not None:
            job.wait()
        # the result was posted to this thread: deliver it now
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
