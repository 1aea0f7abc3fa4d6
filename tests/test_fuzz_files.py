"""Hundreds of damaged copies of a real Threadline file (seeded, so a failure
can be replayed): none may crash, hang past the open deadline or leak a
traceback; a refused file stays byte for byte as it was; and nothing is ever
written into a file whose integrity_check fails."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from store.database import StoreError, close_database, open_database
from store.importing import import_into
from store.interchange import ImportError_
from store.records import RecordError

SEED = 20261201
MUTANTS = 300
DEADLINE = 3.0  # seconds each open may take to check a 200 KB file; far more than it needs
PAGE = 4096
EVENT = {
    "format": "threadline", "version": 1, "actors": [{"name": "Fuzz Actor", "kind": "person"}], "sources": [],
    "relationships": [], "events": [{"key": "f1", "title": "Fuzz event", "start": "2025-05-02",
                                     "actors": [{"actor": "Fuzz Actor", "role": "initiator"}]}],
}  # fmt: skip


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One seeded kind of damage a disk, a transfer or a person could do."""
    buf = bytearray(data)
    pages = len(buf) // PAGE
    kind = rng.randrange(7)
    if kind == 0:  # a few flipped bytes anywhere past the header
        for _ in range(rng.randint(1, 4)):
            buf[rng.randrange(100, len(buf))] ^= 1 << rng.randrange(8)
    elif kind == 1:  # a run of garbage inside one page
        at = rng.randrange(100, len(buf) - 64)
        buf[at : at + rng.randint(8, 64)] = rng.randbytes(64)[: rng.randint(8, 64)]
    elif kind == 2:  # one page written over another
        src, dst = rng.randrange(1, pages), rng.randrange(1, pages)
        buf[dst * PAGE : (dst + 1) * PAGE] = data[src * PAGE : (src + 1) * PAGE]
    elif kind == 3:  # a page zeroed
        dst = rng.randrange(1, pages)
        buf[dst * PAGE : (dst + 1) * PAGE] = bytes(PAGE)
    elif kind == 4:  # cut short
        del buf[rng.randrange(100, len(buf)) :]
    elif kind == 5:  # the header's fields (page size, counts, cookies, versions)
        at = rng.randrange(16, 100)
        buf[at] = rng.randrange(256)
    else:  # the schema page (sqlite_master), where names and SQL live
        at = rng.randrange(100, PAGE)
        buf[at] ^= 1 << rng.randrange(8)
    return bytes(buf)


def sound(path: Path) -> bool:
    """integrity_check of the file as it is now, on a connection of our own
    (read-only, under a deadline)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    until = time.monotonic() + DEADLINE
    conn.set_progress_handler(lambda: time.monotonic() > until, 1000)
    try:
        return conn.execute("PRAGMA integrity_check(1)").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def test_damaged_copies_are_refused_untouched_or_written_only_when_sound(_sample_master, tmp_path):
    original = _sample_master.read_bytes()
    rng = random.Random(SEED)
    outcomes = {"refused": 0, "written": 0, "import refused": 0}
    for n in range(MUTANTS):
        path = tmp_path / f"mutant{n}.db"
        mutant = mutate(original, rng)
        path.write_bytes(mutant)
        was_sound = sound(path)
        started = time.monotonic()
        try:
            db = open_database(path, check_seconds=DEADLINE)
        except StoreError as exc:
            assert time.monotonic() - started < DEADLINE + 2, f"mutant {n}: refusal took too long"
            assert "\n" not in str(exc) and str(path) in str(exc), f"mutant {n}: {exc!r}"
            assert path.read_bytes() == mutant, f"mutant {n}: refused, but the file changed"
            outcomes["refused"] += 1
            continue
        assert time.monotonic() - started < DEADLINE + 2, f"mutant {n}: open took too long"
        try:
            outcomes["read"] = outcomes.get("read", 0) + read_everything(path, n)
            assert was_sound, f"mutant {n}: opened for writing although integrity_check fails"
            try:
                import_into(db, EVENT_PATH(tmp_path), "json")
            except (StoreError, ImportError_, RecordError):
                outcomes["import refused"] += 1  # said in one line, rolled back
            else:
                outcomes["written"] += 1
        finally:
            close_database(db)
        assert sound(path), f"mutant {n}: a write left the file damaged"
        path.unlink()
    # the run must have exercised both sides
    assert outcomes["refused"] > MUTANTS // 4 and outcomes["written"] > 10, outcomes


def read_everything(path: Path, n: int) -> int:
    """What a reader does with an accepted file: the arrays and a whole export.
    Only one-line StoreErrors may come out."""
    from store import interchange
    from store.timeline_data import load_timeline_data

    db = open_database(path, readonly=True, check_seconds=DEADLINE)
    try:
        load_timeline_data(db, use_cache=False)
        interchange.export_text(db, "json")
    except StoreError as exc:
        assert "\n" not in str(exc), f"mutant {n}: {exc!r}"
    finally:
        close_database(db)
    return 1


def EVENT_PATH(folder: Path) -> Path:  # noqa: N802 - a constant made once per run
    path = folder / "event.json"
    if not path.exists():
        import json

        path.write_text(json.dumps(EVENT), encoding="utf-8")
    return path


@pytest.mark.parametrize("n", range(3))
def test_a_refused_mutant_is_one_line_on_the_command_line(_sample_master, tmp_path, n):
    from tests.conftest import run_cli

    original = _sample_master.read_bytes()
    rng = random.Random(SEED + n)
    while True:  # the first seeded mutant that is refused
        mutant = mutate(original, rng)
        path = tmp_path / "m.db"
        path.write_bytes(mutant)
        try:
            close_database(open_database(path, readonly=True, check_seconds=DEADLINE))
        except StoreError:
            break
    result = run_cli("info", path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("threadline: ")
    assert path.read_bytes() == mutant
