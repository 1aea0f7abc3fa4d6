"""Small summaries of the whole file that the first frame needs.

The window's first frame needs, besides the arrays, a few facts that each
take a pass over every event or pair: how many events each actor has (lane
order, actor list), when each actor first appears (lane order), where the
story happens (the initial zoom) and how events spread over time (the
overview strip). Each is computed once per loaded data, kept in
``data.derived``, and saved in the cache beside the file with the arrays, so
a second open reads them instead of passing over a million events again.
"""

from __future__ import annotations

import numpy as np

from .lane_index import mid_seconds
from .timeline_sql import IMPRECISE

OVERVIEW_BINS = 600
SUMMARIES = ("actor_events", "first_seen", "story_span", "overview")  # as cached, "summary_" + name


def actor_events(data) -> np.ndarray:
    """Events of each actor (by actor index)."""
    return _memo(data, "actor_events", lambda: np.bincount(data.pair_actor, minlength=data.n_actors).astype(np.int64))


def first_seen(data) -> np.ndarray:
    """Earliest bound of each actor's first event (int64 max for actors with none)."""

    def compute():
        first = np.full(data.n_actors, np.iinfo(np.int64).max)
        if not len(data.pair_actor):
            return first
        # pairs are in time order, so an actor's first pair in a stable sort is its first event
        order = np.argsort(data.pair_actor, kind="stable")
        actors = data.pair_actor[order]
        starts = np.flatnonzero(np.r_[True, actors[1:] != actors[:-1]])
        event = np.searchsorted(data.pair_offsets, order[starts], side="right") - 1
        first[actors[starts]] = data.start(event)
        return first

    return _memo(data, "first_seen", compute)


def first_seen_from(data, actors: np.ndarray, first_pairs: np.ndarray) -> np.ndarray:
    """``first_seen`` from each actor's first pair (the pairs being in time
    order), as a sort of the pairs by actor gives it (``lane_index``)."""

    def compute():
        first = np.full(data.n_actors, np.iinfo(np.int64).max)
        if len(first_pairs):
            first[actors] = data.start(np.searchsorted(data.pair_offsets, first_pairs, side="right") - 1)
        return first

    return _memo(data, "first_seen", compute)


def story_span(data) -> np.ndarray:
    """(lo, hi) where the story happens: the 2nd to 98th percentile of the
    middles of its precisely dated events (all of them on small files), so a
    few outliers do not stretch the first view. Needs at least one event."""

    def compute():
        precise = (data.style & IMPRECISE) == 0
        mids = mid_seconds(data.start(), data.dur)
        if np.count_nonzero(precise) >= 5:
            mids = mids[precise]
        if len(mids) <= 200:
            return np.array([mids.min(), mids.max()], dtype=np.int64)
        k = [int(0.02 * (len(mids) - 1)), int(0.98 * (len(mids) - 1))]
        return np.partition(mids, k)[k].astype(np.int64)  # a selection, not a sort

    return _memo(data, "story_span", compute)


def overview(data) -> np.ndarray:
    """Events by the middle of their span over OVERVIEW_BINS equal bins of the
    file's time range (a span running past the end counts up to the end)."""

    def compute():
        lo, hi = data.time_range
        hi = max(hi, lo + 86400)
        starts = data.start()
        mids = mid_seconds(starts, np.minimum(data.dur, np.maximum(hi - starts, 0)))
        # integer bins: the same edges as linspace(lo, hi, BINS + 1), without a float sort
        bins = ((mids - lo).astype(np.float64) * (OVERVIEW_BINS / (hi - lo))).astype(np.int64)
        return np.bincount(np.clip(bins, 0, OVERVIEW_BINS - 1), minlength=OVERVIEW_BINS).astype(np.int64)

    return _memo(data, "overview", compute)


def summarise(data) -> dict[str, np.ndarray]:
    """Every summary (computed now if not yet), by name, for the cache."""
    if not data.n_events:
        return {}
    return {"actor_events": actor_events(data), "first_seen": first_seen(data),
            "story_span": story_span(data), "overview": overview(data)}


def restore(data, arrays: dict) -> None:
    """Put cached summaries back into ``data.derived`` (those that fit it)."""
    sizes = {"actor_events": data.n_actors, "first_seen": data.n_actors, "story_span": 2, "overview": OVERVIEW_BINS}
    for name in SUMMARIES:
        arr = arrays.get(f"summary_{name}")
        if arr is not None and arr.shape == (sizes[name],):
            data.derived[name] = arr


def _memo(data, name: str, compute) -> np.ndarray:
    value = data.derived.get(name)
    if value is None:
        value = data.derived[name] = compute()
    return value


def bulk_span(data, share: float = 0.98) -> tuple[int, int]:
    """The shortest time range holding ``share`` of the events (by their
    earliest bound): where "fit to data" looks, so that a few events dated
    decades away do not squeeze the rest into one pixel column. Events are
    sorted by their earliest bound, so this is one vectorised pass."""
    starts = data.start()
    n = len(starts)
    if n <= 2:
        lo, hi = data.time_range
        return int(lo), int(hi)
    m = max(int(np.ceil(share * n)), 2)
    widths = starts[m - 1:] - starts[: n - m + 1]
    i = int(np.argmin(widths))
    lo, hi = int(starts[i]), int(starts[i + m - 1])
    # the events starting in the range end where they end: reach the latest of them
    hi = max(hi, int(data.end(np.arange(i, i + m)).max()) if m <= 2_000_000 else hi)
    return lo, hi
