"""Finding and reading the two ends of a range.

Words and dashes that only ever mean a range ("to", "between ... and", an
en dash) are split on directly; an unspaced "-" or "/" is tried at every
place it could separate two dates, and counts only when exactly one split
reads cleanly.  The first end may borrow the year and month it leaves out
from the second.
"""

from __future__ import annotations

import re
from dataclasses import replace as _replace
from datetime import date

from .dateutil_fields import MAX_OFFSET_MINUTES, DateFields
from .errors import DateError, not_understood
from .one_end import ResolvedEnd, read_part, resolve_fields, strip_approx

_BETWEEN = re.compile(r"between\s+(.+?)\s+and\s+(.+)", re.IGNORECASE)
_EXPLICIT_SEPARATOR = re.compile(r"\s+(?:to|until|till)\s+|\s*[\u2013\u2014]\s*|\s+-\s+", re.IGNORECASE)
_FROM = re.compile(r"^from\s+", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"(?<!\d)\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?\s*$")
_BARE_NUMBER = re.compile(r"\d+")
_OFFSET_AFTER = re.compile(r"(\d{1,2}):?(\d{2})?\s*(?:\(\w+\))?\s*")


def _borrow(left: DateFields, right: DateFields) -> DateFields:
    """Let the first end leave out what the second states ("May-June 2025",
    "2-5 May 2025"): coarser fields it lacks come from the second end, as
    long as the second end states the first end's finest field too."""
    stated = left.stated()
    if stated[0] or not any(stated):
        return left
    finest = max(i for i, flag in enumerate(stated) if flag)
    if not all(right.stated()[: finest + 1]):
        return left
    names = ("year", "month", "day")
    taken = {names[i]: getattr(right, names[i]) for i in range(min(finest, 3)) if not stated[i]}
    if left.hour is not None and left.zone is None:
        taken["zone"] = right.zone  # "11:00 - 12:00 2 May 2025 +08:00"
    return _replace(left, **taken)


def _check_bare(part: str, fields: DateFields, is_first: bool, whole: str) -> None:
    """A range end that is just a number must be a year of 3-4 digits, or a
    day on the first end ("2-5 May"); "1950/51" is refused rather than read
    with dateutil's two-digit rule as 1950 to 2051."""
    body = strip_approx(part.strip())[0]
    if not _BARE_NUMBER.fullmatch(body) or len(body) >= 3:
        return
    if is_first and fields.day is not None and fields.year is None:
        return
    raise not_understood(part.strip(), whole)


def _read_range(left: str, right: str, reference: date | None, whole: str) -> tuple[ResolvedEnd, ResolvedEnd]:
    left_fields = read_part(left, reference, whole)
    right_fields = read_part(right, reference, whole)
    _check_bare(left, left_fields, True, whole)
    _check_bare(right, right_fields, False, whole)
    left_fields = _borrow(left_fields, right_fields)
    return (resolve_fields(left_fields, left.strip(), whole),
            resolve_fields(right_fields, right.strip(), whole))


def _explicit_split(body: str, whole: str) -> tuple[str, str] | None:
    """Split at words and dashes that only ever mean a range."""
    match = _BETWEEN.fullmatch(body)
    if match is not None:
        return match.group(1), match.group(2)
    pieces = _EXPLICIT_SEPARATOR.split(body)
    if len(pieces) == 1:
        return None
    if len(pieces) != 2:
        raise not_understood(body, whole, "more than two ends")
    return _FROM.sub("", pieces[0], count=1), pieces[1]


def _is_zone_offset(before: str, after: str) -> bool:
    """'-05:00' after a date and time is a zone offset; after a bare time
    ("11:00-12:00 2 May 2025") it is taken as a range of times, and so is
    anything that cannot be an offset ("2000-01-01 00:00-2000")."""
    time = _TIME_BEFORE.search(before)
    offset = _OFFSET_AFTER.fullmatch(after)
    if time is None or offset is None:
        return False
    hours, minutes = int(offset.group(1)), int(offset.group(2) or 0)
    if hours * 60 + minutes > MAX_OFFSET_MINUTES or minutes >= 60:
        return False
    return any(char.isdigit() for char in before[: time.start()])


def _loose_split_points(body: str, separator: str) -> list[int]:
    """Positions of '-' or '/' that may separate two dates: not a time-zone
    offset after a time of day, and spaced the same on both sides."""
    points = []
    for index, char in enumerate(body):
        if char != separator:
            continue
        before, after = body[:index], body[index + 1:]
        if separator == "-" and _is_zone_offset(before, after):
            continue
        if before[-1:].isspace() != after[:1].isspace():
            continue
        points.append(index)
    return points


def _loose_range(body: str, reference: date | None, whole: str) -> tuple[ResolvedEnd, ResolvedEnd] | None:
    """Read "2016/2017", "2016-2017", "May-June 2025" and ISO intervals.
    '/' is tried first (ISO intervals use it); a split counts only if both
    ends read cleanly, and two readings are refused as ambiguous."""
    for separator in "/-":
        found = []
        for index in _loose_split_points(body, separator):
            try:
                found.append(_read_range(body[:index], body[index + 1:], reference, whole))
            except DateError:
                continue
        if len(found) > 1:
            raise not_understood(body, whole, "ambiguous range")
        if found:
            return found[0]
    return None


def find_range(body: str, reference: date | None, whole: str) -> tuple[ResolvedEnd, ResolvedEnd] | None:
    explicit = _explicit_split(body, whole)
    if explicit is not None:
        return _read_range(explicit[0], explicit[1], reference, whole)
    return _loose_range(body, reference, whole)
