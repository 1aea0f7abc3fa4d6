"""Events that share a day, spread within their lane so they can be told apart.

A date known to the day (GDELT's SQLDATE, most news events) is drawn as a
marker in the middle of its day, with the day as a faint band behind it.
Zoomed in to a day, every event of that day in a lane would sit on the
same pixel. Here the events of one (lane, day) are laid out inside the
day's band by their order in the file, in sub-rows of the lane and columns
across the band, never at a made-up time of day: the band stays the day,
and a marker's place in it says only "the n-th event of that day". Where a
column is wide enough, the layout leaves room for titles. Nothing here
knows Qt and nothing loops over events in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TITLE_COLUMN_PX = 90  # a column at least this wide gets a title beside its marker
SUBROWS = 1024  # sub-row ids: lane row * SUBROWS + sub-row


@dataclass
class Spread:
    x: np.ndarray  # marker centre, pixels, per pair
    y: np.ndarray  # marker centre, pixels, per pair
    subrow: np.ndarray  # a row id per pair that tells apart the sub-rows of one lane
    spread: np.ndarray  # bool per pair: moved from the middle of its day
    titled: np.ndarray  # bool per pair: its column leaves room for a title


def spread_days(x0, x1, rows, events, ys, wide, row_px: float, size: float, text_px: float) -> Spread:
    """``wide``: pairs drawn as a marker over a band at least a marker wide
    (zoomed in past their precision). Those sharing a (row, band) are spread."""
    x = (x0 + x1) * 0.5
    y = np.array(ys, dtype=float, copy=True)
    rows = np.asarray(rows, dtype=np.int64)
    subrow = rows * SUBROWS
    moved = np.zeros(len(x), bool)
    idx = np.flatnonzero(wide)
    if len(idx) < 2:
        return Spread(x, y, subrow, moved, np.zeros(len(x), bool))
    a, b = np.round(x0[idx]).astype(np.int64), np.round(x1[idx]).astype(np.int64)
    order = np.lexsort((events[idx], b, a, rows[idx]))
    idx, a, b, r = idx[order], a[order], b[order], rows[idx][order]
    new = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (r[1:] != r[:-1])]
    starts = np.flatnonzero(new)
    sizes = np.diff(np.r_[starts, len(idx)])
    many = np.repeat(sizes, sizes) >= 2
    idx, sizes_each = idx[many], np.repeat(sizes, sizes)[many]
    if not len(idx):
        return Spread(x, y, subrow, moved, np.zeros(len(x), bool))
    rank = (np.arange(len(order)) - np.repeat(starts, sizes))[many]
    band = np.abs(x1[idx] - x0[idx])
    room = abs(row_px) * 0.86
    sign = 1.0 if row_px >= 0 else -1.0
    # titles: sub-rows a line of text apart; otherwise as tight as the markers allow
    title_pitch = text_px + 1.0
    per_col_t = np.maximum(np.floor(room / title_pitch), 1)
    cols_t = np.ceil(sizes_each / per_col_t)
    # per (lane, day): a few events get a titled column each, a crowd only markers
    titled_each = band / cols_t >= TITLE_COLUMN_PX
    pitch = np.where(titled_each, title_pitch, size * 0.8 + 1.0)
    per_col = np.maximum(np.floor(room / pitch), 1)
    cols = np.ceil(sizes_each / per_col)
    col, sub = rank // per_col, rank % per_col
    used = np.minimum(sizes_each, per_col)
    width = band / cols
    left = np.minimum(x0[idx], x1[idx])
    x[idx] = left + col * width + np.where(titled_each, np.minimum(width * 0.5, size), width * 0.5)
    y[idx] = ys[idx] + (sub - (used - 1) / 2) * pitch * sign
    subrow[idx] = rows[idx] * SUBROWS + sub.astype(np.int64)
    moved[idx] = True
    titled = np.zeros(len(x), bool)
    titled[idx] = titled_each
    return Spread(x, y, subrow, moved, titled)
