"""Many overlapping translucent bars in one image instead of one rectangle each.

Zoomed in, every event whose date is only known to a year (or a range of
years) overlaps the window and is drawn as a faded span across it; with a
million events that is thousands of full-width translucent rectangles, and
blending them one by one costs tens of milliseconds. Their sum is computed
instead: each shape adds its opacity to the columns it covers in its lane
(a difference array and a cumulative sum in numpy), and the lanes are drawn
as one image. Stacking ``n`` shapes of opacity ``a`` composites to
``1 - (1 - a)^n``; adding ``-ln(1 - a)`` per shape and taking
``1 - exp(-sum)`` gives exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from .images import density_image, over, paint_density_image, premultiplied

SUB_ROWS = 4  # each lane drawn as four image rows, the shapes in the middle two


@dataclass
class LaneGeometry:
    """Where the visible lanes are on the device, and their colours."""

    y0: float  # pixel y of row 0's centre
    step: float  # pixels per row
    first_row: int
    n_rows: int
    width: int
    row_rgb: np.ndarray  # uint32 0xRRGGBB per visible row


def opacity_weight(alpha: np.ndarray) -> np.ndarray:
    """What a shape of opacity ``alpha`` (0..1) adds to the sum."""
    return -np.log1p(-np.clip(alpha, 0.0, 0.95))


@dataclass
class Shapes:
    """Shapes [x0, x1) in pixel columns on lanes ``rows``, each adding ``weight``,
    in the lane's own colour or in ``rgb`` (0xRRGGBB)."""

    x0: np.ndarray
    x1: np.ndarray
    rows: np.ndarray
    weight: np.ndarray
    rgb: int | None = None


def paint_coverage(painter: QPainter, lanes: LaneGeometry, layers: list[Shapes]) -> None:
    """Each layer's summed shapes over the one before, drawn as one image."""
    n, w = lanes.n_rows, lanes.width
    if n <= 0 or w <= 0:
        return
    argb = None
    for layer in layers:
        argb = _add_layer(argb, layer, n, w, lanes.first_row, lanes.row_rgb[:n])
    if argb is None:
        return
    image = np.zeros((n, SUB_ROWS, w), dtype=np.uint32)
    image[:, 1:SUB_ROWS - 1, :] = argb[:, None, :]
    top = lanes.y0 + (lanes.first_row - 0.5) * lanes.step
    rows = image.reshape(n * SUB_ROWS, w)
    paint_density_image(painter, density_image(rows), QRectF(0, top, w, n * lanes.step))


def _add_layer(below: np.ndarray | None, layer: Shapes, n: int, w: int, first_row: int, row_rgb: np.ndarray):
    """``below`` (n, w pixels, or None) with ``layer`` over it; only the lanes
    the layer touches are composited (a selection lights a few lanes)."""
    a = np.clip(np.floor(layer.x0), 0, w).astype(np.int64)
    b = np.clip(np.ceil(layer.x1), 0, w).astype(np.int64)
    r = np.asarray(layer.rows, dtype=np.int64) - first_row
    keep = (b > a) & (r >= 0) & (r < n)
    if not keep.any():
        return below
    a, b, r, weight = a[keep], b[keep], r[keep], np.asarray(layer.weight, dtype=np.float64)[keep]
    if below is None:
        colour = row_rgb if layer.rgb is None else np.full(n, layer.rgb, dtype=np.uint32)
        return lane_pixels(a, b, r, weight, n, w, colour)
    touched, r = np.unique(r, return_inverse=True)
    colour = row_rgb[touched] if layer.rgb is None else np.full(len(touched), layer.rgb, dtype=np.uint32)
    below[touched] = over(lane_pixels(a, b, r, weight, len(touched), w, colour), below[touched])
    return below


def lane_pixels(a, b, r, weight, n: int, w: int, colour: np.ndarray) -> np.ndarray:
    """(n, w) premultiplied pixels: lane ``r`` columns [a, b) summed with ``weight``.

    Zoomed in, nearly every crowded shape is a vague date wider than the
    window: it adds one value to its whole lane. Those lanes are a single
    opacity each; only lanes where a shape starts or ends inside the window
    get the per-column sum (a difference array and a cumulative sum), which
    would otherwise cost milliseconds a frame over every lane."""
    whole = (a == 0) & (b == w)
    level = np.bincount(r[whole], weight[whole], minlength=n)
    pixels = np.empty((n, w), dtype=np.uint32)
    pixels[:] = premultiplied(-np.expm1(-level), colour)[:, None]
    cut = ~whole
    if cut.any():
        cut_rows, k = np.unique(r[cut], return_inverse=True)
        m, span = len(cut_rows), w + 1
        size = m * span
        diff = (np.bincount(k * span + a[cut], weight[cut], minlength=size)
                - np.bincount(k * span + b[cut], weight[cut], minlength=size))
        total = np.cumsum(diff.reshape(m, span)[:, :w], axis=1) + level[cut_rows, None]
        alpha = -np.expm1(-np.maximum(total, 0.0))  # 0..1
        pixels[cut_rows] = premultiplied(alpha, colour[cut_rows, None])
    return pixels
