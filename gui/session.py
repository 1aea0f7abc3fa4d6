"""One open file in the window: its story, its arrays, the shared selection, derived masks.

Views ask the session what to show ("which events pass the filters?",
"which are highlighted?", "which actors are there?") so that the rules live
in one place and every view applies them the same way; no view reads the
file itself (tests/test_layers.py). The session wraps the file's ``Story``
(store/story.py: the connection, whether it may be written and why) and asks
``store`` for data; it holds no SQL of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from store import network, queries, timeline_summary
from store.filewatch import Change
from store.search import search_mask
from store.story import Story
from store.timeline_data import OPENED_FROM_ROWS, TimelineData, default_lane_order, load_timeline_data
from store.timeline_overlay import Overlay, overlay_of
from store.timeline_patch import apply_changes, cache_patched, cache_ticket, read_changes, relabel_actors

from .deep_check import DeepCheck
from .highlight_jobs import Highlights
from .reloader import Reloader
from .search_jobs import Searches
from .selection import SelectionModel
from .text import as_rich_plain


# Above this many events an edit is shown through an overlay over the arrays
# (store/timeline_overlay.py) and folded into them on a worker: the fold
# copies every column (65-110 ms at 1M on the UI thread, seconds at 10M),
# where a frame is 16 ms. Below it the fold takes a few ms and the next frame
# shows it.
PATCH_BACKGROUND_EVENTS = 200_000
# The fold starts this long after the edit: its numpy copies hold the
# interpreter's lock for tens of milliseconds at a time, and the frame
# showing the edit (and the views following the selection) come first.
FOLD_DELAY_MS = 100
# A writable file opened from its rows or the cache beside it (no current
# columns in it: made by another program, or by a Threadline from before
# them) of at least this many events gets its columns kept in it on a
# worker once the window shows, so the next open, here or on another
# machine, reads them instead of every row (store/stored_arrays.py). Below
# it an open reads the rows in well under a second, and opening a file
# leaves it as it was.
KEEP_OPENED_EVENTS = 200_000
KEEP_DELAY_MS = 1000  # after the first frames: the write competes for the CPU


@dataclass
class Opened:
    """The slow half of opening (``Session.open_parts``), made on a worker thread."""

    story: Story
    data: TimelineData


class Session(QObject):
    dataChanged = Signal()
    edited = Signal(str)  # what was done or undone, for the status bar
    writableChanged = Signal()  # read_only changed (the deep check passed, the file was replaced...)
    fileDamaged = Signal(str)  # the deep check found damage: one line for a person
    recordsTouched = Signal(object)  # event ids an edit added or changed: the views bring them into view
    overlayChanged = Signal()  # an edit shown through ``overlay`` (not yet folded into ``data``): repaint
    highlightReady = Signal()  # a big selection's highlight, found on a worker, is in: repaint

    def __init__(self, story: Story, parent=None, data: TimelineData | None = None):
        super().__init__(parent)
        self.story = story
        self.path = story.path
        self.selection = SelectionModel(self)
        self.undo_stack = QUndoStack(self)
        # a big file's page check, still to run: no edits until it passes (the story refuses them)
        self.deep_check = DeepCheck(self)
        self.deep_check.passed.connect(self._deep_check_passed)
        self.deep_check.failed.connect(self._deep_check_failed)
        self.reloader = Reloader(self, self._swap)
        self._wrote = False  # an edit was written: the arrays are kept in the file at close
        self._cache_serial = 0  # bumped by each folded-in edit; its cache write checks it
        self._cache_jobs: set = set()
        self._patching = None  # the job folding edits into a very big file's arrays
        self._keeping = None  # (job, outcome) keeping the opened arrays in the file (``_keep_opened``)
        self._closed = False
        self._patch_context = None  # (base data, cache ticket) of that job
        self._relabel_fold = False  # actors were edited since that job began
        # Edits not yet folded into ``data``: shown through ``overlay`` (None when
        # there are none), which stands for every event edited since ``data``
        # was made (``_overlay_ids``); ``_since_fold`` those edited after the
        # running fold read its rows, still to fold once it is in.
        self.overlay: Overlay | None = None
        self._overlay_ids: set[int] = set()
        self._since_fold: set[int] = set()
        self._overlay_masks: tuple | None = None
        self._evidence = None  # (relationships, every event that is evidence for one of them)
        # above this many events that folding runs on a worker (about 30 ms per
        # million events): the window keeps answering meanwhile
        self.patch_background_events = PATCH_BACKGROUND_EVENTS
        self.data: TimelineData = data if data is not None else load_timeline_data(
            story.db, write_cache=not self.deep_check_pending)
        self.relationships = queries.relationships_in_window(story.db)
        self.generation = 0  # bumped whenever the arrays are replaced
        self._filter_cache: tuple | None = None
        # what a selection lights up: a big file's actor selection found on a worker
        self.highlights = Highlights(self)
        self.highlights.ready.connect(self.highlightReady)
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
        return cls(Story.open(path, read_only=read_only, defer_deep_check=defer_deep_check), parent)

    @classmethod
    def open_parts(cls, path, read_only: bool = False, progress=None, defer_deep_check: bool = False) -> Opened:
        """The slow half of opening (checks, arrays), safe to run on a worker thread:
        what ``from_parts`` needs on the UI thread."""
        story = Story.open(path, read_only=read_only, defer_deep_check=defer_deep_check)
        return Opened(story, load_timeline_data(story.db, progress=progress, write_cache=not story.check_pending))

    @classmethod
    def from_parts(cls, parts: Opened, parent=None) -> "Session":
        return cls(parts.story, parent, parts.data)

    def close(self) -> None:
        self._closed = True
        self.stop_keeping()
        self._keep_arrays_in_file()
        # work still under way (a fold, a reload, a search) may finish after this:
        # its results must not reach views that would read the closed file
        self.blockSignals(True)
        self.selection.blockSignals(True)
        self.story.close()

    # ---------------------------------------------------------- may it be written? (the story decides)
    @property
    def read_only(self) -> bool:
        return self.story.read_only

    @property
    def open_message(self) -> str | None:
        """Why the file is read-only (it fell back to it, was replaced, is damaged), or None."""
        return self.story.why_read_only

    def _keep_arrays_in_file(self) -> None:
        """A session that wrote to its file leaves the arrays it shows in it
        (``store/stored_arrays.py``), so a copy opens fast anywhere: once, at
        close, since the file changed anyway (opening alone never writes).
        Skipped if another program wrote meanwhile or arrays are still coming."""
        if not self._wrote or self.overlay is not None or self.patching or self.reloader.running:
            return
        self.story.keep_arrays(self.data)

    def _keep_opened_soon(self) -> None:
        """Once the window shows and the file may be written: keep the arrays
        it was opened with in it (``KEEP_OPENED_EVENTS``)."""
        QTimer.singleShot(KEEP_DELAY_MS, self, self._keep_opened)

    def _keep_opened(self) -> None:
        """Write the arrays read from the rows at open into the file, on a
        worker with its own connection, in short transactions. Skipped once
        anything was edited or the arrays replaced; the first edit stops it
        (``stop_keeping``: the edit waits for one part at most), and a write
        by another program that lands while it runs leaves the columns not
        current (``store.timeline_data.keep_opened_in_file``)."""
        data = self.data
        if (self._closed or self._keeping is not None or self.path is None or self.story.read_only or self._wrote
                or self.overlay is not None or self.patching or self.reloader.running
                or data.derived.get("loaded_from") not in OPENED_FROM_ROWS or data.n_events < KEEP_OPENED_EVENTS):
            return
        from store import progress
        from store.timeline_data import keep_opened_in_file

        from .jobs import Job

        path, outcome = self.path, {}

        def work():
            outcome.update(keep_opened_in_file(path, data, between=lambda: progress.tick(0, 0)))
            return outcome

        job = Job(work, self)
        self._keeping = (job, outcome)
        job.succeeded.connect(lambda _result: self._kept(job))
        job.failed.connect(lambda _why: self._kept(job))
        self.story.before_write = self.stop_keeping
        job.start()

    def stop_keeping(self) -> None:
        """Stop keeping the arrays in the file (before an edit or an import,
        at close): it ends after the part it is writing, whose parts are then
        dropped, so no write of its own comes after the caller's."""
        if self._keeping is not None:
            job = self._keeping[0]
            job.cancel()
            job.wait()
            self._kept(job)

    def _kept(self, job) -> None:
        """The keeping ended: its commits are this window's own, not another
        program's, when no other connection wrote meanwhile and the file is
        still as it left it."""
        if self._keeping is None or self._keeping[0] is not job:
            return  # settled already (stopped by an edit)
        outcome = self._keeping[1]
        self._keeping = None
        self.story.before_write = None
        if outcome.get("key") is not None and not outcome.get("others"):
            self.story.adopt_own_write_if(outcome["key"])

    @property
    def keeping(self) -> bool:
        """Whether the opened arrays are being kept in the file."""
        return self._keeping is not None

    # ---------------------------------------------------------- the file on disk
    def outside_change(self):
        """What another program did to the file since we last looked (None: nothing).
        While our own worker keeps the arrays in the file its commits are not
        told apart from another program's: a write is looked at once it is done."""
        change = self.story.outside_change()
        if self._keeping is not None and change == Change.WRITTEN:
            return None
        return change

    def accept_outside_change(self) -> None:
        """Reload after another program wrote; our undo history no longer applies."""
        self.undo_stack.clear()
        self.reload()
        self.story.take_identity()

    def keep_what_is_shown(self) -> None:
        """Another program wrote and the person chose not to reload: stop asking about that write."""
        self.story.take_identity()

    def adopt_own_write(self) -> None:
        """Our own worker wrote to the file (an import): not another program's change."""
        self.story.take_identity()

    def stop_writing(self, why: str) -> None:
        """The file was replaced or removed: never write to the wrong file.
        Undo and redo write too, so their history goes with it."""
        self.story.stop_writing(why)
        self.undo_stack.clear()
        self.writableChanged.emit()

    # ---------------------------------------------------------- the deep check
    @property
    def deep_check_pending(self) -> bool:
        return self.story.check_pending

    def start_deep_check(self) -> None:
        """Run the deferred page check (see ``deep_check``); the window calls this once it shows."""
        if self.path is not None and self.story.check_pending:
            self.deep_check.start(self.path, self.data)
        else:
            self._keep_opened_soon()

    def _deep_check_passed(self) -> None:
        self.story.check_passed()
        self.writableChanged.emit()
        self._keep_opened_soon()

    def _deep_check_failed(self, why: str) -> None:
        self.story.check_failed(why)
        self.undo_stack.clear()
        self.writableChanged.emit()
        self.fileDamaged.emit(why)

    def reload(self, then=None) -> None:
        """Re-read the arrays after the file changed (an edit, an import); a
        big file on a worker (see ``reloader``). ``then()`` runs once the new
        arrays are shown."""
        self.reloader.reload(then)

    def _swap(self, data: TimelineData, relationships, overlay: Overlay | None = None) -> None:
        """Show newly read arrays (with the overlay of edits not in them yet):
        one step, every view follows ``dataChanged``."""
        self.data = data
        self.relationships = relationships
        self.overlay = overlay
        self._overlay_ids = overlay.ids if overlay is not None else set()
        self._overlay_masks = None
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
        was_read_only = self.story.read_only
        why = self.story.refusal()
        if why is not None:
            if not was_read_only:  # the file was replaced or removed just now
                self.undo_stack.clear()
                self.writableChanged.emit()
            return why
        self.undo_stack.push(command)
        self._wrote = self._wrote or command.error is None
        return command.error

    def after_edit(self, command, undone: bool = False) -> None:
        """Called by every command after its transaction: refresh all views,
        keep the selection (minus what no longer exists), select what was made.
        An edit of a few events is folded into the arrays (store/timeline_patch.py):
        at once, or for a very big file shown through an overlay and folded in
        on a worker; an actor's name, kind or colour, relationships, sources
        and settings need no event read (``_refresh``); anything else, or an
        edit the patch cannot fold exactly, reads the file again."""
        then = lambda: self._select_after(command, undone)  # noqa: E731
        if not self._patch(command, then) and not self._refresh(command, then):
            self.reload(then=then)
        self.edited.emit(("Undid " if undone else "") + command.text())

    def _patch(self, command, then) -> bool:
        """Show the command's events without reading the file; False when a full
        reload must do it. A small file's arrays are patched at once; a big
        file's edit is shown through an overlay and folded in on a worker.
        Never while a reload runs: arrays arriving later would lack this edit."""
        changed = getattr(command, "changed_events", lambda: None)()
        if changed is None or self.reloader.running or self.deep_check_pending:
            return False
        if self.data.n_events > self.patch_background_events or self.overlay is not None or self._patching is not None:
            return self._show_overlay(changed, then)
        changes = read_changes(self.story.db, self.data, changed)
        if changes is None:
            return False
        relationships, ticket = self._relationships_after(changed), None
        if self.path is not None:
            ticket = cache_ticket(self.story.db)  # the file's key now, before any later edit
        data = apply_changes(self.data, changes)
        if data is None:
            return False
        self._show_patch(data, relationships, ticket)
        then()
        return True

    def _refresh(self, command, then) -> bool:
        """An edit that changed no event (``command.reach``): an actor's name,
        kind or colour relabel the same arrays; relationships are read again
        alone; sources, settings and saved views leave the views' data as it
        is. False when the file must be read again."""
        reach = getattr(command, "reach", "file")
        if reach not in ("actors", "relationships", "nothing") or self.reloader.running or self.deep_check_pending:
            return False
        if reach == "actors":
            data = relabel_actors(self.story.db, self.data)
            if data is None:
                return False
            relationships = self.relationships
            if not np.array_equal(data.actor_ids, self.data.actor_ids):
                # an actor deleted takes its relationships along (its undo brings them back)
                relationships = queries.relationships_in_window(self.story.db)
            if self.overlay is None and self._patching is None:
                ticket = cache_ticket(self.story.db) if self.path is not None else None
                self._show_patch(data, relationships, ticket)
            elif not self._rebase(data, relationships):
                return False
        else:
            relationships = queries.relationships_in_window(self.story.db) if reach == "relationships" else self.relationships
            self._swap(self.data, relationships, self.overlay)
        then()
        return True

    def _rebase(self, data: TimelineData, relationships) -> bool:
        """Show ``data`` (the arrays as they are, with the actors as the file
        holds them now) under the edits not folded in yet: their overlay is
        made again over it, and the fold under way is given the same actors
        when it lands. False when the overlay cannot be drawn over it."""
        overlay = None
        if self.overlay is not None:
            changes = read_changes(self.story.db, data, self._overlay_ids)
            overlay = None if changes is None else overlay_of(data, changes)
            if overlay is None:
                return False
        if self._patching is not None:
            # not cached when it lands: the file has moved on since the fold read it
            self._patch_context, self._relabel_fold = (data, None), True
        self._swap(data, relationships, overlay)
        return True

    def _show_overlay(self, changed, then) -> bool:
        """Show every edit since ``data`` was made through one overlay over it
        (the rows of the few events edited, read again: exact whatever order
        the edits came in), and fold them in on a worker."""
        ids = self._overlay_ids | {int(e) for e in changed}
        changes = read_changes(self.story.db, self.data, ids)
        overlay = None if changes is None else overlay_of(self.data, changes)
        if overlay is None:
            return False
        self.relationships = self._relationships_after(changed)
        self.overlay, self._overlay_ids, self._overlay_masks = overlay, ids, None
        if self._patching is not None:
            self._since_fold.update(int(e) for e in changed)
        else:
            self._fold(changes)
        self.overlayChanged.emit()
        then()
        return True

    def _fold(self, changes) -> None:
        """Fold ``changes`` (read against ``data`` just now) into new arrays on a worker."""
        from .jobs import Job

        base = self.data
        ticket = cache_ticket(self.story.db) if self.path is not None else None  # the file's key now
        job = Job(lambda: apply_changes(base, changes), self)
        job.succeeded.connect(self._patch_arrived)  # a method of this QObject: called on its thread
        job.failed.connect(self._patch_failed)
        self._patching, self._patch_context, self._since_fold = job, (base, ticket), set()
        self._relabel_fold = False
        QTimer.singleShot(FOLD_DELAY_MS, self, job.start)

    def _relationships_after(self, changed) -> list:
        """The stated relationships after an edit of events ``changed``: read
        again only when one of them is (or was) a relationship's evidence;
        reading them all held the UI thread for 90 ms at 1M events."""
        touched = {int(e) for e in changed}
        if self._evidence is None or self._evidence[0] is not self.relationships:
            self._evidence = (self.relationships, {e for r in self.relationships for e in r.event_ids})
        if touched & self._evidence[1] or queries.is_evidence(self.story.db, touched):
            return queries.relationships_in_window(self.story.db)
        return self.relationships

    def _patch_failed(self, _why: str) -> None:
        self._patch_arrived(None)

    def _patch_arrived(self, data) -> None:
        """Folded arrays from the worker replace the base and its overlay in one
        step; edits made while it folded are shown through an overlay over
        them and folded in next. When the fold could not be made, or its base
        was replaced meanwhile, the file is read."""
        base, ticket = self._patch_context
        later, self._since_fold = self._since_fold, set()
        relabel, self._relabel_fold = self._relabel_fold, False
        self._patching = self._patch_context = None
        if self._closed:
            return  # the window was closed while it folded: the file is no longer open
        if self.data is not base or self.reloader.running:
            return  # a reload replaced the base: it has every edit
        if data is not None and relabel:
            data = relabel_actors(self.story.db, data)  # actors edited while it folded
        if data is None:
            self.reload()
            return
        if not later:
            self._show_patch(data, self.relationships, ticket)
            return
        changes = read_changes(self.story.db, data, later)
        overlay = None if changes is None else overlay_of(data, changes)
        if overlay is None:
            self._swap(data, self.relationships)
            self.reload()
            return
        self._swap(data, self.relationships, overlay)  # not cached: the file has moved on since the fold read it
        self._fold(changes)

    @property
    def patching(self) -> bool:
        """Edits are shown through an overlay, still being folded into the arrays."""
        return self._patching is not None

    def _show_patch(self, data: TimelineData, relationships, ticket) -> None:
        """Show arrays with every edit folded in; the cache is written from these
        alone (never from an overlay), for the key the file had when they were read."""
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
        touched = [e for e in getattr(command, "select_events", ()) if self.has_event(e)]
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
        events = {e for e in sel.selected_events if self.has_event(e)}
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
        self.highlights.drop()
        self._overlay_masks = None

    # ---------------------------------------------------------- lookups
    @property
    def title(self) -> str:
        return self.story.title

    def actor_event_counts(self) -> np.ndarray:
        """Events per actor index, edits not yet folded in included."""
        counts = timeline_summary.actor_events(self.data)
        return counts if self.overlay is None else self.overlay.actor_events(counts)

    def overview_counts(self) -> np.ndarray:
        """The overview strip's counts, edits not yet folded in included."""
        counts = timeline_summary.overview(self.data)
        return counts if self.overlay is None else self.overlay.overview(counts)

    def actor_index(self, actor_id: int) -> int | None:
        hits = np.flatnonzero(self.data.actor_ids == actor_id)
        return int(hits[0]) if len(hits) else None

    def event_index(self, event_id: int) -> int | None:
        """The event's index in ``data``; None when it is not there, or when an
        edit not yet folded in moved or deleted it (see ``has_event``)."""
        if event_id in self._overlay_ids:
            return None
        idx = self.data.index_of_ids([event_id])
        return int(idx[0]) if len(idx) else None

    def has_event(self, event_id: int) -> bool:
        """Whether the event exists, edits not yet folded in included."""
        if event_id in self._overlay_ids:
            return bool(len(self.overlay.extra.index_of_ids([event_id])))
        return bool(len(self.data.index_of_ids([event_id])))

    def event_bounds(self, event_ids) -> tuple[np.ndarray, np.ndarray]:
        """(earliest, latest) bounds in seconds of those events that exist, as
        the views show them (edits not yet folded in included)."""
        ids = [int(e) for e in event_ids]
        data, extra = self.data, self.overlay.extra if self.overlay is not None else None
        idx = data.index_of_ids([e for e in ids if e not in self._overlay_ids])
        starts, ends = [data.start(idx)], [data.end(idx)]
        if extra is not None:
            mine = extra.index_of_ids([e for e in ids if e in self._overlay_ids])
            starts.append(extra.start(mine))
            ends.append(extra.end(mine))
        return np.concatenate(starts), np.concatenate(ends)

    # ---------------------------------------------------------- reads for the views and dialogs
    # Views get data only here (tests/test_layers.py): they call no store
    # function that takes the database. The story (store/story.py) answers.
    def titles(self, event_ids) -> dict[int, str]:
        return self.story.titles(event_ids)

    def event_detail(self, event_id: int):
        return self.story.event_detail(event_id)

    def actor_countries(self) -> dict[int, str]:
        return self.story.actor_countries()

    def saved_actor_groups(self) -> dict[str, list[int]]:
        return self.story.saved_actor_groups()

    def actor(self, actor_id: int):
        return self.story.actor(actor_id)

    def event_summaries(self, event_ids) -> dict:
        return self.story.event_summaries(event_ids)

    def tooltip(self, event_id: int) -> str:
        """Title, dates as written and actors of an event, safe as a Qt tooltip."""
        tip = self.story.event_summaries([event_id]).get(event_id)
        if tip is None:
            return ""
        title, start, end, names = tip
        when = f"{start} to {end}" if end else start
        return as_rich_plain(f"{title}\n{when}\n{', '.join(names) or '(no actor)'}")

    def story_properties(self) -> tuple[str | None, str | None]:
        return self.story.story_properties()

    def actors(self) -> list:
        return self.story.actors()

    def sources(self) -> list:
        return self.story.sources()

    def source(self, source_id: int):
        return self.story.source(source_id)

    def event_types(self) -> list[str]:
        return self.story.event_types()

    def relationship_types(self) -> list[str]:
        return self.story.relationship_types()

    def events_in_window(self, window=(None, None), limit: int | None = None) -> list:
        return self.story.events_in_window(window, limit)

    def event_table_rows(self, event_ids) -> dict[int, tuple]:
        return self.story.event_table_rows(event_ids)

    def event_column_values(self, column: str, event_ids) -> dict:
        return self.story.event_column_values(column, event_ids)

    def documents(self) -> list:
        return self.story.documents()

    def document(self, doc_id: int):
        return self.story.document(doc_id)

    def quotes_in(self, doc_id: int):
        return self.story.quotes_in(doc_id)

    def quote_offsets(self, event_id: int) -> dict:
        return self.story.quote_offsets(event_id)

    def events_with_broken_quotes(self) -> set[int]:
        return self.story.events_with_broken_quotes()

    def known_actors(self) -> list:
        return self.story.known_actors()

    def saved_view_names(self) -> list[str]:
        return self.story.saved_view_names()

    def saved_view(self, name: str) -> dict:
        return self.story.saved_view(name)

    def saved_mappings(self) -> dict:
        return self.story.saved_mappings()

    def figure_data(self, window, **options):
        return self.story.figure_data(window, **options)

    def save_copy(self, path) -> None:
        self.story.save_copy(path)

    def export(self, fmt: str, path, window=(None, None)) -> None:
        self.story.export(fmt, path, window)

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

    def reveal_events_after(self, last_id: int) -> None:
        """Bring the events with ids above ``last_id`` (what an import added)
        into view: now, or when the arrays that hold them arrive."""
        def reveal() -> bool:
            ids = self.data.event_ids[self.data.event_ids > last_id]
            if len(ids):
                self.recordsTouched.emit(ids.tolist())
            return bool(len(ids))

        if not reveal():
            def once():
                self.dataChanged.disconnect(once)
                reveal()

            self.dataChanged.connect(once)

    def search_event_ids(self) -> np.ndarray:
        """Ids of the events the search box finds, now: a big file's search,
        still on its worker, is done here (for a one-off such as a figure)."""
        text = self.selection.search
        mask = self.searches.mask(text)
        if mask is None:
            mask = search_mask(self.story.db, self.data, text)
        return self.data.event_ids[mask]

    def highlight_mask(self, wait: bool = True) -> np.ndarray | None:
        """Events the selection lights up; None when nothing is selected. In a
        big file an actor selection is looked up on a worker: without ``wait``
        this gives None meanwhile (``highlight_pending``), and ``highlightReady``
        says when it is in. A frame drawn meanwhile lights nothing, never the
        previous selection."""
        return self.highlights.mask(wait)

    @property
    def highlight_pending(self) -> bool:
        return self.highlights.pending

    def overlay_masks(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(filter, highlight) over the overlay's events, as ``filter_mask`` and
        ``highlight_mask`` are over ``data``'s (None: nothing filters, nothing
        lit). A search counts an edited event as found when it was found before
        the edit; an added one, once the edit is folded in."""
        extra = self.overlay.extra
        sel = self.selection
        key = (sel.search, sel.actor_filter, sel.selected_events, sel.selected_actors, sel.selected_edge,
               sel.time_window, id(self.overlay))
        if self._overlay_masks is not None and self._overlay_masks[0] == key:
            return self._overlay_masks[1]
        filt = None
        base_filter = self.filter_mask() if sel.search else None
        if base_filter is not None:
            filt = np.zeros(extra.n_events, bool)
            idx, found = self.data._lookup_ids(extra.event_ids.astype(np.int64))
            filt[found] = base_filter[idx[found]]
        if sel.actor_filter is not None:
            idx = [i for i in (self.actor_index(a) for a in sel.actor_filter) if i is not None]
            mask = network.events_with_actors(extra, idx) if idx else np.zeros(extra.n_events, bool)
            filt = mask if filt is None else filt & mask
        hot = None
        if sel.selected_events:
            hot = np.isin(extra.event_ids, np.fromiter(sel.selected_events, np.int64, len(sel.selected_events)))
        elif sel.selected_actors:
            idx = [i for i in (self.actor_index(a) for a in sel.selected_actors) if i is not None]
            hot = network.events_with_actors(extra, idx)
        elif sel.selected_edge is not None:
            edge = sel.selected_edge
            if edge.kind == "rel":
                rel = self.relationship(edge.relationship_id)
                hot = np.isin(extra.event_ids, np.asarray(rel.event_ids if rel else (), np.int64))
            else:
                a, b = self.actor_index(edge.a), self.actor_index(edge.b)
                hot = np.zeros(extra.n_events, bool)
                if a is not None and b is not None:
                    window = sel.time_window
                    wmask = network.window_mask(extra, window) if window else None
                    hot[network.events_of_pair(extra, a, b, wmask)] = True
        self._overlay_masks = (key, (filt, hot))
        return filt, hot

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
