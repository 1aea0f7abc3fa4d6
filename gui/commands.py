"""Every edit is an undoable command, and every command is one transaction.

A command's ``redo`` and ``undo`` each run in one write of the session's
story (``Story.write``: one SQLite transaction, refused while the file is
read-only) and call one ``store`` function in it; so the file on disk is
always complete and current and there is no unsaved state. Undoing an addition deletes the
record and keeps a snapshot; redoing it restores the record with the same
id, so later commands that name that id stay valid.

The first ``redo`` (run by ``QUndoStack.push``) may fail validation; the
command then marks itself obsolete, Qt drops it from the stack, and the
session reports the message.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from store import edits, records, views
from store.database import StoreError, write_error
from store.records import RecordError


def quoted(text: str | None, limit: int = 40) -> str:
    text = (text or "").strip().replace("\n", " ")
    return f"'{text[: limit - 1]}…'" if len(text) > limit else f"'{text}'"


class StoreCommand(QUndoCommand):
    """Base: runs ``_redo``/``_undo`` and tells the session what changed."""

    def __init__(self, session, text: str):
        super().__init__(text)
        self.session = session
        self.error: str | None = None
        self._done_once = False

    def redo(self) -> None:
        try:
            with self.session.story.write(self.text()) as db:
                self._redo(db)
        except (RecordError, StoreError) as exc:
            if self._done_once:
                raise
            self.error = str(exc)
            self.setObsolete(True)
            return
        except Exception as exc:  # a full disk, a read-only file system: said in one line, nothing changed
            failure = write_error(self.session.path, exc)
            if failure is None or self._done_once:
                raise
            self.error = str(failure)
            self.setObsolete(True)
            return
        self._done_once = True
        self.session.after_edit(self)

    def undo(self) -> None:
        with self.session.story.write("undo " + self.text()) as db:
            self._undo(db)
        self.session.after_edit(self, undone=True)

    # what to select afterwards (event ids / actor ids), if anything
    select_events: tuple[int, ...] = ()
    select_actors: tuple[int, ...] = ()
    kind = ""  # "event" when the command changes one event and nothing else
    # what else it changes, for the views: "file" (anything: read it again),
    # "actors" (the actors: names, kinds, colours, and actors with no event
    # added or deleted, with their relationships), "relationships"
    # (the stated relationships alone), "nothing" the views draw (sources,
    # the story's settings, saved views)
    reach = "file"

    def changed_events(self) -> tuple[int, ...] | None:
        """The events whose rows (and links) alone this command changed, so the
        views can fold them in rather than read the file again; None when it
        changed anything else (actors, relationships, the story's settings)."""
        record_id = getattr(self, "record_id", None)
        return (int(record_id),) if self.kind == "event" and record_id is not None else None

    def _redo(self, db) -> None:
        raise NotImplementedError

    def _undo(self, db) -> None:
        raise NotImplementedError


class _AddRecord(StoreCommand):
    """Add on first redo; delete on undo; restore the same id on later redos."""

    def __init__(self, session, text, add, delete, restore):
        super().__init__(session, text)
        self._add, self._delete, self._restore = add, delete, restore
        self.record_id: int | None = None
        self._snapshot = None

    def _redo(self, db) -> None:
        if self._snapshot is None:
            self.record_id = self._add(db)
        else:
            self._restore(db, self._snapshot)
        self._select()

    def _undo(self, db) -> None:
        self._snapshot = self._delete(db, self.record_id)

    def _select(self) -> None:
        if self.kind == "event":
            self.select_events = (self.record_id,)
        elif self.kind == "actor":
            self.select_actors = (self.record_id,)


def add_event(session, title: str, start: str, **fields) -> _AddRecord:
    cmd = _AddRecord(
        session, f"add event {quoted(title)}",
        lambda db: records.add_event(db, title, start, **fields), edits.delete_event, edits.restore_event,
    )  # fmt: skip
    cmd.kind = "event"
    return cmd


def duplicate_event(session, detail) -> _AddRecord:
    """A new event with everything of ``detail``'s: its dates as written, actors, roles, sources and quotes."""
    from store.records import Citation, Participation

    e = detail.event
    fields = {
        "end": e.end, "reference": e.date_reference, "certainty": e.certainty, "type": e.type,
        "location": e.location, "summary": e.summary,
        "actors": [Participation(a.id, role) for a, role in detail.actors],
        "sources": [Citation(s.id, quote) for s, quote in detail.sources],
    }  # fmt: skip
    cmd = add_event(session, e.title, e.start, **fields)
    cmd.setText(f"duplicate event {quoted(e.title)}")
    return cmd


def add_actor(session, name: str, kind: str = "person", **fields) -> _AddRecord:
    cmd = _AddRecord(
        session, f"add actor {quoted(name)}",
        lambda db: records.add_actor(db, name, kind, **fields), edits.delete_actor, edits.restore_actor,
    )  # fmt: skip
    cmd.kind = "actor"
    cmd.reach = "actors"  # an actor with no event yet: a lane, no event changes
    return cmd


def add_relationship(session, from_id: int, to_id: int, rel_type: str, **fields) -> _AddRecord:
    cmd = _AddRecord(
        session, f"add relationship {quoted(rel_type)}",
        lambda db: records.add_relationship(db, from_id, to_id, rel_type, **fields),
        edits.delete_relationship, edits.restore_relationship,
    )  # fmt: skip
    cmd.reach = "relationships"
    return cmd


def add_source(session, **fields) -> _AddRecord:
    label = fields.get("title") or fields.get("publisher") or fields.get("url")
    cmd = _AddRecord(
        session, f"add source {quoted(label)}",
        lambda db: records.add_source(db, **fields), edits.delete_source, edits.restore_source,
    )  # fmt: skip
    cmd.reach = "nothing"
    return cmd


class EditRecord(StoreCommand):
    """Change some fields; undo puts back exactly the old values."""

    def __init__(self, session, text, update, record_id, fields: dict, kind: str = ""):
        super().__init__(session, text)
        self._update, self.record_id, self._new, self._old = update, record_id, dict(fields), None
        self.kind = kind

    def _redo(self, db) -> None:
        self._old = self._update(db, self.record_id, **self._new)
        self._select()

    def _undo(self, db) -> None:
        self._update(db, self.record_id, **self._old)
        self._select()

    def _select(self) -> None:
        if self.kind == "event":
            self.select_events = (self.record_id,)
        elif self.kind == "actor":
            self.select_actors = (self.record_id,)


# ``label`` names the record in the Edit menu ("Undo edit 'WSJ report'"); ``fields`` are the changes.


def edit_event(session, event_id: int, label: str, fields: dict, verb: str = "edit") -> EditRecord:
    return EditRecord(session, f"{verb} {quoted(label)}", edits.update_event, event_id, fields, "event")


def move_event(session, event_id: int, label: str, start: str, end: str | None) -> EditRecord:
    return edit_event(session, event_id, label, {"start": start, "end": end}, verb="move")


def edit_actor(session, actor_id: int, label: str, fields: dict) -> EditRecord:
    cmd = EditRecord(session, f"edit actor {quoted(label)}", edits.update_actor, actor_id, fields, "actor")
    cmd.reach = "actors"
    return cmd


def edit_relationship(session, rel_id: int, label: str, fields: dict) -> EditRecord:
    cmd = EditRecord(session, f"edit relationship {quoted(label)}", edits.update_relationship, rel_id, fields)
    cmd.reach = "relationships"
    return cmd


def edit_source(session, source_id: int, label: str, fields: dict) -> EditRecord:
    cmd = EditRecord(session, f"edit source {quoted(label)}", edits.update_source, source_id, fields)
    cmd.reach = "nothing"
    return cmd


class DeleteRecord(StoreCommand):
    def __init__(self, session, text, delete, restore, record_id, kind: str = ""):
        super().__init__(session, text)
        self._delete, self._restore, self.record_id, self._snapshot = delete, restore, record_id, None
        self.kind = kind

    def _redo(self, db) -> None:
        self._snapshot = self._delete(db, self.record_id)

    def _undo(self, db) -> None:
        self._restore(db, self._snapshot)


def delete_event(session, event_id: int, title: str) -> DeleteRecord:
    return DeleteRecord(session, f"delete event {quoted(title)}", edits.delete_event, edits.restore_event, event_id, "event")


def delete_actor(session, actor_id: int, name: str) -> DeleteRecord:
    cmd = DeleteRecord(session, f"delete actor {quoted(name)}", edits.delete_actor, edits.restore_actor, actor_id)
    cmd.reach = "actors"  # the views follow without a reload when the actor had no event
    return cmd


def delete_relationship(session, rel_id: int, label: str) -> DeleteRecord:
    cmd = DeleteRecord(session, f"delete relationship {quoted(label)}", edits.delete_relationship, edits.restore_relationship, rel_id)
    cmd.reach = "relationships"
    return cmd


def delete_source(session, source_id: int, label: str) -> DeleteRecord:
    cmd = DeleteRecord(session, f"delete source {quoted(label)}", edits.delete_source, edits.restore_source, source_id)
    cmd.reach = "nothing"
    return cmd


class ImportCommand(StoreCommand):
    """An import that already ran (on a worker, in one transaction): undo takes
    what it added back out, redo puts it back with the same ids."""

    def __init__(self, session, label: str, marks: dict):
        super().__init__(session, f"import {quoted(label)}")
        self.marks, self._taken = marks, None

    def _redo(self, db) -> None:
        if self._taken is not None:
            edits.restore_import(db, self._taken)
            self._taken = None

    def _undo(self, db) -> None:
        self._taken = edits.take_import(db, self.marks)


class SetStoryProperties(StoreCommand):
    """The story's title and description, kept in the file's ``meta`` table
    (keys "title" and "description"): the window and every export use them."""
    reach = "nothing"


    def __init__(self, session, title: str | None, description: str | None):
        super().__init__(session, "edit story properties")
        self._new, self._old = {"title": title, "description": description}, None

    def _redo(self, db) -> None:
        self._old = records.set_meta_values(db, self._new)

    def _undo(self, db) -> None:
        records.set_meta_values(db, self._old)


class SaveView(StoreCommand):
    reach = "nothing"

    def __init__(self, session, name: str, state: dict):
        super().__init__(session, f"save view {quoted(name)}")
        self.name, self.state, self._old = name, state, None

    def _redo(self, db) -> None:
        self._old = views.load_view(db, self.name) if self.name in views.list_views(db) else None
        views.save_view(db, self.name, self.state)

    def _undo(self, db) -> None:
        if self._old is None:
            views.delete_view(db, self.name)
        else:
            views.save_view(db, self.name, self._old)


class DeleteView(StoreCommand):
    reach = "nothing"

    def __init__(self, session, name: str):
        super().__init__(session, f"delete view {quoted(name)}")
        self.name, self._old = name, None

    def _redo(self, db) -> None:
        self._old = views.delete_view(db, self.name)

    def _undo(self, db) -> None:
        if self._old is not None:
            views.save_view(db, self.name, self._old)
