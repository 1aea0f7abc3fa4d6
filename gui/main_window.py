"""The main window: builds the panels, wires them to one session, keeps layout.

It holds no logic of its own beyond settings and a few window-level
gestures: panels talk to the session's shared selection model, never to
each other; menus live in ``menus.py``, edits go through ``editing.py``.
"""

from __future__ import annotations

import os

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QLineEdit, QMainWindow, QMessageBox, QStatusBar,
)  # fmt: skip

from store.view_model.date_ticks import describe_window

from .actor_list import ActorList
from .idle_upkeep import postpone as postpone_upkeep, trim_when_idle
from .detail import DetailPanel
from .editing import Editor
from .event_table import EventTable
from .field_keys import WindowKeysInFields
from .file_actions import message, open_path
from .graph.panel import GraphPanel
from .menus import build_menus
from .reader.panel import ReaderPanel
from .session import Session
from .theme import Palette, is_dark
from .timeline.widget import TimelineWidget

ICON = Path(__file__).resolve().parent.parent / "resources" / "threadline.svg"
SETTINGS = ("Threadline", "Threadline")


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: QSettings | None = None):
        super().__init__()
        self.session = session
        self.settings = settings or QSettings(*SETTINGS)
        self.palette_ = Palette()
        self._set_title()
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.editor = Editor(session, self)

        self.timeline = TimelineWidget(session, self.palette_)
        self.setCentralWidget(self.timeline)
        self.graph = GraphPanel(session, self.palette_)
        self.detail = DetailPanel(session)
        self.actors = ActorList(session)
        self.table = EventTable(session, self.editor)
        self.reader = ReaderPanel(session, self.editor)
        self._dock(self.graph, "Relationships", Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock(self.detail, "Details", Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock(self.actors, "Actors", Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock(self.table, "Events", Qt.DockWidgetArea.BottomDockWidgetArea).hide()
        self.reader_dock = self._dock(self.reader, "Reader", Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.findChild(QDockWidget, "dock-Details"), self.reader_dock)
        self.findChild(QDockWidget, "dock-Details").raise_()
        self.reader.documentAdded.connect(lambda _id: (self.reader_dock.show(), self.reader_dock.raise_()))

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search events and actors…")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(320)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: session.selection.set_search(self.search.text(), origin=self))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        build_menus(self)
        self._field_keys = WindowKeysInFields(self)  # Ctrl+E and the like work from the search box too
        self.setStatusBar(QStatusBar())
        self.timeline.lanes.sigEventDoubleClicked.connect(self.editor.edit_event)
        self.timeline.lanes.sigEventDragged.connect(self.editor.drag_event)
        self.graph.connectRequested.connect(lambda a, b: self.editor.new_relationship(a, b) if not session.read_only else None)
        self._lane_actions = [
            ("Add event for this actor…", lambda a: self.editor.new_event(preset_actor=a)),
            ("Edit actor…", self.editor.edit_actor),
        ]
        session.writableChanged.connect(self._writable_changed)
        session.fileDamaged.connect(lambda why: message(self, "The file is damaged", f"{why}.\n\nEditing is off, "
                                    "so nothing more is written to it. Save a copy or restore a backup."))
        self._writable_changed()
        sel = session.selection
        for signal in (sel.visibleRangeChanged, sel.brushChanged, sel.filterChanged):
            signal.connect(self._status)
        sel.filterChanged.connect(self._follow_search)
        sel.visibleRangeChanged.connect(postpone_upkeep)  # a trim or full collection mid-pan would cost a frame
        session.edited.connect(self._edited)
        self.timeline.lanes.sigProblem.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.session.highlights.failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        session.reloader.busy.connect(self._reloading)
        session.reloader.progressed.connect(self._reload_progress)
        self._restore()
        self._status()
        if session.open_message:
            self.statusBar().showMessage(session.open_message, 15000)
        # another program may write to or replace the file while we work
        self._watch = QTimer(self, interval=2000)
        self._watch.timeout.connect(self.check_outside_change)
        self._watch.timeout.connect(self._say_invalid_text)
        self._invalid_text_said = False
        self._watch.start()
        session.start_deep_check()  # a big file's quick_check, deferred past the first frame
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt 6.5+: the desktop switched light/dark
            # a bound method, not a lambda: the app-wide hints would keep a
            # closure, and with it this window and its file, alive after it closes
            hints.colorSchemeChanged.connect(self._scheme_changed)

    def _scheme_changed(self, *_) -> None:
        self.follow_theme()

    def follow_theme(self, dark: bool | None = None) -> None:
        """Switch the views between light and dark (``dark`` None: as the desktop is now)."""
        dark = is_dark() if dark is None else dark
        if dark == self.palette_.dark:
            return
        self.palette_.set_dark(dark)
        self.timeline.apply_palette()
        self.graph.apply_palette()

    def changeEvent(self, ev):
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.ThemeChange):
            self.follow_theme()

    RELOADING = "Saved. Updating the views with the change…"

    def _edited(self, text: str) -> None:
        self._set_title()  # the story's title may have changed
        if self.session.reloader.running:
            self.statusBar().showMessage(f"{text[:1].upper()}{text[1:]}. {self.RELOADING}")
        else:
            self.statusBar().showMessage(text, 4000)

    def _reloading(self, busy: bool) -> None:
        """A big file is read again after an edit: the views show the edit when it is read."""
        if busy:
            self.statusBar().showMessage(self.RELOADING)
        else:
            self._status()

    def _reload_progress(self, done: int, total: int) -> None:
        if self.session.reloader.running:
            self.statusBar().showMessage(f"{self.RELOADING} {100 * done // max(total, 1)}%")

    def _set_title(self) -> None:
        self.setWindowTitle(f"{self.session.title} — Threadline" + (" (read-only)" if self.session.read_only else ""))

    def _writable_changed(self) -> None:
        """Editing turned on (the deep check passed) or off (file replaced, damaged)."""
        writable = not self.session.read_only
        for action in getattr(self, "edit_actions", ()):
            action.setEnabled(writable)
        self.timeline.extra_lane_actions = list(self._lane_actions) if writable else []
        self._set_title()
        self._status()

    def _dock(self, widget, title, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ---------------------------------------------------------- gestures
    def clear_selection(self) -> None:
        self.session.selection.clear_selection(origin=self)

    def clear_filters(self) -> None:
        self.search.clear()
        self.session.selection.clear_filters(origin=self)

    def _follow_search(self, origin) -> None:
        if origin is not self and self.search.text().strip() != self.session.selection.search:
            self.search.blockSignals(True)
            self.search.setText(self.session.selection.search)
            self.search.blockSignals(False)

    def edit_selected(self) -> None:
        sel = self.session.selection
        if len(sel.selected_events) == 1:
            self.editor.edit_event(next(iter(sel.selected_events)))
        elif len(sel.selected_actors) == 1:
            self.editor.edit_actor(next(iter(sel.selected_actors)))
        elif sel.selected_edge is not None and sel.selected_edge.kind == "rel":
            self.editor.edit_relationship(sel.selected_edge.relationship_id)

    def delete_selected(self) -> None:
        sel = self.session.selection
        if sel.selected_events:
            self.editor.delete_events(sel.selected_events)
        elif len(sel.selected_actors) == 1:
            self.editor.delete_actor(next(iter(sel.selected_actors)))
        elif sel.selected_edge is not None and sel.selected_edge.kind == "rel":
            self.editor.delete_relationship(sel.selected_edge.relationship_id)

    def about(self) -> None:
        message(self, "About Threadline", "Threadline: a timeline linked both ways to a time-windowed relationship graph.",
                icon=QMessageBox.Icon.Information)

    def quit_all(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()

    def _say_invalid_text(self) -> None:
        """Once: some text of the file was not UTF-8 and is shown with U+FFFD."""
        if self._invalid_text_said or self.session.path is None:
            return
        from store.text_decoding import invalid_text_files, invalid_text_message

        name = os.path.abspath(self.session.path)
        sample = invalid_text_files().get(name)
        if sample is not None:
            self._invalid_text_said = True
            self.statusBar().showMessage(invalid_text_message(self.session.path.name, sample), 15000)

    def _status(self, *_origin) -> None:
        sel = self.session.selection
        text = f"Window: {describe_window(sel.time_window)}"
        if sel.brush:
            text += " (brushed)"
        if sel.search:
            found = self.session.searches.mask(sel.search)  # starts a big file's search if not yet started
            if self.session.search_pending:
                text += f" · searching {self.session.data.n_events:,} events for “{sel.search}”…"
            elif self.session.searches.error:
                text += f" · search failed: {self.session.searches.error}"
            else:
                text += f" · search: {sel.search} ({int(found.sum()) if found is not None else 0:,} events)"
        if sel.actor_filter is not None:
            total = int((self.session.data.actor_ids != -1).sum())
            text += f" · {len(sel.actor_filter)} of {total} actors ticked: their lanes, and the events they take part in"
        if self.session.deep_check_pending:
            text += " · checking the file for damage; editing turns on when done"
        elif self.session.read_only:
            text += " · read-only"
        self.statusBar().showMessage(text)

    def check_outside_change(self) -> None:
        from store.filewatch import Change

        change = self.session.outside_change()
        if change is None or getattr(self, "_asking", False):
            return
        self._asking = True
        try:
            if change == Change.WRITTEN:
                if self.ask_reload(f"{self.session.path.name} was changed by another program. Reload it? "
                                   "(Undo history is cleared; nothing of yours is lost: every edit is already saved.)"):
                    self.session.accept_outside_change()
                else:
                    self.session.keep_what_is_shown()
            else:
                what = "removed" if change == Change.MISSING else "replaced"
                self.session.stop_writing(f"{self.session.path} was {what} on disk; editing is off so nothing goes to the wrong file")
                message(self, "File changed on disk", f"{self.session.open_message}. Reopen the file to go on editing.")
                self._watch.stop()
        finally:
            self._asking = False

    def ask_reload(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "File changed on disk", "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    # ---------------------------------------------------------- drag and drop
    def dragEnterEvent(self, ev):
        if any(u.isLocalFile() for u in ev.mimeData().urls()):
            ev.acceptProposedAction()

    def dropEvent(self, ev):
        from store.readers import SUFFIXES

        for url in ev.mimeData().urls():
            if url.isLocalFile():
                path = url.toLocalFile()
                if Path(path).suffix.lower() in SUFFIXES and not self.session.read_only:
                    self.reader.add_document_dialog(path)  # a document to read into this story
                else:
                    open_path(self, path)
        ev.acceptProposedAction()

    # ---------------------------------------------------------- settings
    def recent_files(self) -> list[str]:
        return [p for p in (self.settings.value("session/recent") or []) if Path(p).exists()]

    def _restore(self) -> None:
        s = self.settings
        geometry, state = s.value("window/geometry"), s.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry() if self.screen() else None
            self.resize(int(screen.width() * 0.94), int(screen.height() * 0.92)) if screen else self.resize(1500, 900)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:
            self.resizeDocks([self.findChild(QDockWidget, "dock-Actors")], [210], Qt.Orientation.Horizontal)
            self.resizeDocks([self.findChild(QDockWidget, "dock-Relationships")], [470], Qt.Orientation.Horizontal)
            self.resizeDocks(
                [self.findChild(QDockWidget, "dock-Relationships"), self.findChild(QDockWidget, "dock-Details")],
                [600, 300], Qt.Orientation.Vertical,
            )  # fmt: skip
        if self.session.path and s.value("session/file") == str(self.session.path):
            window = s.value("session/window")
            if isinstance(window, (list, tuple)) and len(window) == 2:
                try:
                    self.timeline.set_window(float(window[0]), float(window[1]))
                except (TypeError, ValueError):
                    pass

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self.session.path:
            s.setValue("session/file", str(self.session.path))
            recent = [p for p in (s.value("session/recent") or []) if p != str(self.session.path)]
            s.setValue("session/recent", [str(self.session.path), *recent][:10])
            if self.session.selection.visible_range:
                s.setValue("session/window", list(self.session.selection.visible_range))
        s.sync()

    def showEvent(self, ev):
        super().showEvent(ev)
        if not getattr(self, "_trimmed", False):
            self._trimmed = True
            # building and first painting a big file's views takes many times the
            # memory they keep; give the freed part back once things have settled
            trim_when_idle()

    def closeEvent(self, ev):
        self.save_settings()
        self._watch.stop()
        super().closeEvent(ev)
        self.session.close()  # lets go of the writer lock
