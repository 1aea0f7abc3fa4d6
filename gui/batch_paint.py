"""Many rectangles, lines or stamps in one QPainter call, straight from numpy.

QPainter can draw an array of QRectF, QLineF or pixmap fragments in one
call. Building one Python object per shape to pass it would cost as much as
the drawing, so the shapes are written into a float64 numpy array laid out
exactly as those Qt value types (QRectF is four doubles, QLineF four,
PixmapFragment ten) and Qt is handed a pointer to its first element.

PySide keeps Python's lock through ``QPainter.drawLines``, so lines drawn on
two threads are drawn one thread after the other, and the UI thread waits
for a worker's lines. Where Qt's own ``QPainter::drawLines(const QLineF *,
int)`` can be called through ctypes (which lets go of the lock; Linux and
macOS, whose C++ names are known), lines are drawn that way, once a test
picture drawn both ways has come out the same; anywhere else through PySide.

Qt's software line drawing writes a thin line's pixels straight into the
image only when the painter has a rectangular clip of its own; without one
(a fresh painter has none) every pixel goes through the general clipped
fill, two to three times slower. ``clip_to_device`` gives it that clip.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

import numpy as np
import shiboken6
from PySide6.QtCore import QLineF, QRect, QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPixmap

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


def clip_to_device(painter: QPainter) -> None:
    """Clip a raster painter to its whole device (intersected with any clip
    it has), so thin lines are written pixel by pixel straight into the
    image: the graph's links are drawn about 2.4 times as fast. The pixels
    are the same; a line thinner than a pixel is blended with a
    rounding that differs by at most 3 of 255 in a channel. A vector device
    (PDF, SVG) is left as it is: a clip there would be written into the file."""
    engine = painter.paintEngine()
    device = painter.device()
    if engine is None or engine.type() != QPaintEngine.Type.Raster or device is None:
        return
    transform = painter.transform()
    painter.resetTransform()
    # at least the device whatever its pixel ratio: the painter cuts it to the device
    painter.setClipRect(QRect(0, 0, device.width() + 1, device.height() + 1), Qt.ClipOperation.IntersectClip)
    painter.setTransform(transform)


def draw_lines(painter: QPainter, x0, y0, x1, y1) -> None:
    """One ``drawLines`` for segments given as numpy columns (Python's lock
    let go while Qt draws, where that can be done: see the module's note)."""
    n = len(x0)
    if not n:
        return
    lines = np.empty((n, 4), dtype=np.float64)
    lines[:, 0], lines[:, 1], lines[:, 2], lines[:, 3] = x0, y0, x1, y1
    native = native_lines()
    if native is not None:
        native(shiboken6.getCppPointer(painter)[0], lines.ctypes.data, n)
    else:
        painter.drawLines(_first(lines, QLineF), n)


_NATIVE: list = []  # [the ctypes function or None], once looked for

# QPainter::drawLines(const QLineF *, int) as the Itanium C++ ABI (Linux, macOS) names it
_DRAW_LINES_SYMBOL = "_ZN8QPainter9drawLinesEPK6QLineFi"


def native_lines():
    """Qt's own drawLines for the Qt that PySide has loaded, or None."""
    if not _NATIVE:
        _NATIVE.append(_load_native_lines())
    return _NATIVE[0]


def _qt_gui_library() -> str | None:
    """The path of the QtGui library this process has loaded (never another copy on the disk)."""
    if sys.platform.startswith("linux"):
        try:
            maps = Path("/proc/self/maps").read_text()
        except OSError:
            return None
        for line in maps.splitlines():
            path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
            if os.path.basename(path).startswith("libQt6Gui.so"):
                return path
        return None
    if sys.platform == "darwin":
        import PySide6

        framework = Path(PySide6.__file__).parent / "Qt" / "lib" / "QtGui.framework" / "Versions" / "A" / "QtGui"
        return str(framework) if framework.exists() else None
    return None


def _load_native_lines():
    if os.environ.get("THREADLINE_PYSIDE_LINES"):  # the benchmark's comparison, and a way out
        return None
    path = _qt_gui_library()
    if path is None:
        return None
    try:
        function = getattr(ctypes.CDLL(path), _DRAW_LINES_SYMBOL)
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    function.restype = None
    return function if _draws_alike(function) else None


def _draws_alike(function) -> bool:
    """A few lines drawn through ``function`` and through PySide give the same picture."""
    from PySide6.QtGui import QColor, QImage, QPen

    lines = np.array([[1.0, 1.0, 30.0, 17.0], [3.5, 28.0, 29.0, 2.0], [0.0, 15.0, 31.0, 15.0]])
    pictures = []
    for native in (True, False):
        image = QImage(32, 32, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setPen(QPen(QColor(200, 30, 90), 2.0))
        if native:
            function(shiboken6.getCppPointer(painter)[0], lines.ctypes.data, len(lines))
        else:
            painter.drawLines(_first(lines, QLineF), len(lines))
        painter.end()
        pictures.append(image)
    return pictures[0] == pictures[1] and not pictures[0].isNull() and pictures[0].pixel(15, 15) != 0


def draw_fragments(painter: QPainter, pixmap: QPixmap, cx, cy, left, top, width, height) -> None:
    """Pieces of one pixmap (an atlas of stamps), each centred on its (cx, cy),
    in one call and in the order given: the piece at ``left, top`` of size
    ``width, height`` (scalars or numpy columns, in the pixmap's own
    device-independent units) for each point."""
    n = len(cx)
    if not n:
        return
    ratio = pixmap.devicePixelRatioF() or 1.0
    frags = np.empty((n, 10), dtype=np.float64)
    # x, y (centre), sourceLeft, sourceTop, width, height (device pixels), scaleX, scaleY, rotation, opacity
    frags[:, 0], frags[:, 1] = cx, cy
    frags[:, 2], frags[:, 3] = np.multiply(left, ratio), np.multiply(top, ratio)
    frags[:, 4], frags[:, 5] = np.multiply(width, ratio), np.multiply(height, ratio)
    frags[:, 6:8] = 1.0 / ratio
    frags[:, 8], frags[:, 9] = 0.0, 1.0
    painter.drawPixmapFragments(_first(frags, Fragment), n, pixmap)
