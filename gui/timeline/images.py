"""Lanes drawn as images: a (rows, width) ARGB array stretched over the lanes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter


def density_image(argb: np.ndarray) -> QImage:
    """An (rows, width) uint32 array of premultiplied ARGB pixels as an image,
    the form Qt draws fastest. The image shares the array's memory and keeps
    the array alive as long as it lives."""
    rows, width = argb.shape
    argb = np.ascontiguousarray(argb)
    image = QImage(argb.data, width, rows, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    image._buffer = argb
    return image


def premultiplied(alpha: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """ARGB32 premultiplied pixels from opacity (0..1) and 0xRRGGBB colours (broadcast)."""
    a = np.clip(alpha * 255.0 + 0.5, 0, 255).astype(np.uint32)
    r, g, b = (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF
    return (a << 24) | ((r * a // 255) << 16) | ((g * a // 255) << 8) | (b * a // 255)


def over(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Premultiplied ARGB ``top`` composited over ``bottom`` (Porter-Duff
    source-over, as Qt blends), element by element: two layers become one
    image, drawn once."""
    keep = 255 - (top >> 24)
    out = top.copy()
    for shift in (0, 8, 16, 24):
        out += (((bottom >> shift) & 0xFF) * keep // 255) << shift
    return out


def paint_density_image(painter: QPainter, image: QImage, rect: QRectF) -> None:
    """One drawImage stretched over the lanes; nearest-pixel stretching keeps
    lane edges sharp and costs a tenth of smooth scaling."""
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(rect, image)


TABLE_LIMIT = 1 << 12  # peaks up to this get one table entry per count and lane colour
ALPHA_TABLE_LIMIT = 1 << 20  # peaks up to this get a table of opacity per count


def density_pixels(grid: np.ndarray, peak: int, scale: float, rgb: np.ndarray) -> np.ndarray:
    """Premultiplied ARGB pixels for counts ``grid`` (rows, width) with one
    0xRRGGBB colour per row: opacity log-scaled, so one event is visible
    and a burst of thousands saturates.

    Lanes share a few colours (one per actor kind), so a table of every
    (colour, count) pixel is small, and the frame is one lookup per pixel,
    already premultiplied: no per-pixel arithmetic and no conversion by Qt.
    Above ``TABLE_LIMIT`` events in a pixel, each pixel's opacity is looked
    up first and the table is indexed by opacity instead of count."""
    colours, colour_of_row = np.unique(np.asarray(rgb, dtype=np.uint32).ravel(), return_inverse=True)
    if peak <= TABLE_LIMIT:
        levels, index = peak + 1, grid.astype(np.intp)
        alpha = alpha_values(np.arange(levels), peak, scale)
    else:
        # by opacity (256 levels): each count's opacity from a table of its own,
        # or worked out pixel by pixel past ALPHA_TABLE_LIMIT events in one pixel
        if peak <= ALPHA_TABLE_LIMIT:
            index = alpha_values(np.arange(peak + 1), peak, scale).astype(np.intp)[grid]
        else:
            index = alpha_values(grid, peak, scale).astype(np.intp)
        levels, alpha = 256, np.arange(256, dtype=np.float64)
    table = premultiplied(alpha[None, :] / 255.0, colours[:, None]).ravel()
    index += (colour_of_row.astype(np.intp) * levels).reshape(-1, 1)
    return table[index]


def alpha_values(counts: np.ndarray, peak: int, scale: float) -> np.ndarray:
    """Opacity 0..255 (a float) for each count."""
    counts = np.asarray(counts, dtype=np.float64)
    alpha = np.where(counts > 0, 70 + 185 * np.log1p(counts) / np.log1p(max(peak, 2)), 0)
    return np.floor(np.clip(alpha, 0, 255) * scale)
