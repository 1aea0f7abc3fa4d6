"""Force-directed positions for the relationship graph, in numpy (no Qt).

Fruchterman-Reingold: every pair of nodes repels, every edge pulls, the
moves cool down. The pull costs one pass over the edges. The repulsion is
the expensive part: all pairs is n^2 per step (a second and more at 1,000
nodes). Above ``EXACT_LIMIT`` nodes it is approximated on a grid, in the
spirit of Barnes-Hut with one level:

* nodes in the same or a neighbouring cell repel exactly (pairs listed with
  ``np.repeat``, summed with ``np.bincount``);
* every other cell acts as one body of its nodes' count at their centroid,
  felt at the centroid of the receiving cell (a cell-to-cell pass over the
  non-empty cells, a few hundred to a few thousand).

The error is small where it matters (near neighbours are exact) and the
cost grows about linearly with the nodes for an even spread. Deterministic:
the start is a low-discrepancy sequence, no random numbers.
"""

from __future__ import annotations

import math

import numpy as np

from .progress import pause_point

SCALE = 400.0
EXACT_LIMIT = 600  # nodes; above this the repulsion is approximated on a grid
CHUNK = 1024  # rows of the all-pairs repulsion (or of the cell-to-cell pass) computed at once
K_FACTOR = 1.6  # ideal edge length, times 1 / sqrt(nodes), in a unit square
GRAVITY = 0.05
NODES_PER_CELL = 3.0


def circle_positions(n: int) -> np.ndarray:
    angles = np.linspace(0, 2 * math.pi, max(n, 1), endpoint=False)
    return np.c_[np.cos(angles), np.sin(angles)][:n] * SCALE


def spread_points(n: int) -> np.ndarray:
    """``n`` starting points evenly spread over [-1, 1)^2, the same every time:
    a low-discrepancy (R2) sequence, stepping by powers of the plastic number.
    As even as random points would be on average, and without importing
    numpy.random, which the first window would wait for (about 8 ms)."""
    g = 1.324717957244746  # the plastic number: x**3 = x + 1
    i = np.arange(1, n + 1, dtype=np.float64)[:, None]
    return ((0.5 + i * np.array([1 / g, 1 / g**2])) % 1.0) * 2.0 - 1.0


def iterations_for(n: int) -> int:
    return 120 if n <= 400 else 60 if n <= 2000 else 40


def compute_positions(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, progress=None) -> np.ndarray:
    """Force-directed positions of ``n`` nodes joined by edges (a[i], b[i]) of
    weight w[i]. ``progress(done, total)`` is called once per step (it may
    raise to cancel)."""
    if n == 0:
        return np.zeros((0, 2))
    a, b, w = merge_edges(n, a, b, w)
    pos = spread_points(n)
    k = K_FACTOR / math.sqrt(n)  # the ideal distance between nodes in a unit square
    iterations = iterations_for(n)
    temperature = 0.1
    cool = temperature / (iterations + 1)
    w = w / max(float(w.max()), 1e-9) if len(w) else w
    repulsion = exact_repulsion if n <= EXACT_LIMIT else grid_repulsion
    for step in range(iterations):
        disp = repulsion(pos, k)
        if len(a):
            delta = pos[a] - pos[b]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-4)
            pull = delta * (dist * w / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(a, pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(b, pull[:, axis], minlength=n)
        disp -= pos * (GRAVITY * n * k)  # a little gravity keeps separate groups in view
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
        if progress is not None:
            progress(step + 1, iterations)
        pause_point()  # on a worker: a frame being drawn goes first
    pos -= pos.mean(axis=0)
    extent = max(float(np.abs(pos).max()), 1e-9)
    # more nodes, more room: node sizes are in scene units, so a big graph is
    # spread wider and the view, fitted to it, draws each node smaller
    return pos / extent * SCALE * max(1.0, math.sqrt(n / 50))


def merge_edges(n, a, b, w):
    """One edge per unordered pair, weights summed; self-loops dropped."""
    a, b, w = np.asarray(a, np.int64), np.asarray(b, np.int64), np.asarray(w, np.float64)
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    key = np.minimum(a, b) * n + np.maximum(a, b)
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq // n, uniq % n, np.bincount(inverse, w, minlength=len(uniq))


def exact_repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """Sum over all other nodes of k^2 / d, along the line between them."""
    n = len(pos)
    x, y = pos[:, 0], pos[:, 1]
    disp = np.empty_like(pos)
    for lo in range(0, n, CHUNK):
        dx = x[lo:lo + CHUNK, None] - x[None, :]
        dy = y[lo:lo + CHUNK, None] - y[None, :]
        f = dx * dx + dy * dy
        np.maximum(f, 1e-6, out=f)
        np.divide(k * k, f, out=f)
        disp[lo:lo + CHUNK, 0] = (dx * f).sum(axis=1)
        disp[lo:lo + CHUNK, 1] = (dy * f).sum(axis=1)
    return disp


def grid_repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """``exact_repulsion`` approximated on a grid (see the module's docstring)."""
    n = len(pos)
    g = int(np.clip(math.sqrt(n / NODES_PER_CELL), 4, 256))
    # the grid spans the bulk of the nodes: one far outlier must not put everyone in one cell
    lo = np.percentile(pos, 1, axis=0)
    hi = np.percentile(pos, 99, axis=0)
    size = max(float((hi - lo).max()) / g, 1e-9)
    gx = np.clip(((pos[:, 0] - lo[0]) / size).astype(np.int64), 0, g - 1)
    gy = np.clip(((pos[:, 1] - lo[1]) / size).astype(np.int64), 0, g - 1)
    cell = gy * g + gx
    order = np.argsort(cell, kind="stable")
    occupancy = np.bincount(cell, minlength=g * g)
    start = np.zeros(g * g + 1, dtype=np.int64)
    np.cumsum(occupancy, out=start[1:])
    disp = np.zeros_like(pos)
    everyone = np.arange(n)
    kk = k * k
    # near field: exact, against the nodes of the 3 x 3 cells around each node
    for ox in (-1, 0, 1):
        for oy in (-1, 0, 1):
            nx, ny = gx + ox, gy + oy
            valid = (nx >= 0) & (nx < g) & (ny >= 0) & (ny < g)
            other = np.where(valid, ny * g + nx, 0)
            count = np.where(valid, occupancy[other], 0)
            total = int(count.sum())
            if not total:
                continue
            i = np.repeat(everyone, count)
            first = np.repeat(start[other] - (np.cumsum(count) - count), count)
            j = order[first + np.arange(total)]
            d = pos[i] - pos[j]
            d2 = np.maximum(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1], 1e-6)
            f = np.where(i != j, kk / d2, 0.0)
            disp[:, 0] += np.bincount(i, d[:, 0] * f, minlength=n)
            disp[:, 1] += np.bincount(i, d[:, 1] * f, minlength=n)
    # far field: every other non-empty cell as one body at its centroid
    full = np.flatnonzero(occupancy)
    mass = occupancy[full].astype(np.float64)
    centre = np.c_[np.bincount(cell, pos[:, 0], g * g)[full], np.bincount(cell, pos[:, 1], g * g)[full]] / mass[:, None]
    cx, cy = full % g, full // g
    field = np.zeros((len(full), 2))
    for lo_ in range(0, len(full), CHUNK):
        sl = slice(lo_, lo_ + CHUNK)
        dx = centre[sl, 0, None] - centre[None, :, 0]
        dy = centre[sl, 1, None] - centre[None, :, 1]
        far = (np.abs(cx[sl, None] - cx[None, :]) > 1) | (np.abs(cy[sl, None] - cy[None, :]) > 1)
        f = np.where(far, kk * mass[None, :] / np.maximum(dx * dx + dy * dy, 1e-6), 0.0)
        field[sl, 0] = (dx * f).sum(axis=1)
        field[sl, 1] = (dy * f).sum(axis=1)
    slot = np.zeros(g * g, dtype=np.int64)
    slot[full] = np.arange(len(full))
    disp += field[slot[cell]]
    return disp
