"""A big file's page-by-page quick_check runs beside the first frame.

The window opens after the quick checks, shows the timeline at once, and
turns editing on only when SQLite's quick_check has read every page and
found nothing wrong; a damaged file stays read-only, says so, and is never
written to. Small sample files stand in for big ones (the size threshold
only decides *whether* to defer; these tests ask for it).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from store.cache import cache_path
from store.database import StoreError, close_database, deep_check, open_for_session

def damaged_copy(sample_db, tmp_path, index="idx_events_type"):
    """A copy of the sample with the root page of one index overwritten: the
    file opens and the window reads it (nothing it shows uses that index),
    but quick_check finds the damage."""
    import sqlite3

    conn = sqlite3.connect(sample_db)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    spoiled = bytearray(sample_db.read_bytes())
    spoiled[(page - 1) * size:page * size] = b"\x5a" * size  # pages count from 1
    path = tmp_path / "damaged.db"
    path.write_bytes(bytes(spoiled))
    with pytest.raises(StoreError, match="the database is damaged"):
        deep_check(path)
    return path


def window(qtbot, path, tmp_path):
    from gui.main_window import MainWindow
    from gui.session import Session

    w = MainWindow(Session.open(path, defer_deep_check=True), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    return w


def test_deferred_open_skips_only_the_page_check(sample_db):
    db, read_only, _ = open_for_session(sample_db, defer_deep_check=True)
    try:
        assert db.threadline_deep_check_pending and not read_only
    finally:
        close_database(db)
    db, _, _ = open_for_session(sample_db)  # not deferred: checked before use
    try:
        assert not db.threadline_deep_check_pending
    finally:
        close_database(db)


def test_editing_waits_for_the_check_then_turns_on_and_the_cache_is_written(qtbot, sample_db, tmp_path, monkeypatch):
    import threading

    import gui.deep_check as deep_check_module
    from gui import commands

    # a small file checks in milliseconds: hold the check, as a big file's would take seconds
    release = threading.Event()
    real = deep_check_module.check_deferred
    monkeypatch.setattr(deep_check_module, "check_deferred", lambda *a: (release.wait(20), real(*a)))
    cache_path(sample_db).unlink(missing_ok=True)
    w = window(qtbot, sample_db, tmp_path)
    session = w.session
    assert session.data.n_events == 29  # the timeline is there before the check ends
    assert session.deep_check_pending
    refused = session.run(commands.add_actor(session, "Too early"))
    assert refused and "still checking" in refused
    assert all(not a.isEnabled() for a in w.edit_actions) and "(read-only)" in w.windowTitle()
    assert "checking the file" in w.statusBar().currentMessage()
    assert not cache_path(sample_db).exists()
    release.set()
    qtbot.waitUntil(lambda: not session.deep_check_pending, timeout=20_000)
    assert not session.read_only and "(read-only)" not in w.windowTitle()
    assert all(a.isEnabled() for a in w.edit_actions)
    assert cache_path(sample_db).exists()  # vouched for only after the check passed
    assert session.run(commands.add_actor(session, "After the check")) is None
    names = [r[0] for r in session.story.db.conn.execute("SELECT name FROM actors")]
    assert "After the check" in names


def test_a_damaged_file_stays_read_only_says_why_and_is_not_written(qtbot, sample_db, tmp_path, monkeypatch):
    import gui.main_window as mw
    from gui import commands

    path = damaged_copy(sample_db, tmp_path)
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(mw, "message", lambda parent, title, text, **k: shown.append((title, text)))
    w = window(qtbot, path, tmp_path)
    session = w.session
    assert session.data.n_events > 0  # what could be read is shown
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    title, text = shown[0]
    assert title == "The file is damaged" and path.name in text and "Editing is off" in text
    assert session.read_only and "(read-only)" in w.windowTitle()
    assert all(not a.isEnabled() for a in w.edit_actions)
    assert session.run(commands.add_actor(session, "Into the damage"))
    w.close()
    assert path.read_bytes() == before
    assert not cache_path(path).exists()  # a damaged file never gets a cache that vouches for it


def test_a_file_needing_an_upgrade_is_checked_before_it_is_migrated(sample_db, monkeypatch):
    """Schema 1 is the only schema so far, so no real file needs an upgrade
    yet: the quick checks are told this one does, and the order of what runs
    is recorded (a migration writes; the page check must come first)."""
    import store.database as database

    order = []
    monkeypatch.setattr(database, "checked", lambda *a, **k: True)
    real_deep = database.deep_check
    monkeypatch.setattr(database, "deep_check", lambda *a: (order.append("deep check"), real_deep(*a)))
    monkeypatch.setattr(database, "apply_migrations", lambda db: order.append("migrate"))
    db, _, _ = open_for_session(sample_db, defer_deep_check=True)
    try:
        assert order == ["deep check", "migrate"] and not db.threadline_deep_check_pending
    finally:
        close_database(db)
