"""What is on screen: the numpy half of the timeline, with no Qt.

Per frame the timeline needs the (event, lane) pairs inside the visible time
range and rows, in pixels. Events are sorted by their earliest bound, so the
range is found with ``searchsorted``; events longer than ``LONG`` seconds
(years, ranges, long bars) are few and kept in a separate list, so the short
ones can be found by searching back no further than ``LONG``. Nothing here
loops over events in Python, so the cost of a frame depends on what is
visible, not on how many events the file holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from store.timeline_data import TimelineData

LONG = 40 * 86400  # longer than any month-precision date


class VisibleIndex:
    """Per-data precomputation for fast visible-range queries."""

    def __init__(self, data: TimelineData):
        self.data = data
        duration = data.t1 - data.t0
        self.is_long = duration > LONG
        self.long_idx = np.flatnonzero(self.is_long)

    def events_in(self, x0: float, x1: float) -> np.ndarray:
        """Sorted indices of events overlapping [x0, x1]."""
        d = self.data
        lo = int(np.searchsorted(d.t0, x0 - LONG, side="left"))
        hi = int(np.searchsorted(d.t0, x1, side="right"))
        short = np.arange(lo, hi)
        short = short[(d.t1[lo:hi] >= x0) & ~self.is_long[lo:hi]]
        if not len(self.long_idx):
            return short
        lg = self.long_idx
        lg = lg[(d.t0[lg] <= x1) & (d.t1[lg] >= x0)]
        return np.union1d(short, lg) if len(lg) else short


@dataclass
class PairFrame:
    """The visible (event, lane) pairs of one frame, in pixels."""

    event: np.ndarray  # event index
    row: np.ndarray  # lane row (0 = top)
    actor: np.ndarray  # actor index
    x0: np.ndarray  # pixel of the earliest bound
    x1: np.ndarray  # pixel of the latest bound
    n_events: int

    def __len__(self) -> int:
        return len(self.event)


def expand_pairs(data: TimelineData, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(event index, actor index) of every pair of the given events."""
    lo = data.pair_offsets[events]
    counts = data.pair_offsets[events + 1] - lo
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int32)
    starts = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total)
    return np.repeat(events, counts), data.pair_actor[starts]


def frame_pairs(
    index: VisibleIndex,
    row_of_actor: np.ndarray,
    x0: float,
    x1: float,
    width_px: float,
    row_range: tuple[int, int],
    filter_mask: np.ndarray | None = None,
) -> PairFrame:
    """Pairs in the time range and rows, with pixel x of both bounds (x0 maps to 0)."""
    data = index.data
    events = index.events_in(x0, x1)
    if filter_mask is not None:
        events = events[filter_mask[events]]
    ev, actor = expand_pairs(data, events)
    row = row_of_actor[actor]
    keep = (row >= row_range[0]) & (row <= row_range[1])
    ev, actor, row = ev[keep], actor[keep], row[keep]
    scale = width_px / max(x1 - x0, 1e-9)
    px0 = (data.t0[ev] - x0) * scale
    px1 = (data.t1[ev] - x0) * scale
    return PairFrame(ev, row, actor, px0, px1, len(events))


def density_grid(frame: PairFrame, n_rows: int, width: int, row0: int = 0, weights_mask: np.ndarray | None = None) -> np.ndarray:
    """Events per (row, pixel column). Every pair counts once, at the middle of
    its bounds clamped into the image, so nothing in the range is dropped at
    an edge: a row's total is exactly its number of visible pairs."""
    if width <= 0 or n_rows <= 0:
        return np.zeros((max(n_rows, 0), max(width, 0)), dtype=np.int32)
    mid = (frame.x0 + frame.x1) * 0.5
    col = np.clip(mid, 0, width - 1).astype(np.int64)
    rows = frame.row.astype(np.int64) - row0
    keep = (rows >= 0) & (rows < n_rows)
    if weights_mask is not None:
        keep &= weights_mask
    flat = rows[keep] * width + col[keep]
    return np.bincount(flat, minlength=n_rows * width).reshape(n_rows, width).astype(np.int32)
