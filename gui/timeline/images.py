"""Lanes drawn as images: a (rows, width) ARGB array stretched over the lanes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter


def density_image(argb: np.ndarray, premultiplied: bool = False) -> QImage:
    """An (rows, width) uint32 ARGB array as a premultiplied image, the form Qt
    draws fastest. The image shares the array's memory when it is already
    premultiplied (the array is kept alive by the image's owner: see
    ``paint_density_image``'s callers), else it is converted once here,
    cheaper than Qt converting every stretched row."""
    rows, width = argb.shape
    argb = np.ascontiguousarray(argb)
    if premultiplied:
        image = QImage(argb.data, width, rows, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
        image._buffer = argb  # keep the pixels alive as long as the image
        return image
    image = QImage(argb.data, width, rows, width * 4, QImage.Format.Format_ARGB32)
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def premultiplied(alpha: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """ARGB32 premultiplied pixels from opacity (0..1) and 0xRRGGBB colours (broadcast)."""
    a = np.clip(alpha * 255.0 + 0.5, 0, 255).astype(np.uint32)
    r, g, b = (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF
    return (a << 24) | ((r * a // 255) << 16) | ((g * a // 255) << 8) | (b * a // 255)


def paint_density_image(painter: QPainter, image: QImage, rect: QRectF) -> None:
    """One drawImage stretched over the lanes; nearest-pixel stretching keeps
    lane edges sharp and costs a tenth of smooth scaling."""
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(rect, image)


TABLE_LIMIT = 1 << 16  # counts up to this are coloured through a lookup table


def alpha_bytes(grid: np.ndarray, peak: int, scale: float) -> np.ndarray:
    """Opacity (shifted into the alpha byte) per count: log-scaled, so one
    event is visible and a burst of thousands saturates. A table lookup
    unless a pixel holds more events than the table is long."""
    if peak <= TABLE_LIMIT:
        return alpha_values(np.arange(peak + 1), peak, scale)[grid]
    return alpha_values(grid, peak, scale)


def alpha_values(counts: np.ndarray, peak: int, scale: float) -> np.ndarray:
    counts = counts.astype(np.float64)
    alpha = np.where(counts > 0, 70 + 185 * np.log1p(counts) / np.log1p(max(peak, 2)), 0)
    return (np.clip(alpha, 0, 255) * scale).astype(np.uint32) << 24
