"""Weighted random draws with numpy, the building block of every generator
in this package.

All of them take the one ``numpy.random.Generator`` of a run, so the order
of the calls fixes the rows: see writer.py.
"""

from __future__ import annotations

import numpy as np


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights, dtype=np.float64)
    return cdf / cdf[-1]


def _draw(rng: np.random.Generator, cdf: np.ndarray, size) -> np.ndarray:
    """Indices drawn with the weights behind cdf."""
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(cdf) - 1)


def _shares(rng: np.random.Generator, shares, size) -> np.ndarray:
    return _draw(rng, _cdf(np.asarray(shares, dtype=np.float64)), size)

def _distinct_rows(rng: np.random.Generator, cdf: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """One row of distinct weighted draws per entry of sizes (columns past a
    row's size are -1)."""
    width = int(sizes.max()) if len(sizes) else 0
    out = np.full((len(sizes), width), -1, dtype=np.int64)
    used = np.arange(width)[None, :] < sizes[:, None]
    todo = np.arange(len(sizes))
    for _ in range(64):
        if not len(todo):
            return out
        rows = _draw(rng, cdf, (len(todo), width))
        rows[~used[todo]] = -1 - np.arange(width)[None, :].repeat(len(todo), 0)[~used[todo]]
        out[todo] = rows
        clash = np.zeros(len(todo), dtype=bool)
        for i in range(width):
            for j in range(i + 1, width):
                clash |= rows[:, i] == rows[:, j]
        todo = todo[clash]
    p = np.diff(cdf, prepend=0.0)
    for row in todo:  # rare: tiny actor sets with heavy weights
        k = int(sizes[row])
        out[row, :k] = rng.choice(len(cdf), size=k, replace=False, p=p)
    out[out < 0] = -1
    return out
