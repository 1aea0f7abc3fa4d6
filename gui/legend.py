"""Legend strips: what colours, fills and shapes mean.

Painted, not built from widgets, so the on-screen legend and the one in an
exported PNG are the same pixels. An entry is (symbol, colour, label); the
strip wraps its entries to its width.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from .safe_paint import guarded_paint
from .theme import CONTESTED, KIND_COLOURS


def timeline_entries(palette, kinds) -> list[tuple[str, QColor, str]]:
    neutral = QColor(palette.muted)
    entries = [("swatch", palette.kind_colour(k), k) for k in KIND_COLOURS if k in set(kinds)]
    entries += [
        ("confirmed", neutral, "confirmed"),
        ("reported", neutral, "reported"),
        ("claimed", neutral, "claimed"),
        ("contested", QColor(CONTESTED), "contested"),
        ("span", neutral, "date uncertain within span"),
        ("bar", neutral, "lasting event"),
        ("link", neutral, "same event"),
    ]
    return entries


class LegendStrip(QWidget):
    def __init__(self, palette, entries=(), parent=None):
        super().__init__(parent)
        self.palette = palette
        self.entries = list(entries)
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self.metrics = QFontMetricsF(self.font)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_entries(self, entries) -> None:
        self.entries = list(entries)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def labels(self) -> list[str]:
        return [text for _, _, text in self.entries]

    def _layout(self, width: float):
        x, y, row_h = 6.0, 4.0, self.metrics.height() + 6
        spots = []
        for entry in self.entries:
            w = 22 + self.metrics.horizontalAdvance(entry[2]) + 14
            if x + w > width and x > 6:
                x, y = 6.0, y + row_h
            spots.append((entry, x, y))
            x += w
        return spots, y + row_h

    def sizeHint(self) -> QSize:
        _, height = self._layout(max(self.width(), 300))
        return QSize(600, int(height + 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self.sizeHint().height())

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self.setFixedHeight(self.sizeHint().height())

    @guarded_paint("legend")
    def paintEvent(self, _ev):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette.background)
        painter.setFont(self.font)
        spots, _ = self._layout(self.width())
        h = self.metrics.height()
        for (symbol, colour, text), x, y in spots:
            draw_symbol(painter, symbol, colour, QPointF(x + 9, y + h / 2))
            painter.setPen(self.palette.foreground)
            painter.drawText(QPointF(x + 22, y + self.metrics.ascent()), text)
        painter.end()


def draw_symbol(painter: QPainter, symbol: str, colour: QColor, c: QPointF) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if symbol == "swatch":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(c.x() - 7, c.y() - 5, 14, 10), 2, 2)
    elif symbol == "dot":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(c, 5, 5)
    elif symbol in ("confirmed", "reported", "claimed"):
        painter.setPen(QPen(colour.darker(130), 1.4))
        if symbol != "claimed":
            fill = QColor(colour)
            fill.setAlpha(255 if symbol == "confirmed" else 120)
            painter.setBrush(fill)
        painter.drawEllipse(c, 5, 5)
    elif symbol == "contested":
        painter.setPen(QPen(colour, 1.6, Qt.PenStyle.DashLine))
        painter.drawEllipse(c, 5, 5)
    elif symbol == "span":
        faded = QColor(colour)
        faded.setAlpha(70)
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DotLine))
        painter.setBrush(faded)
        painter.drawRect(QRectF(c.x() - 9, c.y() - 4, 18, 8))
    elif symbol == "bar":
        painter.setPen(QPen(colour.darker(130), 1.2))
        painter.setBrush(colour)
        painter.drawRect(QRectF(c.x() - 9, c.y() - 3, 18, 6))
    elif symbol == "link":
        painter.setPen(QPen(colour, 1.2))
        painter.drawLine(QPointF(c.x(), c.y() - 6), QPointF(c.x(), c.y() + 6))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(c.x(), c.y() - 5), 2.5, 2.5)
        painter.drawEllipse(QPointF(c.x(), c.y() + 5), 2.5, 2.5)
    elif symbol in ("line", "arrow", "dashed"):
        style = Qt.PenStyle.DashLine if symbol == "dashed" else Qt.PenStyle.SolidLine
        painter.setPen(QPen(colour, 2, style))
        painter.drawLine(QPointF(c.x() - 9, c.y()), QPointF(c.x() + 7, c.y()))
        if symbol == "arrow":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(QPolygonF([QPointF(c.x() + 10, c.y()), QPointF(c.x() + 4, c.y() - 4), QPointF(c.x() + 4, c.y() + 4)]))
