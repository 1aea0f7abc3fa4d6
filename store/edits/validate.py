"""Checking the values an edit is given, before its first write.

Errors are ``RecordError`` with a message naming the field and the value;
a field name the record does not have is a programming error (TypeError).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from ..records import RecordError
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
