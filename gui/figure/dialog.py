"""File > Export figure…: the figure's options beside a live preview.

It starts from what the window shows (the time window, the actors ticked
in the actor list, the lane order) and the story's title; the selection is
drawn only when "Highlight the selection" is ticked. The preview is the
figure itself, drawn small, redrawn a moment after the last change.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QSpinBox, QVBoxLayout, QWidget,
)

from store.dates import DateError, format_date, parse_date
from store.figure_data import FigureError, search_phrase
from store.view_model.date_ticks import describe_window

from .options import FORMATS, PRESETS, FigureOptions
from .source import figure_from_session, session_window

PREVIEW_PX = 560
FORMAT_LABELS = {"png": "PNG image", "svg": "SVG (vector, text as text)", "pdf": "PDF (vector)",
                 "html": "Interactive HTML (one file, works offline)"}


class FigureDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Export figure")
        self.data = None
        self.last_error = ""
        window = session_window(session)
        self.view = QComboBox()
        for key, label in (("both", "Timeline and graph"), ("timeline", "Timeline"), ("graph", "Relationship graph")):
            self.view.addItem(label, key)
        self.preset = QComboBox()
        for key, preset in PRESETS.items():
            self.preset.addItem(preset.label, key)
        self.preset.addItem("Custom size", "custom")
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box, value in ((self.width_box, 1200), (self.height_box, 0)):
            box.setRange(0, 12000)
            box.setValue(value)
            box.setEnabled(False)
        self.height_box.setSpecialValueText("as tall as needed")
        self.format = QComboBox()
        for key in FORMATS:
            self.format.addItem(FORMAT_LABELS[key], key)
        self.start = QLineEdit(format_date(window[0], "day") if window else "")
        self.end = QLineEdit(format_date(window[1], "day") if window else "")
        self.title = QLineEdit(session.title)
        found = search_phrase(session.selection.search)
        self.subtitle = QLineEdit(describe_window(window, long_months=True) + found if window else "")
        self.caption = QPlainTextEdit()
        self.caption.setPlaceholderText("A sentence or two under the figure")
        self.caption.setFixedHeight(64)
        self.credit = QLineEdit()
        self.credit.setPlaceholderText("e.g. Graphic: A. Reporter")
        self.dark = QCheckBox("Dark background")
        self.text_size = QDoubleSpinBox()
        self.text_size.setRange(0.5, 3.0)
        self.text_size.setSingleStep(0.1)
        self.text_size.setValue(1.0)
        self.text_size.setSuffix(" ×")
        sel = session.selection
        self.highlight = QCheckBox("Highlight the selection")
        self.highlight.setEnabled(bool(sel.selected_actors or sel.selected_events or sel.selected_edge))
        n_filter = len(sel.actor_filter) if sel.actor_filter is not None else None
        self.actors_note = QLabel("Actors: all" if n_filter is None else f"Actors: the {n_filter} ticked in the actor list")
        from ..file_actions import start_folder  # the open story's folder, as every file dialog

        stem = Path(session.path).stem if session.path else "figure"
        self.path = QLineEdit(str(start_folder(parent) / f"{stem}-figure.png"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow("Show", self.view)
        form.addRow("Size", self.preset)
        sizes = QHBoxLayout()
        sizes.addWidget(self.width_box)
        sizes.addWidget(QLabel("×"))
        sizes.addWidget(self.height_box)
        form.addRow("Custom size", sizes)
        form.addRow("From", self.start)
        form.addRow("To", self.end)
        form.addRow("", self.actors_note)
        form.addRow("Title", self.title)
        form.addRow("Subtitle", self.subtitle)
        form.addRow("Caption", self.caption)
        form.addRow("Credit", self.credit)
        form.addRow("Text size", self.text_size)
        form.addRow("", self.dark)
        form.addRow("", self.highlight)
        form.addRow("Format", self.format)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form.addRow("Save to", where)
        left = QWidget()
        column = QVBoxLayout(left)
        column.addLayout(form)
        column.addStretch(1)
        self.preview = QLabel()
        self.preview.setObjectName("figure-preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.preview.setMinimumSize(PREVIEW_PX, int(PREVIEW_PX * 0.75))
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.status = QLabel()
        self.status.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.status)
        body = QHBoxLayout()
        body.addWidget(left)
        body.addLayout(right, 1)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.refresh)
        for signal in (self.view.currentIndexChanged, self.preset.currentIndexChanged, self.width_box.valueChanged,
                       self.height_box.valueChanged, self.title.textChanged, self.subtitle.textChanged,
                       self.caption.textChanged, self.credit.textChanged, self.dark.toggled, self.text_size.valueChanged,
                       self.highlight.toggled, self.start.editingFinished, self.end.editingFinished):
            signal.connect(self.timer.start)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.refresh()

    # ------------------------------------------------------------ options
    def options(self) -> FigureOptions:
        preset = self.preset.currentData()
        custom = preset == "custom"
        return FigureOptions(
            view=self.view.currentData(), preset="article" if custom else preset,
            width=self.width_box.value() if custom else None,
            height=(self.height_box.value() or None) if custom else None,
            title=self.title.text(), subtitle=self.subtitle.text(), caption=self.caption.toPlainText(),
            credit=self.credit.text(), dark=self.dark.isChecked(), text_size=self.text_size.value(),
            highlight=self.highlight.isChecked(),
        )

    def window_range(self) -> tuple[int, int]:
        bounds = []
        for box, pick, name in ((self.start, "earliest", "From"), (self.end, "latest", "To")):
            try:
                bounds.append(getattr(parse_date(box.text()), pick))
            except DateError as exc:
                raise FigureError(f"{name}: {exc}") from None
        if bounds[1] <= bounds[0]:
            raise FigureError("To must be after From")
        return bounds[0], bounds[1]

    def _preset_changed(self) -> None:
        custom = self.preset.currentData() == "custom"
        self.width_box.setEnabled(custom)
        self.height_box.setEnabled(custom)

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        self.path.setText(str(Path(self.path.text()).with_suffix("." + fmt)))

    def _browse(self) -> None:
        fmt = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(self, "Export figure", self.path.text(), f"{fmt.upper()} (*.{fmt})")
        if path:
            self.path.setText(path)

    # ------------------------------------------------------------ preview and export
    def refresh(self) -> None:
        from .render import render_image

        try:
            self.data = figure_from_session(self.session, self.window_range(), highlight=self.highlight.isChecked())
            if not self.data.events:
                raise FigureError("no events of these actors in this window")
        except FigureError as exc:
            self.data = None
            self.last_error = str(exc)
            self.status.setText(self.last_error)
            self.export_button.setEnabled(False)
            return
        options = self.options()
        image, result = render_image(self.data, options, scale=min(1.0, PREVIEW_PX * 1.4 / options.page_width))
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(
            self.preview.width(), self.preview.height(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        self.preview.setToolTip(f"{result.width:.0f} × {result.height:.0f}")
        self.last_error = ""
        self.status.setText(" ".join(result.notes) or f"{len(self.data.events)} events, {len(self.data.actors)} actors.")
        self.export_button.setEnabled(True)

    def export(self) -> None:
        """Write the file on a worker (a big figure takes a while to paint and encode):
        the data is already gathered, so the worker needs no database connection."""
        from ..jobs import Job
        from .render import write_figure

        self.timer.stop()
        self.refresh()
        if self.data is None:
            return
        path = Path(self.path.text()).expanduser()
        fmt = self.format.currentData()
        if path.suffix.lower() != "." + fmt:
            path = path.with_suffix("." + fmt)
        data, options = self.data, self.options()
        self.export_button.setEnabled(False)
        self.status.setText(f"Writing {path}…")
        self.job = Job(lambda: write_figure(data, options, path), self)
        self.job.succeeded.connect(lambda _result: self._written(path))
        self.job.failed.connect(lambda why: self._not_written(path, why))
        self.job.start()

    def _written(self, path: Path) -> None:
        self.written = path
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"Wrote {path}", 5000)
        self.accept()

    def _not_written(self, path: Path, why: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(f"Could not write {path}: {why}")


def export_figure_dialog(window) -> None:
    FigureDialog(window.session, window).exec()
