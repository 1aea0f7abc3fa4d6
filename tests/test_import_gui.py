"""File > Import in the window: preview, mapping, background run, Cancel."""

from __future__ import annotations

import pytest
from conftest import open_main_window

from conftest import SHARED_DATA

GDELT = SHARED_DATA / "gdelt1_events_sample_20160728.tsv"


@pytest.fixture
def gdelt():
    # Fails, never skips: a test of real data that quietly does not run hides a defect.
    assert GDELT.exists(), f"real data file {GDELT} is not there (shared/data must sit beside the checkout)"
    return GDELT


@pytest.fixture
def win(qtbot, sample_db, tmp_path):
    return open_main_window(qtbot, sample_db, tmp_path, size=None, show=False)


def count(db, table="events"):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_gdelt_import_in_background_refreshes_views(win, qtbot, gdelt):
    from gui.import_dialog import ImportDialog

    before = count(win.session.story.db)
    dialog = ImportDialog(win.session, GDELT, win)
    assert dialog.fmt() == "gdelt"
    assert dialog.preview.rowCount() > 5 and dialog.preview.item(0, 0).text().isdigit()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or "Nothing" in dialog.status.text(), timeout=60000)
    assert dialog.report is not None, dialog.status.text()
    added = dialog.report.events_added
    rows = sum(1 for line in GDELT.read_text(encoding="utf-8").splitlines() if line.strip())
    assert added == rows  # every GLOBALEVENTID in the file is a new event
    assert count(win.session.story.db) == before + added
    assert win.session.data.n_events == before + added  # the views reloaded
    assert "added" in dialog.status.text()


def test_cancel_leaves_the_database_as_it_was(win, qtbot, tmp_path, gdelt):
    from gui.import_dialog import ImportDialog

    big = tmp_path / "big.tsv"
    lines = [l for l in GDELT.read_text(encoding="utf-8").splitlines() if l.strip()]
    with open(big, "w", encoding="utf-8") as fh:
        for k in range(12):
            for line in lines:
                first, rest = line.split("\t", 1)
                fh.write(f"{int(first) + k * 10_000_000}\t{rest}\n")
    before = (count(win.session.story.db), count(win.session.story.db, "actors"), count(win.session.story.db, "sources"))
    dialog = ImportDialog(win.session, big, win)
    dialog.start()
    dialog._cancel()  # the user presses Cancel at once
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert "Cancelled" in dialog.status.text()
    db = win.session.story.db
    assert (count(db), count(db, "actors"), count(db, "sources")) == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_mapped_csv_with_preview_and_saved_mapping(win, qtbot, tmp_path):
    from gui.import_dialog import ImportDialog
    from store.importers.mapped_csv import saved_mappings

    path = tmp_path / "icews.csv"
    path.write_text(
        "Event ID,Event Date,Source Name,Target Name,Event Text,Publisher\n"
        "1,2025-05-06,Wang Xiaohong,Scott Bessent,Meet in Geneva,Reuters\n"
        "2,2025-05-10,Scott Bessent,Wang Xiaohong,Talks continue,AP\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(win.session, path, win)
    assert dialog.fmt() == "mapped-csv"
    mapping = dict(m.split("=", 1) for m in dialog.mapping())
    assert mapping["date"] == "Event Date" and mapping["actor"] == "Source Name"
    assert mapping["target"] == "Target Name" and mapping["title"] == "Event Text" and mapping["source"] == "Publisher"
    dialog.save_as.setText("icews")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or "Nothing" in dialog.status.text(), timeout=30000)
    assert dialog.report is not None, dialog.status.text()
    assert dialog.report.events_added == 2
    db = win.session.story.db
    wang = db.execute("SELECT id FROM actors WHERE name = 'Wang Xiaohong'").fetchone()[0]
    geneva = db.execute("SELECT id FROM events WHERE title = 'Meet in Geneva'").fetchone()[0]
    assert db.execute("SELECT role FROM event_actors WHERE event_id = ? AND actor_id = ?", [geneva, wang]).fetchone()[0] == "initiator"
    assert saved_mappings(db) == ["icews"]
    assert geneva in set(win.session.data.event_ids.tolist())


def test_the_preview_of_a_latin1_file_reads_as_the_import_will(win, qtbot, tmp_path):
    """A Latin-1 CSV (as old spreadsheets save): the preview shows "José",
    as the import stores it, not "Jos�", which would look like a broken file."""
    from gui.import_dialog import ImportDialog

    path = tmp_path / "latin1.csv"
    path.write_bytes("Date,Who,What\n3 May 2025,José María Pérez,Straße closed\n".encode("latin-1"))
    dialog = ImportDialog(win.session, path, win)
    dialog.show()
    qtbot.waitExposed(dialog)
    cells = [dialog.preview.item(0, c).text() for c in range(dialog.preview.columnCount())]
    assert cells == ["3 May 2025", "José María Pérez", "Straße closed"]
    dialog.close()
