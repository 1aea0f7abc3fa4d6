"""Editing in the window: every record kind created, edited, undone and redone,
checking both what the views show and what is in the database after each step."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

FIVE = ["Xi Jinping", "Wang Xiaohong", "Marco Rubio", "Scott Bessent", "Donald Trump"]




def fill_with(values: dict):
    """An exec hook that fills a dialog's fields like a user, then presses OK."""

    def run(dialog):
        for name, value in values.items():
            widget = getattr(dialog, name)
            if hasattr(widget, "edit"):  # a DateField
                widget.edit.setText(value)
            elif hasattr(widget, "setEditText") and widget.isEditable():
                widget.setEditText(value)
            elif hasattr(widget, "setCurrentText"):
                widget.setCurrentText(value)
            elif hasattr(widget, "setPlainText"):
                widget.setPlainText(value)
            elif hasattr(widget, "setChecked"):
                widget.setChecked(value)
            else:
                widget.setText(value)
        return dialog.revalidate()

    return run


def row_count(db, sql, *args):
    return db.execute(sql, args).fetchone()[0]


def actor_id(win, name):
    return next(a for a, n in win.editor.actor_choices() if n == name)


def drawn_events(win):
    win.timeline.plot.viewport().repaint()
    frame, data = win.timeline.lanes._frame, win.timeline.lanes._frame_data
    return set(data.event_ids[frame.event].tolist())


def test_add_event_undo_redo(win):
    db = win.session.story.db
    xi = actor_id(win, "Xi Jinping")
    win.session.selection.select_actors([xi])
    win.editor.exec_dialog = fill_with({"title": "Xi meets envoy", "start": "2025-04-20", "summary": "A test", "certainty": "reported"})
    assert win.editor.new_event(preset_actor=xi)
    new_id = row_count(db, "SELECT id FROM events WHERE title = 'Xi meets envoy'")
    assert row_count(db, "SELECT count(*) FROM event_actors WHERE event_id = ? AND actor_id = ?", new_id, xi) == 1
    assert row_count(db, "SELECT certainty = 'reported' FROM events WHERE id = ?", new_id)
    assert win.session.selection.selected_events == {new_id}  # the new event is selected
    assert "Xi meets envoy" in win.detail.toPlainText()
    assert new_id in drawn_events(win)
    assert win.undo_action.text() == "Undo add event 'Xi meets envoy'"
    win.undo_action.trigger()
    assert row_count(db, "SELECT count(*) FROM events WHERE id = ?", new_id) == 0
    assert new_id not in drawn_events(win)
    assert not win.session.selection.selected_events
    win.redo_action.trigger()
    assert row_count(db, "SELECT count(*) FROM events WHERE id = ? AND title = 'Xi meets envoy'", new_id) == 1  # same id
    assert new_id in drawn_events(win)
    assert new_id in {r[0] for r in db.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH 'envoy'")}


def test_invalid_date_is_refused_with_nothing_written(win):
    from gui.dialogs.date_field import DateField

    field = DateField("May 2025")
    assert "month precision" in field.feedback.text() and field.is_valid()
    field.edit.setText("32 May 2025")
    assert not field.is_valid() and "32 May 2025" in field.feedback.text()
    dialog = win.editor.event_dialog()
    dialog.title.setText("x")
    dialog.start.edit.setText("someday soon")
    assert not dialog.revalidate()
    before = row_count(win.session.story.db, "SELECT count(*) FROM events")
    from gui import commands

    error = win.session.run(commands.add_event(win.session, "Bad", "31 Febtember"))
    assert error and "31 Febtember" in error
    assert row_count(win.session.story.db, "SELECT count(*) FROM events") == before
    assert win.session.undo_stack.count() == 0


def test_edit_and_move_event_keep_selection(win):
    db = win.session.story.db
    wsj = row_count(db, "SELECT id FROM events WHERE title LIKE 'WSJ%'")
    old_title = row_count(db, "SELECT title FROM events WHERE id = ?", wsj)
    win.session.selection.select_events([wsj])
    win.editor.exec_dialog = fill_with({"title": "WSJ report (edited)", "location": "New York"})
    assert win.editor.edit_event(wsj)
    assert row_count(db, "SELECT title FROM events WHERE id = ?", wsj) == "WSJ report (edited)"
    assert win.session.selection.selected_events == {wsj}
    assert "WSJ report (edited)" in win.detail.toPlainText() and "New York" in win.detail.toPlainText()
    assert win.editor.move_event(wsj, "2025-05-03", None)
    assert win.undo_action.text() == "Undo move 'WSJ report (edited)'"
    i = win.session.event_index(wsj)
    from store.dates import parse_date

    assert win.session.data.start(i) == parse_date("2025-05-03").earliest
    win.undo_action.trigger()
    win.undo_action.trigger()
    assert row_count(db, "SELECT title FROM events WHERE id = ?", wsj) == old_title
    assert row_count(db, "SELECT start FROM events WHERE id = ?", wsj) == "2025-05-02"
    assert win.session.selection.selected_events == {wsj}


def test_hidden_event_table_holds_no_rows_and_fills_when_shown(win):
    table = win.table
    dock = win.findChild(type(table.parent()), "dock-Events")
    assert not dock.isVisible() and len(table.model.rows) == 0
    lo, hi = 1743465600, 1746057600  # April 2025
    win.timeline.set_window(lo, hi)
    dock.show()  # fills itself as it shows
    d = win.session.data
    in_window = set(d.event_ids[(d.end() >= lo) & (d.start() <= hi)].tolist())
    shown = {table.model.event_id(r) for r in range(table.model.rowCount())}
    assert shown == in_window and 0 < len(shown) < d.n_events


def test_event_table_edits_in_place_and_follows_selection(win):
    db = win.session.story.db
    win.findChild(type(win.table.parent()), "dock-Events").show()
    table = win.table
    table.only_window.setChecked(False)
    assert len(table.model.rows) == row_count(db, "SELECT count(*) FROM events")
    wsj = row_count(db, "SELECT id FROM events WHERE title LIKE 'WSJ%'")
    win.session.selection.select_events([wsj])
    assert table.selected_event_ids() == [wsj]
    row = table.model.row_of([wsj])[0]
    assert table.model.setData(table.model.index(row, 2), "Retitled in the table")
    assert row_count(db, "SELECT title FROM events WHERE id = ?", wsj) == "Retitled in the table"
    row = table.model.row_of([wsj])[0]
    assert table.model.data(table.model.index(row, 2)) == "Retitled in the table"
    win.undo_action.trigger()
    assert row_count(db, "SELECT title FROM events WHERE id = ?", wsj).startswith("WSJ")
    # a bad date typed in a cell is refused, the file unchanged
    win.editor._warn = lambda *a: None
    assert not table.model.setData(table.model.index(row, 0), "not a date")
    assert row_count(db, "SELECT start FROM events WHERE id = ?", wsj) == "2025-05-02"
    # clicking a row in the table selects its event everywhere (a click with
    # no modifier: a test before may have left Ctrl down in Qt's state)
    cell = table.view.visualRect(table.model.index(0, 2)).center()
    QTest.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, cell)
    first = table.model.event_id(0)
    assert win.session.selection.selected_events == {first}


def test_delete_event_and_undo_restores_links(win):
    db = win.session.story.db
    wsj = row_count(db, "SELECT id FROM events WHERE title LIKE 'WSJ%'")
    links = sorted(db.execute("SELECT actor_id, role FROM event_actors WHERE event_id = ?", [wsj]).fetchall())
    cites = sorted(db.execute("SELECT source_id, quote FROM event_sources WHERE event_id = ?", [wsj]).fetchall())
    evidence = sorted(db.execute("SELECT relationship_id FROM relationship_events WHERE event_id = ?", [wsj]).fetchall())
    win.session.selection.select_events([wsj])
    win.delete_selected()
    assert row_count(db, "SELECT count(*) FROM events WHERE id = ?", wsj) == 0
    assert row_count(db, "SELECT count(*) FROM event_actors WHERE event_id = ?", wsj) == 0
    assert wsj not in drawn_events(win)
    win.undo_action.trigger()
    assert sorted(db.execute("SELECT actor_id, role FROM event_actors WHERE event_id = ?", [wsj]).fetchall()) == links
    assert sorted(db.execute("SELECT source_id, quote FROM event_sources WHERE event_id = ?", [wsj]).fetchall()) == cites
    assert sorted(db.execute("SELECT relationship_id FROM relationship_events WHERE event_id = ?", [wsj]).fetchall()) == evidence
    assert wsj in drawn_events(win)


def test_actor_create_edit_delete_undo(win):
    db = win.session.story.db
    win.editor.exec_dialog = fill_with({"name": "Li Qiang", "kind": "person", "title": "Premier", "country": "China"})
    assert win.editor.new_actor()
    li = actor_id(win, "Li Qiang")
    assert "Li Qiang" in [n for n in win.timeline.axis._names]
    assert win.actors.item_for(li) is not None
    win.editor.exec_dialog = fill_with({"name": "Li Qiang", "title": "Premier of the State Council"})
    assert win.editor.edit_actor(li)
    assert row_count(db, "SELECT title FROM actors WHERE id = ?", li) == "Premier of the State Council"
    assert "Premier of the State Council" in win.detail.toPlainText()
    win.editor.exec_dialog = fill_with({"name": "Xi Jinping"})
    win.editor._warn = lambda title, text: setattr(win, "_warned", text)
    assert not win.editor.edit_actor(li)
    assert "Xi Jinping" in win._warned
    wang = actor_id(win, "Wang Xiaohong")
    wang_events = row_count(db, "SELECT count(*) FROM event_actors WHERE actor_id = ?", wang)
    assert win.editor.delete_actor(wang)
    assert "Wang Xiaohong" not in win.timeline.axis._names
    assert wang not in win.graph.visible_nodes
    win.undo_action.trigger()
    assert row_count(db, "SELECT count(*) FROM event_actors WHERE actor_id = ?", wang) == wang_events
    assert "Wang Xiaohong" in win.timeline.axis._names


def test_relationship_create_and_undo_shows_in_graph(win):
    db = win.session.story.db
    rubio, wang = actor_id(win, "Marco Rubio"), actor_id(win, "Wang Xiaohong")
    win.editor.exec_dialog = fill_with({"type": "counterpart of", "start": "May 2025"})
    assert win.editor.new_relationship(rubio, wang)
    rel = row_count(db, "SELECT id FROM relationships WHERE type = 'counterpart of'")
    edges = [e for e in win.graph.edge_specs() if e.ref.kind == "rel" and e.ref.relationship_id == rel]
    assert edges and edges[0].label == "counterpart of"
    win.undo_action.trigger()
    assert row_count(db, "SELECT count(*) FROM relationships WHERE id = ?", rel) == 0
    assert not [e for e in win.graph.edge_specs() if e.ref.relationship_id == rel]
    win.redo_action.trigger()
    assert row_count(db, "SELECT count(*) FROM relationships WHERE id = ?", rel) == 1


def test_source_create_edit_and_cite(win):
    db = win.session.story.db
    win.editor.exec_dialog = fill_with({"publisher": "Reuters", "title": "China weighs", "url": "https://example.org/r"})
    made = win.editor.new_source()
    assert made and row_count(db, "SELECT publisher FROM sources WHERE id = ?", made[0]) == "Reuters"
    win.editor.exec_dialog = fill_with({"publisher": "Reuters", "title": "China weighs fentanyl offer"})
    assert win.editor.edit_source(made[0])
    assert row_count(db, "SELECT title FROM sources WHERE id = ?", made[0]) == "China weighs fentanyl offer"
    win.undo_action.trigger()
    assert row_count(db, "SELECT title FROM sources WHERE id = ?", made[0]) == "China weighs"
    win.undo_action.trigger()
    assert row_count(db, "SELECT count(*) FROM sources WHERE id = ?", made[0]) == 0


def test_saved_view_round_trip_and_cli(win, sample_db, tmp_path):
    from gui.menus import save_view_dialog
    from store.dates import parse_date

    sel = win.session.selection
    lo, hi = parse_date("2025-04-01").earliest, parse_date("2025-04-15").latest
    win.timeline.set_window(lo, hi)
    sel.select_actors([actor_id(win, "Donald Trump")])
    import gui.menus as menus

    original = menus.QInputDialog.getText
    menus.QInputDialog.getText = staticmethod(lambda *a, **k: ("April tariffs", True))
    try:
        save_view_dialog(win)
    finally:
        menus.QInputDialog.getText = original
    assert win.session.story.db.execute("SELECT name FROM saved_views").fetchall() == [("April tariffs",)]
    win.timeline.fit_all()
    sel.clear_selection()
    from gui.saved_views import apply_state
    from store import views

    apply_state(sel, views.load_view(win.session.story.db, "April tariffs"))
    v0, v1 = sel.visible_range
    assert abs(v0 - lo) < 60 and abs(v1 - hi) < 60
    assert sel.selected_actors == {actor_id(win, "Donald Trump")}
    from conftest import run_cli

    out = tmp_path / "view.png"
    done = run_cli("export-png", sample_db, "--out", out, "--view-name", "April tariffs", env={"DISPLAY": ""})
    assert done.returncode == 0, done.stderr and out.stat().st_size > 1000
    missing = run_cli("export-png", sample_db, "--out", out, "--view-name", "Nope", env={"DISPLAY": ""})
    assert missing.returncode == 1 and "Nope" in missing.stderr


def test_read_only_window_refuses_edits(qtbot, sample_db, tmp_path):
    from gui import commands
    from gui.main_window import MainWindow
    from gui.session import Session

    before = sample_db.read_bytes()
    w = MainWindow(Session.open(sample_db, read_only=True), QSettings(str(tmp_path / "r.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    assert "read-only" in w.windowTitle()
    assert all(not a.isEnabled() for a in w.edit_actions)
    assert "read-only" in w.session.run(commands.add_actor(w.session, "Nobody"))
    w.close()
    assert sample_db.read_bytes() == before


def test_outside_write_is_noticed_and_reloaded(win, sample_db):
    import sqlite3

    other = sqlite3.connect(sample_db)
    other.execute("UPDATE events SET title = 'Changed elsewhere' WHERE title LIKE 'WSJ%'")
    other.commit()
    other.close()
    asked = []
    win.ask_reload = lambda text: asked.append(text) or True
    win.check_outside_change()
    assert asked and "changed by another program" in asked[0]
    titles = win.session.titles(win.session.data.event_ids.tolist())
    assert "Changed elsewhere" in titles.values()
    assert win.session.undo_stack.count() == 0


def test_replaced_file_turns_editing_off(win, sample_db, tmp_path):
    import shutil

    from gui import commands

    copy = tmp_path / "elsewhere.db"
    shutil.copy(sample_db, copy)
    before = copy.read_bytes()
    copy.replace(sample_db)  # another program swaps the file under us
    import gui.main_window as mw

    shown = []
    original = mw.message
    mw.message = lambda parent, title, text, **k: shown.append(text)
    try:
        win.check_outside_change()
    finally:
        mw.message = original
    assert shown and "replaced" in shown[0]
    assert win.session.read_only and all(not a.isEnabled() for a in win.edit_actions)
    assert win.session.run(commands.add_actor(win.session, "Late edit"))
    assert sample_db.read_bytes() == before  # nothing went to the new file


def test_undo_after_the_file_was_replaced_writes_nothing(win, sample_db, tmp_path, qtbot):
    """Undo writes too: once the file on disk is another one, the history
    that would write into the old one is gone, and Ctrl+Z changes nothing."""
    import shutil

    from PySide6.QtCore import Qt

    import gui.main_window as mw
    from gui import commands

    assert win.session.run(commands.add_actor(win.session, "Early edit")) is None
    assert win.undo_action.isEnabled()
    copy = tmp_path / "elsewhere.db"
    shutil.copy(sample_db, copy)
    copy.replace(sample_db)
    before = sample_db.read_bytes()
    original = mw.message
    mw.message = lambda parent, title, text, **k: None
    try:
        win.check_outside_change()
    finally:
        mw.message = original
    assert win.session.undo_stack.count() == 0 and not win.undo_action.isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sample_db.read_bytes() == before
    assert "replaced on disk" in win.session.run(commands.add_actor(win.session, "Late edit"))


def test_lane_menu_offers_an_event_for_that_actor(win):
    from PySide6.QtWidgets import QMenu

    bessent = actor_id(win, "Scott Bessent")
    menu = QMenu()
    win.timeline.lane_menu_actions(menu, bessent)
    add = next(a for a in menu.actions() if a.text().startswith("Add event"))
    win.editor.exec_dialog = fill_with({"title": "Bessent in Geneva", "start": "2025-05-10"})
    add.trigger()
    db = win.session.story.db
    eid = row_count(db, "SELECT id FROM events WHERE title = 'Bessent in Geneva'")
    assert row_count(db, "SELECT role FROM event_actors WHERE event_id = ? AND actor_id = ?", eid, bessent) == "initiator"


def test_alt_dragging_an_event_moves_it_and_a_plain_drag_pans(win, qtbot):
    from test_explorer import drag, event_point, plot_point
    from store.dates import parse_date

    db = win.session.story.db
    win.timeline.set_window(parse_date("2025-04-01").earliest, parse_date("2025-04-20").latest)
    order = row_count(db, "SELECT id FROM events WHERE title LIKE 'Trump signs order%'")
    win.session.selection.select_events([order])
    row = win.timeline.lanes.row_actor_ids.index(actor_id(win, "Donald Trump"))
    # a plain drag over the selected event pans: the date stays as written
    before = win.session.selection.visible_range
    drag(win.timeline.plot.viewport(), event_point(win, order, "Donald Trump"),
         plot_point(win, parse_date("2025-04-14").earliest + 12 * 3600, row))
    assert win.session.selection.visible_range != before
    assert row_count(db, "SELECT start FROM events WHERE id = ?", order) == "2025-04-09"
    assert win.session.undo_stack.count() == 0
    # Alt-drag moves it by whole days
    win.timeline.set_window(parse_date("2025-04-01").earliest, parse_date("2025-04-20").latest)
    start = event_point(win, order, "Donald Trump")
    end = plot_point(win, parse_date("2025-04-14").earliest + 12 * 3600, row)
    drag(win.timeline.plot.viewport(), start, end, Qt.KeyboardModifier.AltModifier)
    assert row_count(db, "SELECT start FROM events WHERE id = ?", order) in ("2025-04-14", "2025-04-13", "2025-04-15")
    assert win.undo_action.text().startswith("Undo move 'Trump signs order")
    win.undo_action.trigger()
    assert row_count(db, "SELECT start FROM events WHERE id = ?", order) == "2025-04-09"


def test_shift_drag_between_nodes_adds_a_relationship(win, qtbot):
    from test_explorer import drag

    rubio, wang = actor_id(win, "Marco Rubio"), actor_id(win, "Wang Xiaohong")
    view = win.graph.view
    a = view.mapFromScene(win.graph.node_scene_pos(rubio))
    b = view.mapFromScene(win.graph.node_scene_pos(wang))
    win.editor.exec_dialog = fill_with({"type": "met with", "start": "May 2025"})
    drag(view.viewport(), a, b, Qt.KeyboardModifier.ShiftModifier)
    db = win.session.story.db
    row = db.execute("SELECT from_actor_id, to_actor_id FROM relationships WHERE type = 'met with'").fetchone()
    assert row == (rubio, wang)
    assert any(e.ref.kind == "rel" and e.label == "met with" for e in win.graph.edge_specs())


def test_big_file_edits_show_after_a_background_reload_in_order(win, qtbot):
    """A big file is read again on a worker after an edit the arrays cannot
    fold in (an actor deleted, taken out of its events): the window stays usable, says it is updating, and
    shows every edit, in order, when done; an event edit made meanwhile waits
    for that read instead of being folded into arrays it would replace.
    (The sample stands in for a big file: the size threshold is lowered.)"""
    from gui import commands
    from store.records import Participation

    session = win.session
    session.reloader.background_events = 0
    xi = actor_id(win, "Xi Jinping")
    actor = actor_id(win, "Wang Xiaohong")
    before = session.data
    assert session.run(commands.delete_actor(session, actor, "Wang Xiaohong")) is None
    assert session.run(commands.add_event(session, "Second of two", "2025-04-22", actors=[Participation(xi)])) is None
    event = row_count(session.story.db, "SELECT id FROM events WHERE title = 'Second of two'")
    # nothing waited for the reads: the old arrays are still shown, and the status bar says why
    assert session.data is before and session.reloader.running
    assert "Updating the views" in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not session.reloader.running, timeout=20_000)
    assert actor not in session.data.actor_ids.tolist() and event in drawn_events(win)
    # read again, not patched: from the file, or from the cache the first read
    # left when that read already saw both edits (a worker may start after the second)
    assert session.data.derived["loaded_from"] in ("database", "cache")
    assert session.selection.selected_events == {event}  # what the last edit made is selected
    assert "Second of two" in win.detail.toPlainText()
    assert "Updating" not in win.statusBar().currentMessage()
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: not session.reloader.running, timeout=20_000)
    assert event not in session.data.event_ids.tolist() and actor not in session.data.actor_ids.tolist()


def test_graph_nodes_stay_where_they_are_after_an_edit(win):
    """An edit that leaves the actors as they were keeps the same nodes at
    the same places (no re-layout jumps); a new actor makes a new node."""
    from gui import commands

    session, graph = win.session, win.graph
    nodes = dict(graph.nodes)
    places = {i: (n.pos().x(), n.pos().y()) for i, n in nodes.items()}
    wsj = row_count(session.story.db, "SELECT id FROM events WHERE title LIKE 'WSJ%'")
    assert session.run(commands.edit_event(session, wsj, "retitle", {"title": "Retitled"})) is None
    assert graph.nodes == nodes
    assert {i: (n.pos().x(), n.pos().y()) for i, n in graph.nodes.items()} == places
    assert session.run(commands.add_actor(session, "Newcomer")) is None
    assert "Newcomer" in {n.name for n in graph.nodes.values()}
