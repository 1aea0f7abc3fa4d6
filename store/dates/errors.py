"""DateError and the wording of its messages.

Every failure names the piece of text that could not be read, and the
whole text when they differ, so the messages are built in one place.
"""

from __future__ import annotations

_YEARS_NOTE = "(years 1 to 9999 only)"


class DateError(ValueError):
    """A date that cannot be read or represented; the message quotes it."""


def _where(part: str, whole: str) -> str:
    # Name the piece that failed, and the whole text when they differ.
    return f"'{part}'" if part == whole else f"'{part}' in '{whole}'"


def _not_understood(part: str, whole: str, why: str = "") -> DateError:
    suffix = f" ({why})" if why else ""
    return DateError(f"cannot understand the date {_where(part, whole)}{suffix}")


def _not_representable(part: str, whole: str) -> DateError:
    return DateError(f"cannot represent the date {_where(part, whole)} {_YEARS_NOTE}")
