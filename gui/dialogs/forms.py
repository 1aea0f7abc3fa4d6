"""Small pieces shared by the record dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit


def combo(choices, current=None, editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    for choice in choices:
        box.addItem(choice)
    if current:
        index = box.findText(current)
        if index >= 0:
            box.setCurrentIndex(index)
        elif editable:
            box.setEditText(current)
    elif editable:
        # nothing chosen stays nothing: an editable box would show (and save) its first choice
        box.setCurrentIndex(-1)
        box.setEditText("")
    return box


def line(text: str | None = None, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text or "")
    edit.setPlaceholderText(placeholder)
    return edit


def text_box(text: str | None = None, height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit(text or "")
    box.setMinimumHeight(height)
    return box


def value(widget) -> str | None:
    """A widget's text, stripped; None when empty (the store keeps NULL, not '')."""
    if isinstance(widget, QPlainTextEdit):
        text = widget.toPlainText()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    else:
        text = widget.text()
    text = text.strip()
    return text or None


class RecordDialog(QDialog):
    """A form with OK/Cancel; OK is enabled only while every check passes."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._checks = []

    def finish(self) -> None:
        self.form.addRow(self.buttons)
        self.revalidate()

    def require(self, check) -> None:
        self._checks.append(check)

    def revalidate(self, *_):
        ok = all(check() for check in self._checks)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok
