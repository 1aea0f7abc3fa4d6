"""Relative words: "today", "yesterday", "tomorrow" and weekdays.

They are read against a reference day (see the rules in store.dates);
without one they are refused rather than read against today.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .dateutil_fields import DATEUTIL_INFO
from .errors import DateError, not_representable, where_in_text
from .seconds import datetime_from_seconds, seconds_from_datetime

_RELATIVE = re.compile(r"(?:on\s+)?(?:(last|next)\s+)?([a-z]+)\.?", re.IGNORECASE)
_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _relative_offset(qualifier: str | None, weekday: int, reference: date) -> int:
    """Days from reference to the weekday meant (see the store.dates docstring)."""
    if qualifier == "last":
        return -((reference.weekday() - weekday - 1) % 7 + 1)
    if qualifier == "next":
        return (weekday - reference.weekday() - 1) % 7 + 1
    return -((reference.weekday() - weekday) % 7)


def relative_day(part: str, reference: date | None, whole: str) -> date | None:
    """The day a relative word means, or None when part is not one."""
    match = _RELATIVE.fullmatch(part)
    if match is None:
        return None
    qualifier, word = match.group(1), match.group(2).lower()
    weekday = DATEUTIL_INFO.weekday(word)
    if not (weekday is not None or (qualifier is None and word in _DAY_WORDS)):
        return None
    if reference is None:
        raise DateError(f"a reference date is needed to understand {where_in_text(part, whole)}")
    offset = _DAY_WORDS[word] if weekday is None else _relative_offset(qualifier, weekday, reference)
    try:
        return reference + timedelta(days=offset)
    except OverflowError:
        raise not_representable(part, whole) from None


def reference_day(reference: date | datetime | None) -> date | None:
    if reference is None:
        return None
    if isinstance(reference, datetime):
        if reference.utcoffset() is not None:
            reference = datetime_from_seconds(seconds_from_datetime(reference))
        return reference.date()
    if isinstance(reference, date):
        return reference
    raise TypeError(f"reference must be a date or datetime, not {type(reference).__name__}")
