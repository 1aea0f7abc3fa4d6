"""Drawing helpers shared by the figure's parts: fonts, colours, text that
is measured before it is drawn, and a record of every text drawn.

The record (role, text, rectangle) is what a figure promises: tests read it
to check that every label lies inside the page and that graph labels never
overlap, and the export dialog can say what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from store.figure_data import relation_colour_names

from ..theme import Palette

FONT_FAMILIES = ["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"]


def make_font(px: float, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(max(1, round(px)))
    font.setBold(bold)
    font.setItalic(italic)
    # the same metrics on an image, an SVG and a PDF page
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(True)
    return font


@dataclass
class DrawnText:
    role: str  # title, subtitle, lane, event, axis, node, legend, caption, sources, credit, note
    text: str
    rect: QRectF
    owner: int | None = None  # the actor a graph name belongs to


@dataclass
class Canvas:
    painter: QPainter
    palette: Palette
    text_px: float
    drawn: list[DrawnText] = field(default_factory=list)
    discs: dict[int, tuple[float, float, float]] = field(default_factory=dict)  # graph node: actor id -> (x, y, radius)

    def font(self, factor: float = 1.0, bold: bool = False, italic: bool = False) -> QFont:
        return make_font(self.text_px * factor, bold, italic)

    @staticmethod
    def metrics(font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font)

    def text(self, role: str, text: str, x: float, y: float, font: QFont, colour: QColor | str,
             halo: bool = False, owner: int | None = None) -> QRectF:
        """Draw ``text`` with its top-left at (x, y); returns (and records) its box."""
        m = QFontMetricsF(font)
        rect = QRectF(x, y, m.horizontalAdvance(text), m.height())
        p = self.painter
        if halo:
            back = QColor(self.palette.background)
            back.setAlpha(225)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(back)
            p.drawRoundedRect(rect.adjusted(-2, 0, 2, 0), 2, 2)
        p.setFont(font)
        p.setPen(QColor(colour))
        p.drawText(QPointF(x, y + m.ascent()), text)
        self.drawn.append(DrawnText(role, text, rect, owner))
        return rect


def wrap(text: str, font: QFont, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``, broken between words (inside a word only if it must)."""
    m = QFontMetricsF(font)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if m.horizontalAdvance(trial) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            while m.horizontalAdvance(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and m.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return [ln for ln in lines if ln] or []


def shorten(text: str, font: QFont, width: float) -> str:
    """``text`` whole if it fits, else cut at a word with an ellipsis (a chosen shortening, never a clipped edge)."""
    m = QFontMetricsF(font)
    if m.horizontalAdvance(text) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        trial = " ".join(words).rstrip(",;:-–") + "…"
        if m.horizontalAdvance(trial) <= width:
            return trial
    return m.elidedText(text, Qt.TextElideMode.ElideRight, width)


def faded(colour: QColor | str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def relation_colours(types: list[str]) -> dict[str, QColor]:
    """A distinct colour for each relationship type present (sorted), so a legend never repeats one."""
    return {t: QColor(c) for t, c in relation_colour_names(types).items()}
