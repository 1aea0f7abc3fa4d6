"""Moving a date as written by whole units of its own precision.

A researcher who drags "2 May 2025" a week later expects "9 May 2025", not
"2025-05-09" and not a date with a time of day: the new text keeps the
precision (a day moves by days, a month by months), the approximate marker
("c. ") and, for the forms people commonly write, the style of the old one.
Relative words ("last Friday") cannot be moved as words; they become the
day they move to, written out ("9 May 2025").
"""

from __future__ import annotations

import re

from .one_end import APPROX_MARKER
from .periods import read_period, shift_period, unit_seconds
from .seconds import MONTH_NAMES, month_word, start_of_unit, step_units, datetime_from_seconds, format_date, seconds_from_datetime

# average lengths, only to turn a drag distance into a whole number of units
UNIT_SECONDS = {"year": 365.2425 * 86400, "month": 30.436875 * 86400, "day": 86400, "minute": 60}

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2}([ T]\d{2}:\d{2})?)?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]+)(\.?) (\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)(\.?) (\d{1,2})(,?) (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)(\.?) (\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})(\s*(?:/|-|–|to)\s*)(\d{4})$")


def units_for(seconds: float, precision: str, text: str | None = None) -> int:
    """A drag of ``seconds`` as a whole number of ``precision`` units, or of
    the steps of a named period such as "Q2 2025" (a quarter) when ``text`` is one."""
    step = unit_seconds(text) if text else None
    return int(round(seconds / (step or UNIT_SECONDS[precision])))


def write_like(body: str, seconds: int, precision: str) -> str:
    """The moment ``seconds`` written at ``precision`` in the style of ``body``."""
    dt = datetime_from_seconds(seconds)
    if precision == "day":
        m = _DAY_MONTH_YEAR.match(body)
        if m:
            return f"{dt.day} {month_word(dt.month, m.group(2))}{m.group(3)} {dt.year:04d}"
        m = _MONTH_DAY_YEAR.match(body)
        if m:
            return f"{month_word(dt.month, m.group(1))}{m.group(2)} {dt.day}{m.group(4)} {dt.year:04d}"
        m = _NUMERIC.match(body)
        if m:
            pad = len(m.group(1)) == 2
            return f"{dt.month:02d}/{dt.day:02d}/{dt.year:04d}" if pad else f"{dt.month}/{dt.day}/{dt.year:04d}"
        if not _ISO.match(body):  # weekdays and relative words: the day, spelt out
            return f"{dt.day} {MONTH_NAMES[dt.month]} {dt.year:04d}"
    if precision == "month":
        m = _MONTH_YEAR.match(body)
        if m:
            return f"{month_word(dt.month, m.group(1))}{m.group(2)} {dt.year:04d}"
    return format_date(seconds, precision)


def shift_date(text: str, units: int, reference=None) -> str:
    """``text`` moved by ``units`` of its own precision, in the same style.

    Raises DateError when the text cannot be read or the move leaves years
    1 to 9999.
    """
    from . import DateError, parse_date

    text = text.strip()
    if units == 0:
        return text
    period = shift_period(text, units)
    if period is not None:
        if read_period(period) is None:
            raise DateError(f"moving '{text}' by {units} steps leaves the years 1 to 9999")
        return period
    marker = APPROX_MARKER.match(text)
    prefix, body = (text[: marker.end()], text[marker.end():].strip()) if marker else ("", text)
    core = parse_date(body, reference=reference)

    def moved(seconds: int) -> int:
        dt = step_units(start_of_unit(datetime_from_seconds(seconds), core.precision), core.precision, units)
        if dt is None:
            raise DateError(f"moving '{text}' by {units} {core.precision}s leaves the years 1 to 9999")
        return seconds_from_datetime(dt)

    if core.is_range:
        first, last = moved(core.earliest), moved(core.latest)
        m = _YEAR_RANGE.match(body)
        if m and core.precision == "year":
            new = f"{format_date(first, 'year')}{m.group(2)}{format_date(last, 'year')}"
        else:
            new = f"{format_date(first, core.precision)} to {format_date(last, core.precision)}"
    else:
        new = write_like(body, moved(core.earliest), core.precision)
    written = f"{prefix}{new}" if not prefix or prefix.endswith((" ", "~")) else f"{prefix} {new}"
    # the new text must read back as the same kind of date; else the plain form
    check = parse_date(written, reference=reference)
    if check.precision != core.precision:
        written = f"{prefix}{format_date(moved(core.earliest), core.precision)}"
    return written
