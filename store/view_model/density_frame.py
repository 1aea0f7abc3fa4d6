"""One frame of density counts from a ``LaneIndex``: lanes x pixel columns.

For each visible lane: if a pixel spans at least one of the lane's bins,
the counts are a gather from the lane's cumulative bins (interior column
edges snap to the nearest bin edge); otherwise from its exact keys, either
pair by pair (few visible) or by searching every column edge (many). The
window's own edges are always exact (``lane_bounds``), so a lane's total is
exactly its pairs whose midpoint key lies in the window, whichever path
drew it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .density import KEY_MAX, LaneIndex

SLICE_FACTOR = 8  # a lane with fewer visible pairs than this x columns is counted pair by pair


@dataclass
class Columns:
    """Where the pixel columns of one frame fall, in keys."""

    needles: np.ndarray  # uint32, width + 1: column i holds keys in [needles[i], needles[i + 1])
    px_keys: float  # key units per pixel
    origin: float  # the left edge, in (fractional) key units: needles[i] = ceil(origin + i * px_keys)

    @property
    def width(self) -> int:
        return len(self.needles) - 1


def columns(index: LaneIndex, x0: float, x1: float, width: int) -> Columns:
    """Column boundaries for the time range [x0, x1] drawn ``width`` pixels wide.
    The right edge is inclusive, so an event at exactly x1 is counted."""
    edges = x0 + (x1 - x0) * np.arange(width + 1, dtype=np.float64) / width
    needles = index.to_keys(edges)
    last = np.floor((np.floor(x1) - index.base) / index.quantum) + 1
    needles[-1] = np.uint32(np.clip(last, 0, KEY_MAX))
    needles = np.maximum.accumulate(needles)
    return Columns(needles, (x1 - x0) / width / index.quantum, (x0 - index.base) / index.quantum)


def lane_bounds(index: LaneIndex, lanes: np.ndarray, cols: Columns) -> tuple[np.ndarray, np.ndarray]:
    """Exact positions of the window's edges in each lane (absolute into ``keys``).

    The mipmap gives each edge's bin, so only the keys inside that one bin
    are searched: a binary search run for all lanes at once, in numpy."""
    lanes = np.asarray(lanes, dtype=np.int64)
    edges = cols.needles[[0, -1]].astype(np.int64)
    width = index.bin_width[lanes][:, None]
    b = np.minimum(edges[None, :] // width, index.n_bins[lanes][:, None])
    at = index.cum_offsets[lanes][:, None] + b
    start = index.offsets[lanes][:, None]
    lo = start + index.cum[at]  # first pair of the edge's bin
    hi = np.where(b < index.n_bins[lanes][:, None], start + index.cum[np.minimum(at + 1, len(index.cum) - 1)],
                  index.offsets[lanes + 1][:, None])
    target = np.broadcast_to(edges, lo.shape)
    while True:
        open_ = lo < hi
        if not open_.any():
            break
        mid = (lo + hi) // 2
        below = np.zeros(lo.shape, bool)
        below[open_] = index.keys[mid[open_]] < target[open_]
        lo = np.where(open_ & below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)
    return lo[:, 0], lo[:, 1]


def count_grid(index: LaneIndex, lanes: np.ndarray, cols: Columns, bounds=None) -> np.ndarray:
    """Pairs per (lane row, column) whose midpoint key falls in the columns.
    ``lanes`` are actor indices, one per row (-1 for a row with nothing)."""
    lanes = np.asarray(lanes, dtype=np.int64)
    grid = np.zeros((len(lanes), cols.width), dtype=np.int32)
    real = np.flatnonzero(lanes >= 0)
    if not len(real) or cols.width <= 0 or not index.n_pairs:
        return grid
    if bounds is None:
        lo, hi = lane_bounds(index, lanes[real], cols)
    else:
        lo, hi = bounds[0][real], bounds[1][real]
    mip = cols.px_keys >= index.bin_width[lanes[real]]
    for bw in np.unique(index.bin_width[lanes[real]][mip]).tolist():
        group = np.flatnonzero(mip & (index.bin_width[lanes[real]] == bw))
        grid[real[group]] = _from_mipmap(index, lanes[real[group]], cols, bw, lo[group], hi[group])
    exact = np.flatnonzero(~mip)
    if len(exact):
        _exact(index, lanes[real[exact]], real[exact], cols, lo[exact], hi[exact], grid)
    return grid


def _from_mipmap(index: LaneIndex, lanes, cols: Columns, bin_width: int, lo, hi) -> np.ndarray:
    """Zoomed out: interior column edges snap to the nearest edge of the lanes' bins."""
    j = np.rint(cols.needles[1:-1] / bin_width).astype(np.int64)
    j = np.minimum(j[None, :], index.n_bins[lanes][:, None])
    local = index.cum[index.cum_offsets[lanes][:, None] + j] + index.offsets[lanes][:, None]
    pos = np.empty((len(lanes), cols.width + 1), dtype=np.int64)
    pos[:, 0], pos[:, -1] = lo, hi
    pos[:, 1:-1] = np.clip(local, lo[:, None], hi[:, None])
    return np.diff(pos, axis=1).astype(np.int32)


def _exact(index: LaneIndex, lanes, rows, cols: Columns, lo, hi, grid) -> None:
    """Zoomed in: lanes with few visible pairs have them placed one by one (all
    such lanes in one pass); a lane with many has every column edge searched."""
    counts = hi - lo
    small = counts <= SLICE_FACTOR * cols.width
    n = counts[small]
    total = int(n.sum())
    if total:
        keys = np.concatenate([index.keys[a:b] for a, b in zip(lo[small].tolist(), hi[small].tolist()) if b > a])
        # column i holds keys k with origin + i * px <= k < origin + (i + 1) * px
        col = ((keys - cols.origin) * (1.0 / cols.px_keys)).astype(np.int64)
        np.clip(col, 0, cols.width - 1, out=col)
        col += np.repeat(rows[small] * cols.width, n)
        grid += np.bincount(col, minlength=grid.size).reshape(grid.shape).astype(np.int32)
    for i in np.flatnonzero(~small).tolist():
        lane = index.lane_keys(int(lanes[i]))
        grid[rows[i]] = np.diff(lane.searchsorted(cols.needles)).astype(np.int32)
