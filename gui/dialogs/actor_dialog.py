"""Create or edit an actor."""

from __future__ import annotations

from store.schema import ACTOR_KINDS

from .forms import RecordDialog, combo, line, text_box, value


class ActorDialog(RecordDialog):
    def __init__(self, actor=None, parent=None):
        super().__init__("Edit actor" if actor else "New actor", parent)
        self.name = line(actor.name if actor else "", "Name as it should appear")
        self.kind = combo(ACTOR_KINDS, actor.kind if actor else "person")
        self.title = line(actor.title if actor else "", "Role or title, e.g. Minister of Public Security")
        self.country = line(actor.country if actor else "")
        self.aliases = line(", ".join(actor.aliases) if actor else "", "Other names, separated by commas")
        self.notes = text_box(actor.notes if actor else "")
        for label, widget in (("Name", self.name), ("Kind", self.kind), ("Title / role", self.title),
                              ("Country", self.country), ("Also known as", self.aliases), ("Notes", self.notes)):
            self.form.addRow(label, widget)
        self.require(lambda: bool(value(self.name)))
        self.name.textChanged.connect(self.revalidate)
        self.finish()

    def values(self) -> dict:
        aliases = [a.strip() for a in (self.aliases.text() or "").split(",") if a.strip()]
        return {
            "name": value(self.name), "kind": value(self.kind), "title": value(self.title),
            "country": value(self.country), "aliases": aliases, "notes": value(self.notes),
        }  # fmt: skip
