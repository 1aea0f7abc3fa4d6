"""DateError and the wording of its messages.

Every failure names the piece of text that could not be read, and the
whole text when they differ, so the messages are built in one place.
"""

from __future__ import annotations

YEARS_NOTE = "(years 1 to 9999 only)"


class DateError(ValueError):
    """A date that cannot be read or represented; the message quotes it."""


def where_in_text(part: str, whole: str) -> str:
    # Name the piece that failed, and the whole text when they differ.
    return f"'{part}'" if part == whole else f"'{part}' in '{whole}'"


def not_understood(part: str, whole: str, why: str = "") -> DateError:
    suffix = f" ({why})" if why else ""
    return DateError(f"cannot understand the date {where_in_text(part, whole)}{suffix}")


def not_representable(part: str, whole: str) -> DateError:
    return DateError(f"cannot represent the date {where_in_text(part, whole)} {YEARS_NOTE}")
