"""Synthetic dates and times: when events happen, and how they are written.

Instants are epoch seconds drawn with numpy; each is then written in one of
the forms researchers use (a day, a minute, a month, a year, a year range
or an approximate year) with the first and last second the text means, as
:func:`store.dates.parse_date` reads it, so the derived columns agree with
:func:`store.records.event_bounds` without parsing a row.
"""

from __future__ import annotations

import math

import numpy as np

from .sampling import _cdf, _draw

T0 = int(np.datetime64("1990-01-01", "s").astype(np.int64))
T1 = int(np.datetime64("2026-01-01", "s").astype(np.int64))  # exclusive

# Date forms of an event's start, with their shares.
DAY, MINUTE, MONTH, YEAR, RANGE, APPROX = range(6)
FORM_SHARES = (0.85, 0.05, 0.06, 0.02, 0.01, 0.01)
_PRECISION = np.array(["day", "minute", "month", "year", "year", "year"], dtype=object)
_UNIT = {DAY: "D", MINUTE: "m", MONTH: "M", YEAR: "Y"}
END_SHARE = 0.05  # of all events; only day, minute and month starts get one


def _seconds(units: np.ndarray) -> np.ndarray:
    return units.astype("datetime64[s]").astype(np.int64)


def _dates(t: np.ndarray, form: np.ndarray, range_years: np.ndarray):
    """Dates as written for instants t (epoch seconds) in the given forms,
    with the first and last second each means (as parse_date reads them)."""
    n = len(t)
    text = np.empty(n, dtype=object)
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    ts = t.astype("datetime64[s]")
    for code, unit in _UNIT.items():
        idx = np.flatnonzero(form == code)
        if not len(idx):
            continue
        units = ts[idx].astype(f"datetime64[{unit}]")
        written = np.datetime_as_string(units)
        if code == MINUTE:
            written = np.char.replace(written, "T", " ")
        text[idx] = written
        first[idx] = _seconds(units)
        last[idx] = _seconds(units + 1) - 1
    idx = np.flatnonzero(form == RANGE)
    if len(idx):
        y1 = ts[idx].astype("datetime64[Y]")
        y2 = y1 + range_years[idx]
        text[idx] = [f"{a}/{b}" for a, b in zip(np.datetime_as_string(y1).tolist(),
                                                 np.datetime_as_string(y2).tolist())]
        first[idx] = _seconds(y1)
        last[idx] = _seconds(y2 + 1) - 1
    idx = np.flatnonzero(form == APPROX)
    if len(idx):
        y = ts[idx].astype("datetime64[Y]")
        text[idx] = ["c. " + s for s in np.datetime_as_string(y).tolist()]
        first[idx] = _seconds(y - 1)  # widened by a year on each side
        last[idx] = _seconds(y + 2) - 1
    return text, first, last


def _event_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Sorted instants: a background rate growing over the decades plus many
    short bursts of very different sizes around random centres."""
    span = T1 - T0

    def drift(size):  # density rising from 1 to 3 across the span
        u = rng.random(size)
        return (np.sqrt(1 + 8 * u) - 1) / 2

    bursty = rng.random(n) < 0.7
    t = T0 + drift(n) * span
    bursts = max(1, n // 300)
    centres = T0 + drift(bursts) * span
    widths = rng.lognormal(math.log(3 * 86400), 1.0, bursts)
    which = _draw(rng, _cdf(rng.pareto(1.2, bursts) + 1.0), int(bursty.sum()))
    t[bursty] = centres[which] + rng.laplace(0.0, 1.0, len(which)) * widths[which]
    t = np.clip(np.floor(t), T0, T1 - 1).astype(np.int64)
    t.sort()
    return t
