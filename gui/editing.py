"""From a user's gesture to an undoable command: open the dialog, run the edit.

Menus, the timeline, the graph and the event table all ask this one editor,
so every way of making a change goes through the same dialogs and commands.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMessageBox


from . import commands
from .dialogs.actor_dialog import ActorDialog
from .dialogs.event_dialog import EventDialog
from .dialogs.relationship_dialog import RelationshipDialog
from .dialogs.source_dialog import SourceDialog


class Editor(QObject):
    def __init__(self, session, parent_widget):
        super().__init__(parent_widget)
        self.session = session
        self.parent_widget = parent_widget
        # dialogs run through this hook, so tests can fill them in without a modal loop
        self.exec_dialog = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted

    # ---------------------------------------------------------- helpers
    def run(self, command) -> bool:
        error = self.session.run(command)
        if error:
            self._warn("The change was not made", error)
            return False
        return True

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, "", parent=self.parent_widget)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.exec()

    def actor_choices(self) -> list[tuple[int, str]]:
        return [(a.id, a.name) for a in sorted(self.session.actors(), key=lambda a: a.name.lower())]

    def source_choices(self) -> list[tuple[int, str]]:
        def label(s):
            return " — ".join(x for x in (s.publisher, s.title or s.url) if x) or f"source {s.id}"

        return [(s.id, label(s)) for s in self.session.sources()]

    # ---------------------------------------------------------- events
    def event_dialog(self, event_id: int | None = None, preset_actor: int | None = None) -> EventDialog:

        detail = self.session.event_detail(event_id) if event_id is not None else None
        offsets = self.session.quote_offsets(event_id) if event_id is not None else None
        return EventDialog(
            self.actor_choices(), self.source_choices(), self.session.event_types(), detail,
            preset_actor=preset_actor, parent=self.parent_widget, new_source=self.new_source, quote_offsets=offsets,
        )  # fmt: skip

    def new_event(self, preset_actor: int | None = None, start: str | None = None) -> bool:
        dialog = self.event_dialog(preset_actor=preset_actor)
        if start:
            dialog.start.edit.setText(start)
        if not self.exec_dialog(dialog):
            return False

        def command(v):
            title, start = v.pop("title"), v.pop("start")
            return commands.add_event(self.session, title, start, **v)

        return self._save_event(dialog, command)

    def edit_event(self, event_id: int, focus: str | None = None) -> bool:
        """``focus``: the dialog field to start in (e.g. "start" for a Date cell)."""
        dialog = self.event_dialog(event_id)
        dialog.focus_field(focus)
        if not self.exec_dialog(dialog):
            return False
        return self._save_event(dialog, lambda v: commands.edit_event(self.session, event_id, v["title"], v))

    def _save_event(self, dialog, make_command) -> bool:
        """Save an event dialog: names typed that are not actors yet become
        actors first, all in one undoable step with the event."""
        new = dialog.new_actor_names()
        stack = self.session.undo_stack
        if new:
            stack.beginMacro(f"{'add' if dialog.windowTitle() == 'New event' else 'edit'} event "
                             f"{commands.quoted(dialog.values()['title'])} with {len(new)} new actor{'s' * (len(new) > 1)}")
        try:
            for name in new:
                made = commands.add_actor(self.session, name, "person")
                if not self.run(made):
                    return False
                dialog.created_actors[name] = made.record_id
            return self.run(make_command(dialog.values()))
        finally:
            if new:
                stack.endMacro()

    def duplicate_events(self, event_ids) -> bool:
        """A copy of each event (dates, actors, sources and quotes), selected, in one undoable step."""
        ids = sorted(event_ids)
        if not ids:
            return False
        stack = self.session.undo_stack
        if len(ids) > 1:
            stack.beginMacro(f"duplicate {len(ids)} events")
        made = []
        try:
            for eid in ids:
                detail = self.session.event_detail(eid)
                if detail is None:
                    continue
                cmd = commands.duplicate_event(self.session, detail)
                if self.run(cmd):
                    made.append(cmd.record_id)
        finally:
            if len(ids) > 1:
                stack.endMacro()
        if made:
            self.session.selection.select_events(made)
        return bool(made)

    def delete_events(self, event_ids) -> bool:
        ids = sorted(event_ids)
        if not ids:
            return False
        titles = self.session.titles(ids)
        stack = self.session.undo_stack
        if len(ids) > 1:
            stack.beginMacro(f"delete {len(ids)} events")
        try:
            for eid in ids:
                self.run(commands.delete_event(self.session, eid, titles.get(eid, "")))
        finally:
            if len(ids) > 1:
                stack.endMacro()
        return True

    def drag_event(self, event_id: int, start: str, end: str | None) -> bool:
        """An Alt-drag on the timeline landed: the dates as the drag showed them."""
        e = self.session.event_detail(event_id).event
        if (start, end) == (e.start, e.end):
            return False
        return self.move_event(event_id, start, end)

    def move_event(self, event_id: int, start: str, end: str | None) -> bool:
        title = self.session.titles([event_id]).get(event_id, "")
        return self.run(commands.move_event(self.session, event_id, title, start, end))

    # ---------------------------------------------------------- actors
    def new_actor(self) -> bool:
        dialog = ActorDialog(parent=self.parent_widget)
        if not self.exec_dialog(dialog):
            return False
        v = dialog.values()
        name, kind = v.pop("name"), v.pop("kind")
        return self.run(commands.add_actor(self.session, name, kind, **v))

    def edit_actor(self, actor_id: int) -> bool:
        dialog = ActorDialog(self.session.actor(actor_id), parent=self.parent_widget)
        if not self.exec_dialog(dialog):
            return False
        v = dialog.values()
        return self.run(commands.edit_actor(self.session, actor_id, v["name"], v))

    def delete_actor(self, actor_id: int) -> bool:
        actor = self.session.actor(actor_id)
        if actor is None:
            return False
        return self.run(commands.delete_actor(self.session, actor_id, actor.name))

    # ---------------------------------------------------------- relationships
    def new_relationship(self, from_id: int | None = None, to_id: int | None = None) -> bool:
        dialog = RelationshipDialog(self.actor_choices(), self.session.relationship_types(),
                                    from_id=from_id, to_id=to_id, parent=self.parent_widget)
        if not self.exec_dialog(dialog):
            return False
        v = dialog.values()
        a, b, rtype = v.pop("from_actor_id"), v.pop("to_actor_id"), v.pop("type")
        return self.run(commands.add_relationship(self.session, a, b, rtype, **v))

    def edit_relationship(self, rel_id: int) -> bool:
        rel = self.session.relationship(rel_id)
        dialog = RelationshipDialog(self.actor_choices(), self.session.relationship_types(), rel=rel, parent=self.parent_widget)
        if not self.exec_dialog(dialog):
            return False
        v = dialog.values()
        return self.run(commands.edit_relationship(self.session, rel_id, v["type"], v))

    def delete_relationship(self, rel_id: int) -> bool:
        rel = self.session.relationship(rel_id)
        return rel is not None and self.run(commands.delete_relationship(self.session, rel_id, rel.type))

    # ---------------------------------------------------------- sources
    def new_source(self):
        """Make a source (its own undoable step); returns (id, label) or None."""
        dialog = SourceDialog(parent=self.parent_widget)
        if not self.exec_dialog(dialog):
            return None
        cmd = commands.add_source(self.session, **dialog.values())
        if not self.run(cmd):
            return None
        v = dialog.values()
        return cmd.record_id, " — ".join(x for x in (v["publisher"], v["title"] or v["url"]) if x)

    def edit_source(self, source_id: int) -> bool:
        dialog = SourceDialog(self.session.source(source_id), parent=self.parent_widget)
        if not self.exec_dialog(dialog):
            return False
        v = dialog.values()
        return self.run(commands.edit_source(self.session, source_id, v["title"] or v["publisher"] or "", v))
