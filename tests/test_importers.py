"""Importers of other tools' data (store/importers), against the real files
in shared/data. Expected values are read from the files here with small
parsers of our own, never with the code under test."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import run_cli
from store import records
from store.database import memory_database, open_database
from store.importers import gdelt, timelinejs, wikitimes
from store.importers.mapped_csv import import_mapped_csv, load_mapping, save_mapping
from store.interchange import ImportError_

DATA = Path(__file__).parents[2] / "shared" / "data"
GDELT1 = DATA / "gdelt1_events_sample_20160728.tsv"
CODEBOOK = DATA / "gdelt2_events_column_labels_Sep2016.csv"
WIKITIMES = DATA / "wikitimes_CEP_2015-09.json"
MAP_EXAMPLE = ["date=Event Date", "actor=Source Name", "target=Target Name", "title=Event Text", "source=Publisher"]


def _need(path: Path) -> Path:
    # Fails, never skips: a test of real data that quietly does not run hides a defect.
    assert path.exists(), f"real data file {path} is not there (shared/data must sit beside the checkout)"
    return path


def _day_start(yyyymmdd: str) -> int:
    day = datetime(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]), tzinfo=timezone.utc)
    return int(day.timestamp())


def _count(db, sql: str, params=()) -> int:
    return db.execute(sql, params).fetchone()[0]


def _counts(db) -> tuple[int, ...]:
    return tuple(_count(db, f"SELECT count(*) FROM {t}") for t in ("events", "actors", "sources", "event_actors", "event_sources"))


# ---------------------------------------------------------------- GDELT: our own reading of the file


@pytest.fixture(scope="module")
def gdelt_rows() -> list[list[str]]:
    lines = _need(GDELT1).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line]


@pytest.fixture(scope="module")
def codebook() -> list[str]:
    with open(_need(CODEBOOK), encoding="utf-8") as fh:
        return [row["tableId"] for row in csv.DictReader(fh)]


def _v1(codebook: list[str], row: list[str]) -> dict[str, str]:
    """A 1.0 row by column name: the 2.0 columns without the ADM2 codes."""
    names = [c for c in codebook if not c.endswith("ADM2Code")]
    return dict(zip(names, row))


@pytest.fixture
def gdelt_db(gdelt_rows):
    db = memory_database()
    report = gdelt.import_file(db, GDELT1)
    return db, report


def _event(db, global_id: str) -> dict:
    cur = db.execute("SELECT * FROM events WHERE dataset = 'GDELT' AND external_id = ?", [global_id])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None, global_id
    return dict(zip(names, row))


def _roles(db, event_id: int) -> dict[str, str]:
    """role -> the actor's external_id."""
    sql = "SELECT ea.role, a.external_id FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?"
    return dict(db.execute(sql, [event_id]).fetchall())


def _role_codes(db, event_id: int) -> dict[str, tuple[list, list]]:
    """role -> (the actor's CAMEO codes, its names as GDELT wrote them)."""
    sql = "SELECT ea.role, a.attributes FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?"
    found = {}
    for role, attributes in db.execute(sql, [event_id]):
        attrs = json.loads(attributes)
        found[role] = (attrs.get("cameo_codes", []), attrs.get("gdelt_names", []))
    return found


# ---------------------------------------------------------------- GDELT


def test_gdelt_counts_match_the_file(gdelt_db, gdelt_rows):
    db, report = gdelt_db
    widths = Counter(len(r) for r in gdelt_rows)
    assert widths == {58: 509, 57: 201}  # what the file holds, per its README
    assert report.events_added == len(gdelt_rows) == _count(db, "SELECT count(*) FROM events")
    assert report.skipped == []
    assert report.actors_added == _count(db, "SELECT count(*) FROM actors")
    slots = sum(1 for r in gdelt_rows for i in (5, 15) if r[i] or r[i + 1])
    assert _count(db, "SELECT count(*) FROM event_actors") == slots  # Actor1 = Actor2 keeps both roles
    urls = {r[57] for r in gdelt_rows if len(r) == 58 and r[57]}
    assert report.sources_added == len(urls) == _count(db, "SELECT count(*) FROM sources")
    assert _count(db, "SELECT count(*) FROM event_sources") == sum(1 for r in gdelt_rows if len(r) == 58 and r[57])


def test_gdelt_dates_codes_and_columns_line_up(gdelt_db, gdelt_rows, codebook):
    db, _ = gdelt_db
    for row in gdelt_rows:
        fields = _v1(codebook, row)
        event = _event(db, fields["GLOBALEVENTID"])
        sqldate = fields["SQLDATE"]
        assert event["start"] == f"{sqldate[:4]}-{sqldate[4:6]}-{sqldate[6:]}"
        assert event["precision"] == "day" and event["certainty"] == "reported"
        assert event["earliest"] == _day_start(sqldate)
        assert event["latest"] == _day_start(sqldate) + 86399
        assert event["type"] == fields["EventCode"]  # text, zero padding kept
        assert event["location"] == (fields["ActionGeo_FullName"] or None)
        attrs = json.loads(event["attributes"])
        assert attrs["EventRootCode"] == fields["EventRootCode"] and attrs["DATEADDED"] == fields["DATEADDED"]
        assert attrs["GoldsteinScale"] == float(fields["GoldsteinScale"])
        assert attrs["NumMentions"] == int(fields["NumMentions"])


def test_gdelt_keeps_zero_padded_codes_as_text(gdelt_db, gdelt_rows):
    db, _ = gdelt_db
    padded = [r for r in gdelt_rows if re.fullmatch(r"0\d{3}", r[26])]
    assert padded, "the sample has four-digit codes with a leading zero"
    event = _event(db, padded[0][0])
    assert event["type"] == padded[0][26] and isinstance(event["type"], str)
    assert f"CAMEO {padded[0][26]}" in event["title"]
    assert db.execute("SELECT typeof(type) FROM events WHERE type = ?", ["010"]).fetchone() == ("text",)


def test_gdelt_actor1_initiates_and_actor2_is_the_target(gdelt_db, gdelt_rows):
    db, _ = gdelt_db
    both = next(r for r in gdelt_rows if r[5] and r[15] and r[5] != r[15])
    only1 = next(r for r in gdelt_rows if r[5] and not r[15])
    only2 = next(r for r in gdelt_rows if r[15] and not r[5])
    found = _role_codes(db, _event(db, both[0])["id"])
    assert set(found) == {"initiator", "target"}
    assert both[5] in found["initiator"][0] and both[6] in found["initiator"][1]
    assert both[15] in found["target"][0] and both[16] in found["target"][1]
    found = _role_codes(db, _event(db, only1[0])["id"])
    assert set(found) == {"initiator"} and only1[5] in found["initiator"][0]
    found = _role_codes(db, _event(db, only2[0])["id"])
    assert set(found) == {"target"} and only2[15] in found["target"][0]


def test_gdelt_actor_names_and_kinds(gdelt_db, gdelt_rows):
    db, _ = gdelt_db
    actor = lambda external_id: db.execute(  # noqa: E731
        "SELECT name, kind, country, aliases, attributes FROM actors WHERE external_id = ?", [external_id]
    ).fetchone()
    name, kind, country, aliases, attributes = actor("gdelt:USA")
    assert (name, kind, country) == ("United States", "country", "USA")  # its most used name
    assert "American" in json.loads(aliases)
    assert actor("gdelt:name:NASA")[:2] == ("NASA", "government body")  # USAGOV
    assert actor("gdelt:name:REUTERS")[:2] == ("Reuters", "media")  # USAMED
    assert actor("gdelt:role:POLICE|")[:2] == ("Police (country not given)", "government body")
    assert actor("gdelt:role:BUSINESS|")[1] == "organisation"
    assert _count(db, "SELECT count(DISTINCT name) FROM actors") == _count(db, "SELECT count(*) FROM actors")


def test_gdelt_is_idempotent(gdelt_db):
    db, _ = gdelt_db
    before = _counts(db)
    again = gdelt.import_file(db, GDELT1)
    assert (again.events_added, again.actors_added, again.sources_added) == (0, 0, 0)
    assert _counts(db) == before


def test_gdelt_merges_into_a_researchers_actor_and_survives_name_collisions(gdelt_rows):
    db = memory_database()
    mine = records.add_actor(db, "United States", "country")  # no external_id: the researcher's own
    other = records.add_actor(db, "Business", "organisation", external_id="elsewhere:1")
    gdelt.import_file(db, GDELT1)
    usa = next(r for r in gdelt_rows if r[5] == "USA" and r[6] == "UNITED STATES")
    assert _roles(db, _event(db, usa[0])["id"])["initiator"] is None  # the researcher's actor, NULL external_id
    assert db.execute("SELECT name FROM actors WHERE id = ?", [other]).fetchone()[0] == "Business"
    assert _count(db, "SELECT count(*) FROM actors WHERE external_id = 'gdelt:role:BUSINESS|'") == 1
    assert db.execute("SELECT name FROM actors WHERE id = ?", [mine]).fetchone()[0] == "United States"


def _as_v2(row: list[str], codebook: list[str], url: str) -> list[str]:
    """A 2.0 row made from a 1.0 one: ADM2 columns added, DATEADDED with time."""
    fields = _v1(codebook, row)
    fields.update(SOURCEURL=url, DATEADDED=fields["DATEADDED"] + "101500", ActionGeo_ADM2Code="12345")
    fields["GLOBALEVENTID"] = str(800_000_000 + int(fields["GLOBALEVENTID"]))
    return [fields.get(name, "") for name in codebook]


def test_gdelt_mixed_layouts_bad_rows_and_odd_values(tmp_path, gdelt_rows, codebook):
    row58 = next(r for r in gdelt_rows if len(r) == 58)
    row57 = next(r for r in gdelt_rows if len(r) == 57)
    v2 = _as_v2(row58, codebook, "BBC Monitoring")
    odd = list(row58)
    odd[0] = "777"
    v1_names = [c for c in codebook if not c.endswith("ADM2Code")]
    odd[v1_names.index("ActionGeo_FeatureID")] = "US"  # text where a number usually is
    bad_date = list(row58)
    bad_date[0], bad_date[1] = "778", "20161345"
    lines = [row58, row57, v2, row57[:44], odd, bad_date]
    path = tmp_path / "mixed.tsv"
    path.write_text("".join("\t".join(r) + "\n" for r in lines), encoding="utf-8")
    db = memory_database()
    report = gdelt.import_file(db, path)
    assert report.events_added == 4
    assert report.skipped == ["line 4: 44 fields (expected 57, 58 or 61)", "line 6: bad SQLDATE '20161345' (expected YYYYMMDD)"]
    event = _event(db, v2[0])
    attrs = json.loads(event["attributes"])
    assert attrs["gdelt_version"] == "2.0" and attrs["ActionGeo_ADM2Code"] == "12345"
    assert attrs["DATEADDED"].endswith("101500")
    cited = db.execute(
        "SELECT s.publisher, s.url FROM event_sources es JOIN sources s ON s.id = es.source_id WHERE es.event_id = ?",
        [event["id"]],
    ).fetchall()
    assert cited == [("BBC Monitoring", None)]  # a citation, not a URL
    assert json.loads(_event(db, "777")["attributes"])["ActionGeo_FeatureID"] == "US"


def test_gdelt_runaway_line_is_an_error_and_changes_nothing(tmp_path, gdelt_rows):
    path = tmp_path / "long.tsv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\t".join(gdelt_rows[0]) + "\n")
        fh.write("x" * (17 * 2**20) + "\n")
    db = open_database(tmp_path / "t.db", create=True)
    records.add_actor(db, "Someone")
    db.conn.commit()
    before = _counts(db)
    with pytest.raises(ImportError_, match=r"long\.tsv: line 2: longer than 16 MB"):
        gdelt.import_file(db, path)
    assert _counts(db) == before


def _cycled_gdelt(path: Path, rows: list[list[str]], count: int) -> Path:
    """count rows cycled from the real ones, each with its own GLOBALEVENTID."""
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(count):
            row = rows[n % len(rows)]
            fh.write("\t".join([str(700_000_000 + n), *row[1:]]) + "\n")
    return path


def test_gdelt_into_a_file_database_matches_memory(tmp_path, gdelt_rows):
    """Several batches, into a file: the same result as in memory."""
    path = _cycled_gdelt(tmp_path / "many.tsv", gdelt_rows, 12_000)
    mem = memory_database()
    on_disk = open_database(tmp_path / "g.db", create=True)
    reports = [gdelt.import_file(db, path) for db in (mem, on_disk)]
    assert reports[0].events_added == reports[1].events_added == 12_000
    query = "SELECT external_id, title, start, type, attributes FROM events ORDER BY external_id"
    assert mem.execute(query).fetchall() == on_disk.execute(query).fetchall()
    roles = "SELECT e.external_id, a.external_id, ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id JOIN actors a ON a.id = ea.actor_id ORDER BY 1, 2"
    assert mem.execute(roles).fetchall() == on_disk.execute(roles).fetchall()
    assert gdelt.import_file(on_disk, path).events_added == 0


def test_gdelt_error_after_some_batches_changes_nothing(tmp_path, gdelt_rows):
    path = _cycled_gdelt(tmp_path / "many.tsv", gdelt_rows, 12_000)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("x" * (17 * 2**20) + "\n")
    db_path = tmp_path / "g.db"
    db = open_database(db_path, create=True)
    gdelt.import_file(db, GDELT1)
    db.conn.close()
    before = db_path.read_bytes()
    db = open_database(db_path)
    with pytest.raises(ImportError_, match="line 12001: longer than 16 MB"):
        gdelt.import_file(db, path)
    db.conn.close()
    assert db_path.read_bytes() == before


def test_a_failing_batch_write_rolls_back_the_earlier_batches(tmp_path, gdelt_rows, monkeypatch):
    from store.importers import writer as common

    path = _cycled_gdelt(tmp_path / "many.tsv", gdelt_rows, 12_000)
    real = common.EventWriter._write
    calls = []

    def fail_second(self, batch):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        real(self, batch)

    monkeypatch.setattr(common.EventWriter, "_write", fail_second)
    db = open_database(tmp_path / "g.db", create=True)
    with pytest.raises(RuntimeError, match="disk on fire"):
        gdelt.import_file(db, path)
    assert _count(db, "SELECT count(*) FROM events") == 0


# ---------------------------------------------------------------- mapped CSV


def _write_csv(path: Path, rows: list[list[str]], delimiter=",", encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


EXAMPLE_ROWS = [
    ["Event Date", "Source Name", "Target Name", "Event Text", "Publisher", "CAMEO Code"],
    ["2016-07-28", "Barack Obama", "China", "Obama criticises Beijing", "Reuters", "111"],
    ["28 July 2016", "Angela Merkel; François Hollande", "Russia", "", "AFP", "036"],
    ["NA", "Nobody", "", "No date here", "AP", "010"],
    ["not a date", "Nobody", "", "Bad date", "AP", "010"],
]


def test_mapped_csv_the_map_example(tmp_path):
    path = _write_csv(tmp_path / "events.csv", EXAMPLE_ROWS)
    db = memory_database()
    report = import_mapped_csv(db, path, MAP_EXAMPLE)
    assert report.events_added == 2
    assert report.skipped[0] == "line 4: no date"
    assert report.skipped[1].startswith("line 5: date: cannot understand the date 'not a date'")
    obama = db.execute("SELECT id, start, certainty FROM events WHERE title = 'Obama criticises Beijing'").fetchone()
    assert obama[1:] == ("2016-07-28", "reported")
    roles = db.execute(
        "SELECT a.name, ea.role FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?", [obama[0]]
    ).fetchall()
    assert sorted(roles) == [("Barack Obama", "initiator"), ("China", "target")]
    # no title: made of the actors and the date; two actors in one cell
    fallback = db.execute("SELECT id, title FROM events WHERE start = '28 July 2016'").fetchone()
    assert fallback[1] == "Angela Merkel; François Hollande → Russia (28 July 2016)"
    assert _count(db, "SELECT count(*) FROM event_actors WHERE event_id = ?", [fallback[0]]) == 3
    assert {r[0] for r in db.execute("SELECT publisher FROM sources")} == {"Reuters", "AFP"}


def test_mapped_csv_is_idempotent_and_keeps_ids(tmp_path):
    rows = [["when", "what", "ref"], ["2020-01-01", "One", "a-1"], ["2020-01-02", "Two", "a-2"]]
    path = _write_csv(tmp_path / "ids.csv", rows)
    db = memory_database()
    mapping = ["date=when", "title=what", "id=ref"]
    assert import_mapped_csv(db, path, mapping).events_added == 2
    again = import_mapped_csv(db, path, mapping)
    assert again.events_added == 0 and again.actors_added == 0
    assert {r[0] for r in db.execute("SELECT external_id FROM events")} == {"a-1", "a-2"}
    hashed = memory_database()
    import_mapped_csv(hashed, path, ["date=when", "title=what"])
    assert import_mapped_csv(hashed, path, ["date=when", "title=what"]).events_added == 0


@pytest.mark.parametrize(
    "mapping, expected",
    [
        (["date=Event Date", "colour=Publisher"], r"unknown mapping key 'colour'.*'Event Date', 'Source Name'"),
        (["date=Event Date", "title=Headline"], r"no column 'Headline' \(for title=\).*'Event Date', 'Source Name'"),
        (["title=Event Text"], r"needs date=COLUMN"),
        (["date"], r"not KEY=COLUMN"),
    ],
)
def test_mapped_csv_bad_mapping_names_it_and_lists_the_columns(tmp_path, mapping, expected):
    path = _write_csv(tmp_path / "events.csv", EXAMPLE_ROWS)
    with pytest.raises(ImportError_, match=expected):
        import_mapped_csv(memory_database(), path, mapping)


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_mapped_csv_finds_the_delimiter(tmp_path, delimiter):
    path = _write_csv(tmp_path / "d.txt", EXAMPLE_ROWS[:3], delimiter=delimiter)
    assert import_mapped_csv(memory_database(), path, MAP_EXAMPLE).events_added == 2


def test_mapped_csv_with_bom(tmp_path):
    path = _write_csv(tmp_path / "bom.csv", EXAMPLE_ROWS[:2], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    db = memory_database()
    report = import_mapped_csv(db, path, MAP_EXAMPLE)  # "Event Date" is found despite the BOM
    assert report.events_added == 1 and report.warnings == []


def test_mapped_csv_latin1_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Event Date,Event Text\n2020-03-01,Réunion à Zürich\n".encode("latin-1"))
    db = memory_database()
    report = import_mapped_csv(db, path, ["date=Event Date", "title=Event Text"])
    assert db.execute("SELECT title FROM events").fetchone()[0] == "Réunion à Zürich"
    assert any("Latin-1" in w and "line 2" in w for w in report.warnings)


def test_mapped_csv_strips_nul_bytes_with_a_warning(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Event Date,Event Text\n2020-03-01,Bro\x00ken\n")
    db = memory_database()
    report = import_mapped_csv(db, path, ["date=Event Date", "title=Event Text"])
    assert db.execute("SELECT title FROM events").fetchone()[0] == "Broken"
    assert any("NUL" in w for w in report.warnings)


def test_mapped_csv_too_long_field_names_the_line(tmp_path):
    path = tmp_path / "long.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Event Date,Event Text\n2020-03-01,short\n")
        fh.write('2020-03-02,"' + "y" * (17 * 2**20) + '"\n')
    with pytest.raises(ImportError_, match=r"long\.csv: line 3: .*longer than 16 MB"):
        import_mapped_csv(memory_database(), path, ["date=Event Date", "title=Event Text"])


def test_mapped_csv_unclosed_quote_is_an_error_and_leaves_the_file_byte_identical(tmp_path):
    db_path = tmp_path / "story.db"
    db = open_database(db_path, create=True)
    records.add_event(db, "Already here", "2019-01-01")
    db.conn.close()
    before = db_path.read_bytes()
    path = tmp_path / "broken.csv"
    path.write_text('Event Date,Event Text\n2020-01-01,fine\n2020-01-02,"never closed\n2020-01-03,more\n', encoding="utf-8")
    db = open_database(db_path)
    with pytest.raises(ImportError_, match=r"broken\.csv: line 3: unclosed quote"):
        import_mapped_csv(db, path, ["date=Event Date", "title=Event Text"])
    db.conn.close()
    assert db_path.read_bytes() == before


def test_mapped_csv_multiline_cells_keep_line_numbers(tmp_path):
    rows = [["Date", "Title"], ["2020-01-01", "two\nlines"], ["", "no date"]]
    path = _write_csv(tmp_path / "multi.csv", rows)
    report = import_mapped_csv(memory_database(), path, ["date=Date", "title=Title"])
    assert report.skipped == ["line 4: no date"]


def test_saved_mappings(tmp_path):
    path = _write_csv(tmp_path / "events.csv", EXAMPLE_ROWS)
    db = memory_database()
    save_mapping(db, "icews", MAP_EXAMPLE)
    assert load_mapping(db, "icews") == MAP_EXAMPLE
    assert records.get_meta(db, "csv_mapping:icews") == json.dumps(MAP_EXAMPLE)
    report = import_mapped_csv(db, path, ["@icews", "type=CAMEO Code"])  # saved, plus an override
    assert report.events_added == 2
    assert {r[0] for r in db.execute("SELECT type FROM events")} == {"111", "036"}
    with pytest.raises(ImportError_, match=r"no saved mapping '@nope'.*icews"):
        import_mapped_csv(db, path, ["@nope"])
    with pytest.raises(ImportError_, match="unknown mapping key 'when'"):
        save_mapping(db, "bad", ["when=Event Date"])


# ---------------------------------------------------------------- TimelineJS


def _timeline(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


TIMELINE = {
    "title": {"text": {"headline": "A <i>story</i>", "text": "<p>About it</p>"}},
    "events": [
        {
            "start_date": {"year": "2015", "month": "3", "day": "4"},
            "text": {"headline": "<b>Bold</b> &amp; <i>brave</i>", "text": "<p>First &lt;para&gt;</p><p>Second<br>line</p><script>x()</script>"},
            "group": "Politics",
            "media": {"url": "https://example.org/a", "caption": "The <b>caption</b>", "credit": "Example &amp; Co"},
            "unique_id": "slide-1",
        },
        {"start_date": {"year": 2014}, "text": {"headline": "Only a year"}},
        {"start_date": {"year": 2014, "month": 6}, "end_date": {"year": 2014, "month": 8}, "text": {"headline": "Months"}},
        {"start_date": {"year": 2016, "month": 1, "day": 2, "hour": 13, "minute": 5}, "text": {"headline": "Timed"}},
        {"start_date": {"month": 5}, "text": {"headline": "No year"}},
        {"start_date": {"year": -500}, "text": {"headline": "Too early"}},
    ],
}


def test_timelinejs_html_dates_and_media(tmp_path):
    db = memory_database()
    report = timelinejs.import_file(db, _timeline(tmp_path, TIMELINE))
    assert report.events_added == 4
    assert report.skipped == ["events[4]: no start_date year", "events[5]: year -500 is outside 1 to 9999"]
    bold = db.execute("SELECT title, summary, type, start, precision, external_id, id FROM events WHERE external_id = 'slide-1'").fetchone()
    assert bold[:6] == ("Bold & brave", "First <para>\nSecond\nline", "Politics", "2015-03-04", "day", "slide-1")
    precisions = dict(db.execute("SELECT title, precision FROM events").fetchall())
    assert precisions == {"Bold & brave": "day", "Only a year": "year", "Months": "month", "Timed": "minute"}
    assert db.execute("SELECT \"end\" FROM events WHERE title = 'Months'").fetchone()[0] == "2014-08"
    source = db.execute(
        "SELECT s.url, s.title, s.publisher FROM event_sources es JOIN sources s ON s.id = es.source_id WHERE es.event_id = ?",
        [bold[6]],
    ).fetchone()
    assert source == ("https://example.org/a", "The caption", "Example & Co")
    assert records.get_meta(db, "title") == "A story"
    assert timelinejs.import_file(db, _timeline(tmp_path, TIMELINE)).events_added == 0


def test_timelinejs_threadline_actors(tmp_path):
    data = {"events": [{
        "start_date": {"year": 2020},
        "text": {"headline": "Meeting"},
        "threadline_actors": [{"name": "Ana", "role": "initiator", "kind": "person"}, "Ministry", {"name": "X", "role": "boss"}],
    }]}  # fmt: skip
    db = memory_database()
    timelinejs.import_file(db, _timeline(tmp_path, data))
    roles = dict(db.execute("SELECT a.name, ea.role FROM event_actors ea JOIN actors a ON a.id = ea.actor_id").fetchall())
    assert roles == {"Ana": "initiator", "Ministry": "participant", "X": "participant"}


def test_timelinejs_not_a_timeline(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ImportError_, match="not a TimelineJS file"):
        timelinejs.import_file(memory_database(), path)
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"x\.json: line 1: not valid JSON"):
        timelinejs.import_file(memory_database(), path)


# ---------------------------------------------------------------- WikiTimes


@pytest.fixture(scope="module")
def wiki_entries() -> list[dict]:
    return json.loads(_need(WIKITIMES).read_text(encoding="utf-8"))


def test_wikitimes_counts_actors_and_sources(wiki_entries):
    db = memory_database()
    report = wikitimes.import_file(db, WIKITIMES)
    assert report.events_added == len(wiki_entries) == 428 and report.skipped == []
    pages = {e["wikiURL"].split("#")[0] for entry in wiki_entries for e in entry["entity"]}  # a section is its page
    assert report.actors_added == len(pages) == _count(db, "SELECT count(*) FROM actors")
    source_urls = {s["url"] for entry in wiki_entries for s in entry["source"]}
    assert report.sources_added == len(source_urls)
    links = sum(len({e["wikiURL"].split("#")[0] for e in entry["entity"]}) for entry in wiki_entries)
    assert _count(db, "SELECT count(*) FROM event_actors WHERE role = 'mentioned'") == links
    again = wikitimes.import_file(db, WIKITIMES)
    assert (again.events_added, again.actors_added, again.sources_added) == (0, 0, 0)


def test_wikitimes_entities_match_on_url_not_name(wiki_entries):
    db = memory_database()
    wikitimes.import_file(db, WIKITIMES)
    by_name: dict[str, set[str]] = {}
    for entry in wiki_entries:
        for e in entry["entity"]:
            by_name.setdefault(e["name"], set()).add(e["wikiURL"])
    shared = {name: urls for name, urls in by_name.items() if len(urls) > 1}
    assert shared, "the file has names shared by two pages (Apple Inc)"
    for urls in shared.values():
        pages = {u.split("#")[0] for u in urls}
        ids = {db.execute("SELECT id FROM actors WHERE external_id = ?", [u]).fetchone()[0] for u in pages}
        assert len(ids) == len(pages)
    unicode_url = next(e["wikiURL"] for entry in wiki_entries for e in entry["entity"] if "é" in e["wikiURL"])
    name, aliases = db.execute("SELECT name, aliases FROM actors WHERE external_id = ?", [unicode_url]).fetchone()
    assert "é" in name  # the page title keeps the accents WikiTimes' name lost; that name is an alias
    assert all("é" not in a for a in json.loads(aliases))


def test_wikitimes_fields(wiki_entries):
    db = memory_database()
    wikitimes.import_file(db, WIKITIMES)
    messy = next(e for e in wiki_entries if e["description"].rstrip().endswith(","))
    row = db.execute("SELECT summary, type, start, certainty, attributes FROM events WHERE external_id = ?", [f"wikitimes:{messy['id']}"]).fetchone()
    summary, type_, start, certainty, attrs = row
    assert not summary.endswith(",") and summary == summary.strip()
    assert summary.startswith(messy["description"][:40])
    assert type_ == messy["category"]["name"].replace("_", " / ")
    assert (start, certainty) == (messy["date"], "reported")
    no_story = next(e for e in wiki_entries if "belongsToStory" not in e)
    attrs = json.loads(db.execute("SELECT attributes FROM events WHERE external_id = ?", [f"wikitimes:{no_story['id']}"]).fetchone()[0])
    assert "story" not in attrs
    with_story = next(e for e in wiki_entries if "belongsToStory" in e)
    attrs = json.loads(db.execute("SELECT attributes FROM events WHERE external_id = ?", [f"wikitimes:{with_story['id']}"]).fetchone()[0])
    assert attrs["story"] == with_story["belongsToStory"]["name"]
    kinds = dict(db.execute("SELECT name, kind FROM actors WHERE name IN ('Syria', 'United Nations', 'BBC')").fetchall())
    assert kinds == {"Syria": "country", "United Nations": "organisation", "BBC": "media"}


# ---------------------------------------------------------------- command line


def test_cli_imports_gdelt(tmp_path, gdelt_rows):
    result = run_cli("import", tmp_path / "g.db", GDELT1, "--format", "gdelt")
    assert result.returncode == 0, result.stderr
    assert f"added {len(gdelt_rows)} events" in result.stdout
    db = open_database(tmp_path / "g.db", readonly=True)
    assert _count(db, "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'statement'") > 0
    db.conn.close()


def test_cli_import_error_is_one_line(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('Event Date,Event Text\n2020-01-01,"open\n', encoding="utf-8")
    result = run_cli("import", tmp_path / "c.db", path, "--format", "csv", "--map", "date=Event Date", "title=Event Text")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.csv" in lines[0] and "line 2" in lines[0]
    assert not (tmp_path / "c.db").exists()  # a database made for a failed import is removed


def test_cli_saved_mapping(tmp_path):
    path = _write_csv(tmp_path / "events.csv", EXAMPLE_ROWS)
    db = open_database(tmp_path / "m.db", create=True)
    save_mapping(db, "mine", MAP_EXAMPLE)
    db.conn.close()
    result = run_cli("import", tmp_path / "m.db", path, "--format", "csv", "--map", "@mine")
    assert result.returncode == 0, result.stderr
    assert "added 2 events" in result.stdout and "skipped: line 4: no date" in result.stderr


def test_a_csv_with_dates_that_read_both_ways_says_how_they_were_read(tmp_path):
    from store.database import memory_database
    from store.importers.mapped_csv import import_mapped_csv

    path = tmp_path / "numeric.csv"
    path.write_text("date,title,actor\n05/04/2025,A,Ana\n06/04/2025,B,Ana\n15/04/2025,C,Ana\n03.05.2025,D,Ana\n",
                    encoding="utf-8")
    db = memory_database()
    report = import_mapped_csv(db, path, ["date=date", "title=title", "actor=actor"])
    assert report.warnings == [
        "line 2: '05/04/2025' and 1 more could be day or month first; read month first ('05/04/2025' is 4 May 2025), "
        "but line 4 has '15/04/2025', which can only be day first: if the file's dates are day first, write them "
        "as 2025-04-05 or 5 April 2025"]
    days = dict(db.execute("SELECT title, date(earliest, 'unixepoch') FROM events").fetchall())
    assert days == {"A": "2025-05-04", "B": "2025-06-04", "C": "2025-04-15", "D": "2025-05-03"}


def test_an_actor_first_met_as_a_target_takes_the_kind_a_later_row_gives(tmp_path):
    from store.database import memory_database
    from store.importers.mapped_csv import import_mapped_csv

    path = tmp_path / "port.csv"
    path.write_text("Date,Who,Kind,With whom,What\n"
                    "2025-05-01,Dock Union,group,Port Authority,Talks\n"
                    "2025-05-02,Port Authority,government body,Harbour Holdings Ltd,Contract\n"
                    "2025-05-03,Harbour Holdings Ltd,organisation,Dock Union,Offer\n"
                    "2025-05-04,Ana Silva,,Port Authority,Interview\n", encoding="utf-8")
    db = memory_database()
    import_mapped_csv(db, path, ["date=Date", "actor=Who", "kind=Kind", "target=With whom", "title=What"])
    kinds = dict(db.execute("SELECT name, kind FROM actors").fetchall())
    assert kinds == {"Dock Union": "group", "Port Authority": "government body",
                     "Harbour Holdings Ltd": "organisation", "Ana Silva": "person"}


def test_titles_are_whole_first_sentences_never_cut_after_an_abbreviation(tmp_path):
    from pathlib import Path

    from store.database import memory_database
    from store.importers import wikitimes
    from store.importers.values import short_title

    assert short_title("The U.S. Senate votes to end the shutdown. More follows.") == "The U.S. Senate votes to end the shutdown."
    assert short_title("Mr. Smith resigns. Later.") == "Mr. Smith resigns."
    data = Path(__file__).parents[2] / "shared" / "data" / "wikitimes_CEP_2015-09.json"
    assert data.exists(), f"real data file {data} is not there"
    db = memory_database()
    wikitimes.import_file(db, data)
    cut = [t for (t,) in db.execute("SELECT title FROM events") if t.endswith(("U.S.", "U.K.", "U.N."))]
    assert cut == []


def test_relative_dates_in_a_csv_are_read_against_a_mapped_reference_column(tmp_path):
    from store.database import memory_database
    from store.importers.mapped_csv import import_mapped_csv

    path = tmp_path / "rel.csv"
    path.write_text("Date,Title,Who,Published\nlast Friday,Strike vote,Dock Union,6 May 2025\n"
                    "last Friday,Undated,Dock Union,\n", encoding="utf-8")
    db = memory_database()
    report = import_mapped_csv(db, path, ["date=Date", "title=Title", "actor=Who", "reference=Published"])
    assert db.execute("SELECT start, date_reference, date(earliest, 'unixepoch') FROM events").fetchall() == [
        ("last Friday", "6 May 2025", "2025-05-02")]  # kept as written, read against its article's day
    assert report.skipped == ["line 3: date: a reference date is needed to understand 'last Friday'"]
    again = memory_database()
    report = import_mapped_csv(again, path, ["date=Date", "title=Title", "actor=Who"])
    assert report.skipped[0].endswith("(map the column with the day it was written: reference=COLUMN)")


def test_an_overlong_cell_is_kept_and_said(tmp_path):
    from store.database import memory_database
    from store.importers.mapped_csv import import_mapped_csv

    path = tmp_path / "huge.csv"
    path.write_text("date,title,actor\n2025-05-01,Fine,Ana\n2025-05-02," + "x" * 50_000 + ",Ana\n", encoding="utf-8")
    db = memory_database()
    report = import_mapped_csv(db, path, ["date=date", "title=title", "actor=actor"])
    assert report.warnings == ["line 3: the title is 50,000 characters long; kept as written"]
    assert db.execute("SELECT max(length(title)) FROM events").fetchone()[0] == 50_000
