"""An open story file: its connection and everything that decides whether it may be written.

One ``Story`` per open file owns what used to travel beside a bare
connection: the ``sqlite_utils.Database``, the writer lock
(store/writer_lock.py), whether the file is read-only and why (one line for
a person), whether its page-by-page check (store/file_checks.py) is still
to run, which file on disk it is (store/filewatch.py) and the key a cache
of its arrays is filed under (store/cache.py). It knows nothing of Qt: the
window's ``Session`` (gui/session.py) wraps one, and so can a script.

Every change goes through ``with story.write("what") as db:``: it refuses,
with the true reason, while the file may not be written, and is otherwise
one transaction of the write path (store/writing.py), which keeps the
full-text index and the cache key right.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from . import documents, queries, views
from .cache import cache_key, file_key
from .database import StoreError, close_database, memory_database, open_for_session
from .filewatch import Change, FileIdentity, changed_since, check_same_file
from .records import get_meta
from .timeline_data import keep_in_file
from .writing import write

CHECKING = "Threadline is still checking"


class Story:
    """One open file. Make it with ``Story.open`` (or ``Story.memory``); ``close`` when done."""

    def __init__(self, db: Database, path: str | os.PathLike | None = None, *, read_only: bool = False,
                 why_read_only: str | None = None):
        self.db = db
        self.path = Path(path) if path else None
        # a big file's page check, still to run: nothing is written until it passes
        self.check_pending = bool(getattr(db, "threadline_deep_check_pending", False))
        self._read_only = read_only
        self.why_read_only = why_read_only  # one line for a person, or None
        self.identity = FileIdentity.of(self.path, db) if self.path else None
        # called before each write: a worker writing to the file on a
        # connection of its own (the window keeping its arrays in it) stops first
        self.before_write = None

    @classmethod
    def open(cls, path: str | os.PathLike, read_only: bool = False, defer_deep_check: bool = False) -> "Story":
        """Open ``path`` checked (store/database.py): writable with the writer
        lock, or read-only with the reason why (another Threadline has it
        open, the disk or folder cannot be written). With ``defer_deep_check``
        a big file's page check is left to run later (``check_pending``)."""
        db, read_only_now, why = open_for_session(path, read_only=read_only, defer_deep_check=defer_deep_check)
        return cls(db, path, read_only=read_only_now, why_read_only=why)

    @classmethod
    def memory(cls) -> "Story":
        """An empty story in memory (tests, previews)."""
        return cls(memory_database())

    def close(self) -> None:
        """Close the connection and let go of the writer lock."""
        close_database(self.db)

    # ---------------------------------------------------------- may it be written?
    @property
    def read_only(self) -> bool:
        """Nothing may be written now: opened so, or the check has not passed, or writing was stopped."""
        return self._read_only or self.check_pending

    @property
    def lock(self):
        """The writer lock held for this file (None when read-only or in memory)."""
        return getattr(self.db, "threadline_lock", None)

    @property
    def check_level(self) -> str:
        """The page check the file had ("quick" or "integrity"), or will have when pending."""
        return getattr(self.db, "threadline_check_level", "quick")

    def refusal(self) -> str | None:
        """Why nothing can be written now, in one line for a person; None when it can.
        A file replaced or removed on disk stops writing here (``stop_writing``)."""
        if self.check_pending:
            name = self.path.name if self.path else "the file"
            return f"{CHECKING} {name} for damage; editing turns on when that is done (a few seconds)."
        if self._read_only:
            return "This file is open read-only: nothing can be changed." + (
                f" ({self.why_read_only})" if self.why_read_only else "")
        if self.identity is not None:
            try:
                check_same_file(self.db, self.path, self.identity)
            except StoreError as exc:
                self.stop_writing(str(exc))
                return str(exc)
        return None

    @contextmanager
    def write(self, what: str = "change", *, bulk: bool = False) -> Iterator[Database]:
        """One transaction of the write path, refused (StoreError, the same
        words as ``refusal``) while the file may not be written."""
        why = self.refusal()
        if why is not None:
            raise StoreError(why)
        if self.before_write is not None:
            self.before_write()
        with write(self.db, what, bulk=bulk) as db:
            yield db

    def stop_writing(self, why: str) -> None:
        """Never write again in this open (the file was replaced, removed, found damaged)."""
        self._read_only = True
        self.why_read_only = why

    def check_passed(self) -> None:
        """The deferred page check found nothing wrong: writable, unless opened read-only."""
        self.check_pending = False

    def check_failed(self, why: str) -> None:
        self.check_pending = False
        self.stop_writing(f"{why}. Editing is off; what is shown may be incomplete")

    # ---------------------------------------------------------- the file on disk
    def outside_change(self) -> Change | None:
        """What another program did to the file since we last looked (None: nothing)."""
        return changed_since(self.identity, self.db) if self.identity else None

    def keep_arrays(self, data) -> None:
        """Leave ``data`` (the arrays a window shows) in the file
        (store/stored_arrays.py), so a copy opens fast anywhere; only if no
        other program wrote since we last looked. A speed-up for the next
        open only: a failure leaves the file as it was."""
        if self.read_only or self.identity is None:
            return
        try:
            keep_in_file(self.db, data, self.identity.data_version)
        except StoreError:
            pass

    def take_identity(self) -> None:
        """The file as it is now is ours: after a reload, after our own worker
        wrote to it (an import), or when a person chose to keep what is shown."""
        if self.path is not None:
            self.identity = FileIdentity.of(self.path, self.db)

    def adopt_own_write_if(self, key: dict) -> None:
        """Our own worker wrote the file and ``key`` (``cache.file_key``) is
        how it left it: if the file is still so, its writes are ours, not
        another program's (``take_identity``)."""
        if self.path is not None and file_key(self.path) == key:
            self.take_identity()

    def cache_key(self) -> dict | None:
        """The key a cache of this file's arrays is filed under now (None: no caching)."""
        return cache_key(self.db, self.path) if self.path else None

    # ---------------------------------------------------------- typed reads
    # What the window and the exports ask of an open story (store/queries.py
    # and friends, on this story's connection); the Session passes them on.
    @property
    def title(self) -> str:
        return get_meta(self.db, "title") or (self.path.stem if self.path else "Threadline")

    def titles(self, event_ids) -> dict[int, str]:
        return queries.event_titles(self.db, event_ids)

    def event_detail(self, event_id: int) -> queries.EventDetail | None:
        return queries.event_detail(self.db, event_id)

    def actor_countries(self) -> dict[int, str]:
        return queries.actor_countries(self.db)

    def saved_actor_groups(self) -> dict[str, list[int]]:
        return views.actor_groups(self.db)

    def actor(self, actor_id: int) -> queries.ActorRow | None:
        return queries.get_actor(self.db, actor_id)

    def event_summaries(self, event_ids) -> dict:
        """(title, start, end, actor names) of a few events, by id."""
        return queries.event_tooltips(self.db, event_ids)

    def story_properties(self) -> tuple[str | None, str | None]:
        """The story's own title and description (None when not set)."""
        return get_meta(self.db, "title"), get_meta(self.db, "description")

    def actors(self) -> list[queries.ActorRow]:
        return queries.list_actors(self.db)

    def sources(self) -> list[queries.SourceRow]:
        return queries.list_sources(self.db)

    def source(self, source_id: int) -> queries.SourceRow | None:
        return queries.get_source(self.db, source_id)

    def event_types(self) -> list[str]:
        return queries.event_types(self.db)

    def relationship_types(self) -> list[str]:
        return queries.relationship_types(self.db)

    def events_in_window(self, window=(None, None), limit: int | None = None) -> list[queries.EventRow]:
        return queries.events_in_window(self.db, window, limit=limit)

    def event_table_rows(self, event_ids) -> dict[int, tuple]:
        return queries.event_table_rows(self.db, event_ids)

    def event_column_values(self, column: str, event_ids) -> dict:
        return queries.event_column_values(self.db, column, event_ids)

    def documents(self) -> list[documents.Document]:
        return documents.list_documents(self.db)

    def document(self, doc_id: int) -> documents.Document:
        return documents.get_document(self.db, doc_id)

    def quotes_in(self, doc_id: int) -> list[documents.QuoteRef]:
        """The quotes cited from a document, each checked against its text."""
        return documents.quotes_in(self.db, doc_id)

    def quote_offsets(self, event_id: int) -> dict:
        """Where each of an event's quotes lies in its document, and whether it still reads the same."""
        return documents.quote_offsets(self.db, event_id)

    def events_with_broken_quotes(self) -> set[int]:
        return documents.broken_event_ids(self.db)

    def known_actors(self) -> list:
        """The actors as the document reader looks for them in a text."""
        from store.suggest import known_actors

        return known_actors(self.db)

    def saved_view_names(self) -> list[str]:
        return views.list_views(self.db)

    def saved_view(self, name: str) -> dict:
        return views.load_view(self.db, name)

    def saved_mappings(self) -> dict:
        """The CSV column mappings kept in the file: name -> a function giving the mapping."""
        from store.importers.mapped_csv import load_mapping, saved_mappings

        db = self.db
        return {name: (lambda n=name: load_mapping(db, n)) for name in saved_mappings(db)}

    def figure_data(self, window, **options):
        """What a figure of ``window`` shows (store/figure_data.py)."""
        from store.figure_data import figure_data

        return figure_data(self.db, window, path=self.path, **options)

    def save_copy(self, path) -> None:
        """A consistent copy of the open file at ``path`` (store/backup.py)."""
        from store.backup import save_copy

        save_copy(self.db, path)

    def export(self, fmt: str, path, window=(None, None)) -> None:
        """An export of the open file (store/exporting.py)."""
        from store.exporting import export_path

        export_path(self.db, fmt, path, window=window)
