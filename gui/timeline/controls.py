"""The timeline's view box and lane-label axis: how the mouse drives them.

Plain drag pans and the wheel zooms about the pointer (time only); a
shift-drag brushes a time window for the graph; a ctrl-drag zooms to the
dragged range. Lane labels are clickable (select the actor) and have a
context menu (move, hide, show all).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsRectItem

LABEL_WIDTH = 170


class TimelineViewBox(pg.ViewBox):
    sigBrushed = Signal(float, float)

    def __init__(self):
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)
        self._preview = QGraphicsRectItem()
        self._preview.setPen(QPen(QColor(255, 143, 0, 200), 1))
        self._preview.setBrush(QBrush(QColor(255, 143, 0, 50)))
        self._preview.setZValue(1e6)
        self._preview.hide()
        self.addItem(self._preview, ignoreBounds=True)

    def mouseDragEvent(self, ev, axis=None):
        mods = ev.modifiers()
        wants_range = mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
        if ev.button() == Qt.MouseButton.LeftButton and wants_range:
            ev.accept()
            a = self.mapSceneToView(ev.buttonDownScenePos()).x()
            b = self.mapSceneToView(ev.scenePos()).x()
            lo, hi = sorted((a, b))
            if ev.isFinish():
                self._preview.hide()
                if hi - lo <= 0:
                    return
                if mods & Qt.KeyboardModifier.ShiftModifier:
                    self.sigBrushed.emit(lo, hi)
                else:
                    self.setXRange(lo, hi, padding=0)
            else:
                (_, _), (y0, y1) = self.viewRange()
                self._preview.setRect(QRectF(lo, min(y0, y1), hi - lo, abs(y1 - y0)))
                self._preview.show()
            return
        super().mouseDragEvent(ev, axis)

    def zoom_by(self, factor: float, centre: float | None = None) -> None:
        (x0, x1), _ = self.viewRange()
        c = (x0 + x1) / 2 if centre is None else centre
        self.setXRange(c - (c - x0) * factor, c + (x1 - c) * factor, padding=0)

    def pan_by(self, fraction: float) -> None:
        (x0, x1), _ = self.viewRange()
        shift = (x1 - x0) * fraction
        self.setXRange(x0 + shift, x1 + shift, padding=0)


class LaneAxis(pg.AxisItem):
    """Actor names at their lanes; skips names when lanes are too thin to read."""

    sigLaneClicked = Signal(int, object)  # row, modifiers
    sigLaneMenu = Signal(int, object)  # row, screen position

    def __init__(self):
        self._names: list[str] = []  # before super(): pyqtgraph resizes during construction
        super().__init__("left")
        self.setWidth(LABEL_WIDTH)
        font = QFont()
        font.setPointSizeF(9)
        self.setStyle(tickFont=font, tickLength=0, autoExpandTextSpace=False)
        self._metrics = QFontMetricsF(font)

    def set_names(self, names: list[str]) -> None:
        self._names = [self._metrics.elidedText(n, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 14) for n in names]
        self._apply()

    def resizeEvent(self, ev=None):
        super().resizeEvent(ev)
        self._apply()

    def _apply(self):
        if not self._names:
            self.setTicks([[]])
            return
        rows = max(len(self._names), 1)
        per_row = max(self.geometry().height(), 1) / rows
        step = max(1, int(round((self._metrics.height() + 2) / max(per_row, 0.1) + 0.49)))
        self.setTicks([[(i, n) for i, n in enumerate(self._names) if i % step == 0], []])

    def _row_at(self, ev) -> int | None:
        view = self.linkedView()
        if view is None:
            return None
        row = int(round(view.mapSceneToView(ev.scenePos()).y()))
        return row if 0 <= row < len(self._names) else None

    def mouseClickEvent(self, ev):
        row = self._row_at(ev)
        if row is None:
            return
        ev.accept()
        if ev.button() == Qt.MouseButton.RightButton:
            self.sigLaneMenu.emit(row, ev.screenPos().toPoint())
        elif ev.button() == Qt.MouseButton.LeftButton:
            self.sigLaneClicked.emit(row, ev.modifiers())

    def mouseDragEvent(self, ev):
        ev.ignore()  # lanes do not scroll; let the view handle nothing here

    def wheelEvent(self, ev):
        ev.ignore()
