"""Named parts of a month, a year or a century, as reporters write them.

"early May 2025", "mid-2024", "late 2019", "spring 2025", "Q2 2025",
"the first half of 2025", "the 1990s": each is a span of whole days whose
ends the words fix by convention, read as a date over that
span (early / mid / late drawn as uncertain, like "c. 2016"; the others
have exact ends by convention):

* early / mid / late in a month: days 1-10, 11-20, 21 to the end;
* early / mid / late in a year: January-April, May-August,
  September-December;
* seasons are the meteorological ones of the northern hemisphere (spring
  March-May, summer June-August, autumn or fall September-November, winter
  December to February of the next year): a southern-hemisphere story should
  write the months;
* quarters and halves are calendar ones (Q2 is April-June);
* a decade is its ten years ("the 1990s" is 1990-1999).

Moving such a date keeps its words: "early May 2025" a month later is
"early June 2025", "Q2 2025" a quarter later "Q3 2025".
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime

from .seconds import MONTH_NAMES, month_word, seconds_from_datetime

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES) if name}
_MONTHS.update({name[:3].lower(): i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_PART = r"(early|mid|middle of|late|end of|beginning of|start of)"
_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

_IN_MONTH = re.compile(rf"^{_PART}[\s-]*([a-z]+)\.?,?\s+(\d{{4}})$", re.IGNORECASE)
_IN_YEAR = re.compile(rf"^{_PART}[\s-]*(\d{{4}})$", re.IGNORECASE)
_SEASON = re.compile(r"^(spring|summer|autumn|fall|winter)(?:\s+of)?\s+(\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(?:q([1-4])\s+(\d{4})|(\d{4})\s+q([1-4])|(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)"
                      r"\s+quarter\s+(?:of\s+)?(\d{4}))$", re.IGNORECASE)
_HALF = re.compile(r"^(?:h([12])\s+(\d{4})|(\d{4})\s+h([12])|(?:the\s+)?(first|second|1st|2nd)\s+half\s+(?:of\s+)?(\d{4}))$",
                   re.IGNORECASE)
_DECADE = re.compile(r"^(?:the\s+)?(\d{3}0)['’]?s$", re.IGNORECASE)


def _part(word: str) -> str:
    word = word.lower()
    if word in ("middle of",):
        return "mid"
    if word in ("end of",):
        return "late"
    if word in ("beginning of", "start of"):
        return "early"
    return word


def _months(year: int, first: int, count: int) -> tuple[int, int]:
    """Seconds of the first and last moment of ``count`` months from (year, first)."""
    start = datetime(year, first, 1)
    last_month = first + count - 1
    end_year, end_month = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
    last_day = calendar.monthrange(end_year, end_month)[1]
    return seconds_from_datetime(start), seconds_from_datetime(datetime(end_year, end_month, last_day, 23, 59, 59))


def read_period(text: str) -> tuple[int, int, str, bool] | None:
    """(earliest, latest, precision, approximate) of a named period, or None
    when ``text`` is none. Only early / mid / late are approximate: a
    quarter, a season or a decade has exact ends by convention."""
    text = " ".join(text.split())
    found = _IN_MONTH.match(text)
    if found and found.group(2).lower() in _MONTHS:
        part, month, year = _part(found.group(1)), _MONTHS[found.group(2).lower()], int(found.group(3))
        if not 1 <= year <= 9999:
            return None
        first, last = _PART_DAYS[part]
        last = min(last, calendar.monthrange(year, month)[1])
        return (seconds_from_datetime(datetime(year, month, first)),
                seconds_from_datetime(datetime(year, month, last, 23, 59, 59)), "month", True)
    found = _IN_YEAR.match(text)
    if found and 1 <= int(found.group(2)) <= 9999:
        first, last = _PART_MONTHS[_part(found.group(1))]
        return (*_months(int(found.group(2)), first, last - first + 1), "year", True)
    found = _SEASON.match(text)
    if found and 1 <= int(found.group(2)) <= 9998:
        return (*_months(int(found.group(2)), _SEASONS[found.group(1).lower()], 3), "month", False)
    found = _QUARTER.match(text)
    if found:
        q = int(found.group(1) or found.group(4) or _ORDINALS[found.group(5).lower()])
        year = int(found.group(2) or found.group(3) or found.group(6))
        return (*_months(year, 3 * q - 2, 3), "month", False) if 1 <= year <= 9999 else None
    found = _HALF.match(text)
    if found:
        h = int(found.group(1) or found.group(4) or _ORDINALS[found.group(5).lower()])
        year = int(found.group(2) or found.group(3) or found.group(6))
        return (*_months(year, 6 * h - 5, 6), "month", False) if 1 <= year <= 9999 else None
    found = _DECADE.match(text)
    if found and 1 <= int(found.group(1)) <= 9990:
        decade = int(found.group(1))
        return (seconds_from_datetime(datetime(max(decade, 1), 1, 1)),
                seconds_from_datetime(datetime(decade + 9, 12, 31, 23, 59, 59)), "year", False)
    return None


def shift_period(text: str, units: int) -> str | None:
    """``text`` moved by ``units`` of its own kind (months for parts of a
    month, seasons, quarters and halves step by their own length; years for
    parts of a year; decades by ten years), in the same words; None when
    ``text`` is no named period."""
    body = " ".join(text.split())
    found = _IN_MONTH.match(body)
    if found and found.group(2).lower() in _MONTHS:
        month = _MONTHS[found.group(2).lower()] - 1 + units
        year, month = int(found.group(3)) + month // 12, month % 12 + 1
        return f"{body[:found.start(2)]}{month_word(month, found.group(2))}{body[found.end(2):found.start(3)]}{year:04d}"
    found = _IN_YEAR.match(body)
    if found:
        return f"{body[:found.start(2)]}{int(found.group(2)) + units:04d}"
    found = _SEASON.match(body)
    if found:
        order = ["spring", "summer", "autumn", "winter"]
        word = found.group(1).lower().replace("fall", "autumn")
        step = order.index(word) + units
        year = int(found.group(2)) + step // 4
        new = order[step % 4]
        if found.group(1).lower() == "fall" and new == "autumn":
            new = "fall"
        if found.group(1)[0].isupper():
            new = new.capitalize()
        return f"{new}{body[found.end(1):found.start(2)]}{year:04d}"
    for pattern, per_year in ((_QUARTER, 4), (_HALF, 2)):
        found = pattern.match(body)
        if found:
            n = int(found.group(1) or found.group(4) or _ORDINALS[found.group(5).lower()]) - 1 + units
            year = int(found.group(2) or found.group(3) or found.group(6)) + n // per_year
            letter = "Q" if per_year == 4 else "H"
            return f"{letter}{n % per_year + 1} {year:04d}"
    found = _DECADE.match(body)
    if found:
        return f"{body[:found.start(1)]}{int(found.group(1)) + 10 * units}{body[found.end(1):]}"
    return None


def unit_seconds(text: str) -> float | None:
    """How long one step of a named period is, to turn a drag into steps."""
    body = " ".join(text.split())
    if _IN_MONTH.match(body):
        return 30.436875 * 86400
    if _IN_YEAR.match(body):
        return 365.2425 * 86400
    if _SEASON.match(body) or _QUARTER.match(body):
        return 3 * 30.436875 * 86400
    if _HALF.match(body):
        return 6 * 30.436875 * 86400
    if _DECADE.match(body):
        return 10 * 365.2425 * 86400
    return None
