"""Epoch seconds, precision units and the canonical text of a date.

The arithmetic the rest of store.dates builds on: converting between
datetimes and integer seconds since 1970-01-01 UTC, finding the first and
last second of a year/month/day/minute, stepping by whole units, and
writing a bound back as text that parse_date reads at the same precision.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from .errors import YEARS_NOTE, DateError

PRECISIONS = ("year", "month", "day", "minute")  # coarse to fine

EPOCH = datetime(1970, 1, 1)
FIRST_DATE = datetime(1, 1, 1)
_SECOND = timedelta(seconds=1)
# Own name tables: calendar.day_name follows the process locale.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (None, "January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")


def month_word(month: int, like: str) -> str:
    """Month ``month`` (1-12) written as ``like`` is: in full ("May", "June")
    when ``like`` is a full name, else its first three letters ("Sep")."""
    name = MONTH_NAMES[month]
    return name if like.lower() in {m.lower() for m in MONTH_NAMES[1:]} else name[:3]


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
        raise DateError(f"cannot represent '{s}' seconds as a date {YEARS_NOTE}") from None


def _check_precision(precision: str) -> None:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision '{precision}' (expected one of {', '.join(PRECISIONS)})")


def start_of_unit(dt: datetime, precision: str) -> datetime:
    if precision == "year":
        return datetime(dt.year, 1, 1)
    if precision == "month":
        return datetime(dt.year, dt.month, 1)
    if precision == "day":
        return datetime(dt.year, dt.month, dt.day)
    return datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute)


def end_of_unit(start: datetime, precision: str) -> datetime:
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


def step_units(start: datetime, precision: str, units: int) -> datetime | None:
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
    return seconds_from_datetime(start_of_unit(datetime_from_seconds(seconds), precision))


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
