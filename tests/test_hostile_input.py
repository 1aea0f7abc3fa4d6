"""Hostile and malformed input: bounded cost, lenient text, one-line messages.

Each test builds the bad file itself (a real SQLite file changed with
sqlite3, a real CSV or JSON), runs the real command line or the real
loader, and checks three things: no traceback, one line naming the
problem, and nothing already stored lost.
"""

from __future__ import annotations

import hashlib
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _one_line_error(result, *words) -> str:
    """The command failed with one line on stderr, no traceback, naming ``words``."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _change(path: Path, *statements, params=()) -> None:
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql, params) if params and "?" in sql else conn.execute(sql)
    conn.commit()
    conn.close()


def _load_in_limited_process(db: Path, limit_bytes: int = 1_500_000_000) -> subprocess.CompletedProcess:
    """Load the timeline arrays in a process whose memory is capped: a loader
    that grew with ids instead of rows would die of MemoryError."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from store.database import open_database\n"
        "from store.timeline_data import load_timeline_data\n"
        "d = load_timeline_data(open_database(sys.argv[1], readonly=True), use_cache=False)\n"
        "print(d.n_events, int(d.pair_offsets[-1]), sorted(int(i) for i in d.event_ids)[-1], sorted(int(i) for i in d.event_ids)[0])\n"
    )
    return subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- item 4: memory follows the rows


def _move_event(new_id: int, pick: str) -> list[str]:
    """Statements giving one event (and its links) the id ``new_id``."""
    old = f"(SELECT {pick}(id) FROM events)"
    return [f"UPDATE {table} SET event_id = {new_id} WHERE event_id = {old}" for table in ("event_actors", "event_sources")] + [
        f"UPDATE events SET id = {new_id} WHERE id = {old}"]


@pytest.mark.parametrize("statements", [
    _move_event(2**63 - 1, "max"),
    _move_event(-(2**63), "min"),
    ["UPDATE event_actors SET rowid = 9223372036854775807 WHERE rowid = (SELECT max(rowid) FROM event_actors)"],
], ids=["id 2^63-1", "id -2^63", "participant rowid 2^63-1"])
def test_extreme_ids_load_in_memory_of_the_rows(sample_db, statements):
    before = _load_in_limited_process(sample_db)
    assert before.returncode == 0, before.stderr
    n_events, n_pairs = map(int, before.stdout.split()[:2])
    conn = sqlite3.connect(sample_db)
    conn.execute("PRAGMA foreign_keys = OFF")  # as a stranger's tool would write it
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    after = _load_in_limited_process(sample_db)
    assert after.returncode == 0, after.stderr
    got = after.stdout.split()
    assert (int(got[0]), int(got[1])) == (n_events, n_pairs)  # every event and participation kept
    if "events SET id = 9" in statements[-1]:
        assert int(got[2]) == 2**63 - 1
    if "-9223372036854775808" in statements[-1]:
        assert int(got[3]) == -(2**63)


def test_value_over_the_cap_is_one_line_naming_it(sample_db, tmp_path):
    conn = sqlite3.connect(sample_db)
    conn.execute("UPDATE events SET title = printf('%.*c', 101000000, 'x') WHERE id = 3")
    conn.commit()
    conn.close()
    before = _digest(sample_db)
    for args in (("export", sample_db, "--format", "json", "--out", tmp_path / "o.json"),
                 ("export", sample_db, "--format", "gexf", "--out", tmp_path / "o.gexf")):
        line = _one_line_error(run_cli(*args), "events.title", "row 3", "100 MB")
        assert str(sample_db) in line
    assert not (tmp_path / "o.json").exists() and not (tmp_path / "o.gexf").exists()
    assert _digest(sample_db) == before


@pytest.mark.parametrize("flags, words", [
    (("--height", "100000"), ("--height", "100", "12000", "100000")),
    (("--height", "-5"), ("--height", "-5")),
    (("--width", "50"), ("--width", "200", "12000")),
    (("--width", "12000", "--height", "12000"), ("48,000,000",)),
])
def test_export_png_size_is_range_checked(sample_db, tmp_path, flags, words):
    out = tmp_path / "t.png"
    _one_line_error(run_cli("export-png", sample_db, "--out", out, *flags), *words)
    assert not out.exists()


def test_info_json_into_a_closed_pipe_is_quiet(sample_db):
    """``threadline info DB --json | head``: the reader has gone before we write."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "info", str(sample_db), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader leaves at once: every write meets a closed pipe
    with proc.stderr:
        stderr = proc.stderr.read()
    proc.wait(timeout=120)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert proc.returncode == 141
