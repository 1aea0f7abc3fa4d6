"""Changing and deleting records so that every change can be undone.

The window wraps each edit in an undo command whose redo and undo call one
function here, and each function is one transaction: the file on disk is
always complete and current, and there is nothing to "save".

* ``update_*`` change some fields and return ``{field: old value}`` for
  exactly the fields given, so undo is ``update_*(db, id, **old)``.
* ``delete_*`` return a snapshot holding everything needed to put the
  record back: its row and every join row that goes with it.
* ``restore_*`` put a snapshot back with the *same* ids, so later commands
  that name those ids stay valid.

Everything is validated before the first write, and errors are
``RecordError`` with a message naming the field and the value. Each
function is one ``store.writing.write``, which keeps the full-text index
and the cache key right: the functions only say which rows change.

This package only gathers the public API; the code is split by record kind
(events.py, actors.py, relationships.py, sources.py, citations.py) over the
shared snapshots.py, rows.py (SQL plumbing) and validate.py (value checks).
"""

from __future__ import annotations

from .actors import (
    ACTOR_FIELDS,
    delete_actor,
    restore_actor,
    snapshot_actor,
    update_actor,
)
from .citations import MISSING, remove_citation, restore_citation, set_citation
from .events import (
    EVENT_FIELDS,
    delete_event,
    move_event,
    restore_event,
    snapshot_event,
    update_event,
)
from .imports import ImportedRows, import_marks, restore_import, take_import
from .relationships import (
    RELATIONSHIP_FIELDS,
    delete_relationship,
    restore_relationship,
    snapshot_relationship,
    update_relationship,
)
from .rows import Row, fetch_row, fetch_rows
from .snapshots import (
    ActorSnapshot,
    EventSnapshot,
    RelationshipSnapshot,
    SourceSnapshot,
)
from .sources import (
    SOURCE_FIELDS,
    delete_source,
    restore_source,
    snapshot_source,
    update_source,
)

__all__ = [
    "ACTOR_FIELDS",
    "EVENT_FIELDS",
    "MISSING",
    "RELATIONSHIP_FIELDS",
    "SOURCE_FIELDS",
    "ActorSnapshot",
    "EventSnapshot",
    "ImportedRows",
    "RelationshipSnapshot",
    "Row",
    "SourceSnapshot",
    "delete_actor",
    "delete_event",
    "delete_relationship",
    "delete_source",
    "fetch_row",
    "fetch_rows",
    "import_marks",
    "move_event",
    "remove_citation",
    "restore_actor",
    "restore_citation",
    "restore_event",
    "restore_import",
    "restore_relationship",
    "restore_source",
    "set_citation",
    "snapshot_actor",
    "snapshot_event",
    "snapshot_relationship",
    "snapshot_source",
    "take_import",
    "update_actor",
    "update_event",
    "update_relationship",
    "update_source",
]
