"""The file itself and the files beside it, from someone who means harm:
planted links, outputs aimed at the database, a journal from another file,
damage only integrity_check sees, schemas Threadline did not make, a full
disk, a read-only file system, a forged cache. Each is refused (or ignored)
with one true line, and every refused file is left byte for byte as it was."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import cache
from store.database import StoreError, close_database, lock_path, open_database, open_for_session
from tests.conftest import run_cli
from tests.fixtures.dbstate import dump, integrity_problems, sql_file

ROOT = Path(__file__).resolve().parent.parent
QUICK = 5.0
SIDE = ("-journal", "-wal", "-shm", ".threadline-lock", ".threadline-cache")


def files_of(path: Path) -> dict[str, bytes]:
    """The database and every file beside it that holds anything."""
    found = {}
    for suffix in ("",) + SIDE:
        p = Path(str(path) + suffix)
        if os.path.lexists(p):
            found[p.name] = os.readlink(p) if p.is_symlink() else p.read_bytes() if p.is_file() else "special"
    return found


def assert_refused(path: Path, match: str) -> StoreError:
    before = files_of(path)
    for readonly in (False, True):
        started = time.monotonic()
        with pytest.raises(StoreError, match=match) as info:
            open_database(path, readonly=readonly)
        assert time.monotonic() - started < QUICK
        assert "\n" not in str(info.value) and str(path) in str(info.value)
        assert files_of(path) == before
    return info.value


def assert_one_line_error(result, *fragments: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("threadline:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert not lines[0].startswith("threadline: :"), lines[0]
    return lines[0]


@pytest.fixture
def story_json(sample_db, tmp_path) -> Path:
    """A small Threadline JSON file with one event not in the sample."""
    out = tmp_path / "one.json"
    out.write_text(json.dumps({
        "format": "threadline", "version": 1, "actors": [{"name": "Ada Example", "kind": "person"}],
        "sources": [], "relationships": [],
        "events": [{"key": "e1", "title": "Imported event", "start": "2025-05-02", "actors": [
            {"actor": "Ada Example", "role": "initiator"}]}],
    }), encoding="utf-8")
    return out


# ---------------------------------------------------------------- links beside the database


def test_a_planted_lock_link_is_refused_and_its_target_untouched(sample_db, tmp_path, story_json):
    precious = tmp_path / "v.txt"
    precious.write_text("precious\n")
    os.symlink("v.txt", lock_path(sample_db))
    before = files_of(sample_db)
    result = run_cli("import", sample_db, story_json, "--format", "json")
    assert_one_line_error(result, "threadline-lock", "symbolic link")
    assert precious.read_text() == "precious\n"
    assert lock_path(sample_db).is_symlink()  # not deleted either
    assert files_of(sample_db) == before


def test_a_lock_name_hard_linked_to_another_file_is_refused(sample_db, tmp_path):
    precious = tmp_path / "v.txt"
    precious.write_text("precious\n")
    os.link(precious, lock_path(sample_db))
    assert_refused(sample_db, "hard link")
    with pytest.raises(StoreError, match="hard link"):
        open_for_session(sample_db)
    assert precious.read_text() == "precious\n"


def test_a_lock_file_holding_more_than_a_process_id_is_not_truncated(sample_db):
    lock_path(sample_db).write_bytes(b"someone's notes\n" * 100)
    with pytest.raises(StoreError, match="not a file Threadline made"):
        open_database(sample_db)
    assert lock_path(sample_db).read_bytes() == b"someone's notes\n" * 100


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm", ".threadline-cache"])
def test_a_link_beside_the_database_is_refused_before_sqlite_follows_it(sample_db, tmp_path, suffix):
    precious = tmp_path / "v.txt"
    precious.write_text("precious\n")
    os.symlink(precious, str(sample_db) + suffix)
    assert_refused(sample_db, f"{suffix}: is a symbolic link")
    assert precious.read_text() == "precious\n"


def test_a_fifo_named_as_the_cache_cannot_hang_the_open(sample_db):
    os.mkfifo(str(sample_db) + ".threadline-cache")
    assert_refused(sample_db, "not a regular file")  # and quickly: nothing blocked on the FIFO


# ---------------------------------------------------------------- partial outputs


HOLD_PART = """
import sys, time
from store.atomic_file import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    tmp.write_bytes(b"x" * 100000)
    print(tmp, flush=True)
    time.sleep(60)
"""


def _writer_holding_a_part(out: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_PART, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    part = Path(proc.stdout.readline().strip())
    assert part.exists() and part.name.startswith(f".{out.name}.") and part.name.endswith(".part")
    return proc, part


def _age(path: Path, seconds: float = 3600) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_killed_export_leaves_no_part_file_after_the_next_export(sample_db, tmp_path):
    out = tmp_path / "story.json"
    proc, part = _writer_holding_a_part(out)
    os.kill(proc.pid, signal.SIGKILL)  # as a user's kill -9 or a crash would
    proc.wait()
    proc.stdout.close()
    assert part.exists()  # a killed process cannot clean up after itself
    _age(part)
    result = run_cli("export", sample_db, "--format", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    assert not part.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".story")) == []


def test_a_part_file_being_written_by_a_live_export_is_left_alone(sample_db, tmp_path):
    out = tmp_path / "story.json"
    proc, part = _writer_holding_a_part(out)
    try:
        _age(part)  # old, but its writer holds it
        result = run_cli("export", sample_db, "--format", "json", "--out", out)
        assert result.returncode == 0, result.stderr
        assert part.exists()
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


# ---------------------------------------------------------------- outputs onto the database


@pytest.mark.parametrize(
    "target, fragment",
    [
        (lambda db: db, "is the database"),
        (lambda db: Path(str(db) + "-journal"), "rollback journal"),
        (lambda db: Path(str(db) + ".threadline-cache"), "timeline cache"),
        (lambda db: Path(str(db) + ".threadline-lock"), "writer lock"),
    ],
    ids=["itself", "journal", "cache", "lock"],
)
def test_export_onto_the_database_or_a_file_beside_it_is_refused(sample_db, target, fragment):
    out = target(sample_db)
    before = files_of(sample_db)
    result = run_cli("export", sample_db, "--format", "json", "--out", out)
    assert_one_line_error(result, str(out), fragment, "nothing was written")
    assert files_of(sample_db) == before


def test_export_onto_a_link_to_the_database_is_refused(sample_db, tmp_path):
    os.symlink(sample_db, tmp_path / "soft.db")
    os.link(sample_db, tmp_path / "hard.db")
    before = sample_db.read_bytes()
    for name, fmt in (("soft.db", "gexf"), ("hard.db", "events-csv")):
        result = run_cli("export", sample_db, "--format", fmt, "--out", tmp_path / name)
        assert_one_line_error(result, "is the database", str(sample_db))
    assert sample_db.read_bytes() == before
    assert (tmp_path / "soft.db").is_symlink()


def test_export_png_onto_the_database_is_refused(sample_db):
    before = sample_db.read_bytes()
    result = run_cli("export-png", sample_db, "--out", sample_db)
    assert_one_line_error(result, "is the database")
    assert sample_db.read_bytes() == before


def test_the_window_refuses_to_export_over_its_own_file(qtbot, sample_db, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gui.launch import open_window

    before = sample_db.read_bytes()
    window = open_window(sample_db)  # deleted on close
    shown = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(sample_db), "")))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    export_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")
    actions = []
    for action in export_menu.actions():
        actions += action.menu().actions() if action.menu() else [action]
    json_action = next(a for a in actions if "Threadline JSON" in a.text().replace("&", ""))
    json_action.trigger()
    assert len(shown) == 1 and "is the database" in shown[0] and "\n" not in shown[0]
    graph_action = next(a for a in actions if "graph as PNG" in a.text().replace("&", ""))
    graph_action.trigger()  # the offscreen platform activates no window, so its shortcut cannot be pressed
    assert len(shown) == 2 and "is the database" in shown[1]
    window.close()
    qtbot.wait(10)
    assert sample_db.read_bytes() == before


def test_a_missing_output_folder_is_said_in_one_true_line(sample_db, tmp_path):
    out = tmp_path / "nowhere" / "story.json"
    result = run_cli("export", sample_db, "--format", "json", "--out", out)
    assert_one_line_error(result, str(out), f"the folder {out.parent} does not exist")


# ---------------------------------------------------------------- journals


KILL_MID_WRITE = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA cache_size = 1")  # spill pages to the file before the commit
conn.execute("BEGIN")
conn.execute("UPDATE events SET title = 'half-written', summary = hex(randomblob(3000))")
os.kill(os.getpid(), 9)
"""


def _hot_journal(path: Path) -> Path:
    subprocess.run([sys.executable, "-c", KILL_MID_WRITE, str(path)], cwd=ROOT, capture_output=True, timeout=60)
    journal = Path(str(path) + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    return journal


def test_a_journal_from_another_file_is_not_replayed_into_a_good_database(sample_db, tmp_path):
    other = tmp_path / "other.db"
    shutil.copy(sample_db, other)
    sql_file(other, "INSERT INTO meta (key, value) VALUES ('padding', hex(randomblob(20000)))",
             "UPDATE events SET summary = hex(randomblob(500))")
    sql_file(other, "VACUUM")  # a different file, page for page
    shutil.copy(_hot_journal(other), str(sample_db) + "-journal")
    error = assert_refused(sample_db, r"its -journal .* does not roll back to a sound Threadline file, so neither was touched")
    assert "damaged" in str(error) or "malformed" in str(error)
    result = run_cli("import", sample_db, sample_db, "--format", "json")
    assert_one_line_error(result, "-journal")


def test_a_trigger_behind_a_hot_journal_is_refused_before_the_rollback(sample_db):
    sql_file(sample_db, "CREATE TRIGGER grab AFTER INSERT ON actors BEGIN DELETE FROM events; END")
    _hot_journal(sample_db)
    assert_refused(sample_db, "foreign trigger 'grab'")


def test_a_journal_of_a_killed_writer_is_still_rolled_back_for_editing(sample_db):
    db = open_database(sample_db)
    original = dump(db)
    close_database(db)
    _hot_journal(sample_db)
    db = open_database(sample_db)
    assert dump(db) == original and integrity_problems(db) == []
    close_database(db)
    assert not Path(str(sample_db) + "-journal").exists()


# ---------------------------------------------------------------- damage quick_check misses


def damage_an_index(path: Path) -> None:
    """Index entries that no longer match their rows: quick_check passes,
    integrity_check does not (the index is hidden from SQLite while the rows
    change, then put back)."""
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = 'idx_events_type'").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = 'idx_events_type'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET type = 'changed behind the index'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()


def test_index_damage_that_passes_quick_check_is_never_written_into(sample_db, story_json):
    damage_an_index(sample_db)
    conn = sqlite3.connect(f"file:{sample_db}?mode=ro", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()
    before = files_of(sample_db)
    error = assert_refused(sample_db, "the database is damaged")  # a small file is checked in full even to read
    assert "missing from index idx_events_type" in str(error)
    result = run_cli("import", sample_db, story_json, "--format", "json")
    assert_one_line_error(result, "damaged")
    assert files_of(sample_db) == before


# ---------------------------------------------------------------- schemas Threadline did not make


def test_threadline_tables_without_their_migrations_record_are_refused_every_time(sample_db):
    sql_file(sample_db, "DROP TABLE _sqlite_migrations")
    for _ in range(2):
        error = assert_refused(sample_db, "_sqlite_migrations")
        assert "already exists" not in str(error)


def test_a_migrations_table_that_does_not_record_threadline_is_refused(sample_db):
    sql_file(sample_db, "DELETE FROM _sqlite_migrations")
    assert_refused(sample_db, "does not record that Threadline made its tables")


def rebuild(path: Path, table: str, change) -> None:
    """Make ``table`` again from ``change(its CREATE statement)``, rows kept."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    changed = change(sql)
    assert changed != sql
    new_sql = changed.replace(f"[{table}]", "[rebuilt]", 1).replace(f'"{table}"', '"rebuilt"', 1)
    conn.execute(new_sql)
    shared = [r[1] for r in conn.execute("PRAGMA table_xinfo(rebuilt)") if r[6] == 0]
    cols = ", ".join(f'"{c}"' for c in shared)
    conn.execute(f"INSERT INTO rebuilt ({cols}) SELECT {cols} FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE rebuilt RENAME TO {table}")
    conn.commit()
    conn.close()


def _close_paren(extra: str):
    return lambda sql: sql.rstrip().rstrip(")") + extra + ")"


SCHEMA_CASES = {
    "generated-title": (lambda p: rebuild(p, "events", lambda s: s.replace(
        "\"title\" TEXT NOT NULL", "\"title\" TEXT GENERATED ALWAYS AS (hex(zeroblob(1000000))) VIRTUAL")),
        "column 'events.title' is a generated column"),
    "generated-extra": (lambda p: sql_file(p, "ALTER TABLE events ADD COLUMN big TEXT GENERATED ALWAYS AS (hex(zeroblob(1000))) VIRTUAL"),
                        "column 'events.big' is a generated column"),
    "check": (lambda p: rebuild(p, "events", _close_paren(", CHECK (length(hex(zeroblob(1000))) > 0)")),
              "table 'events' has a CHECK constraint"),
    "expression-index": (lambda p: sql_file(p, "CREATE INDEX slow ON events (length(hex(zeroblob(100000))) + id)"),
                         "index 'slow' on 'events' is an expression index"),
    "extra-index": (lambda p: sql_file(p, "CREATE INDEX mine ON event_actors (role)"),
                    "table 'event_actors' has an index 'mine'"),
    "partial-index": (lambda p: sql_file(p, "CREATE INDEX part ON events (title) WHERE length(title) > 3"),
                      "index 'part' on 'events' is a partial index"),
    "extra-column": (lambda p: sql_file(p, "ALTER TABLE actors ADD COLUMN extra TEXT DEFAULT 'x'"),
                     "table 'actors' has a column 'extra'"),
    "missing-column": (lambda p: sql_file(p, "DROP INDEX idx_events_type", "ALTER TABLE events DROP COLUMN type"),
                       "table 'events' has no column 'type'"),
    "without-rowid": (lambda p: rebuild(p, "events", lambda s: s.rstrip() + " WITHOUT ROWID"),
                      "table 'events' is a WITHOUT ROWID table"),
    "text-bounds": (lambda p: rebuild(p, "events", lambda s: s.replace('"earliest" INTEGER', '"earliest" TEXT')),
                    "column 'events.earliest' is declared TEXT, not INTEGER"),
    "missing-fts": (lambda p: sql_file(p, "DROP TABLE events_fts"), "no 'events_fts' full-text table"),
    "fts-other-tokenizer": (lambda p: sql_file(p, "DROP TABLE actors_fts", "CREATE VIRTUAL TABLE actors_fts USING fts5 (name, tokenize='trigram')"),
                            "'actors_fts' is not the full-text index Threadline makes"),
    "foreign-key-to-events": (lambda p: sql_file(p, "CREATE TABLE notes (id INTEGER PRIMARY KEY, event_id INTEGER REFERENCES events(id) ON DELETE CASCADE)"),
                              "table 'notes' refers to 'events'"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(SCHEMA_CASES))
def test_a_schema_threadline_did_not_make_is_refused_naming_table_and_column(sample_db, case):
    make, message = SCHEMA_CASES[case]
    make(sample_db)
    error = assert_refused(sample_db, "not a Threadline database")
    assert message in str(error)


def test_a_schema_refusal_on_the_command_line_is_one_line(sample_db):
    SCHEMA_CASES["without-rowid"][0](sample_db)
    before = files_of(sample_db)
    assert_one_line_error(run_cli("info", sample_db), "WITHOUT ROWID")
    assert files_of(sample_db) == before


def test_a_table_of_the_users_own_is_allowed(sample_db):
    sql_file(sample_db, "CREATE TABLE my_notes (id INTEGER PRIMARY KEY, text TEXT)", "CREATE VIEW my_view AS SELECT 1")
    close_database(open_database(sample_db))


# ---------------------------------------------------------------- full disk, read-only file system


@pytest.fixture
def small_disk(tmp_path):
    """A real, tiny file system of its own (tmpfs); mounting needs root."""
    mount = tmp_path / "disk"
    mount.mkdir()

    def make(size: str):
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs to fill or make read-only (needs root): {result.stderr.strip()}")
        return mount

    yield make
    if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)  # a failed test left a file open on it


def _remount_read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


def _big_story(tmp_path) -> Path:
    from bench.synth import write_synthetic

    db = write_synthetic(tmp_path / "big.db", events=2000, actors=30, seed=3)
    out = tmp_path / "big.json"
    assert run_cli("export", db, "--format", "json", "--out", out).returncode == 0
    return out


def test_a_full_disk_fails_an_export_in_one_line_and_leaves_no_partial_file(small_disk, sample_db, tmp_path):
    disk = small_disk("32k")
    (disk / "story.gexf").write_text("the old export")
    result = run_cli("export", sample_db, "--format", "json", "--out", disk / "story.json")
    assert_one_line_error(result, "could not be written", "no space left on device")
    assert sorted(p.name for p in disk.iterdir()) == ["story.gexf"]
    assert (disk / "story.gexf").read_text() == "the old export"


def test_a_full_disk_fails_an_import_in_one_line_and_leaves_no_journal(small_disk, _sample_master, tmp_path):
    story = _big_story(tmp_path)
    disk = small_disk("400k")
    db = disk / "s.db"
    shutil.copy(_sample_master, db)
    before = files_of(db)
    result = run_cli("import", db, story, "--format", "json")
    assert_one_line_error(result, str(db), "the disk is full", "nothing was changed")
    assert files_of(db) == before  # no -journal left behind, nothing written
    assert sorted(p.name for p in disk.iterdir()) == ["s.db"]


def test_a_read_only_file_system_is_an_ordinary_error(small_disk, _sample_master, tmp_path, story_json):
    disk = small_disk("1m")
    db = disk / "s.db"
    shutil.copy(_sample_master, db)
    _remount_read_only(disk)
    assert_one_line_error(run_cli("import", db, story_json, "--format", "json"), "read-only file system")
    assert_one_line_error(run_cli("export", db, "--format", "json", "--out", disk / "x.json"), "read-only file system")
    assert_one_line_error(run_cli("import", disk / "new.db", story_json, "--format", "json"), "read-only file system")
    info = run_cli("info", db)
    assert info.returncode == 0 and "events" in info.stdout  # reading is fine
    opened, read_only, why = open_for_session(db)
    assert read_only and "read-only file system" in why
    close_database(opened)
    assert _sample_master.read_bytes() == db.read_bytes()


# ---------------------------------------------------------------- the opening dialog


def test_a_file_name_with_html_is_shown_as_text_while_it_opens(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from gui.launch import opening_dialog

    dialog = opening_dialog(Path("/tmp/<h1>big<img src=x>.db"))
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.findChild(QLabel)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "Opening <h1>big<img src=x>.db…"
    # drawn as text: as wide as its characters, not a heading with a broken image
    assert label.sizeHint().width() >= label.fontMetrics().horizontalAdvance("Opening <h1>big<img src=x>.db")


# ---------------------------------------------------------------- the cache


def _cached(sample_db):
    from store.timeline_data import load_timeline_data

    db = open_database(sample_db)
    first = load_timeline_data(db)
    close_database(db)
    assert cache.cache_path(sample_db).exists()
    return first


def _load(sample_db):
    from store.timeline_data import load_timeline_data

    db = open_database(sample_db, readonly=True)
    try:
        return load_timeline_data(db, write_cache=False)
    finally:
        close_database(db)


def test_a_cache_with_swapped_names_is_ignored(sample_db):
    first = _cached(sample_db)
    path = cache.cache_path(sample_db)
    raw = path.read_bytes()
    name = first.actor_names[0]
    swapped = "Mallory" + "x" * (len(name.encode()) - len("Mallory"))
    path.write_bytes(raw.replace(json.dumps(name).encode(), json.dumps(swapped).encode()))  # same length: the header parses
    assert path.read_bytes() != raw
    again = _load(sample_db)
    assert again.derived["loaded_from"] == "database"
    assert again.actor_names == first.actor_names


def test_a_cache_declaring_a_huge_payload_or_cut_short_is_ignored(sample_db):
    first = _cached(sample_db)
    path = cache.cache_path(sample_db)
    raw = path.read_bytes()
    # a header signed with the user's own key (the worst case), declaring 10^15 bytes
    key = cache.file_key(sample_db)
    fh = open(path, "rb")
    header, _start = cache._read_header(fh, len(raw), cache.cache_secret())
    fh.close()
    header["payload"] = 10**15
    text = json.dumps(header).encode()
    import struct

    lead = cache.MAGIC + struct.pack("<Q", len(text)) + text
    path.write_bytes(lead + cache._digest(cache.cache_secret(), lead) + b"\0" * 64)
    assert cache.read_cache(path, header["key"]) is None
    path.write_bytes(raw[: len(raw) // 2])  # torn
    assert _load(sample_db).derived["loaded_from"] == "database"
    assert key is not None and _load(sample_db).actor_names == first.actor_names


def test_a_cache_made_with_another_key_vouches_for_nothing(sample_db, monkeypatch):
    _cached(sample_db)
    assert cache.unchanged_since_cached(sample_db, "integrity")
    monkeypatch.setattr(cache, "_secret", {str(cache.secret_path()): b"k" * cache.DIGEST})
    assert not cache.unchanged_since_cached(sample_db)
    assert cache.read_cache(cache.cache_path(sample_db), cache.file_key(sample_db)) is None


def test_an_edit_in_the_window_at_a_full_disk_is_one_line_and_changes_nothing(qtbot, small_disk, _sample_master):
    from gui import commands
    from gui.session import Session

    disk = small_disk("1m")
    db = disk / "s.db"
    shutil.copy(_sample_master, db)
    session = Session.open(db)
    assert not session.read_only
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:  # every byte that is left
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    before = files_of(db)
    event_id = int(session.data.event_ids[0])
    why = session.run(commands.edit_event(session, event_id, "first", {"summary": "x" * 200_000}))
    assert why is not None and "\n" not in why
    assert str(db) in why and "the disk is full" in why and "nothing was changed" in why
    assert session.undo_stack.count() == 0
    assert files_of(db) == before and not Path(str(db) + "-journal").exists()
    session.close()
    session.deleteLater()


KEEP_A_WAL = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("UPDATE events SET summary = hex(randomblob(300))")
conn.commit()
os._exit(0)  # the -wal stays, as a crash or a sync client leaves it
"""


def test_a_wal_from_another_file_is_refused_and_neither_is_written(sample_db, tmp_path):
    from bench.synth import write_synthetic

    other = write_synthetic(tmp_path / "other.db", events=2000, actors=30, seed=5)
    subprocess.run([sys.executable, "-c", KEEP_A_WAL, str(other)], cwd=ROOT, check=True, timeout=60)
    sql_file(sample_db, "PRAGMA journal_mode = WAL")
    shutil.copy(str(other) + "-wal", str(sample_db) + "-wal")
    before = {k: v for k, v in files_of(sample_db).items() if not k.endswith("-shm")}  # -shm: a reader's scratch index
    for readonly in (False, True):
        with pytest.raises(StoreError, match="with the -wal file beside it, is damaged"):
            open_database(sample_db, readonly=readonly)
    assert_one_line_error(run_cli("import", sample_db, sample_db, "--format", "json"), "-wal")
    assert {k: v for k, v in files_of(sample_db).items() if not k.endswith("-shm")} == before


def test_a_fifo_in_place_of_the_database_is_refused_at_once(tmp_path):
    fifo = tmp_path / "story.db"
    os.mkfifo(fifo)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="not a regular file"):
            open_database(fifo, readonly=readonly)


def test_a_linked_database_is_guarded_where_its_journal_really_is(sample_db, tmp_path):
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "story.db"
    os.symlink(sample_db, link)
    result = run_cli("export", link, "--format", "json", "--out", str(sample_db) + "-journal")
    assert_one_line_error(result, "rollback journal")
    precious = tmp_path / "v.txt"
    precious.write_text("precious\n")
    os.symlink(precious, str(sample_db) + "-journal")
    with pytest.raises(StoreError, match="symbolic link"):
        open_database(link)
    assert precious.read_text() == "precious\n"


def test_a_journal_naming_a_super_journal_cannot_make_sqlite_delete_a_file(sample_db, tmp_path, story_json):
    import struct

    victim = tmp_path / "notes.txt"
    victim.write_text("precious notes\n")
    journal = _hot_journal(sample_db)
    name = str(victim).encode()
    magic = bytes((0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7))
    record = struct.pack(">I", 0x40000000 // 4096 + 1) + name + struct.pack(">II", len(name), sum(name)) + magic
    journal.write_bytes(journal.read_bytes() + record)  # SQLite would read notes.txt as a super-journal, then delete it
    error = assert_refused(sample_db, "names a super-journal")
    assert "left as they are" in str(error)
    assert_one_line_error(run_cli("import", sample_db, story_json, "--format", "json"), "super-journal")
    assert victim.read_text() == "precious notes\n"


def test_an_export_never_replaces_another_database(sample_db, _sample_master, tmp_path):
    other = tmp_path / "other.db"
    shutil.copy(_sample_master, other)
    before = other.read_bytes()
    assert_one_line_error(run_cli("export", sample_db, "--format", "gexf", "--out", other), "is a SQLite database")
    assert_one_line_error(run_cli("export", sample_db, "--format", "json", "--out", f"{other}-wal"), "write-ahead log")
    assert other.read_bytes() == before and not Path(f"{other}-wal").exists()


def test_a_big_file_opened_for_editing_gets_integrity_check_before_the_first_edit(qtbot, sample_db, tmp_path, monkeypatch):
    """The window defers a big file's page check past the first frame; for
    a file it may write, that check is integrity_check, so index damage
    quick_check misses keeps editing off. (The sample stands in for a big
    file: deferring is asked for.)"""
    from PySide6.QtCore import QSettings

    import gui.main_window as mw
    from gui import commands
    from gui.session import Session

    damage_an_index(sample_db)
    before = files_of(sample_db)
    shown = []
    monkeypatch.setattr(mw, "message", lambda parent, title, text, **k: shown.append((title, text)))
    session = Session.open(sample_db, defer_deep_check=True)
    w = mw.MainWindow(session, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    assert session.data.n_events == 29  # shown at once
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    title, text = shown[0]
    assert title == "The file is damaged" and "missing from index idx_events_type" in text.split("\n")[0]
    assert session.read_only and session.run(commands.add_actor(session, "Into the damage"))
    w.close()
    assert files_of(sample_db) == before
