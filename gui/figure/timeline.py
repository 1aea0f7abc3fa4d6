"""The timeline of a figure: one lane per actor, events drawn as the window
draws them (filled confirmed, lighter reported, hollow claimed, red dashed
contested; an uncertain date a faded span over all it may mean, a stated
end a bar), titles written where they fit whole inside the plot.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen

from store.figure_data import FigureData, FigureEvent
from store.view_model.date_ticks import labels as tick_labels, pick_steps, tick_seconds
from store.view_model.day_spread import spread_days

from ..theme import CONTESTED
from .canvas import Canvas, faded, shorten

CERTAINTY_RANK = {"confirmed": 0, "reported": 1, "claimed": 2, "contested": 3}
LANE_FACTOR = 1.9  # lane height, times the text size, when the page may grow
MIN_LANE_FACTOR = 1.3  # below this, fewer lanes are shown (the busiest), and the figure says so
MAX_AUTO_LANES = 36  # a page that grows with its lanes stops here: a figure is not a list of every actor


def lane_height(canvas: Canvas) -> float:
    return canvas.text_px * LANE_FACTOR


def axis_height(canvas: Canvas) -> float:
    return canvas.metrics(canvas.font(0.85)).height() + canvas.text_px * 0.8


def natural_height(canvas: Canvas, data: FigureData, max_lanes: int | None = None) -> float:
    return max(min(len(data.actors), max_lanes or len(data.actors)), 1) * lane_height(canvas) + axis_height(canvas)


def lanes_that_fit(canvas: Canvas, data: FigureData, height: float, max_lanes: int | None = None) -> list:
    """The lanes drawn in ``height``: all, or the busiest that fit, in lane order."""
    room = int((height - axis_height(canvas)) // (canvas.text_px * MIN_LANE_FACTOR))
    room = min(room, max_lanes or room)
    if room >= len(data.actors):
        return list(data.actors)
    keep = {a.id for a in sorted(data.actors, key=lambda a: (-a.count, a.name))[:max(room, 1)]}
    return [a for a in data.actors if a.id in keep]


def _geometry(canvas: Canvas, rect: QRectF, data: FigureData, lanes: list):
    """Where the timeline's parts go in ``rect``: the names' gutter, the plot,
    the lane height, each lane's row, the marker radius, and time and lane to x and y."""
    lane_m = canvas.metrics(canvas.font(0.9))
    gutter = min(max((lane_m.horizontalAdvance(a.name) for a in lanes), default=40) + canvas.text_px * 1.2,
                 rect.width() * 0.26)
    plot = QRectF(rect.left() + gutter, rect.top(), rect.width() - gutter, rect.height() - axis_height(canvas))
    lane_h = plot.height() / max(len(lanes), 1)
    row = {a.id: i for i, a in enumerate(lanes)}
    r = max(2.0, min(lane_h * 0.27, canvas.text_px * 0.45))
    t0, t1 = data.window
    pad = r + 2
    inner_l, inner_w = plot.left() + pad, plot.width() - 2 * pad

    def x_of(t: float) -> float:
        return inner_l + (t - t0) / (t1 - t0) * inner_w

    def y_of(aid: int) -> float:
        return plot.top() + (row[aid] + 0.5) * lane_h

    return gutter, plot, lane_h, row, r, x_of, y_of


def spreads_days(canvas: Canvas, rect: QRectF, data: FigureData, max_lanes: int | None = None) -> bool:
    """Would the timeline drawn in ``rect`` spread a day's events across it
    (and shade the day behind them)? The legend says so only then."""
    lanes = lanes_that_fit(canvas, data, rect.height(), max_lanes)
    _, _, lane_h, row, r, x_of, y_of = _geometry(canvas, rect, data, lanes)
    events = [e for e in data.events if any(a in row for a, _ in e.actors)]
    return bool(_point_spots(canvas, events, row, x_of, y_of, lane_h, r)[1])


def paint_timeline(canvas: Canvas, rect: QRectF, data: FigureData, max_lanes: int | None = None) -> list[str]:
    """Draw into ``rect``; returns notes for the person exporting (what was left out)."""
    p = canvas.painter
    pal = canvas.palette
    notes = []
    lanes = lanes_that_fit(canvas, data, rect.height(), max_lanes)
    if len(lanes) < len(data.actors):
        notes.append(f"Timeline: the {len(lanes)} busiest of {len(data.actors)} actors (the figure says so).")
    lane_font = canvas.font(0.9)
    lane_m = canvas.metrics(lane_font)
    gutter, plot, lane_h, row, r, x_of, y_of = _geometry(canvas, rect, data, lanes)
    t0, t1 = data.window

    # lanes: alternate bands, a strip of the actor's kind colour, the name
    for i, actor in enumerate(lanes):
        band = QRectF(plot.left(), plot.top() + i * lane_h, plot.width(), lane_h)
        if i % 2:
            p.fillRect(band, pal.lane_alt)
        p.fillRect(QRectF(plot.left(), band.top() + 1, max(2.0, canvas.text_px * 0.2), lane_h - 2),
                   pal.kind_colour(actor.kind, actor.colour))
        name = shorten(actor.name, lane_font, gutter - canvas.text_px * 0.8)
        w = lane_m.horizontalAdvance(name)
        canvas.text("lane", name, plot.left() - canvas.text_px * 0.5 - w, band.center().y() - lane_m.height() / 2,
                    lane_font, pal.foreground)
    _paint_axis(canvas, rect, plot, x_of, t0, t1)

    lit = data.highlighted_event_ids()
    dim = bool(lit)
    events = [e for e in data.events if any(a in row for a, _ in e.actors)]
    p.save()
    p.setClipRect(plot)
    p.setRenderHint(p.RenderHint.Antialiasing)
    markers: dict[int, list[QRectF]] = {}
    for ev in events:  # spans and bars first: points sit over them
        if ev.shape == "point":
            continue
        alpha = 255 if not dim or ev.id in lit else 70
        for aid in _lanes_of(ev, row):
            _paint_extent(canvas, ev, x_of, y_of(aid), r, _colour(canvas, data, aid), alpha, ev.id in lit)
    spots, day_bands = _point_spots(canvas, events, row, x_of, y_of, lane_h, r)
    for band, aid in day_bands:
        p.fillRect(band, faded(_colour(canvas, data, aid), 28))
    for ev in events:  # participants of one event joined by a thin line
        ends = [spots[ev.id, a] if ev.shape == "point" else QPointF(x_of(_anchor_time(ev)), y_of(a))
                for a in _lanes_of(ev, row)]
        if len(ends) > 1:
            colour = faded(pal.muted, 150 if not dim or ev.id in lit else 50)
            p.setPen(QPen(colour, max(0.8, r * 0.15)))
            ends.sort(key=QPointF.y)
            p.drawPolyline(ends)
    for ev in events:
        if ev.shape != "point":
            continue
        alpha = 255 if not dim or ev.id in lit else 70
        for aid in _lanes_of(ev, row):
            c = spots[ev.id, aid]
            _paint_marker(canvas, ev.certainty, c, r, _colour(canvas, data, aid), alpha, ev.id in lit)
            markers.setdefault(aid, []).append(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
    p.restore()
    dropped = _place_labels(canvas, plot, events, row, spots, x_of, y_of, lane_h, r, markers, lit,
                            data.highlight_actors)
    if dropped:
        notes.append(f"Timeline: {dropped} event titles left out where they would overlap.")
    return notes


def _point_spots(canvas, events, row, x_of, y_of, lane_h, r) -> tuple[dict, list]:
    """Where each (event, lane) marker of a point event goes: the middle of
    its date, or, where several events of one lane share a day wide enough
    to tell them apart, spread across that day in file order as on the
    screen (store/view_model/day_spread.py): never at a made-up time.
    Also the shared days' bands, to draw behind the spread markers."""
    pairs = [(ev, aid) for ev in events if ev.shape == "point" for aid in _lanes_of(ev, row)]
    if not pairs:
        return {}, []
    x0 = np.array([x_of(ev.earliest) for ev, _ in pairs])
    x1 = np.array([x_of(ev.latest) for ev, _ in pairs])
    rows = np.array([row[aid] for _, aid in pairs])
    ids = np.array([ev.id for ev, _ in pairs])
    ys = np.array([y_of(aid) for _, aid in pairs])
    spread = spread_days(x0, x1, rows, ids, ys, (x1 - x0) >= 2 * r, lane_h, 2 * r, canvas.text_px * 0.8)
    spots = {(ev.id, aid): QPointF(float(x), float(y)) for (ev, aid), x, y in zip(pairs, spread.x, spread.y)}
    # the day the spread markers share, drawn faintly behind them: the band is the date
    days: dict[tuple, list] = {}  # (lane, day) -> [lane's actor, lowest y, highest y]
    for i in np.flatnonzero(spread.spread):
        day = days.setdefault((int(rows[i]), round(x0[i], 1), round(x1[i], 1)), [pairs[i][1], spread.y[i], spread.y[i]])
        day[1], day[2] = min(day[1], spread.y[i]), max(day[2], spread.y[i])
    bands = [(QRectF(a, top - 2 * r, b - a, bottom - top + 4 * r), aid) for (_, a, b), (aid, top, bottom) in days.items()]
    return spots, bands


def _lanes_of(ev: FigureEvent, row: dict) -> list[int]:
    """The shown lanes an event is in, each once (an actor in two roles of it is one mark)."""
    return list(dict.fromkeys(a for a, _ in ev.actors if a in row))


def _colour(canvas: Canvas, data: FigureData, aid: int) -> QColor:
    actor = data.actor(aid)
    return canvas.palette.kind_colour(actor.kind, actor.colour) if actor else QColor(canvas.palette.muted)


def _anchor_time(ev: FigureEvent) -> float:
    return (ev.earliest + ev.latest) / 2 if ev.shape == "point" else ev.earliest


def _paint_marker(canvas: Canvas, certainty: str, c: QPointF, r: float, colour: QColor, alpha: int, lit: bool) -> None:
    p = canvas.painter
    if lit:
        p.setPen(QPen(canvas.palette.highlight, max(1.5, r * 0.35)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(c, r * 1.55, r * 1.55)
    if certainty == "contested":
        p.setBrush(faded(CONTESTED, alpha * 40 // 255))
        p.setPen(QPen(faded(CONTESTED, alpha), max(1.2, r * 0.3), Qt.PenStyle.DashLine))
    else:
        p.setPen(QPen(faded(colour.darker(130), alpha), max(1.0, r * 0.22)))
        if certainty == "claimed":
            p.setBrush(faded(canvas.palette.background, alpha))
        else:
            p.setBrush(faded(colour, alpha if certainty == "confirmed" else alpha * 110 // 255))
    p.drawEllipse(c, r, r)


def _paint_extent(canvas: Canvas, ev: FigureEvent, x_of, y: float, r: float, colour: QColor, alpha: int, lit: bool) -> None:
    """An uncertain date as a faded span over all it may mean; a stated end as a bar over its certain core."""
    p = canvas.painter
    x0, x1 = x_of(ev.earliest), x_of(ev.latest)
    h = r * 1.3
    span = QRectF(x0, y - h / 2, max(x1 - x0, 2.0), h)
    contested = ev.certainty == "contested"
    edge = QColor(CONTESTED) if contested else colour
    p.setBrush(faded(colour, alpha * (45 if ev.certainty in ("claimed", "contested") else 75) // 255))
    p.setPen(QPen(faded(edge, alpha * 200 // 255), 1.0, Qt.PenStyle.DashLine if contested else Qt.PenStyle.DotLine))
    p.drawRect(span)
    if ev.shape == "bar":
        c0, c1 = x_of(ev.start_latest), x_of(ev.end_earliest)
        if c1 > c0:
            core = QRectF(c0, y - r * 0.45, c1 - c0, r * 0.9)
            fill = {"confirmed": 230, "reported": 150, "claimed": 60, "contested": 60}.get(ev.certainty, 150)
            p.setBrush(faded(colour, alpha * fill // 255))
            p.setPen(QPen(faded(edge.darker(120), alpha), 1.0, Qt.PenStyle.DashLine if contested else Qt.PenStyle.SolidLine))
            p.drawRect(core)
    if lit:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(canvas.palette.highlight, max(1.5, r * 0.3)))
        p.drawRect(span.adjusted(-2, -2, 2, 2))


def _priority(ev: FigureEvent, lit) -> tuple:
    return (ev.id not in lit, ev.shape != "point", -len(ev.actors), CERTAINTY_RANK.get(ev.certainty, 9), ev.earliest, ev.id)


def _place_labels(canvas, plot, events, row, spots, x_of, y_of, lane_h, r, markers, lit, prefer=frozenset()) -> int:
    """Titles beside their events, whole and inside the plot, never over another title or marker.
    Greedy: the most important events first; one title per event, in the first lane where it fits."""
    if lane_h < canvas.text_px * 1.05:
        return len(events)
    font = canvas.font(0.8)
    m = canvas.metrics(font)
    taken: dict[int, list[QRectF]] = {}
    spans: dict[int, list[QRectF]] = {}  # the spans and bars drawn in each lane
    for ev in events:
        if ev.shape != "point":
            x0, x1 = x_of(ev.earliest), x_of(ev.latest)
            for aid in _lanes_of(ev, row):
                spans.setdefault(aid, []).append(QRectF(x0, y_of(aid) - r * 0.65, max(x1 - x0, 2.0), r * 1.3))
    gap = r + canvas.text_px * 0.3
    dropped = 0
    fg = canvas.palette.foreground
    for ev in sorted(events, key=lambda e: _priority(e, lit)):
        text = shorten(ev.title, font, plot.width() * 0.45)
        w, h = m.horizontalAdvance(text), m.height()
        placed = False
        # a highlighted actor's lane first: that is where the reader is looking
        for aid in sorted((a for a, _ in ev.actors if a in row), key=lambda a: (a not in prefer, row[a])):
            y = y_of(aid) - h / 2
            if ev.shape == "point":
                c = spots[ev.id, aid]
                x, y = c.x(), c.y() - h / 2
                beside = (x + gap, x - gap - w)
            else:
                a, b = max(x_of(ev.earliest), plot.left()), min(x_of(ev.latest), plot.right())
                beside = (b + gap, a - gap - w)  # never over its own span: the title's halo would hide it
            for sx in beside:
                box = QRectF(sx, y, w, h)
                if box.left() < plot.left() + 2 or box.right() > plot.right() - 2:
                    continue
                if any(box.intersects(o) for o in taken.get(aid, ())):
                    continue
                if any(box.intersects(o) for o in spans.get(aid, ())):
                    continue  # another event's span or bar in this lane
                if any(box.intersects(o) for o in markers.get(aid, ()) if not o.contains(QPointF(sx - gap + r, y + h / 2))):
                    continue
                canvas.text("event", text, sx, y, font, faded(fg, 255 if not lit or ev.id in lit else 120), halo=True)
                taken.setdefault(aid, []).append(box.adjusted(-4, 0, 4, 0))
                placed = True
                break
            if placed:
                break
        dropped += not placed
    return dropped


def _paint_axis(canvas: Canvas, rect: QRectF, plot: QRectF, x_of, t0: float, t1: float) -> None:
    p = canvas.painter
    pal = canvas.palette
    font = canvas.font(0.85)
    m = canvas.metrics(font)
    # the tick ladder is tuned for ~11 px labels: scale the width it sees to the text size
    major, _ = pick_steps(t1 - t0, plot.width() * 11.5 / max(canvas.text_px * 0.85, 1))
    ticks = tick_seconds(major, t0, t1)
    texts = tick_labels(major, ticks)
    p.setPen(QPen(pal.grid, 1.0))
    for t in ticks:
        x = x_of(float(t))
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
    p.setPen(QPen(pal.muted, 1.0))
    p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
    last_right = -1e9
    y = plot.bottom() + canvas.text_px * 0.35
    for t, text in zip(ticks, texts):
        x = x_of(float(t))
        w = m.horizontalAdvance(text)
        left = x - w / 2
        if left < plot.left() - canvas.text_px * 0.5:
            left = max(x - w / 2, rect.left())
        if left < rect.left() or left + w > rect.right() or left < last_right + canvas.text_px:
            continue
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + canvas.text_px * 0.3))
        canvas.text("axis", text, left, y, font, pal.muted)
        last_right = left + w
