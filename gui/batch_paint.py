"""Many rectangles, lines or stamps in one QPainter call, straight from numpy.

QPainter can draw an array of QRectF, QLineF or pixmap fragments in one
call. Building one Python object per shape to pass it would cost as much as
the drawing, so the shapes are written into a float64 numpy array laid out
exactly as those Qt value types (QRectF is four doubles, QLineF four,
PixmapFragment ten) and Qt is handed a pointer to its first element.
"""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPixmap

Fragment = QPainter.PixmapFragment


def _first(array: np.ndarray, klass):
    """A Qt value of ``klass`` that aliases the first row of ``array``."""
    return shiboken6.wrapInstance(array.ctypes.data, klass)


def draw_rects(painter: QPainter, x, y, w, h) -> None:
    """One ``drawRects`` for rectangles given as numpy columns."""
    n = len(x)
    if not n:
        return
    rects = np.empty((n, 4), dtype=np.float64)
    rects[:, 0], rects[:, 1], rects[:, 2], rects[:, 3] = x, y, w, h
    painter.drawRects(_first(rects, QRectF), n)


def draw_lines(painter: QPainter, x0, y0, x1, y1) -> None:
    """One ``drawLines`` for segments given as numpy columns."""
    n = len(x0)
    if not n:
        return
    lines = np.empty((n, 4), dtype=np.float64)
    lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3] = x0, y0, x1, y1
    painter.drawLines(_first(lines, QLineF), n)


def draw_stamps(painter: QPainter, pixmap: QPixmap, cx, cy) -> None:
    """The same pixmap centred on each (cx, cy): markers in one call."""
    n = len(cx)
    if not n:
        return
    ratio = pixmap.devicePixelRatioF() or 1.0
    w, h = pixmap.width(), pixmap.height()
    frags = np.empty((n, 10), dtype=np.float64)
    # x, y (centre), sourceLeft, sourceTop, width, height (device pixels), scaleX, scaleY, rotation, opacity
    frags[:, 0], frags[:, 1] = cx, cy
    frags[:, 2:4] = 0.0
    frags[:, 4], frags[:, 5] = w, h
    frags[:, 6:8] = 1.0 / ratio
    frags[:, 8], frags[:, 9] = 0.0, 1.0
    painter.drawPixmapFragments(_first(frags, Fragment), n, pixmap)
