"""The project's own JSON/CSV format and the command line around it."""

import json
import sqlite3

import pytest

from conftest import run_cli
from store import interchange
from store.database import open_database

FIVE = {"Xi Jinping", "Wang Xiaohong", "Marco Rubio", "Scott Bessent", "Donald Trump"}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_lossless_round_trip(sample, tmp_path, fmt):
    first = interchange.export_text(sample, fmt)
    path = tmp_path / f"story.{fmt}"
    path.write_text(first, encoding="utf-8")
    copy = open_database(tmp_path / "copy.db", create=True)
    interchange.import_file(copy, path, fmt)
    assert interchange.export_text(copy, fmt) == first


def test_import_is_idempotent(sample, tmp_path):
    path = tmp_path / "story.json"
    path.write_text(interchange.export_text(sample, "json"), encoding="utf-8")
    report = interchange.import_file(sample, path, "json")
    assert (report.events_added, report.actors_added, report.sources_added, report.relationships_added) == (0, 0, 0, 0)


def test_bad_date_names_the_record_and_changes_nothing(sample, tmp_path):
    data = interchange.export_dict(sample)
    data["events"].append({"key": "new-one", "title": "New", "start": "2025-05-02", "actors": [], "sources": []})
    data["events"].append({"key": "broken", "title": "Broken", "start": "31 Febtember 2025", "actors": [], "sources": []})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = sample.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(interchange.ImportError_) as err:
        interchange.import_file(sample, path, "json")
    message = str(err.value)
    assert "bad.json" in message and "events[" in message and "'broken'" in message and "31 Febtember 2025" in message
    assert sample.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_csv_cells_cannot_run_as_formulas(memdb, tmp_path):
    from store import records

    records.add_actor(memdb, "=HYPERLINK(\"http://evil\")", "group")
    text = interchange.export_text(memdb, "csv")
    assert "'=HYPERLINK" in text
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    from store.database import memory_database

    other = memory_database()
    interchange.import_file(other, path, "csv")
    assert other.execute("SELECT name FROM actors").fetchone()[0] == "=HYPERLINK(\"http://evil\")"


def test_cli_sample_and_info(tmp_path):
    out = tmp_path / "s.db"
    made = run_cli("sample", "--out", out)
    assert made.returncode == 0, made.stderr
    info = run_cli("info", out, "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert FIVE <= set(data["people"])
    assert data["events"] >= 20 and data["events_without_source"] == 0
    assert data["earliest"] <= "2016-01-01" and data["latest"] >= "2025-05-02"
    again = run_cli("sample", "--out", out)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_cli_export_import_round_trip(sample_db, tmp_path):
    for fmt in ("json", "csv"):
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert run_cli("export", sample_db, "--format", fmt, "--out", first).returncode == 0
        new_db = tmp_path / f"new-{fmt}.db"
        done = run_cli("import", new_db, first, "--format", fmt)
        assert done.returncode == 0, done.stderr
        assert "added" in done.stdout
        assert run_cli("export", new_db, "--format", fmt, "--out", second).returncode == 0
        assert first.read_bytes() == second.read_bytes()


def test_cli_errors_are_one_line(tmp_path, sample_db):
    missing = run_cli("info", tmp_path / "missing.db")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    bad = run_cli("info", junk)
    assert bad.returncode == 1 and "not a SQLite database" in bad.stderr and "Traceback" not in bad.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "threadline", "version": 1, "events": [{"key": "k", "title": "t", "start": "someday"}]}))
    before = sample_db.read_bytes()
    failed = run_cli("import", sample_db, broken, "--format", "json")
    assert failed.returncode == 1 and "someday" in failed.stderr and "broken.json" in failed.stderr
    assert sample_db.read_bytes() == before
    fresh = tmp_path / "fresh.db"
    assert run_cli("import", fresh, broken, "--format", "json").returncode == 1
    assert not fresh.exists()  # a database made for a failed import is removed again


def test_cli_help_lists_commands():
    shown = run_cli("--help")
    assert shown.returncode == 0
    for command in ("sample", "info", "import", "export", "export-png"):
        assert command in shown.stdout
    assert run_cli("export-png", "--help").returncode == 0


def test_import_leaves_file_consistent(sample_db):
    conn = sqlite3.connect(sample_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
