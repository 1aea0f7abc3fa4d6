"""The lane finder: type an actor's name, press Enter, and its lane is shown.

With hundreds of lanes, most actors sit in the "more" lane or a collapsed
group; scrolling cannot find them. The finder (Ctrl+L, or View > Find lane)
completes names as they are typed (any part of the name, any case); Enter
gives the actor a lane of its own and selects it, Escape closes the box.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget


class LaneFinder(QWidget):
    found = Signal(int)  # actor id
    closed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find a lane: type an actor's name, then Enter")
        self.edit.setClearButtonEnabled(True)
        self.message = QLabel()
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.edit.returnPressed.connect(self._go)
        self.edit.installEventFilter(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(QLabel("Lane:"))
        row.addWidget(self.edit, 1)
        row.addWidget(self.message)
        self._ids: dict[str, int] = {}
        self.hide()

    def set_actors(self, names: list[str], ids) -> None:
        self._ids = {n: int(a) for n, a in zip(names, ids) if int(a) >= 0}
        self._model.setStringList(sorted(self._ids, key=str.casefold))

    def open(self) -> None:
        self.show()
        self.message.clear()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def eventFilter(self, watched, ev):
        # Escape closes the finder, before the window's Escape (clear the selection) sees it
        if ev.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and ev.key() == Qt.Key.Key_Escape:
            ev.accept()
            if ev.type() == QEvent.Type.KeyPress:
                self.hide()
                self.closed.emit()
            return True
        return super().eventFilter(watched, ev)

    def _go(self) -> None:
        text = self.edit.text().strip()
        actor = self._ids.get(text)
        if actor is None:
            # one actor whose name contains the text (any case) is as good as its full name
            hits = [n for n in self._ids if text.casefold() in n.casefold()] if text else []
            if len(hits) == 1:
                actor = self._ids[hits[0]]
            else:
                self.message.setText(f"{len(hits)} actors match" if hits else "no actor by that name")
                return
        self.message.clear()
        self.found.emit(actor)
