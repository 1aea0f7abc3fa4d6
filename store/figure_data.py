"""What a published figure shows, as plain data: no Qt, no window state.

A figure (PNG, SVG, PDF or the interactive HTML page) is built from one
``FigureData``: the events of a time window among chosen actors, with their
dates as written, actors, roles, sources and quotes; the actors as lanes in
the timeline's order; the links between them (shared events and stated
relationships alive in the window); graph positions from a seeded layout,
so the same file and options always give the same figure; and the
publishers behind the events, for the "Sources:" line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from . import queries
from .records import get_meta
from .timeline_data import KIND_ORDER
from .view_model.date_ticks import describe_window

# A figure draws every event it holds; past this it is no longer a figure.
MAX_FIGURE_EVENTS = 50_000
# One distinct colour per relationship type present (Okabe-Ito, then Paul
# Tol's muted scheme: colour-blind safe), so a legend never repeats a colour.
RELATION_COLOURS = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733",
    "#332288", "#AA4499", "#44AA99", "#999933", "#6F4E37", "#7F7F7F",
)


def relation_colour_names(types) -> dict[str, str]:
    return {t: RELATION_COLOURS[i % len(RELATION_COLOURS)] for i, t in enumerate(sorted(types))}


class FigureError(ValueError):
    """A figure that cannot be made as asked, in one line."""


@dataclass(frozen=True)
class FigureActor:
    id: int
    name: str
    kind: str
    colour: str | None
    title: str | None
    count: int  # events in the figure


@dataclass(frozen=True)
class FigureSource:
    publisher: str | None
    title: str | None
    url: str | None
    date: str | None
    quote: str | None
    name: str = ""  # how the "Sources:" line names it: see _source_name


def _source_name(*candidates) -> str:
    """A source by what it has: its publisher (or its document's), else its
    title (or its document's), else the document's file name, else its address."""
    for value in candidates:
        if value and str(value).strip():
            return " ".join(str(value).split())
    return "an unnamed source"


@dataclass(frozen=True)
class FigureEvent:
    id: int
    title: str
    summary: str | None
    start: str  # as written
    end: str | None
    earliest: int
    latest: int
    start_latest: int
    end_earliest: int
    precision: str
    approximate: bool
    certainty: str
    type: str | None
    location: str | None
    actors: tuple[tuple[int, str], ...]  # (actor id, role)
    sources: tuple[FigureSource, ...] = ()

    @property
    def shape(self) -> str:
        """'point' (known to the day or better), 'bar' (a stated end) or 'span' (an uncertain date)."""
        if self.end:
            return "bar"
        if self.approximate or self.latest - self.earliest > 86_400:
            return "span"
        return "point"

    @property
    def when(self) -> str:
        return f"{self.start} to {self.end}" if self.end else self.start


@dataclass(frozen=True)
class FigureLink:
    a: int
    b: int
    count: int  # shared events
    event_ids: tuple[int, ...]


@dataclass(frozen=True)
class FigureRelationship:
    id: int
    source: int
    target: int
    type: str
    directed: bool
    certainty: str
    start: str | None
    end: str | None
    notes: str | None
    event_ids: tuple[int, ...]
    earliest: int | None = None  # None: open (alive since ever / still)
    latest: int | None = None


@dataclass
class FigureData:
    story_title: str
    window: tuple[int, int]
    actors: list[FigureActor]  # lanes, top to bottom
    events: list[FigureEvent]  # by earliest bound
    links: list[FigureLink]
    relationships: list[FigureRelationship]
    positions: dict[int, tuple[float, float]]  # actor id -> (x, y) in [0, 1]
    highlight_actors: frozenset[int] = frozenset()
    highlight_events: frozenset[int] = frozenset()
    publishers: list[str] = field(default_factory=list)  # every cited source by name (publisher, else title...)
    search: str = ""  # the words the events were found by, if any

    def actor(self, actor_id: int) -> FigureActor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    @property
    def relationship_types(self) -> list[str]:
        return sorted({r.type for r in self.relationships})

    @property
    def kinds(self) -> list[str]:
        present = {a.kind for a in self.actors}
        return [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))

    def highlighted_event_ids(self) -> frozenset[int]:
        """What a highlight lights up: the chosen events, and every event of the chosen actors."""
        if not self.highlight_actors:
            return self.highlight_events
        return self.highlight_events | {e.id for e in self.events if any(a in self.highlight_actors for a, _ in e.actors)}

    def highlighted_actor_ids(self) -> frozenset[int]:
        if self.highlight_actors:
            return self.highlight_actors
        return frozenset(a for e in self.events if e.id in self.highlight_events for a, _ in e.actors)


def legend_items(data: FigureData, view: str = "both") -> list[tuple[str, str, str]]:
    """What a figure's legend says, as (symbol, label, key): every style the
    figure draws and nothing it does not, the same for PNG, SVG, PDF and
    HTML. ``key`` names the colour: an actor kind for a swatch, a
    relationship type for an arrow, else ''."""
    items = [("swatch", k, k) for k in data.kinds]
    if view in ("timeline", "both") and data.events:
        present = {e.certainty for e in data.events}
        items += [(c, c, "") for c in ("confirmed", "reported", "claimed", "contested") if c in present]
        shapes = {e.shape for e in data.events}
        if "span" in shapes or "bar" in shapes:
            items.append(("span", "date uncertain within span", ""))
        if "bar" in shapes:
            items.append(("bar", "lasting event", ""))
        if any(len({a for a, _ in e.actors}) > 1 for e in data.events):
            items.append(("link", "same event", ""))
    if view in ("graph", "both"):
        if data.links:
            items.append(("line", "shared events (thicker: more)", ""))
        items += [("arrow", t, t) for t in data.relationship_types]
        if any(r.certainty in ("claimed", "contested") for r in data.relationships):
            items.append(("dashed", "claimed or contested", ""))
    if data.highlight_actors or data.highlight_events:
        items.append(("ring", "highlighted", ""))
    return items


SOURCES_LISTED = 15  # sources named in a "Sources:" line; past it, the most cited and a count


def sources_line(publishers: list[str]) -> str:
    """'Sources: A; B; C', most cited first; a long list names the 12 most cited and counts the rest."""
    if not publishers:
        return ""
    if len(publishers) <= SOURCES_LISTED:
        return "Sources: " + "; ".join(publishers)
    shown = SOURCES_LISTED - 3
    return f"Sources: {'; '.join(publishers[:shown])}; and {len(publishers) - shown} others"


def story_title(db: Database, path: str | Path | None) -> str:
    """The title stored with the story (File > Story properties), else the file's name."""
    return get_meta(db, "title") or (Path(path).stem if path else "Untitled story")


def _rows_in_window(db: Database, sql: str, window) -> list:
    t0, t1 = window
    return db.execute(sql, [int(t1), int(t0)]).fetchall()


def figure_data(db: Database, window: tuple[int, int], *, path=None, actor_ids=None, lane_order=None,
                hidden=(), highlight_actors=(), highlight_events=(), event_ids=None, search: str = "") -> FigureData:
    """Everything a figure of ``window`` shows. ``actor_ids`` limits it to
    those actors (and their events); ``lane_order`` orders lanes (default:
    people first, countries last, busiest first); ``hidden`` drops lanes;
    ``event_ids`` keeps only those events (what a ``search`` found)."""
    t0, t1 = int(window[0]), int(window[1])
    if t1 <= t0:
        raise FigureError("the figure's window must end after it starts")
    allowed = None if actor_ids is None else {int(a) for a in actor_ids}
    hidden = {int(a) for a in hidden}
    events = queries.events_in_window(db, (t0, t1), actor_ids=allowed)
    if event_ids is not None:
        wanted = {int(e) for e in event_ids}
        events = [ev for ev in events if ev.id in wanted]
    if len(events) > MAX_FIGURE_EVENTS:
        raise FigureError(f"{len(events):,} events are in this window; a figure draws at most "
                          f"{MAX_FIGURE_EVENTS:,}: choose a shorter window or fewer actors")
    where = "e.earliest <= ? AND e.latest >= ?"
    roles: dict[int, list[tuple[int, str]]] = {}
    for eid, aid, role in _rows_in_window(db, (
            "SELECT ea.event_id, ea.actor_id, ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id "
            f"WHERE {where} ORDER BY ea.event_id, CASE ea.role WHEN 'initiator' THEN 0 WHEN 'target' THEN 1 "
            "WHEN 'participant' THEN 2 ELSE 3 END, ea.actor_id"), (t0, t1)):
        roles.setdefault(eid, []).append((aid, role))
    sources: dict[int, list[FigureSource]] = {}
    # a source stored from a document may name nothing itself: the document's own fields name it
    with_docs = db["documents"].exists() and "document_id" in db["sources"].columns_dict
    doc_cols = "d.publisher, d.title, d.filename" if with_docs else "NULL, NULL, NULL"
    doc_join = "LEFT JOIN documents d ON d.id = s.document_id " if with_docs else ""
    for eid, publisher, title, url, date, quote, d_pub, d_title, d_file in _rows_in_window(db, (
            f"SELECT es.event_id, s.publisher, s.title, s.url, s.date, es.quote, {doc_cols} FROM event_sources es "
            f"JOIN sources s ON s.id = es.source_id {doc_join}JOIN events e ON e.id = es.event_id WHERE {where} "
            "ORDER BY es.event_id, s.id"), (t0, t1)):
        sources.setdefault(eid, []).append(FigureSource(
            publisher, title, url, date, quote, _source_name(publisher, d_pub, title, d_title, d_file, url)))
    shown_events = []
    counts: dict[int, int] = {}
    for ev in events:
        cast = tuple((a, r) for a, r in roles.get(ev.id, ()) if a not in hidden and (allowed is None or a in allowed))
        if not cast:
            continue
        for a, _ in cast:
            counts[a] = counts.get(a, 0) + 1
        shown_events.append(FigureEvent(
            ev.id, ev.title, ev.summary, ev.start, ev.end, ev.earliest, ev.latest, ev.start_latest,
            ev.end_earliest, ev.precision, ev.approximate, ev.certainty, ev.type, ev.location, cast,
            tuple(sources.get(ev.id, ())),
        ))
    actor_rows = {a.id: a for a in queries.list_actors(db) if a.id in counts}
    first_seen: dict[int, int] = {}
    for ev in shown_events:
        for a, _ in ev.actors:
            first_seen.setdefault(a, ev.earliest)
    order = {int(a): i for i, a in enumerate(lane_order or ())}

    def lane_key(aid):
        row = actor_rows[aid]
        if aid in order:
            return (0, order[aid], 0, 0, "")
        return (1, KIND_ORDER.get(row.kind, 50), -counts[aid], first_seen[aid], row.name)

    actors = [
        FigureActor(aid, actor_rows[aid].name, actor_rows[aid].kind, actor_rows[aid].colour, actor_rows[aid].title, counts[aid])
        for aid in sorted(actor_rows, key=lane_key)
    ]
    shown = {a.id for a in actors}
    # the one co-occurrence rule of the screen and the GEXF/GraphML exports
    links = [FigureLink(e.a, e.b, e.count, e.event_ids) for e in queries.cooccurrence_edges(db, (t0, t1))
             if e.a in shown and e.b in shown]
    relationships = [
        FigureRelationship(r.id, r.from_actor_id, r.to_actor_id, r.type, r.directed, r.certainty, r.start, r.end,
                           r.notes, r.event_ids, r.earliest, r.latest)
        for r in queries.relationships_in_window(db, (t0, t1))
        if r.from_actor_id in shown and r.to_actor_id in shown and r.from_actor_id != r.to_actor_id
    ]
    publisher_counts: dict[str, int] = {}
    for ev in shown_events:
        for pub in {s.name for s in ev.sources}:
            publisher_counts[pub] = publisher_counts.get(pub, 0) + 1
    publishers = sorted(publisher_counts, key=lambda p: (-publisher_counts[p], p.casefold()))
    return FigureData(
        story_title=story_title(db, path),
        window=(t0, t1),
        actors=actors,
        events=shown_events,
        links=links,
        relationships=relationships,
        positions=graph_positions([a.id for a in actors], links, relationships),
        highlight_actors=frozenset(int(a) for a in highlight_actors if int(a) in shown),
        highlight_events=frozenset(int(e) for e in highlight_events),
        publishers=publishers,
        search=search,
    )


def search_phrase(search: str) -> str:
    """' · events matching “WORDS”' when only what a search finds is drawn: every picture of a search says so."""
    return f" · events matching “{search}”" if search else ""


def default_subtitle(data: FigureData) -> str:
    """The window as a reader reads it, and the words the events were found by."""
    return describe_window(data.window, long_months=True) + search_phrase(data.search)


def graph_positions(nodes: list[int], links: list[FigureLink], relationships: list[FigureRelationship]) -> dict:
    """Seeded force-directed positions in the unit square: the same input always gives the same places."""
    import networkx as nx

    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.5, 0.5)}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    for link in links:
        graph.add_edge(link.a, link.b, weight=1.0 + math.log1p(link.count))
    for rel in relationships:
        a, b = sorted((rel.source, rel.target))
        weight = graph[a][b]["weight"] + 1.0 if graph.has_edge(a, b) else 1.5
        graph.add_edge(a, b, weight=weight)
    # each connected part laid out on its own, then the parts packed in rows,
    # biggest first: one layout of them all pushes small parts to the rim and
    # squeezes the main one into the middle
    parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    placed: dict[int, tuple[float, float]] = {}
    row_width = math.sqrt(len(nodes)) * 1.3
    x = y = row_h = 0.0
    for part in parts:
        side = math.sqrt(len(part))
        if x > 0 and x + side > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        if len(part) == 1:
            local = {part[0]: (0.5, 0.5)}
        else:
            local = _unit(_part_positions(graph.subgraph(part), part))
        pad = 0.12 if len(part) > 1 else 0.0
        for n, (px, py) in local.items():
            placed[int(n)] = (x + (pad + px * (1 - 2 * pad)) * side, y + (pad + py * (1 - 2 * pad)) * side)
        x += side
        row_h = max(row_h, side)
    return {n: (round(px, 6), round(py, 6)) for n, (px, py) in _unit(placed).items()}


def _part_positions(sub, part: list[int]) -> dict:
    """The window's own force-directed layout (``store.force_layout``: numpy
    only, deterministic, a grid for big parts) of one connected part."""
    import numpy as np

    from .force_layout import compute_positions

    index = {node: i for i, node in enumerate(part)}
    edges = [(index[a], index[b], d["weight"]) for a, b, d in sub.edges(data=True)]
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=np.float64)
    positions = compute_positions(len(part), a, b, w)
    return {node: (float(positions[i, 0]), float(positions[i, 1])) for node, i in index.items()}


def _unit(points: dict) -> dict:
    """Points scaled into the unit square (each axis on its own), by id."""
    xs = [float(p[0]) for p in points.values()]
    ys = [float(p[1]) for p in points.values()]
    x0, y0 = min(xs), min(ys)
    sx, sy = max(xs) - x0, max(ys) - y0
    return {n: ((float(p[0]) - x0) / sx if sx > 1e-9 else 0.5, (float(p[1]) - y0) / sy if sy > 1e-9 else 0.5)
            for n, p in points.items()}
