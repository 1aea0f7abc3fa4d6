"""A date entry that says, as you type, what it understood or why not."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from store.dates import DateError, describe, parse_date
from store.records import RecordError, reference_date


class OneLine(QLabel):
    """A line of feedback that never changes its height: a message longer than
    the field is cut short with "…" (whole in its tooltip), so a date's message
    never pushes the fields below it down as it comes and goes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setFixedHeight(self.fontMetrics().height() + 2)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # a long message never widens the dialog
        self._full = ""

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text if self.fontMetrics().horizontalAdvance(text) > self.width() else "")
        super().setText(text)

    def text(self) -> str:
        return self._full

    def paintEvent(self, _ev):
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self.setToolTip(self._full if self.fontMetrics().horizontalAdvance(self._full) > self.width() else "")


class DateField(QWidget):
    validityChanged = Signal(bool)

    def __init__(self, text: str = "", optional: bool = False, reference=None, parent=None):
        super().__init__(parent)
        self.optional = optional
        self.reference = reference
        self.edit = QLineEdit(text or "")
        self.edit.setPlaceholderText("e.g. 2025-05-02, 2 May 2025, May 2025, 2016/2017, c. 2016" + (" (optional)" if optional else ""))
        self.feedback = OneLine()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.feedback)
        self.edit.textChanged.connect(self._update)
        self._valid = True
        self._update(text or "")

    def text(self) -> str | None:
        value = self.edit.text().strip()
        return value or None

    def set_reference(self, reference) -> None:
        self.reference = reference
        self._update(self.edit.text())

    def is_valid(self) -> bool:
        return self._valid

    def _update(self, text: str) -> None:
        text = text.strip()
        if not text:
            valid = self.optional
            self.feedback.setText("" if self.optional else "A date is needed.")
        else:
            try:
                reference = reference_date(self.reference)
                self.feedback.setText(describe(parse_date(text, reference=reference), reference=reference))
                valid = True
            except (DateError, RecordError) as exc:
                self.feedback.setText(str(exc))
                valid = False
        self.feedback.setStyleSheet("" if valid else "color: #c0392b;")
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)
