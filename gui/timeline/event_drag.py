"""Moving an event in time on the timeline: an explicit act, never a pan.

A plain drag always pans, even over the selected event, so looking around
can never change a date. To move an event, Alt-drag it (or turn on Edit >
Move events by dragging, then drag it): grab it near its start or end to
move that end, or in the middle to move the whole event. While dragging, a
box shows where it will land and a label shows the dates exactly as they
will be written: they move by whole units of their own precision (a day by
days, a month by months) and keep the style they were written in. On
release the timeline asks for the change, which the window makes one
undoable "move" command.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from store.dates import DateError, parse_date
from store.dates.shift import shift_date, units_for
from store.records import RecordError, reference_date

GRAB_PX = 6
LABEL_GAP_PX = 10  # between the moving marker's centre and its date label
ORANGE = QColor(255, 143, 0)


def is_move_gesture(modifiers, move_mode: bool) -> bool:
    """Alt-drag moves; in move mode a plain drag does too. Shift and ctrl keep their meanings."""
    if modifiers == Qt.KeyboardModifier.AltModifier:
        return True
    return move_mode and modifiers == Qt.KeyboardModifier.NoModifier


class EventDrag:
    def __init__(self, item):
        self.item = item
        self.move_mode = False  # Edit > Move events by dragging
        self.state = None  # (event_id, part, row, event record, reference)
        self.planned: tuple[str, str | None] | None = None  # the dates as they will be written
        self.preview = QGraphicsRectItem()
        self.preview.setPen(QPen(ORANGE, 1.5, Qt.PenStyle.DashLine))
        self.preview.setBrush(QBrush(QColor(255, 143, 0, 50)))
        self.preview.setZValue(1e6)
        self.preview.hide()
        self.label = pg.TextItem(color=ORANGE, anchor=(0, 1), fill=QColor(255, 255, 255, 220))
        self.label.setZValue(1e6 + 1)
        self.label.hide()

    def start(self, ev) -> bool:
        item, session = self.item, self.item.session
        if ev.button() != Qt.MouseButton.LeftButton or not is_move_gesture(ev.modifiers(), self.move_mode):
            return False
        if session.read_only:
            return False
        # overlapping markers: the selected event is the one a person means to move
        event_id = item.event_at(ev.buttonDownScenePos(), prefer=session.selection.selected_events)
        if event_id is None:
            return False
        if session.selection.selected_events != {event_id}:
            session.selection.select_events([event_id], origin=item)
        starts, ends = session.event_bounds([event_id])  # an edit not yet folded in included
        t0, t1 = float(starts[0]), float(ends[0])
        vb = item.getViewBox()
        down = vb.mapSceneToView(ev.buttonDownScenePos())
        px = vb.viewPixelSize()[0]
        part = "move"
        if t1 - t0 > 4 * GRAB_PX * px:  # wide enough to grab an end
            if abs(down.x() - t0) <= GRAB_PX * px:
                part = "start"
            elif abs(down.x() - t1) <= GRAB_PX * px:
                part = "end"
        record = session.event_detail(event_id).event
        try:
            reference = reference_date(record.date_reference)
        except RecordError:
            reference = None
        self.state = (event_id, part, round(down.y()), record, reference)
        for thing in (self.preview, self.label):
            if thing.scene() is None:
                vb.addItem(thing, ignoreBounds=True)
        return True

    def handle(self, ev) -> bool:
        """Feed a pyqtgraph drag event; True when it was ours."""
        if ev.isStart() and not self.start(ev):
            return False
        if self.state is None:
            return False
        ev.accept()
        vb = self.item.getViewBox()
        delta = vb.mapSceneToView(ev.scenePos()).x() - vb.mapSceneToView(ev.buttonDownScenePos()).x()
        event_id, part, row, record, reference = self.state
        try:
            self.planned = moved_dates(record.start, record.end, part, delta, reference)
            lo = parse_date(self.planned[0], reference).earliest
            hi = parse_date(self.planned[1] or self.planned[0], reference).latest
            text = describe_move(record.start, record.end, *self.planned)
        except DateError as exc:
            self.planned, text = None, str(exc)
            lo = hi = vb.mapSceneToView(ev.scenePos()).x()
        self.preview.setRect(QRectF(lo, row - 0.4, max(hi - lo, vb.viewPixelSize()[0] * 3), 0.8))
        self.preview.show()
        self.label.setText(text)
        self._place_label(vb, lo, row)
        self.label.show()
        if ev.isFinish():
            self.preview.hide()
            self.label.hide()
            self.state = None
            planned, self.planned = self.planned, None
            if planned is not None and planned != (record.start, record.end):
                self.item.sigEventDragged.emit(event_id, planned[0], planned[1])
        return True


    def _place_label(self, vb, x: float, row: float) -> None:
        """Just above the moving marker, whatever the lane's height (a lone
        lane fills the plot, so its edge is far from the marker); below it
        when there is no room above."""
        py = abs(vb.viewPixelSize()[1])
        (_, _), (y_lo, y_hi) = vb.viewRange()
        rows_down = vb.yInverted()  # rows grow downwards: "above" is a smaller y
        gap = LABEL_GAP_PX * py
        above = row - gap if rows_down else row + gap
        room = (above - y_lo if rows_down else y_hi - above) / py
        if room >= self.label.boundingRect().height() + 2:
            self.label.setAnchor((0, 1))
            self.label.setPos(x, above)
        else:
            self.label.setAnchor((0, 0))
            self.label.setPos(x, row + gap if rows_down else row - gap)


def describe_move(start: str, end: str | None, new_start: str, new_end: str | None) -> str:
    """What the label says during a drag: the dates as they will be written."""
    old = f"{start} to {end}" if end else start
    new = f"{new_start} to {new_end}" if new_end else new_start
    return f"{old} → {new}" if new != old else old


def moved_dates(start: str, end: str | None, part: str, delta: float, reference=None) -> tuple[str, str | None]:
    """The dates as written after a drag of ``delta`` seconds: whole units of
    each date's own precision, in its own style (see store.dates.shift)."""

    def shift(text: str) -> str:
        precision = parse_date(text, reference).precision
        return shift_date(text, units_for(delta, precision, text), reference)

    new_start, new_end = start, end
    if part in ("start", "move"):
        new_start = shift(start)
    if end and part in ("end", "move"):
        new_end = shift(end)
    elif not end and part == "end":
        moved = shift(start)
        new_end = moved if moved != start else None
    return new_start, new_end
