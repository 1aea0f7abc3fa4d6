"""The lane index (``store/lane_index.py``) as the timeline uses it: the one
for the whole file, kept with the data, and ones for a filter or selection,
kept while the same mask object is current. Per-frame counting from an
index is in ``density_frame.py``. Nothing here knows Qt.
"""

from __future__ import annotations

import numpy as np

from store.lane_index import (  # noqa: F401  (re-exported for the timeline)
    KEY_MAX, LaneIndex, build_lane_index, build_merged_index, event_keys, key_frame, mid_seconds,
)
from store.timeline_data import TimelineData


def lane_index(data: TimelineData, event_mask: np.ndarray | None = None, slot: str = "subset") -> LaneIndex:
    """The index for the data (kept with it), or for a subset of its events,
    kept in ``slot`` while the same mask object is asked for (the session
    keeps one mask object per filter and per selection)."""
    if event_mask is None:
        if "lane_index" not in data.derived:
            data.derived["lane_index"] = build_lane_index(data)
        return data.derived["lane_index"]
    index = cached_index(data, event_mask, slot)
    if index is None:
        index = build_lane_index(data, event_mask)
        keep_index(data, event_mask, slot, index)
    return index


def cached_index(data: TimelineData, event_mask: np.ndarray, slot: str) -> LaneIndex | None:
    cached = data.derived.get(f"lane_index_{slot}")
    return cached[1] if cached is not None and cached[0] is event_mask else None


def keep_index(data: TimelineData, event_mask: np.ndarray, slot: str, index: LaneIndex) -> None:
    data.derived[f"lane_index_{slot}"] = _Subset(event_mask, index)


class _Subset(tuple):
    """(mask, index) with the index's bytes, so ``TimelineData.nbytes`` counts it."""

    def __new__(cls, mask, index):
        return super().__new__(cls, (mask, index))

    @property
    def nbytes(self) -> int:
        return self[1].nbytes


def window_counts(data: TimelineData, x0: float, x1: float) -> np.ndarray:
    """Events per actor index whose middle lies in [x0, x1]: two binary
    searches per lane, for all lanes at once (no pass over the events)."""
    from .density_frame import columns, lane_bounds  # density_frame imports this module

    if data.n_events == 0 or data.n_actors == 0:
        return np.zeros(data.n_actors, np.int64)
    lanes = lane_index(data)
    lo, hi = lane_bounds(lanes, np.arange(data.n_actors), columns(lanes, x0, x1, 1))
    return (hi - lo).astype(np.int64)
