"""The main window's menus and toolbar: one place that maps gestures to work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QToolBar, QToolButton


from . import commands, file_actions
from .saved_views import apply_state, current_state


def keys(*specs) -> list[QKeySequence]:
    """Key sequences from standard keys and strings, each once: one action
    holding the same keys twice makes Qt call the shortcut ambiguous."""
    out: list[QKeySequence] = []
    for spec in specs:
        found = QKeySequence.keyBindings(spec) if isinstance(spec, QKeySequence.StandardKey) else [QKeySequence(spec)]
        for seq in found:
            if not seq.isEmpty() and all(seq != s for s in out):
                out.append(seq)
    return out


def _action(window, menu, text, slot, shortcut=None, editing=False) -> QAction:
    action = QAction(text, window)
    if shortcut:
        action.setShortcuts(keys(*(shortcut if isinstance(shortcut, tuple) else (shortcut,))))
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
    _action(window, help_menu, "&Quick guide: mouse and keys", lambda: show_guide(window), QKeySequence.StandardKey.HelpContents)
    _action(window, help_menu, "Open the &sample story", lambda: file_actions.open_sample(window))
    help_menu.addSeparator()
    _action(window, help_menu, "&About Threadline", window.about)
    tools = QToolBar("Main")
    tools.setObjectName("toolbar-main")
    window.undo_button = _step_button(tools, window.undo_action)
    window.redo_button = _step_button(tools, window.redo_action)
    tools.addSeparator()
    tools.addAction("Fit all", window.timeline.fit_all)
    tools.addAction("Clear window", lambda: window.session.selection.set_brush(None, origin=window))
    tools.addSeparator()
    tools.addWidget(window.search)
    window.addToolBar(tools)
    for action in window.edit_actions:
        action.setEnabled(not window.session.read_only)


STEP_BUTTON_PX = 170


def _step_button(tools, action) -> QToolButton:
    """An Undo/Redo button of fixed width: a long step name is elided (the
    whole name is in the tooltip and the Edit menu), so the toolbar never moves."""
    button = QToolButton()
    button.setFixedWidth(STEP_BUTTON_PX)
    button.clicked.connect(action.trigger)

    def follow():
        try:
            text = action.text()
        except RuntimeError:  # the window is being torn down
            return
        button.setText(button.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, STEP_BUTTON_PX - 14))
        button.setToolTip(text)
        button.setEnabled(action.isEnabled())

    action.changed.connect(follow)
    follow()
    tools.addWidget(button)
    return button


def show_guide(window) -> None:
    from .guide import GuideDialog

    GuideDialog(window).exec_or_show(window.editor.exec_dialog)


def _file_menu(window, menu) -> None:
    _action(window, menu, "&New database…", lambda: file_actions.new_database_dialog(window), "Ctrl+Shift+N")
    _action(window, menu, "&Open…", lambda: file_actions.open_dialog(window), QKeySequence.StandardKey.Open)
    window.recent_menu = menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    _action(window, menu, "Save a &copy as…", lambda: file_actions.save_copy_dialog(window), "Ctrl+Shift+S")
    _action(window, menu, "Story &properties…", lambda: file_actions.story_properties_dialog(window), editing=True)
    menu.addSeparator()
    _action(window, menu, "&Import…", lambda: file_actions.import_dialog(window), "Ctrl+I", editing=True)
    _action(window, menu, "Add &document…", lambda: window.reader.add_document_dialog(), "Ctrl+Shift+D", editing=True)
    _action(window, menu, "Export &timeline as PNG…", lambda: file_actions.export_timeline_dialog(window), "Ctrl+E")
    _action(window, menu, "Export &graph as PNG…", lambda: file_actions.export_graph_dialog(window), "Ctrl+Shift+E")
    _action(window, menu, "Export &figure…", lambda: _export_figure(window), "Ctrl+Alt+E")
    export = menu.addMenu("Export &as")
    for fmt, label in file_actions.EXPORTS.items():
        _action(window, export, label, lambda f=fmt: file_actions.export_format_dialog(window, f))
    menu.addSeparator()
    _action(window, menu, "&Close", window.close, QKeySequence.StandardKey.Close)
    _action(window, menu, "&Quit", window.quit_all, (QKeySequence.StandardKey.Quit, "Ctrl+Q"))


def _export_figure(window) -> None:
    from .figure.dialog import export_figure_dialog

    export_figure_dialog(window)


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
    window.undo_action.setShortcuts(keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
    window.redo_action = stack.createRedoAction(window, "Redo")
    # the platform's Redo, and both keys people bring from other programs
    window.redo_action.setShortcuts(keys(QKeySequence.StandardKey.Redo, "Ctrl+Y", "Ctrl+Shift+Z"))
    for action in (window.undo_action, window.redo_action):
        menu.addAction(action)
        window.addAction(action)
    menu.addSeparator()
    ed = window.editor
    _action(window, menu, "New &event…", lambda: ed.new_event(preset_actor=_one(window.session.selection.selected_actors)), QKeySequence.StandardKey.New, editing=True)
    _action(window, menu, "New &actor…", ed.new_actor, "Ctrl+Shift+A", editing=True)
    _action(window, menu, "New &relationship…", lambda: ed.new_relationship(*_two(window.session.selection.actor_order)), "Ctrl+R", editing=True)
    _action(window, menu, "New &source…", ed.new_source, editing=True)
    _action(window, menu, "&Duplicate event", lambda: ed.duplicate_events(window.session.selection.selected_events), "Ctrl+D", editing=True)
    move = _action(window, menu, "&Move events by dragging", lambda: None, "Ctrl+Shift+M", editing=True)
    move.setCheckable(True)
    move.setToolTip("Without this, Alt-drag an event to move it; a plain drag always pans")
    move.toggled.connect(window.timeline.lanes.set_move_mode)
    window.move_mode_action = move
    menu.addSeparator()
    _action(window, menu, "Edit &selected…", window.edit_selected, "Ctrl+Return", editing=True)
    # the Delete key alone: Linux's standard Delete also holds Ctrl+D, which made Duplicate's Ctrl+D ambiguous (neither ran)
    _action(window, menu, "&Delete selected", window.delete_selected, "Del", editing=True)


def _one(ids):
    return next(iter(ids)) if len(ids) == 1 else None


def _two(ids):
    """The first two actors picked, in the order picked: A then B makes A -> B."""
    ids = list(ids)
    return (ids[0], ids[1]) if len(ids) == 2 else (_one(ids), None)


def _view_menu(window, menu) -> None:
    _action(window, menu, "&Fit all", window.timeline.fit_all, "Home")
    _action(window, menu, "Fit the &whole range (outliers too)", window.timeline.fit_everything, "Shift+Home")
    _action(window, menu, "Find &lane…", window.timeline.finder.open, "Ctrl+L")
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
        state = window.session.saved_view(name)
    except RecordError as exc:
        window.statusBar().showMessage(str(exc)[:1].upper() + str(exc)[1:], 10000)
        return
    apply_state(window.session.selection, state, origin=window.views_menu)  # not the window: it follows the search


def _fill_views_menu(window) -> None:
    menu = window.views_menu
    menu.clear()
    session = window.session
    save = menu.addAction("Save current view…", lambda: save_view_dialog(window))
    save.setEnabled(not session.read_only)
    names = session.saved_view_names()
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
