"""One open file: its database, its arrays, the shared selection, derived masks.

Views ask the session what to show ("which events pass the filters?",
"which are highlighted?") so that the rules live in one place and every
view applies them the same way. The session asks ``store`` for data; it
holds no SQL of its own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from store import network, queries
from store.database import StoreError, close_database, open_for_session
from store.filewatch import FileIdentity, changed_since, check_same_file
from store.timeline_data import TimelineData, default_lane_order, keep_in_file, load_timeline_data
from store.timeline_patch import apply_changes, cache_patched, cache_ticket, read_changes

from .deep_check import DeepCheck
from .reloader import Reloader
from .search_jobs import Searches
from .selection import SelectionModel
from .text import as_rich_plain


# Above this many events the numpy half of folding an edit into the arrays
# runs on a worker: at 1M it held the UI thread for 65-110 ms, where a
# frame is 16 ms. Below it the fold takes a few ms and the next frame shows it.
PATCH_BACKGROUND_EVENTS = 200_000


class Session(QObject):
    dataChanged = Signal()
    edited = Signal(str)  # what was done or undone, for the status bar
    writableChanged = Signal()  # read_only changed (the deep check passed, the file was replaced...)
    fileDamaged = Signal(str)  # the deep check found damage: one line for a person
    recordsTouched = Signal(object)  # event ids an edit added or changed: the views bring them into view

    def __init__(self, db, path: str | Path | None = None, read_only: bool = False, parent=None,
                 message: str | None = None, data: TimelineData | None = None):
        super().__init__(parent)
        self.db = db
        self.path = Path(path) if path else None
        self.read_only = read_only
        self.open_message = message  # e.g. why the file fell back to read-only
        self.identity = FileIdentity.of(self.path, db) if self.path else None
        self.selection = SelectionModel(self)
        self.undo_stack = QUndoStack(self)
        # a big file's page check, still to run: no edits until it passes
        self.deep_check = DeepCheck(bool(getattr(db, "threadline_deep_check_pending", False)), self)
        self.deep_check.passed.connect(self._deep_check_passed)
        self.deep_check.failed.connect(self._deep_check_failed)
        self._writable_after_check = not read_only
        if self.deep_check_pending:
            self.read_only = True
        self.reloader = Reloader(self, self._swap)
        self._wrote = False  # an edit was written: the arrays are kept in the file at close
        self._cache_serial = 0  # bumped by each folded-in edit; its cache write checks it
        self._cache_jobs: set = set()
        self._patching = None  # the job folding an edit into a very big file's arrays
        self._patch_context = None  # (base data, relationships, cache ticket, then) of that job
        # above this many events that folding runs on a worker (about 30 ms per
        # million events): the window keeps answering meanwhile
        self.patch_background_events = PATCH_BACKGROUND_EVENTS
        self.data: TimelineData = data if data is not None else load_timeline_data(
            db, write_cache=not self.deep_check_pending)
        self.relationships = queries.relationships_in_window(db)
        self.generation = 0  # bumped whenever the arrays are replaced
        self._filter_cache: tuple | None = None
        self._highlight_cache: tuple | None = None
        self.searches = Searches(self)  # a big file is searched on a worker
        self.searches.finished.connect(lambda: self.selection.filterChanged.emit(self))
        self.selection.filterChanged.connect(self._drop_caches)
        self.selection.selectionChanged.connect(self._drop_caches)
        if self.selection.lane_order is None:
            self.selection.set_lanes([int(self.data.actor_ids[i]) for i in default_lane_order(self.data)])

    @classmethod
    def open(cls, path, read_only: bool = False, parent=None, defer_deep_check: bool = False) -> "Session":
        """Open for a window: writable with a writer lock, or read-only with a message why.
        With ``defer_deep_check`` call ``start_deep_check`` once the window shows."""
        db, read_only_now, message = open_for_session(path, read_only=read_only, defer_deep_check=defer_deep_check)
        return cls(db, path, read_only_now, parent, message)

    @classmethod
    def open_parts(cls, path, read_only: bool = False, progress=None, defer_deep_check: bool = False) -> tuple:
        """The slow half of opening (checks, arrays), safe to run on a worker thread:
        returns what ``from_parts`` needs on the UI thread."""
        db, read_only_now, message = open_for_session(path, read_only=read_only, defer_deep_check=defer_deep_check)
        pending = bool(getattr(db, "threadline_deep_check_pending", False))
        return db, path, read_only_now, message, load_timeline_data(db, progress=progress, write_cache=not pending)

    @classmethod
    def from_parts(cls, parts, parent=None) -> "Session":
        db, path, read_only, message, data = parts
        return cls(db, path, read_only, parent, message, data)

    def close(self) -> None:
        self._keep_arrays_in_file()
        close_database(self.db)

    def _keep_arrays_in_file(self) -> None:
        """A session that wrote to its file leaves the arrays it shows in it
        (``store/stored_arrays.py``), so a copy opens fast anywhere: once, at
        close, since the file changed anyway (opening alone never writes).
        Skipped if another program wrote meanwhile or arrays are still coming."""
        if not self._wrote or self.read_only or self.identity is None or self.patching or self.reloader.running:
            return
        try:
            keep_in_file(self.db, self.data, self.identity.data_version)
        except StoreError:
            pass  # only a speed-up for the next open: the file keeps what it had

    # ---------------------------------------------------------- the file on disk
    def outside_change(self):
        """What another program did to the file since we last looked (None: nothing)."""
        return changed_since(self.identity, self.db) if self.identity else None

    def accept_outside_change(self) -> None:
        """Reload after another program wrote; our undo history no longer applies."""
        self.undo_stack.clear()
        self.reload()
        self.identity = FileIdentity.of(self.path, self.db)

    def adopt_own_write(self) -> None:
        """Our own worker wrote to the file (an import): not another program's change."""
        self.identity = FileIdentity.of(self.path, self.db)

    def stop_writing(self, why: str) -> None:
        """The file was replaced or removed: never write to the wrong file."""
        self.read_only = True
        self._writable_after_check = False
        self.open_message = why
        self.writableChanged.emit()

    # ---------------------------------------------------------- the deep check
    @property
    def deep_check_pending(self) -> bool:
        return self.deep_check.pending

    def start_deep_check(self) -> None:
        """Run the deferred page check (see ``deep_check``); the window calls this once it shows."""
        if self.path is not None:
            self.deep_check.start(self.path, self.data)

    def _deep_check_passed(self) -> None:
        if self._writable_after_check:
            self.read_only = False
        self.writableChanged.emit()

    def _deep_check_failed(self, why: str) -> None:
        self.stop_writing(f"{why}. Editing is off; what is shown may be incomplete")
        self.fileDamaged.emit(why)

    def reload(self, then=None) -> None:
        """Re-read the arrays after the file changed (an edit, an import); a
        big file on a worker (see ``reloader``). ``then()`` runs once the new
        arrays are shown."""
        self.reloader.reload(then)

    def _swap(self, data: TimelineData, relationships) -> None:
        """Show newly read arrays: one step, every view follows ``dataChanged``."""
        self.data = data
        self.relationships = relationships
        self.generation += 1
        self._drop_caches()
        known = set(int(a) for a in self.data.actor_ids)
        order = [a for a in (self.selection.lane_order or ()) if a in known]
        order += [int(self.data.actor_ids[i]) for i in default_lane_order(self.data) if int(self.data.actor_ids[i]) not in order]
        self.selection.set_lanes(order, self.selection.hidden_lanes & known)
        self.dataChanged.emit()

    # ---------------------------------------------------------- editing
    def run(self, command) -> str | None:
        """Do an undoable edit; returns why it was refused, or None."""
        if self.deep_check_pending:
            return self.deep_check.refusal(self.path)
        if self.read_only:
            return "This file is open read-only: nothing can be changed." + (f" ({self.open_message})" if self.open_message else "")
        if self.identity is not None:
            try:
                check_same_file(self.db, self.path, self.identity)
            except StoreError as exc:
                self.stop_writing(str(exc))
                return str(exc)
        self.undo_stack.push(command)
        self._wrote = self._wrote or command.error is None
        return command.error

    def after_edit(self, command, undone: bool = False) -> None:
        """Called by every command after its transaction: refresh all views,
        keep the selection (minus what no longer exists), select what was made.
        An edit of a few events is folded into the arrays (store/timeline_patch.py):
        at once, or on a worker for a very big file; anything else, or an edit
        the patch cannot fold exactly, reads the file again."""
        then = lambda: self._select_after(command, undone)  # noqa: E731
        if not self._patch(command, then):
            self.reload(then=then)
        self.edited.emit(("Undid " if undone else "") + command.text())

    def _patch(self, command, then) -> bool:
        """Fold the command's events into the arrays; False when a full reload must do it.
        Never while a reload or another patch runs: arrays arriving later would lack this edit."""
        changed = getattr(command, "changed_events", lambda: None)()
        if changed is None or self.reloader.running or self._patching is not None or self.deep_check_pending:
            return False
        changes = read_changes(self.db, self.data, changed)
        if changes is None:
            return False
        base, relationships, ticket = self.data, self._relationships_after(changed), None
        if self.path is not None:
            ticket = cache_ticket(self.db)  # the file's key now, before any later edit
        if base.n_events <= self.patch_background_events:
            data = apply_changes(base, changes)
            if data is None:
                return False
            self._show_patch(data, relationships, ticket)
            then()
            return True
        from .jobs import Job

        job = Job(lambda: apply_changes(base, changes), self)
        job.succeeded.connect(self._patch_arrived)  # a method of this QObject: called on its thread
        job.failed.connect(self._patch_failed)
        self._patching = job
        self._patch_context = (base, relationships, ticket, then)
        job.start()
        return True

    def _relationships_after(self, changed) -> list:
        """The stated relationships after an edit of events ``changed``: read
        again only when one of them is (or was) a relationship's evidence;
        reading them all held the UI thread for 90 ms at 1M events."""
        touched = {int(e) for e in changed}
        if any(touched.intersection(r.event_ids) for r in self.relationships) or \
                queries.is_evidence(self.db, touched):
            return queries.relationships_in_window(self.db)
        return self.relationships

    def _patch_failed(self, _why: str) -> None:
        self._patch_arrived(None)

    def _patch_arrived(self, data) -> None:
        """A patch made on a worker: shown if nothing replaced its base meanwhile, else the file is read."""
        base, relationships, ticket, then = self._patch_context
        self._patching = self._patch_context = None
        if data is None or self.data is not base or self.reloader.running:
            self.reload(then=then)
            return
        self._show_patch(data, relationships, ticket)
        then()

    @property
    def patching(self) -> bool:
        return self._patching is not None

    def _show_patch(self, data: TimelineData, relationships, ticket) -> None:
        self._swap(data, relationships)
        if ticket is not None:
            self._cache_later(data, ticket)

    def _cache_later(self, data: TimelineData, ticket) -> None:
        """Keep the cache beside the file current after a folded-in edit (as a
        reload would), on a worker: keyed by the file as it was right after the
        edit, so any later write makes it stale. A write overtaken by a newer
        edit is skipped."""
        from .jobs import Job

        self._cache_serial += 1
        serial = self._cache_serial

        def write():
            if serial == self._cache_serial:
                cache_patched(data, ticket)

        job = Job(write, self)  # a failure is not reported: a cache is only a speed-up
        self._cache_jobs = {j for j in self._cache_jobs if j.running} | {job}
        job.start()

    @property
    def caching(self) -> bool:
        """A folded-in edit's cache is still being written."""
        return any(job.running for job in self._cache_jobs)

    def _select_after(self, command, undone: bool) -> None:
        sel = self.selection
        touched = [e for e in getattr(command, "select_events", ()) if self.event_index(e) is not None]
        if touched:
            self.recordsTouched.emit(touched)
        if not undone and (command.select_events or command.select_actors):
            if command.select_events:
                sel.select_events(command.select_events)
            else:
                sel.select_actors(command.select_actors)
        else:
            self._prune_selection()

    def _prune_selection(self) -> None:
        sel = self.selection
        events = {e for e in sel.selected_events if self.event_index(e) is not None}
        actors = {a for a in sel.selected_actors if self.actor_index(a) is not None}
        if events != sel.selected_events:
            sel.select_events(events)
        elif actors != sel.selected_actors:
            sel.select_actors(actors)
        elif sel.selected_edge is not None and not len(self.edge_event_indices(sel.selected_edge)):
            rel_ids = {r.id for r in self.relationships}
            if sel.selected_edge.kind == "rel" and sel.selected_edge.relationship_id not in rel_ids:
                sel.clear_selection()
        # the details of the selected record may have changed even if its id did not
        sel.selectionChanged.emit(self)

    def relationship(self, rel_id: int):
        return next((r for r in self.relationships if r.id == rel_id), None)

    def _drop_caches(self, *_):
        self._filter_cache = None
        self._highlight_cache = None

    # ---------------------------------------------------------- lookups
    @property
    def title(self) -> str:
        from store.records import get_meta

        return get_meta(self.db, "title") or (self.path.stem if self.path else "Threadline")

    def actor_index(self, actor_id: int) -> int | None:
        hits = np.flatnonzero(self.data.actor_ids == actor_id)
        return int(hits[0]) if len(hits) else None

    def event_index(self, event_id: int) -> int | None:
        idx = self.data.index_of_ids([event_id])
        return int(idx[0]) if len(idx) else None

    def titles(self, event_ids) -> dict[int, str]:
        return queries.event_titles(self.db, event_ids)

    def event_detail(self, event_id: int):
        return queries.event_detail(self.db, event_id)

    def actor_countries(self) -> dict[int, str]:
        return queries.actor_countries(self.db)

    def saved_actor_groups(self) -> dict[str, list[int]]:
        from store import views

        return views.actor_groups(self.db)

    def actor(self, actor_id: int):
        return queries.get_actor(self.db, actor_id)

    def event_summaries(self, event_ids) -> dict:
        """(title, start, end, actor names) of a few events, by id."""
        return queries.event_tooltips(self.db, event_ids)

    def tooltip(self, event_id: int) -> str:
        """Title, dates as written and actors of an event, safe as a Qt tooltip."""
        tip = queries.event_tooltips(self.db, [event_id]).get(event_id)
        if tip is None:
            return ""
        title, start, end, names = tip
        when = f"{start} to {end}" if end else start
        return as_rich_plain(f"{title}\n{when}\n{', '.join(names) or '(no actor)'}")

    # ---------------------------------------------------------- masks
    def filter_mask(self) -> np.ndarray | None:
        """Events that pass the search and the actor filter; None when nothing filters."""
        sel = self.selection
        key = (sel.search, sel.actor_filter)
        if self._filter_cache and self._filter_cache[0] == key:
            return self._filter_cache[1]
        # a big file's search runs on a worker: meanwhile only the actor filter applies
        mask = self.searches.mask(sel.search) if sel.search else None
        searching = sel.search and mask is None
        if sel.actor_filter is not None:
            idx = [i for i in (self.actor_index(a) for a in sel.actor_filter) if i is not None]
            actor_mask = network.events_with_actors(self.data, idx) if idx else np.zeros(self.data.n_events, bool)
            mask = actor_mask if mask is None else mask & actor_mask
        if not searching:
            self._filter_cache = (key, mask)
        return mask

    @property
    def search_pending(self) -> bool:
        """The search typed is still being looked for (a big file, on a worker)."""
        return bool(self.selection.search) and self.searches.pending(self.selection.search)

    def highlight_mask(self) -> np.ndarray | None:
        """Events the selection lights up; None when nothing is selected."""
        sel = self.selection
        key = (sel.selected_events, sel.selected_actors, sel.selected_edge)
        if self._highlight_cache and self._highlight_cache[0] == key:
            return self._highlight_cache[1]
        mask = None
        if sel.selected_events:
            mask = np.zeros(self.data.n_events, dtype=bool)
            mask[self.data.index_of_ids(sel.selected_events)] = True
        elif sel.selected_actors:
            idx = [i for i in (self.actor_index(a) for a in sel.selected_actors) if i is not None]
            mask = network.events_with_actors(self.data, idx)
        elif sel.selected_edge is not None:
            mask = np.zeros(self.data.n_events, dtype=bool)
            mask[self.edge_event_indices(sel.selected_edge)] = True
        self._highlight_cache = (key, mask)
        return mask

    def edge_event_indices(self, edge) -> np.ndarray:
        """The events behind an edge: shared events, or a relationship's evidence."""
        if edge.kind == "rel":
            rel = next((r for r in self.relationships if r.id == edge.relationship_id), None)
            ids = rel.event_ids if rel else ()
            return self.data.index_of_ids(ids)
        a, b = self.actor_index(edge.a), self.actor_index(edge.b)
        if a is None or b is None:
            return np.zeros(0, dtype=np.int64)
        window = self.selection.time_window
        wmask = network.window_mask(self.data, window) if window else None
        return network.events_of_pair(self.data, a, b, wmask)

    def highlighted_actor_ids(self) -> set[int]:
        """Actors to light up in the graph: the selection's, or the selected events' participants."""
        sel = self.selection
        if sel.selected_actors:
            return set(sel.selected_actors)
        if sel.selected_edge is not None:
            return {sel.selected_edge.a, sel.selected_edge.b}
        if sel.selected_events:
            idx = self.data.index_of_ids(sel.selected_events)
            actors = set()
            for i in idx:
                lo, hi = self.data.pair_offsets[i], self.data.pair_offsets[i + 1]
                actors.update(int(self.data.actor_ids[a]) for a in self.data.pair_actor[lo:hi])
            actors.discard(-1)
            return actors
        return set()
