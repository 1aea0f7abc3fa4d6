"""Create or edit a relationship between two actors, typed and dated."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox

from store.schema import CERTAINTIES

from .date_field import DateField
from .forms import RecordDialog, combo, text_box, value


class RelationshipDialog(RecordDialog):
    def __init__(self, actors, types, rel=None, from_id=None, to_id=None, parent=None):
        super().__init__("Edit relationship" if rel else "New relationship", parent)
        self.source = self._actor_box(actors, rel.from_actor_id if rel else from_id)
        self.target = self._actor_box(actors, rel.to_actor_id if rel else to_id)
        self.type = combo(sorted(types), rel.type if rel else None, editable=True)
        if not rel:
            self.type.setEditText("")
        self.directed = QCheckBox("Directed (from → to)")
        self.directed.setChecked(rel.directed if rel else True)
        self.start = DateField(rel.start if rel else "", optional=True)
        self.end = DateField(rel.end if rel else "", optional=True)
        self.certainty = combo(CERTAINTIES, rel.certainty if rel else "confirmed")
        self.notes = text_box(rel.notes if rel else "", 50)
        for label, widget in (("From", self.source), ("To", self.target), ("Type", self.type), ("", self.directed),
                              ("Since", self.start), ("Until", self.end), ("Certainty", self.certainty), ("Notes", self.notes)):
            self.form.addRow(label, widget)
        self.require(lambda: bool(value(self.type)))
        self.require(lambda: self.source.currentData() != self.target.currentData())
        self.require(self.start.is_valid)
        self.require(self.end.is_valid)
        self.type.editTextChanged.connect(self.revalidate)
        self.source.currentIndexChanged.connect(self.revalidate)
        self.target.currentIndexChanged.connect(self.revalidate)
        self.start.validityChanged.connect(self.revalidate)
        self.end.validityChanged.connect(self.revalidate)
        self.setMinimumWidth(460)  # room for a date's message on its line
        self.finish()

    @staticmethod
    def _actor_box(actors, current) -> QComboBox:
        box = QComboBox()
        for aid, label in actors:
            box.addItem(label, aid)
        if current is not None:
            box.setCurrentIndex(max(box.findData(current), 0))
        return box

    def values(self) -> dict:
        return {
            "from_actor_id": self.source.currentData(), "to_actor_id": self.target.currentData(),
            "type": value(self.type), "directed": self.directed.isChecked(), "start": self.start.text(),
            "end": self.end.text(), "certainty": self.certainty.currentText(), "notes": value(self.notes),
        }  # fmt: skip
