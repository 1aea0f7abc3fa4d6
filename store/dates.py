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
  "02/05/2025" is 5 February 2025.
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
* Anything that cannot be read exactly raises :class:`DateError`; there is
  no fuzzy guessing and no silent correction.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from dataclasses import replace as _replace
from datetime import date, datetime, timedelta, tzinfo

from dateutil import parser as _dateutil_parser
from dateutil import tz as _dateutil_tz

PRECISIONS = ("year", "month", "day", "minute")  # coarse to fine

EPOCH = datetime(1970, 1, 1)
_FIRST = datetime(1, 1, 1)
_SECOND = timedelta(seconds=1)
_YEARS_NOTE = "(years 1 to 9999 only)"
# Own name tables: calendar.day_name follows the process locale.
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (None, "January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")

# Two defaults that differ in every field: a field dateutil reads from the
# text comes out the same under both, a field it filled in does not.  Both
# years are leap years so "29 Feb" without a year still parses.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0)
_DEFAULT_B = datetime(2004, 12, 28, 23, 59)

# dateutil mangles zero-padded years below 100 ("0012" becomes day 12 or the
# year 2012), so such years are swapped for a stand-in 2400 years later
# (the Gregorian calendar repeats every 400 years, so weekdays and leap days
# agree) and swapped back after parsing.
_STAND_IN_OFFSET = 2400
_PADDED_YEAR = re.compile(r"(?<![\w:.+\-])0\d{2,3}(?![\w:])")

_INFO = _dateutil_parser.parserinfo()


@dataclass(frozen=True)
class FuzzyDate:
    text: str          # exactly as written (stripped)
    precision: str     # one of PRECISIONS: the coarsest unit stated
    earliest: int      # epoch seconds UTC, inclusive
    latest: int        # epoch seconds UTC, inclusive
    approximate: bool = False
    is_range: bool = False


class DateError(ValueError):
    """A date that cannot be read or represented; the message quotes it."""


class _UnknownZone(Exception):
    """Raised from inside dateutil so an unknown zone name stops the parse."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class _Fields:
    """What one written date states; None marks a field it leaves out."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    zone: tzinfo | None = None
    weekday: int | None = None  # 0 = Monday, written next to a full date
    approximate: bool = False

    def stated(self) -> list[bool]:
        # One flag per precision level; the time of day counts as stated
        # when the hour is.
        return [self.year is not None, self.month is not None,
                self.day is not None, self.hour is not None]


@dataclass(frozen=True)
class _End:
    """One resolved end of a date: the start of its unit, in UTC."""

    start: datetime
    precision: str
    approximate: bool


# ---------------------------------------------------------------- seconds


def seconds_from_datetime(dt: datetime) -> int:
    """Whole seconds since the epoch; naive means UTC, aware is converted."""
    offset = dt.utcoffset() or timedelta(0)
    # Subtracting timedeltas (rather than converting dt) cannot overflow
    # near year 1 or 9999; floor division keeps the containing second.
    return (dt.replace(tzinfo=None) - EPOCH - offset) // _SECOND


def datetime_from_seconds(s: int) -> datetime:
    """Naive UTC datetime; EPOCH + timedelta works for any year 1..9999."""
    try:
        return EPOCH + timedelta(seconds=s)
    except OverflowError:
        raise DateError(f"cannot represent '{s}' seconds as a date {_YEARS_NOTE}") from None


def _check_precision(precision: str) -> None:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision '{precision}' (expected one of {', '.join(PRECISIONS)})")


def _start_of(dt: datetime, precision: str) -> datetime:
    if precision == "year":
        return datetime(dt.year, 1, 1)
    if precision == "month":
        return datetime(dt.year, dt.month, 1)
    if precision == "day":
        return datetime(dt.year, dt.month, dt.day)
    return datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute)


def _end_of(start: datetime, precision: str) -> datetime:
    """Last second of the unit beginning at start (computed directly so the
    last unit of year 9999 needs no 'next unit')."""
    if precision == "year":
        return start.replace(month=12, day=31, hour=23, minute=59, second=59)
    if precision == "month":
        last_day = calendar.monthrange(start.year, start.month)[1]
        return start.replace(day=last_day, hour=23, minute=59, second=59)
    if precision == "day":
        return start.replace(hour=23, minute=59, second=59)
    return start.replace(second=59)


def _step(start: datetime, precision: str, units: int) -> datetime | None:
    """start moved by whole units, or None when that leaves years 1..9999."""
    try:
        if precision == "year":
            return start.replace(year=start.year + units)
        if precision == "month":
            index = start.year * 12 + start.month - 1 + units
            return start.replace(year=index // 12, month=index % 12 + 1)
        if precision == "day":
            return start + timedelta(days=units)
        return start + timedelta(minutes=units)
    except (ValueError, OverflowError):
        return None


def truncate(seconds: int, precision: str) -> int:
    """Start of the year/month/day/minute containing seconds."""
    _check_precision(precision)
    return seconds_from_datetime(_start_of(datetime_from_seconds(seconds), precision))


def format_date(seconds: int, precision: str) -> str:
    """Canonical text that parse_date reads back at the same precision."""
    _check_precision(precision)
    dt = datetime_from_seconds(seconds)
    # Four-digit years always: parse_date reads "0012" as the year 12.
    text = f"{dt.year:04d}"
    if precision != "year":
        text += f"-{dt.month:02d}"
    if precision in ("day", "minute"):
        text += f"-{dt.day:02d}"
    if precision == "minute":
        text += f" {dt.hour:02d}:{dt.minute:02d}"
    return text


# ---------------------------------------------------------------- errors


def _where(part: str, whole: str) -> str:
    # Name the piece that failed, and the whole text when they differ.
    return f"'{part}'" if part == whole else f"'{part}' in '{whole}'"


def _not_understood(part: str, whole: str, why: str = "") -> DateError:
    suffix = f" ({why})" if why else ""
    return DateError(f"cannot understand the date {_where(part, whole)}{suffix}")


def _not_representable(part: str, whole: str) -> DateError:
    return DateError(f"cannot represent the date {_where(part, whole)} {_YEARS_NOTE}")


# ---------------------------------------------------------------- markers

_APPROX_MARKER = re.compile(
    r"(?:ca\.|c\.|circa\b|ca\b|c\b|about\b|around\b|approx\.|approximately\b|approx\b|~)\s*",
    re.IGNORECASE)
_NEGATIVE_YEAR = re.compile(r"[-\u2212]\s*\d")
_ERA_BEFORE = re.compile(r"\b(?:BCE?|B\.\s*C\.?(?:\s*E\.?)?)\s*$", re.IGNORECASE)
_FIVE_DIGITS = re.compile(r"(?<![\d.,])\d{5}(?!\d)")


def _strip_approx(text: str) -> tuple[str, bool]:
    match = _APPROX_MARKER.match(text)
    if match is None:
        return text, False
    return text[match.end():].strip(), True


def _reject_unrepresentable(part: str, whole: str) -> None:
    # dateutil treats "-" as filler, so "-2016" would quietly become 2016;
    # it also reads "02025" as 2025.  Refuse both, and BC dates.
    if _NEGATIVE_YEAR.match(part) or _ERA_BEFORE.search(part) or _FIVE_DIGITS.search(part):
        raise _not_representable(part, whole)


# ---------------------------------------------------------------- relative

_RELATIVE = re.compile(r"(?:on\s+)?(?:(last|next)\s+)?([a-z]+)\.?", re.IGNORECASE)
_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _relative_offset(qualifier: str | None, weekday: int, reference: date) -> int:
    """Days from reference to the weekday meant (see the module docstring)."""
    if qualifier == "last":
        return -((reference.weekday() - weekday - 1) % 7 + 1)
    if qualifier == "next":
        return (weekday - reference.weekday() - 1) % 7 + 1
    return -((reference.weekday() - weekday) % 7)


def _relative_day(part: str, reference: date | None, whole: str) -> date | None:
    """The day a relative word means, or None when part is not one."""
    match = _RELATIVE.fullmatch(part)
    if match is None:
        return None
    qualifier, word = match.group(1), match.group(2).lower()
    weekday = _INFO.weekday(word)
    if not (weekday is not None or (qualifier is None and word in _DAY_WORDS)):
        return None
    if reference is None:
        raise DateError(f"a reference date is needed to understand {_where(part, whole)}")
    offset = _DAY_WORDS[word] if weekday is None else _relative_offset(qualifier, weekday, reference)
    try:
        return reference + timedelta(days=offset)
    except OverflowError:
        raise _not_representable(part, whole) from None


def _reference_day(reference: date | datetime | None) -> date | None:
    if reference is None:
        return None
    if isinstance(reference, datetime):
        if reference.utcoffset() is not None:
            reference = datetime_from_seconds(seconds_from_datetime(reference))
        return reference.date()
    if isinstance(reference, date):
        return reference
    raise TypeError(f"reference must be a date or datetime, not {type(reference).__name__}")


# ---------------------------------------------------------------- dateutil

_MAX_OFFSET_MINUTES = 14 * 60
_UTC_NAME_WITH_OFFSET = re.compile(r"(?<![A-Za-z])(?:UTC|GMT)\s*(?=[+-]\s*\d)", re.IGNORECASE)
# dateutil takes the hour from a bare number in some layouts ("2 5 May 2025"
# becomes 20:25), so a time of day only counts when written like one.
_TIME_MARK = re.compile(r":|\d\s*[ap]\.?m\b|\d[Tt]\d|\d\s*h(?:ours?)?\b|\d{6,}", re.IGNORECASE)


def _zone_for(name: str | None, offset: int | None) -> tzinfo | None:
    """tzinfos callback: a callable keeps dateutil from guessing the local
    zone for "UTC" or warning about names it does not know."""
    if offset is not None:
        if abs(offset) > _MAX_OFFSET_MINUTES * 60:
            # Real offsets lie within 14 hours; "-2000" is more likely a year.
            sign = "-" if offset < 0 else "+"
            hours, minutes = divmod(abs(offset) // 60, 60)
            raise _UnknownZone(f"{sign}{hours:02d}:{minutes:02d}")
        return _dateutil_tz.tzoffset(None, offset)
    if name is None:
        return None
    if _INFO.utczone(name):
        return _dateutil_tz.UTC
    raise _UnknownZone(name)


def _dateutil_read(text: str, default: datetime, part: str, whole: str) -> datetime:
    try:
        return _dateutil_parser.parse(text, default=default, dayfirst=False,
                                      yearfirst=False, tzinfos=_zone_for)
    except _UnknownZone as exc:
        raise DateError(f"cannot understand the time zone '{exc.name}' in '{whole}' "
                        "(use UTC, GMT or an offset such as +08:00)") from None
    except Exception as exc:  # ParserError, ValueError, OverflowError, ...
        # Any failure inside the third-party parser means the text was not
        # understood; the year check only picks the more helpful message.
        message = str(exc)
        if "year" in message and "out of range" in message:
            raise _not_representable(part, whole) from exc
        raise _not_understood(part, whole) from exc


def _remove_weekday(part: str, whole: str) -> tuple[str, int | None]:
    """Take weekday names out: dateutil would move the date to match them,
    we check them against the date instead."""
    found = {_INFO.weekday(m.group()) for m in re.finditer(r"[A-Za-z]+", part)} - {None}
    if not found:
        return part, None
    if len(found) > 1:
        raise _not_understood(part, whole, "more than one weekday")
    text = re.sub(r"[A-Za-z]+", lambda m: " " if _INFO.weekday(m.group()) is not None else m.group(), part)
    return text, found.pop()


def _shield_padded_year(text: str, part: str, whole: str) -> tuple[str, int | None]:
    """Swap a zero-padded year for its stand-in; return the real year."""
    matches = _PADDED_YEAR.findall(text)
    if not matches:
        return text, None
    if len(matches) > 1:
        raise _not_understood(part, whole)
    year = int(matches[0])
    if year == 0:
        raise _not_representable(part, whole)
    return _PADDED_YEAR.sub(str(year + _STAND_IN_OFFSET), text), year


def _year_is_written(year: int, text: str) -> bool:
    """True when the text holds the year itself, its last two digits, or a
    compact date starting with it: guards against dateutil building a year
    out of a stray one-digit number ("2-5 May" as 5 May 2002)."""
    short = f"{year % 100:02d}"
    for run in re.findall(r"\d+", text):
        if int(run) == year or run == short:
            return True
        if len(run) >= 6 and (run.startswith(f"{year:04d}") or run.startswith(short)):
            return True
    return False


def _fields_from_dateutil(part: str, whole: str) -> _Fields:
    text, weekday = _remove_weekday(part, whole)
    text, real_year = _shield_padded_year(text, part, whole)
    text = _UTC_NAME_WITH_OFFSET.sub("", text)
    a = _dateutil_read(text, _DEFAULT_A, part, whole)
    b = _dateutil_read(text, _DEFAULT_B, part, whole)

    def same(name: str) -> int | None:
        value = getattr(a, name)
        return value if value == getattr(b, name) else None

    fields = _Fields(year=same("year"), month=same("month"), day=same("day"),
                     hour=same("hour"), minute=same("minute"), zone=a.tzinfo, weekday=weekday)
    if fields.hour is not None and not _TIME_MARK.search(text):
        raise _not_understood(part, whole)
    if fields.year is not None and not _year_is_written(fields.year, text):
        raise _not_understood(part, whole)
    if fields.year is not None and _MONTH_WORD.search(text) and not re.search(r"\d{3,4}", text):
        # dateutil reads "32 May" as May 2032; a person meant a day that does not exist
        raise _not_understood(part, whole, "it has no year")
    if real_year is not None:
        if fields.year != real_year + _STAND_IN_OFFSET:
            raise _not_understood(part, whole)
        fields = _replace(fields, year=real_year)
    return fields


_MONTH_WORD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


# ---------------------------------------------------------------- one end


def _read_part(part: str, reference: date | None, whole: str) -> _Fields:
    """Fields stated by one written date (no range separators inside)."""
    body, approximate = _strip_approx(part.strip())
    if not body:
        raise _not_understood(part.strip(), whole)
    _reject_unrepresentable(body, whole)
    # dateutil skips stray punctuation ("/549", ".36"); a date starts with a
    # letter or digit and ends with one, a full stop or ")" as in "(BRST)".
    if not (body[0].isalnum() and (body[-1].isalnum() or body[-1] in ".)")):
        raise _not_understood(body, whole)
    day = _relative_day(body, reference, whole)
    if day is not None:
        return _Fields(year=day.year, month=day.month, day=day.day, approximate=approximate)
    return _replace(_fields_from_dateutil(body, whole), approximate=approximate)


def _check_complete(fields: _Fields, part: str, whole: str) -> str:
    """Precision of fields, if they state year, then month, then day, then
    time, each only after the one before."""
    stated = fields.stated()
    if not stated[0]:
        raise _not_understood(part, whole, "it has no year")
    if stated != sorted(stated, reverse=True) or (fields.minute is not None and fields.hour is None):
        raise _not_understood(part, whole)
    return PRECISIONS[sum(stated) - 1]


def _check_weekday(fields: _Fields, local: datetime, part: str, whole: str) -> None:
    if fields.weekday is None:
        return
    if fields.day is None:
        raise _not_understood(part, whole, "a weekday needs a full date")
    if local.weekday() != fields.weekday:
        actual = _WEEKDAY_NAMES[local.weekday()]
        raise DateError(f"{_where(part, whole)} does not match: "
                        f"{local.day} {_MONTH_NAMES[local.month]} {local.year} was a {actual}")


def _resolve(fields: _Fields, part: str, whole: str) -> _End:
    """Turn stated fields into the UTC start of the unit they name."""
    precision = _check_complete(fields, part, whole)
    if not 1 <= fields.year <= 9999:
        raise _not_representable(part, whole)
    try:
        local = datetime(fields.year, fields.month or 1, fields.day or 1,
                         fields.hour or 0, fields.minute or 0)
    except ValueError:
        raise _not_understood(part, whole) from None
    _check_weekday(fields, local, part, whole)
    start = local
    if fields.zone is not None:
        try:
            start = local - (fields.zone.utcoffset(local) or timedelta(0))
        except OverflowError:
            raise _not_representable(part, whole) from None
    return _End(start=start, precision=precision, approximate=fields.approximate)


def _bounds(end: _End, widen: bool) -> tuple[int, int]:
    first = last = end.start
    if widen or end.approximate:
        # Clamp at the ends of the calendar rather than fail: the date itself
        # is representable, only its fuzzy margin is not.
        first = _step(end.start, end.precision, -1) or _FIRST
        last = _step(end.start, end.precision, 1) or end.start
    return seconds_from_datetime(first), seconds_from_datetime(_end_of(last, end.precision))


# ---------------------------------------------------------------- ranges

_BETWEEN = re.compile(r"between\s+(.+?)\s+and\s+(.+)", re.IGNORECASE)
_EXPLICIT_SEPARATOR = re.compile(r"\s+(?:to|until|till)\s+|\s*[\u2013\u2014]\s*|\s+-\s+", re.IGNORECASE)
_FROM = re.compile(r"^from\s+", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"(?<!\d)\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?\s*$")
_BARE_NUMBER = re.compile(r"\d+")
_OFFSET_AFTER = re.compile(r"(\d{1,2}):?(\d{2})?\s*(?:\(\w+\))?\s*")


def _borrow(left: _Fields, right: _Fields) -> _Fields:
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


def _check_bare(part: str, fields: _Fields, is_first: bool, whole: str) -> None:
    """A range end that is just a number must be a year of 3-4 digits, or a
    day on the first end ("2-5 May"); "1950/51" is refused rather than read
    with dateutil's two-digit rule as 1950 to 2051."""
    body = _strip_approx(part.strip())[0]
    if not _BARE_NUMBER.fullmatch(body) or len(body) >= 3:
        return
    if is_first and fields.day is not None and fields.year is None:
        return
    raise _not_understood(part.strip(), whole)


def _read_range(left: str, right: str, reference: date | None, whole: str) -> tuple[_End, _End]:
    left_fields = _read_part(left, reference, whole)
    right_fields = _read_part(right, reference, whole)
    _check_bare(left, left_fields, True, whole)
    _check_bare(right, right_fields, False, whole)
    left_fields = _borrow(left_fields, right_fields)
    return (_resolve(left_fields, left.strip(), whole),
            _resolve(right_fields, right.strip(), whole))


def _explicit_split(body: str, whole: str) -> tuple[str, str] | None:
    """Split at words and dashes that only ever mean a range."""
    match = _BETWEEN.fullmatch(body)
    if match is not None:
        return match.group(1), match.group(2)
    pieces = _EXPLICIT_SEPARATOR.split(body)
    if len(pieces) == 1:
        return None
    if len(pieces) != 2:
        raise _not_understood(body, whole, "more than two ends")
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
    if hours * 60 + minutes > _MAX_OFFSET_MINUTES or minutes >= 60:
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


def _loose_range(body: str, reference: date | None, whole: str) -> tuple[_End, _End] | None:
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
            raise _not_understood(body, whole, "ambiguous range")
        if found:
            return found[0]
    return None


def _find_range(body: str, reference: date | None, whole: str) -> tuple[_End, _End] | None:
    explicit = _explicit_split(body, whole)
    if explicit is not None:
        return _read_range(explicit[0], explicit[1], reference, whole)
    return _loose_range(body, reference, whole)


# ---------------------------------------------------------------- public


def _coarser(a: str, b: str) -> str:
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b


def _range_date(text: str, ends: tuple[_End, _End], widen: bool) -> FuzzyDate:
    first, second = ends
    earliest = _bounds(first, widen)[0]
    latest = _bounds(second, widen)[1]
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
    "02/05/2025" is 5 February 2025.  Approximate dates are widened by one
    unit of their precision on each side.  Raises DateError naming the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise DateError(f"cannot understand the date '{stripped}' (it is empty)")
    day = _reference_day(reference)
    body, widen = _strip_approx(stripped)
    if not body:
        raise _not_understood(stripped, stripped)
    ends = _find_range(body, day, stripped)
    if ends is not None:
        return _range_date(stripped, ends, widen)
    end = _resolve(_read_part(body, day, stripped), body, stripped)
    earliest, latest = _bounds(end, widen)
    return FuzzyDate(text=stripped, precision=end.precision, earliest=earliest,
                     latest=latest, approximate=widen or end.approximate)


def _human(seconds: int, with_time: bool) -> str:
    dt = datetime_from_seconds(seconds)
    text = f"{dt.day} {_MONTH_NAMES[dt.month]} {dt.year}"
    return f"{text} {dt.hour:02d}:{dt.minute:02d}" if with_time else text


def describe(fd: FuzzyDate) -> str:
    """One line for the UI, e.g. "May 2025 — month precision, 1 May 2025 to
    31 May 2025".  Bounds are left out when they are a single day or minute."""
    kind = " ".join(word for word, flag in (("approximate", fd.approximate),
                                            ("range", fd.is_range)) if flag)
    head = f"{fd.text} — {kind + ', ' if kind else ''}{fd.precision} precision"
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
