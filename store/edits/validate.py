"""Checking the values a record is given, before the first write.

The one set of checks for adding a record (store/records.py) and for
changing it (the rest of this package): the same value gets the same
answer from both. Errors are ``RecordError`` with a message naming the
field and the value; a field name the record does not have is a
programming error (TypeError).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from ..records import Citation, Participation, RecordError
from ..schema import ROLES
from .rows import exists


def check_field_names(fields: dict, allowed: tuple[str, ...], what: str) -> None:
    # A wrong name is a programming error, not a person's typo: TypeError.
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"{what} has no field {', '.join(unknown)} (it has {', '.join(allowed)})")


def require_ids(db: Database, table: str, ids: Iterable[int], field: str, what: str) -> None:
    for record_id in ids:
        if not exists(db, table, record_id):
            raise RecordError(f"{field}: there is no {what} with id {record_id}")


def check_text(value, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise RecordError(f"{field} must be text, not {value!r}")
    return value


def check_required(value, field: str, message: str) -> str:
    if value is not None and not isinstance(value, str):
        raise RecordError(f"{field} must be text, not {value!r}")
    if not (value or "").strip():
        raise RecordError(message)
    return value.strip()


def check_choice(value, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise RecordError(f"{field} must be one of {', '.join(choices)}, not '{value}'")
    return value


def check_id(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{field} must be a record id, not {value!r}")
    return value


def check_no_repeats(ids: list[int], field: str, what: str) -> None:
    seen: set[int] = set()
    for record_id in ids:
        if record_id in seen:
            raise RecordError(f"{field}: {what} {record_id} is listed twice")
        seen.add(record_id)


def same_optional(value, stored) -> bool:
    # An empty text and NULL mean the same for an optional date.
    return (value or None) == (stored or None)


def check_start(value) -> str:
    """An event's start date as written: text, not empty (what it says is read later)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RecordError("start: an event needs a start date")
    return check_text(value, "start")


def participations(db: Database, items) -> list[Participation]:
    """An event's actors: known actors in roles the schema knows, each
    (actor, role) once; one actor may hold two roles (GDELT's Actor1 = Actor2)."""
    parts = [p if isinstance(p, Participation) else Participation(*p) for p in items]
    seen: set[Participation] = set()
    for p in parts:
        check_id(p.actor_id, "actors")
        check_choice(p.role, ROLES, "role")
        if p in seen:
            raise RecordError(f"actors: actor {p.actor_id} is listed twice")
        seen.add(p)
    require_ids(db, "actors", dict.fromkeys(p.actor_id for p in parts), "actors", "actor")
    return parts


def citations(db: Database, items) -> list[Citation]:
    """An event's sources: known sources, each once, a quote as text."""
    cites = [c if isinstance(c, Citation) else Citation(*c) for c in items]
    for c in cites:
        check_id(c.source_id, "sources")
        check_text(c.quote, "quote")
    ids = [c.source_id for c in cites]
    check_no_repeats(ids, "sources", "source")
    require_ids(db, "sources", ids, "sources", "source")
    return cites


def relationship_ends(db: Database, ends: dict) -> None:
    """``{"from_actor_id": id, "to_actor_id": id}`` (either or both): known actors."""
    for field, actor_id in ends.items():
        require_ids(db, "actors", [check_id(actor_id, field)], field, "actor")


def evidence(db: Database, items) -> list[int]:
    """A relationship's events: known events, each once."""
    events = [check_id(e, "events") for e in items]
    check_no_repeats(events, "events", "event")
    require_ids(db, "events", events, "events", "event")
    return events
