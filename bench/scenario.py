"""The scripted user session the benchmark replays, and small measuring helpers.

The frames go from the full range down to single events and back: zoom in
by steps of 0.7 towards one event in a quiet stretch (so the deepest frames
show a handful of real markers, not the inside of a burst), panning by a
tenth and by half a window at every fourth step, then zoom out again. The
same list of windows drives Threadline's timeline and the naive baseline.
"""

from __future__ import annotations

import os
import resource
import time

import numpy as np

ZOOM = 0.7
MIN_SPAN = 600.0  # the timeline's own limit (ten minutes)
WIDTH, HEIGHT = 1600, 900


def quiet_event(data, seed: int = 1) -> float:
    """The middle of an event with few neighbours within a day: where to zoom."""
    if not data.n_events:
        return 0.0
    rng = np.random.default_rng(seed)
    picks = rng.choice(data.n_events, size=min(400, data.n_events), replace=False)
    mids = data.start(picks) + data.dur[picks].astype(np.int64) // 2
    precise = data.dur[picks] <= 86400
    day = 86400
    near = data.search_start(mids + day) - data.search_start(mids - 2 * day)
    near = np.where(precise, near, np.iinfo(np.int64).max)
    return float(mids[int(np.argmin(near))])


def windows(lo: float, hi: float, target: float) -> list[tuple[float, float, str]]:
    """(x0, x1, what) for every frame of the scripted session."""
    span = max(hi - lo, MIN_SPAN)
    pad = span * 0.03
    full = (lo - pad, hi + pad)
    out = [(*full, "full range")]
    spans = []
    s = full[1] - full[0]
    while s * ZOOM >= MIN_SPAN:
        s *= ZOOM
        spans.append(s)
    for k, s in enumerate(spans):
        a = target - s / 2
        out.append((a, a + s, "zoom in"))
        if k % 4 == 3:
            for shift in (0.1, 0.5, -0.5, -0.1):
                out.append((a + s * shift, a + s * shift + s, "pan"))
    for s in reversed(spans[:-1]):
        a = target - s / 2
        out.append((a, a + s, "zoom out"))
    out.append((*full, "full range"))
    return out


def percentiles(ms: list[float]) -> dict:
    arr = np.asarray(ms, dtype=np.float64)
    if not len(arr):
        return {"p50": None, "p95": None, "max": None}
    return {"p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)), "max": float(arr.max())}


def rss_mb() -> float:
    """Resident memory now, from /proc (Linux); peak RSS where /proc is missing."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


class Stopwatch:
    def __init__(self):
        self.t = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.t = now - self.t, now
        return elapsed
