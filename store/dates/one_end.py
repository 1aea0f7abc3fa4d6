"""Reading one end of a date: from written text to its first and last second.

One end is a single written date, with no range separator inside: it may be
marked approximate, be a relative word, or be read by dateutil.  Its stated
fields must run year, month, day, time with none skipped; they are resolved
to the UTC start of the unit they name, then to bounds in epoch seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace as _replace
from datetime import date, datetime, timedelta

from .dateutil_fields import DateFields, fields_from_dateutil
from .errors import DateError, not_representable, not_understood, where_in_text
from .relative import relative_day
from .seconds import (
    FIRST_DATE,
    MONTH_NAMES,
    WEEKDAY_NAMES,
    PRECISIONS,
    end_of_unit,
    step_units,
    seconds_from_datetime,
)

APPROX_MARKER = re.compile(
    r"(?:ca\.|c\.|circa\b|ca\b|c\b|about\b|around\b|approx\.|approximately\b|approx\b|~)\s*",
    re.IGNORECASE)
_NEGATIVE_YEAR = re.compile(r"[-\u2212]\s*\d")
_ERA_BEFORE = re.compile(r"\b(?:BCE?|B\.\s*C\.?(?:\s*E\.?)?)\s*$", re.IGNORECASE)
_FIVE_DIGITS = re.compile(r"(?<![\d.,])\d{5}(?!\d)")


@dataclass(frozen=True)
class ResolvedEnd:
    """One resolved end of a date: the start of its unit, in UTC."""

    start: datetime
    precision: str
    approximate: bool


def strip_approx(text: str) -> tuple[str, bool]:
    match = APPROX_MARKER.match(text)
    if match is None:
        return text, False
    return text[match.end():].strip(), True


def _reject_unrepresentable(part: str, whole: str) -> None:
    # dateutil treats "-" as filler, so "-2016" would quietly become 2016;
    # it also reads "02025" as 2025.  Refuse both, and BC dates.
    if _NEGATIVE_YEAR.match(part) or _ERA_BEFORE.search(part) or _FIVE_DIGITS.search(part):
        raise not_representable(part, whole)


def read_part(part: str, reference: date | None, whole: str) -> DateFields:
    """Fields stated by one written date (no range separators inside)."""
    body, approximate = strip_approx(part.strip())
    if not body:
        raise not_understood(part.strip(), whole)
    _reject_unrepresentable(body, whole)
    # dateutil skips stray punctuation ("/549", ".36"); a date starts with a
    # letter or digit and ends with one, a full stop or ")" as in "(BRST)".
    if not (body[0].isalnum() and (body[-1].isalnum() or body[-1] in ".)")):
        raise not_understood(body, whole)
    day = relative_day(body, reference, whole)
    if day is not None:
        return DateFields(year=day.year, month=day.month, day=day.day, approximate=approximate)
    return _replace(fields_from_dateutil(body, whole), approximate=approximate)


def _check_complete(fields: DateFields, part: str, whole: str) -> str:
    """Precision of fields, if they state year, then month, then day, then
    time, each only after the one before."""
    stated = fields.stated()
    if not stated[0]:
        raise not_understood(part, whole, "it has no year")
    if stated != sorted(stated, reverse=True) or (fields.minute is not None and fields.hour is None):
        raise not_understood(part, whole)
    return PRECISIONS[sum(stated) - 1]


def _check_weekday(fields: DateFields, local: datetime, part: str, whole: str) -> None:
    if fields.weekday is None:
        return
    if fields.day is None:
        raise not_understood(part, whole, "a weekday needs a full date")
    if local.weekday() != fields.weekday:
        actual = WEEKDAY_NAMES[local.weekday()]
        raise DateError(f"{where_in_text(part, whole)} does not match: "
                        f"{local.day} {MONTH_NAMES[local.month]} {local.year} was a {actual}")


def resolve_fields(fields: DateFields, part: str, whole: str) -> ResolvedEnd:
    """Turn stated fields into the UTC start of the unit they name."""
    precision = _check_complete(fields, part, whole)
    if not 1 <= fields.year <= 9999:
        raise not_representable(part, whole)
    try:
        local = datetime(fields.year, fields.month or 1, fields.day or 1,
                         fields.hour or 0, fields.minute or 0)
    except ValueError:
        raise not_understood(part, whole) from None
    _check_weekday(fields, local, part, whole)
    start = local
    if fields.zone is not None:
        try:
            start = local - (fields.zone.utcoffset(local) or timedelta(0))
        except OverflowError:
            raise not_representable(part, whole) from None
    return ResolvedEnd(start=start, precision=precision, approximate=fields.approximate)


def end_bounds(end: ResolvedEnd, widen: bool) -> tuple[int, int]:
    first = last = end.start
    if widen or end.approximate:
        # Clamp at the ends of the calendar rather than fail: the date itself
        # is representable, only its fuzzy margin is not.
        first = step_units(end.start, end.precision, -1) or FIRST_DATE
        last = step_units(end.start, end.precision, 1) or end.start
    return seconds_from_datetime(first), seconds_from_datetime(end_of_unit(last, end.precision))
