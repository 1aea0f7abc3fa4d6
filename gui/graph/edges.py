"""The numpy half of the relationship panel: which edges a window shows.

A window's edges are co-occurrence links (from ``store.network``) plus the
stated relationships alive in it; both are kept as columns (``EdgeArrays``)
so that a window change with tens of thousands of edges costs a few numpy
passes, not a Python object per edge. ``EdgeRef`` objects, which the
selection model needs, are made only when asked for (a click, a test).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from ..selection import EdgeRef
from .items import EdgeArrays

CO_COLOUR = "#9AA0A6"
LABELLED_EDGES = 80  # edges; above this relationship types are not written on the edges


class RelationshipArrays:
    """The stated relationships as columns, so a window picks the alive ones at once."""

    def __init__(self, relationships, data, palette):
        index = data.actor_index()
        rows = [r for r in relationships if r.from_actor_id in index and r.to_actor_id in index]
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.from_ids = np.array([r.from_actor_id for r in rows], dtype=np.int64)
        self.to_ids = np.array([r.to_actor_id for r in rows], dtype=np.int64)
        self.a = np.array([index[r.from_actor_id] for r in rows], dtype=np.int64)
        self.b = np.array([index[r.to_actor_id] for r in rows], dtype=np.int64)
        self.lo = np.array([-np.inf if r.earliest is None else r.earliest for r in rows], dtype=np.float64)
        self.hi = np.array([np.inf if r.latest is None else r.latest for r in rows], dtype=np.float64)
        self.directed = np.array([bool(r.directed) for r in rows], dtype=bool)
        self.dashed = np.array([r.certainty in ("claimed", "contested") for r in rows], dtype=bool)
        self.types = [r.type for r in rows]
        names = sorted(set(self.types))
        self.type_names = names
        self.colours = [palette.relation_colour(t) for t in names]
        colour_of = {t: i for i, t in enumerate(names)}
        self.colour = np.array([colour_of[t] for t in self.types], dtype=np.int64)

    def type_shown(self, hidden: set[str]) -> np.ndarray:
        """Per relationship: its type is not among ``hidden``."""
        ok = np.array([t not in hidden for t in self.type_names], dtype=bool)
        return ok[self.colour] if len(self.colour) else np.zeros(0, bool)

    def alive(self, window, allowed: np.ndarray | None, counts: np.ndarray | None) -> np.ndarray:
        """Indices of the relationships alive at some moment of the window
        (between allowed actors; with a filter, only between actors with events)."""
        keep = np.ones(len(self.ids), bool)
        if window:
            lo, hi = window
            if lo is not None:
                keep &= self.hi >= lo
            if hi is not None:
                keep &= self.lo <= hi
        if allowed is not None:
            keep &= allowed[self.a] & allowed[self.b]
        if counts is not None:
            keep &= (counts[self.a] > 0) & (counts[self.b] > 0)
        return np.flatnonzero(keep)



class WindowEdges:
    """The edges of one window: co-occurrence pairs first, then relationships,
    kept where both ends are shown."""

    def __init__(self, co, rel, shown, is_node, rels: RelationshipArrays, actor_ids):
        self.rels, self.actor_ids = rels, actor_ids
        self.co = None
        if co is not None:
            keep = is_node[co.a] & is_node[co.b]
            self.co = (co.a[keep], co.b[keep], co.count[keep])
        self.rel = rel if rel is not None else np.zeros(0, np.int64)
        n_co = len(self.co[0]) if self.co else 0
        a = np.concatenate([self.co[0] if self.co else np.zeros(0, np.int64), rels.a[self.rel]])
        b = np.concatenate([self.co[1] if self.co else np.zeros(0, np.int64), rels.b[self.rel]])
        keep = shown[a] & shown[b] if len(a) else np.zeros(0, bool)
        self.keep = np.flatnonzero(keep)
        self.n_co = n_co
        self.arrays = self._arrays(a, b, keep)

    @classmethod
    def empty(cls) -> "WindowEdges":
        self = cls.__new__(cls)
        self.co, self.rel, self.keep, self.n_co = None, np.zeros(0, np.int64), np.zeros(0, np.int64), 0
        self.arrays = EdgeArrays.empty()
        return self

    def _arrays(self, a, b, keep) -> EdgeArrays:
        r, n_co = self.rels, self.n_co
        count = self.co[2] if self.co else np.zeros(0, np.int64)
        colour = np.concatenate([np.zeros(n_co, np.int64), r.colour[self.rel] + 1])
        width = np.concatenate([0.8 + 1.6 * np.log1p(count), np.full(len(self.rel), 1.6)])
        directed = np.concatenate([np.zeros(n_co, bool), r.directed[self.rel]])
        dashed = np.concatenate([np.zeros(n_co, bool), r.dashed[self.rel]])
        labels = []
        if int(keep.sum()) <= LABELLED_EDGES:
            every = [None] * n_co + [r.types[i] for i in self.rel.tolist()]
            labels = [every[i] for i in self.keep.tolist()]
        colours = [QColor(CO_COLOUR)] + r.colours
        return EdgeArrays(a[keep], b[keep], colour[keep], width[keep], directed[keep], dashed[keep],
                          np.full(int(keep.sum()), -1, np.int8), colours, labels)

    def refs(self) -> list[EdgeRef]:
        ids, r = self.actor_ids, self.rels
        out = []
        for i in self.keep.tolist():
            if i < self.n_co:
                out.append(EdgeRef(int(ids[self.co[0][i]]), int(ids[self.co[1][i]]), "co"))
            else:
                j = int(self.rel[i - self.n_co])
                out.append(EdgeRef(int(r.from_ids[j]), int(r.to_ids[j]), "rel", int(r.ids[j])))
        return out

    def labels(self) -> list[str | None]:
        """Each edge's label: the relationship type, None for shared events."""
        return [None if i < self.n_co else self.rels.types[int(self.rel[i - self.n_co])] for i in self.keep.tolist()]

    def relationship_types(self) -> set[str]:
        kept = self.keep[self.keep >= self.n_co] - self.n_co
        # by type code (``colour`` numbers the sorted type names): one name per type, not per link
        return {self.rels.type_names[c] for c in np.unique(self.rels.colour[self.rel[kept]]).tolist()}
