"""Daily use in the real window, driven by keys and the mouse as a person
would: shortcuts that fire, drags that never edit by accident, dates shown
as they were read, filters that match what is drawn."""

from __future__ import annotations

import pytest
from conftest import answer_every_dialog_cancel, one, open_main_window
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication


@pytest.fixture
def win(active_win):
    return active_win


def actor_id(win, name):
    return next(a for a, n in win.editor.actor_choices() if n == name)


def press(qtbot, widget, seq: QKeySequence) -> None:
    """Press a key sequence's first chord on ``widget``, as a keyboard does."""
    combo = seq[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def menu_actions(win):
    """Every action reachable from the menu bar, submenus included."""
    found, todo = [], [m.menu() for m in win.menuBar().actions() if m.menu()]
    while todo:
        menu = todo.pop()
        menu.aboutToShow.emit()
        for action in menu.actions():
            if action.menu():
                todo.append(action.menu())
            elif not action.isSeparator():
                found.append(action)
    return found


def back_to_main_window(win, qtbot) -> None:
    """A window a key opened (the quick guide, a finder) is closed, and the
    person is back in the main window for the next key."""
    other = QApplication.activeWindow()
    if other is not None and other is not win:
        other.close()
    if win.isVisible():
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)


# ---------------------------------------------------------------- 1. shortcuts
def test_every_menu_shortcut_fires_once_without_ambiguity(win, qtbot, monkeypatch, sample_db, tmp_path):
    answer_every_dialog_cancel(win, monkeypatch)  # the key is what is tested here
    # something to undo and redo, so both actions are enabled
    from gui import commands

    assert win.session.run(commands.add_actor(win.session, "Someone new")) is None
    actions = [a for a in menu_actions(win) if a.shortcuts()]
    texts = {a.text().replace("&", "") for a in actions}
    assert {"New event…", "New database…", "Quit", "Close"} <= {t.split(" '")[0] for t in texts} | texts
    seen: dict[str, str] = {}
    last = [a for a in actions if a.text().replace("&", "") in ("Close", "Quit")]
    for action in [a for a in actions if a not in last] + last:
        for seq in action.shortcuts():
            key = seq.toString()
            assert key not in seen, f"{key} is on both {seen[key]!r} and {action.text()!r}"
            seen[key] = action.text()
        if action.text().replace("&", "") == "Quit":
            continue  # pressed in a window of its own below
        if not action.isEnabled():
            continue
        fired = []
        action.triggered.connect(lambda *_a, t=action.text(): fired.append(t))
        back_to_main_window(win, qtbot)
        win.timeline.plot.setFocus()
        for seq in action.shortcuts():
            if not action.isEnabled() or not win.isVisible():
                break
            if seq[0].key() >= Qt.Key.Key_Back:
                continue  # a dedicated media/office key (Undo, Find...): no keyboard here has it
            before = len(fired)
            press(qtbot, win, seq)
            assert len(fired) == before + 1, f"{seq.toString()} did not trigger {action.text()!r}"
            if action is win.undo_action:
                win.redo_action.trigger()  # keep something to undo for the next key
            elif action is win.redo_action:
                win.undo_action.trigger()
    assert not win.isVisible()  # Close ran last
    assert {"Ctrl+N", "Ctrl+Shift+N", "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+Z"} <= set(seen)
    assert seen["Ctrl+N"].replace("&", "") == "New event…"
    assert seen["Ctrl+Shift+N"].replace("&", "") == "New database…"
    assert seen["Ctrl+Y"] == seen["Ctrl+Shift+Z"] and seen["Ctrl+Y"].startswith("Redo")


def test_ctrl_n_opens_new_event_and_redo_keys_redo(win, qtbot):
    db = win.session.story.db
    shown = []

    def fill(dialog):
        shown.append(dialog.windowTitle())
        dialog.title.setText("Made with Ctrl+N")
        dialog.start.edit.setText("2025-05-03")
        return dialog.revalidate()

    win.editor.exec_dialog = fill
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert shown == ["New event"]
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Made with Ctrl+N'") == 1
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Made with Ctrl+N'") == 0
    qtbot.keyClick(win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Made with Ctrl+N'") == 1
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Made with Ctrl+N'") == 1


def test_quit_key_closes_every_window(win, qtbot):
    quit_action = next(a for a in menu_actions(win) if a.text().replace("&", "") == "Quit")
    assert quit_action.shortcuts()
    press(qtbot, win, quit_action.shortcuts()[0])
    assert not win.isVisible()


# ---------------------------------------------------------------- 2. moving events
def drag_and_look(widget, start, end, modifiers, look):
    """Press, move in steps, call ``look()`` while the button is still down, release."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtTest import QTest

    def send(kind, pos, button, buttons):
        p = QPointF(pos)
        QApplication.sendEvent(widget, QMouseEvent(kind, p, widget.mapToGlobal(p), button, buttons, modifiers))

    left = Qt.MouseButton.LeftButton
    send(QMouseEvent.Type.MouseButtonPress, start, left, left)
    for k in range(1, 7):
        QTest.qWait(25)
        send(QMouseEvent.Type.MouseMove, start + (end - start) * (k / 6), Qt.MouseButton.NoButton, left)
    seen = look()
    send(QMouseEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)
    return seen


def _add(win, title, start, who="Xi Jinping"):
    from gui import commands
    from store.records import Participation

    assert win.session.run(commands.add_event(win.session, title, start, actors=[Participation(actor_id(win, who))])) is None
    return one(win.session.story.db, "SELECT id FROM events WHERE title = ?", title)


def test_alt_drag_keeps_precision_and_style_and_shows_the_new_date(win, qtbot):
    from test_explorer import event_point, plot_point
    from store.dates import parse_date

    db = win.session.story.db
    eid = _add(win, "Written by hand", "12 June 2025")
    win.timeline.set_window(parse_date("2025-06-05").earliest, parse_date("2025-06-30").latest)
    win.session.selection.clear_selection()
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, "Xi Jinping"))
    start = event_point(win, eid, "Xi Jinping")
    end = plot_point(win, parse_date("2025-06-19").earliest + 12 * 3600, row)
    label = win.timeline.lanes._drag.label
    shown = drag_and_look(win.timeline.plot.viewport(), start, end, Qt.KeyboardModifier.AltModifier,
                          lambda: (label.isVisible(), label.textItem.toPlainText()))
    written = one(db, "SELECT start FROM events WHERE id = ?", eid)
    assert written == "19 June 2025"  # whole days, the same style, no time of day
    assert shown == (True, "12 June 2025 → 19 June 2025")  # said before the button was released
    assert not label.isVisible()
    assert one(db, "SELECT precision FROM events WHERE id = ?", eid) == "day"
    assert win.undo_action.text() == "Undo move 'Written by hand'"
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step
    assert one(db, "SELECT start FROM events WHERE id = ?", eid) == "12 June 2025"


def test_the_move_label_sits_beside_the_event_in_a_one_lane_story(qtbot, tmp_path):
    """A lone lane fills the plot: the new date is still shown just above
    the marker being moved, not at the top of the plot."""
    from conftest import open_main_window
    from main import main
    from test_explorer import event_point, plot_point
    from store.dates import parse_date

    csv_file = tmp_path / "one.csv"
    csv_file.write_text("date,title,actor\n12 June 2025,Alone,Ana Silva\n", encoding="utf-8")
    db = tmp_path / "one.db"
    assert main(["import", str(db), str(csv_file), "--format", "csv", "--map", "date=date", "title=title",
                 "actor=actor"]) == 0
    w = open_main_window(qtbot, db, tmp_path, size=(1200, 800))
    w.timeline.set_window(parse_date("2025-06-05").earliest, parse_date("2025-06-30").latest)
    eid = one(w.session.story.db, "SELECT id FROM events WHERE title = 'Alone'")
    start = event_point(w, eid, "Ana Silva")
    end = plot_point(w, parse_date("2025-06-19").earliest + 12 * 3600, 0)
    label = w.timeline.lanes._drag.label

    def where():
        box = w.timeline.plot.mapFromScene(label.mapToScene(label.boundingRect()).boundingRect()).boundingRect()
        return label.isVisible(), box

    shown, box = drag_and_look(w.timeline.plot.viewport(), start, end, Qt.KeyboardModifier.AltModifier, where)
    assert shown
    assert 0 <= end.y() - box.bottom() <= 30, (box, end)  # just above the marker
    assert abs(box.left() - end.x()) < 40


def test_alt_drag_moves_the_selected_event_where_markers_overlap(win, qtbot):
    """Two events on the same day in one lane: the one selected (clicked) is
    the one an Alt-drag moves, not whichever marker lies nearer."""
    from test_explorer import event_point, plot_point
    from store.dates import parse_date

    db = win.session.story.db
    other = _add(win, "Already there", "12 June 2025")
    mine = _add(win, "Mine to move", "12 June 2025")
    win.timeline.set_window(parse_date("2025-05-01").earliest, parse_date("2025-08-30").latest)
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, "Xi Jinping"))
    win.session.selection.select_events([mine])
    start = event_point(win, other, "Xi Jinping")  # the other marker's own place
    end = plot_point(win, parse_date("2025-07-12").earliest + 12 * 3600, row)
    drag_and_look(win.timeline.plot.viewport(), start, end, Qt.KeyboardModifier.AltModifier, lambda: None)
    assert one(db, "SELECT start FROM events WHERE id = ?", other) == "12 June 2025"
    assert one(db, "SELECT start FROM events WHERE id = ?", mine) != "12 June 2025"


def test_a_month_moves_by_months_in_move_mode_and_plain_drag_pans_otherwise(win, qtbot):
    from test_explorer import event_point, plot_point
    from store.dates import parse_date

    db = win.session.story.db
    eid = _add(win, "Some time in March", "March 2024", "Marco Rubio")
    win.timeline.set_window(parse_date("2024-01-01").earliest, parse_date("2024-08-31").latest)
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, "Marco Rubio"))
    start = event_point(win, eid, "Marco Rubio")
    end = plot_point(win, parse_date("2024-05-15").earliest, row)
    from test_explorer import drag

    drag(win.timeline.plot.viewport(), start, end)  # plain drag: a pan, nothing written
    assert one(db, "SELECT start FROM events WHERE id = ?", eid) == "March 2024"
    win.timeline.set_window(parse_date("2024-01-01").earliest, parse_date("2024-08-31").latest)
    qtbot.keyClick(win, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert win.move_mode_action.isChecked()
    start = event_point(win, eid, "Marco Rubio")
    drag(win.timeline.plot.viewport(), start, plot_point(win, parse_date("2024-05-16").earliest, row))
    assert one(db, "SELECT start FROM events WHERE id = ?", eid) == "May 2024"
    assert one(db, "SELECT precision FROM events WHERE id = ?", eid) == "month"


# ---------------------------------------------------------------- 3. the event table's Date cell
def show_events_table(win):
    from PySide6.QtWidgets import QDockWidget

    win.findChild(QDockWidget, "dock-Events").show()
    win.table.only_window.setChecked(False)
    return win.table


def cell_point(table, row, col):
    return table.view.visualRect(table.model.index(row, col)).center()


def double_click(qtbot, widget, pos):
    """What a mouse sends for a double click: press-release, then the double-click press."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def type_into_dialog(qtbot, text, then_enter=True):
    """An exec hook: show the dialog, type where its cursor is, press Enter."""
    from PySide6.QtWidgets import QDialog

    def run(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        target = dialog.focusWidget()
        run.focused = target
        qtbot.keyClicks(target, text)
        if then_enter:
            qtbot.keyClick(target, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    run.focused = None
    return run


def test_double_clicking_a_date_cell_edits_the_date_not_the_title(win, qtbot):
    db = win.session.story.db
    table = show_events_table(win)
    wsj = one(db, "SELECT id FROM events WHERE title LIKE 'WSJ%'")
    title = one(db, "SELECT title FROM events WHERE id = ?", wsj)
    row = table.model.row_of([wsj])[0]
    table.view.scrollTo(table.model.index(row, 0))
    hook = type_into_dialog(qtbot, "2025-05-04")
    win.editor.exec_dialog = hook
    double_click(qtbot, table.view.viewport(), cell_point(table, row, 0))
    assert hook.focused is not None
    assert one(db, "SELECT start FROM events WHERE id = ?", wsj) == "2025-05-04"
    assert one(db, "SELECT title FROM events WHERE id = ?", wsj) == title
    # the End column puts the cursor in End
    row = table.model.row_of([wsj])[0]
    win.editor.exec_dialog = type_into_dialog(qtbot, "2025-05-06")
    double_click(qtbot, table.view.viewport(), cell_point(table, row, 1))
    assert one(db, "SELECT \"end\" FROM events WHERE id = ?", wsj) == "2025-05-06"
    assert one(db, "SELECT title FROM events WHERE id = ?", wsj) == title


# ---------------------------------------------------------------- 4. dates shown as they were read
def test_a_relative_date_shows_what_it_was_read_as_everywhere(win, qtbot):
    from PySide6.QtWidgets import QDialog

    db = win.session.story.db
    said = []

    def fill(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.title, "Announcement on Friday")
        qtbot.keyClicks(dialog.reference, "2025-05-06")
        qtbot.keyClicks(dialog.start.edit, "last Friday")
        said.append(dialog.start.feedback.text())
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = fill
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    reading = "last Friday (2 May 2025, read against 6 May 2025)"
    assert said and said[0].startswith(reading + " — day precision")
    eid = one(db, "SELECT id FROM events WHERE title = 'Announcement on Friday'")
    assert one(db, "SELECT start FROM events WHERE id = ?", eid) == "last Friday"  # stored as written
    assert reading in win.detail.toPlainText()  # selected after adding: the details say it
    assert reading in win.session.tooltip(eid).replace("&nbsp;", " ")
    table = show_events_table(win)
    row = table.model.row_of([eid])[0]
    assert table.model.index(row, 0).data() == reading
    assert table.model.index(row, 0).data(Qt.ItemDataRole.EditRole) == "last Friday"  # edited as written
    # an approximate date says the span it covers
    win.session.selection.select_events([one(db, "SELECT id FROM events WHERE start = 'c. 2025-04-30'")])
    assert "c. 2025-04-30 (29 April 2025 to 1 May 2025)" in win.detail.toPlainText()


# ---------------------------------------------------------------- 5. a new database, new events in view
def test_a_new_database_opens_on_now_and_new_events_come_into_view(qtbot, tmp_path):
    import time

    from PySide6.QtWidgets import QDialog

    from store.backup import new_database
    from store.dates import parse_date

    path = new_database(tmp_path / "fresh.db")
    w = open_main_window(qtbot, path, tmp_path, size=(1200, 800))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    lo, hi = w.session.selection.visible_range
    assert lo < time.time() < hi and hi - lo > 300 * 86400  # this year, not 1970

    def adding(title, start):
        def fill(dialog):
            dialog.show()
            qtbot.waitExposed(dialog)
            qtbot.keyClicks(dialog.title, title)
            qtbot.keyClicks(dialog.start.edit, start)
            qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
            return dialog.result() == QDialog.DialogCode.Accepted
        return fill

    def in_view(eid):
        lo, hi = w.session.selection.visible_range
        i = w.session.event_index(eid)
        return lo <= w.session.data.start(i) and w.session.data.end(i) <= hi and hi - lo > 86400

    for title, start in (("First", "2 May 2025"), ("Much later", "2031"), ("Long ago", "12 March 1998")):
        w.editor.exec_dialog = adding(title, start)
        qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        eid = one(w.session.story.db, "SELECT id FROM events WHERE title = ?", title)
        assert in_view(eid), title
        w.timeline.plot.viewport().repaint()
        assert eid in set(w.session.data.event_ids[w.timeline.lanes._frame.event].tolist())
    # an edit that moves an event out of view brings it back into view
    first = one(w.session.story.db, "SELECT id FROM events WHERE title = 'First'")
    w.timeline.set_window(parse_date("2031").earliest, parse_date("2031").latest)
    w.editor.exec_dialog = lambda d: (d.start.edit.setText("2 May 2026"), d.revalidate())[1]
    w.session.selection.select_events([first])
    qtbot.keyClick(w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert one(w.session.story.db, "SELECT start FROM events WHERE id = ?", first) == "2 May 2026"
    assert in_view(first)
    w.close()


# ---------------------------------------------------------------- 6. the actor filter and multi-select
def row_point(tree, item, column=0):
    return tree.visualItemRect(item).center() if column == 0 else tree.visualRect(tree.indexFromItem(item, column)).center()


def test_unticking_an_actor_hides_its_lane_and_clicking_the_box_does_not_select(win, qtbot):
    from test_explorer import drawn_events

    tree = win.actors.tree
    rubio = actor_id(win, "Marco Rubio")
    item = win.actors.item_for(rubio)
    tree.scrollToItem(item)
    lanes_before = list(win.timeline.lanes.row_actor_ids)
    assert rubio in lanes_before
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.check_rect(item).center())
    assert item.checkState(0) == Qt.CheckState.Unchecked
    assert not win.session.selection.selected_actors and not tree.selectedItems()  # ticking is not selecting
    lanes = win.timeline.lanes.row_actor_ids
    assert rubio not in lanes and len(lanes) == len(lanes_before) - 1 - (-1 in lanes_before)
    ticked = [it for it in win.actors.items() if it.checkState(0) == Qt.CheckState.Checked]
    status = win.statusBar().currentMessage()
    assert f"{len(ticked)} of {len(win.actors.items())} actors ticked" in status
    assert len(lanes) == len(ticked)  # what the status bar says is what is drawn
    assert rubio not in win.graph.visible_nodes
    db = win.session.story.db
    ticked_ids = {it.data(0, Qt.ItemDataRole.UserRole) for it in ticked}
    for eid in drawn_events(win):
        actors = {r[0] for r in db.execute("SELECT actor_id FROM event_actors WHERE event_id = ?", [eid])}
        assert actors & ticked_ids
    # ticking again brings the lane back
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.check_rect(item).center())
    assert rubio in win.timeline.lanes.row_actor_ids and win.session.selection.actor_filter is None


def test_ctrl_click_adds_to_the_selection_and_new_relationship_goes_a_to_b(win, qtbot):
    tree = win.actors.tree
    a, b = win.actors.items()[0], win.actors.items()[1]
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=row_point(tree, a, 1))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, row_point(tree, b, 1))
    ida, idb = a.data(0, Qt.ItemDataRole.UserRole), b.data(0, Qt.ItemDataRole.UserRole)
    assert win.session.selection.selected_actors == {ida, idb}
    seen = []
    win.editor.exec_dialog = lambda d: seen.append((d.source.currentData(), d.target.currentData())) or False
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert seen == [(ida, idb)]
    # picked the other way round, it goes the other way
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=row_point(tree, b, 1))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, row_point(tree, a, 1))
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert seen[-1] == (idb, ida)
    # ctrl-click on a selected actor takes it out
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, row_point(tree, b, 1))
    assert win.session.selection.selected_actors == {ida}


def test_ctrl_click_adds_rows_in_the_event_table(win, qtbot):
    table = show_events_table(win)
    view = table.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell_point(table, 0, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, cell_point(table, 2, 2))
    assert win.session.selection.selected_events == {table.model.event_id(0), table.model.event_id(2)}
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, cell_point(table, 4, 2))
    assert len(win.session.selection.selected_events) >= 4


# ---------------------------------------------------------------- 7. saved views restore the search box
def pick_from_menu(qtbot, menu, text, at):
    menu.popup(at)
    qtbot.waitExposed(menu)
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


# an offscreen popup menu cannot raise itself or grab the keyboard; harmless here
@pytest.mark.qt_log_ignore(r"does not support raise", r"does not support grabbing the keyboard")
def test_restoring_a_saved_view_sets_the_search_box(win, qtbot):
    from gui import commands
    from gui.saved_views import current_state

    sel = win.session.selection
    assert win.session.run(commands.SaveView(win.session, "Everything", current_state(sel))) is None
    qtbot.keyClicks(win.search, "tariff")
    qtbot.waitUntil(lambda: sel.search == "tariff")
    assert win.session.run(commands.SaveView(win.session, "Tariffs", current_state(sel))) is None
    where = win.mapToGlobal(QPoint(200, 40))
    pick_from_menu(qtbot, win.views_menu, "Everything", where)
    assert sel.search == "" and win.search.text() == ""
    pick_from_menu(qtbot, win.views_menu, "Tariffs", where)
    assert sel.search == "tariff" and win.search.text() == "tariff"


# ---------------------------------------------------------------- 8. imports: one undoable step; mappings for all files
CSV = "When,What,Who,Paper\n2025-06-03,Talks resume in London,Scott Bessent;He Lifeng,Reuters\n2025-06-05,Call between leaders,Donald Trump;Xi Jinping,AP\n"


def test_an_import_is_one_undoable_step_and_its_mapping_is_kept_for_all_files(win, qtbot, tmp_path):
    from gui.import_dialog import ImportDialog

    path = tmp_path / "london.csv"
    path.write_text(CSV, encoding="utf-8")
    db = win.session.story.db
    before = {t: one(db, f"SELECT count(*) FROM {t}") for t in ("events", "actors", "sources", "event_actors")}
    fts_before = one(db, "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'London'")
    dialog = ImportDialog(win.session, path, win)
    dialog.show()
    qtbot.waitExposed(dialog)
    for key, column in (("date", "When"), ("title", "What"), ("participants", "Who"), ("source", "Paper")):
        dialog.columns[key].setCurrentText(column)
    qtbot.keyClicks(dialog.save_as, "london-style")
    qtbot.mouseClick(dialog.save_for_all, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.save_for_all.height() // 2))
    assert dialog.save_for_all.isChecked()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None or "Nothing" in dialog.status.text(), timeout=30000)
    assert dialog.report is not None, dialog.status.text()
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    added = one(db, "SELECT count(*) FROM events") - before["events"]
    assert added == 2 and win.session.data.n_events == before["events"] + 2
    new_ids = sorted(r[0] for r in db.execute("SELECT id FROM events WHERE title IN ('Talks resume in London', 'Call between leaders')"))
    dialog.close()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    assert win.undo_action.text() == "Undo import 'london.csv'"
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    assert {t: one(db, f"SELECT count(*) FROM {t}") for t in before} == before  # all it added is gone
    assert one(db, "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'London'") == fts_before
    assert win.session.data.n_events == before["events"]
    qtbot.keyClick(win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    assert sorted(r[0] for r in db.execute("SELECT id FROM events WHERE title IN ('Talks resume in London', 'Call between leaders')")) == new_ids
    assert one(db, "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'London'") == fts_before + 1
    # the mapping was kept in the settings, not in this file: another file's import offers it
    assert one(db, "SELECT count(*) FROM meta WHERE key LIKE '%london-style%'") == 0
    other = ImportDialog(win.session, path, win)
    assert "london-style" in [other.saved_box.itemText(i) for i in range(other.saved_box.count())]
    other.columns["title"].setCurrentText("(none)")
    other.saved_box.setCurrentText("london-style")
    assert other.columns["title"].currentText() == "What"


def test_an_import_that_brings_documents_back_is_undone_with_them(win, qtbot, tmp_path):
    """A story exported with its documents' text, imported in the window:
    the documents come back, and Ctrl+Z takes them away with the rest of the
    import (search index too); Ctrl+Y puts them back."""
    import main
    from gui.import_dialog import ImportDialog
    from store import documents, records
    from store.database import open_database
    from store.readers import read_bytes

    other = tmp_path / "other.db"
    db2 = open_database(other, create=True)
    text = b"Harbour Logistics said on Friday that the terminal would reopen."
    doc_id, _ = documents.add_document(db2, text, read_bytes(text, "memo.txt"), "memo.txt", date="9 May 2025")
    source = records.add_source(db2, **documents.source_fields(documents.get_document(db2, doc_id)))
    at = text.index(b"terminal")
    records.add_event(db2, "Terminal to reopen", "9 May 2025", sources=[records.Citation(source, "terminal", at, at + 8)])
    db2.conn.commit()
    out = tmp_path / "other.json"
    assert main.main(["export", str(other), "--format", "json", "--out", str(out), "--with-document-text"]) == 0
    db = win.session.story.db
    docs_before = one(db, "SELECT count(*) FROM documents")
    dialog = ImportDialog(win.session, out, win)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None or "Nothing" in dialog.status.text(), timeout=30000)
    assert dialog.report is not None and dialog.report.documents_added == 1, dialog.status.text()
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    assert one(db, "SELECT count(*) FROM documents") == docs_before + 1
    assert one(db, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'terminal'") == 1
    dialog.close()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    assert one(db, "SELECT count(*) FROM documents") == docs_before
    assert one(db, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'terminal'") == 0
    qtbot.keyClick(win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not win.session.reloader.running)
    assert one(db, "SELECT count(*) FROM documents") == docs_before + 1
    assert documents.broken_quotes(db) == []


def test_map_at_name_finds_a_mapping_saved_for_all_files(tmp_path):
    from conftest import run_cli

    path = tmp_path / "london.csv"
    path.write_text(CSV, encoding="utf-8")
    done = run_cli("import", tmp_path / "a.db", path, "--format", "csv", "--map", "date=When", "title=What",
                   "participants=Who", "--save-map-user", "mine")
    assert done.returncode == 0, done.stderr
    assert "for all files" in done.stdout
    done = run_cli("import", tmp_path / "b.db", path, "--format", "csv", "--map", "@mine")
    assert done.returncode == 0, done.stderr
    assert "2 events" in done.stdout or "added 2" in done.stdout, done.stdout
    missing = run_cli("import", tmp_path / "c.db", path, "--format", "csv", "--map", "@nobody")
    assert missing.returncode == 1 and "no saved mapping '@nobody'" in missing.stderr and "mine" in missing.stderr


# ---------------------------------------------------------------- 9. faster entry
def shown_dialog(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_typing_a_new_name_in_the_event_dialog_makes_the_actor_in_the_same_step(win, qtbot):
    from PySide6.QtWidgets import QDialog

    db = win.session.story.db
    actors_before = one(db, "SELECT count(*) FROM actors")

    def fill(dialog):
        shown_dialog(qtbot, dialog)
        qtbot.keyClicks(dialog.title, "He Lifeng meets Bessent")
        qtbot.keyClicks(dialog.start.edit, "10 May 2025")
        qtbot.mouseClick(dialog.participants.add_button, Qt.MouseButton.LeftButton)
        who = dialog.participants.rows()[0][0]
        # Add gives an empty row and the keys go straight into it: no actor is guessed
        assert who.currentText() == "" and dialog.focusWidget() in (who, who.lineEdit())
        qtbot.keyClicks(dialog.focusWidget(), "He Lifeng")
        assert "New actor to add: He Lifeng" in dialog.actor_problem.text()
        qtbot.mouseClick(dialog.participants.add_button, Qt.MouseButton.LeftButton)
        second = dialog.participants.rows()[1][0]
        assert second.currentText() == "" and dialog.focusWidget() in (second, second.lineEdit())
        qtbot.keyClicks(dialog.focusWidget(), "Scott Bessent")
        # a multi-line quote, typed as written
        qtbot.mouseClick(dialog.citations.add_button, Qt.MouseButton.LeftButton)
        quote = dialog.citations.rows()[0][1]
        qtbot.keyClicks(quote, "First line")
        qtbot.keyClick(quote, Qt.Key.Key_Return)
        qtbot.keyClicks(quote, "second line")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = fill
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    eid = one(db, "SELECT id FROM events WHERE title = 'He Lifeng meets Bessent'")
    he = one(db, "SELECT id FROM actors WHERE name = 'He Lifeng'")
    names = {r[0] for r in db.execute("SELECT a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = ?", [eid])}
    assert names == {"He Lifeng", "Scott Bessent"}
    assert one(db, "SELECT quote FROM event_sources WHERE event_id = ?", eid) == "First line\nsecond line"
    assert he in win.timeline.lanes.row_actor_ids
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step takes back both
    assert one(db, "SELECT count(*) FROM events WHERE id = ?", eid) == 0
    assert one(db, "SELECT count(*) FROM actors") == actors_before


def test_the_same_actor_cannot_be_listed_twice(win, qtbot):
    dialog = shown_dialog(qtbot, win.editor.event_dialog(preset_actor=actor_id(win, "Xi Jinping")))
    qtbot.keyClicks(dialog.title, "x")
    qtbot.keyClicks(dialog.start.edit, "2025")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    qtbot.mouseClick(dialog.participants.add_button, Qt.MouseButton.LeftButton)
    second = dialog.participants.rows()[1][0]
    second.lineEdit().selectAll()
    qtbot.keyClicks(second.lineEdit(), "Xi Jinping")
    assert not ok.isEnabled() and "Xi Jinping is listed twice" in dialog.actor_problem.text()
    dialog.reject()


def test_duplicate_event_copies_it_with_actors_and_sources(win, qtbot):
    db = win.session.story.db
    wsj = one(db, "SELECT id FROM events WHERE title LIKE 'WSJ%'")
    win.session.selection.select_events([wsj])
    count = one(db, "SELECT count(*) FROM events")
    qtbot.keyClick(win, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert one(db, "SELECT count(*) FROM events") == count + 1
    (copy,) = win.session.selection.selected_events
    assert copy != wsj
    same = "SELECT title, start, \"end\", certainty, summary FROM events WHERE id = ?"
    assert db.execute(same, [copy]).fetchone() == db.execute(same, [wsj]).fetchone()
    links = "SELECT actor_id, role FROM event_actors WHERE event_id = ? ORDER BY actor_id"
    assert db.execute(links, [copy]).fetchall() == db.execute(links, [wsj]).fetchall()
    cites = "SELECT source_id, quote FROM event_sources WHERE event_id = ? ORDER BY source_id"
    assert db.execute(cites, [copy]).fetchall() == db.execute(cites, [wsj]).fetchall()
    assert win.undo_action.text().startswith("Undo duplicate event 'WSJ")
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert one(db, "SELECT count(*) FROM events") == count


def test_quick_add_row_in_the_event_table(win, qtbot):
    db = win.session.story.db
    table = show_events_table(win)
    qtbot.keyClicks(table.quick_date, "3 June 2025")
    qtbot.keyClicks(table.quick_title, "Geneva follow-up call")
    qtbot.keyClicks(table.quick_actor.lineEdit(), "Marco Rubio")
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Return)
    eid = one(db, "SELECT id FROM events WHERE title = 'Geneva follow-up call'")
    assert one(db, "SELECT start FROM events WHERE id = ?", eid) == "3 June 2025"
    assert one(db, "SELECT actor_id FROM event_actors WHERE event_id = ?", eid) == actor_id(win, "Marco Rubio")
    assert table.quick_title.text() == "" and table.quick_date.text() == "3 June 2025"  # ready for the next
    assert win.session.selection.selected_events == {eid} and eid in table.selected_event_ids()
    qtbot.keyClicks(table.quick_title, "Second the same day")
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Return)
    assert one(db, "SELECT start FROM events WHERE title = 'Second the same day'") == "3 June 2025"
    # Ctrl+Z in the emptied field undoes the event just added (it used to bring the typed title back,
    # and a second Enter stored the event twice); Ctrl+Shift+Z brings it back
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Second the same day'") == 0
    assert table.quick_title.text() == ""
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Second the same day'") == 1
    # while something is typed, Ctrl+Z undoes the typing, as in any text field
    qtbot.keyClicks(table.quick_title, "Half typed")
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert table.quick_title.text() == "" and one(db, "SELECT count(*) FROM events WHERE title = 'Second the same day'") == 1
    table.quick_date.clear()
    qtbot.keyClicks(table.quick_date, "32 May 2025")
    qtbot.keyClicks(table.quick_title, "Bad")
    qtbot.keyClick(table.quick_title, Qt.Key.Key_Return)
    assert "32 May 2025" in table.quick_status.text()
    assert one(db, "SELECT count(*) FROM events WHERE title = 'Bad'") == 0


@pytest.mark.qt_log_ignore(r"does not support raise", r"does not support grabbing the keyboard")
def test_story_properties_title_the_window_and_exports(win, qtbot, tmp_path):
    from PySide6.QtWidgets import QDialog

    def fill(dialog):
        shown_dialog(qtbot, dialog)
        dialog.title.selectAll()
        qtbot.keyClicks(dialog.title, "Fentanyl and the trade talks")
        qtbot.keyClick(dialog.description, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.description, "Spring 2025, as reported.")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = fill
    file_menu = win.menuBar().actions()[0].menu()
    pick_from_menu(qtbot, file_menu, "Story &properties…", win.mapToGlobal(QPoint(10, 30)))
    db = win.session.story.db
    assert one(db, "SELECT value FROM meta WHERE key = 'title'") == "Fentanyl and the trade talks"
    assert one(db, "SELECT value FROM meta WHERE key = 'description'") == "Spring 2025, as reported."
    assert win.windowTitle().startswith("Fentanyl and the trade talks")
    from gui.export import export_timeline_svg

    out = tmp_path / "t.svg"
    export_timeline_svg(win.session, out, width=1200)
    assert "Fentanyl and the trade talks" in out.read_text(encoding="utf-8")
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert one(db, "SELECT value FROM meta WHERE key = 'title'") != "Fentanyl and the trade talks"


# ---------------------------------------------------------------- 10. the smaller things
def test_event_titles_in_the_actor_details_are_links_that_select(win, qtbot):
    from PySide6.QtGui import QTextCursor

    rubio = actor_id(win, "Marco Rubio")
    win.session.selection.select_actors([rubio])
    browser = win.detail
    doc = browser.document()
    block, target = doc.begin(), None
    while block.isValid() and target is None:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref().startswith("threadline-event:"):
                target = fragment
                break
            it += 1
        block = block.next()
    assert target is not None
    event_id = int(target.charFormat().anchorHref().split(":")[1])
    title = target.text()
    cursor = QTextCursor(doc)
    cursor.setPosition(target.position() + 1)
    browser.ensureCursorVisible()
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    point = browser.cursorRect(cursor).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert win.session.selection.selected_events == {event_id}
    assert browser.toPlainText().startswith(title)  # now the event's own details


def test_headless_commands_print_no_qt_plugin_notes(sample_db, tmp_path):
    from conftest import run_cli

    done = run_cli("export-png", sample_db, "--out", tmp_path / "t.png", env={"DISPLAY": ""})
    assert done.returncode == 0, done.stderr
    assert "propagateSizeHints" not in done.stderr + done.stdout
    assert done.stderr == ""


def test_run_sh_resolves_paths_from_where_it_was_called(tmp_path):
    import subprocess

    from conftest import ROOT

    env = {k: v for k, v in __import__("os").environ.items() if k != "THREADLINE_CWD"}
    made = subprocess.run(["bash", str(ROOT / "run.sh"), "sample", "--out", "here.db"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "here.db").exists() and not (ROOT / "here.db").exists()
    info = subprocess.run(["bash", str(ROOT / "run.sh"), "info", "here.db", "--json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert info.returncode == 0, info.stderr
    assert '"events"' in info.stdout


def test_test_set_up_names_each_missing_x_library_even_when_others_are_there(tmp_path):
    """A machine can hold most of Qt's xcb libraries (other programs need them)
    and lack the two Qt stops at; set-up names exactly the missing ones."""
    import os
    import subprocess

    from conftest import ROOT

    tools = tmp_path / "bin"
    tools.mkdir()
    present = ["libxcb-cursor.so.0", "libxcb-image.so.0", "libxcb-randr.so.0", "libxcb-render-util.so.0",
               "libxcb-shape.so.0", "libxcb-xkb.so.1", "libxkbcommon-x11.so.0", "libX11-xcb.so.1"]  # fmt: skip
    listing = "".join(f"\t{lib} (libc6,x86-64) => /usr/lib/{lib}\n" for lib in present)
    scripts = {"ldconfig": f"printf '%b' '{listing}'", "apt-get": "exit 1", "chromium": "", "pdfinfo": "", "Xvfb": ""}
    for name, body in scripts.items():
        (tools / name).write_text(f"#!/bin/sh\n{body}\n")
        (tools / name).chmod(0o755)
    env = dict(os.environ, PATH=f"{tools}:/usr/bin:/bin")
    done = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/setup.sh'; threadline_test_tools"], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = done.stderr.strip().splitlines()[-1]
    assert said.startswith("Some tests need: libxcb-icccm4 libxcb-keysyms1 ("), said
    assert "libxcb-cursor0" not in said and "xvfb" not in said


def test_save_dialogs_open_in_the_databases_folder_not_the_install_folder(win, qtbot, sample_db):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog

    from gui.file_actions import start_folder
    from gui.launch import user_data_dir

    seen = []

    def look():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            seen.append(dialog.directory().absolutePath())
            dialog.reject()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    qtbot.keyClick(win, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seen == [str(sample_db.parent.resolve())]
    # the bundled sample lives in the app's data folder: dialogs start in the documents folder instead
    class Other:
        class session:
            path = user_data_dir() / "sample.db"

    assert start_folder(Other) != user_data_dir() and "Threadline" not in str(start_folder(Other))


@pytest.mark.qt_log_ignore(r"does not support raise", r"does not support grabbing the keyboard")
def test_help_has_a_guide_to_mouse_and_keys_and_opens_the_sample(win, qtbot, monkeypatch):
    shown = []
    win.editor.exec_dialog = lambda dialog: shown.append(dialog.text.toPlainText()) or False
    qtbot.keyClick(win, Qt.Key.Key_F1)
    assert shown and "Alt-drag" in shown[0] and "Ctrl+Shift+N" in shown[0]
    import gui.launch as launch

    opened = []
    monkeypatch.setattr(launch, "open_window", lambda path, read_only=False: opened.append(path))
    help_menu = win.menuBar().actions()[-1].menu()
    pick_from_menu(qtbot, help_menu, "Open the &sample story", win.mapToGlobal(QPoint(300, 30)))
    assert opened and opened[0] == launch.sample_path()


def test_undo_and_redo_buttons_keep_their_width(win, qtbot):
    from gui import commands

    undo, search = win.undo_button, win.search
    width, x = undo.width(), search.mapTo(win, QPoint(0, 0)).x()
    long_title = "A very long title for an event that would push the search box off the toolbar " * 2
    assert win.session.run(commands.add_event(win.session, long_title, "2025-05-01")) is None
    qtbot.wait(10)
    assert undo.width() == width and search.mapTo(win, QPoint(0, 0)).x() == x
    assert undo.text().startswith("Undo add event") and undo.text().endswith("…")
    assert undo.toolTip() == win.undo_action.text()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)  # the button still undoes
    assert one(win.session.story.db, "SELECT count(*) FROM events WHERE title = ?", long_title.strip()) == 0
    assert win.redo_button.isEnabled()


# ---------------------------------------------------------------- the store's side, without a window
@pytest.mark.parametrize("text, units, moved", [
    ("2024-06-01", 7, "2024-06-08"), ("2 May 2025", 7, "9 May 2025"), ("May 2, 2025", 30, "June 1, 2025"),
    ("May 2025", 1, "June 2025"), ("Dec 2025", 1, "Jan 2026"), ("2025-05", -5, "2024-12"), ("2016/2017", 1, "2017/2018"),
    ("c. 2016", 2, "c. 2018"), ("2025-04-10 04:01", 60, "2025-04-10 05:01"), ("05/02/2025", 3, "05/05/2025"),
])  # fmt: skip
def test_a_date_moves_by_its_own_units_in_its_own_style(text, units, moved):
    from store.dates import parse_date
    from store.dates.shift import shift_date

    assert shift_date(text, units) == moved
    assert parse_date(moved).precision == parse_date(text).precision


def test_as_read_says_what_relative_and_approximate_dates_mean():
    from store.dates import as_read

    assert as_read("last Friday", "2025-05-06") == "last Friday (2 May 2025, read against 6 May 2025)"
    assert as_read("c. 2016") == "c. 2016 (2015 to 2017)"
    assert as_read("May 2025") == "May 2025" and as_read("2025-05-02", "2025-05-06") == "2025-05-02"


def test_the_story_details_count_actors_not_the_no_actor_lane(win, qtbot):
    from gui import commands

    db = win.session.story.db
    assert win.session.run(commands.add_event(win.session, "Nobody named", "3 May 2025")) is None
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    text = win.detail.toPlainText()
    assert f"{one(db, 'SELECT count(*) FROM actors')} actors." in text


def test_editing_an_event_without_a_type_keeps_it_without_one(win, qtbot):
    """Opening an untyped event and changing only its title must not give it
    the first type the story uses (the editable box showed it, and OK saved it)."""
    from PySide6.QtWidgets import QDialog

    db = win.session.story.db
    assert one(db, "SELECT count(DISTINCT type) FROM events WHERE type IS NOT NULL") > 0  # there are types to pick
    eid = _add(win, "Untyped statement", "6 May 2025")
    assert one(db, "SELECT type FROM events WHERE id = ?", eid) is None
    seen = {}

    def retitle(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        seen["type shown"] = dialog.type.currentText()
        dialog.title.selectAll()
        qtbot.keyClicks(dialog.title, "Retitled statement")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    win.editor.exec_dialog = retitle
    win.session.selection.select_events([eid])
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen["type shown"] == ""
    assert db.execute("SELECT title, type FROM events WHERE id = ?", [eid]).fetchone() == ("Retitled statement", None)


def test_an_import_into_a_new_story_is_brought_into_view_with_its_graph(qtbot, tmp_path):
    """A new, empty story opens around today; importing a file of 2016-2025
    events shows those events, and the graph lays out every actor inside
    its panel."""
    from conftest import open_main_window
    from gui.import_dialog import ImportDialog
    from store.database import close_database, open_database

    db_path = tmp_path / "new.db"
    close_database(open_database(str(db_path), create=True))  # File > New database makes the same empty story
    w = open_main_window(qtbot, db_path, tmp_path, size=(1400, 900))
    qtbot.waitExposed(w)
    path = tmp_path / "port.csv"
    others = ["Dock Union", "Teamsters Local 12", "Maria Keller", "Jan de Vries", "City Radio", "Netherlands"]
    path.write_text("Date,Who,With whom,What\n3 May 2025,Lina Ortiz,Port Authority,Mayor meets port chiefs\n"
                    "c. 2016,Port Authority,Harbour Holdings Ltd,Concession signed\n"
                    + "".join(f"2025-05-{9 + k:02d},{who},{others[k - 1] if k else 'Lina Ortiz'},Talks {k}\n"
                              for k, who in enumerate(others)), encoding="utf-8")
    dialog = ImportDialog(w.session, path, w)
    dialog.show()
    qtbot.waitExposed(dialog)
    for key, column in (("date", "Date"), ("actor", "Who"), ("target", "With whom"), ("title", "What")):
        dialog.columns[key].setCurrentText(column)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    qtbot.waitUntil(lambda: not w.session.reloader.running)
    dialog.close()
    qtbot.waitUntil(lambda: w.session.data.n_events == 8)
    lo, hi = w.session.selection.visible_range
    data = w.session.data
    assert lo <= float(data.start(0)) and float(data.end(data.n_events - 1)) <= hi  # every event in view
    w.timeline.plot.viewport().repaint()
    assert len(set(data.event_ids[w.timeline.lanes._frame.event].tolist())) == 8
    graph = w.graph
    qtbot.waitUntil(lambda: len(graph.nodes) == 9, timeout=10000)
    qtbot.wait(500)  # the layout settles on a worker

    def all_inside():
        view = graph.view.viewport().rect()
        return all(view.contains(graph.view.mapFromScene(n.sceneBoundingRect().center()))
                   for n in graph.nodes.values() if n.isVisible())

    assert all_inside()
    # a window holding one event shows two actors, fitted to the panel; widening it
    # brings the others in, and the panel's camera follows them (nothing moves)
    from store.dates import parse_date

    w.timeline.set_window(parse_date("2015").earliest, parse_date("2017").latest)
    qtbot.waitUntil(lambda: len([n for n in graph.nodes.values() if n.isVisible()]) == 2)
    w.resize(1300, 850)  # the panel fits its view to the two shown
    qtbot.wait(300)
    qtbot.keyClick(w.timeline.plot, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: len([n for n in graph.nodes.values() if n.isVisible()]) == 9)
    assert all_inside()
    w.close()


def test_a_title_near_the_right_edge_is_shortened_not_cut(qtbot, tmp_path):
    """An event near the plot's right edge: its title ends in "…" before the
    edge; no letter is cut in half by it."""
    import numpy as np
    from PySide6.QtGui import QImage

    from conftest import open_main_window
    from main import main
    from store.dates import parse_date

    csv_file = tmp_path / "edge.csv"
    csv_file.write_text("date,title,actor\n1 June 2025,A title long enough to reach well past the edge of the plot,"
                        "Ana Silva\n", encoding="utf-8")
    db = tmp_path / "edge.db"
    assert main(["import", str(db), str(csv_file), "--format", "csv", "--map", "date=date", "title=title",
                 "actor=actor"]) == 0
    w = open_main_window(qtbot, db, tmp_path, size=(1800, 700))
    qtbot.waitExposed(w)
    day = parse_date("1 June 2025")
    w.timeline.set_window(day.earliest - 90 * 86400, day.latest + 20 * 86400)  # the event 80% of the way across
    viewport = w.timeline.plot.viewport()
    viewport.repaint()
    image = viewport.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), image.width()) & 0xFFFFFF
    vb = w.timeline.vb
    right = int(vb.mapRectToScene(vb.boundingRect()).right()) - 1  # the plot's last column
    row = int(vb.mapViewToScene(QPointF(day.earliest, 0)).y())
    edge = pixels[row - 6:row + 6, right - 3:right + 1]
    dark = ((edge >> 16) & 255) < 120
    assert right - int(vb.mapViewToScene(QPointF(day.earliest, 0)).x()) < 300  # a title would reach past it
    assert not dark.any(), "a title is cut at the plot's edge"
    w.close()


def test_opening_a_name_that_does_not_exist_makes_a_new_story_there(tmp_path):
    """`threadline fresh.db` (or ./run.sh fresh.db) on a free name opens a
    new, empty story there, as File > New database would, and says so; a
    folder that is not there is still refused in one line."""
    import os
    import subprocess
    import sys
    import time

    from conftest import ROOT, run_cli
    from store.database import close_database, open_database

    path = tmp_path / "fresh.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), str(path)], env=env, cwd=ROOT,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not path.exists() and time.monotonic() < deadline and app.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)  # the window opens on it
        assert app.poll() is None, app.stderr.read()  # still running: the window is open
    finally:
        app.terminate()
        err = app.communicate(timeout=30)[1]
    assert "did not exist: created a new, empty story there" in err
    db = open_database(str(path))
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    close_database(db)
    missing = run_cli(tmp_path / "no-such-folder" / "x.db")
    assert missing.returncode != 0 and "does not exist" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
