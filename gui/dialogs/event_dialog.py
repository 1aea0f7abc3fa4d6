"""Create or edit an event: dates as written, certainty, who took part, sources."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QTableWidget, QVBoxLayout, QWidget,
)  # fmt: skip

from store.records import Citation, Participation
from store.schema import CERTAINTIES, ROLES

from .date_field import DateField
from .forms import RecordDialog, combo, line, text_box, value


class _Rows(QWidget):
    """A small table of (choice, detail) rows with Add/Remove buttons."""

    def __init__(self, headers, make_row, parent=None):
        super().__init__(parent)
        self.make_row = make_row
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(110)
        self.table.verticalHeader().setDefaultSectionSize(30)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        self.add_button, self.remove_button = add, remove
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        self.extra = buttons
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, *initial) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        widgets = self.make_row(*initial)
        for col, widget in enumerate(widgets):
            self.table.setCellWidget(row, col, widget)
        if any(isinstance(w, QPlainTextEdit) for w in widgets):
            self.table.setRowHeight(row, 64)  # room for a quote of a few lines
        self.rowsChanged()
        if not initial:  # added by a person: typing goes into the new row, not to the button again
            self.table.setCurrentCell(row, 0)
            widgets[0].setFocus()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self.rowsChanged()

    def rowsChanged(self) -> None:
        """Hook: the dialog re-checks its rows (an actor listed twice...)."""

    def rows(self) -> list[list[QWidget]]:
        return [[self.table.cellWidget(r, c) for c in range(self.table.columnCount())] for r in range(self.table.rowCount())]


class EventDialog(RecordDialog):
    """``actors`` and ``sources`` are the file's (id, label) choices."""

    def __init__(self, actors, sources, types, detail=None, preset_actor: int | None = None, parent=None, new_source=None,
                 quote_offsets: dict | None = None):
        super().__init__("Edit event" if detail else "New event", parent)
        e = detail.event if detail else None
        self.actor_choices = list(actors)
        self.source_choices = list(sources)
        self.new_source = new_source
        # where each quote lies in its source's document: kept through an edit,
        # so `threadline check` can tell when the quote text was changed by hand
        self.quote_offsets = dict(quote_offsets or {})
        self.title = line(e.title if e else "", "What happened")
        self.reference = line(e.date_reference if e else "", "Only for words like 'Friday': the date they are relative to")
        self.start = DateField(e.start if e else "", reference=e.date_reference if e else None)
        self.end = DateField(e.end if e else "", optional=True, reference=e.date_reference if e else None)
        self.certainty = combo(CERTAINTIES, e.certainty if e else "confirmed")
        self.type = combo(sorted(t for t in types if t), e.type if e else None, editable=True)
        self.location = line(e.location if e else "")
        self.summary = text_box(e.summary if e else "")
        self.participants = _Rows(["Actor (pick, or type a new name)", "Role"], self._actor_row)
        self.participants.rowsChanged = self.revalidate
        self.actor_problem = QLabel()
        self.actor_problem.setStyleSheet("color: #c0392b;")
        self.actor_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.participants.layout().addWidget(self.actor_problem)
        self.citations = _Rows(["Source", "Quote"], self._source_row)
        if new_source is not None:
            make = QPushButton("New source…")
            make.clicked.connect(self._make_source)
            self.citations.extra.insertWidget(2, make)
        for actor, role in (detail.actors if detail else []):
            self.participants.add_row(actor.id, role)
        if preset_actor is not None and not detail:
            self.participants.add_row(preset_actor, "initiator")
        for source, quote in (detail.sources if detail else []):
            self.citations.add_row(source.id, quote)
        rows = (
            ("Title", self.title), ("Start", self.start), ("End", self.end), ("Relative to", self.reference),
            ("Certainty", self.certainty), ("Type", self.type), ("Location", self.location),
            ("Summary", self.summary), ("Actors", self.participants), ("Sources", self.citations),
        )  # fmt: skip
        for label, widget in rows:
            self.form.addRow(label, widget)
        self.require(lambda: bool(value(self.title)))
        self.require(self._actors_ok)
        self.require(self.start.is_valid)
        self.require(self.end.is_valid)
        self.title.textChanged.connect(self.revalidate)
        self.start.validityChanged.connect(self.revalidate)
        self.end.validityChanged.connect(self.revalidate)
        self.reference.textChanged.connect(self._reference_changed)
        self.resize(620, 720)
        self.finish()
        self._focus = None
        self.created_actors: dict[str, int] = {}  # new names typed -> the ids the editor made for them

    FIELDS = ("title", "start", "end", "reference", "certainty", "type", "location", "summary", "participants", "citations")

    def focus_field(self, name: str | None) -> None:
        """Put the cursor in this field when the dialog shows (e.g. the column double-clicked)."""
        widget = getattr(self, name, None) if name in self.FIELDS else None
        widget = getattr(widget, "edit", None) or getattr(widget, "table", None) or widget
        self._focus = widget

    def showEvent(self, ev):
        super().showEvent(ev)
        if self._focus is not None:
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
            if hasattr(self._focus, "selectAll"):
                self._focus.selectAll()

    def _actor_row(self, actor_id=None, role="participant"):
        # editable: a name not in the list makes a new actor when the event is saved
        who = QComboBox()
        who.setEditable(True)
        who.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for aid, label in self.actor_choices:
            who.addItem(label, aid)
        if actor_id is not None:
            who.setCurrentIndex(max(who.findData(actor_id), 0))
        else:  # Add: an empty row to type a name in, never a guess that could be saved unnoticed
            who.setCurrentIndex(-1)
            who.setEditText("")
        who.editTextChanged.connect(self.revalidate)
        return [who, combo(ROLES, role)]

    def actor_names(self) -> list[tuple[str, int | None]]:
        """(name as shown, actor id or None for a name to create) of each actor row."""
        known = {label.casefold(): aid for aid, label in self.actor_choices}
        out = []
        for who, _role in self.participants.rows() if hasattr(self, "participants") else []:
            if who is None:  # a row being made
                continue
            name = who.currentText().strip()
            if name:
                out.append((name, known.get(name.casefold())))
        return out

    def new_actor_names(self) -> list[str]:
        return [name for name, aid in self.actor_names() if aid is None]

    def _actors_ok(self) -> bool:
        names = [n.casefold() for n, _aid in self.actor_names()]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            shown = next(n for n, _a in self.actor_names() if n.casefold() == twice[0])
            self.actor_problem.setText(f"{shown} is listed twice: an actor takes part in an event once.")
        else:
            new = self.new_actor_names()
            self.actor_problem.setText(f"New actor{'s' if len(new) > 1 else ''} to add: {', '.join(new)}" if new else "")
        self.actor_problem.setStyleSheet("color: #c0392b;" if twice else "color: gray;")
        return not twice

    def _source_row(self, source_id=None, quote=None):
        which = QComboBox()
        for sid, label in self.source_choices:
            which.addItem(label, sid)
        if source_id is not None:
            which.setCurrentIndex(max(which.findData(source_id), 0))
        words = QPlainTextEdit(quote or "")  # quotes run over several lines, kept as written
        words.setPlaceholderText("The words the event rests on")
        words.setTabChangesFocus(True)
        return [which, words]

    def _make_source(self) -> None:
        made = self.new_source()  # returns (id, label) or None
        if made:
            self.source_choices.append(made)
            self.citations.add_row(made[0], None)

    def _reference_changed(self, text: str) -> None:
        reference = text.strip() or None
        self.start.set_reference(reference)
        self.end.set_reference(reference)
        self.revalidate()

    def values(self) -> dict:
        actors, seen = [], set()
        known = {label.casefold(): aid for aid, label in self.actor_choices}
        for who, role in self.participants.rows():
            if who is None:
                continue
            name = who.currentText().strip()
            aid = known.get(name.casefold()) if name else None
            if aid is None and name:
                aid = self.created_actors.get(name)  # made by the editor for a new name
            if aid is not None and aid not in seen:
                seen.add(aid)
                actors.append(Participation(aid, role.currentText()))
        sources, cited = [], set()
        for which, quote in self.citations.rows():
            sid = which.currentData()
            if sid is not None and sid not in cited:
                cited.add(sid)
                sources.append(Citation(sid, value(quote), *self.quote_offsets.get(sid, (None, None))[:2]))
        return {
            "title": value(self.title), "start": self.start.text(), "end": self.end.text(),
            "reference": value(self.reference), "certainty": self.certainty.currentText(),
            "type": value(self.type), "location": value(self.location), "summary": value(self.summary),
            "actors": actors, "sources": sources,
        }  # fmt: skip
