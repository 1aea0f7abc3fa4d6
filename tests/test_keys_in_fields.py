"""Keys where the cursor is in a field, as a new user presses them: Enter in a
box where a name is typed takes the name and leaves the dialog open; the
window's shortcuts work from its search box."""

from __future__ import annotations

import pytest
from conftest import open_main_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def win(qtbot, sample_db, tmp_path):
    w = open_main_window(qtbot, sample_db, tmp_path)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    from PySide6.QtTest import QTest

    QTest.mouseMove(w, QPoint(5, 5))
    QTest.mouseClick(w.statusBar(), Qt.MouseButton.LeftButton)  # no modifier left held for the next test


def one(db, sql, *args):
    return db.execute(sql, args).fetchone()[0]


def shown(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def test_enter_in_an_actor_name_keeps_the_event_dialog_open(win, qtbot):
    db = win.session.story.db
    events_before = one(db, "SELECT count(*) FROM events")
    seen = {}

    def run(dialog):
        shown(qtbot, dialog)
        qtbot.keyClicks(dialog.title, "Talks in Geneva")
        qtbot.keyClicks(dialog.start.edit, "2025-05-10")
        # a new name, then Enter: the name is taken, nothing is saved yet
        qtbot.mouseClick(dialog.participants.add_button, Qt.MouseButton.LeftButton)
        who = dialog.participants.rows()[-1][0]
        assert QApplication.focusWidget() is who  # Add put the cursor in the new name
        qtbot.keyClicks(who, "Zed Newman")
        qtbot.keyClick(who, Qt.Key.Key_Return)
        seen["open after a new name"] = dialog.isVisible()
        seen["new name"] = who.currentText()
        seen["note"] = dialog.actor_problem.text()
        # a known name typed in another case, then Enter: the list's spelling
        qtbot.mouseClick(dialog.participants.add_button, Qt.MouseButton.LeftButton)
        second = dialog.participants.rows()[-1][0]
        qtbot.keyClicks(second, "marco rubio")
        qtbot.keyClick(second, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
        seen["open after a known name"] = dialog.isVisible()
        seen["known name"] = second.currentText()
        # the event type is typed too: Enter there takes the type
        dialog.type.setFocus()
        qtbot.keyClicks(dialog.type, "summit")
        qtbot.keyClick(dialog.type, Qt.Key.Key_Return)
        seen["open after a type"] = dialog.isVisible()
        # Enter elsewhere saves
        dialog.title.setFocus()
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = run
    win.timeline.plot.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
    assert seen == {
        "open after a new name": True, "new name": "Zed Newman", "note": "New actor to add: Zed Newman",
        "open after a known name": True, "known name": "Marco Rubio", "open after a type": True,
    }  # fmt: skip
    assert one(db, "SELECT count(*) FROM events") == events_before + 1
    new = one(db, "SELECT id FROM events WHERE title = 'Talks in Geneva'")
    assert one(db, "SELECT type FROM events WHERE id = ?", new) == "summit"
    names = {r[0] for r in db.execute(
        "SELECT a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?", (new,))}
    assert names == {"Zed Newman", "Marco Rubio"}


def test_ctrl_enter_saves_from_the_actor_name_and_from_the_summary(win, qtbot):
    db = win.session.story.db

    def run(dialog):
        shown(qtbot, dialog)
        qtbot.keyClicks(dialog.title, "Call with Ottawa")
        qtbot.keyClicks(dialog.start.edit, "2025-05-11")
        qtbot.mouseClick(dialog.participants.add_button, Qt.MouseButton.LeftButton)
        who = dialog.participants.rows()[-1][0]
        qtbot.keyClicks(who, "Canada")
        qtbot.keyClick(who, Qt.Key.Key_Return, CTRL)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = run
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
    new = one(db, "SELECT id FROM events WHERE title = 'Call with Ottawa'")
    assert one(db, "SELECT count(*) FROM event_actors WHERE event_id = ?", new) == 1

    def run_summary(dialog):
        shown(qtbot, dialog)
        qtbot.keyClicks(dialog.title, "Second call")
        qtbot.keyClicks(dialog.start.edit, "2025-05-12")
        dialog.summary.setFocus()
        qtbot.keyClicks(dialog.summary, "Two lines")
        qtbot.keyClick(dialog.summary, Qt.Key.Key_Return)  # a plain Enter is a new line in the summary
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.summary, "of notes")
        qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = run_summary
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
    assert one(db, "SELECT summary FROM events WHERE title = 'Second call'") == "Two lines\nof notes"


def test_enter_in_a_relationship_type_keeps_the_dialog_open(win, qtbot):
    db = win.session.story.db
    before = one(db, "SELECT count(*) FROM relationships")
    seen = {}

    def run(dialog):
        shown(qtbot, dialog)
        dialog.target.setCurrentIndex(1 if dialog.source.currentIndex() == 0 else 0)
        dialog.type.setFocus()
        qtbot.keyClicks(dialog.type, "mediates for")
        qtbot.keyClick(dialog.type, Qt.Key.Key_Return)
        seen["open"] = dialog.isVisible()
        dialog.notes.setFocus()
        qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, CTRL)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = run
    qtbot.keyClick(win, Qt.Key.Key_R, CTRL)
    assert seen == {"open": True}
    assert one(db, "SELECT count(*) FROM relationships") == before + 1
    assert one(db, "SELECT count(*) FROM relationships WHERE type = 'mediates for'") == 1
