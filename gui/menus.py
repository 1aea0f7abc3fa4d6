"""The main window's menus and toolbar: one place that maps gestures to work."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QToolBar

from store import views

from . import commands, file_actions
from .saved_views import apply_state, current_state


def _action(window, menu, text, slot, shortcut=None, editing=False) -> QAction:
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    if editing:
        window.edit_actions.append(action)
    return action


def build_menus(window) -> None:
    window.edit_actions = []
    bar = window.menuBar()
    _file_menu(window, bar.addMenu("&File"))
    _edit_menu(window, bar.addMenu("&Edit"))
    _view_menu(window, bar.addMenu("&View"))
    window.views_menu = bar.addMenu("&Saved views")
    window.views_menu.aboutToShow.connect(lambda: _fill_views_menu(window))
    _fill_views_menu(window)
    help_menu = bar.addMenu("&Help")
    _action(window, help_menu, "&About Threadline", window.about)
    tools = QToolBar("Main")
    tools.setObjectName("toolbar-main")
    tools.addAction(window.undo_action)
    tools.addAction(window.redo_action)
    tools.addSeparator()
    tools.addAction("Fit all", window.timeline.fit_all)
    tools.addAction("Clear window", lambda: window.session.selection.set_brush(None, origin=window))
    tools.addSeparator()
    tools.addWidget(window.search)
    window.addToolBar(tools)
    for action in window.edit_actions:
        action.setEnabled(not window.session.read_only)


def _file_menu(window, menu) -> None:
    _action(window, menu, "&New database…", lambda: file_actions.new_database_dialog(window), QKeySequence.StandardKey.New)
    _action(window, menu, "&Open…", lambda: file_actions.open_dialog(window), QKeySequence.StandardKey.Open)
    window.recent_menu = menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    _action(window, menu, "Save a &copy as…", lambda: file_actions.save_copy_dialog(window), "Ctrl+Shift+S")
    menu.addSeparator()
    _action(window, menu, "&Import…", lambda: file_actions.import_dialog(window), "Ctrl+I", editing=True)
    _action(window, menu, "Export &timeline as PNG…", lambda: file_actions.export_timeline_dialog(window), "Ctrl+E")
    _action(window, menu, "Export &graph as PNG…", lambda: file_actions.export_graph_dialog(window), "Ctrl+Shift+E")
    export = menu.addMenu("Export &as")
    for fmt, label in file_actions.EXPORTS.items():
        _action(window, export, label, lambda f=fmt: file_actions.export_format_dialog(window, f))
    menu.addSeparator()
    _action(window, menu, "&Close", window.close, QKeySequence.StandardKey.Close)
    _action(window, menu, "&Quit", window.quit_all, QKeySequence.StandardKey.Quit)


def _fill_recent(window) -> None:
    menu = window.recent_menu
    menu.clear()
    for path in window.recent_files():
        menu.addAction(path, lambda p=path: file_actions.open_path(window, p))
    if menu.isEmpty():
        menu.addAction("(none)").setEnabled(False)


def _edit_menu(window, menu) -> None:
    stack = window.session.undo_stack
    window.undo_action = stack.createUndoAction(window, "Undo")
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.redo_action = stack.createRedoAction(window, "Redo")
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
    menu.addAction(window.undo_action)
    menu.addAction(window.redo_action)
    menu.addSeparator()
    ed = window.editor
    _action(window, menu, "New &event…", lambda: ed.new_event(preset_actor=_one(window.session.selection.selected_actors)), "Ctrl+N", editing=True)
    _action(window, menu, "New &actor…", ed.new_actor, "Ctrl+Shift+A", editing=True)
    _action(window, menu, "New &relationship…", lambda: ed.new_relationship(*_two(window.session.selection.selected_actors)), "Ctrl+R", editing=True)
    _action(window, menu, "New &source…", ed.new_source, editing=True)
    menu.addSeparator()
    _action(window, menu, "Edit &selected…", window.edit_selected, "Ctrl+Return", editing=True)
    _action(window, menu, "&Delete selected", window.delete_selected, QKeySequence.StandardKey.Delete, editing=True)


def _one(ids):
    return next(iter(ids)) if len(ids) == 1 else None


def _two(ids):
    ids = sorted(ids)
    return (ids[0], ids[1]) if len(ids) == 2 else (_one(ids), None)


def _view_menu(window, menu) -> None:
    _action(window, menu, "&Fit all", window.timeline.fit_all, "Home")
    _action(window, menu, "Zoom &in", lambda: window.timeline.vb.zoom_by(0.8), "Ctrl+=")
    _action(window, menu, "Zoom &out", lambda: window.timeline.vb.zoom_by(1.25), "Ctrl+-")
    _action(window, menu, "Clear &selection", window.clear_selection, "Escape")
    _action(window, menu, "Clear time &window", lambda: window.session.selection.set_brush(None, origin=window), "Ctrl+Backspace")
    _action(window, menu, "Clear &filters", window.clear_filters, "Ctrl+Shift+F")
    _action(window, menu, "Find…", window.search.setFocus, QKeySequence.StandardKey.Find)
    menu.addSeparator()
    for dock in window.findChildren(QDockWidget):
        menu.addAction(dock.toggleViewAction())


def _apply_view(window, name: str) -> None:
    """Go to a saved view; one written by another program in a shape the
    window cannot use is reported in the status bar, and nothing changes."""
    from store.records import RecordError

    try:
        state = views.load_view(window.session.db, name)
    except RecordError as exc:
        window.statusBar().showMessage(str(exc)[:1].upper() + str(exc)[1:], 10000)
        return
    apply_state(window.session.selection, state, origin=window)


def _fill_views_menu(window) -> None:
    menu = window.views_menu
    menu.clear()
    session = window.session
    save = menu.addAction("Save current view…", lambda: save_view_dialog(window))
    save.setEnabled(not session.read_only)
    names = views.list_views(session.db)
    if names:
        menu.addSeparator()
        for name in names:
            menu.addAction(name, lambda n=name: _apply_view(window, n))
        delete = menu.addMenu("Delete view")
        delete.setEnabled(not session.read_only)
        for name in names:
            delete.addAction(name, lambda n=name: session.run(commands.DeleteView(session, n)))


def save_view_dialog(window) -> None:
    name, ok = QInputDialog.getText(window, "Save view", "Name for this view (window, selection, filters, lanes):")
    if ok and name.strip():
        error = window.session.run(commands.SaveView(window.session, name.strip(), current_state(window.session.selection)))
        if error:
            file_actions.message(window, "The view was not saved", error)
