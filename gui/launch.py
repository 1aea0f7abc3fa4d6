"""Starting the window: check the platform, make the app, open the file.

The check runs before Qt is imported so that a missing display or system
library is one clear sentence, not a Qt abort trace.
"""

from __future__ import annotations

import sys
from pathlib import Path

from store.user_folders import user_data_dir

APP_ID = "threadline"
# Keep open windows alive (Qt does not own top-level Python windows) and no
# longer: a closed window is deleted and forgotten, so its file's arrays,
# connections and images are freed, not kept for the rest of a long session.
_windows: list = []


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


def prepare_process() -> None:
    """The process-wide settings every window relies on, made once, here and
    nowhere else (an import changes nothing by itself). Called by
    ``make_app`` and by the tests, before the first window and before any
    worker thread:

    - the store (numpy, sqlite-utils) is imported before PySide6: PySide6
      reads the source of every module imported after it (its __feature__
      hook), a few hundred for numpy alone; imported first, they start
      50-100 ms sooner;
    - one malloc arena for every thread (``store/memory.py``);
    - pyqtgraph imported with Qt mirror modules filled on first use, which
      briefly replaces PySide6's module listing (``gui/pyqtgraph_import.py``,
      0.1 s sooner);
    - memory is given back, and Python's full cycle collection runs, when the
      user pauses (``gui/idle_upkeep.py``): trims the store or the job runner
      ask for on worker threads are handed to it.
    """
    import store.timeline_data  # noqa: F401
    from store.memory import tune_allocator

    from .idle_upkeep import install as keep_upkeep_for_pauses
    from .pyqtgraph_import import import_pyqtgraph

    tune_allocator()  # also for windows made without main.py (tests, the benchmark)
    keep_upkeep_for_pauses()  # first: pyqtgraph's import alone came to a full collection
    import_pyqtgraph()  # before any window's modules import it


def make_app():
    prepare_process()
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


BACKGROUND_BYTES = 50 * 1024 * 1024  # bigger files open on a worker thread, with progress


def open_window(path, read_only: bool = False, background_bytes: int = BACKGROUND_BYTES):
    """Open ``path`` in a new window. A big file is checked and loaded on a
    worker thread behind a progress dialog, so the app stays responsive, and
    its page-by-page quick_check runs beside the first frame (editing waits
    for it); a refused file raises StoreError (at once, or from the dialog's wait)."""
    from .deep_check import defer_for
    from .session import Session

    defer = defer_for(path)
    if Path(path).exists() and Path(path).stat().st_size > background_bytes:
        parts = _open_in_background(path, read_only, defer)
    else:
        parts = Session.open_parts(path, read_only, defer_deep_check=defer)
    return _show(Session.from_parts(parts))


def _show(session):
    from .main_window import MainWindow

    from PySide6.QtCore import Qt

    window = MainWindow(session)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _windows.append(window)
    key = id(window)
    # not a closure over the window itself: that would keep it alive
    window.destroyed.connect(lambda *_: _forget(key, session))
    window.show()
    return window


def _forget(key: int, session) -> None:
    """A window was deleted: drop it, and delete its session's Qt side, whose
    signals still hold the window's slots (Qt holds them, so Python's cycle
    collector cannot see that nothing else does)."""
    _windows[:] = [w for w in _windows if id(w) != key]
    try:
        session.deleteLater()
    except RuntimeError:
        pass  # the app is shutting down and Qt deleted it already


def opening_dialog(path):
    """The progress dialog shown while a big file opens. Its label is plain
    text: a file name is data (``<img src=…>.db`` is a legal name), never markup."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QProgressDialog

    dialog = QProgressDialog("", "", 0, 0)
    label = QLabel(dialog)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(f"Opening {Path(path).name}…")
    dialog.setLabel(label)
    dialog.setCancelButton(None)  # the checks cannot be cut short safely
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)
    return dialog


def _open_in_background(path, read_only: bool, defer: bool):
    from PySide6.QtCore import QEventLoop

    from store.database import StoreError

    from .jobs import Job
    from .session import Session

    dialog = opening_dialog(path)
    job = Job(lambda: Session.open_parts(path, read_only, defer_deep_check=defer,
                                         progress=lambda fraction: job.progressed.emit(int(fraction * 1000), 1000)))
    outcome: dict = {}
    loop = QEventLoop()
    job.succeeded.connect(lambda parts: (outcome.setdefault("parts", parts), loop.quit()))
    job.failed.connect(lambda text: (outcome.setdefault("error", text), loop.quit()))
    job.progressed.connect(lambda done, total: (dialog.setRange(0, max(total, 1)), dialog.setValue(done)))
    job.start()
    loop.exec()
    dialog.close()
    if "error" in outcome:
        raise StoreError(outcome["error"])
    return outcome["parts"]


def launch(db: str | None, read_only: bool = False) -> int:
    from gui.platform_check import problem

    message = problem()
    if message:
        print(f"threadline: {message}", file=sys.stderr)
        return 3
    path = Path(db) if db else sample_path()
    app = make_app()
    if db and not path.exists() and not path.is_symlink() and not path.parent.is_dir():
        from store.database import StoreError

        raise StoreError(f"{path}: the folder {path.parent} does not exist")
    if db and not read_only and not path.exists() and not path.is_symlink():
        # a free name: a new, empty story there (as File > New database), said on the terminal
        from store.backup import new_database

        new_database(str(path))
        print(f"threadline: {path} did not exist: created a new, empty story there", file=sys.stderr)
    open_window(path, read_only=read_only)  # a refused file raises before any window shows
    return app.exec()
