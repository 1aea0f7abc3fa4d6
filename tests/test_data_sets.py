"""Real data stays true on import and export: actor identity, data sets of
ids, duplicates, sources, ICEWS, and byte-identical round trips. Checked on
the shared GDELT 1.0 sample (these tests fail, never skip, when it is
missing) and on made-up rows for each case."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import run_cli
from store import interchange
from store.database import memory_database, open_database
from store.importers import gdelt, icews, timelinejs, wikitimes
from store.importers.mapped_csv import import_mapped_csv
from store.importers.names import is_role_name, looks_like_person, restore_case

DATA = Path(__file__).parents[2] / "shared" / "data"
GDELT1 = DATA / "gdelt1_events_sample_20160728.tsv"
ICEWS_HEADER = (
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\t"
    "Target Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\t"
    "Province\tCountry\tLatitude\tLongitude"
)
ICEWS_ROWS = [  # as in shared/data/ICEWS.md, plus actors of each kind
    "1001\t2021-03-04\tRuritania\tNA\tRuritania\tConsult\t040\t1\tPolice (Freedonia)\tGovernment,Police\tFreedonia\t5001\t1\tExample Wire\tStrelsau\tNA\tCapital Region\tRuritania\t50.1\t14.4",
    "1002\t2021-03-04\tRuritania\tNA\tRuritania\tConsult\t040\t1\tPolice (Freedonia)\tGovernment,Police\tFreedonia\t5002\t2\tExample Wire\tStrelsau\tNA\tCapital Region\tRuritania\t50.1\t14.4",
    "1003\t2021-03-05\tRudolf Rassendyll\tGovernment,Executive Office,Executive\tRuritania\tMake statement\t010\t0\tNA\tNA\tNA\t5003\t1\tAnother Paper\tNA\tNA\tNA\tRuritania\tNA\tNA",
    "1004\t2021-03-06\tEuropean Union\tInternational Government Organizations\tNA\tCriticize or denounce\t111\t-2.5\tCitizen (Freedonia)\tGeneral Population / Civilian / Social\tFreedonia\t5004\t3\tExample Wire\tNA\tNA\tNA\tFreedonia\tNA\tNA",
    "1005\t2021-03-06\tFreedonia Times\tMedia\tFreedonia\tMake statement\t010\t0\tAcme Mining\tBusiness\tFreedonia\t5005\t1\tExample Wire\tNA\tNA\tNA\tFreedonia\tNA\tNA",
]


def _real(path: Path) -> Path:
    assert path.exists(), f"real data file {path} is not there (shared/data must sit beside the checkout)"
    return path


def _gdelt_rows() -> list[list[str]]:
    return [line.split("\t") for line in _real(GDELT1).read_text(encoding="utf-8").splitlines() if line]


def _write_gdelt(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _type(code: str, country: str) -> str:
    """Type1Code as GDELT gives it: the code without its country."""
    return code.replace(country, "", 1)[:3] if country else code[:3] if code != country else ""


def _made_up(template: list[str], event_id: str, actor1=("", "", ""), actor2=("", "", "")) -> list[str]:
    """A GDELT 1.0 row from a real one: new id, actors (code, name, country)."""
    row = list(template)
    row[0] = event_id
    row[5], row[6], row[7] = actor1
    row[15], row[16], row[17] = actor2
    for i in (8, 9, 10, 11, 13, 14, 18, 19, 20, 21, 23, 24):
        row[i] = ""
    row[12] = _type(actor1[0], actor1[2])
    row[22] = _type(actor2[0], actor2[2])
    if actor1[0].startswith("IGO"):
        row[8] = actor1[0][3:]
    if actor2[0].startswith("IGO"):
        row[18] = actor2[0][3:]
    return row


def _actor_of(db, event_external_id: str, role: str, dataset="GDELT"):
    return db.execute(
        "SELECT a.name, a.kind, a.aliases, a.attributes FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "JOIN events e ON e.id = ea.event_id WHERE e.dataset = ? AND e.external_id = ? AND ea.role = ?",
        [dataset, event_external_id, role],
    ).fetchone()


def _count(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


# ---------------------------------------------------------------- GDELT actor identity


def _entity(raw: str) -> str:
    """Our own reading of which entity a GDELT name means."""
    name = " ".join(raw.split()).upper()
    return name[4:] if name.startswith("THE ") else name


def test_no_actor_holds_two_named_entities_in_the_real_sample():
    rows = _gdelt_rows()
    db = memory_database()
    gdelt.import_file(db, GDELT1)
    # Every row's named actor holds that row's name.
    for row in rows:
        for code_at, role in ((5, "initiator"), (15, "target")):
            if not row[code_at + 1]:
                continue
            name, kind, aliases, attributes = _actor_of(db, row[0], role)
            assert _entity(row[code_at + 1]) in {_entity(n) for n in json.loads(attributes)["gdelt_names"]}
            assert row[code_at] in json.loads(attributes)["cameo_codes"]
    # An actor that is not a country holds one entity, whatever its codes.
    for name, attributes in db.execute("SELECT name, attributes FROM actors WHERE kind != 'country'"):
        entities = {_entity(n) for n in json.loads(attributes).get("gdelt_names", [])}
        assert len(entities) <= 1, (name, entities)
    # Different people under one code (USAGOV) are different actors.
    obama = db.execute("SELECT name FROM actors WHERE external_id = 'gdelt:name:BARACK OBAMA'").fetchone()
    clinton = db.execute("SELECT name FROM actors WHERE external_id = 'gdelt:name:HILLARY CLINTON'").fetchone()
    assert obama == ("Barack Obama",) and clinton == ("Hillary Clinton",)
    assert db.execute("SELECT name FROM actors WHERE external_id = 'gdelt:name:NASA'").fetchone() == ("NASA",)
    # "UNITED STATES" as USACOP, USAGOV, ... is the country, not a police actor
    usacop = next(r for r in rows if r[5] == "USACOP" and r[6] == "UNITED STATES")
    assert _actor_of(db, usacop[0], "initiator")[:2] == ("United States", "country")


def test_gdelt_entity_role_names_and_codes(tmp_path):
    template = _gdelt_rows()[0]
    rows = [
        _made_up(template, "1", ("MNCUSA", "NETFLIX", "USA"), ("MNCUSA", "BOEING", "USA")),
        _made_up(template, "2", ("BUS", "NETFLIX", ""), ("FRA", "FRANCE", "FRA")),
        _made_up(template, "3", ("FRAGOV", "PRESIDENT", "FRA"), ("USAGOV", "PRESIDENT", "USA")),
        _made_up(template, "4", ("USA", "UNITED STATES", "USA"), ("IGOEEC", "THE EU", "")),
        _made_up(template, "5", ("BDICOP", "BURUNDI", "BDI"), ("IGOUNO", "UNHCR", "")),
        _made_up(template, "6", ("BDI", "BURUNDI", "BDI"), ("IGOSAD", "SADC", "")),
        _made_up(template, "7", ("DEUGOV", "ANGELA MERKEL", "DEU"), ("DEUGOV", "ANGELA MERKEL", "DEU")),
    ]
    db = memory_database()
    gdelt.import_file(db, _write_gdelt(tmp_path / "made.tsv", rows))
    netflix = db.execute("SELECT name, kind, attributes FROM actors WHERE external_id = 'gdelt:name:NETFLIX'").fetchone()
    assert netflix[:2] == ("Netflix", "organisation")
    assert json.loads(netflix[2])["cameo_codes"] == ["BUS", "MNCUSA"]  # one entity under two codes
    assert _actor_of(db, "1", "target")[0] == "Boeing"  # never merged with Netflix by its code
    presidents = {_actor_of(db, "3", "initiator")[0], _actor_of(db, "3", "target")[0]}
    assert presidents == {"President (France)", "President (United States)"}
    assert _actor_of(db, "4", "target")[:3] == ("EU", "organisation", '["the EU"]')
    assert _actor_of(db, "5", "target")[0] == "UNHCR" and _actor_of(db, "6", "target")[0] == "SADC"
    # a country's plain name under its police code is the country, even seen before the country
    assert _actor_of(db, "5", "initiator")[:2] == ("Burundi", "country")
    assert _count(db, "SELECT count(*) FROM actors WHERE name LIKE 'Burundi%'") == 1
    # Actor1 = Actor2 keeps both roles
    merkel = db.execute(
        "SELECT ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.external_id = '7' ORDER BY 1"
    ).fetchall()
    assert merkel == [("initiator",), ("target",)]
    assert _actor_of(db, "7", "initiator")[:2] == ("Angela Merkel", "person")  # a person in government
    assert gdelt.import_file(db, tmp_path / "made.tsv").actors_added == 0


def test_all_aliases_are_kept(tmp_path):
    template = _gdelt_rows()[0]
    names = [f"PLACE NUMBER {n}" for n in range(30)]
    rows = [_made_up(template, str(100 + n), ("USA", name, "USA")) for n, name in enumerate(["UNITED STATES"] * 5 + names)]
    db = memory_database()
    gdelt.import_file(db, _write_gdelt(tmp_path / "many.tsv", rows))
    name, aliases = db.execute("SELECT name, aliases FROM actors WHERE external_id = 'gdelt:USA'").fetchone()
    assert name == "United States" and len(json.loads(aliases)) == 30


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("NASA", "NASA"), ("THE EU", "the EU"), ("UNHCR", "UNHCR"), ("SADC", "SADC"), ("ASEAN", "ASEAN"),
        ("NATO", "NATO"), ("UNITED STATES", "United States"), ("BBC", "BBC"), ("BANK OF AMERICA", "Bank of America"),
        ("AL-QAEDA", "Al-Qaeda"), ("MCDONALD'S", "Mcdonald's"), ("DR JOHN SMITH", "Dr John Smith"), ("G20", "G20"),
        ("Angela Merkel", "Angela Merkel"), ("SRI LANKA", "Sri Lanka"), ("THE PM", "the PM"),
    ],
)  # fmt: skip
def test_case_is_restored_with_acronyms_kept(raw, shown):
    assert restore_case(raw) == shown


def test_role_names():
    assert is_role_name("PRESIDENT") and is_role_name("POLICE OFFICER") and is_role_name("THE PRIME MINISTER")
    assert not is_role_name("BARACK OBAMA") and not is_role_name("NASA") and not is_role_name("NETFLIX")


@pytest.mark.parametrize(
    "name, person",
    [
        ("HILLARY CLINTON", True), ("Jérôme Valcke", True), ("Jean-Claude Juncker", True), ("Conan O'Brien", True),
        ("Alejandro Maldonado Aguirre", True), ("OBAMA", False), ("UNITED STATES", False), ("THE WHITE HOUSE", False),
        ("SUPREME COURT", False), ("SAN FRANCISCO", False), ("Saudi Arabia", False), ("Taiwan Strait", False),
        ("Berlin Marathon", False), ("Electric car", False), ("Santiago de Cuba", False), ("Minsk II", False),
        ("FINANCE MINIST", False), ("PIONEER NATURAL RESOURCES CO", False), ("2015 Rugby World Cup", False),
    ],
)  # fmt: skip
def test_a_name_that_reads_as_a_persons(name, person):
    assert looks_like_person(name) is person


def test_people_in_the_real_samples_are_people(tmp_path):
    """GDELT codes politicians under government codes and WikiTimes says
    nothing of its entities: named people still come out as people."""
    db = memory_database()
    gdelt.import_file(db, _real(GDELT1))
    kinds = dict(db.execute("SELECT name, kind FROM actors").fetchall())
    for person in ("Hillary Clinton", "Barack Obama", "Joe Biden", "Vladimir Putin"):
        assert kinds[person] == "person", person
    assert kinds["United States"] == "country" and kinds["White House"] == "government body"
    assert kinds["President (country not given)"] == "government body"  # a role, which may be several people
    db = memory_database()
    wikitimes.import_file(db, _real(DATA / "wikitimes_CEP_2015-09.json"))
    kinds = dict(db.execute("SELECT name, kind FROM actors").fetchall())
    for person in ("Barack Obama", "Donald Trump", "Vladimir Putin", "Pope Francis"):
        assert kinds[person] == "person", person
    assert kinds["White House"] != "person" and kinds["Taiwan Strait"] != "person"


# ---------------------------------------------------------------- data sets and duplicates


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


MAP = ["date=when", "title=what", "actor=who", "id=ref"]


def test_two_data_sets_with_the_same_id_both_import(tmp_path):
    a = _csv(tmp_path / "a.csv", [["when", "what", "who", "ref"], ["2020-01-01", "From A", "Ana", "32889836"]])
    b = _csv(tmp_path / "b.csv", [["when", "what", "who", "ref"], ["2021-05-05", "From B", "Ben", "32889836"]])
    db = memory_database()
    assert import_mapped_csv(db, a, MAP).events_added == 1
    report = import_mapped_csv(db, b, MAP)
    assert report.events_added == 1 and report.warnings == []
    assert db.execute("SELECT dataset, external_id, title FROM events ORDER BY id").fetchall() == [
        ("a.csv", "32889836", "From A"), ("b.csv", "32889836", "From B"),
    ]  # fmt: skip
    # named data sets: the same file under another name is another data set
    assert import_mapped_csv(db, a, MAP, dataset="survey").events_added == 1
    assert import_mapped_csv(db, a, MAP, dataset="survey").events_added == 0


def test_identical_rows_are_all_kept_and_a_second_import_adds_nothing(tmp_path):
    rows = [["when", "what", "who"]] + [["2020-01-01", "Protest", "Citizen (India)"]] * 3 + [["2020-01-02", "Other", "X"]]
    path = _csv(tmp_path / "same.csv", rows)
    db = memory_database()
    first = import_mapped_csv(db, path, ["date=when", "title=what", "actor=who"])
    assert first.events_added == 4 and first.warnings == []
    again = import_mapped_csv(db, path, ["date=when", "title=what", "actor=who"])
    assert again.events_added == 0 and again.actors_added == 0
    assert again.warnings == [
        "4 records already in the database from an earlier import of this file, identical, not added again; "
        "lines 2, 3, 4, 5"
    ]
    # the same rows in another file of the same data set: true, without "this file"
    other = _csv(tmp_path / "copy.csv", rows + [["2020-01-03", "New", "Y"]])
    third = import_mapped_csv(db, other, ["date=when", "title=what", "actor=who"], dataset="same.csv")
    assert third.events_added == 1
    assert "earlier import of this file" not in third.warnings[0] and "'same.csv'" in third.warnings[0]


def test_a_changed_record_is_reported_by_line_and_replaced_only_with_update(tmp_path):
    header = ["when", "what", "who", "ref"]
    first = _csv(tmp_path / "v1.csv", [header, ["2020-01-01", "One", "Ana", "r1"], ["2020-01-02", "Two", "Ben", "r2"]])
    db = memory_database()
    import_mapped_csv(db, first, MAP, dataset="survey")
    changed = _csv(
        tmp_path / "v2.csv",
        [header, ["2020-01-01", "One", "Ana", "r1"], ["2020-01-09", "Two, corrected", "Ben", "r2"], ["2020-02-01", "Three", "Cy", "r3"]],
    )
    report = import_mapped_csv(db, changed, MAP, dataset="survey")
    assert report.events_added == 1
    assert "1 record differs from what is stored: kept the stored ones; line 3 (import with --update to replace them)" in report.warnings
    assert db.execute("SELECT title FROM events WHERE external_id = 'r2'").fetchone() == ("Two",)
    updated = import_mapped_csv(db, changed, MAP, dataset="survey", update=True)
    assert updated.events_added == 0
    assert any("replaced the stored version (--update); line 3" in w for w in updated.warnings)
    assert db.execute("SELECT title, start FROM events WHERE external_id = 'r2'").fetchone() == ("Two, corrected", "2020-01-09")
    assert _count(db, "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'corrected'") == 1
    assert _count(db, "SELECT count(*) FROM events") == 3


def test_cli_update_and_dataset(tmp_path):
    header = ["when", "what", "who", "ref"]
    v1 = _csv(tmp_path / "v1.csv", [header, ["2020-01-01", "One", "Ana", "r1"]])
    v2 = _csv(tmp_path / "v2.csv", [header, ["2020-01-01", "One (fixed)", "Ana", "r1"]])
    db = tmp_path / "c.db"
    base = ["--format", "csv", "--dataset", "survey", "--map", *MAP]
    assert run_cli("import", db, v1, *base).returncode == 0
    kept = run_cli("import", db, v2, *base)
    assert kept.returncode == 0 and "differs from what is stored" in kept.stderr and "line 2" in kept.stderr
    replaced = run_cli("import", db, v2, *base, "--update")
    assert replaced.returncode == 0 and "replaced" in replaced.stderr
    conn = open_database(db, readonly=True)
    assert conn.execute("SELECT dataset, title FROM events").fetchall() == [("survey", "One (fixed)")]
    conn.conn.close()


# ---------------------------------------------------------------- sources


def test_a_url_less_source_in_two_files_stays_two_sources(tmp_path):
    a = _csv(tmp_path / "a.csv", [["when", "what", "pub"], ["2020-01-01", "A", "Local Gazette"]])
    db_a = memory_database()
    import_mapped_csv(db_a, a, ["date=when", "title=what", "source=pub"])
    b = _csv(tmp_path / "b.csv", [["when", "what", "pub"], ["2020-01-02", "B", "Evening Post"]])
    db_b = memory_database()
    import_mapped_csv(db_b, b, ["date=when", "title=what", "source=pub"])
    export_a, export_b = tmp_path / "a.json", tmp_path / "b.json"
    export_a.write_text(interchange.export_text(db_a, "json"), encoding="utf-8")
    export_b.write_text(interchange.export_text(db_b, "json"), encoding="utf-8")
    both = memory_database()
    interchange.import_file(both, export_a, "json")
    interchange.import_file(both, export_b, "json")
    cited = dict(
        both.execute(
            "SELECT e.title, s.publisher FROM event_sources es JOIN events e ON e.id = es.event_id "
            "JOIN sources s ON s.id = es.source_id"
        ).fetchall()
    )
    assert cited == {"A": "Local Gazette", "B": "Evening Post"}
    assert _count(both, "SELECT count(*) FROM sources") == 2


def test_an_old_export_with_source_1_does_not_cite_another_files_source(tmp_path):
    def story(publisher: str, title: str) -> dict:
        return {
            "format": "threadline", "version": 1, "actors": [],
            "sources": [{"key": "source-1", "publisher": publisher}],
            "events": [{"key": f"event-{title}", "title": title, "start": "2020", "sources": [{"source": "source-1"}]}],
        }  # fmt: skip

    db = memory_database()
    for n, (publisher, title) in enumerate([("First Wire", "one"), ("Second Wire", "two")]):
        path = tmp_path / f"{n}.json"
        path.write_text(json.dumps(story(publisher, title)), encoding="utf-8")
        interchange.import_file(db, path, "json")
    cited = dict(
        db.execute(
            "SELECT e.title, s.publisher FROM event_sources es JOIN events e ON e.id = es.event_id JOIN sources s ON s.id = es.source_id"
        ).fetchall()
    )
    assert cited == {"one": "First Wire", "two": "Second Wire"}


# ---------------------------------------------------------------- ICEWS


def _icews(tmp_path: Path, rows=ICEWS_ROWS) -> Path:
    path = tmp_path / "icews.tsv"
    path.write_text("\n".join([ICEWS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_icews_imports_with_kinds_from_sectors(tmp_path):
    db = memory_database()
    report = icews.import_file(db, _icews(tmp_path))
    assert report.events_added == 5 and report.skipped == []
    kinds = dict(db.execute("SELECT name, kind FROM actors").fetchall())
    assert kinds == {
        "Ruritania": "country", "Police (Freedonia)": "government body", "Rudolf Rassendyll": "person",
        "European Union": "organisation", "Citizen (Freedonia)": "group", "Freedonia Times": "media",
        "Acme Mining": "organisation",
    }  # fmt: skip
    # rows 1001 and 1002 differ only in story and sentence: both kept
    assert db.execute("SELECT external_id, dataset, type FROM events ORDER BY id LIMIT 2").fetchall() == [
        ("1001", "ICEWS", "040"), ("1002", "ICEWS", "040"),
    ]  # fmt: skip
    title, location, attributes = db.execute("SELECT title, location, attributes FROM events WHERE external_id = '1004'").fetchone()
    assert title == "European Union → Citizen (Freedonia): Criticize or denounce" and location == "Freedonia"
    attrs = json.loads(attributes)
    assert attrs["intensity"] == -2.5 and attrs["cameo_code"] == "111" and attrs["story_id"] == "5004"
    assert json.loads(db.execute("SELECT attributes FROM events WHERE external_id = '1001'").fetchone()[0])["latitude"] == 50.1
    police = json.loads(db.execute("SELECT attributes FROM actors WHERE name = 'Police (Freedonia)'").fetchone()[0])
    assert police == {"icews_country": "Freedonia", "icews_sectors": ["Government", "Police"]}
    publishers = {r[0] for r in db.execute("SELECT publisher FROM sources")}
    assert publishers == {"Example Wire", "Another Paper"}
    assert icews.import_file(db, _icews(tmp_path)).events_added == 0


def test_icews_cli_and_a_missing_column(tmp_path):
    done = run_cli("import", tmp_path / "i.db", _icews(tmp_path), "--format", "icews")
    assert done.returncode == 0 and "added 5 events, 7 actors" in done.stdout
    bad = tmp_path / "bad.tsv"
    bad.write_text("Event ID\tWhen\n1\t2020-01-01\n", encoding="utf-8")
    failed = run_cli("import", tmp_path / "j.db", bad, "--format", "icews")
    assert failed.returncode == 1 and "not an ICEWS file" in failed.stderr and "'Event Date'" in failed.stderr


# ---------------------------------------------------------------- round trips


def _importers(tmp_path: Path):
    template = _gdelt_rows()[0]
    made = _write_gdelt(
        tmp_path / "self.tsv", [_made_up(template, "9", ("DEUGOV", "ANGELA MERKEL", "DEU"), ("DEUGOV", "ANGELA MERKEL", "DEU"))]
    )
    rows = [["when", "what", "who", "kind", "pub"], ["2020-01-01", "Walkout", "Dock Union", "group", "Port News"]] * 2
    return {
        "gdelt": lambda db: gdelt.import_file(db, GDELT1),
        "gdelt-self": lambda db: gdelt.import_file(db, made),
        "icews": lambda db: icews.import_file(db, _icews(tmp_path)),
        "csv": lambda db: import_mapped_csv(
            db, _csv(tmp_path / "m.csv", rows), ["date=when", "title=what", "actor=who", "kind=kind", "source=pub"]
        ),
        "wikitimes": lambda db: wikitimes.import_file(db, _real(DATA / "wikitimes_CEP_2015-09.json")),
        "timelinejs": lambda db: timelinejs.import_file(db, _timeline(tmp_path)),
    }


def _timeline(tmp_path: Path) -> Path:
    path = tmp_path / "timeline.json"
    slides = [
        {"start_date": {"year": 2015, "month": 3}, "text": {"headline": "<b>One</b>", "text": "<p>Text</p>"},
         "media": {"url": "https://example.org/a.png", "credit": "Desk"}},
        {"start_date": {"year": 2016}, "text": {"headline": "Two"}, "threadline_actors": [{"name": "Ana", "role": "initiator"}]},
    ]  # fmt: skip
    path.write_text(json.dumps({"events": slides}), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("importer", ["gdelt", "gdelt-self", "icews", "csv", "wikitimes", "timelinejs"])
def test_round_trips_are_byte_identical_for_every_importers_output(tmp_path, fmt, importer):
    db = memory_database()
    _importers(tmp_path)[importer](db)
    first = interchange.export_text(db, fmt)
    path = tmp_path / f"story.{fmt}"
    path.write_text(first, encoding="utf-8")
    copy = memory_database()
    interchange.import_file(copy, path, fmt)
    assert interchange.export_text(copy, fmt) == first
    again = interchange.import_file(copy, path, fmt)
    assert (again.events_added, again.actors_added, again.sources_added) == (0, 0, 0)


# ---------------------------------------------------------------- migration


def test_a_file_from_before_data_sets_is_upgraded_keeping_its_records(tmp_path):
    import sqlite_utils

    from store.schema import SCHEMA_VERSION, migrations

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m002_datasets_and_both_roles")
    old.execute("INSERT INTO actors (id, name, kind, external_id) VALUES (1, 'United States', 'country', 'gdelt:USA')")
    for event_id, external_id in ((1, "gdelt:410479387"), (2, "survey-7")):
        old.execute(
            "INSERT INTO events (id, title, start, precision, earliest, latest, certainty, external_id) "
            "VALUES (?, 'x', '2016-07-28', 'day', 0, 86399, 'reported', ?)",
            [event_id, external_id],
        )
        old.execute("INSERT INTO event_actors VALUES (?, 1, 'initiator')", [event_id])
    old.conn.commit()
    old.conn.close()
    db = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT id, dataset, external_id FROM events ORDER BY id").fetchall() == [
        (1, "GDELT", "410479387"), (2, "", "survey-7"),
    ]  # fmt: skip
    assert db.execute("SELECT * FROM event_actors ORDER BY event_id").fetchall() == [(1, 1, "initiator"), (2, 1, "initiator")]
    db.execute("INSERT INTO event_actors VALUES (1, 1, 'target')")  # a second role of the same actor now fits
    assert "attributes" in db["actors"].columns_dict
    db.conn.close()


def test_icews_quotes_are_text_and_identical_rows_with_other_ids_stay_apart(tmp_path):
    quoted = ICEWS_ROWS[0].replace("Police (Freedonia)", '"Black Hand" (Freedonia)', 1).replace("1001", "1006", 1)
    db = memory_database()
    report = icews.import_file(db, _icews(tmp_path, [*ICEWS_ROWS, quoted, ICEWS_ROWS[4].replace("1005", "1007", 1)]))
    assert report.events_added == 7 and report.skipped == []
    assert db.execute("SELECT kind FROM actors WHERE name = '\"Black Hand\" (Freedonia)'").fetchone() == ("government body",)
    # 1005 and 1007 say the same in every column but the id: two events, one source
    assert _count(db, "SELECT count(*) FROM events WHERE title LIKE 'Freedonia Times%'") == 2


def test_an_actor_in_both_roles_is_one_place_in_its_lane(tmp_path):
    from store.timeline_data import load_timeline_data

    template = _gdelt_rows()[0]
    rows = [
        _made_up(template, "1", ("DEUGOV", "ANGELA MERKEL", "DEU"), ("DEUGOV", "ANGELA MERKEL", "DEU")),
        _made_up(template, "2", ("DEUGOV", "ANGELA MERKEL", "DEU"), ("FRA", "FRANCE", "FRA")),
    ]
    db = memory_database()
    gdelt.import_file(db, _write_gdelt(tmp_path / "self.tsv", rows))
    assert _count(db, "SELECT count(*) FROM event_actors") == 4
    data = load_timeline_data(db, use_cache=False)
    assert data.n_events == 2 and len(data.pair_actor) == 3  # Merkel once in event 1, Merkel and France in 2
    from store.queries import actors_with_counts, cooccurrence_edges

    counts = {a["name"]: a["events"] for a in actors_with_counts(db)}
    assert counts == {"Angela Merkel": 2, "France": 1}
    assert [edge.count for edge in cooccurrence_edges(db)] == [1]


def test_a_changed_gdelt_record_is_reported_by_line_and_replaced_only_with_update(tmp_path):
    rows = _gdelt_rows()
    db_path = tmp_path / "g.db"
    assert run_cli("import", db_path, GDELT1, "--format", "gdelt").returncode == 0
    changed = [list(r) for r in rows]
    changed[13][30] = "-9.5"  # line 14: another Goldstein score
    path = _write_gdelt(tmp_path / "changed.tsv", changed)
    kept = run_cli("import", db_path, path, "--format", "gdelt")
    assert kept.returncode == 0 and "added 0 events" in kept.stdout
    assert "1 record differs from what is stored: kept the stored ones; line 14" in kept.stderr
    assert f"{len(rows) - 1} records already in the database (same id in the data set 'GDELT')" in kept.stderr
    db = open_database(db_path, readonly=True)
    score = "SELECT json_extract(attributes, '$.GoldsteinScale') FROM events WHERE dataset = 'GDELT' AND external_id = ?"
    assert db.execute(score, [rows[13][0]]).fetchone()[0] == float(rows[13][30])
    db.conn.close()
    replaced = run_cli("import", db_path, path, "--format", "gdelt", "--update")
    assert replaced.returncode == 0 and "1 record replaced the stored version (--update); line 14" in replaced.stderr
    db = open_database(db_path, readonly=True)
    assert db.execute(score, [rows[13][0]]).fetchone()[0] == -9.5
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == len(rows)
    db.conn.close()


def test_an_icews_file_in_the_import_dialog(qtbot, sample_db, tmp_path):
    from PySide6.QtCore import QSettings, Qt

    from gui.import_dialog import ImportDialog
    from gui.main_window import MainWindow
    from gui.session import Session

    win = MainWindow(Session.open(sample_db), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    before = win.session.data.n_events
    dialog = ImportDialog(win.session, _icews(tmp_path), win)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fmt() == "icews"  # guessed from the header
    assert dialog.preview.horizontalHeaderItem(0).text() == "Event ID" and dialog.preview.item(0, 6).text() == "040"
    dialog.grab().save(str(tmp_path / "icews-dialog.png"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    assert dialog.report.events_added == 5
    assert win.session.data.n_events == before + 5
    kinds = dict(win.session.story.db.execute("SELECT name, kind FROM actors WHERE name IN ('Ruritania', 'European Union')").fetchall())
    assert kinds == {"Ruritania": "country", "European Union": "organisation"}


def test_an_id_given_twice_in_one_file_names_both_lines(tmp_path):
    header = ["when", "what", "who", "ref"]
    path = _csv(
        tmp_path / "twice.csv",
        [header, ["2020-01-01", "One", "Ana", "r1"], ["2020-01-02", "Two", "Ben", "r2"], ["2020-01-01", "One", "Ana", "r1"],
         ["2020-01-05", "Other", "Ana", "r1"]],
    )  # fmt: skip
    db = memory_database()
    report = import_mapped_csv(db, path, MAP)
    assert report.events_added == 2
    assert report.skipped == [
        "line 4: the same record as line 2 (id r1), kept once",
        "line 5: id r1 was already given to line 2 with other content; kept line 2",
    ]
    # again, over what is stored: the first row is the stored record, the repeats still name line 2
    again = import_mapped_csv(db, path, MAP)
    assert again.events_added == 0 and again.skipped == report.skipped


def test_wikitimes_names_keep_their_letters_and_a_section_link_is_its_page():
    """WikiTimes drops accents and punctuation from names; the page title in
    the link keeps them, so it names the actor (WikiTimes' spelling stays
    an alias); a link to a section of a page is that page."""
    db = memory_database()
    wikitimes.import_file(db, _real(DATA / "wikitimes_CEP_2015-09.json"))
    aliases = {name: json.loads(a or "[]") for name, a in db.execute("SELECT name, aliases FROM actors")}
    assert aliases["Kolinda Grabar-Kitarović"] == ["Kolinda GrabarKitarovi"]
    assert aliases["Otto Pérez Molina"] == ["Otto Prez Molina"]
    assert "Kolinda GrabarKitarovi" not in aliases
    assert [n for n in aliases if n.startswith("Tofacitinib")] == ["Tofacitinib"]


def test_wikitimes_places_and_groups_named_like_people_are_not_people(tmp_path):
    """A page title of two capitalised words reads like a person's name; the
    portal's own sentences tell otherwise: "in Al Hudaydah, Yemen" is a
    place, "Abu Sayyaf militants" a group; a name after a people's word
    ("Iraqi Kurdistan", "Independent Greeks") or with a foreign body word
    ("München Hauptbahnhof", "Openbaar Ministerie") is no person either."""
    db = memory_database()
    wikitimes.import_file(db, _real(DATA / "wikitimes_CEP_2015-09.json"))
    kinds = dict(db.execute("SELECT name, kind FROM actors"))
    for name in ("Al Hudaydah", "Da Nang", "Iraqi Kurdistan", "Independent Greeks", "München Hauptbahnhof",
                 "Openbaar Ministerie", "Washington D.C.", "Opération Chammal", "Boston Red Sox"):
        assert kinds[name] != "person", name
    assert kinds["Abu Sayyaf"] == "group" and kinds["Viet Nam"] == "country"
    for name in ("Barack Obama", "Vladimir Putin", "Kolinda Grabar-Kitarović", "Joseph R. Biden", "David Ortiz"):
        assert kinds[name] == "person", name
    # the same rule on made-up entries: the sentence decides, not the file
    path = tmp_path / "made-up.json"
    path.write_text(json.dumps([
        {"date": "2025-05-01", "description": "Shelling hits Wadi Nahr, Syria, overnight.",
         "entity": [{"id": "1", "name": "Wadi Nahr", "wikiURL": "http://en.wikipedia.org/wiki/Wadi_Nahr"}]},
        {"date": "2025-05-02", "description": "Karim Haddad meets envoys in Geneva.",
         "entity": [{"id": "2", "name": "Karim Haddad", "wikiURL": "http://en.wikipedia.org/wiki/Karim_Haddad"}]},
    ]), encoding="utf-8")
    db = memory_database()
    wikitimes.import_file(db, path)
    assert dict(db.execute("SELECT name, kind FROM actors")) == {"Wadi Nahr": "organisation", "Karim Haddad": "person"}


def test_a_people_word_makes_a_name_no_person():
    assert not looks_like_person("Iraqi Kurdistan") and not looks_like_person("INDEPENDENT GREEKS")
    assert not looks_like_person("Opération Chammal") and not looks_like_person("Washington D.C.")
    assert looks_like_person("Dawn Adams") and looks_like_person("Joseph R. Biden")
