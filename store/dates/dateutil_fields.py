"""Reading the fields of one written date with python-dateutil.

dateutil fills in whatever the text leaves out and quietly accepts text a
person would not mean as a date, so this module reads each date twice with
different defaults to learn which fields were stated, and guards the places
where dateutil would otherwise return a wrong date: weekdays, zero-padded
years, stray numbers taken as times or years, and time-zone names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace as _replace
from datetime import datetime, tzinfo

from dateutil import parser as _dateutil_parser
from dateutil import tz as _dateutil_tz

from .errors import DateError, not_representable, not_understood

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

DATEUTIL_INFO = _dateutil_parser.parserinfo()

MAX_OFFSET_MINUTES = 14 * 60
_UTC_NAME_WITH_OFFSET = re.compile(r"(?<![A-Za-z])(?:UTC|GMT)\s*(?=[+-]\s*\d)", re.IGNORECASE)
# dateutil takes the hour from a bare number in some layouts ("2 5 May 2025"
# becomes 20:25), so a time of day only counts when written like one.
_TIME_MARK = re.compile(r":|\d\s*[ap]\.?m\b|\d[Tt]\d|\d\s*h(?:ours?)?\b|\d{6,}", re.IGNORECASE)
_MONTH_WORD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


class _UnknownZone(Exception):
    """Raised from inside dateutil so an unknown zone name stops the parse."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class DateFields:
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


def _zone_for(name: str | None, offset: int | None) -> tzinfo | None:
    """tzinfos callback: a callable keeps dateutil from guessing the local
    zone for "UTC" or warning about names it does not know."""
    if offset is not None:
        if abs(offset) > MAX_OFFSET_MINUTES * 60:
            # Real offsets lie within 14 hours; "-2000" is more likely a year.
            sign = "-" if offset < 0 else "+"
            hours, minutes = divmod(abs(offset) // 60, 60)
            raise _UnknownZone(f"{sign}{hours:02d}:{minutes:02d}")
        return _dateutil_tz.tzoffset(None, offset)
    if name is None:
        return None
    if DATEUTIL_INFO.utczone(name):
        return _dateutil_tz.UTC
    raise _UnknownZone(name)


# "03.05.2025": dotted numeric dates are day first wherever they are written
DOTTED_DAY_FIRST = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b")


def _dateutil_read(text: str, default: datetime, part: str, whole: str) -> datetime:
    try:
        return _dateutil_parser.parse(text, default=default, dayfirst=bool(DOTTED_DAY_FIRST.match(text)),
                                      yearfirst=False, tzinfos=_zone_for)
    except _UnknownZone as exc:
        raise DateError(f"cannot understand the time zone '{exc.name}' in '{whole}' "
                        "(use UTC, GMT or an offset such as +08:00)") from None
    except Exception as exc:  # ParserError, ValueError, OverflowError, ...
        # Any failure inside the third-party parser means the text was not
        # understood; the year check only picks the more helpful message.
        message = str(exc)
        if "year" in message and "out of range" in message:
            raise not_representable(part, whole) from exc
        raise not_understood(part, whole) from exc


def _remove_weekday(part: str, whole: str) -> tuple[str, int | None]:
    """Take weekday names out: dateutil would move the date to match them,
    we check them against the date instead."""
    found = {DATEUTIL_INFO.weekday(m.group()) for m in re.finditer(r"[A-Za-z]+", part)} - {None}
    if not found:
        return part, None
    if len(found) > 1:
        raise not_understood(part, whole, "more than one weekday")
    text = re.sub(r"[A-Za-z]+", lambda m: " " if DATEUTIL_INFO.weekday(m.group()) is not None else m.group(), part)
    return text, found.pop()


def _shield_padded_year(text: str, part: str, whole: str) -> tuple[str, int | None]:
    """Swap a zero-padded year for its stand-in; return the real year."""
    matches = _PADDED_YEAR.findall(text)
    if not matches:
        return text, None
    if len(matches) > 1:
        raise not_understood(part, whole)
    year = int(matches[0])
    if year == 0:
        raise not_representable(part, whole)
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


def fields_from_dateutil(part: str, whole: str) -> DateFields:
    text, weekday = _remove_weekday(part, whole)
    text, real_year = _shield_padded_year(text, part, whole)
    text = _UTC_NAME_WITH_OFFSET.sub("", text)
    a = _dateutil_read(text, _DEFAULT_A, part, whole)
    b = _dateutil_read(text, _DEFAULT_B, part, whole)

    def same(name: str) -> int | None:
        value = getattr(a, name)
        return value if value == getattr(b, name) else None

    fields = DateFields(year=same("year"), month=same("month"), day=same("day"),
                     hour=same("hour"), minute=same("minute"), zone=a.tzinfo, weekday=weekday)
    if fields.hour is not None and not _TIME_MARK.search(text):
        raise not_understood(part, whole)
    if fields.year is not None and not _year_is_written(fields.year, text):
        raise not_understood(part, whole)
    if fields.year is not None and _MONTH_WORD.search(text) and not re.search(r"\d{3,4}", text):
        # dateutil reads "32 May" as May 2032; a person meant a day that does not exist
        raise not_understood(part, whole, "it has no year")
    if real_year is not None:
        if fields.year != real_year + _STAND_IN_OFFSET:
            raise not_understood(part, whole)
        fields = _replace(fields, year=real_year)
    return fields
