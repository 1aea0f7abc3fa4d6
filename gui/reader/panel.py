"""The reader: a stored document's text, with what the story took from it.

Passages that events quote are highlighted (a broken quote, one that no
longer reads the same at its offsets, in red); clicking one selects its
event everywhere through the selection model. Known actors' names and
aliases are underlined. Selecting a passage and pressing "New event from
passage" opens the event dialog filled in from it; "Suggest events" reads
the whole document and opens the review list.

Offsets in the store count Python characters (code points); Qt's text
cursor counts UTF-16 units, so positions are converted both ways.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QTextEdit, QVBoxLayout, QWidget,
)  # fmt: skip

from store import documents
from store.readers import SUFFIXES, read_path
from store.suggest import passage_candidate, publication_day, suggest_text
from store.textscan import ActorMatcher

from ..jobs import Job


class _Offsets:
    """Python string offsets <-> Qt (UTF-16) positions for one text."""

    def __init__(self, text: str):
        self.wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_qt(self, offset: int) -> int:
        return offset + sum(1 for i in self.wide if i < offset)

    def from_qt(self, position: int) -> int:
        offset = position
        for i in self.wide:
            if self.to_qt(i) < position:
                offset -= 1
        return offset


class ReaderPanel(QWidget):
    documentAdded = Signal(int)
    suggestionsReady = Signal(object)  # list of Candidates, for the review list

    def __init__(self, session, editor, parent=None):
        super().__init__(parent)
        self.session = session
        self.editor = editor
        self.document = None
        self.quotes: list[documents.QuoteRef] = []
        self.job: Job | None = None
        self.choose_file = lambda: QFileDialog.getOpenFileName(
            self, "Add document", "", f"Documents ({' '.join('*' + s for s in SUFFIXES)})")[0]
        # the review list runs through this hook, so tests can drive it without a modal loop
        self.exec_review = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        self.picker = QComboBox()
        self.picker.setObjectName("reader-documents")
        self.picker.currentIndexChanged.connect(self._picked)
        self.add_button = QPushButton("Add document…")
        self.add_button.clicked.connect(lambda: self.add_document_dialog())
        self.suggest_button = QPushButton("Suggest events")
        self.suggest_button.clicked.connect(self.suggest)
        self.new_button = QPushButton("New event from passage")
        self.new_button.setEnabled(False)
        self.new_button.clicked.connect(self.new_event_from_passage)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.suggest_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QPlainTextEdit()
        self.text.setObjectName("reader-text")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.selectionChanged.connect(lambda: self.new_button.setEnabled(self._can_edit() and self.text.textCursor().hasSelection()))
        self.text.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        session.dataChanged.connect(self.refresh)
        # an event edited or deleted in a big file is shown through an overlay
        # for seconds before the arrays follow: its quotes are read again now
        session.overlayChanged.connect(self.refresh)
        session.selection.selectionChanged.connect(self._follow_selection)
        session.writableChanged.connect(self._enable)
        self.refresh()

    # ---------------------------------------------------------- documents
    def _can_edit(self) -> bool:
        return not self.session.read_only and self.document is not None

    def _enable(self) -> None:
        self.add_button.setEnabled(not self.session.read_only)
        self.suggest_button.setEnabled(self._can_edit())
        self.new_button.setEnabled(self._can_edit() and self.text.textCursor().hasSelection())

    def refresh(self, *_args) -> None:
        docs = self.session.documents()
        current = self.document.id if self.document else None
        self.picker.blockSignals(True)
        self.picker.clear()
        for doc in docs:
            self.picker.addItem(doc.label(), doc.id)
        if not docs:
            self.picker.addItem("(no documents: add one, or drop a file on the window)", None)
        index = self.picker.findData(current) if current is not None else -1
        self.picker.setCurrentIndex(index if index >= 0 else max(self.picker.count() - 1, 0))
        self.picker.blockSignals(False)
        self._picked()

    def show_document(self, doc_id: int) -> None:
        index = self.picker.findData(doc_id)
        if index >= 0:
            self.picker.setCurrentIndex(index)
            self._picked()

    def _picked(self, *_args) -> None:
        doc_id = self.picker.currentData()
        if doc_id is None:
            self.document = None
            self.text.setPlainText("")
            self.info.setText("")
        else:
            doc = self.session.document(doc_id)
            if self.document is None or self.document.id != doc.id:
                self.document = doc
                self.offsets = _Offsets(doc.text)
                self.text.setPlainText(doc.text)
            self._names_key = None  # the story changed (an edit, an undo): names and quotes again
            what = [x for x in (doc.publisher, doc.author, doc.date and f"published {doc.date}", doc.url) if x]
            if publication_day(doc) is None:
                what.append("no publication day: relative dates such as 'Friday' cannot be read")
            self.info.setText(" · ".join(what) or (doc.filename or ""))
        self._mark()
        self._enable()

    def add_document_dialog(self, path: str | None = None) -> None:
        """Read a file off the UI thread, then store it (one undoable step)."""
        path = path or self.choose_file()
        if not path:
            return
        self.info.setText(f"Reading {Path(path).name}…")
        self.job = Job(lambda: read_path(path), self)
        self.job.succeeded.connect(lambda result: self._read(path, *result))
        self.job.failed.connect(lambda why: self._failed(why))
        self.job.start()

    def _failed(self, why: str) -> None:
        self.info.setText(why)
        self.editor._warn("The document was not added", why)

    def _read(self, path: str, content: bytes, read) -> None:
        from ..document_commands import AddDocument

        command = AddDocument(self.session, content, read, Path(path).name)
        if self.editor.run(command):
            self.refresh()
            self.show_document(command.document_id)
            if not command.added:
                self.session.edited.emit(f"{Path(path).name} is already stored (same SHA-256)")
            self.documentAdded.emit(command.document_id)

    # ---------------------------------------------------------- marks
    def _name_marks(self) -> list:
        """Known actors' names, underlined; found again only when the story
        or the document changes, not on every click elsewhere."""
        key = (self.document.id, self.session.generation)
        if getattr(self, "_names_key", None) != key:
            names = QTextCharFormat()
            names.setFontUnderline(True)
            names.setUnderlineColor(QColor("#1f6fb2"))
            names.setForeground(QColor("#1f4f8f"))
            self._names = [self._selection(m.start, m.end, names)
                           for m in ActorMatcher(self.session.known_actors()).find(self.document.text)]
            self._names_key = key
            self.quotes = self.session.quotes_in(self.document.id)
        return self._names

    def _mark(self) -> None:
        selections = []
        if self.document is not None:
            selections.extend(self._name_marks())
            selected = self.session.selection.selected_events
            for q in self.quotes:
                fmt = QTextCharFormat()
                colour = "#f4c7c3" if not q.ok else ("#ffd54f" if q.event_id in selected else "#fff2b3")
                fmt.setBackground(QColor(colour))
                fmt.setToolTip(f"{q.event_title}" + ("" if q.ok else " — this quote no longer matches the document"))
                selections.append(self._selection(q.start, q.end, fmt))
        self.text.setExtraSelections(selections)

    def _selection(self, start: int, end: int, fmt) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text.document())
        length = self.text.document().characterCount() - 1
        cursor.setPosition(min(self.offsets.to_qt(start), length))
        cursor.setPosition(min(self.offsets.to_qt(end), length), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def quote_at(self, offset: int) -> documents.QuoteRef | None:
        hits = [q for q in self.quotes if q.start <= offset < q.end]
        return min(hits, key=lambda q: q.end - q.start) if hits else None

    def eventFilter(self, watched, ev):
        if watched is self.text.viewport() and ev.type() == QEvent.Type.MouseButtonRelease:
            if ev.button() == Qt.MouseButton.LeftButton and not self.text.textCursor().hasSelection():
                position = self.text.cursorForPosition(ev.position().toPoint()).position()
                quote = self.quote_at(self.offsets.from_qt(position))
                if quote is not None:
                    self.session.selection.select_events({quote.event_id}, origin=self)
        return super().eventFilter(watched, ev)

    def _follow_selection(self, origin) -> None:
        self._mark()
        if origin is self or self.document is None:
            return
        selected = self.session.selection.selected_events
        quoted = [q for q in self.quotes if q.event_id in selected]
        if quoted:
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(self.offsets.to_qt(quoted[0].start))
            self.text.setTextCursor(cursor)
            self.text.ensureCursorVisible()

    # ---------------------------------------------------------- making events
    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.offsets.from_qt(cursor.selectionStart()), self.offsets.from_qt(cursor.selectionEnd())
        text = self.document.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def new_event_from_passage(self) -> bool:
        span = self.selected_span()
        if span is None or self.document is None:
            return False
        from .passage_dialog import open_passage_dialog

        candidate = passage_candidate(self.document.text, span[0], span[1], publication_day(self.document),
                                      self.session.known_actors())
        return open_passage_dialog(self, candidate)

    def suggest(self) -> None:
        """Read the document for suggestions off the UI thread, then review them."""
        if self.document is None:
            return
        text, pub, actors = self.document.text, publication_day(self.document), self.session.known_actors()
        self.suggest_button.setEnabled(False)
        self.info.setText("Reading the document for events…")
        self.job = Job(lambda: suggest_text(text, pub, actors), self)
        self.job.succeeded.connect(self._review)
        self.job.failed.connect(self._failed)
        self.job.start()

    def _review(self, candidates) -> None:
        from ..dialogs.suggestions_dialog import SuggestionsDialog
        from ..document_commands import accept_suggestions

        self._enable()
        self._picked()
        self.suggestionsReady.emit(candidates)
        if not candidates:
            self.info.setText("No datable statements about anyone were found in this document.")
            return
        dialog = SuggestionsDialog(self.session, self.document, candidates, parent=self)
        self.review_dialog = dialog
        if not self.exec_review(dialog):
            return
        reviews = dialog.reviews()
        if reviews:
            self.editor.run(accept_suggestions(self.session, self.document.id, reviews))
