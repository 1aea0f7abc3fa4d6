"""Undoable commands for documents and the events made from them.

Each is one transaction in ``store`` (see store/accepting.py): accepting
twenty suggestions is one step on the undo stack, and undoing it removes
the events, the citations merged into other events, the actors and the
source it made, together.
"""

from __future__ import annotations

from store import accepting, documents

from .commands import StoreCommand, quoted


class AddDocument(StoreCommand):
    def __init__(self, session, content: bytes, read, filename: str, **overrides):
        super().__init__(session, f"add document {quoted(overrides.get('title') or read.title or filename)}")
        self._args = (content, read, filename)
        self._overrides = overrides
        self.document_id: int | None = None
        self.added = False
        self._row = None

    def _redo(self, db) -> None:
        if self._row is None:
            self.document_id, self.added = documents.add_document(db, *self._args, **self._overrides)
        else:
            documents.restore_document(db, self._row)

    def _undo(self, db) -> None:
        if self.added:
            self._row = documents.delete_document(db, self.document_id)


class _Made(StoreCommand):
    """Undo removes what a store call made; redo puts it back with the same ids."""

    def __init__(self, session, text, make, reviews=()):
        super().__init__(session, text)
        self._make = make
        self._reviews = list(reviews)
        self.made: accepting.Accepted | None = None

    def _redo(self, db) -> None:
        if self.made is None:
            self.made = self._make(db)
        else:
            accepting.redo_accepted(db, self.made, self._reviews)
        self.select_events = tuple(self.made.event_ids) + tuple(e for e, _s, _p in self.made.merged)

    def _undo(self, db) -> None:
        accepting.undo_accepted(db, self.made)


def accept_suggestions(session, doc_id: int, reviews: list) -> _Made:
    new = sum(r.merge_into is None for r in reviews)
    merged = len(reviews) - new
    what = ", ".join(x for x in (f"{new} events" if new else "", f"{merged} quotes merged" if merged else "") if x)
    return _Made(session, f"accept suggestions ({what})", lambda db: accepting.accept(db, doc_id, reviews), reviews)


def add_passage_event(session, doc_id: int, title: str, start: str, **fields) -> _Made:
    return _Made(session, f"add event {quoted(title)}",
                 lambda db: accepting.add_passage_event(db, doc_id, title, start, **fields))
