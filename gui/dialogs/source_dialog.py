"""Create or edit a source: where an event comes from."""

from __future__ import annotations

from .forms import RecordDialog, line, text_box, value


class SourceDialog(RecordDialog):
    def __init__(self, source=None, parent=None):
        super().__init__("Edit source" if source else "New source", parent)
        self.publisher = line(source.publisher if source else "", "e.g. The Wall Street Journal")
        self.title = line(source.title if source else "", "Headline or document title")
        self.url = line(source.url if source else "", "https://…")
        self.date = line(source.date if source else "", "When it was published")
        self.notes = text_box(source.notes if source else "", 50)
        for label, widget in (("Publisher", self.publisher), ("Title", self.title), ("URL", self.url),
                              ("Date", self.date), ("Notes", self.notes)):
            self.form.addRow(label, widget)
        self.require(lambda: any(value(w) for w in (self.publisher, self.title, self.url)))
        for widget in (self.publisher, self.title, self.url):
            widget.textChanged.connect(self.revalidate)
        self.finish()

    def values(self) -> dict:
        return {k: value(getattr(self, k)) for k in ("publisher", "title", "url", "date", "notes")}
