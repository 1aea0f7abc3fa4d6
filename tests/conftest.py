"""Shared fixtures: real SQLite files, the real sample story, Qt offscreen."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's settings and the user's data folder go to a throwaway place: tests never touch the real ones
_HOME = tempfile.mkdtemp(prefix="threadline-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED_DATA = ROOT.parent / "shared" / "data"

# the process set up as the app sets it up (gui.launch.make_app), so every
# test runs on the same, lazily filled, Qt mirror modules a user's window
# does, with memory given back the same way
from gui.launch import prepare_process  # noqa: E402

prepare_process()


@pytest.fixture(scope="session")
def _sample_master(tmp_path_factory) -> Path:
    from store.sample import write_sample

    return write_sample(tmp_path_factory.mktemp("sample") / "sample.db")


@pytest.fixture
def sample_db(_sample_master, tmp_path) -> Path:
    """A fresh copy of the sample story database for one test."""
    path = tmp_path / "sample.db"
    shutil.copy(_sample_master, path)
    return path


@pytest.fixture
def sample(sample_db):
    from store.database import open_database

    db = open_database(sample_db)
    yield db
    db.conn.close()


@pytest.fixture
def memdb():
    from store.database import memory_database

    return memory_database()


def one(db, sql, *args):
    """The single value a query gives."""
    return db.execute(sql, args).fetchone()[0]


def run_cli(*args, env=None, cwd=None):
    """Run ``python main.py ARGS`` as a user would; returns the CompletedProcess."""
    import subprocess

    full_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True, text=True, env=full_env, cwd=cwd or ROOT, timeout=120,
    )  # fmt: skip


def open_main_window(qtbot, db_path, tmp_path, size=(1400, 900), show=True):
    """The real main window on ``db_path``, with settings of its own (never
    the user's), closed by qtbot after the test."""
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow
    from gui.session import Session

    w = MainWindow(Session.open(db_path), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    if size:
        w.resize(*size)
    if show:
        w.show()
    return w


@pytest.fixture
def win(qtbot, sample_db, tmp_path):
    """The main window on a fresh copy of the sample story, shown at 1400 x 900."""
    return open_main_window(qtbot, sample_db, tmp_path)


@pytest.fixture
def active_win(qtbot, sample_db, tmp_path):
    """The main window on the sample story, made the active window (keys go
    to it); after the test one plain click, so a modifier a ctrl- or
    shift-click left held does not leak into the next test."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    w = open_main_window(qtbot, sample_db, tmp_path)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    yield w
    QTest.mouseMove(w, QPoint(5, 5))
    QTest.mouseClick(w.statusBar(), Qt.MouseButton.LeftButton)


def answer_every_dialog_cancel(win, monkeypatch):
    """The file dialogs behind the window's keys answer "Cancel", and any
    other dialog a key opens (export figure, add document, find lane...) is
    cancelled as soon as it shows, as a person would: a test of keys tests
    the keys. Returns the timer doing the cancelling (it lives with ``win``)."""
    import gui.file_actions as fa
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    for name in ("new_database_dialog", "open_dialog", "save_copy_dialog", "import_dialog",
                 "export_timeline_dialog", "export_graph_dialog", "export_format_dialog", "story_properties_dialog"):
        if hasattr(fa, name):
            monkeypatch.setattr(fa, name, lambda *a, **k: None)
    win.editor.exec_dialog = lambda dialog: False

    def cancel_modal():
        for widget in (QApplication.activeModalWidget(), QApplication.activePopupWidget()):
            if isinstance(widget, QDialog):
                widget.reject()
            elif widget is not None:
                widget.close()

    canceller = QTimer(win)
    canceller.timeout.connect(cancel_modal)
    canceller.start(50)
    return canceller


def open_graph_panel(qtbot, db_path, size=(600, 500)):
    """The relationship panel alone on ``db_path`` (read-only), shown at
    ``size`` once its layout has arrived."""
    from gui.graph.panel import GraphPanel
    from gui.session import Session

    panel = GraphPanel(Session.open(db_path, read_only=True))
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    panel.wait_for_layout()
    return panel
