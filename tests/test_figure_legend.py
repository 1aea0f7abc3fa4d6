"""A figure says what it draws: its legend names every style drawn and
nothing else, in every format; its "Sources:" line names every source cited;
its marks are whole at the window's ends."""

from __future__ import annotations

import html as html_lib
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_figure import browse, svg_texts

from main import main

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("legend") / "sample.db"
    assert main(["sample", "--out", str(path)]) == 0
    return path


def csv_story(tmp_path, name: str, rows: str) -> Path:
    """A story imported from CSV, as a person would make one: rows of date,title,actor,certainty."""
    csv_file = tmp_path / f"{name}.csv"
    csv_file.write_text("date,title,actor,certainty\n" + rows, encoding="utf-8")
    db = tmp_path / f"{name}.db"
    assert main(["import", str(db), str(csv_file), "--format", "csv", "--map", "date=date", "title=title",
                 "actor=actor", "certainty=certainty"]) == 0
    return db


def html_legend(out: Path, tmp_path) -> list[str]:
    """The legend chromium shows: the label of each entry, in order."""
    dom = browse(out, tmp_path, "--dump-dom")
    assert not re.search(r"<body[^>]*data-errors", dom)
    box = re.search(r'<div id="legend">(.*?)</div>', dom, re.S).group(1)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", s)).strip() for s in re.findall(r"<span>(.*?)</span>", box, re.S)]


def drawn_legend(db: Path, view: str = "both") -> list[str]:
    from gui.figure.options import FigureOptions
    from gui.figure.render import render_image
    from store.database import open_database
    from store.figure_data import figure_data

    con = open_database(str(db), readonly=True)
    lo, hi = con.execute("SELECT min(earliest), max(latest) FROM events").fetchone()
    _, result = render_image(figure_data(con, (lo, hi), path=db), FigureOptions(view=view), scale=0.5)
    return result.texts("legend")


def test_the_html_legend_is_the_images_and_names_every_style_drawn(qapp, sample, tmp_path):
    """The sample draws reported events and grey shared-events links: the
    HTML legend named neither (and listed a fixed set of certainties)."""
    con = sqlite3.connect(sample)
    certainties = {r[0] for r in con.execute("SELECT DISTINCT certainty FROM events")}
    con.close()
    assert {"reported", "claimed", "contested", "confirmed"} <= certainties
    out = tmp_path / "sample.html"
    assert main(["export-figure", str(sample), "--out", str(out)]) == 0
    shown = html_legend(out, tmp_path)
    for label in ("reported", "confirmed", "claimed", "contested", "shared events (thicker: more)", "same event",
                  "date uncertain within span"):
        assert label in shown, f"the HTML legend lacks '{label}': {shown}"
    assert shown == drawn_legend(sample)  # the same legend as the PNG, SVG and PDF
    svg = tmp_path / "sample.svg"
    assert main(["export-figure", str(sample), "--out", str(svg)]) == 0
    texts = svg_texts(svg)
    assert all(label in texts for label in shown)
    # a timeline alone draws no graph links, and says nothing of them
    assert main(["export-figure", str(sample), "--out", str(out), "--view", "timeline"]) == 0
    alone = html_legend(out, tmp_path)
    assert "reported" in alone and "shared events (thicker: more)" not in alone


def test_nothing_in_the_legend_that_is_not_drawn(qapp, tmp_path):
    db = csv_story(tmp_path, "plain", "2025-05-01,Meeting,Ana Silva,confirmed\n2025-05-03,Call,Ana Silva,confirmed\n"
                                      "2025-05-06,Visit,Ana Silva,confirmed\n")
    out = tmp_path / "plain.html"
    assert main(["export-figure", str(db), "--out", str(out)]) == 0
    shown = html_legend(out, tmp_path)
    assert "confirmed" in shown
    for label in ("claimed", "contested", "reported", "shared events (thicker: more)", "same event",
                  "date uncertain within span"):
        assert label not in shown, f"'{label}' is in the legend but nothing is drawn so"
    assert shown == drawn_legend(db)


def test_events_at_the_windows_end_are_drawn_whole_in_the_html_figure(qapp, tmp_path):
    """Eight years of events, the last on the window's last day: its mark
    sat on the plot's right edge, cut in half."""
    db = csv_story(tmp_path, "long", "2017-01-01,First contract,Greenline,confirmed\n"
                                     "2021-06-01,Renewal,Greenline,confirmed\n"
                                     "2025-05-03,Tanker docks,Greenline,confirmed\n")
    out = tmp_path / "long.html"
    assert main(["export-figure", str(db), "--out", str(out)]) == 0
    dom = browse(out, tmp_path, "--dump-dom", "--window-size=1600,1000")
    canvas = re.search(r'<canvas id="timeline"[^>]*>', dom).group(0)
    assert 'data-drawn="3"' in canvas
    assert 'data-cut="0"' in canvas, canvas


def _add_source(db: Path, event_title: str, **fields) -> None:
    con = sqlite3.connect(db)
    cols = ", ".join(fields)
    sid = con.execute(f"INSERT INTO sources ({cols}) VALUES ({', '.join('?' * len(fields))})",
                      list(fields.values())).lastrowid
    eid = con.execute("SELECT id FROM events WHERE title = ?", [event_title]).fetchone()[0]
    con.execute("INSERT INTO event_sources (event_id, source_id) VALUES (?, ?)", [eid, sid])
    con.commit()
    con.close()


def test_the_sources_line_names_sources_without_a_publisher(qapp, tmp_path):
    """Three events cite a newspaper, an article known by its title, and a
    PDF kept in the story with no title or publisher: all three are named."""
    db = csv_story(tmp_path, "cited", "2025-02-18,Council votes,Northbridge Council,confirmed\n"
                                      "2025-02-20,Mayor speaks,Northbridge Council,reported\n"
                                      "2025-05-03,Tanker docks,Kestrel Shipping,confirmed\n")
    pdf = Path(__file__).parent / "fixtures" / "web-print" / "port-strike-1-page.pdf"
    assert main(["add-document", str(db), str(pdf)]) == 0
    con = sqlite3.connect(db)
    doc = con.execute("SELECT id FROM documents").fetchone()[0]
    con.execute("UPDATE documents SET title = NULL, publisher = NULL WHERE id = ?", [doc])
    con.commit()
    con.close()
    _add_source(db, "Council votes", publisher="The Northbridge Echo", title="Council votes to suspend contract")
    _add_source(db, "Mayor speaks", title="Mayor seeks repayment")
    _add_source(db, "Tanker docks", document_id=doc)
    expected = "Sources: Mayor seeks repayment; port-strike-1-page.pdf; The Northbridge Echo"  # most cited first, then A-Z
    for fmt in ("svg", "html", "pdf"):
        out = tmp_path / f"cited.{fmt}"
        assert main(["export-figure", str(db), "--out", str(out)]) == 0
        if fmt == "svg":
            text = " ".join(svg_texts(out))
        elif fmt == "html":
            text = html_lib.unescape(out.read_text(encoding="utf-8"))
        else:
            import subprocess

            text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
            text = " ".join(text.split())
        for name in ("The Northbridge Echo", "Mayor seeks repayment", "port-strike-1-page.pdf"):
            assert name in text, f"{fmt}: '{name}' is not named: {expected}"
    assert expected in " ".join(svg_texts(tmp_path / "cited.svg"))


# ---------------------------------------------------------------- graph names beside their own nodes

GDELT = Path(__file__).parents[2] / "shared" / "data" / "gdelt1_events_sample_20160728.tsv"


@pytest.fixture(scope="module")
def gdelt(tmp_path_factory) -> Path:
    assert GDELT.exists(), f"real data file {GDELT} is not there (shared/data must sit beside the checkout)"
    db = tmp_path_factory.mktemp("gdelt") / "gdelt.db"
    assert main(["import", str(db), str(GDELT), "--format", "gdelt"]) == 0
    return db


def _ambiguous(names, nodes, clearance: float, ratio: float = 2.0) -> list[str]:
    """Names that cover a node, or that some other node is about as near to as their own.
    ``names``: (actor id, text, left, top, right, bottom); ``nodes``: actor id -> (x, y, radius)."""
    import math

    def dist(x, y, box):
        left, top, right, bottom = box
        return math.hypot(max(left - x, 0, x - right), max(top - y, 0, y - bottom))

    wrong = []
    for owner, text, *box in names:
        x, y, r = nodes[owner]
        own = max(dist(x, y, box) - r, 0.0)
        for other, (ox, oy, orad) in nodes.items():
            if other != owner and dist(ox, oy, box) - orad < max(ratio * own, clearance) - 0.01:
                wrong.append(f"'{text}' is {dist(ox, oy, box) - orad:.1f} from another node, {own:.1f} from its own")
                break
    return wrong


def _image_names(db, preset, view, window=None):
    from gui.figure.options import FigureOptions
    from gui.figure.render import render_image
    from store.database import open_database
    from store.dates import parse_date
    from store.figure_data import figure_data

    con = open_database(str(db), readonly=True)
    if window:
        window = (parse_date(window[0]).earliest, parse_date(window[1]).latest)
    else:
        window = con.execute("SELECT min(earliest), max(latest) FROM events").fetchone()
    options = FigureOptions(view=view, preset=preset)
    _, result = render_image(figure_data(con, window, path=db), options, scale=0.3)
    names = [(d.owner, d.text, d.rect.left(), d.rect.top(), d.rect.right(), d.rect.bottom())
             for d in result.drawn if d.role == "node"]
    return names, result.discs, options.text_px


@pytest.mark.parametrize("preset", ["a4", "article", "slide"])
def test_graph_names_sit_beside_their_own_node_in_the_image(qapp, gdelt, sample, preset):
    """The GDELT day lays a row of actors with no links under the network:
    'Appeals Court (country not given)' floated above five dots, and on an
    A4 page a name sat between two nodes, its halo cutting into one."""
    for db, window in ((gdelt, ("2016-07-27", "2016-07-28")), (sample, None)):
        names, nodes, px = _image_names(db, preset, "both", window)
        assert len(names) >= 10
        assert not _ambiguous(names, nodes, px * 0.8 * 0.999)


def test_graph_names_sit_beside_their_own_node_in_the_html_figure(qapp, gdelt, tmp_path):
    import json

    out = tmp_path / "gdelt.html"
    assert main(["export-figure", str(gdelt), "--out", str(out), "--start", "2016-07-27", "--end", "2016-07-28"]) == 0
    dom = browse(out, tmp_path, "--dump-dom", "--window-size=1600,1000")
    layout = json.loads(html_lib.unescape(re.search(r'<canvas id="graph"[^>]*data-layout="([^"]*)"', dom).group(1)))
    nodes = {n[0]: (n[1], n[2], n[3]) for n in layout["nodes"]}
    names = [(owner, str(owner), *box) for owner, *box in layout["names"]]
    assert len(names) >= 10
    assert not _ambiguous(names, nodes, 10)


# ---------------------------------------------------------------- export-png: titles stay readable

WIKITIMES = Path(__file__).parents[2] / "shared" / "data" / "wikitimes_CEP_2015-09.json"


def test_export_png_draws_no_marker_on_a_title(qapp, tmp_path):
    """A month of WikiTimes at 1600 x 900: later markers sat on the titles
    of earlier events. Each title ends before the next mark in its way, on a
    halo the lines joining an event's lanes pass beneath; the PNG is written
    by the same drawing."""
    import numpy as np

    from gui.export import _timeline_for_print
    from gui.session import Session

    assert WIKITIMES.exists(), f"real data file {WIKITIMES} is not there (shared/data must sit beside the checkout)"
    db = tmp_path / "wiki.db"
    assert main(["import", str(db), str(WIKITIMES), "--format", "wikitimes"]) == 0
    out = tmp_path / "wiki.png"
    assert main(["export-png", str(db), "--out", str(out), "--width", "1600", "--height", "900"]) == 0
    session = Session.open(str(db), read_only=True)
    try:
        lo, hi = session.data.time_range
        with _timeline_for_print(session, 1600, 900, (lo, hi), None) as widget:
            widget.grab()
            titles = widget.lanes._titles.last_drawn
            marks = widget.lanes._detail.last_marks
    finally:
        session.close()
    assert len(titles) >= 40, f"only {len(titles)} titles"
    left, top, right, bottom = (np.concatenate([m[k] for m in marks]) for k in range(4))
    assert len(left) > 500
    covered = []
    for text, box in titles:
        hit = (left < box.right() - 1) & (right > box.left() + 1) & (top < box.bottom() - 1) & (bottom > box.top() + 1)
        if hit.any():
            covered.append(text)
    assert not covered, f"{len(covered)} titles have a mark on them: {covered[:5]}"


# ---------------------------------------------------------------- a saved view: its window, and its search said

def _saved_search_view(sample, tmp_path) -> tuple[Path, tuple[int, int]]:
    import shutil

    from store import views
    from store.database import open_database
    from store.dates import parse_date

    copy = tmp_path / "views.db"
    shutil.copy(sample, copy)
    window = (parse_date("1 April 2025").earliest, parse_date("31 May 2025").latest)
    db = open_database(str(copy))
    views.save_view(db, "Fentanyl in spring", {"search": "fentanyl", "window": list(window)})
    db.conn.close()
    return copy, window


def test_export_figure_uses_the_saved_views_window(qapp, sample, tmp_path):
    db, _ = _saved_search_view(sample, tmp_path)
    out = tmp_path / "view.svg"
    assert main(["export-figure", str(db), "--out", str(out), "--view-name", "Fentanyl in spring"]) == 0
    assert "1 April 2025 – 31 May 2025 · events matching “fentanyl”" in svg_texts(out)


def test_export_png_of_a_saved_search_says_it_is_a_search(qapp, sample, tmp_path):
    """The PNG drew only the events the view's search finds, under a title
    that did not say so; the figure's subtitle did."""
    from PySide6.QtGui import QImage

    from gui.export import _timeline_for_print
    from gui.headless import apply_saved_view, offscreen_app
    from gui.session import Session

    db, window = _saved_search_view(sample, tmp_path)
    out = tmp_path / "view.png"
    assert main(["export-png", str(db), "--out", str(out), "--view-name", "Fentanyl in spring", "--view", "both",
                 "--width", "1200"]) == 0
    assert QImage(str(out)).width() == 1200  # a title made longer by the search wraps, not widens the picture
    offscreen_app()
    session = Session.open(str(db), read_only=True)
    try:
        apply_saved_view(session, "Fentanyl in spring")
        with _timeline_for_print(session, 1200, 600, window, None) as widget:
            title = widget.title.text()
        assert "1 Apr 2025 – 31 May 2025 · events matching “fentanyl”" in title, title
    finally:
        session.close()


def test_the_graph_panel_header_says_a_search_is_applied(qtbot, sample_db, tmp_path):
    from PySide6.QtCore import Qt

    from conftest import open_main_window

    win = open_main_window(qtbot, sample_db, tmp_path)
    qtbot.waitExposed(win)
    qtbot.keyClicks(win.search, "fentanyl")
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    header = win.graph.header
    qtbot.waitUntil(lambda: "events matching “fentanyl”" in header.text(), timeout=5000)
    win.close()


def test_the_legend_explains_a_days_band_only_where_one_is_drawn(qapp, gdelt, sample):
    """A day of GDELT spreads each lane's events of one day across its
    shaded band: the legend says what the band is. Years of the sample
    spread nothing, and say nothing of it."""
    label = "events of one day, spread across it"
    assert label in drawn_legend_window(gdelt, ("2016-07-27", "2016-07-28"))
    assert label not in drawn_legend(sample)


def drawn_legend_window(db, window) -> list[str]:
    from gui.figure.options import FigureOptions
    from gui.figure.render import render_image
    from store.database import open_database
    from store.dates import parse_date
    from store.figure_data import figure_data

    con = open_database(str(db), readonly=True)
    span = (parse_date(window[0]).earliest, parse_date(window[1]).latest)
    _, result = render_image(figure_data(con, span, path=db), FigureOptions(), scale=0.3)
    return result.texts("legend")
