"""Making an event cite a source, with an optional quote, and undoing it.

A citation has no id of its own, so the undo token is its previous state:
the old quote, or ``MISSING`` when the event did not cite the source.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..records import RecordError
from ..writing import write
from .rows import fetch_row
from .validate import check_text


class _Missing:
    """What ``set_citation`` returns when the event did not cite the source."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self):  # stays the one instance through pickling/copying
        return (_Missing, ())


MISSING = _Missing()


def _citation(db: Database, event_id: int, source_id: int):
    row = db.execute(
        "SELECT quote FROM event_sources WHERE event_id = ? AND source_id = ?", [event_id, source_id]
    ).fetchone()
    return MISSING if row is None else row[0]


def set_citation(db: Database, event_id: int, source_id: int, quote: str | None) -> str | None | _Missing:
    """Make the event cite the source with ``quote`` (added or replaced).

    Returns the previous state for undo: the old quote, or MISSING when the
    event did not cite the source (undo with ``restore_citation``).
    """
    check_text(quote, "quote")
    with write(db, "set citation"):
        fetch_row(db, "events", event_id, "event")
        fetch_row(db, "sources", source_id, "source")
        previous = _citation(db, event_id, source_id)
        if previous is MISSING:
            db.execute("INSERT INTO event_sources (event_id, source_id, quote) VALUES (?, ?, ?)", [event_id, source_id, quote])
        else:
            db.execute("UPDATE event_sources SET quote = ? WHERE event_id = ? AND source_id = ?", [quote, event_id, source_id])
    return previous


def remove_citation(db: Database, event_id: int, source_id: int) -> str | None:
    """Stop the event citing the source; returns the quote it had."""
    with write(db, "remove citation"):
        previous = _citation(db, event_id, source_id)
        if previous is MISSING:
            raise RecordError(f"event {event_id} does not cite source {source_id}")
        db.execute("DELETE FROM event_sources WHERE event_id = ? AND source_id = ?", [event_id, source_id])
    return previous


def restore_citation(db: Database, event_id: int, source_id: int, previous: str | None | _Missing) -> None:
    """Undo of set_citation or remove_citation: put ``previous`` back."""
    if previous is MISSING:
        remove_citation(db, event_id, source_id)
    else:
        set_citation(db, event_id, source_id, previous)
