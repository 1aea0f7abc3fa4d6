"""Keys where the cursor is in a field, as a new user presses them: Enter in a
box where a name is typed takes the name and leaves the dialog open; the
window's shortcuts work from its search box."""

from __future__ import annotations

import pytest
from conftest import answer_every_dialog_cancel, one
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def win(active_win):
    return active_win


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


# keys the README's key table documents, pressed with the cursor in the search box:
# the window's (these fire their action there too) ...
WINDOW_KEYS = [
    "Ctrl+E", "Ctrl+Shift+E", "Ctrl+Alt+E", "Ctrl+D", "Ctrl+N", "Ctrl+R", "Ctrl+Shift+A", "Ctrl+Return",
    "Ctrl+Shift+M", "Ctrl+Shift+D", "Ctrl+Shift+N", "Ctrl+O", "Ctrl+Shift+S", "Ctrl+I", "Ctrl+L", "Ctrl+F",
    "Ctrl+Shift+F", "Ctrl+Backspace", "Ctrl+=", "Ctrl+-", "F1", "Esc",
]  # fmt: skip
# ... and the text box's own: the search text changes, no action fires
TEXT_KEYS = {"Home": "|abc def", "Shift+Home": "abc", "Del": "abcdef", "Left": "ab|c def", "Right": "abc |def",
             "+": "abc+ def", "-": "abc- def"}  # fmt: skip


def _back_in(win, qtbot, field):
    other = QApplication.activeWindow()
    if other is not None and other is not win:
        other.close()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)


def test_the_documented_keys_work_from_the_search_box(win, qtbot, monkeypatch):
    from PySide6.QtGui import QKeySequence

    answer_every_dialog_cancel(win, monkeypatch)
    # an event selected, so Duplicate and Edit selected are on
    win.session.selection.select_events([win.session.story.db.execute("SELECT min(id) FROM events").fetchone()[0]])
    owners = {seq.toString(): a for a in win.actions() for seq in a.shortcuts()}
    missed = []
    for key in WINDOW_KEYS:
        action = owners[key]
        assert action.isEnabled(), key
        fired = []
        count = lambda *_a: fired.append(1)  # noqa: E731
        action.triggered.connect(count)
        _back_in(win, qtbot, win.search)
        win.search.setText("abc def")
        win.search.setCursorPosition(3)
        chord = QKeySequence(key)[0]
        qtbot.keyClick(win.search, chord.key(), chord.keyboardModifiers())
        if len(fired) != 1:
            missed.append(key)
        action.triggered.disconnect(count)
    assert missed == [], f"from the search box these did nothing: {missed}"
    for key, expected in TEXT_KEYS.items():
        _back_in(win, qtbot, win.search)
        win.search.setText("abc def")
        win.search.setCursorPosition(3)
        chord = QKeySequence(key)[0]
        qtbot.keyClick(win.search, chord.key(), chord.keyboardModifiers())
        text = win.search.text()
        if "|" in expected:
            text = text[: win.search.cursorPosition()] + "|" + text[win.search.cursorPosition():]
        elif win.search.hasSelectedText():
            text = win.search.selectedText()
        assert text == expected, key
    # Ctrl+Z in the search box undoes the typing, not the story's last change
    from gui import commands

    assert win.session.run(commands.add_actor(win.session, "Someone new")) is None
    _back_in(win, qtbot, win.search)
    win.search.clear()
    qtbot.keyClicks(win.search, "xi")
    qtbot.keyClick(win.search, Qt.Key.Key_Z, CTRL)
    assert win.search.text() == ""
    assert one(win.session.story.db, "SELECT count(*) FROM actors WHERE name = 'Someone new'") == 1


def test_the_same_keys_on_linux_key_bindings_in_a_real_x_window(tmp_path):
    """Linux desktops (Qt's X11 key bindings) give a text field Ctrl+E, Ctrl+D,
    Ctrl+K and Ctrl+U, and the standard Delete holds Ctrl+D; the offscreen
    platform the suite runs on has Windows' bindings. So the tests above, and
    the every-shortcut test, run again in a real X window on a virtual screen."""
    import os
    import shutil
    import subprocess
    import sys
    import time

    from conftest import ROOT

    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (apt-get install xvfb): Linux key bindings not checked")
    display = 140
    while os.path.exists(f"/tmp/.X11-unix/X{display}") or os.path.exists(f"/tmp/.X{display}-lock"):
        display += 1
    server = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{display}"):
                break
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
        tests = [
            "tests/test_keys_in_fields.py::test_the_documented_keys_work_from_the_search_box",
            "tests/test_keys_in_fields.py::test_enter_in_an_actor_name_keeps_the_event_dialog_open",
            "tests/test_daily_use.py::test_every_menu_shortcut_fires_once_without_ambiguity",
        ]
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'x'}",
                              *tests], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert "3 passed" in run.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_date_message_never_moves_the_fields_below(win, qtbot):
    seen = {}

    def run(dialog):
        shown(qtbot, dialog)
        until_y = dialog.end.edit.mapTo(dialog, QPoint(0, 0)).y()
        height = dialog.height()
        dialog.start.edit.setFocus()
        qtbot.keyClicks(dialog.start.edit, "201718 February 2025, at the harbour office in Northbridge")
        qtbot.wait(10)  # the layout settles
        seen["message"] = dialog.start.feedback.text()
        seen["tip"] = dialog.start.feedback.toolTip()  # the line is cut short: the whole message on hover
        seen["until moved"] = dialog.end.edit.mapTo(dialog, QPoint(0, 0)).y() - until_y
        seen["taller"] = dialog.height() - height
        dialog.grab().save(str(seen["png"]))
        return False

    win.session.selection.select_actors([a for a, _n in win.editor.actor_choices()][:2])
    win.editor.exec_dialog = run
    import tempfile

    seen["png"] = tempfile.mktemp(suffix=".png")
    qtbot.keyClick(win, Qt.Key.Key_R, CTRL)
    assert "201718 February 2025, at the harbour office in Northbridge" in seen["message"]  # whole in its tooltip
    assert seen["tip"] == seen["message"]
    assert seen["until moved"] == 0 and seen["taller"] == 0
