""""New event from passage": the event dialog, filled in from the passage.

The quote is exactly the selected text with its offsets, and is not
editable here (it is what the document says); the source is the
document's. Names the story does not know yet are offered as new actors,
each with a tick box, a kind and a role.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from store.accepting import event_date, guess_kind
from store.readers import page_of
from store.schema import ACTOR_KINDS, ROLES
from store.suggest import ON_OR_BEFORE

from ..dialogs.event_dialog import EventDialog
from ..dialogs.forms import combo


class PassageEventDialog(EventDialog):
    def __init__(self, actors, sources, types, candidate, document, parent=None):
        super().__init__(actors, sources, types, None, parent=parent)
        self.setWindowTitle("New event from passage")
        self.candidate = candidate
        self.document = document
        self.title.setText(candidate.title)
        start, reference = event_date(candidate, None, document.date)
        self.reference.setText(reference or "")
        self.start.edit.setText(start)
        if start.startswith(ON_OR_BEFORE):
            self.certainty.setCurrentText("reported")
        for name in candidate.actors:
            actor_id = candidate.actor_ids.get(name)
            if actor_id is not None:
                self.participants.add_row(actor_id, candidate.roles.get(name, "participant"))
        page = page_of(list(document.page_starts), candidate.start)
        where = f"{document.label()}, characters {candidate.start}–{candidate.end}" + (f", page {page}" if page else "")
        self.quote_label = QLabel(f"“{candidate.quote}”\n({where})")
        self.quote_label.setWordWrap(True)
        self.new_actor_rows: list[tuple[str, QCheckBox, object, object]] = []
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, name in enumerate(candidate.new_actors):
            tick = QCheckBox(name)
            tick.setChecked(True)
            kind = combo(ACTOR_KINDS, guess_kind(name))
            role = combo(ROLES, candidate.roles.get(name, "participant"))
            grid.addWidget(tick, row, 0)
            grid.addWidget(kind, row, 1)
            grid.addWidget(role, row, 2)
            self.new_actor_rows.append((name, tick, kind, role))
        position = self.form.rowCount() - 1  # before the OK/Cancel row
        self.form.insertRow(position, "Quote", self.quote_label)
        if candidate.new_actors:
            self.form.insertRow(position + 1, "New actors", box)

    def passage_values(self) -> dict:
        values = self.values()
        values["new_actors"] = [(name, kind.currentText(), role.currentText())
                                for name, tick, kind, role in self.new_actor_rows if tick.isChecked()]
        values["quote"] = (self.candidate.quote, self.candidate.start, self.candidate.end)
        return values


def open_passage_dialog(panel, candidate) -> bool:

    from ..document_commands import add_passage_event

    editor = panel.editor
    dialog = PassageEventDialog(editor.actor_choices(), editor.source_choices(), panel.session.event_types(),
                                candidate, panel.document, parent=panel)
    panel.passage_dialog = dialog
    if not editor.exec_dialog(dialog):
        return False
    v = dialog.passage_values()
    title, start = v.pop("title"), v.pop("start")
    v["end"] = v.get("end") or None
    return editor.run(add_passage_event(panel.session, panel.document.id, title, start, **v))


