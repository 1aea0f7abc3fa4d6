"""Dragging a selected event on the timeline to change its dates.

Grab the selected event near its start or end to move that end, or in the
middle to move the whole event; a faint box shows where it will go, and on
release the timeline asks for the change (the window turns it into one
undoable "move" command). Drags that do not start on the selected event
are left to the view, which pans.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from store.dates import format_date

GRAB_PX = 6


class EventDrag:
    def __init__(self, item):
        self.item = item
        self.state = None  # (event_id, part, t0, t1, row)
        self.preview = QGraphicsRectItem()
        self.preview.setPen(QPen(QColor(255, 143, 0), 1.5, Qt.PenStyle.DashLine))
        self.preview.setBrush(QBrush(QColor(255, 143, 0, 50)))
        self.preview.setZValue(1e6)
        self.preview.hide()

    def start(self, ev) -> bool:
        item, session = self.item, self.item.session
        if ev.button() != Qt.MouseButton.LeftButton or ev.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        if session.read_only or len(session.selection.selected_events) != 1:
            return False
        event_id = item.event_at(ev.buttonDownScenePos())
        if event_id is None or event_id not in session.selection.selected_events:
            return False
        i = session.event_index(event_id)
        t0, t1 = float(session.data.start(i)), float(session.data.end(i))
        vb = item.getViewBox()
        down = vb.mapSceneToView(ev.buttonDownScenePos())
        px = vb.viewPixelSize()[0]
        part = "move"
        if t1 - t0 > 4 * GRAB_PX * px:  # wide enough to grab an end
            if abs(down.x() - t0) <= GRAB_PX * px:
                part = "start"
            elif abs(down.x() - t1) <= GRAB_PX * px:
                part = "end"
        self.state = (event_id, part, t0, t1, round(down.y()))
        if self.preview.scene() is None:
            vb.addItem(self.preview, ignoreBounds=True)
        return True

    def bounds(self, delta: float) -> tuple[float, float]:
        _id, part, t0, t1, _row = self.state
        if part == "start":
            return min(t0 + delta, t1), t1
        if part == "end":
            return t0, max(t1 + delta, t0)
        return t0 + delta, t1 + delta

    def handle(self, ev) -> bool:
        """Feed a pyqtgraph drag event; True when it was ours."""
        if ev.isStart() and not self.start(ev):
            return False
        if self.state is None:
            return False
        ev.accept()
        vb = self.item.getViewBox()
        delta = vb.mapSceneToView(ev.scenePos()).x() - vb.mapSceneToView(ev.buttonDownScenePos()).x()
        lo, hi = self.bounds(delta)
        row = self.state[4]
        self.preview.setRect(QRectF(lo, row - 0.4, max(hi - lo, vb.viewPixelSize()[0] * 3), 0.8))
        self.preview.show()
        if ev.isFinish():
            self.preview.hide()
            event_id, part = self.state[0], self.state[1]
            self.state = None
            if abs(delta) >= vb.viewPixelSize()[0]:
                self.item.sigEventDragged.emit(event_id, part, delta)
        return True


def moved_dates(start: str, end: str | None, precision: str, end_precision: str | None,
                t0: int, start_latest: int, end_earliest: int, t1: int, part: str, delta: float) -> tuple[str, str | None]:
    """New dates as written, at the precision they had, after a drag by ``delta`` seconds."""
    delta = int(round(delta))
    new_start, new_end = start, end
    if part in ("start", "move"):
        new_start = format_date(t0 + delta, precision)
    if end and part in ("end", "move"):
        new_end = format_date(end_earliest + delta, end_precision or precision)
    elif not end and part == "end":
        new_end = format_date(t1 + delta, precision)
    return new_start, new_end
