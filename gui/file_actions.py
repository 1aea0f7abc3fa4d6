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
    path, _ = QFileDialog.getOpenFileName(window, "Open a Threadline database", "", DB_FILTER)
    if path:
        open_path(window, path)


def new_database_dialog(window) -> None:
    from store.backup import new_database

    path, _ = QFileDialog.getSaveFileName(window, "New Threadline database", "untitled.db", DB_FILTER)
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


def save_copy_dialog(window) -> None:
    from store.backup import save_copy

    path, _ = QFileDialog.getSaveFileName(window, "Save a copy as", "copy.db", DB_FILTER)
    if not path:
        return
    try:
        save_copy(window.session.db, path)
    except (StoreError, OSError) as exc:
        message(window, "Cannot save the copy", str(exc))
        return
    window.statusBar().showMessage(f"Saved a copy as {path}", 5000)


def export_timeline_dialog(window) -> None:
    from .export import export_timeline_png

    width, ok = QInputDialog.getInt(window, "Export timeline", "Image width in pixels:", 2400, 800, 8000, 100)
    if not ok:
        return
    path, _ = QFileDialog.getSaveFileName(window, "Export timeline as PNG", "timeline.png", "PNG images (*.png)")
    if path:
        window_range = window.session.selection.time_window
        _report(window, lambda: export_timeline_png(window.session, path, width=width, window=window_range), path)


def export_graph_dialog(window) -> None:
    from .export import export_graph_png

    path, _ = QFileDialog.getSaveFileName(window, "Export relationship graph as PNG", "graph.png", "PNG images (*.png)")
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
    from store.exporting import export_path

    suffix = SUFFIX[fmt]
    path, _ = QFileDialog.getSaveFileName(window, EXPORTS[fmt].rstrip("…"), f"export.{suffix}", f"{suffix.upper()} files (*.{suffix})")
    if not path:
        return
    session = window.session
    span = session.selection.time_window
    if fmt == "svg":
        from .export import export_timeline_svg

        _report(window, lambda: export_timeline_svg(session, path, width=1600, window=span), path)
    else:
        whole = fmt in ("json", "csv")
        window_arg = (None, None) if whole or span is None else (int(span[0]), int(span[1]))
        _report(window, lambda: export_path(session.db, fmt, path, window=window_arg), path)


def import_dialog(window) -> None:
    from .import_dialog import ImportDialog

    path, _ = QFileDialog.getOpenFileName(window, "Import events", "", "Event data (*.csv *.tsv *.txt *.json *.CSV *.TSV);;All files (*)")
    if path:
        ImportDialog(window.session, path, window).exec()
