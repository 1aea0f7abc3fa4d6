"""The main window: builds the panels, wires them to one session, keeps layout.

It holds no logic of its own beyond menus and settings: panels talk to the
session's shared selection model, never to each other.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QInputDialog, QLineEdit, QMainWindow, QMessageBox, QStatusBar, QToolBar,
)  # fmt: skip

from .actor_list import ActorList
from .detail import DetailPanel
from .export import export_graph_png, export_timeline_png
from .graph.panel import GraphPanel, describe_window
from .session import Session
from .theme import Palette
from .timeline.widget import TimelineWidget

ICON = Path(__file__).resolve().parent.parent / "resources" / "threadline.svg"
SETTINGS = ("Threadline", "Threadline")


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: QSettings | None = None):
        super().__init__()
        self.session = session
        self.settings = settings or QSettings(*SETTINGS)
        self.palette_ = Palette()
        self.setWindowTitle(f"{session.title} — Threadline" + (" (read-only)" if session.read_only else ""))
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self.setObjectName("MainWindow")

        self.timeline = TimelineWidget(session, self.palette_)
        self.setCentralWidget(self.timeline)
        self.graph = GraphPanel(session, self.palette_)
        self.detail = DetailPanel(session)
        self.actors = ActorList(session)
        self._dock(self.graph, "Relationships", Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock(self.detail, "Details", Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock(self.actors, "Actors", Qt.DockWidgetArea.LeftDockWidgetArea)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search events and actors…")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(320)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: session.selection.set_search(self.search.text(), origin=self))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._build_menus()
        self.setStatusBar(QStatusBar())
        sel = session.selection
        sel.visibleRangeChanged.connect(lambda _o: self._status())
        sel.brushChanged.connect(lambda _o: self._status())
        sel.filterChanged.connect(lambda _o: self._status())
        self._restore()
        self._status()

    # ---------------------------------------------------------- building
    def _dock(self, widget, title, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        file_menu.addSeparator()
        self._action(file_menu, "Export &timeline as PNG…", self.export_timeline_dialog, "Ctrl+E")
        self._action(file_menu, "Export &graph as PNG…", self.export_graph_dialog, "Ctrl+Shift+E")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        view = bar.addMenu("&View")
        self._action(view, "&Fit all", self.timeline.fit_all, "Home")
        self._action(view, "Zoom &in", lambda: self.timeline.vb.zoom_by(0.8), "Ctrl+=")
        self._action(view, "Zoom &out", lambda: self.timeline.vb.zoom_by(1.25), "Ctrl+-")
        self._action(view, "Clear &selection", self.clear_selection, "Escape")
        self._action(view, "Clear time &window", lambda: self.session.selection.set_brush(None, origin=self), "Ctrl+Backspace")
        self._action(view, "Clear &filters", self.clear_filters, "Ctrl+Shift+F")
        self._action(view, "Find…", lambda: self.search.setFocus(), QKeySequence.StandardKey.Find)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Threadline", self.about)

        tools = QToolBar("Main")
        tools.setObjectName("toolbar-main")
        tools.addAction("Fit all", self.timeline.fit_all)
        tools.addAction("Clear window", lambda: self.session.selection.set_brush(None, origin=self))
        tools.addSeparator()
        tools.addWidget(self.search)
        self.addToolBar(tools)

    # ---------------------------------------------------------- actions
    def clear_selection(self) -> None:
        self.session.selection.clear_selection(origin=self)

    def clear_filters(self) -> None:
        self.search.clear()
        self.session.selection.clear_filters(origin=self)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a Threadline database", "", "SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)")
        if path:
            from .launch import open_window

            open_window(path)

    def export_timeline_dialog(self) -> None:
        width, ok = QInputDialog.getInt(self, "Export timeline", "Image width in pixels:", 2400, 800, 8000, 100)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export timeline as PNG", "timeline.png", "PNG images (*.png)")
        if path:
            window = self.session.selection.time_window
            self._report(lambda: export_timeline_png(self.session, path, width=width, window=window), path)

    def export_graph_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export relationship graph as PNG", "graph.png", "PNG images (*.png)")
        if path:
            self._report(lambda: export_graph_png(self.session, path, width=1600), path)

    def _report(self, job, path) -> None:
        try:
            job()
        except Exception as exc:  # shown to the user, who can retry elsewhere
            box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", "", parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(f"Could not write {path}:\n{exc}")
            box.exec()
            return
        self.statusBar().showMessage(f"Wrote {path}", 5000)

    def about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "About Threadline", "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText("Threadline: a timeline linked both ways to a time-windowed relationship graph.")
        box.exec()

    def _status(self) -> None:
        sel = self.session.selection
        text = f"Window: {describe_window(sel.time_window)}"
        if sel.brush:
            text += " (brushed)"
        if sel.search:
            text += f" · search: {sel.search}"
        if sel.actor_filter is not None:
            text += f" · {len(sel.actor_filter)} actors shown"
        self.statusBar().showMessage(text)

    # ---------------------------------------------------------- settings
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

    def closeEvent(self, ev):
        self.save_settings()
        super().closeEvent(ev)
