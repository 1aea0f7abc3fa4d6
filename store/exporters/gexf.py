"""Dynamic GEXF for Gephi: play the actor graph along its timeline.

Nodes and edges carry ``start``/``end`` as dates ("YYYY-MM-DD"), which
networkx writes as a ``mode="dynamic"`` graph with ``timeformat="date"``
(GEXF 1.2); Gephi's timeline then shows each actor and edge only while it
is alive. See ``graph.py`` for what the nodes and edges are.

The graph is mixed: the default edge type is directed, and the edges that
are not (shared-event links, undirected relationships) say
``type="undirected"`` on the edge itself, as GEXF allows per edge. Gephi
reads such a mixed graph; networkx's own reader refuses it.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..atomic_file import atomic_path
from .graph import build_graph


def export_file(db, out: str | Path, window=(None, None)) -> None:
    graph = build_graph(db, window)
    graph.graph["mode"] = "dynamic"
    for _u, _v, key, data in graph.edges(keys=True, data=True):
        data["id"] = key  # "r12" / "c3-7" rather than a running number
        if not data.get("directed", True):
            data["type"] = "undirected"
    with atomic_path(out) as tmp:
        nx.write_gexf(graph, tmp, encoding="utf-8", prettyprint=True)
