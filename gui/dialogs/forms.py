"""Small pieces shared by the record dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


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


def typing_box(widget) -> QComboBox | None:
    """The editable combo box whose text ``widget`` is (or lies in), else None."""
    while widget is not None:
        if isinstance(widget, QComboBox):
            return widget if widget.isEditable() else None
        if not isinstance(widget, QLineEdit):
            return None
        widget = widget.parentWidget()
    return None


def take_typed(box: QComboBox) -> None:
    """Enter in an editable box: the text typed is the choice. A name the list
    holds in another case becomes the list's spelling; a new name stays as typed."""
    typed = box.currentText().strip()
    match = box.findText(typed, Qt.MatchFlag.MatchFixedString) if typed else -1  # case-insensitive
    if match >= 0:
        box.setCurrentIndex(match)
    elif typed != box.currentText():
        box.setEditText(typed)
    if box.lineEdit() is not None:
        box.lineEdit().deselect()
        box.lineEdit().end(False)


class RecordDialog(QDialog):
    """A form with OK/Cancel; OK is enabled only while every check passes.

    Enter saves, except in a box where a name or a type is typed (an actor, an
    event type): there Enter takes what was typed and the dialog stays open, so
    a name is never saved half-written. Ctrl+Enter saves from anywhere, even
    from a box of several lines."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._checks = []
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            save = QShortcut(QKeySequence(keys), self)
            save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            save.activated.connect(self._save)

    def _save(self) -> None:
        if self.revalidate():
            self.accept()

    def keyPressEvent(self, ev):
        plain = not (ev.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        box = typing_box(self.focusWidget()) if ev.key() in _ENTER and plain else None
        if box is not None:
            take_typed(box)
            ev.accept()
            return
        super().keyPressEvent(ev)

    def finish(self) -> None:
        self.form.addRow(self.buttons)
        self.revalidate()

    def require(self, check) -> None:
        self._checks.append(check)

    def revalidate(self, *_):
        ok = all(check() for check in self._checks)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok
