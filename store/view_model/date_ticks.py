"""Calendar ticks for a time axis: which step, which instants, which labels.

Shared by the timeline's axis (gui/timeline/date_axis.py) and the figures
(gui/figure/timeline.py), so a figure's dates read like the screen's. The
step is picked from a fixed ladder in a few comparisons and the ticks of a
step are one numpy ``arange`` over calendar units (``datetime64`` years,
months or seconds): a pan costs well under a millisecond. Times are UTC,
like every bound Threadline stores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dates import datetime_from_seconds

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY = 86400
YEAR_S = 365.2425 * DAY
MONTH_S = YEAR_S / 12


@dataclass(frozen=True)
class Step:
    unit: str  # "Y", "M", "D" (days within a month) or "s"
    count: int
    seconds: float  # typical length, to compare with pixels
    label_px: int  # how wide its labels are, roughly

    @property
    def is_time(self) -> bool:
        return self.unit == "s"


def _ladder() -> list[Step]:
    steps = [Step("Y", n, n * YEAR_S, 44) for n in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)]
    steps += [Step("M", n, n * MONTH_S, 66) for n in (6, 3, 1)]
    steps += [Step("D", n, n * DAY, 52) for n in (15, 10, 5, 2, 1)]
    steps += [Step("s", n, n, 44) for n in (12 * 3600, 6 * 3600, 3 * 3600, 3600, 1800, 900, 600, 300, 60, 30, 15, 10, 5, 1)]
    return steps


LADDER = _ladder()  # coarsest first
MIN_LABEL_GAP = 28  # pixels between neighbouring labels
MIN_MINOR_PX = 14  # minor ticks (grid lines only) at least this far apart


def pick_steps(span_s: float, size_px: float) -> tuple[Step, Step | None]:
    """The finest step whose labels do not collide, and a finer one for grid lines."""
    px_per_s = size_px / max(span_s, 1e-9)
    major = LADDER[0]
    for step in LADDER:
        if step.seconds * px_per_s < step.label_px + MIN_LABEL_GAP:
            break
        major = step
    minor = None
    for step in LADDER[LADDER.index(major) + 1:]:
        if step.seconds * px_per_s < MIN_MINOR_PX:
            break
        if _divides(step, major):
            minor = step
    return major, minor


def _divides(fine: Step, coarse: Step) -> bool:
    """Whether every coarse tick is also a fine tick (so grid lines nest). Finer
    calendar units always start where coarser ones do (month starts are day-1
    ticks, day starts are whole hours); within one unit the counts must divide."""
    if fine.unit == coarse.unit:
        return coarse.count % fine.count == 0
    return True


def tick_seconds(step: Step, lo: float, hi: float) -> np.ndarray:
    """Every tick of ``step`` in [lo, hi], as seconds since 1970 UTC."""
    if hi < lo:
        lo, hi = hi, lo
    lo, hi = max(lo, -62_135_596_800.0), min(hi, 253_402_300_799.0)  # years 1 to 9999
    if hi <= lo:
        return np.zeros(0)
    if step.is_time:
        first = np.ceil(lo / step.count) * step.count
        return np.arange(first, hi + 1e-9, step.count, dtype=np.float64)
    if step.unit in ("Y", "M"):
        unit = f"datetime64[{step.unit}]"
        a = int(np.floor(_seconds_to(lo, step.unit)))
        b = int(np.floor(_seconds_to(hi, step.unit)))
        a -= a % step.count if step.unit == "M" else (a + 1970) % step.count
        units = np.arange(a, b + 1, step.count)
        secs = units.astype(unit).astype("datetime64[s]").astype(np.int64).astype(np.float64)
        return secs[(secs >= lo) & (secs <= hi)]
    return _day_ticks(step.count, lo, hi)


def _seconds_to(seconds: float, unit: str) -> float:
    """Whole calendar units (since 1970) before an instant."""
    t = np.datetime64(int(np.floor(seconds)), "s")
    return float(t.astype(f"datetime64[{unit}]").astype(np.int64))


def _day_ticks(count: int, lo: float, hi: float) -> np.ndarray:
    """Days 1, 1 + count, ... of each month, skipping one that would crowd the next 1st."""
    m0 = int(_seconds_to(lo, "M"))
    m1 = int(_seconds_to(hi, "M"))
    months = np.arange(m0, m1 + 1).astype("datetime64[M]")
    starts = months.astype("datetime64[D]").astype(np.int64)
    lengths = (months + 1).astype("datetime64[D]").astype(np.int64) - starts
    offsets = np.arange(0, 31, count)
    days = starts[:, None] + offsets[None, :]
    keep = offsets[None, :] <= lengths[:, None] - max(count * 0.6, 1)
    secs = days[keep].astype(np.float64) * DAY
    return np.sort(secs[(secs >= lo) & (secs <= hi)])


def labels(step: Step, values) -> list[str]:
    """Readable UTC labels; times carry the date where the day changes and at the first tick."""
    if not len(values):
        return []
    t = np.asarray(values, dtype=np.float64).astype(np.int64).astype("datetime64[s]")
    years = t.astype("datetime64[Y]").astype(np.int64) + 1970
    months = t.astype("datetime64[M]").astype(np.int64) % 12
    days = (t.astype("datetime64[D]") - t.astype("datetime64[M]")).astype(np.int64) + 1
    secs = (t - t.astype("datetime64[D]")).astype(np.int64)
    out = []
    for i, (y, m, d, s) in enumerate(zip(years.tolist(), months.tolist(), days.tolist(), secs.tolist())):
        if step.unit == "Y":
            out.append(str(y))
        elif step.unit == "M":
            out.append(f"{MONTHS[m]} {y}" if m == 0 or i == 0 else MONTHS[m])
        elif step.unit == "D":
            out.append(f"{d} {MONTHS[m]} {y}" if (m == 0 and d == 1) or i == 0 else f"{d} {MONTHS[m]}")
        else:
            clock = f"{s // 3600:02d}:{s // 60 % 60:02d}" + (f":{s % 60:02d}" if step.count < 60 else "")
            out.append(f"{d} {MONTHS[m]} {y} {clock}" if s == 0 or i == 0 else clock)
    return out


def describe_window(window, *, long_months: bool = False) -> str:
    """A time window as a person reads it: "2 May 2025 – 9 May 2025", with the
    clock when it spans under three days; "all time" for no window. The
    screen uses short month names, figures (``long_months``) full ones."""
    if window is None:
        return "all time"
    lo, hi = (datetime_from_seconds(int(t)) for t in window)
    fmt = "%d %b %Y %H:%M" if (hi - lo).days < 3 else ("%d %B %Y" if long_months else "%d %b %Y")
    a, b = lo.strftime(fmt).lstrip("0"), hi.strftime(fmt).lstrip("0")
    return a if a == b else f"{a} – {b}"
