"""Figures for publication: `threadline export-figure` on the sample story,
in every preset and format, checked as an editor would check them."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import open_main_window

from main import main

ROOT = Path(__file__).resolve().parent.parent
CAPTION = "Beijing weighed fentanyl measures to open talks as U.S. tariffs reached 145%."
CREDIT = "Graphic: A. Reporter / Threadline"
CHROME = ("Stated relationships", "Shared events", "Network for", "Updating the views", "searching", "read-only")
PRESET_PIXELS = {"article": (2400, None), "social": (1080, 1350), "slide": (1920, 1080), "a4": (3508, 2480), "letter": (3300, 2550)}
PDF_PAGES = {"a4": "842 x 595 pts (A4)", "letter": "792 x 612 pts (letter)"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("figure") / "sample.db"
    assert main(["sample", "--out", str(path)]) == 0
    return path


def export(db, out, *extra) -> int:
    return main(["export-figure", str(db), "--out", str(out), "--caption", CAPTION, "--credit", CREDIT, *extra])


def story_facts(db):
    con = sqlite3.connect(db)
    try:
        title = con.execute("SELECT value FROM meta WHERE key = 'title'").fetchone()[0]
        kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM actors")}
        types = {r[0] for r in con.execute("SELECT DISTINCT type FROM relationships")}
        publishers = {r[0] for r in con.execute(
            "SELECT DISTINCT s.publisher FROM sources s JOIN event_sources es ON es.source_id = s.id")}
    finally:
        con.close()
    return title, kinds, types, publishers


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("preset", list(PRESET_PIXELS))
def test_each_preset_as_png_svg_and_pdf(qapp, sample, tmp_path, preset):
    from PySide6.QtGui import QImage

    title, kinds, types, publishers = story_facts(sample)
    for fmt in ("png", "svg", "pdf"):
        out = tmp_path / f"figure.{fmt}"
        assert export(sample, out, "--preset", preset) == 0
        assert out.stat().st_size > 1000
    image = QImage(str(tmp_path / "figure.png"))
    width, height = PRESET_PIXELS[preset]
    assert image.width() == width
    if height:
        assert image.height() == height
    # the SVG holds its words as text: title, legend (every kind and relationship type), caption, sources, credit
    texts = svg_texts(tmp_path / "figure.svg")
    joined = " ".join(texts)
    assert any(title.startswith(t) for t in texts if t)
    assert CAPTION.split()[0] in joined and "145%." in joined
    assert CREDIT in texts
    assert texts.count(CREDIT) == 1
    assert any(t.startswith("Sources: ") for t in texts)
    for publisher in publishers:  # wrapped over lines, but every word there
        assert all(word in joined for word in publisher.split())
    for name in kinds | types:
        assert name in texts, f"legend lacks '{name}'"
    assert not re.search(r"\+\s*\d+\s+more", joined)
    for chrome in CHROME:
        assert chrome not in joined
    if preset in PDF_PAGES:
        info = subprocess.run(["pdfinfo", str(tmp_path / "figure.pdf")], capture_output=True, text=True, check=True).stdout
        assert PDF_PAGES[preset] in info
        fonts = subprocess.run(["pdffonts", str(tmp_path / "figure.pdf")], capture_output=True, text=True, check=True).stdout
        rows = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
        assert rows and all(" yes " in ln for ln in rows), fonts  # every font embedded
        text = subprocess.run(["pdftotext", str(tmp_path / "figure.pdf"), "-"], capture_output=True, text=True, check=True).stdout
        assert CREDIT in text and "Sources:" in text


@pytest.mark.parametrize("preset", list(PRESET_PIXELS))
@pytest.mark.parametrize("view", ["timeline", "graph", "both"])
def test_every_label_inside_the_figure_and_graph_labels_apart(qapp, sample, preset, view):
    from gui.figure.options import FigureOptions
    from gui.figure.render import render_image
    from store.database import open_database
    from store.figure_data import figure_data

    db = open_database(str(sample), readonly=True)
    lo, hi = db.execute("SELECT min(earliest), max(latest) FROM events").fetchone()
    data = figure_data(db, (lo, hi), path=sample)
    image, result = render_image(data, FigureOptions(view=view, preset=preset, caption=CAPTION, credit=CREDIT), scale=1)
    page = (0, 0, result.width, result.height)
    assert result.drawn
    for d in result.drawn:
        r = d.rect
        assert r.left() >= page[0] and r.top() >= page[1] and r.right() <= page[2] + 0.5 and r.bottom() <= page[3] + 0.5, \
            f"{d.role} '{d.text}' at {r} is outside the {page[2]:.0f} x {page[3]:.0f} page"
    for role in ("node", "event"):
        boxes = [d for d in result.drawn if d.role == role]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.rect.intersects(b.rect), f"'{a.text}' overlaps '{b.text}'"
    if view != "timeline":
        assert len(result.texts("node")) >= len(data.actors) * 0.6  # most actors named
    assert result.texts("credit") == [CREDIT]


def test_png_and_svg_are_the_same_bytes_on_a_second_run(qapp, sample, tmp_path):
    for fmt in ("png", "svg"):
        first, second = tmp_path / f"one.{fmt}", tmp_path / f"two.{fmt}"
        assert export(sample, first, "--preset", "social") == 0
        run = subprocess.run([sys.executable, str(ROOT / "main.py"), "export-figure", str(sample), "--out", str(second),
                              "--caption", CAPTION, "--credit", CREDIT, "--preset", "social"],
                             capture_output=True, text=True, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
        assert run.returncode == 0, run.stderr
        assert first.read_bytes() == second.read_bytes(), f"{fmt} differs between runs"


def test_the_story_title_and_window_are_the_defaults_and_options_override(qapp, sample, tmp_path):
    out = tmp_path / "f.svg"
    assert export(sample, out, "--view", "timeline", "--start", "April 2025", "--end", "May 2025") == 0
    title = story_facts(sample)[0]
    texts = svg_texts(out)
    assert "1 April 2025 – 31 May 2025" in texts
    assert export(sample, out, "--title", "Fentanyl and tariffs", "--subtitle", "Spring 2025") == 0
    texts = svg_texts(out)
    assert "Fentanyl and tariffs" in texts and "Spring 2025" in texts and title not in texts


def test_a_title_set_in_story_properties_is_used_else_the_file_name(qapp, sample, tmp_path):
    copy = tmp_path / "my-story.db"
    shutil.copy(sample, copy)
    con = sqlite3.connect(copy)
    con.execute("DELETE FROM meta WHERE key = 'title'")
    con.commit()
    con.close()
    out = tmp_path / "f.svg"
    assert export(copy, out, "--view", "graph") == 0
    assert "my-story" in svg_texts(out)


def test_highlight_only_when_asked(qapp, sample, tmp_path):
    plain, lit = tmp_path / "plain.svg", tmp_path / "lit.svg"
    assert export(sample, plain, "--preset", "slide") == 0
    assert export(sample, lit, "--preset", "slide", "--highlight-actor", "Xi Jinping") == 0
    assert "highlighted" not in svg_texts(plain)
    assert "highlighted" in svg_texts(lit)
    assert export(sample, plain, "--highlight-selection") == 1  # nothing selected: said, not silently ignored


def test_bad_requests_get_one_line(qapp, sample, tmp_path, capsys):
    assert export(sample, tmp_path / "f.gif") == 1
    assert "png, .svg, .pdf" in capsys.readouterr().err.replace("'.", ".")
    assert export(sample, tmp_path / "f.png", "--actor", "Nobody") == 1
    assert "no actor named 'Nobody'" in capsys.readouterr().err
    assert export(sample, tmp_path / "f.png", "--width", "50") == 1
    assert not (tmp_path / "f.png").exists()


def test_only_the_chosen_actors(qapp, sample, tmp_path):
    out = tmp_path / "f.svg"
    assert export(sample, out, "--view", "timeline", "--actor", "Xi Jinping", "--actor", "Wang Xiaohong") == 0
    texts = svg_texts(out)
    assert "Xi Jinping" in texts and "Wang Xiaohong" in texts
    assert "Marco Rubio" not in texts  # his lane is not drawn


# ---------------------------------------------------------------- the interactive HTML figure

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.fail("Debian's chromium is needed to test the HTML figure: sudo apt-get install chromium "
                    "(./test.sh installs it when run as root)")
    return path


def browse(html: Path, tmp_path, *args, fragment: str = "") -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", *args,
                          html.resolve().as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def scripts_and_styles(text: str) -> str:
    """The page minus its JSON data block: what could load something."""
    return re.sub(r'<script type="application/json" id="figure-data">.*?</script>', "", text, flags=re.S)


def test_html_is_one_offline_file_with_its_text_escaped(qapp, sample, tmp_path):
    hostile = tmp_path / "hostile.db"
    shutil.copy(sample, hostile)
    con = sqlite3.connect(hostile)
    con.execute("UPDATE events SET title = ? WHERE id = 1", ["</script><script>document.title='owned'</script><img src=x onerror=alert(1)>"])
    con.commit()
    con.close()
    out = tmp_path / "figure.html"
    assert export(hostile, out) == 0
    text = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 2_000_000
    code = scripts_and_styles(text)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", code, re.I)
    assert not re.search(r"\bsrc\s*=", code, re.I)
    assert not re.search(r"@import|@font-face|url\(", code, re.I)
    assert not re.search(r"https?://", code), "a URL outside the data"
    assert "default-src 'none'" in text  # the page may not fetch anything
    data_block = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', text, re.S).group(1)
    assert "</" not in data_block
    assert json.loads(data_block)["events"]
    for word in (CAPTION, CREDIT, "Sources:"):
        assert word in text
    for chrome in CHROME:
        assert chrome not in text
    dom = browse(out, tmp_path, "--dump-dom", fragment="#test-click=Xi%20Jinping")
    assert "owned" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert not re.search(r"<body[^>]*data-errors", dom)
    result = json.loads(re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S).group(1))
    assert result["errors"] == [] and result["highlighted_events"]


def test_html_in_chromium_a_click_on_an_actor_lights_up_its_events(qapp, sample, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "figure.html"
    assert export(sample, out) == 0
    dom = browse(out, tmp_path, "--dump-dom", fragment="#test-click=Xi%20Jinping")
    assert not re.search(r"<body[^>]*data-errors", dom), re.search(r'data-errors="[^"]*"', dom).group(0)
    result = json.loads(re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S).group(1))
    con = sqlite3.connect(sample)
    xi = con.execute("SELECT id FROM actors WHERE name = 'Xi Jinping'").fetchone()[0]
    expected = sorted(r[0] for r in con.execute("SELECT event_id FROM event_actors WHERE actor_id = ?", [xi]))
    con.close()
    assert result["errors"] == []
    assert result["selected_actors"] == [xi]
    assert result["highlighted_events"] == expected
    assert result["details"] == "Xi Jinping"
    assert result["timeline_marks"] > 29 and result["graph_nodes"] > 10
    shot = tmp_path / "shot.png"
    browse(out, tmp_path, f"--screenshot={shot}", "--window-size=1400,1100")
    image = QImage(str(shot))
    assert image.width() == 1400
    small = image.scaled(140, 110)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    not_white = sum(small.pixelColor(x, y).lightness() < 235 for x in range(small.width()) for y in range(small.height()))
    assert len(colours) > 60 and not_white > small.width() * small.height() * 0.05, "the page looks blank"


def test_html_with_ten_thousand_events(qapp, tmp_path):
    from bench.synth import write_synthetic

    db = write_synthetic(tmp_path / "synth.db", events=10000, actors=40)
    out = tmp_path / "big.html"
    assert main(["export-figure", str(db), "--out", str(out)]) == 0
    assert out.stat().st_size < 12_000_000
    con = sqlite3.connect(db)
    name = con.execute("SELECT name FROM actors ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    from urllib.parse import quote

    dom = browse(out, tmp_path, "--dump-dom", fragment="#test-click=" + quote(name))
    result = json.loads(re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S).group(1))
    assert result["errors"] == [] and result["found"] and result["highlighted_events"]


# ---------------------------------------------------------------- the Export figure dialog


def test_export_dialog_starts_from_the_window_previews_and_writes(qtbot, sample_db, tmp_path):
    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from store.dates import parse_date

    win = open_main_window(qtbot, sample_db, tmp_path, size=(1400, 900))
    qtbot.waitExposed(win)
    win.timeline.set_window(parse_date("2025-04-01").earliest, parse_date("2025-05-31").latest)
    qtbot.wait(50)
    out = tmp_path / "figure.svg"
    seen = {}

    def use_dialog():
        dlg = QApplication.activeModalWidget()
        seen["title"] = dlg.title.text()
        seen["subtitle"] = dlg.subtitle.text()
        seen["highlight_enabled"] = dlg.highlight.isEnabled()
        seen["suggested"] = dlg.path.text()
        before = dlg.preview.pixmap().toImage()
        qtbot.mouseClick(dlg.dark, Qt.MouseButton.LeftButton, pos=QPoint(8, dlg.dark.height() // 2))
        qtbot.wait(400)
        after = dlg.preview.pixmap().toImage()
        seen["preview_changed"] = before.pixelColor(5, 5) != after.pixelColor(5, 5)
        dlg.caption.setFocus()
        qtbot.keyClicks(dlg.caption, "Talks, tariffs and fentanyl.")
        qtbot.keyClicks(dlg.credit, "Graphic: Test Desk")
        dlg.format.setCurrentIndex(dlg.format.findData("svg"))
        dlg.path.clear()
        qtbot.keyClicks(dlg.path, str(out))
        qtbot.wait(300)
        seen["status"] = dlg.status.text()
        button = dlg.findChild(QDialogButtonBox).buttons()[0]
        seen["button"] = button.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(300, use_dialog)
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert seen["title"] == win.session.title
    assert Path(seen["suggested"]).parent == sample_db.parent  # beside the story, as every file dialog
    assert seen["subtitle"] == "1 April 2025 – 31 May 2025"
    assert seen["highlight_enabled"] is False  # nothing selected: nothing to highlight
    assert seen["preview_changed"], "the preview did not follow the dark background"
    assert seen["button"] == "Export"
    assert out.exists(), seen
    texts = svg_texts(out)
    assert "Talks, tariffs and fentanyl." in texts and "Graphic: Test Desk" in texts
    assert "1 April 2025 – 31 May 2025" in texts
    for chrome in CHROME:
        assert chrome not in " ".join(texts)
    win.close()


def test_html_in_chromium_a_click_on_an_event_lights_up_its_actors_and_shows_its_sources(qapp, sample, tmp_path):
    out = tmp_path / "figure.html"
    assert export(sample, out, "--start", "April 2025", "--end", "May 2025") == 0
    con = sqlite3.connect(sample)
    eid, start = con.execute("SELECT id, start FROM events WHERE title LIKE 'WSJ:%'").fetchone()
    actors = sorted(r[0] for r in con.execute("SELECT actor_id FROM event_actors WHERE event_id = ?", [eid]))
    publisher, quote = con.execute("SELECT s.publisher, es.quote FROM event_sources es JOIN sources s ON s.id = es.source_id "
                                   "WHERE es.event_id = ? AND es.quote IS NOT NULL", [eid]).fetchone()
    con.close()
    dom = browse(out, tmp_path, "--dump-dom", fragment=f"#test-event={eid}")
    result = json.loads(re.search(r'<pre id="test-result">(.*?)</pre>', dom, re.S).group(1))
    assert result["errors"] == [] and result["found"]
    assert result["selected_events"] == [eid]
    assert result["highlighted_actors"] == actors  # lit in the graph
    assert start in result["detail_text"]  # the date as written
    assert publisher in result["detail_text"] and quote in result["detail_text"]


def test_highlight_selection_draws_a_saved_views_selection(qapp, sample, tmp_path):
    from store import views
    from store.database import open_database

    copy = tmp_path / "views.db"
    shutil.copy(sample, copy)
    db = open_database(str(copy))
    xi = db.execute("SELECT id FROM actors WHERE name = 'Xi Jinping'").fetchone()[0]
    views.save_view(db, "Xi", {"selected_actors": [xi]})
    db.conn.close()
    plain, lit = tmp_path / "plain.svg", tmp_path / "lit.svg"
    assert export(copy, plain, "--view-name", "Xi") == 0
    assert export(copy, lit, "--view-name", "Xi", "--highlight-selection") == 0
    assert "highlighted" not in svg_texts(plain)  # a saved selection alone is not drawn
    assert "highlighted" in svg_texts(lit)


def test_export_dialog_says_when_it_cannot_write_and_stays_open(qtbot, sample_db, tmp_path):
    from PySide6.QtCore import Qt

    from gui.figure.dialog import FigureDialog
    from gui.session import Session

    session = Session.open(sample_db, read_only=True)
    dlg = FigureDialog(session)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.path.clear()
    qtbot.keyClicks(dlg.path, str(tmp_path / "no such folder" / "figure.png"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Could not write" in dlg.status.text())
    assert "no such folder" in dlg.status.text()
    assert dlg.isVisible() and dlg.export_button.isEnabled()
    assert not (tmp_path / "no such folder").exists()
    session.close()


def _one_lane_story(tmp_path, name: str, events: int) -> Path:
    csv_file = tmp_path / f"{name}.csv"
    csv_file.write_text("date,title,actor\n" + "".join(f"2025-05-02,Statement {i},Ana Silva\n" for i in range(events))
                        + "2025-04-30,Earlier,Ana Silva\n2025-05-04,Later,Ana Silva\n", encoding="utf-8")
    db = tmp_path / f"{name}.db"
    assert main(["import", str(db), str(csv_file), "--format", "csv", "--map", "date=date", "title=title",
                 "actor=actor"]) == 0
    return db


def test_events_sharing_a_day_are_spread_across_it_as_on_screen(qapp, tmp_path):
    """Six events of one actor on 2 May are six markers a reader can count,
    inside that day, not one marker at noon hiding five others."""
    db = _one_lane_story(tmp_path, "day", 6)
    out = tmp_path / "day.svg"
    assert main(["export-figure", str(db), "--out", str(out), "--view", "timeline", "--preset", "slide"]) == 0
    root = ET.parse(out).getroot()
    centres = {(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")}
    centres = {c for c in centres if c[1] != 0.0}  # the legend's markers, placed by their group's transform
    assert len(centres) == 8  # Earlier, six on 2 May, Later
    xs = sorted({x for x, _ in centres})
    earlier, later = xs[0], xs[-1]  # 30 April and 4 May, at the middle of their days
    day = (later - earlier) / 4  # the pixels of one day
    on_may_2 = [x for x, _ in centres if earlier < x < later]
    assert len(on_may_2) == 6
    assert all(earlier + 1.5 * day <= x <= earlier + 2.5 * day for x in on_may_2)  # within 2 May


def test_a_figure_shows_what_the_search_finds_and_says_so(qtbot, sample_db, tmp_path):
    """Typed "fentanyl" in the search box: the figure holds the events the
    timeline shows, no others, and its subtitle says what they were found by."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from conftest import open_main_window
    from store.dates import parse_date

    win = open_main_window(qtbot, sample_db, tmp_path)
    qtbot.waitExposed(win)
    win.timeline.set_window(parse_date("2025-01-01").earliest, parse_date("2025-06-30").latest)
    qtbot.keyClicks(win.search, "fentanyl")
    qtbot.keyClick(win.search, Qt.Key.Key_Return)
    qtbot.wait(300)
    out = tmp_path / "found.svg"

    def use_dialog():
        dlg = QApplication.activeModalWidget()
        dlg.format.setCurrentIndex(dlg.format.findData("svg"))
        dlg.path.clear()
        qtbot.keyClicks(dlg.path, str(out))
        qtbot.wait(300)
        qtbot.mouseClick(dlg.findChild(QDialogButtonBox).buttons()[0], Qt.MouseButton.LeftButton)

    QTimer.singleShot(300, use_dialog)
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert out.exists()
    texts = " ".join(svg_texts(out))
    assert "events matching “fentanyl”" in texts
    db = win.session.story.db
    titles = [r[0] for r in db.execute("SELECT title FROM events")]
    shown = win.session.data.event_ids[win.session.filter_mask()]  # what the timeline shows
    found = {r[0] for r in db.execute(f"SELECT title FROM events WHERE id IN ({','.join(map(str, shown))})")}
    assert found and set(titles) - found
    drawn = {t for t in titles if t in texts}
    assert drawn and drawn <= found, drawn - found
    win.close()


def test_a_crowded_pdf_reads_without_a_complaint_and_marks_an_actor_in_two_roles_once(qapp, tmp_path):
    """The GDELT sample (actors in both roles of an event, crowded days) as an
    A4 PDF: a PDF reader finds nothing to complain of (a zero-length join
    used to be written as an empty path), and the same figure as SVG has one
    marker per event and lane."""
    db = tmp_path / "gdelt.db"
    data = Path(__file__).parents[2] / "shared" / "data" / "gdelt1_events_sample_20160728.tsv"
    assert data.exists(), f"real data file {data} is not there (shared/data must sit beside the checkout)"
    assert main(["import", str(db), str(data), "--format", "gdelt"]) == 0
    pdf = tmp_path / "gdelt.pdf"
    assert main(["export-figure", str(db), "--out", str(pdf), "--preset", "a4", "--view", "timeline"]) == 0
    shown = subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                           capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stderr == "", shown.stderr
    svg = tmp_path / "gdelt.svg"
    assert main(["export-figure", str(db), "--out", str(svg), "--preset", "a4", "--view", "timeline",
                 "--start", "2016-07-27", "--end", "2016-07-29"]) == 0  # days wide enough to spread their events
    centres = [(c.get("cx"), c.get("cy")) for c in ET.parse(svg).getroot().iter(f"{SVG}circle")]
    centres = [c for c in centres if c[0] != "0"]  # the legend's, placed by their group
    assert centres and len(centres) == len(set(centres))  # no marker drawn twice in one place


def test_the_figure_window_is_cut_to_where_the_story_has_events(qtbot, sample_db, tmp_path):
    """Zoomed out to 2000-2040 on screen, the Export figure dialog proposes
    the story's own first to last day, not decades of empty margin."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from conftest import open_main_window
    from store.dates import format_date, parse_date

    win = open_main_window(qtbot, sample_db, tmp_path)
    qtbot.waitExposed(win)
    win.timeline.set_window(parse_date("2000").earliest, parse_date("2040").latest)
    lo, hi = win.session.data.time_range
    seen = {}

    def look():
        dlg = QApplication.activeModalWidget()
        seen["start"], seen["end"] = dlg.start.text(), dlg.end.text()
        dlg.reject()

    qtbot.wait(50)
    QTimer.singleShot(300, look)
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert (seen["start"], seen["end"]) == (format_date(lo, "day"), format_date(hi, "day"))
    win.close()
