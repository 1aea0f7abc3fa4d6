"""Event titles beside their markers, where they fit without overlapping.

Only a few hundred events are ever titled (``LABEL_LIMIT``); their titles
are fetched from the file once and kept until the data changes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF

LABEL_LIMIT = 400  # visible events; above this no titles are drawn


class TitlePainter:
    def __init__(self, session, palette):
        self.session = session
        self.palette = palette
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self._metrics = QFontMetricsF(self.font)
        self._title_cache: dict[int, str] = {}
        self.last_drawn: list[tuple[str, QRectF]] = []  # the titles of the last paint and their boxes

    @property
    def text_height(self) -> float:
        return self._metrics.height()

    def clear(self) -> None:
        self._title_cache.clear()

    def paint(self, painter, frame, ys, size, hot, row_px: float, right: float = np.inf, ids=None,
              obstacles=None) -> None:
        """Titles to the right of their event, where they fit without overlap
        and before ``right`` (the plot's edge): shortened with "…", never cut.
        ``ids`` are the event ids of the frame's event indices (the session's by default).
        ``obstacles`` (left, right, top, bottom arrays) are every mark drawn,
        markers, spans and the lines joining an event's lanes: a title ends
        before the first one in its way and is not written where one covers its start."""
        text_h = self._metrics.height()
        self.last_drawn = []
        if row_px < text_h + 2:
            return  # lanes too thin to write in
        ids = self.session.data.event_ids if ids is None else ids
        wanted = {int(ids[e]) for e in np.unique(frame.event)} - self._title_cache.keys()
        if wanted:
            self._title_cache.update(self.session.titles(wanted))
        painter.setFont(self.font)
        halo = QColor(self.palette.background)
        halo.setAlpha(225)
        # one title per event, on its first visible lane
        shown: set[int] = set()
        order = np.lexsort((frame.x0, frame.row))
        last_end: dict[int, float] = {}
        next_start = _next_in_row(frame, order)
        for k, i in enumerate(order):
            ev = int(frame.event[i])
            if ev in shown:
                continue
            row = int(frame.row[i])
            start = max(float(frame.x1[i]), float(frame.x0[i]) + size * 0.5) + 4
            room = min(next_start[k], right) - start - 6
            if start < last_end.get(row, -1e9) + 6 or room < 40:
                continue
            if obstacles is not None:
                ox0, ox1, oy0, oy1 = obstacles
                y = float(ys[i])
                near = (oy1 > y - text_h * 0.6) & (oy0 < y + text_h * 0.45) & (ox1 > start - 2) & (ox0 < start + room)
                if near.any():
                    first = float(ox0[near].min())
                    if first <= start + 2:
                        continue  # a mark where the title would begin
                    room = first - start - 6
                    if room < 40:
                        continue
            full = self._title_cache.get(int(ids[ev]), "")
            text = self._metrics.elidedText(full, Qt.TextElideMode.ElideRight, min(room, 320))
            if not text:
                continue
            if obstacles is not None and len(text) < 16 and text.endswith("…") and len(text) < len(full):
                continue  # a stub such as "Five …" says nothing: no title rather than that
            colour = QColor(self.palette.foreground)
            if hot is not None and not hot[i]:
                colour.setAlpha(90)
            if obstacles is not None:
                # a halo: the lines joining an event's lanes pass beneath the title, not through it
                w = self._metrics.horizontalAdvance(text)
                painter.fillRect(QRectF(start - 2, float(ys[i]) - text_h * 0.55, w + 4, text_h * 1.0), halo)
            painter.setPen(colour)
            painter.drawText(QPointF(start, float(ys[i]) + text_h * 0.3), text)
            ink = self._metrics.tightBoundingRect(text)
            self.last_drawn.append((text, ink.translated(start, float(ys[i]) + text_h * 0.3)))
            last_end[row] = start + self._metrics.horizontalAdvance(text)
            shown.add(ev)


def _next_in_row(frame, order: np.ndarray) -> np.ndarray:
    """For pairs in (row, x) order: the x where the next event in the same row starts."""
    rows = frame.row[order]
    xs = np.minimum(frame.x0[order], frame.x1[order])
    nxt = np.r_[xs[1:], np.inf]
    same = np.r_[rows[1:] == rows[:-1], False]
    return np.where(same, nxt, np.inf)
