"""File > Story properties: the story's title and description.

They live in the file (the ``meta`` table), so the window's title bar and
every export are titled with the story, not with the file's name.
"""

from __future__ import annotations

from .forms import RecordDialog, line, text_box, value


class StoryDialog(RecordDialog):
    def __init__(self, title: str | None = None, description: str | None = None, parent=None):
        super().__init__("Story properties", parent)
        self.title = line(title, "e.g. Fentanyl and the trade talks, spring 2025")
        self.description = text_box(description, 90)
        self.description.setPlaceholderText("What the story is about, for the reader of an export")
        self.form.addRow("Title", self.title)
        self.form.addRow("Description", self.description)
        self.resize(520, 260)
        self.finish()

    def values(self) -> dict:
        return {"title": value(self.title), "description": value(self.description)}
