"""Command-line values that need more than argparse, read in one place.

``main.py`` parses the command line and hands typed values to the jobs it
runs (``store/exporting.py``, ``gui/headless.py``, ``gui/figure/headless.py``);
a value a command cannot use is a ``UsageError``: one line naming the flag,
printed by ``main.py`` without a traceback.
"""

from __future__ import annotations


class UsageError(ValueError):
    """A command was called with a value it cannot use (a flag, a name, a date)."""


def date_window(start: str | None, end: str | None) -> tuple[float | None, float | None]:
    """``--start``/``--end`` as written ("April 2025", "c. 2016"): the
    earliest instant of the start and the latest of the end, in seconds;
    None for one not given."""
    from .dates import DateError, parse_date

    bounds: list[float | None] = []
    for flag, text, pick in (("--start", start, "earliest"), ("--end", end, "latest")):
        if not text:
            bounds.append(None)
            continue
        try:
            bounds.append(getattr(parse_date(text), pick))
        except DateError as exc:
            raise UsageError(f"{flag}: {exc}") from None
    return bounds[0], bounds[1]


def lane_count(text: str | None) -> int | str | None:
    """``--lanes``: "all", a number of lanes, or None (those that fit)."""
    if text is None or text == "all":
        return text
    try:
        n = int(text)
    except ValueError:
        raise UsageError(f"--lanes must be 'all' or a number of lanes, not '{text}'") from None
    if n < 1:
        raise UsageError(f"--lanes must be at least 1, not {n}")
    return n
