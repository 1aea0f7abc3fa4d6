"""Tests for bench.synth: deterministic synthetic databases.

Small sizes only; the derived date columns are checked against
store.records.event_bounds / relationship_bounds row by row.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from bench.synth import write_synthetic
from bench.synth import writer as synth  # where the chunking is looked up (tests patch it)
from store.database import StoreError, open_database
from store.records import Participation, add_event, event_bounds, relationship_bounds
from store.schema import ACTOR_KINDS, CERTAINTIES

N, M = 2000, 50


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("synth")


@pytest.fixture(scope="module")
def made(folder) -> Path:
    return write_synthetic(folder / "a.db", events=N, actors=M, seed=1)


def query(path: Path, sql: str, params=()) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def one(path: Path, sql: str, params=()):
    return query(path, sql, params)[0][0]


def content_tables(path: Path) -> list[str]:
    # Everything but the record of when the schema was made.
    return [name for (name,) in query(path, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name != '_sqlite_migrations' ORDER BY name")
            if not name.endswith("_fts")]  # the virtual tables: their shadow tables are compared


def dump(path: Path) -> dict[str, list[tuple]]:
    return {t: query(path, f'SELECT * FROM "{t}" ORDER BY 1, 2') for t in content_tables(path)}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------- determinism


def test_returns_the_path(made, folder):
    assert made == folder / "a.db"
    assert made.is_file()


def test_same_arguments_give_the_same_rows(made, folder):
    again = write_synthetic(folder / "b.db", events=N, actors=M, seed=1)
    first, second = dump(made), dump(again)
    assert set(first) >= {"events", "actors", "event_actors", "event_sources", "sources",
                          "relationships", "relationship_events", "meta", "events_fts_data"}
    for table in first:
        assert first[table] == second[table], table
    assert query(made, "SELECT * FROM events ORDER BY id") == query(again, "SELECT * FROM events ORDER BY id")


def test_another_seed_gives_other_rows(made, folder):
    other = write_synthetic(folder / "c.db", events=N, actors=M, seed=2)
    assert query(made, "SELECT * FROM events ORDER BY id") != query(other, "SELECT * FROM events ORDER BY id")
    assert query(made, "SELECT name FROM actors ORDER BY id") != query(other, "SELECT name FROM actors ORDER BY id")
    assert one(other, "SELECT value FROM meta WHERE key = 'title'") == \
        f"Synthetic data: {N} events by {M} actors (seed 2)"


# ---------------------------------------------------------------- counts and links


def test_counts(made):
    assert one(made, "SELECT count(*) FROM events") == N
    assert one(made, "SELECT count(*) FROM actors") == M
    assert one(made, "SELECT count(*) FROM sources") == math.ceil(N / 1000)
    assert one(made, "SELECT count(*) FROM relationships") == 2 * M
    assert query(made, "SELECT min(id), max(id) FROM events") == [(1, N)]
    assert one(made, "SELECT value FROM meta WHERE key = 'title'") == \
        f"Synthetic data: {N} events by {M} actors (seed 1)"


def test_every_event_has_an_actor_and_a_source(made):
    assert one(made, "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_actors)") == 0
    assert one(made, "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)") == 0
    # Sources are shared widely.
    per_source = [n for (n,) in query(made, "SELECT count(*) FROM event_sources GROUP BY source_id")]
    assert len(per_source) == 2 and min(per_source) > 500


def test_participants(made):
    sizes = Counter(n for (n,) in query(made, "SELECT count(*) FROM event_actors GROUP BY event_id"))
    assert set(sizes) <= {1, 2, 3, 4, 5}
    assert 0.65 < sizes[2] / N < 0.75
    assert 0.16 < sizes[1] / N < 0.24
    assert 0.07 < (sizes[3] + sizes[4] + sizes[5]) / N < 0.13
    roles = dict(query(made, "SELECT role, count(*) FROM event_actors GROUP BY role"))
    assert roles["initiator"] == sizes[1] + sizes[2]
    assert roles["target"] == sizes[2]
    # Pairs are an initiator and a target.
    assert query(made, """SELECT count(*) FROM (SELECT event_id FROM event_actors GROUP BY event_id
                          HAVING count(*) = 2 AND group_concat(role) NOT IN
                          ('initiator,target', 'target,initiator'))""") == [(0,)]


def test_a_few_actors_are_very_active(made):
    counts = sorted((n for (n,) in query(made, "SELECT count(*) FROM event_actors GROUP BY actor_id")),
                    reverse=True)
    assert counts[0] > 8 * counts[len(counts) // 2]
    assert counts[0] > 0.08 * sum(counts)


def test_actors_are_readable_unique_and_of_every_kind(made):
    rows = query(made, "SELECT name, kind FROM actors")
    names = [name for name, _ in rows]
    assert len(set(names)) == len(names)
    assert all(name and name[0].isupper() and not name.startswith("Actor") for name in names)
    assert {kind for _, kind in rows} == set(ACTOR_KINDS)


def test_relationships(made):
    rows = query(made, 'SELECT from_actor_id, to_actor_id, type, directed, start, "end", earliest, latest '
                       "FROM relationships")
    assert all(a != b for a, b, *_ in rows)
    assert len({frozenset((a, b)) for a, b, *_ in rows}) == len(rows)
    assert len({row[2] for row in rows}) >= 5
    assert any(row[4] is None for row in rows) and any(row[5] is None for row in rows)  # open ends
    for *_, start, end, earliest, latest in rows:
        bounds = relationship_bounds(start, end)
        assert (bounds["earliest"], bounds["latest"]) == (earliest, latest), (start, end)


def test_relationship_events_are_between_its_actors_while_it_lasted(made):
    rows = query(made, """
        SELECT r.id, r.from_actor_id, r.to_actor_id, r.earliest, r.latest, e.earliest, e.latest,
               (SELECT group_concat(actor_id) FROM event_actors WHERE event_id = e.id)
        FROM relationship_events re JOIN relationships r ON r.id = re.relationship_id
        JOIN events e ON e.id = re.event_id""")
    assert len(rows) > 50
    for _rid, a, b, r_first, r_last, e_first, e_last, actors in rows:
        assert {int(x) for x in actors.split(",")} == {a, b}
        assert r_first is None or e_first >= r_first
        assert r_last is None or e_last <= r_last
    per_rel = Counter(rid for rid, *_ in rows)
    assert max(per_rel.values()) <= synth.LINKS_PER_RELATIONSHIP


# ---------------------------------------------------------------- dates


EVENT_DATE_COLUMNS = ("start", "end", "precision", "end_precision", "approximate",
                      "earliest", "latest", "start_latest", "end_earliest")


def test_derived_bounds_agree_with_event_bounds(made):
    columns = ", ".join(f'"{c}"' for c in EVENT_DATE_COLUMNS)
    rows = query(made, f"SELECT id, date_reference, {columns} FROM events ORDER BY id")
    assert len(rows) == N
    for event_id, reference, *values in rows:
        assert reference is None
        stored = dict(zip(EVENT_DATE_COLUMNS, values))
        expected = event_bounds(stored["start"], stored["end"])
        assert {c: expected[c] for c in EVENT_DATE_COLUMNS} == stored, event_id


def test_date_forms_mix(made):
    starts = [s for (s,) in query(made, "SELECT start FROM events")]
    precision = Counter(p for (p,) in query(made, "SELECT precision FROM events"))
    assert 0.80 < precision["day"] / N < 0.90
    assert 0.03 < precision["minute"] / N < 0.07
    assert 0.04 < precision["month"] / N < 0.08
    assert 0.025 < precision["year"] / N < 0.06  # years, year ranges and "c. 2016"
    approximate = sum(s.startswith("c. ") for s in starts)
    ranges = sum("/" in s for s in starts)
    assert 0.003 < approximate / N < 0.02
    assert 0.003 < ranges / N < 0.02
    assert one(made, "SELECT count(*) FROM events WHERE approximate = 1") == approximate
    ends = one(made, 'SELECT count(*) FROM events WHERE "end" IS NOT NULL')
    assert 0.03 < ends / N < 0.07
    # Durations from a day to months.
    spans = [(b - a) / 86400 for a, b in query(made, 'SELECT earliest, latest FROM events WHERE "end" IS NOT NULL')]
    assert min(spans) >= 0.02 and max(spans) > 30


def test_dates_are_bursty_over_decades(made):
    days = sorted(e // 86400 for (e,) in query(made, "SELECT earliest FROM events WHERE precision = 'day'"))
    years = {d * 86400 // (365.2425 * 86400) + 1970 for d in days}
    assert min(years) == 1990 and max(years) == 2025
    # The busiest month holds far more than a uniform spread would (1/432).
    busiest = max(sum(1 for _ in group) for _, group in
                  itertools.groupby(days, key=lambda d: d // 30))
    assert busiest > 8 * len(days) / 432


def test_other_columns(made):
    certainty = Counter(c for (c,) in query(made, "SELECT certainty FROM events"))
    assert set(certainty) == set(CERTAINTIES)
    assert certainty["confirmed"] / N > 0.7
    types = {t for (t,) in query(made, "SELECT DISTINCT type FROM events")}
    assert "meeting" in types and "statement" in types and len(types) <= 15
    assert one(made, "SELECT count(*) FROM events WHERE summary IS NULL") > N / 2
    assert one(made, "SELECT max(length(summary)) FROM events") < 60
    assert one(made, "SELECT count(*) FROM events WHERE title LIKE '% statement on %'") > 0


# ---------------------------------------------------------------- the file


def test_full_text_search_works(made):
    hits = query(made, "SELECT rowid FROM events_fts WHERE events_fts MATCH 'meets'")
    assert hits
    titles = dict(query(made, "SELECT id, title FROM events"))
    assert all(" meets " in titles[rowid] for (rowid,) in hits)
    assert len(hits) == sum(" meets " in t for t in titles.values())


def test_same_schema_as_a_new_file_and_triggers_work_again(made, tmp_path):
    fresh = tmp_path / "fresh.db"
    open_database(fresh, create=True).conn.close()
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert query(made, schema) == query(fresh, schema)
    copy = tmp_path / "copy.db"
    copy.write_bytes(made.read_bytes())
    db = open_database(copy)
    try:
        new_id = add_event(db, "Zanzibar delegation visits", "2 May 2025", actors=[Participation(1, "initiator")])
        assert db.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH 'zanzibar'").fetchall() == [(new_id,)]
    finally:
        db.conn.close()


def test_integrity(made):
    assert query(made, "PRAGMA integrity_check") == [("ok",)]
    assert query(made, "PRAGMA foreign_key_check") == []
    assert one(made, "PRAGMA journal_mode") == "delete"
    assert query(made, "INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)") == []
    db = open_database(made, readonly=True)
    db.conn.close()


# ---------------------------------------------------------------- safety


def test_refuses_to_overwrite(tmp_path):
    target = tmp_path / "taken.db"
    target.write_bytes(b"precious")
    with pytest.raises(StoreError, match="taken.db"):
        write_synthetic(target, events=10, actors=3)
    assert target.read_bytes() == b"precious"
    assert leftovers(tmp_path) == []


def test_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        write_synthetic(tmp_path / "nowhere" / "x.db", events=10, actors=3)


def test_an_interrupted_run_leaves_nothing(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(synth, "_event_chunk", boom)
    with pytest.raises(KeyboardInterrupt):
        write_synthetic(tmp_path / "x.db", events=10, actors=3)
    assert list(tmp_path.iterdir()) == []


def test_chunks_join_up(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "CHUNK", 300)
    path = write_synthetic(tmp_path / "x.db", events=1000, actors=20, seed=5)
    assert query(path, "SELECT min(id), max(id), count(*) FROM events") == [(1, 1000, 1000)]
    assert one(path, "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_actors)") == 0
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("events, actors", [(0, 0), (0, 5), (30, 1), (60, 2), (80, 3)])
def test_tiny_sizes(tmp_path, events, actors):
    path = write_synthetic(tmp_path / "x.db", events=events, actors=actors, seed=3)
    assert one(path, "SELECT count(*) FROM events") == events
    assert one(path, "SELECT count(*) FROM actors") == actors
    assert one(path, "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_actors)") == 0
    assert one(path, "SELECT count(*) FROM event_actors ea JOIN event_actors eb "
                     "ON ea.event_id = eb.event_id AND ea.actor_id = eb.actor_id AND ea.rowid != eb.rowid") == 0
    assert one(path, "SELECT max(n) FROM (SELECT count(*) AS n FROM event_actors GROUP BY event_id)") in \
        ((None,) if not events else range(1, min(actors, 5) + 1))
    assert one(path, "SELECT count(*) FROM relationships") == min(2 * actors, actors * (actors - 1) // 2)
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("kwargs", [dict(events=-1, actors=3), dict(events=5, actors=0),
                                    dict(events=5, actors=2, seed=-1), dict(events=2.5, actors=3)])
def test_bad_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError):
        write_synthetic(tmp_path / "x.db", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_command_line(tmp_path):
    """``python -m bench.synth``, as docs/BENCHMARKS.md says to run it, from the project folder."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "cli.db"

    def synth(*args):
        return subprocess.run([sys.executable, "-m", "bench.synth", *args], cwd=root, capture_output=True,
                              text=True, timeout=120)

    done = synth("--events", "100", "--actors", "10", "--out", str(out), "--seed", "4")
    assert done.returncode == 0, done.stderr
    assert f"wrote 100 synthetic events by 10 actors to {out}" in done.stdout
    assert one(out, "SELECT count(*) FROM events") == 100
    again = synth("--events", "100", "--actors", "10", "--out", str(out))
    assert again.returncode == 1 and again.stderr.strip() == f"synth: {out}: already exists; choose a new file name"
    bad = synth("--events", "-5", "--actors", "10", "--out", str(tmp_path / "bad.db"))
    assert bad.returncode == 1 and bad.stderr.strip() == "synth: events must be a whole number of at least 0, not -5"
