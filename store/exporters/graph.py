"""The actor graph of a time window as a networkx MultiDiGraph, shared by
the GEXF and GraphML writers.

Nodes are actor ids, with ``label`` (the name), ``kind``, ``country``,
``external_id``, ``events`` (how many events in the window) and
``start``/``end``: the first and last day ("YYYY-MM-DD") the actor is seen,
from its events in the window and its stated relationships (a relationship
with an open end leaves that end of the actor open too, so Gephi never
hides an edge whose actor "does not exist yet").

Edges, told apart by ``link``:

* "relationship": a stated relationship, from -> to, keyed "r<id>", with
  ``relation`` (its type), ``directed``, ``certainty`` and ``start``/``end``
  (left out when open).
* "co-occurrence": two actors sharing events, keyed "c<a>-<b>" (a < b),
  ``weight`` = the number of shared events, ``directed`` False, and
  ``start``/``end`` = the first and last shared event.

The graph is directed; edges that are not (undirected relationships,
co-occurrences) say so in their ``directed`` attribute, and the GEXF
writer also gives them the edge type "undirected" (GraphML, as networkx
writes it, has one edge direction per graph).
"""

from __future__ import annotations

import networkx as nx

from .. import queries, records
from ..dates import format_date
from ..xml_text import xml_safe_value



class _Span:
    """First and last second something is seen; an open end stays open."""

    def __init__(self):
        self.start: int | None = None
        self.end: int | None = None
        self.open_start = self.open_end = False

    def add(self, start: int | None, end: int | None) -> None:
        if start is None:
            self.open_start = True
        elif self.start is None or start < self.start:
            self.start = start
        if end is None:
            self.open_end = True
        elif self.end is None or end > self.end:
            self.end = end

    def attrs(self) -> dict:
        found = {}
        if not self.open_start and self.start is not None:
            found["start"] = format_date(self.start, "day")
        if not self.open_end and self.end is not None:
            found["end"] = format_date(self.end, "day")
        return found


def _is_windowed(window) -> bool:
    return bool(window) and any(t is not None for t in window)


def _event_spans(db, events: dict) -> tuple[dict[int, _Span], dict[int, int]]:
    """Per actor: the span of its events in the window, and their number."""
    spans: dict[int, _Span] = {}
    counts: dict[int, int] = {}
    for event_id, actor_id in db.execute("SELECT DISTINCT event_id, actor_id FROM event_actors"):
        event = events.get(event_id)
        if event is None:
            continue
        spans.setdefault(actor_id, _Span()).add(event.earliest, event.latest)
        counts[actor_id] = counts.get(actor_id, 0) + 1
    return spans, counts


def _node_attrs(actor: queries.ActorRow, span: _Span | None, count: int) -> dict:
    attrs = {
        "label": actor.name, "kind": actor.kind, "country": actor.country,
        "external_id": actor.external_id, "events": count,
    }  # fmt: skip
    if span is not None:
        attrs.update(span.attrs())
    return {k: v for k, v in attrs.items() if v is not None}  # the writers refuse None


def _relationship_attrs(rel: queries.RelationshipRow) -> dict:
    attrs = {
        "label": rel.type, "link": "relationship", "relation": rel.type, "directed": rel.directed,
        "certainty": rel.certainty, "weight": 1,
    }  # fmt: skip
    if rel.earliest is not None:
        attrs["start"] = format_date(rel.earliest, "day")
    if rel.latest is not None:
        attrs["end"] = format_date(rel.latest, "day")
    return attrs


def _cooccurrence_attrs(edge: queries.CoEdge, events: dict) -> dict:
    span = _Span()
    for event_id in edge.event_ids:
        span.add(events[event_id].earliest, events[event_id].latest)
    return {"label": "co-occurrence", "link": "co-occurrence", "directed": False, "weight": edge.count, **span.attrs()}


def build_graph(db, window=(None, None)) -> nx.MultiDiGraph:
    """Actors, stated relationships and co-occurrences in the window. With
    no window every actor is a node; with one, only those in its events or
    relationships."""
    events = {e.id: e for e in queries.events_in_window(db, window)}
    relationships = queries.relationships_in_window(db, window)
    spans, counts = _event_spans(db, events)
    for rel in relationships:
        for actor_id in (rel.from_actor_id, rel.to_actor_id):
            spans.setdefault(actor_id, _Span()).add(rel.earliest, rel.latest)
    graph = nx.MultiDiGraph(name=records.get_meta(db, "title") or "Threadline")
    for actor in queries.list_actors(db):
        if actor.id in spans or not _is_windowed(window):
            graph.add_node(actor.id, **_node_attrs(actor, spans.get(actor.id), counts.get(actor.id, 0)))
    for rel in relationships:
        graph.add_edge(rel.from_actor_id, rel.to_actor_id, key=f"r{rel.id}", **_relationship_attrs(rel))
    for edge in queries.cooccurrence_edges(db, window):
        graph.add_edge(edge.a, edge.b, key=f"c{edge.a}-{edge.b}", **_cooccurrence_attrs(edge, events))
    _make_xml_safe(graph)
    return graph


def _make_xml_safe(graph: nx.MultiDiGraph) -> None:
    """Every text of the graph without what XML 1.0 forbids (GEXF and
    GraphML are XML; a vertical tab in a name made them unreadable)."""
    graph.graph.update({k: xml_safe_value(v) for k, v in graph.graph.items()})
    for _, attrs in graph.nodes(data=True):
        attrs.update({k: xml_safe_value(v) for k, v in attrs.items()})
    for _, _, attrs in graph.edges(data=True):
        attrs.update({k: xml_safe_value(v) for k, v in attrs.items()})
