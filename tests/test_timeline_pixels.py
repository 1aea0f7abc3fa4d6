"""The pixels the timeline computes for its images, against plain references.

The density image and the summed faded spans are computed with shortcuts
(lookup tables, one value for a lane every shape covers wholly). These
tests compute the same pixels the slow, obvious way and require the same
colours, so a shortcut can never change what a user sees.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage

from gui.timeline.coverage import lane_pixels
from gui.timeline.images import ALPHA_TABLE_LIMIT, TABLE_LIMIT, density_pixels, over

COLOURS = np.array([0x1F77B4, 0xD62728, 0x2CA02C, 0xFFFFFF], dtype=np.uint32)


def _channels(argb: np.ndarray) -> np.ndarray:
    return np.stack([(argb >> s) & 0xFF for s in (24, 16, 8, 0)], axis=-1).astype(np.int64)


def _qt_premultiplied(alpha: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """What Qt makes of straight (unpremultiplied) ARGB pixels: the reference."""
    straight = np.ascontiguousarray((alpha.astype(np.uint32) << 24) | rgb)
    rows, width = straight.shape
    image = QImage(straight.data, width, rows, width * 4, QImage.Format.Format_ARGB32)
    converted = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    out = np.frombuffer(converted.constBits(), dtype=np.uint32, count=rows * width)
    return out.reshape(rows, width).copy()


def _reference_alpha(counts: np.ndarray, peak: int, scale: float) -> np.ndarray:
    alpha = np.where(counts > 0, 70 + 185 * np.log1p(counts) / np.log1p(max(peak, 2)), 0)
    return (np.clip(alpha, 0, 255) * scale).astype(np.uint32)


@settings(max_examples=40, deadline=None)
@given(peak=st.sampled_from([1, 2, 7, 300, TABLE_LIMIT, TABLE_LIMIT + 1, 250_000, ALPHA_TABLE_LIMIT + 1]),
       scale=st.sampled_from([1.0, 0.25]), seed=st.integers(0, 2**16))
def test_density_pixels_are_the_colours_qt_would_make(qapp, peak, scale, seed):
    rng = np.random.default_rng(seed)
    rows, width = 9, 37
    grid = rng.integers(0, peak + 1, size=(rows, width))
    grid[0, 0] = peak  # the peak is in the grid, as the timeline passes it
    grid[1, :5] = 0
    rgb = COLOURS[rng.integers(0, len(COLOURS), size=rows)]
    got = density_pixels(grid, peak, scale, rgb)
    want = _qt_premultiplied(_reference_alpha(grid, peak, scale), rgb[:, None])
    assert got.shape == (rows, width)
    assert np.abs(_channels(got) - _channels(want)).max() <= 1
    assert (got[grid == 0] == 0).all()  # an empty pixel is transparent
    assert (_channels(got)[..., 0][grid > 0] >= int(70 * scale)).all()  # one event is visible


def _reference_lanes(a, b, r, weight, n, w, colour):
    total = np.zeros((n, w))
    for lo, hi, row, wt in zip(a, b, r, weight):
        total[row, lo:hi] += wt
    alpha = 1 - np.exp(-total)
    a8 = np.clip(alpha * 255 + 0.5, 0, 255).astype(np.uint32)
    c = colour[:, None]
    return (a8 << 24) | ((((c >> 16) & 0xFF) * a8 // 255) << 16) | ((((c >> 8) & 0xFF) * a8 // 255) << 8) | ((c & 0xFF) * a8 // 255)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**16), whole_share=st.sampled_from([0.0, 0.5, 0.95, 1.0]))
def test_summed_spans_match_adding_every_shape_column_by_column(seed, whole_share):
    """Shapes covering their whole lane and shapes cut by the window, mixed."""
    rng = np.random.default_rng(seed)
    n, w, count = 6, 50, int(rng.integers(1, 40))
    whole = rng.random(count) < whole_share
    a = np.where(whole, 0, rng.integers(0, w, count))
    b = np.where(whole, w, np.minimum(a + rng.integers(1, w, count), w))
    r = rng.integers(0, n, count)
    weight = -np.log1p(-rng.choice([0.12, 0.28, 0.5, 0.9], count))
    colour = COLOURS[rng.integers(0, len(COLOURS), n)]
    got = lane_pixels(a, b, r, weight, n, w, colour)
    want = _reference_lanes(a, b, r, weight, n, w, colour)
    assert np.abs(_channels(got) - _channels(want)).max() <= 1
    empty_lanes = np.setdiff1d(np.arange(n), r)
    assert (got[empty_lanes] == 0).all()


def test_a_span_cut_by_the_window_shows_only_where_it_is():
    """One lane: a vague span over the whole window, and a bar from column 10 to 20 on top."""
    a, b = np.array([0, 10]), np.array([30, 20])
    got = _channels(lane_pixels(a, b, np.array([0, 0]), np.array([0.3, 0.3]), 1, 30, COLOURS[:1]))[0, :, 0]
    assert len(set(got[:10])) == 1 and len(set(got[20:])) == 1 and len(set(got[10:20])) == 1
    assert got[0] == got[25] < got[15]


def _qt_over(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Qt drawing ``bottom`` then ``top`` (both premultiplied) on a transparent image."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    rows, width = top.shape
    out = QImage(width, rows, QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(0)
    painter = QPainter(out)
    for layer in (np.ascontiguousarray(bottom), np.ascontiguousarray(top)):
        painter.drawImage(QPoint(0, 0), QImage(layer.data, width, rows, width * 4, QImage.Format.Format_ARGB32_Premultiplied))
    painter.end()
    return np.frombuffer(out.constBits(), dtype=np.uint32, count=rows * width).reshape(rows, width).copy()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_two_layers_composited_in_one_image_look_as_qt_draws_them_one_over_the_other(qapp, seed):
    """The selection over the faded rest (density and faded spans) is drawn as one image."""
    rng = np.random.default_rng(seed)
    rows, width = 5, 64
    layers = []
    for _ in range(2):
        alpha = rng.integers(0, 256, size=(rows, width)).astype(np.float64) / 255
        alpha[rng.random((rows, width)) < 0.3] = 0
        layers.append(_qt_premultiplied((alpha * 255).astype(np.uint32), COLOURS[rng.integers(0, len(COLOURS), rows)][:, None]))
    bottom, top = layers
    assert np.abs(_channels(over(top, bottom)) - _channels(_qt_over(top, bottom))).max() <= 2
    assert (over(top, np.zeros_like(top)) == top).all()
    assert (over(np.zeros_like(top), bottom) == bottom).all()
