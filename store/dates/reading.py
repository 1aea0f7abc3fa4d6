"""What a date was read as, said next to the date as written.

"last Friday" stored against an article of 6 May 2025 means 2 May 2025,
and "c. 2016" means 2015 to 2017; nobody can check either from the words
alone, so every place that shows such a date shows the reading beside it:
"last Friday (2 May 2025, read against 6 May 2025)"; so is "05/04/2025"
(4 May 2025, month first), which reads both ways. Plain dates ("May 2025",
"2025-05-02") say what they mean and are shown as written.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .seconds import MONTH_NAMES, datetime_from_seconds, seconds_from_datetime


def _at(seconds: int, precision: str) -> str:
    dt = datetime_from_seconds(seconds)
    if precision == "year":
        return f"{dt.year}"
    if precision == "month":
        return f"{MONTH_NAMES[dt.month]} {dt.year}"
    text = f"{dt.day} {MONTH_NAMES[dt.month]} {dt.year}"
    return f"{text} {dt.hour:02d}:{dt.minute:02d} UTC" if precision == "minute" else text


def _span(fd) -> str:
    first = _at(fd.earliest, fd.precision)
    last = _at(fd.latest, fd.precision)
    return first if first == last else f"{first} to {last}"


def _reference_text(reference) -> str:
    from . import parse_date

    if isinstance(reference, str):
        reference = datetime_from_seconds(parse_date(reference).earliest)
    if isinstance(reference, datetime):
        reference = reference.date()
    if isinstance(reference, date):
        return _at(seconds_from_datetime(datetime(reference.year, reference.month, reference.day)), "day")
    return str(reference)


def reading(text: str | None, reference=None) -> str | None:
    """What ``text`` was read as, when the words alone do not say it: the
    day(s) a relative date resolved to and against what, the span an
    approximate date covers, or the day a numeric date that reads both ways
    was taken for. None for plain dates and unreadable text."""
    from . import DateError, parse_date

    if not text:
        return None
    try:
        fd = parse_date(text, reference=_as_day(reference))
    except (DateError, ValueError):
        return None
    relative = False
    if reference is not None:
        try:
            parse_date(text)
        except DateError:
            relative = True
    if relative:
        return f"{_span(fd)}, read against {_reference_text(reference)}"
    if fd.approximate:
        return _span(fd)
    return month_first(text)


def as_read(text: str | None, reference=None) -> str:
    """The date as written, followed by its reading when it needs one:
    "last Friday (2 May 2025, read against 6 May 2025)"."""
    if not text:
        return text or ""
    read = reading(text, reference)
    return f"{text} ({read})" if read else text


def _as_day(reference):
    from . import parse_date

    if isinstance(reference, str):
        return datetime_from_seconds(parse_date(reference).earliest)
    return reference


# "05/04/2025", "5-4-25": two small numbers that could each be the month
_NUMERIC_DAY = re.compile(r"^\s*(\d{1,2})([/-])(\d{1,2})\2(\d{2}|\d{4})\b")


def month_first(text: str | None) -> str | None:
    """For a numeric date that reads both ways ("05/04/2025"), what it was
    read as: "4 May 2025, month first" (the rule of parse_date); None for
    any other text. Shown beside the date, so the reading is never silent."""
    from . import DateError, parse_date

    found = _NUMERIC_DAY.match(text or "")
    if found is None:
        return None
    first, second = int(found.group(1)), int(found.group(3))
    if first == second or not (1 <= first <= 12 and 1 <= second <= 12):
        return None
    try:
        fd = parse_date(found.group(0).strip())
    except (DateError, ValueError):
        return None
    return f"{_at(fd.earliest, 'day')}, month first"

