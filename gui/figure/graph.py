"""The relationship graph of a figure: actors of the window as discs (size:
their events in it; colour: their kind), grey links for shared events
(thicker = more), coloured arrows for stated relationships (dashed when
claimed or contested). Drawn in that order, so nodes sit over edges and
names over everything; names are placed greedily, biggest node first, in
the first free spot around the node, and left out rather than overlapped.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen, QPolygonF

from store.figure_data import FigureData

from .canvas import Canvas, faded, relation_colours, shorten

# a name's own node is the nearest by far: every other disc is this many times
# farther from the name, and at least this much of the text size away
NAME_RATIO = 2.0
NAME_CLEARANCE = 0.8


def paint_graph(canvas: Canvas, rect: QRectF, data: FigureData) -> list[str]:
    p = canvas.painter
    pal = canvas.palette
    if not data.actors:
        return []
    font = canvas.font(0.85)
    m = canvas.metrics(font)
    biggest = max(a.count for a in data.actors)
    r_max = max(4.0, min(rect.width(), rect.height()) * 0.045, canvas.text_px * 0.9)
    r_min = max(2.5, canvas.text_px * 0.35)
    radius = {a.id: r_min + (r_max - r_min) * math.sqrt(a.count / biggest) for a in data.actors}
    # room for a name beside a node at the edges: a quarter of the widest name, at most
    margin_x = r_max + min(max(m.horizontalAdvance(a.name) for a in data.actors) * 0.5, rect.width() * 0.12)
    margin_y = r_max + m.height()
    inner = rect.adjusted(margin_x, margin_y, -margin_x, -margin_y)
    pos = {aid: QPointF(inner.left() + x * inner.width(), inner.top() + y * inner.height())
           for aid, (x, y) in data.positions.items()}
    lit_actors = data.highlighted_actor_ids()
    dim = bool(lit_actors) or bool(data.highlight_events)
    lit_events = data.highlighted_event_ids()
    p.save()
    p.setRenderHint(p.RenderHint.Antialiasing)
    p.setClipRect(rect)
    widest = max((lk.count for lk in data.links), default=1)
    for link in sorted(data.links, key=lambda lk: lk.count):
        lit = not dim or bool(lit_events.intersection(link.event_ids))
        width = 0.8 + canvas.text_px * 0.28 * math.sqrt(link.count / widest)
        p.setPen(QPen(faded(pal.muted, 150 if lit else 45), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(pos[link.a], pos[link.b])
    colours = relation_colours(data.relationship_types)
    for rel in data.relationships:
        lit = not dim or (rel.source in lit_actors and rel.target in lit_actors)
        _relationship(canvas, pos[rel.source], pos[rel.target], radius[rel.target], rel.directed,
                      faded(colours[rel.type], 235 if lit else 60), rel.certainty in ("claimed", "contested"))
    for actor in sorted(data.actors, key=lambda a: a.count):
        c, r = pos[actor.id], radius[actor.id]
        lit = not dim or actor.id in lit_actors
        if dim and lit:
            p.setPen(QPen(pal.highlight, max(2.0, r * 0.25)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(c, r + max(2.0, r * 0.25), r + max(2.0, r * 0.25))
        p.setPen(QPen(pal.background, max(1.0, r * 0.12)))
        colour = pal.kind_colour(actor.kind, actor.colour)
        # a faded node is mixed with the page, not see-through: edges stay behind it
        p.setBrush(colour if lit else _mix(colour, pal.background, 0.3))
        p.drawEllipse(c, r, r)
        canvas.discs[actor.id] = (c.x(), c.y(), r)
    p.restore()
    dropped = _place_names(canvas, rect, data, pos, radius, font, lit_actors)
    return [f"Graph: {dropped} actor names left out where they would overlap."] if dropped else []


def _mix(colour: QColor, back: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(*(a * amount + b * (1 - amount) for a, b in (
        (colour.redF(), back.redF()), (colour.greenF(), back.greenF()), (colour.blueF(), back.blueF()))))


def _relationship(canvas, a: QPointF, b: QPointF, rb: float, directed: bool, colour: QColor, dashed: bool) -> None:
    """A gently curved arrow, so it stays visible beside a straight shared-events link."""
    p = canvas.painter
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length = math.hypot(dx, dy)
    if length < 1:
        return
    nx, ny = -dy / length, dx / length
    bend = min(length * 0.12, canvas.text_px * 2)
    ctrl = QPointF((a.x() + b.x()) / 2 + nx * bend, (a.y() + b.y()) / 2 + ny * bend)
    # end at the target's rim, along the curve's last direction
    tx, ty = b.x() - ctrl.x(), b.y() - ctrl.y()
    tl = math.hypot(tx, ty) or 1
    tip = QPointF(b.x() - tx / tl * (rb + 1.5), b.y() - ty / tl * (rb + 1.5))
    width = max(1.2, canvas.text_px * 0.12)
    path = QPainterPath(a)
    path.quadTo(ctrl, tip)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(colour, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    p.drawPath(path)
    if directed:
        head = max(5.0, canvas.text_px * 0.55)
        ux, uy = tx / tl, ty / tl
        base = QPointF(tip.x() - ux * head, tip.y() - uy * head)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(QPolygonF([
            tip, QPointF(base.x() - uy * head * 0.45, base.y() + ux * head * 0.45),
            QPointF(base.x() + uy * head * 0.45, base.y() - ux * head * 0.45),
        ]))


def _box_distance(x: float, y: float, box: QRectF) -> float:
    """From the point (x, y) to the nearest point of ``box`` (0 inside it)."""
    dx = max(box.left() - x, 0.0, x - box.right())
    dy = max(box.top() - y, 0.0, y - box.bottom())
    return math.hypot(dx, dy)


def _place_names(canvas, rect, data, pos, radius, font, lit_actors) -> int:
    """Each name beside its own node, unambiguously: it covers no disc, and
    every other disc is clearly farther from it than its own (``NAME_RATIO``
    times as far, and at least ``NAME_CLEARANCE`` of the text size away). A name between two nodes, or
    above a row of them, could belong to either: it goes elsewhere, or is
    left out (the figure says how many)."""
    m = canvas.metrics(font)
    h = m.height()
    clearance = canvas.text_px * NAME_CLEARANCE
    # a grid of the discs, so a name is checked against its neighbours only
    cell = max(h * 3, 1.0)
    grid: dict[tuple[int, int], list] = {}
    for a in data.actors:
        c = pos[a.id]
        grid.setdefault((int(c.x() // cell), int(c.y() // cell)), []).append((c.x(), c.y(), radius[a.id], a.id))
    r_max = max(radius.values())

    def clear(box: QRectF, own: int, own_gap: float) -> bool:
        need = max(own_gap * NAME_RATIO, clearance)
        reach = need + r_max
        for gx in range(int((box.left() - reach) // cell), int((box.right() + reach) // cell) + 1):
            for gy in range(int((box.top() - reach) // cell), int((box.bottom() + reach) // cell) + 1):
                for x, y, r, other in grid.get((gx, gy), ()):
                    if other != own and _box_distance(x, y, box) - r < need:
                        return False
        return True

    taken: list[QRectF] = []
    space = m.horizontalAdvance("  ")
    dropped = 0
    order = sorted(data.actors, key=lambda a: (a.id not in lit_actors, -a.count, a.name))
    for actor in order:
        text = shorten(actor.name, font, rect.width() * 0.3)
        w = m.horizontalAdvance(text)
        c, r = pos[actor.id], radius[actor.id]
        gap = canvas.text_px * 0.25
        d = r * 0.75
        spots = (
            (c.x() + r + gap, c.y() - h / 2),  # right
            (c.x() - r - gap - w, c.y() - h / 2),  # left
            (c.x() + r + gap, c.y() - h * 0.85),  # right, a little higher
            (c.x() + r + gap, c.y() - h * 0.15),  # right, a little lower
            (c.x() - r - gap - w, c.y() - h * 0.85),  # left, a little higher
            (c.x() - r - gap - w, c.y() - h * 0.15),  # left, a little lower
            (c.x() + d, c.y() - d - h),  # above right
            (c.x() + d, c.y() + d),  # below right
            (c.x() - d - w, c.y() - d - h),  # above left
            (c.x() - d - w, c.y() + d),  # below left
            (c.x() - w / 2, c.y() - r - gap - h),  # above
            (c.x() - w / 2, c.y() + r + gap),  # below
        )
        inside = w <= r * 1.9 and h <= r * 1.2
        if inside:  # a big node holds its own name, across its middle: no neighbour can claim it
            spots = ((c.x() - w / 2, c.y() - h / 2),) + spots
        for k, (x, y) in enumerate(spots):
            on_disc = inside and k == 0
            box = QRectF(x, y, w, h)
            if not rect.contains(box):
                continue
            if any(box.intersects(t) for t in taken):
                continue
            own_gap = max(_box_distance(c.x(), c.y(), box) - r, 0.0)
            if _box_distance(c.x(), c.y(), box) < r and not on_disc:
                continue  # half on its own disc, half off: the halo would cut into it
            if not clear(box, actor.id, own_gap):
                continue
            dim = bool(lit_actors) and actor.id not in lit_actors
            if on_disc:  # on its own disc: no halo, in the colour that reads on the disc
                disc = canvas.palette.kind_colour(actor.kind, actor.colour)
                ink = QColor("#ffffff") if disc.lightness() < 150 else QColor("#1a1a1a")
                canvas.text("node", text, x, y, font, faded(ink, 150 if dim else 255), owner=actor.id)
            else:
                canvas.text("node", text, x, y, font, faded(canvas.palette.foreground, 130 if dim else 255), halo=True,
                            owner=actor.id)
            # a word space around every name: two names side by side must not read as one
            taken.append(box.adjusted(-space, -1, space, 1))
            break
        else:
            dropped += 1
    return dropped
