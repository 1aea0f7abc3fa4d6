"""The window's shortcuts while the cursor is in one of its text fields.

A text field claims some chords before the window sees them (Qt's
ShortcutOverride). On Linux it claims Emacs-style ones too: Ctrl+E (end of
line), Ctrl+D (delete), Ctrl+K, Ctrl+U; so Ctrl+E (Export timeline) and Ctrl+D
(Duplicate) did nothing from the search box. Here a chord with Ctrl, Alt or
Meta that one of the window's actions owns goes to the window, unless it is a
text key people expect from any text box (copy, paste, undo, select all, word
moves): those stay with the field. Plain keys (letters, Home, Delete, arrows)
always stay with the field. Ctrl+Backspace is no field's (Qt's fields leave
it to the window): it clears the time window from anywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget

_CHORD_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier

# the same on Windows, macOS (as Cmd) and every Linux desktop: a text box keeps them
TEXT_CHORDS = frozenset(
    QKeySequence(text).toString()
    for text in (
        "Ctrl+A", "Ctrl+C", "Ctrl+X", "Ctrl+V", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z",
        "Ctrl+Del", "Ctrl+Insert", "Shift+Insert", "Shift+Del",
        "Ctrl+Left", "Ctrl+Right", "Ctrl+Shift+Left", "Ctrl+Shift+Right",
        "Ctrl+Home", "Ctrl+End", "Ctrl+Shift+Home", "Ctrl+Shift+End",
    )
)  # fmt: skip


def _is_field(widget) -> bool:
    return isinstance(widget, QLineEdit) or (isinstance(widget, QComboBox) and widget.isEditable())


class WindowKeysInFields(QObject):
    """Watches the fields of ``window`` that take the keyboard (those made
    later too, such as the lane finder): installed on a field when it gets
    the focus."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if new is not None and _is_field(new) and self.window.isAncestorOf(new):
            new.removeEventFilter(self)  # never twice
            new.installEventFilter(self)

    def window_owns(self, chord: str) -> bool:
        return any(
            action.isEnabled() and any(seq.toString() == chord for seq in action.shortcuts())
            for action in self.window.actions()
        )

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() != QEvent.Type.ShortcutOverride or not ev.modifiers() & _CHORD_MODIFIERS:
            return False
        modifiers = ev.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        chord = QKeySequence(QKeyCombination(modifiers, ev.keyCombination().key())).toString()
        if chord in TEXT_CHORDS or not self.window_owns(chord):
            return False
        ev.ignore()  # not claimed by the field: the window's shortcut runs
        return True
