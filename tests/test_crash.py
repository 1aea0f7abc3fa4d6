"""Nothing lost, nothing torn: a writer killed with SIGKILL at random moments
leaves a file that passes the integrity checks and holds exactly the state
before or after the step it was in.

The writer (tests/fixtures/crash_writer.py) prints each step's number after
the step's commit returned. If the last number printed is k, step k is
surely on disk, and step k+1 may or may not be (it may have committed just
before the kill): the reopened file must equal the state after k or k+1.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.backup import new_database
from store.database import close_database, open_database
from tests.fixtures import crash_writer
from tests.fixtures.dbstate import dump, integrity_problems

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

WRITER = Path(crash_writer.__file__)
SEED = 11
STEPS = 400  # about a second of edits: the kills land all along the run
KILLS = 5
IMPORT_EVENTS = 3000
IMPORT_KILLS = 3


def kill_at_random(args: list[str], delay: float) -> list[str]:
    """Start the writer, kill it ``delay`` s after it is ready; its output lines."""
    proc = subprocess.Popen([sys.executable, str(WRITER), *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out.split()


def reopened_state(path: Path) -> dict:
    db = open_database(path)  # rolls back the -journal of the killed writer, then checks
    try:
        assert integrity_problems(db) == []
        return dump(db, generation=True)
    finally:
        close_database(db)


@pytest.fixture(scope="module")
def edit_states(_sample_master, tmp_path_factory) -> tuple[Path, list[dict]]:
    """The starting file and the state after each step (states[0]: before any)."""
    folder = tmp_path_factory.mktemp("replay")
    start = folder / "start.db"
    shutil.copy(_sample_master, start)
    replay = folder / "replay.db"
    shutil.copy(start, replay)
    db = open_database(replay)
    run = crash_writer.EditRun(db, SEED)
    states = [dump(db, generation=True)]
    for i in range(STEPS):
        run.safe_step(i)
        states.append(dump(db, generation=True))
    close_database(db)
    return start, states


def test_a_writer_killed_mid_edit_leaves_the_state_before_or_after(edit_states, tmp_path):
    start, states = edit_states
    rng = random.Random(SEED)
    seen_mid_run = 0
    for run in range(KILLS):
        path = tmp_path / f"run{run}.db"
        shutil.copy(start, path)
        lines = kill_at_random(["edits", str(path), str(SEED), str(STEPS)], rng.uniform(0.0, 1.0))
        done = int(lines[-1]) + 1 if lines else 0  # steps surely committed
        state = reopened_state(path)
        allowed = states[done : done + 2]
        assert state in allowed, f"run {run}: killed after {done} steps, the file matches neither state {done} nor {done + 1}"
        seen_mid_run += done < STEPS
    assert seen_mid_run, "every writer finished before the kill: the test did not test anything"


@pytest.fixture(scope="module")
def import_states(tmp_path_factory) -> tuple[Path, Path, dict, dict]:
    folder = tmp_path_factory.mktemp("import")
    story = folder / "big.json"
    story.write_text(json.dumps(crash_writer.big_story(IMPORT_EVENTS)), encoding="utf-8")
    empty = new_database(folder / "empty.db")
    full = folder / "full.db"
    shutil.copy(empty, full)
    from store.importing import import_into

    db = open_database(full)
    import_into(db, story, "json")
    after = dump(db, generation=True)
    close_database(db)
    db = open_database(empty, readonly=True)
    before = dump(db, generation=True)
    close_database(db)
    return story, empty, before, after


def test_a_large_import_killed_midway_leaves_all_or_nothing(import_states, tmp_path):
    story, empty, before, after = import_states
    rng = random.Random(SEED + 1)
    outcomes = []
    for run in range(IMPORT_KILLS):
        path = tmp_path / f"import{run}.db"
        shutil.copy(empty, path)
        lines = kill_at_random(["import", str(path), str(story)], rng.uniform(0.05, 1.0))
        state = reopened_state(path)
        if lines == ["done"]:
            assert state == after
        else:
            assert state in (before, after)
        outcomes.append(state == after)
    assert not all(outcomes), "every import finished before the kill: the test did not test anything"
