"""Tests for store.dates: fuzzy date parsing, bounds and formatting.

Expected bounds are computed with plain datetime arithmetic (``_s``), never
with the code under test.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.dates import (
    PRECISIONS,
    DateError,
    FuzzyDate,
    datetime_from_seconds,
    describe,
    format_date,
    parse_date,
    seconds_from_datetime,
    truncate,
)

EPOCH = datetime(1970, 1, 1)
SUNDAY = date(2025, 5, 4)  # reference for relative words
FRIDAY = date(2025, 5, 2)


def _s(*args: int) -> int:
    """Epoch seconds of a naive UTC datetime, independent of the module."""
    return (datetime(*args) - EPOCH) // timedelta(seconds=1)


def _day(y: int, m: int, d: int) -> tuple[int, int]:
    return _s(y, m, d), _s(y, m, d, 23, 59, 59)


def _year(y: int) -> tuple[int, int]:
    return _s(y, 1, 1), _s(y, 12, 31, 23, 59, 59)


def _minute(y: int, mo: int, d: int, h: int, mi: int) -> tuple[int, int]:
    return _s(y, mo, d, h, mi), _s(y, mo, d, h, mi, 59)


def _bounds(fd: FuzzyDate) -> tuple[int, int]:
    return fd.earliest, fd.latest


# ------------------------------------------------------------ accepted forms

SINGLE_CASES = [
    # text, precision, (earliest, latest)
    ("2025-05-02", "day", _day(2025, 5, 2)),
    ("2025-05-02T11:06", "minute", _minute(2025, 5, 2, 11, 6)),
    ("2025-05-02 11:06", "minute", _minute(2025, 5, 2, 11, 6)),
    ("2025-05-02 11:06:59", "minute", _minute(2025, 5, 2, 11, 6)),
    ("2025-05-02 11:06:30.25", "minute", _minute(2025, 5, 2, 11, 6)),
    ("2 May 2025", "day", _day(2025, 5, 2)),
    ("May 2, 2025", "day", _day(2025, 5, 2)),
    ("2nd May 2025", "day", _day(2025, 5, 2)),
    ("on 2 May 2025", "day", _day(2025, 5, 2)),
    ("02/05/2025", "day", _day(2025, 2, 5)),  # month first, like dateutil
    ("5/2/25", "day", _day(2025, 5, 2)),      # two-digit year per dateutil
    ("20250502", "day", _day(2025, 5, 2)),
    ("May 2025", "month", (_s(2025, 5, 1), _s(2025, 5, 31, 23, 59, 59))),
    ("2025-05", "month", (_s(2025, 5, 1), _s(2025, 5, 31, 23, 59, 59))),
    ("February 2024", "month", (_s(2024, 2, 1), _s(2024, 2, 29, 23, 59, 59))),
    ("Feb 2025", "month", (_s(2025, 2, 1), _s(2025, 2, 28, 23, 59, 59))),
    ("2016", "year", _year(2016)),
    ("1066", "year", _year(1066)),
    ("1200", "year", _year(1200)),
    ("0001", "year", _year(1)),
    ("0012", "year", _year(12)),
    ("0999", "year", _year(999)),
    ("850", "year", _year(850)),
    ("9999", "year", _year(9999)),
    ("0001-01-01", "day", _day(1, 1, 1)),
    ("0012-05", "month", (_s(12, 5, 1), _s(12, 5, 31, 23, 59, 59))),
    ("2 May 0012", "day", _day(12, 5, 2)),
    ("0004-02-29", "day", _day(4, 2, 29)),
    ("9999-12-31 23:59", "minute", _minute(9999, 12, 31, 23, 59)),
    ("2 May 2025 5 pm", "minute", _minute(2025, 5, 2, 17, 0)),
    ("Fri, 02 May 2025 11:06:00 GMT", "minute", _minute(2025, 5, 2, 11, 6)),
    ("Friday 2 May 2025", "day", _day(2025, 5, 2)),
    ("  2016  ", "year", _year(2016)),
]


@pytest.mark.parametrize("text, precision, bounds", SINGLE_CASES)
def test_single_dates(text, precision, bounds):
    fd = parse_date(text)
    assert fd.text == text.strip()
    assert fd.precision == precision
    assert _bounds(fd) == bounds
    assert not fd.approximate
    assert not fd.is_range


TIMEZONE_CASES = [
    ("2025-05-02T11:06:00+08:00", _minute(2025, 5, 2, 3, 6)),
    ("2025-05-02 01:00 +08:00", _minute(2025, 5, 1, 17, 0)),  # previous UTC day
    ("2025-05-02T11:06:00-05:00", _minute(2025, 5, 2, 16, 6)),
    ("Fri, 02 May 2025 11:06:00 -0500", _minute(2025, 5, 2, 16, 6)),
    ("2025-05-02T23:30-02:00", _minute(2025, 5, 3, 1, 30)),   # next UTC day
    ("2025-05-02 11:06 +05:30", _minute(2025, 5, 2, 5, 36)),
    ("2025-05-02 11:06Z", _minute(2025, 5, 2, 11, 6)),
    ("2025-05-02 11:06 UTC", _minute(2025, 5, 2, 11, 6)),
    ("2025-05-02 11:06 GMT", _minute(2025, 5, 2, 11, 6)),
    ("2025-05-02 11:06 UTC+3", _minute(2025, 5, 2, 8, 6)),    # not POSIX-inverted
    ("2025-05-02 11:06 GMT-2", _minute(2025, 5, 2, 13, 6)),
]


@pytest.mark.parametrize("text, bounds", TIMEZONE_CASES)
def test_time_zones_are_converted_to_utc(text, bounds):
    fd = parse_date(text)
    assert fd.precision == "minute"
    assert _bounds(fd) == bounds


APPROX_CASES = [
    ("c. 2016", "year", (_s(2015, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("circa 2016", "year", (_s(2015, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("ca. 2016", "year", (_s(2015, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("about 2016", "year", (_s(2015, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("~2016", "year", (_s(2015, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("approx. 2016", "year", (_s(2015, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("circa May 2025", "month", (_s(2025, 4, 1), _s(2025, 6, 30, 23, 59, 59))),
    ("around May 2025", "month", (_s(2025, 4, 1), _s(2025, 6, 30, 23, 59, 59))),
    ("c. January 2025", "month", (_s(2024, 12, 1), _s(2025, 2, 28, 23, 59, 59))),
    ("c. 2 May 2025", "day", (_s(2025, 5, 1), _s(2025, 5, 3, 23, 59, 59))),
    ("c. 2025-05-02 11:06", "minute", (_s(2025, 5, 2, 11, 5), _s(2025, 5, 2, 11, 7, 59))),
    # Widening stops at the ends of the calendar.
    ("c. 0001", "year", (_s(1, 1, 1), _s(2, 12, 31, 23, 59, 59))),
    ("c. 9999", "year", (_s(9998, 1, 1), _s(9999, 12, 31, 23, 59, 59))),
]


@pytest.mark.parametrize("text, precision, bounds", APPROX_CASES)
def test_approximate_dates_widen_by_one_unit(text, precision, bounds):
    fd = parse_date(text)
    assert fd.approximate
    assert not fd.is_range
    assert fd.precision == precision
    assert _bounds(fd) == bounds


RANGE_CASES = [
    ("2016/2017", "year", (_s(2016, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("2016-2017", "year", (_s(2016, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("2016–2017", "year", (_s(2016, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("2016 to 2017", "year", (_s(2016, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("from 2016 until 2017", "year", (_s(2016, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("between 2016 and 2017", "year", (_s(2016, 1, 1), _s(2017, 12, 31, 23, 59, 59))),
    ("2016/2016", "year", _year(2016)),
    ("850-900", "year", (_s(850, 1, 1), _s(900, 12, 31, 23, 59, 59))),
    ("May-June 2025", "month", (_s(2025, 5, 1), _s(2025, 6, 30, 23, 59, 59))),
    ("Dec 2024-Jan 2025", "month", (_s(2024, 12, 1), _s(2025, 1, 31, 23, 59, 59))),
    ("2016-05/2017-06", "month", (_s(2016, 5, 1), _s(2017, 6, 30, 23, 59, 59))),
    ("2 May 2025 – 5 May 2025", "day", (_s(2025, 5, 2), _s(2025, 5, 5, 23, 59, 59))),
    ("2 May 2025 - 5 May 2025", "day", (_s(2025, 5, 2), _s(2025, 5, 5, 23, 59, 59))),
    ("2-5 May 2025", "day", (_s(2025, 5, 2), _s(2025, 5, 5, 23, 59, 59))),
    ("2025-05-01/2025-05-03", "day", (_s(2025, 5, 1), _s(2025, 5, 3, 23, 59, 59))),
    # The coarser end sets the precision.
    ("2016 to 5 May 2017", "year", (_s(2016, 1, 1), _s(2017, 5, 5, 23, 59, 59))),
    ("11:00 - 12:00 2 May 2025", "minute", (_s(2025, 5, 2, 11), _s(2025, 5, 2, 12, 0, 59))),
    ("11:00-12:00 2 May 2025", "minute", (_s(2025, 5, 2, 11), _s(2025, 5, 2, 12, 0, 59))),
    # "-2000" cannot be a zone offset, so it ends a range.
    ("2000-01-01 00:00-2000", "year", (_s(2000, 1, 1), _s(2000, 12, 31, 23, 59, 59))),
    # A zone on the second end applies to a first end that is only a time.
    ("11:00 - 12:00 2 May 2025 +08:00", "minute", (_s(2025, 5, 2, 3), _s(2025, 5, 2, 4, 0, 59))),
]


@pytest.mark.parametrize("text, precision, bounds", RANGE_CASES)
def test_ranges(text, precision, bounds):
    fd = parse_date(text)
    assert fd.is_range
    assert not fd.approximate
    assert fd.precision == precision
    assert _bounds(fd) == bounds


def test_approximate_marker_at_start_applies_to_both_ends():
    fd = parse_date("c. 2016-2018")
    assert fd.is_range and fd.approximate
    assert _bounds(fd) == (_s(2015, 1, 1), _s(2019, 12, 31, 23, 59, 59))


def test_approximate_marker_on_second_end_applies_to_it_only():
    fd = parse_date("2016 to c. 2018")
    assert fd.is_range and fd.approximate
    assert _bounds(fd) == (_s(2016, 1, 1), _s(2019, 12, 31, 23, 59, 59))


# ------------------------------------------------------------ relative words

RELATIVE_CASES = [
    # text, reference, expected day
    ("Friday", SUNDAY, date(2025, 5, 2)),
    ("on Friday", SUNDAY, date(2025, 5, 2)),
    ("friday", SUNDAY, date(2025, 5, 2)),
    ("Fri", SUNDAY, date(2025, 5, 2)),
    ("last Friday", SUNDAY, date(2025, 5, 2)),
    ("next Friday", SUNDAY, date(2025, 5, 9)),
    ("next Monday", SUNDAY, date(2025, 5, 5)),
    ("Sunday", SUNDAY, date(2025, 5, 4)),        # on or before: the day itself
    ("last Sunday", SUNDAY, date(2025, 4, 27)),  # strictly before
    ("next Sunday", SUNDAY, date(2025, 5, 11)),  # strictly after
    ("Monday", SUNDAY, date(2025, 4, 28)),
    ("Friday", FRIDAY, date(2025, 5, 2)),
    ("last Friday", FRIDAY, date(2025, 4, 25)),
    ("next Friday", FRIDAY, date(2025, 5, 9)),
    ("Saturday", FRIDAY, date(2025, 4, 26)),
    ("yesterday", SUNDAY, date(2025, 5, 3)),
    ("today", SUNDAY, date(2025, 5, 4)),
    ("Today", SUNDAY, date(2025, 5, 4)),
    ("tomorrow", SUNDAY, date(2025, 5, 5)),
    ("yesterday", date(2025, 1, 1), date(2024, 12, 31)),
]


@pytest.mark.parametrize("text, reference, expected", RELATIVE_CASES)
def test_relative_words(text, reference, expected):
    fd = parse_date(text, reference)
    assert fd.precision == "day"
    assert _bounds(fd) == _day(expected.year, expected.month, expected.day)
    assert fd.text == text


def test_reference_may_be_a_datetime():
    naive = datetime(2025, 5, 4, 18, 30)
    assert _bounds(parse_date("Friday", naive)) == _day(2025, 5, 2)
    # 2025-05-04 02:00 at +08:00 is still 3 May in UTC (a Saturday).
    aware = datetime(2025, 5, 4, 2, 0, tzinfo=timezone(timedelta(hours=8)))
    assert _bounds(parse_date("today", aware)) == _day(2025, 5, 3)


def test_relative_range():
    fd = parse_date("yesterday to today", SUNDAY)
    assert fd.is_range
    assert _bounds(fd) == (_s(2025, 5, 3), _s(2025, 5, 4, 23, 59, 59))


def test_approximate_relative_word():
    fd = parse_date("around Friday", SUNDAY)
    assert fd.approximate
    assert _bounds(fd) == (_s(2025, 5, 1), _s(2025, 5, 3, 23, 59, 59))


def test_absolute_dates_ignore_the_reference():
    assert _bounds(parse_date("2016", SUNDAY)) == _year(2016)


@pytest.mark.parametrize("text", ["Friday", "last Friday", "next Monday", "yesterday", "today", "tomorrow"])
def test_relative_words_need_a_reference(text):
    with pytest.raises(DateError, match="reference date is needed") as info:
        parse_date(text)
    assert f"'{text}'" in str(info.value)


# ------------------------------------------------------------ errors

ERROR_CASES = [
    # text, words the message must contain
    ("", "empty"),
    ("   ", "empty"),
    ("banana", "cannot understand"),
    ("banana 2016", "cannot understand"),
    ("2016 banana", "cannot understand"),
    ("32 May 2025", "cannot understand"),
    ("2025-02-29", "cannot understand"),
    ("2025-13-01", "cannot understand"),
    ("2025-05-02 24:00", "cannot understand"),
    ("10000", "years 1 to 9999 only"),
    ("May 10000", "years 1 to 9999 only"),
    ("02025", "years 1 to 9999 only"),
    ("0000", "years 1 to 9999 only"),
    ("0000-05-02", "years 1 to 9999 only"),
    ("-2016", "years 1 to 9999 only"),
    ("-44", "years 1 to 9999 only"),
    ("44 BC", "years 1 to 9999 only"),
    ("0001-01-01 00:30 +08:00", "years 1 to 9999 only"),  # before year 1 in UTC
    ("9999-12-31 23:30 -05:00", "years 1 to 9999 only"),  # after 9999 in UTC
    ("2 May", "no year"),
    ("May", "no year"),
    ("12:30", "no year"),
    ("5/2", "no year"),
    ("2017/2016", "ends before it starts"),
    ("2017-2016", "ends before it starts"),
    ("5 May 2025 - 2 May 2025", "ends before it starts"),
    ("between 2018 and 2016", "ends before it starts"),
    ("2016 to banana", "'banana'"),
    ("2016 to 2017 to 2018", "cannot understand"),
    ("2025-05-02 11:06 EST", "time zone 'EST'"),
    ("2025-05-02 11:06 XYZ", "time zone 'XYZ'"),
    ("Saturday 2 May 2025", "was a Friday"),
    ("Friday May 2025", "weekday needs a full date"),
    ("Monday Friday 2 May 2025", "more than one weekday"),
    ("c.", "cannot understand"),
    ("~", "cannot understand"),
    ("this Friday", "cannot understand"),
    # dateutil would read these silently as something else:
    ("2-5 May", "cannot understand"),        # 5 May 2002
    ("2 5 May 2025", "cannot understand"),   # 5 May 2002 20:25
    ("1950/51", "cannot understand"),        # 1950 to 2051
    ("2016-17", "cannot understand"),
    ("0012 0013", "cannot understand"),
    ("2000-01-2000", "ambiguous"),           # 2000-01 to 2000, or 2000 to 01-2000
    ("2025-05-02 11:06 +15:00", "time zone '+15:00'"),
]


@pytest.mark.parametrize("text, words", ERROR_CASES)
def test_errors_name_the_value(text, words):
    with pytest.raises(DateError) as info:
        parse_date(text, SUNDAY)
    message = str(info.value)
    assert words in message
    assert f"'{text.strip()}'" in message


def test_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


def test_non_string_text_is_a_type_error():
    with pytest.raises(TypeError):
        parse_date(2016)  # type: ignore[arg-type]


def test_fuzzy_date_is_frozen():
    fd = parse_date("2016")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fd.earliest = 0  # type: ignore[misc]


def test_precisions_are_coarse_to_fine():
    assert PRECISIONS == ("year", "month", "day", "minute")


# ------------------------------------------------------------ conversions


def test_seconds_from_datetime():
    assert seconds_from_datetime(datetime(1970, 1, 1)) == 0
    assert seconds_from_datetime(datetime(1969, 12, 31, 23, 59, 59)) == -1
    assert seconds_from_datetime(datetime(2025, 5, 2, 11, 6)) == _s(2025, 5, 2, 11, 6)
    assert seconds_from_datetime(datetime(1, 1, 1)) == -62135596800
    assert seconds_from_datetime(datetime(9999, 12, 31, 23, 59, 59)) == 253402300799
    # Microseconds fall within their second, also before 1970.
    assert seconds_from_datetime(datetime(1969, 12, 31, 23, 59, 59, 500000)) == -1


def test_seconds_from_aware_datetime_converts_to_utc():
    plus8 = timezone(timedelta(hours=8))
    assert seconds_from_datetime(datetime(2025, 5, 2, 11, 6, tzinfo=plus8)) == _s(2025, 5, 2, 3, 6)
    assert seconds_from_datetime(datetime(2025, 5, 2, 11, 6, tzinfo=timezone.utc)) == _s(2025, 5, 2, 11, 6)
    # Near the ends of the calendar the conversion must not overflow.
    assert seconds_from_datetime(datetime(1, 1, 1, 0, 0, tzinfo=plus8)) == _s(1, 1, 1) - 8 * 3600


def test_datetime_from_seconds():
    assert datetime_from_seconds(0) == datetime(1970, 1, 1)
    assert datetime_from_seconds(-1) == datetime(1969, 12, 31, 23, 59, 59)
    assert datetime_from_seconds(-62135596800) == datetime(1, 1, 1)
    assert datetime_from_seconds(253402300799) == datetime(9999, 12, 31, 23, 59, 59)
    assert datetime_from_seconds(_s(1066, 10, 14, 9)) == datetime(1066, 10, 14, 9)
    assert datetime_from_seconds(0).tzinfo is None


def test_datetime_from_seconds_out_of_range():
    with pytest.raises(DateError, match="'-62135596801'"):
        datetime_from_seconds(-62135596801)


def test_format_date():
    s = _s(2025, 5, 2, 11, 6, 42)
    assert format_date(s, "year") == "2025"
    assert format_date(s, "month") == "2025-05"
    assert format_date(s, "day") == "2025-05-02"
    assert format_date(s, "minute") == "2025-05-02 11:06"
    assert format_date(_s(12, 3, 4), "year") == "0012"
    assert format_date(_s(1, 1, 1), "minute") == "0001-01-01 00:00"


def test_truncate():
    s = _s(2025, 5, 2, 11, 6, 42)
    assert truncate(s, "year") == _s(2025, 1, 1)
    assert truncate(s, "month") == _s(2025, 5, 1)
    assert truncate(s, "day") == _s(2025, 5, 2)
    assert truncate(s, "minute") == _s(2025, 5, 2, 11, 6)
    assert truncate(_s(1066, 10, 14, 9, 30, 5), "day") == _s(1066, 10, 14)
    assert truncate(-1, "minute") == -60


@pytest.mark.parametrize("function", [format_date, truncate])
def test_unknown_precision(function):
    with pytest.raises(ValueError, match="'second'"):
        function(0, "second")


# ------------------------------------------------------------ describe

DESCRIBE_CASES = [
    ("May 2025", "May 2025 — month precision, 1 May 2025 to 31 May 2025"),
    ("2025-05-02", "2025-05-02 — day precision"),
    ("2016", "2016 — year precision, 1 January 2016 to 31 December 2016"),
    ("c. 2016", "c. 2016 — approximate, year precision, 1 January 2015 to 31 December 2017"),
    ("2016/2017", "2016/2017 — range, year precision, 1 January 2016 to 31 December 2017"),
    ("c. 2016-2017", "c. 2016-2017 — approximate range, year precision, 1 January 2015 to 31 December 2018"),
    ("2025-05-02T11:06:00+08:00", "2025-05-02T11:06:00+08:00 — minute precision, 2 May 2025 03:06 UTC"),
]


@pytest.mark.parametrize("text, expected", DESCRIBE_CASES)
def test_describe(text, expected):
    assert describe(parse_date(text)) == expected


def test_describe_is_one_line():
    assert "\n" not in describe(parse_date("2 May 2025 – 5 May 2025"))


# ------------------------------------------------------------ properties

datetimes = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))
precisions = st.sampled_from(PRECISIONS)
years = st.integers(min_value=1, max_value=9999)


@settings(max_examples=200, deadline=None)
@given(datetimes, precisions)
def test_format_then_parse_round_trips(dt, precision):
    s = seconds_from_datetime(dt)
    fd = parse_date(format_date(s, precision))
    assert fd.precision == precision
    assert fd.earliest == truncate(s, precision)
    assert fd.earliest <= s <= fd.latest
    assert not fd.approximate and not fd.is_range


@settings(max_examples=200, deadline=None)
@given(datetimes)
def test_seconds_round_trip(dt):
    s = seconds_from_datetime(dt)
    assert datetime_from_seconds(s) == dt.replace(microsecond=0)


@settings(max_examples=200, deadline=None)
@given(years, years, st.sampled_from(["/", "-", " to ", " – "]))
def test_year_ranges(a, b, separator):
    a, b = min(a, b), max(a, b)
    fd = parse_date(f"{a:04d}{separator}{b:04d}")
    assert fd.is_range
    assert fd.precision == "year"
    assert fd.earliest == _s(a, 1, 1)
    assert fd.latest == _s(b, 12, 31, 23, 59, 59)


@settings(max_examples=200, deadline=None)
@given(years, years)
def test_reversed_year_ranges_are_refused(a, b):
    if a == b:
        return
    a, b = max(a, b), min(a, b)
    text = f"{a:04d}/{b:04d}"
    with pytest.raises(DateError, match="ends before it starts"):
        parse_date(text)


@settings(max_examples=200, deadline=None)
@given(datetimes, precisions, st.sampled_from(["", "c. ", "circa ", "~", "about "]))
def test_approximate_contains_exact(dt, precision, marker):
    text = format_date(seconds_from_datetime(dt), precision)
    exact = parse_date(text)
    fuzzy = parse_date(marker + text)
    assert fuzzy.earliest <= exact.earliest <= exact.latest <= fuzzy.latest
    assert fuzzy.approximate == bool(marker)
    assert fuzzy.precision == precision


@settings(max_examples=200, deadline=None)
@given(datetimes, datetimes, precisions, precisions)
def test_ranges_between_formatted_dates(first, second, p1, p2):
    first, second = min(first, second), max(first, second)
    left = format_date(seconds_from_datetime(first), p1)
    right = format_date(seconds_from_datetime(second), p2)
    fd = parse_date(f"{left} – {right}")
    assert fd.is_range
    assert fd.earliest == truncate(seconds_from_datetime(first), p1)
    assert fd.latest == parse_date(right).latest
    assert fd.earliest <= fd.latest
    assert fd.precision == PRECISIONS[min(PRECISIONS.index(p1), PRECISIONS.index(p2))]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1, 1, 8), max_value=date(9999, 12, 24)),
       st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
       st.sampled_from(["", "last ", "next "]))
def test_relative_weekdays(reference, weekday, qualifier):
    fd = parse_date(qualifier + weekday, reference)
    day = datetime_from_seconds(fd.earliest).date()
    assert day.strftime("%A") == weekday
    gap = (reference - day).days
    if qualifier == "":
        assert 0 <= gap <= 6
    elif qualifier == "last ":
        assert 1 <= gap <= 7
    else:
        assert -7 <= gap <= -1
    assert fd.latest - fd.earliest == 86399


@pytest.mark.parametrize("text", ["/549", ".36", "84/", "2016 /", ",2016"])
def test_stray_punctuation_is_refused(text):
    # dateutil would skip the punctuation and read a year.
    with pytest.raises(DateError, match="cannot understand"):
        parse_date(text)


def test_trailing_full_stop_is_allowed():
    assert _bounds(parse_date("2 May 2025.")) == _day(2025, 5, 2)


@pytest.mark.parametrize("text", ["32 May", "May 32", "5 May 25"])
def test_a_short_number_beside_a_month_is_not_taken_for_a_year(text):
    # dateutil alone reads "32 May" as May 2032: a silent wrong date
    with pytest.raises(DateError, match="no year"):
        parse_date(text)


def test_dotted_dates_are_day_first_and_numeric_dates_that_read_both_ways_say_how():
    from store.dates import describe
    from store.dates.reading import as_read

    assert parse_date("03.05.2025").earliest == parse_date("3 May 2025").earliest
    assert parse_date("15.04.2025").earliest == parse_date("15 April 2025").earliest
    assert parse_date("05/04/2025").earliest == parse_date("4 May 2025").earliest  # month first, as documented
    assert as_read("05/04/2025") == "05/04/2025 (4 May 2025, month first)"
    assert describe(parse_date("05/04/2025")).startswith("05/04/2025 (4 May 2025, month first) — day precision")
    for plain in ("15/04/2025", "4/4/2025", "2025-05-04", "3 May 2025", "03.05.2025"):
        assert as_read(plain) == plain  # nothing to say: only one reading


@pytest.mark.parametrize("text, first, last, precision, approximate", [
    ("early May 2025", "2025-05-01", "2025-05-10", "month", True),
    ("mid-May 2025", "2025-05-11", "2025-05-20", "month", True),
    ("late February 2024", "2024-02-21", "2024-02-29", "month", True),
    ("mid-2024", "2024-05-01", "2024-08-31", "year", True),
    ("Spring 2025", "2025-03-01", "2025-05-31", "month", False),
    ("winter 2024", "2024-12-01", "2025-02-28", "month", False),
    ("Q2 2025", "2025-04-01", "2025-06-30", "month", False),
    ("the first half of 2025", "2025-01-01", "2025-06-30", "month", False),
    ("the 1990s", "1990-01-01", "1999-12-31", "year", False),
])  # fmt: skip
def test_named_periods_are_the_days_their_words_mean(text, first, last, precision, approximate):
    fd = parse_date(text)
    assert (fd.text, fd.precision, fd.approximate) == (text, precision, approximate)  # kept as written
    assert format_date(fd.earliest, "day") == first and format_date(fd.latest, "day") == last
    assert fd.latest == parse_date(last).latest


@pytest.mark.parametrize("text, units, moved", [
    ("early May 2025", 1, "early June 2025"), ("late Sept 2025", 1, "late Oct 2025"),
    ("Spring 2025", 1, "Summer 2025"), ("winter 2024", 1, "spring 2025"), ("Q4 2025", 1, "Q1 2026"),
    ("mid-2024", -2, "mid-2022"), ("the 1990s", 1, "the 2000s"), ("H2 2024", 1, "H1 2025"),
])  # fmt: skip
def test_a_named_period_moves_in_its_own_words(text, units, moved):
    from store.dates.shift import shift_date

    assert shift_date(text, units) == moved
