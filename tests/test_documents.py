"""Documents in the story file: readers, storing, quotes with offsets, check."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import main
from store import documents, records, schema
from store.database import open_database
from store.edits import update_event
from store.readers import DocumentError, page_of, read_bytes

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "article.txt"


def make_pdf(pages: list[list[str]], compress: bool = True) -> bytes:
    """A small, valid PDF with one line of Helvetica text per string; a page
    given as [] has no text at all (as a scanned page has none)."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    next_id = 4
    page_objects = []
    for lines in pages:
        ops = [b"BT /F1 11 Tf 72 760 Td 14 TL"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(" + safe.encode("latin-1") + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops) if lines else b"0 0 1 rg 72 72 200 200 re f"
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        if compress:
            body = zlib.compress(stream)
            content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
        else:
            content = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
                b"/Contents %d 0 R >>" % (font_id, content_id))
        page_objects.append((content_id, content))
        page_objects.append((page_id, page))
        kids.append(page_id)
    objects_by_id = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects_by_id.update(dict(page_objects))
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for oid in sorted(objects_by_id):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n" % oid + objects_by_id[oid] + b"\nendobj\n"
    xref = len(out)
    count = max(objects_by_id) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for oid in range(1, count):
        out += b"%010d 00000 n \n" % offsets[oid]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref)
    del objects
    return bytes(out)


# ---------------------------------------------------------------- readers


def test_plain_text_is_kept_as_written_with_one_newline_style():
    read = read_bytes("Talks begin.\r\nThey met on Friday.\r\n".encode(), "notes.txt")
    assert read.text == "Talks begin.\nThey met on Friday."
    assert read.title == "notes"


def test_markdown_keeps_its_text_and_takes_the_first_heading_as_title():
    read = read_bytes(b"# Ministry statement\n\nThe ministry *said* on Friday it would talk.\n", "s.md")
    assert read.title == "Ministry statement"
    assert "The ministry *said* on Friday it would talk." in read.text


PAGE = """<!doctype html><html lang="en"><head><title>Port strike ends | Harbour Times</title>
<meta name="author" content="Maria Santos"><meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2025-03-14T09:00:00Z"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li>Subscribe now</li></ul></nav>
<div class="ad">BUY CHEAP FLIGHTS TODAY - ADVERTISEMENT</div>
<article><h1>Port strike ends</h1>
<p>Dockworkers at the Port of Valmora returned to work on Thursday after their union reached a wage agreement with the port operator, ending a nine-day strike that had stranded hundreds of containers.</p>
<p>The Valmora Dockworkers Union said the deal, signed late on Wednesday, raises wages by seven percent over two years, and members voted to accept it by a large margin.</p>
<p>Harbour Logistics, which runs the container terminal, confirmed the agreement in a statement and said normal operations would resume within days.</p>
</article>
<section class="comments"><h3>Comments</h3><p>user123: first!!! great news for everyone here</p></section>
<footer>Copyright Harbour Times. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>"""


def test_html_keeps_the_article_and_drops_menus_ads_comments_with_metadata():
    read = read_bytes(PAGE.encode(), "strike.html")
    assert "returned to work on Thursday" in read.text
    assert "confirmed the agreement" in read.text
    for boilerplate in ("Subscribe now", "CHEAP FLIGHTS", "first!!!", "Cookie settings"):
        assert boilerplate not in read.text
    assert read.author == "Maria Santos"
    assert read.publisher == "Harbour Times"
    assert read.date == "2025-03-14"
    assert "Port strike ends" in read.title


def test_pdf_text_per_page_with_page_starts():
    data = make_pdf([["Page one says talks began on Monday."], ["Page two says the deal was signed."]])
    read = read_bytes(data, "report.pdf")
    assert read.page_starts[0] == 0 and len(read.page_starts) == 2
    second = read.text.index("Page two")
    assert read.page_starts[1] <= second
    assert page_of(read.page_starts, second) == 2 and page_of(read.page_starts, 3) == 1


def test_pdf_without_text_gets_one_clear_line_and_nothing_stored(memdb, tmp_path, capsys):
    data = make_pdf([[], []])
    with pytest.raises(DocumentError, match=r"scan\.pdf: has no text to read \(a scanned PDF"):
        read_bytes(data, "scan.pdf")
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    db_path = tmp_path / "story.db"
    assert main.main(["add-document", str(db_path), str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "has no text to read" in err
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_unknown_file_kind_is_refused_by_name():
    with pytest.raises(DocumentError, match=r"photo\.jpg: cannot read '\.jpg' files"):
        read_bytes(b"\xff\xd8\xff", "photo.jpg")


# ---------------------------------------------------------------- storing


def test_add_document_cli_prints_the_id_and_same_bytes_give_the_same_id(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("The ministry said on Friday that talks would start.\n", encoding="utf-8")
    db_path = tmp_path / "story.db"
    assert main.main(["add-document", str(db_path), str(article), "--title", "Talks", "--publisher", "Wire",
                      "--date", "2 May 2025", "--url", "https://example.org/a", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main.main(["add-document", str(db_path), str(article), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    db = open_database(db_path)
    doc = documents.get_document(db, first["id"])
    assert (doc.title, doc.publisher, doc.date, doc.url) == ("Talks", "Wire", "2 May 2025", "https://example.org/a")
    assert documents.document_content(db, doc.id) == article.read_bytes()
    import hashlib

    assert doc.sha256 == hashlib.sha256(article.read_bytes()).hexdigest()
    assert documents.search_documents(db, "ministry") == [doc.id]
    # a new version is a new document
    article.write_text("The ministry said on Friday that talks would start soon.\n", encoding="utf-8")
    assert main.main(["add-document", str(db_path), str(article), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] != first["id"]


def _cited(db, text="The ministry said on Friday that talks would start. Markets rose."):
    content = text.encode()
    doc_id, _ = documents.add_document(db, content, read_bytes(content, "a.txt"), "a.txt", date="2 May 2025")
    doc = documents.get_document(db, doc_id)
    source = records.add_source(db, **documents.source_fields(doc))
    quote = "The ministry said on Friday that talks would start."
    start = text.index(quote)
    event = records.add_event(db, "Ministry statement", "2 May 2025",
                              sources=[records.Citation(source, quote, start, start + len(quote))])
    return doc_id, source, event, quote, start


def test_offsets_survive_edits_of_the_event(memdb):
    doc_id, source, event, quote, start = _cited(memdb)
    update_event(memdb, event, title="The ministry signals talks", start="on or before 2 May 2025")
    row = memdb.execute("SELECT quote, quote_start, quote_end FROM event_sources WHERE event_id = ?", [event]).fetchone()
    assert row == (quote, start, start + len(quote))
    assert documents.broken_quotes(memdb) == []


def test_check_finds_a_quote_edited_by_hand(tmp_path, capsys):
    db_path = tmp_path / "story.db"
    db = open_database(db_path, create=True)
    doc_id, source, event, quote, start = _cited(db)
    assert main.main(["check", str(db_path)]) == 0
    assert "1 of 1 quotes match" in capsys.readouterr().out
    update_event(db, event, sources=[records.Citation(source, "The ministry refused talks.", start, start + len(quote))])
    db.conn.commit()
    assert main.main(["check", str(db_path)]) == 1
    out = capsys.readouterr()
    assert f"event {event} 'Ministry statement'" in out.out and "The ministry refused talks." in out.out
    assert "0 of 1 quotes match" in out.err


def test_on_or_before_is_a_date_the_store_reads(memdb):
    from store.dates import describe, parse_date

    fd = parse_date("on or before 2 May 2025")
    assert fd.on_or_before and fd.precision == "day"
    assert fd.latest == parse_date("2 May 2025").latest
    assert describe(fd).startswith("on or before 2 May 2025 — on or before")
    event = records.add_event(memdb, "Reported", "on or before 2 May 2025", certainty="reported")
    # stored as uncertain, so the timeline draws it faded, not as a day it happened on
    assert memdb.execute("SELECT start, approximate FROM events WHERE id = ?", [event]).fetchone() == (
        "on or before 2 May 2025", 1)


# ---------------------------------------------------------------- migration


def test_migration_on_an_existing_file_keeps_its_records(tmp_path):
    path = tmp_path / "old.db"
    old = Migrations(schema.MIGRATION_SET)
    old()(schema.m001_initial)
    db = Database(path)
    old.apply(db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO sources (id, publisher) VALUES (1, 'Wire')")
    db.execute("INSERT INTO events (id, title, start, earliest, latest, precision, certainty) "
               "VALUES (1, 'Talks', '2025', 0, 1, 'year', 'confirmed')")
    db.execute("INSERT INTO event_sources (event_id, source_id, quote) VALUES (1, 1, 'they met')")
    db.conn.commit()
    db.conn.close()
    assert "documents" not in [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")]

    db = open_database(path)
    assert db["documents"].exists() and db["documents_fts"].exists()
    assert "document_id" in db["sources"].columns_dict
    assert {"quote_start", "quote_end"} <= set(db["event_sources"].columns_dict)
    assert db.execute("SELECT quote, quote_start FROM event_sources").fetchall() == [("they met", None)]
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


# ---------------------------------------------------------------- exports


def test_exports_carry_documents_metadata_hashes_and_optionally_text(tmp_path, capsys):
    import csv

    db_path = tmp_path / "story.db"
    db = open_database(db_path, create=True)
    doc_id, source, event, quote, start = _cited(db)
    sha = documents.get_document(db, doc_id).sha256
    db.conn.commit()
    out = tmp_path / "story.json"
    assert main.main(["export", str(db_path), "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["documents"] == [{
        "key": f"document-{doc_id}", "sha256": sha, "title": "a", "publisher": None, "author": None,
        "date": "2 May 2025", "url": None, "language": None, "media_type": "text/plain", "filename": "a.txt",
        "added_at": documents.get_document(db, doc_id).added_at}]
    assert data["sources"][0]["document"] == f"document-{doc_id}"
    assert data["events"][0]["sources"] == [{"source": data["sources"][0]["key"], "quote": quote,
                                            "start": start, "end": start + len(quote)}]
    assert main.main(["export", str(db_path), "--format", "json", "--out", str(out), "--with-document-text"]) == 0
    assert json.loads(out.read_text())["documents"][0]["text"].startswith("The ministry said")

    table = tmp_path / "story.csv"
    assert main.main(["export", str(db_path), "--format", "csv", "--out", str(table)]) == 0
    with table.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["sha256"] for r in rows if r["record"] == "document"] == [sha]
    events = tmp_path / "events.csv"
    assert main.main(["export", str(db_path), "--format", "events-csv", "--out", str(events)]) == 0
    assert f"sha256:{sha}" in events.read_text(encoding="utf-8-sig")

    # a story that holds the same document gets the links and offsets back on import
    other_path = tmp_path / "other.db"
    other = open_database(other_path, create=True)
    content = "The ministry said on Friday that talks would start. Markets rose.".encode()
    documents.add_document(other, content, read_bytes(content, "a.txt"), "a.txt")
    other.conn.commit()
    capsys.readouterr()
    assert main.main(["import", str(other_path), str(out), "--format", "json"]) == 0
    assert documents.broken_quotes(other) == [] and len(documents.quotes_in(other)) == 1


def test_accepting_many_is_all_or_nothing(sample):
    from store.accepting import Review, accept
    from store.records import RecordError
    from store.suggest import suggest

    doc_id, _ = documents.add_document_file(sample, SEED, date="2 May 2025")
    candidates = suggest(sample, doc_id)
    counts = [sample.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("events", "actors", "sources")]
    reviews = [Review(candidates[0]), Review(candidates[1], date="the day after the vote")]
    with pytest.raises(RecordError, match="date: cannot understand 'the day after the vote'"):
        accept(sample, doc_id, reviews)
    assert [sample.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("events", "actors", "sources")] == counts



def test_pdf_ligatures_are_written_out_so_search_and_names_find_the_words():
    """A PDF font's "fi" glyph (byte 0xAE of the standard encoding) comes out
    as the letters f and i, not as the single character U+FB01."""
    read = read_bytes(make_pdf([["The \xaele was found by the of\xaecials."]]), "report.pdf")
    assert "The file was found by the officials." in read.text
    assert not any("\ufb00" <= c <= "\ufb06" for c in read.text)


# ---------------------------------------------------------------- web pages printed to PDF

WEB_PRINT = Path(__file__).resolve().parent / "fixtures" / "web-print"


@pytest.mark.parametrize("name, address", [("port-strike-1-page.pdf", "http://127.0.0.1:8765/news/short.html"),
                                           ("port-strike-3-pages.pdf", "http://127.0.0.1:8765/news/port-strike.html")])
def test_a_web_page_printed_to_pdf_keeps_the_article_its_address_and_its_date(tmp_path, capsys, name, address):
    """Chromium's print of a news page: the browser's head and foot on every
    page, the site's menu and the readers' comments are not the article; the
    address in the foot and the "Published May 9, 2025" line are kept as the
    document's own, and suggestions read "on Friday" against that day."""
    db_path = tmp_path / "story.db"
    assert main.main(["add-document", str(db_path), str(WEB_PRINT / name), "--json"]) == 0
    doc_id = json.loads(capsys.readouterr().out)["id"]
    doc = documents.get_document(open_database(db_path), doc_id)
    text = doc.text
    assert (doc.url, doc.date) == (address, "2025-05-09")
    assert text.startswith("Port strike ends after talks with city\nBy Anna Berg\nPublished May 9, 2025\n")
    for furniture in ("Home | News", "Subscribe", "AM Port strike", "127.0.0.1", "Comments (3)", "jsmith42",
                      "Mayor Ortiz did nothing"):
        assert furniture not in text, furniture
    assert "Union leader Karl Berger said the members would vote" in text
    assert main.main(["suggest", str(db_path), "--document", str(doc_id), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    friday = [c for c in found if "ended its strike" in c["title"]]
    assert friday and friday[0]["earliest"].startswith("2025-05-09")  # "on Friday", published Friday 9 May
    assert not any("jsmith42" in c["title"] or "Subscribe" in c["title"] for c in found)


def test_running_heads_and_feet_go_but_prose_that_recurs_at_a_page_break_stays():
    from store.web_print import clean_pages

    pages = [f"Harbour Gazette — Port report\nBody line {n} of the report.\nThe end of a paragraph.\nPage {n} of 3"
             for n in (1, 2, 3)]
    cleaned = clean_pages(pages)
    assert cleaned.pages == [f"Body line {n} of the report.\nThe end of a paragraph." for n in (1, 2, 3)]
    assert (cleaned.url, cleaned.date) == (None, None)
    # a "comments" heading at the top of a short text is the article's own word
    assert clean_pages(["Comments\nThe minister's comments on 3 May 2025 were read out."]).pages[0].startswith("Comments")
    # a dateline alone counts; a date inside a sentence does not
    assert clean_pages(["Talks resume\nFriday 9 May 2025 14:30\nBody."]).date == "2025-05-09"
    assert clean_pages(["Talks resume\nThe strike began on 3 May 2025 at the port gates.\nBody."]).date is None


def test_a_text_article_s_published_line_is_its_date_but_a_chronology_s_first_date_is_not(tmp_path, capsys):
    """"Published 14 March 2024" under the headline dates the article, so
    "on Tuesday" is read against it; a notes file that starts with a date
    on a line of its own gets no publication date from it."""
    article = tmp_path / "harbour.txt"
    article.write_text("Port chief resigns\n\nBy Elena Marsh\nPublished 14 March 2024\n\n"
                       "The head of the port authority, Tomas Reyes, resigned on Tuesday.\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("3 May 2025\nCalled the port office; no answer.\n", encoding="utf-8")
    db_path = tmp_path / "story.db"
    ids = []
    for path in (article, notes):
        assert main.main(["add-document", str(db_path), str(path), "--json"]) == 0
        ids.append(json.loads(capsys.readouterr().out)["id"])
    db = open_database(db_path)
    assert [documents.get_document(db, i).date for i in ids] == ["2024-03-14", None]
    assert main.main(["suggest", str(db_path), "--document", str(ids[0]), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [c["earliest"][:10] for c in found if "resigned" in c["title"]] == ["2024-03-12"]


@pytest.mark.parametrize("fmt, suffix", [("json", "json"), ("csv", "csv")])
def test_an_export_with_document_text_brings_its_documents_into_an_empty_story(tmp_path, capsys, fmt, suffix):
    """Exported --with-document-text and imported into a new story, the
    documents come back from their text (a PDF's pages too), sources are
    linked to them and every quote is in its place; without the text the
    import says which documents it could not bring, instead of nothing."""
    db_path = tmp_path / "story.db"
    db = open_database(db_path, create=True)
    pdf = make_pdf([["The ministry said on Friday that talks would start."], ["Markets rose on Monday."]])
    doc_id, _ = documents.add_document(db, pdf, read_bytes(pdf, "brief.pdf"), "brief.pdf", date="2 May 2025")
    doc = documents.get_document(db, doc_id)
    source = records.add_source(db, **documents.source_fields(doc))
    quote = "Markets rose on Monday."
    start = doc.text.index(quote)
    records.add_event(db, "Markets rise", "5 May 2025",
                      sources=[records.Citation(source, quote, start, start + len(quote))])
    db.conn.commit()
    out = tmp_path / f"story.{suffix}"
    assert main.main(["export", str(db_path), "--format", fmt, "--out", str(out), "--with-document-text"]) == 0
    fresh = tmp_path / "fresh.db"
    capsys.readouterr()
    assert main.main(["import", str(fresh), str(out), "--format", fmt]) == 0
    said = capsys.readouterr()
    assert "1 documents (from their text)" in said.out + said.err
    new = open_database(fresh)
    [back] = documents.list_documents(new)
    assert (back.text, back.page_starts, back.date, back.filename) == (doc.text, doc.page_starts, "2 May 2025", "brief.pdf")
    [ref] = documents.quotes_in(new)
    assert documents.broken_quotes(new) == [] and (ref.start, ref.end) == (start, start + len(quote))
    assert page_of(back.page_starts, ref.start) == 2
    # importing the same file again adds nothing
    assert main.main(["import", str(fresh), str(out), "--format", fmt]) == 0
    assert len(documents.list_documents(open_database(fresh))) == 1

    # without the text: the import says what it could not bring
    bare = tmp_path / f"bare.{suffix}"
    assert main.main(["export", str(db_path), "--format", fmt, "--out", str(bare)]) == 0
    capsys.readouterr()
    assert main.main(["import", str(tmp_path / "other.db"), str(bare), "--format", fmt]) == 0
    said = capsys.readouterr()
    assert "brief.pdf: not in this story and the file carries no text of it" in said.out + said.err
