"""File menu work: new, open, recent, save a copy, export.

Opening always goes through the store's checks: a file that is not ours,
damaged, or from a newer Threadline gets a dialog and is never written to.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from store.database import StoreError

DB_FILTER = "Threadline databases (*.db *.sqlite *.sqlite3);;All files (*)"
# format -> (menu label, file filter, default name); graph and event formats take the current time window
EXPORTS = {
    "svg": "Timeline as SVG…",
    "gexf": "Network as GEXF (Gephi, dynamic)…",
    "graphml": "Network as GraphML…",
    "events-csv": "Events as CSV (spreadsheet)…",
    "timelinejs": "TimelineJS JSON…",
    "json": "Threadline JSON (whole file)…",
    "csv": "Threadline CSV (whole file)…",
}
SUFFIX = {"svg": "svg", "gexf": "gexf", "graphml": "graphml", "events-csv": "csv", "timelinejs": "json", "json": "json", "csv": "csv"}


INSTALL = Path(__file__).resolve().parent.parent


def start_folder(window) -> Path:
    """Where a file dialog opens: the open database's folder, or the user's
    documents when the database is the bundled sample (kept in the app's own
    data folder) or nothing is open; never the folder Threadline runs from."""
    from PySide6.QtCore import QStandardPaths

    from .launch import user_data_dir

    path = getattr(getattr(window, "session", None), "path", None)
    if path is not None:
        folder = Path(path).resolve().parent
        hidden = (user_data_dir().resolve(), INSTALL)
        if folder.is_dir() and not any(folder == h or h in folder.parents for h in hidden):
            return folder
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def _in_start(window, name: str = "") -> str:
    return str(start_folder(window) / name) if name else str(start_folder(window))


def message(parent, title: str, text: str, icon=QMessageBox.Icon.Warning) -> None:
    box = QMessageBox(icon, title, "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and errors are data, not markup
    box.setText(text)
    box.exec()


def open_path(parent, path, read_only: bool = False):
    """Open ``path`` in a new window; a refused file gets a dialog. Returns the window or None."""
    from .launch import open_window

    try:
        return open_window(path, read_only=read_only)
    except StoreError as exc:
        message(parent, "Cannot open this file", str(exc))
        return None


def open_dialog(window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open a Threadline database", _in_start(window), DB_FILTER)
    if path:
        open_path(window, path)


def new_database_dialog(window) -> None:
    from store.backup import new_database

    path, _ = QFileDialog.getSaveFileName(window, "New Threadline database", _in_start(window, "untitled.db"), DB_FILTER)
    if not path:
        return
    if Path(path).exists():
        message(window, "Choose a new name", f"{path} already exists; Threadline will not overwrite a file.")
        return
    try:
        new_database(path)
    except (StoreError, OSError) as exc:
        message(window, "Cannot create the database", str(exc))
        return
    open_path(window, path)


def open_sample(window):
    """Help > Open the sample story: in a window of its own (built on first use)."""
    from .launch import sample_path

    return open_path(window, sample_path())


def save_copy_dialog(window) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Save a copy as", _in_start(window, "copy.db"), DB_FILTER)
    if not path:
        return
    try:
        window.session.save_copy(path)
    except (StoreError, OSError) as exc:
        message(window, "Cannot save the copy", str(exc))
        return
    window.statusBar().showMessage(f"Saved a copy as {path}", 5000)


def export_timeline_dialog(window) -> None:
    from .export import export_timeline_png

    width, ok = QInputDialog.getInt(window, "Export timeline", "Image width in pixels:", 2400, 800, 8000, 100)
    if not ok:
        return
    path, _ = QFileDialog.getSaveFileName(window, "Export timeline as PNG", _in_start(window, "timeline.png"), "PNG images (*.png)")
    if path:
        window_range = window.session.selection.time_window
        _report(window, lambda: export_timeline_png(window.session, path, width=width, window=window_range), path)


def export_graph_dialog(window) -> None:
    from .export import export_graph_png

    path, _ = QFileDialog.getSaveFileName(window, "Export relationship graph as PNG", _in_start(window, "graph.png"), "PNG images (*.png)")
    if path:
        _report(window, lambda: export_graph_png(window.session, path, width=1600), path)


def _report(window, job, path) -> None:
    try:
        job()
    except StoreError as exc:  # says which file and why in one line (a full disk, the database itself)
        message(window, "Export failed", str(exc))
        return
    except Exception as exc:  # any failure is shown; the old file, if any, is untouched
        message(window, "Export failed", f"Could not write {path}: {exc}")
        return
    window.statusBar().showMessage(f"Wrote {path}", 5000)


def export_format_dialog(window, fmt: str) -> None:
    from store.queries import whole_seconds

    suffix = SUFFIX[fmt]
    path, _ = QFileDialog.getSaveFileName(window, EXPORTS[fmt].rstrip("…"), _in_start(window, f"export.{suffix}"), f"{suffix.upper()} files (*.{suffix})")
    if not path:
        return
    session = window.session
    span = session.selection.time_window
    if fmt == "svg":
        from .export import export_timeline_svg

        _report(window, lambda: export_timeline_svg(session, path, width=1600, window=span), path)
    else:
        whole = fmt in ("json", "csv")
        window_arg = (None, None) if whole or span is None else whole_seconds(span)  # the events the screen shows
        _report(window, lambda: session.export(fmt, path, window=window_arg), path)


def story_properties_dialog(window) -> None:
    """File > Story properties: the title and description exports are titled with."""
    from . import commands
    from .dialogs.story_dialog import StoryDialog

    session = window.session
    dialog = StoryDialog(*session.story_properties(), window)
    if window.editor.exec_dialog(dialog):
        v = dialog.values()
        window.editor.run(commands.SetStoryProperties(session, v["title"], v["description"]))


def import_dialog(window) -> None:
    from .import_dialog import ImportDialog

    path, _ = QFileDialog.getOpenFileName(window, "Import events", _in_start(window), "Event data (*.csv *.tsv *.txt *.json *.CSV *.TSV);;All files (*)")
    if path:
        ImportDialog(window.session, path, window).exec()
