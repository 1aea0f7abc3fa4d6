"""What is on screen: the numpy half of the timeline, with no Qt.

Per frame the timeline needs the (event, lane) pairs inside the visible time
range and rows, in pixels. Events are sorted by their earliest bound, so the
range is found with ``searchsorted``; events longer than ``LONG`` seconds
(years, ranges, long bars) are few and kept in a separate list, so the short
ones can be found by searching back no further than ``LONG``. Nothing here
loops over events in Python.

``frame_pairs`` lists every visible pair, so its cost grows with what is
visible: the timeline calls it only when few pairs are visible (detail
mode) or for a few pixels around the pointer. Zoomed out, counts come from
``density.py``; ``edge_pairs`` adds the events that overlap the window while
their midpoint lies outside it, so both modes count exactly the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from store.timeline_data import TimelineData

from .density import LaneIndex, event_keys
from .density_frame import Columns

LONG = 40 * 86400  # longer than any month-precision date
VERY_LONG = 4 * 366 * 86400  # a few events ("1900/2000") span far more than most long ones


class VisibleIndex:
    """Per-data precomputation for fast visible-range queries (kept with the data)."""

    def __new__(cls, data: TimelineData):
        # one per loaded data: every timeline (the window, exports) shares it
        cached = data.derived.get("visible_index")
        if cached is None:
            cached = super().__new__(cls)
            cached._setup(data)
            data.derived["visible_index"] = cached
        return cached

    def __init__(self, data: TimelineData):
        pass

    def _setup(self, data: TimelineData) -> None:
        self.data = data
        duration = data.dur
        index_type = np.int32 if data.n_events < 2**31 else np.int64
        self.long_idx = np.flatnonzero(duration > LONG).astype(index_type)
        # the longest of the long ones bounds how far back one can start and still reach a window;
        # the few longer than VERY_LONG are tested one by one instead, so one "1000/2000" does not
        # make every frame test every long event
        self.very_long_idx = np.flatnonzero(duration > VERY_LONG).astype(index_type)
        self.long_reach = int(duration[self.long_idx].max()) if len(self.long_idx) else 0
        self.long_reach = min(self.long_reach, VERY_LONG)
        self._last_long = (None, None)
        self._last_edges = (None, None)

    @property
    def nbytes(self) -> int:
        return self.long_idx.nbytes + self.very_long_idx.nbytes

    def _first_at_or_after(self, t: float, side: str = "left") -> int:
        return self.data.search_start(t, side)

    def _short_between(self, lo: float, hi: float) -> np.ndarray:
        """Short events whose earliest bound is in [lo, hi]."""
        d = self.data
        a = self._first_at_or_after(lo, "left")
        b = self._first_at_or_after(hi, "right")
        return a + np.flatnonzero(d.dur[a:b] <= LONG)

    def _long_overlapping(self, x0: float, x1: float) -> np.ndarray:
        """Long events overlapping [x0, x1]. Only those starting between
        x0 - (longest duration) and x1 can; they are a slice of long_idx,
        found by two searches (both arrays are sorted by start). Kept for the
        frame: several steps of one frame ask the same."""
        last = self._last_long  # read once: the graph's worker thread asks too
        if last[0] == (x0, x1):
            return last[1]
        d = self.data
        first = self._first_at_or_after(x0 - self.long_reach, "left")
        last = self._first_at_or_after(x1, "right")
        lg = self.long_idx[np.searchsorted(self.long_idx, first):np.searchsorted(self.long_idx, last)]
        if len(self.very_long_idx):
            lg = np.union1d(lg, self.very_long_idx[d.start(self.very_long_idx) <= x1])
        lg = lg[d.end(lg) >= x0]
        self._last_long = ((x0, x1), lg)
        return lg

    def events_in(self, x0: float, x1: float) -> np.ndarray:
        """Sorted indices of events overlapping [x0, x1]."""
        d = self.data
        short = self._short_between(x0 - LONG, x1)
        short = short[d.end(short) >= x0]
        if not len(self.long_idx):
            return short
        lg = self._long_overlapping(x0, x1)
        if not len(lg):
            return short
        return np.sort(np.concatenate([short, lg]))

    def overlapping_edges(self, x0: float, x1: float) -> np.ndarray:
        """Events overlapping [x0, x1] that may reach past one of its edges:
        short ones starting within LONG before either edge, and the long ones.
        (Every event whose middle lies outside the window is among them.)"""
        d = self.data
        parts = [self._short_between(x0 - LONG, x0)]
        if x1 - LONG > x0:
            parts.append(self._short_between(x1 - LONG, x1))
        else:  # a narrow window: one range covers both edges
            parts = [self._short_between(x0 - LONG, x1)]
        short = np.concatenate(parts) if len(parts) > 1 else parts[0]
        short = short[(d.start(short) <= x1) & (d.end(short) >= x0)]
        lg = self._long_overlapping(x0, x1) if len(self.long_idx) else self.long_idx
        return np.concatenate([short, lg]) if len(lg) else short

    def edge_keys(self, x0: float, x1: float, base: int, quantum: int) -> tuple[np.ndarray, np.ndarray]:
        """(``overlapping_edges``, their midpoint keys), kept for the frame: a
        frame with a selection asks for the whole file's and the selection's
        edge pairs of one window, which differ only by a mask."""
        asked = (x0, x1, base, quantum)
        last = self._last_edges  # read once, as ``_long_overlapping``
        if last[0] == asked:
            return last[1]
        events = self.overlapping_edges(x0, x1)
        found = (events, event_keys(self.data, base, quantum, events))
        self._last_edges = (asked, found)
        return found


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
    events = np.asarray(events, dtype=np.int64)
    lo = data.pair_offsets[events].astype(np.int64)
    counts = data.pair_offsets[events + 1] - lo
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int32)
    starts = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total)
    return np.repeat(events, counts), data.pair_actor[starts].astype(np.int32)


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
    px0 = (data.start(ev) - x0) * scale
    px1 = (data.end(ev) - x0) * scale
    return PairFrame(ev, row, actor, px0, px1, len(events))


def density_grid(frame: PairFrame, n_rows: int, width: int, row0: int = 0, weights_mask: np.ndarray | None = None) -> np.ndarray:
    """Events per (row, pixel column) from a PairFrame: each pair once, at the
    middle of its bounds clamped into the image. The reference the fast
    ``density`` counts are checked against; its cost grows with the pairs."""
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


def edge_pairs(
    index: VisibleIndex,
    lanes: LaneIndex,
    cols: Columns,
    x0: float,
    x1: float,
    event_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(actor index, column) of the pairs of events that overlap [x0, x1]
    but whose midpoint key is outside the columns: they are drawn at the
    nearest edge column, so that no overlapping event is left out."""
    data = index.data
    span = data.time_range
    if span is None or (x0 <= span[0] and x1 >= span[1]):
        # the window holds every event whole (a view of the whole story): no
        # midpoint is outside it, and the long events need not be gone through
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    events, keys = index.edge_keys(x0, x1, lanes.base, lanes.quantum)
    if event_mask is not None:
        chosen = event_mask[events]
        events, keys = events[chosen], keys[chosen]
    before, after = keys < cols.needles[0], keys >= cols.needles[-1]
    outside = before | after
    if not outside.any():
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    events, after = events[outside], after[outside]
    ev, actor = expand_pairs(data, events)
    # expand_pairs keeps the events' order, so each pair's side follows its event's
    side = np.repeat(after, data.pair_offsets[events + 1] - data.pair_offsets[events])
    return actor, np.where(side, cols.width - 1, 0).astype(np.int64)
