"""Exporters to other tools (store/exporters): GEXF and GraphML read back
with networkx, the spreadsheet-safe events CSV, TimelineJS round trips,
time windows and atomic writes."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtWidgets import QAbstractButton

from store.atomic_file import AtomicFileError
from store import records
from store.database import memory_database
from store.dates import parse_date
from store.exporters import events_csv, gexf, graphml, timelinejs
from store.exporting import export_path
from store.importers import timelinejs as timelinejs_import
from store.records import Citation, Participation

GEXF_NS = {"g": "http://www.gexf.net/1.2draft"}
MAY_2025 = (parse_date("May 2025").earliest, parse_date("May 2025").latest)


def _window_event_ids(db, window) -> set[int]:
    t0, t1 = window
    return {r[0] for r in db.execute("SELECT id FROM events WHERE latest >= ? AND earliest <= ?", [t0, t1])}


def _pairs(db, event_ids: set[int] | None = None) -> set[tuple[int, int]]:
    """Actor pairs sharing an event, by a query of our own."""
    found: dict[int, set[int]] = {}
    for event_id, actor_id in db.execute("SELECT event_id, actor_id FROM event_actors"):
        if event_ids is None or event_id in event_ids:
            found.setdefault(event_id, set()).add(actor_id)
    return {(a, b) for actors in found.values() for a in actors for b in actors if a < b}


@pytest.fixture
def story(sample):
    """The sample story plus one undirected relationship."""
    a, b = (records.actor_id_by_name(sample, n) for n in ("Marco Rubio", "Scott Bessent"))
    records.add_relationship(sample, a, b, "colleague", directed=False, start="2025-01-28")
    sample.conn.commit()
    return sample


# ---------------------------------------------------------------- GEXF / GraphML

_TYPES = {"boolean": lambda x: x == "true", "integer": int, "long": int, "double": float, "float": float}


def _read_gexf(path: Path) -> nx.MultiDiGraph:
    """A GEXF file read with ElementTree: networkx's reader refuses the
    mixed graphs (per-edge types) that Gephi reads."""
    graph_element = ET.parse(path).getroot().find("g:graph", GEXF_NS)
    titles = {}
    for block in graph_element.iterfind("g:attributes", GEXF_NS):
        for a in block.iterfind("g:attribute", GEXF_NS):
            titles[(block.get("class"), a.get("id"))] = (a.get("title"), a.get("type"))

    def values(element, cls: str) -> dict:
        found = {k: element.get(k) for k in ("label", "start", "end") if element.get(k) is not None}
        for v in element.iterfind("g:attvalues/g:attvalue", GEXF_NS):
            title, kind = titles[(cls, v.get("for"))]
            found[title] = _TYPES.get(kind, str)(v.get("value"))
        return found

    graph = nx.MultiDiGraph()
    for n in graph_element.iterfind("g:nodes/g:node", GEXF_NS):
        graph.add_node(n.get("id"), **values(n, "node"))
    for e in graph_element.iterfind("g:edges/g:edge", GEXF_NS):
        data = values(e, "edge")
        data.update(weight=float(e.get("weight", 1)), type=e.get("type", "directed"))
        graph.add_edge(e.get("source"), e.get("target"), key=e.get("id"), **data)
    return graph


def test_gexf_round_trip(story, tmp_path):
    out = tmp_path / "story.gexf"
    gexf.export_file(story, out)
    graph = _read_gexf(out)
    names = {r[0] for r in story.execute("SELECT name FROM actors")}
    assert {data["label"] for _, data in graph.nodes(data=True)} == names
    relationships = story.execute("SELECT count(*) FROM relationships").fetchone()[0]
    stated = [d for _, _, d in graph.edges(data=True) if d["link"] == "relationship"]
    shared = [d for _, _, d in graph.edges(data=True) if d["link"] == "co-occurrence"]
    assert len(stated) == relationships and len(shared) == len(_pairs(story))
    assert graph.number_of_edges() == relationships + len(_pairs(story))
    colleague = next(d for d in stated if d["relation"] == "colleague")
    assert colleague["directed"] is False and colleague["start"] == "2025-01-28" and "end" not in colleague
    assert all(d["directed"] is True for d in stated if d["relation"] != "colleague")
    assert all(d["directed"] is False and d["weight"] >= 1 for d in shared)
    # shared-event links and undirected relationships are undirected edges; the rest directed
    assert all(d["type"] == "undirected" for d in shared) and colleague["type"] == "undirected"
    assert all(d["type"] == "directed" for d in stated if d["relation"] != "colleague")
    spans = dict(
        story.execute(
            "SELECT a.name, (SELECT json_array(min(e.earliest), max(e.latest)) FROM events e "
            "JOIN event_actors ea ON ea.event_id = e.id WHERE ea.actor_id = a.id) FROM actors a"
        ).fetchall()
    )
    dated = 0
    for _, data in graph.nodes(data=True):
        first, last = json.loads(spans[data["label"]])
        if "start" in data and first is not None:
            assert parse_date(data["start"]).earliest <= first
        if "end" in data and last is not None:
            assert parse_date(data["end"]).latest >= last
            dated += 1
    assert dated > 0


def test_gexf_is_a_dynamic_graph_with_dates(story, tmp_path):
    out = tmp_path / "story.gexf"
    gexf.export_file(story, out)
    root = ET.parse(out).getroot()
    graph = root.find("g:graph", GEXF_NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") == "directed"
    starts = [n.get("start") for n in graph.iterfind("g:nodes/g:node", GEXF_NS) if n.get("start")]
    assert starts and all(len(s) == 10 and s[4] == "-" and s[7] == "-" for s in starts)
    edge_ids = [e.get("id") for e in graph.iterfind("g:edges/g:edge", GEXF_NS)]
    assert len(edge_ids) == len(set(edge_ids)) and all(i[0] in "rc" for i in edge_ids)
    types = {e.get("id")[0]: e.get("type") for e in graph.iterfind("g:edges/g:edge", GEXF_NS) if e.get("id")[0] == "c"}
    assert types == {"c": "undirected"}


def test_graphml_round_trip(story, tmp_path):
    out = tmp_path / "story.graphml"
    graphml.export_file(story, out)
    graph = nx.read_graphml(out)
    assert graph.is_directed()
    names = {r[0] for r in story.execute("SELECT name FROM actors")}
    assert {data["label"] for _, data in graph.nodes(data=True)} == names
    relationships = story.execute("SELECT count(*) FROM relationships").fetchone()[0]
    assert graph.number_of_edges() == relationships + len(_pairs(story))
    colleague = next(d for _, _, d in graph.edges(data=True) if d.get("relation") == "colleague")
    assert colleague["directed"] is False and colleague["start"] == "2025-01-28"
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert "person" in kinds and all(isinstance(d.get("events"), int) for _, d in graph.nodes(data=True))


def test_graph_window_restricts_nodes_and_edges(story, tmp_path):
    out = tmp_path / "may.gexf"
    gexf.export_file(story, out, window=MAY_2025)
    graph = _read_gexf(out)
    in_may = _window_event_ids(story, MAY_2025)
    shared = [d for _, _, d in graph.edges(data=True) if d["link"] == "co-occurrence"]
    assert len(shared) == len(_pairs(story, in_may)) < len(_pairs(story))
    early = (parse_date("2010").earliest, parse_date("2010").latest)
    gexf.export_file(story, out, window=early)
    graph = _read_gexf(out)
    alive = story.execute(
        "SELECT from_actor_id, to_actor_id FROM relationships WHERE earliest IS NULL OR earliest <= ?", [early[1]]
    ).fetchall()
    assert graph.number_of_edges() == len(alive)  # no events in 2010: only relationships alive then
    assert {int(n) for n in graph.nodes} == {a for pair in alive for a in pair}
    everyone = story.execute("SELECT count(*) FROM actors").fetchone()[0]
    assert graph.number_of_nodes() < everyone


# ---------------------------------------------------------------- events CSV

INJECTIONS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)", "\tTabbed", "\rCarriage"]


def _read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_events_csv_neutralises_formulas(tmp_path):
    db = memory_database()
    actor = records.add_actor(db, "=HYPERLINK(\"http://evil\")", "group")
    source = records.add_source(db, publisher="@Press", title="Normal report", url="https://example.org/r")
    for i, text in enumerate(INJECTIONS):
        records.add_event(db, text, f"2020-01-0{i + 1}", summary=text)
    records.add_event(
        db, "Normal title, with “quotes” — and accents é", "2020-02-01", summary="Plain text", location="Paris",
        actors=[Participation(actor, "initiator")], sources=[Citation(source, "=2+2 said")],
    )  # fmt: skip
    out = tmp_path / "events.csv"
    events_csv.export_file(db, out)
    rows = _read_csv(out)
    assert list(rows[0]) == list(events_csv.COLUMNS)
    summaries = {r["summary"] for r in rows}
    for text in INJECTIONS:
        assert "'" + text in summaries
    titles = {r["title"] for r in rows}
    for text in INJECTIONS:
        if text.strip() == text:  # titles are stored stripped
            assert "'" + text in titles
    normal = rows[-1]
    assert normal["title"] == "Normal title, with “quotes” — and accents é"
    assert (normal["summary"], normal["location"], normal["start"], normal["precision"]) == ("Plain text", "Paris", "2020-02-01", "day")
    assert normal["actors"] == "'=HYPERLINK(\"http://evil\") (initiator)"
    assert normal["sources"] == "'@Press — Normal report <https://example.org/r>"
    assert normal["quotes"] == "“=2+2 said” — @Press"
    assert out.read_bytes().count(b"\r\n") == len(rows) + 1


def test_events_csv_carries_the_data_set_and_keeps_codes_as_text(tmp_path):
    from store.importers import icews

    data = tmp_path / "icews.tsv"
    data.write_text(
        "Event ID\tEvent Date\tSource Name\tTarget Name\tCAMEO Code\tEvent Text\n"
        "0007\t2021-03-04\tRuritania\tFreedonia\t040\tConsult\n"
        "1002\t2021-03-05\tRuritania\tFreedonia\t111\tCriticize\n",
        encoding="utf-8",
    )
    db = memory_database()
    icews.import_file(db, data)
    out = tmp_path / "events.csv"
    events_csv.export_file(db, out)
    rows = _read_csv(out)
    assert [(r["dataset"], r["external_id"], r["type"]) for r in rows] == [
        ("ICEWS", '="0007"', '="040"'), ("ICEWS", "1002", "111"),
    ]  # fmt: skip


def test_events_csv_window(sample, tmp_path):
    out = tmp_path / "may.csv"
    events_csv.export_file(sample, out, window=MAY_2025)
    rows = _read_csv(out)
    assert {int(r["id"]) for r in rows} == _window_event_ids(sample, MAY_2025)
    assert 0 < len(rows) < sample.execute("SELECT count(*) FROM events").fetchone()[0]


# ---------------------------------------------------------------- TimelineJS


def test_timelinejs_round_trip_keeps_titles_dates_and_actors(sample, tmp_path):
    out = tmp_path / "story.json"
    timelinejs.export_file(sample, out)
    copy = memory_database()
    report = timelinejs_import.import_file(copy, out)
    assert report.skipped == []
    query = "SELECT title, earliest, latest, certainty FROM events ORDER BY earliest, title"
    assert copy.execute(query).fetchall() == sample.execute(query).fetchall()
    people = "SELECT e.title, a.name, ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id JOIN actors a ON a.id = ea.actor_id ORDER BY 1, 2"
    assert copy.execute(people).fetchall() == sample.execute(people).fetchall()
    assert records.get_meta(copy, "title") == records.get_meta(sample, "title")
    again = timelinejs_import.import_file(sample, out)  # back into the database it came from
    assert again.events_added == 0 and again.actors_added == 0


def test_timelinejs_escapes_html_and_writes_precision(tmp_path):
    db = memory_database()
    records.add_event(db, "<script>alert(1)</script> & co", "May 2025", summary="line one\n<b>line two</b>", type="<i>x</i>")
    records.add_event(db, "Approximate", "c. 2016")
    records.add_event(db, "A range", "2016-2018")
    out = tmp_path / "t.json"
    timelinejs.export_file(db, out)
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    slides = {s["text"]["headline"]: s for s in json.loads(text)["events"]}
    script = slides["&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"]
    assert script["start_date"] == {"year": 2025, "month": 5}
    assert script["text"]["text"] == "line one<br>&lt;b&gt;line two&lt;/b&gt;"
    assert slides["Approximate"]["start_date"] == {"year": 2016, "display_date": "c. 2016"}
    assert slides["A range"]["start_date"]["year"] == 2016 and slides["A range"]["end_date"] == {"year": 2018}
    copy = memory_database()
    timelinejs_import.import_file(copy, out)
    assert copy.execute("SELECT title FROM events WHERE title LIKE '<script>%'").fetchone()[0] == "<script>alert(1)</script> & co"
    bounds = "SELECT earliest, latest FROM events ORDER BY earliest"
    assert copy.execute(bounds).fetchall() == db.execute(bounds).fetchall()


def test_timelinejs_named_periods_keep_their_span_and_their_words(tmp_path):
    """"the 1990s", "winter 2024", "Q2 2025" were written as their first
    year or month alone: a reader saw 1990, December 2024, April 2025. They
    span from their first to their last unit, shown in the words written,
    and come back as written."""
    db = memory_database()
    for title, when in (("Decade", "the 1990s"), ("Winter", "winter 2024"), ("Quarter", "Q2 2025"),
                        ("Half", "the first half of 2025"), ("Spring", "spring 2025"), ("Month", "May 2025")):
        records.add_event(db, title, when)
    out = tmp_path / "t.json"
    timelinejs.export_file(db, out)
    slides = {s["text"]["headline"]: s for s in json.loads(out.read_text(encoding="utf-8"))["events"]}
    assert slides["Decade"]["start_date"] == {"year": 1990, "display_date": "the 1990s"}
    assert slides["Decade"]["end_date"] == {"year": 1999}
    assert slides["Winter"]["start_date"] == {"year": 2024, "month": 12, "display_date": "winter 2024"}
    assert slides["Winter"]["end_date"] == {"year": 2025, "month": 2}
    assert (slides["Quarter"]["start_date"]["month"], slides["Quarter"]["end_date"]["month"]) == (4, 6)
    assert slides["Month"]["start_date"] == {"year": 2025, "month": 5} and "end_date" not in slides["Month"]
    copy = memory_database()
    timelinejs_import.import_file(copy, out)
    bounds = "SELECT title, \"end\", earliest, latest FROM events ORDER BY title"
    assert copy.execute(bounds).fetchall() == db.execute(bounds).fetchall()
    words = "SELECT title, start FROM events WHERE title != 'Month' ORDER BY title"
    assert copy.execute(words).fetchall() == db.execute(words).fetchall()


def test_timelinejs_media_only_for_images_and_video_and_links_for_articles(tmp_path):
    db = memory_database()
    article = records.add_source(db, publisher="Wire & Co", title="The report", url="https://news.example.org/story/1")
    picture = records.add_source(db, publisher="Photo desk", url="https://img.example.org/a/photo.JPG")
    video = records.add_source(db, publisher="Clips", url="https://www.youtube.com/watch?v=abc")
    hostile = records.add_source(db, publisher="Bad", url='https://x.example.org/a.png"><script>alert(1)</script>')
    records.add_event(db, "With a picture", "2020-01-01", sources=[Citation(article), Citation(picture)])
    records.add_event(db, "With a video", "2020-01-02", sources=[Citation(video)])
    records.add_event(db, "Article only", "2020-01-03", summary="What happened.", sources=[Citation(article)])
    records.add_event(db, "Hostile", "2020-01-04", sources=[Citation(hostile)])
    out = tmp_path / "t.json"
    timelinejs.export_file(db, out)
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text
    slides = {s["text"]["headline"]: s for s in json.loads(text)["events"]}
    assert slides["With a picture"]["media"]["url"] == "https://img.example.org/a/photo.JPG"
    assert slides["With a picture"]["text"]["text"] == (
        '<p>Source: <a href="https://news.example.org/story/1">Wire &amp; Co — The report</a></p>'
    )
    assert slides["With a video"]["media"]["url"] == "https://www.youtube.com/watch?v=abc"
    assert "media" not in slides["Article only"]
    assert slides["Article only"]["text"]["text"] == (
        'What happened.<p>Source: <a href="https://news.example.org/story/1">Wire &amp; Co — The report</a></p>'
    )
    assert "media" not in slides["Hostile"] and "<a" not in slides["Hostile"]["text"]["text"]
    # our importer reads the summary and the sources back, not the links' text
    copy = memory_database()
    timelinejs_import.import_file(copy, out)
    assert copy.execute("SELECT summary FROM events WHERE title = 'Article only'").fetchone() == ("What happened.",)
    cited = copy.execute(
        "SELECT s.publisher, s.url FROM event_sources es JOIN sources s ON s.id = es.source_id "
        "JOIN events e ON e.id = es.event_id WHERE e.title = 'With a picture' ORDER BY s.id"
    ).fetchall()
    assert cited == [("Wire & Co", "https://news.example.org/story/1"), ("Photo desk", "https://img.example.org/a/photo.JPG")]


def test_timelinejs_window(sample, tmp_path):
    out = tmp_path / "may.json"
    timelinejs.export_file(sample, out, window=MAY_2025)
    slides = json.loads(out.read_text(encoding="utf-8"))["events"]
    assert len(slides) == len(_window_event_ids(sample, MAY_2025))


# ---------------------------------------------------------------- dispatch and atomic writes


@pytest.mark.parametrize("fmt, name", [("gexf", "g.gexf"), ("graphml", "g.graphml"), ("events-csv", "e.csv"), ("timelinejs", "t.json")])
def test_export_path_dispatches(sample, tmp_path, fmt, name):
    folder = tmp_path / "out"
    folder.mkdir()
    export_path(sample, fmt, folder / name)
    assert (folder / name).stat().st_size > 0
    assert [p.name for p in folder.iterdir()] == [name]


def test_an_unknown_format_is_an_export_error_not_an_import_error(sample, tmp_path):
    from store.interchange import ExportError, ImportError_, InterchangeError

    with pytest.raises(ExportError, match="the 'pajek' exporter is not available yet") as err:
        export_path(sample, "pajek", tmp_path / "g.net")
    assert not isinstance(err.value, ImportError_)
    assert isinstance(err.value, InterchangeError)  # the command line's one-line handler catches it
    assert not (tmp_path / "g.net").exists()


def test_failed_gexf_export_leaves_the_old_file(sample, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "story.gexf"
    out.write_text("the old export", encoding="utf-8")

    def half_written(graph, path, **kwargs):
        Path(path).write_text("<gexf", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(nx, "write_gexf", half_written)
    with pytest.raises(AtomicFileError, match="could not be written: disk full"):
        gexf.export_file(sample, out)
    assert out.read_text(encoding="utf-8") == "the old export"
    assert [p.name for p in out.parent.iterdir()] == ["story.gexf"]


def test_failed_csv_export_leaves_the_old_file(sample, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "events.csv"
    out.write_text("the old export", encoding="utf-8")
    real = events_csv.queries.events_in_window

    def then_fail(db, window):
        yield from real(db, window)[:3]
        raise RuntimeError("lost the database")

    monkeypatch.setattr(events_csv.queries, "events_in_window", then_fail)
    with pytest.raises(RuntimeError):
        events_csv.export_file(sample, out)
    assert out.read_text(encoding="utf-8") == "the old export"
    assert [p.name for p in out.parent.iterdir()] == ["events.csv"]


def test_an_exported_graph_carries_none_of_the_panels_controls(qtbot, sample_db):
    """The PNG is a picture of the network: the check boxes and filters a
    person uses on screen are not in it (the window's own panel keeps them)."""
    from gui.graph.panel import GraphPanel
    from gui.session import Session
    from gui.theme import Palette

    session = Session.open(sample_db, read_only=True)
    on_screen = GraphPanel(session, Palette(dark=False))
    printed = GraphPanel(session, Palette(dark=False))
    qtbot.addWidget(on_screen)
    qtbot.addWidget(printed)
    printed.for_print()
    for panel in (on_screen, printed):
        panel.resize(900, 600)
        panel.show()
    controls = ("Stated relationships", "Shared events", "Hide unlinked", "Link types")
    shown = lambda panel: {w.text() for w in panel.findChildren(QAbstractButton) if w.isVisible()}  # noqa: E731
    assert set(controls) <= shown(on_screen)
    assert not set(controls) & shown(printed)
    session.close()


def test_export_png_of_the_graph_grabs_it_without_its_controls(qtbot, sample_db, monkeypatch):
    from gui import export
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    visible_at_grab = []
    original = GraphPanel.grab

    def grab(panel):
        visible_at_grab.append({w.text() for w in panel.findChildren(QAbstractButton) if w.isVisibleTo(panel)})
        return original(panel)

    monkeypatch.setattr(GraphPanel, "grab", grab)
    session = Session.open(sample_db, read_only=True)
    image = export.render_graph(session, 1200, 800)
    assert image.width() == 1200 and image.height() == 800
    assert visible_at_grab == [set()]
    session.close()


def test_events_csv_keeps_what_a_relative_date_was_read_as(story, tmp_path):
    db = story
    event = records.add_event(db, "Said last week", "last Friday", reference="6 May 2025")
    out = tmp_path / "events.csv"
    export_path(db, "events-csv", out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == str(event))
    assert row["start"] == "last Friday"  # as written
    assert row["reference"] == "6 May 2025"
    assert row["earliest"] == "2025-05-02T00:00:00Z" and row["latest"] == "2025-05-02T23:59:59Z"
