"""GraphML: the same actor graph as the GEXF export, static, for yEd,
Cytoscape, igraph and networkx. Dates are plain ``start``/``end`` string
attributes; see ``graph.py`` for the nodes, edges and their attributes.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..atomic_file import atomic_path
from .graph import build_graph


def export_file(db, out: str | Path, window=(None, None)) -> None:
    graph = build_graph(db, window)
    with atomic_path(out) as tmp:
        nx.write_graphml(graph, tmp, encoding="utf-8", prettyprint=True)
