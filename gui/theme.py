"""Colours that carry meaning, readable on light and dark backgrounds.

Actor kinds get distinct hues (Okabe-Ito, safe for colour-blind readers);
certainty is shown by fill and outline, not by colour alone, so it survives
a grey-scale print.
"""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtCore import Qt

KIND_COLOURS = {
    "person": "#0072B2",
    "government body": "#D55E00",
    "organisation": "#009E73",
    "media": "#CC79A7",
    "group": "#E69F00",
    "country": "#56B4E9",
}
RELATION_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#7F7F7F")
CONTESTED = "#C0392B"


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = app.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return True
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


class Palette:
    """The few colours views need, for the current appearance."""

    def __init__(self, dark: bool | None = None):
        self.set_dark(is_dark() if dark is None else dark)

    def set_dark(self, dark: bool) -> None:
        """Switch appearance in place: views holding this palette read the new
        colours on their next paint (see ``MainWindow.follow_theme``)."""
        self.dark = dark
        if self.dark:
            self.background = QColor("#1e1f22")
            self.foreground = QColor("#e6e6e6")
            self.muted = QColor("#8a8d93")
            self.grid = QColor("#34363b")
            self.lane_alt = QColor("#25272b")
            self.highlight = QColor("#ffd54f")
        else:
            self.background = QColor("#ffffff")
            self.foreground = QColor("#202124")
            self.muted = QColor("#8a8d93")
            self.grid = QColor("#e3e5e8")
            self.lane_alt = QColor("#f5f6f8")
            self.highlight = QColor("#ff8f00")

    def kind_colour(self, kind: str, override: str | None = None) -> QColor:
        colour = QColor(override) if override else QColor(KIND_COLOURS.get(kind, "#7F7F7F"))
        if not colour.isValid():
            colour = QColor(KIND_COLOURS.get(kind, "#7F7F7F"))
        return colour.lighter(125) if self.dark else colour

    def relation_colour(self, relation_type: str) -> QColor:
        index = zlib.crc32(relation_type.lower().encode()) % len(RELATION_PALETTE)
        return QColor(RELATION_PALETTE[index])
