"""Fuzzy dates as researchers write them.

``parse_date`` turns text such as "c. 2016", "May 2025", "2 May 2025 – 5 May
2025" or "last Friday" into a :class:`FuzzyDate`: the text as written, the
precision it was stated to, and the first and last second it may mean.
python-dateutil does the reading of individual dates; this module decides
precision, ranges, approximation and relative words, and guards against the
places where dateutil would silently return a wrong date.

All times are UTC.  Bounds are integer seconds since 1970-01-01 00:00 UTC
(negative before 1970); years 1 to 9999 are supported.

Decisions callers should know:

* Ambiguous numeric dates are month first (dateutil's ``dayfirst=False``):
  "02/05/2025" is 5 February 2025, and every place that shows such a date
  says so ("02/05/2025 (5 February 2025, month first)"; see
  ``reading.month_first``). Dotted dates are day first, as they are
  written wherever dots are used: "03.05.2025" is 3 May 2025.
* Two-digit years follow dateutil ("5/2/25" is 2025, "99" is 1999: within
  50 years of the current year).  Years below 100 need leading zeros
  ("0012" is the year 12, "12" alone is 2012); three-digit years such as
  "850" are read as written.  format_date always writes four digits.  A
  date without a year ("2 May") is refused.
* Precision is the coarsest unit stated: "year", "month", "day" or
  "minute".  Any time of day gives "minute"; seconds are dropped
  ("11:06:59" is the minute 11:06, "5 pm" is 17:00).
* Time zones: a numeric offset ("+08:00", "-0500"), "UTC", "GMT" or "Z" is
  converted to UTC; "UTC+3"/"GMT+3" mean three hours ahead of UTC (the
  everyday reading, not the POSIX one).  Zone names such as "EST" are
  ambiguous and are refused, as are offsets beyond 14 hours.  Text without a
  zone is taken as UTC.  A "-" right after a date and time is an offset
  ("2025-05-02T11:06-05:00"); after a bare time it separates a range
  ("11:00-12:00 2 May 2025").
* Approximate dates ("c.", "ca.", "circa", "about", "around", "approx.",
  "approximately", "~") are widened by one unit of their precision on each
  side: "c. 2016" is 2015-01-01 to 2017-12-31 23:59:59, "c. May 2025" is
  1 April to 30 June 2025, "c. 2 May 2025" is 1 to 3 May 2025.  Widening
  stops at the ends of years 1 and 9999.  A marker at the very start applies
  to both ends of a range ("c. 2016-2018"); one before the second end
  applies to that end only ("2016 to c. 2018").
* Ranges: "2016/2017", "2016-2017" (two years, not ISO year-month),
  "2016 to 2017", "from 2016 until 2017", "between 2016 and 2017",
  "May-June 2025", "2-5 May 2025", "2 May 2025 – 5 May 2025".  The first end
  may leave out the year (and month) and take them from the second end.  A
  range runs from the first second of its first end to the last second of
  its second end; its precision is the coarser of the two ends.  A range
  end that is a bare number must be a year of three or four digits
  ("1950/51" is refused), and an unspaced "-" or "/" that splits the text
  into two dates in more than one way is refused as ambiguous (write
  " to " or " – " instead).
* Relative words need a ``reference`` date: "today", "yesterday",
  "tomorrow"; "Friday"/"on Friday" is the most recent Friday on or before
  the reference (news style: an article of Sunday 4 May 2025 saying "on
  Friday" means 2 May 2025); "last Friday" is strictly before the
  reference, "next Friday" strictly after.  A weekday written next to a
  full date ("Fri, 2 May 2025") is checked against that date.
* "on or before 2 May 2025" is a statement reported by that date with no
  date of its own: the bounds are those of the date named and
  ``on_or_before`` is set (the event may lie anywhere before them).
* Anything that cannot be read exactly raises :class:`DateError`; there is
  no fuzzy guessing and no silent correction.

This package gathers the public API; the reading is split by step:
seconds.py (epoch seconds, precision units, format_date), errors.py
(DateError and its messages), dateutil_fields.py (what dateutil reads out
of one date), relative.py (relative words), one_end.py (one written date to
its bounds) and ranges.py (finding and reading the two ends of a range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from .errors import DateError, not_understood
from .one_end import end_bounds, ResolvedEnd, read_part, resolve_fields, strip_approx
from .periods import read_period
from .ranges import find_range
from .reading import as_read
from .relative import reference_day
from .seconds import (
    MONTH_NAMES,
    EPOCH,
    PRECISIONS,
    datetime_from_seconds,
    format_date,
    seconds_from_datetime,
    truncate,
)

__all__ = [
    "EPOCH",
    "PRECISIONS",
    "DateError",
    "FuzzyDate",
    "datetime_from_seconds",
    "as_read",
    "describe",
    "format_date",
    "parse_date",
    "seconds_from_datetime",
    "truncate",
]


@dataclass(frozen=True)
class FuzzyDate:
    text: str          # exactly as written (stripped)
    precision: str     # one of PRECISIONS: the coarsest unit stated
    earliest: int      # epoch seconds UTC, inclusive
    latest: int        # epoch seconds UTC, inclusive
    approximate: bool = False
    is_range: bool = False
    # "on or before 2 May 2025": a statement reported by that date, with no
    # date of its own. The bounds are those of the date named; the flag says
    # the event may lie anywhere before them.
    on_or_before: bool = False


# Only this wording: "by" and "before" are too common in other senses.
_ON_OR_BEFORE = re.compile(r"on\s+or\s+before\s+", re.IGNORECASE)


def _coarser(a: str, b: str) -> str:
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b


def _range_date(text: str, ends: tuple[ResolvedEnd, ResolvedEnd], widen: bool) -> FuzzyDate:
    first, second = ends
    earliest = end_bounds(first, widen)[0]
    latest = end_bounds(second, widen)[1]
    if latest < earliest:
        raise DateError(f"'{text}' ends before it starts")
    return FuzzyDate(text=text, precision=_coarser(first.precision, second.precision),
                     earliest=earliest, latest=latest,
                     approximate=widen or first.approximate or second.approximate,
                     is_range=True)


def parse_date(text: str, reference: date | datetime | None = None) -> FuzzyDate:
    """Read a date as a researcher writes it; see the module docstring for
    the accepted forms and rules.  ``reference`` (a date, or a datetime whose
    UTC day is used) is needed only for relative words such as "Friday".

    Ambiguous numeric dates are read month first (dayfirst=False):
    "02/05/2025" is 5 February 2025; dotted ones day first.  Approximate dates are widened by one
    unit of their precision on each side.  Raises DateError naming the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise DateError(f"cannot understand the date '{stripped}' (it is empty)")
    day = reference_day(reference)
    period = read_period(stripped)  # "early May 2025", "spring 2025", "Q2 2025", "the 1990s"
    if period is not None:
        earliest, latest, precision, approximate = period
        return FuzzyDate(text=stripped, precision=precision, earliest=earliest, latest=latest, approximate=approximate)
    bound = _ON_OR_BEFORE.match(stripped)
    if bound is not None:
        named = parse_date(stripped[bound.end():], reference)
        if named.on_or_before:
            raise not_understood(stripped, stripped)
        return replace(named, text=stripped, on_or_before=True)
    body, widen = strip_approx(stripped)
    if not body:
        raise not_understood(stripped, stripped)
    ends = find_range(body, day, stripped)
    if ends is not None:
        return _range_date(stripped, ends, widen)
    end = resolve_fields(read_part(body, day, stripped), body, stripped)
    earliest, latest = end_bounds(end, widen)
    return FuzzyDate(text=stripped, precision=end.precision, earliest=earliest,
                     latest=latest, approximate=widen or end.approximate)


def _human(seconds: int, with_time: bool) -> str:
    dt = datetime_from_seconds(seconds)
    text = f"{dt.day} {MONTH_NAMES[dt.month]} {dt.year}"
    return f"{text} {dt.hour:02d}:{dt.minute:02d}" if with_time else text


def describe(fd: FuzzyDate, reference=None) -> str:
    """One line for the UI, e.g. "May 2025 — month precision, 1 May 2025 to
    31 May 2025".  Bounds are left out when they are a single day or minute.
    With the ``reference`` a relative date was read against, the text is
    followed by what it resolved to ("last Friday (2 May 2025, read against
    6 May 2025) — day precision")."""
    from .reading import month_first, reading

    read = reading(fd.text, reference) if reference is not None else None
    shown = f"{fd.text} ({read})" if read and "read against" in read else fd.text
    if month_first(fd.text):
        shown = f"{fd.text} ({month_first(fd.text)})"
    kind = " ".join(word for word, flag in (("on or before", fd.on_or_before), ("approximate", fd.approximate),
                                            ("range", fd.is_range)) if flag)
    head = f"{shown} — {kind + ', ' if kind else ''}{fd.precision} precision"
    # Show times only when the bounds are not whole days.
    with_time = (fd.earliest % 86400 != 0) or (fd.latest % 86400 != 86399)
    first, last = _human(fd.earliest, with_time), _human(fd.latest, with_time)
    if with_time:
        # Times were converted to UTC, so say so (the text may be in +08:00).
        first, last = first + " UTC", last + " UTC"
    if first == last:
        # A single day needs no bounds; a single minute shows its UTC time.
        return f"{head}, {first}" if with_time else head
    return f"{head}, {first} to {last}"
