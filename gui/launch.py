"""Starting the window: check the platform, make the app, open the file.

The check runs before Qt is imported so that a missing display or system
library is one clear sentence, not a Qt abort trace.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_ID = "threadline"
_windows: list = []  # keep windows alive; Qt does not own top-level Python windows


def user_data_dir() -> Path:
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "Threadline"


def sample_path() -> Path:
    """The sample story in the user's data folder, built on first use
    (and rebuilt when the bundled story file is newer)."""
    from store.sample import SAMPLE_JSON, write_sample

    path = user_data_dir() / "sample.db"
    if path.exists() and path.stat().st_mtime >= SAMPLE_JSON.stat().st_mtime:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return write_sample(path)


def make_app():
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Threadline")
    app.setOrganizationName("Threadline")
    QGuiApplication.setDesktopFileName(APP_ID)
    icon = Path(__file__).resolve().parent.parent / "resources" / "threadline.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def open_window(path, read_only: bool = False):
    from .main_window import MainWindow
    from .session import Session

    window = MainWindow(Session.open(path, read_only=read_only))
    window.show()
    _windows.append(window)
    return window


def launch(db: str | None, read_only: bool = False) -> int:
    from gui.platform_check import problem

    message = problem()
    if message:
        print(f"threadline: {message}", file=sys.stderr)
        return 3
    path = Path(db) if db else sample_path()
    app = make_app()
    open_window(path, read_only=read_only)  # a refused file raises before any window shows
    return app.exec()
