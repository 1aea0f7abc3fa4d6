"""File > Import: pick a file, see its first rows, map columns, import in the background.

The import runs on a worker thread with its own connection, in one
transaction: Cancel unwinds it and leaves the database exactly as it was.
When it is done the views reload and the report says what was added and
which rows were skipped, by line.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QProgressBar, QTableWidget, QTableWidgetItem, QVBoxLayout,
)  # fmt: skip

from store.importing import guess_format, preview_rows

from .jobs import Job

FORMATS = {
    "gdelt": "GDELT event export (1.0 or 2.0, tab-separated)",
    "icews": "ICEWS event file (tab-separated, with header)",
    "mapped-csv": "Another tool's CSV/TSV (map its columns)",
    "json": "Threadline JSON",
    "csv": "Threadline CSV",
    "timelinejs": "TimelineJS JSON",
    "wikitimes": "Wikipedia current events (WikiTimes JSON)",
}
MAP_KEYS = ("date", "end", "title", "summary", "actor", "target", "participants", "type", "location", "source", "url", "certainty", "id",
            "kind", "target_kind", "reference")
GUESSES = {
    "date": ("date", "start", "when", "day"), "end": ("end",), "title": ("title", "headline", "event text", "event"),
    "summary": ("summary", "description", "text", "notes"), "actor": ("source name", "actor", "initiator", "from", "who"),
    "target": ("target", "to", "recipient"), "participants": ("participants", "people", "actors"),
    "type": ("type", "category", "code"), "location": ("location", "place", "country", "city"),
    "source": ("publisher", "source", "citation"), "url": ("url", "link"), "certainty": ("certainty", "confidence"),
    "id": ("id", "event id", "eventid"),
    "target_kind": ("target kind", "target sectors"), "kind": ("kind", "actor kind", "source kind", "source sectors"),
}  # fmt: skip
NONE = "(not in this file)"


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """A first guess at which column holds what, from the column names."""
    chosen: dict[str, str] = {}
    lowered = {c: c.strip().lower() for c in columns}
    for key, hints in GUESSES.items():
        for hint in hints:
            hit = next((c for c, low in lowered.items() if low == hint and c not in chosen.values()), None)
            hit = hit or next((c for c, low in lowered.items() if hint in low and c not in chosen.values()), None)
            if hit:
                chosen[key] = hit
                break
    return chosen


class ImportDialog(QDialog):
    def __init__(self, session, path: str | Path, parent=None):
        super().__init__(parent)
        self.session = session
        self.path = Path(path)
        self.job: Job | None = None
        self.report = None
        self.setWindowTitle(f"Import {self.path.name}")
        self.format = QComboBox()
        for key, label in FORMATS.items():
            self.format.addItem(label, key)
        self.format.setCurrentIndex(self.format.findData(guess_format(self.path)))
        self.format.currentIndexChanged.connect(self._format_changed)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.mapping_box = QGroupBox("Which column holds what")
        self.mapping_form = QFormLayout(self.mapping_box)
        self.columns: dict[str, QComboBox] = {}
        self.save_as = QLineEdit()
        self.save_as.setPlaceholderText("Name to save this mapping under (optional)")
        self.save_for_all = QCheckBox("for all files (in your settings)")
        self.save_for_all.setToolTip("Unticked: kept in this database. Ticked: kept in your settings, "
                                     "offered for every file and found by --map @NAME")
        self.user_settings = getattr(parent, "settings", None)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("File", QLabel(str(self.path)))
        form.addRow("Format", self.format)
        layout.addLayout(form)
        layout.addWidget(QLabel("First rows:"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_text, 1)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(900, 640)
        self._format_changed()

    # ---------------------------------------------------------- preview and mapping
    def fmt(self) -> str:
        return self.format.currentData()

    def _format_changed(self, *_):
        tabular = self.fmt() in ("gdelt", "icews", "mapped-csv", "csv")
        self.preview.setVisible(tabular)
        self.preview_text.setVisible(not tabular)
        self.mapping_box.setVisible(self.fmt() == "mapped-csv")
        if tabular:
            header, rows = preview_rows(self.path)
            if self.fmt() == "gdelt":
                rows, header = [header, *rows], [str(i + 1) for i in range(len(header))]
            self._fill_preview(header, rows)
            if self.fmt() == "mapped-csv":
                self._build_mapping(header)
        else:
            with open(self.path, "r", encoding="utf-8-sig", errors="replace") as fh:
                self.preview_text.setPlainText(fh.read(4000))

    def _fill_preview(self, header, rows) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(header))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row[: len(header)]):
                self.preview.setItem(r, c, QTableWidgetItem(cell[:200]))  # items show plain text

    def _build_mapping(self, header) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.columns.clear()
        guessed = guess_mapping(header)

        from .user_mappings import user_mapping, user_mapping_names

        saved = self.session.saved_mappings()
        for name in user_mapping_names(self.user_settings):
            if name not in saved:  # the file's own mapping of a name wins
                saved[name] = lambda n=name: user_mapping(n, self.user_settings)
        if saved:
            self.saved_box = use = QComboBox()
            use.addItem("(choose columns below)")
            use.addItems(sorted(saved))
            use.currentTextChanged.connect(lambda name: self._use_saved(saved[name]()) if name in saved else None)
            self.mapping_form.addRow("Saved mapping", use)
        for key in MAP_KEYS:
            box = QComboBox()
            box.addItem(NONE)
            box.addItems(header)
            if key in guessed:
                box.setCurrentText(guessed[key])
            self.columns[key] = box
            self.mapping_form.addRow(key, box)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_as, 1)
        save_row.addWidget(self.save_for_all)
        self.mapping_form.addRow("Save as", save_row)

    def _use_saved(self, mapping: list[str]) -> None:
        for entry in mapping:
            key, _, column = entry.partition("=")
            if key in self.columns:
                self.columns[key].setCurrentText(column)

    def mapping(self) -> list[str]:
        return [f"{key}={box.currentText()}" for key, box in self.columns.items() if box.currentText() != NONE]

    # ---------------------------------------------------------- running
    def start(self) -> None:
        from store.importing import import_undoably

        refusal = self.session.story.refusal()  # the worker writes on a connection of its own
        if refusal is not None:
            self.status.setText(refusal)
            return
        fmt, mapping = self.fmt(), self.mapping() if self.fmt() == "mapped-csv" else []
        if fmt == "mapped-csv" and not any(m.startswith("date=") for m in mapping):
            self.status.setText("Choose the column that holds the date.")
            return
        self.session.stop_keeping()  # its writes must not come after the import's (they would look like another program's)
        db_path, path, save_name = self.session.path, self.path, self.save_as.text().strip()
        if save_name and mapping and self.save_for_all.isChecked():
            from .user_mappings import save_user_mapping

            try:
                save_user_mapping(save_name, mapping, self.user_settings)
            except Exception as exc:  # a mapping an import would refuse: said, not saved
                self.status.setText(f"The mapping was not saved: {exc}")
                return
            save_name = ""  # kept in the settings, not in the file

        def work():
            return import_undoably(db_path, path, "csv" if fmt == "mapped-csv" else fmt, mapping, save_name or None)

        self.job = Job(work, self)
        self.job.progressed.connect(self._progressed)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.start_button.setEnabled(False)
        self.format.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Importing…")
        self.job.start()

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))

    def _done(self, result) -> None:
        from . import commands

        report, marks = result
        self.report = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        # the worker's write is ours: one undoable step, which also refreshes the views
        self.session.adopt_own_write()
        error = self.session.run(commands.ImportCommand(self.session, Path(self.path).name, marks))
        if error:
            self.session.accept_outside_change()
        elif report.events_added:
            self.session.reveal_events_after(marks["events"])  # what was added is brought into view
        lines = [report.summary()] + [f"warning: {w}" for w in report.warnings] + [f"skipped {s}" for s in report.skipped[:20]]
        if len(report.skipped) > 20:
            lines.append(f"… and {len(report.skipped) - 20} more skipped rows")
        self.status.setText("\n".join(lines))
        self._finish()

    def _failed(self, text: str) -> None:
        self.status.setText(f"Nothing was imported: {text}")
        self.progress.hide()
        self._finish(retry=True)

    def _cancelled(self) -> None:
        self.status.setText("Cancelled: nothing was imported, the database is as it was.")
        self.progress.hide()
        self._finish(retry=True)

    def _finish(self, retry: bool = False) -> None:
        self.cancel_button.setText("Close")
        self.start_button.setEnabled(retry)
        self.format.setEnabled(retry)
        self.job = None

    def _cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.status.setText("Cancelling…")
            self.job.cancel()
        else:
            self.reject() if self.report is None else self.accept()
