"""A figure's page: title and subtitle, the timeline and/or graph, a legend
that wraps (never "+N more"), caption, the "Sources:" line and the credit.

The page is laid out in layout units from font metrics alone, so the same
layout serves a PNG, an SVG, a PDF page and the export dialog's preview.
Nothing of the window appears: no panel headers, check boxes or status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from store.figure_data import FigureData, default_subtitle, legend_items, sources_line

from ..legend import draw_symbol
from ..theme import CONTESTED, Palette
from .canvas import Canvas, DrawnText, make_font, relation_colours, wrap
from .graph import paint_graph
from .options import FigureOptions
from .timeline import MAX_AUTO_LANES, lanes_that_fit, natural_height, paint_timeline, spreads_days


@dataclass
class PageResult:
    width: float
    height: float
    drawn: list[DrawnText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out, for the person exporting
    discs: dict[int, tuple[float, float, float]] = field(default_factory=dict)  # graph nodes: id -> (x, y, radius)

    def texts(self, role: str | None = None) -> list[str]:
        return [d.text for d in self.drawn if role is None or d.role == role]


def title_of(data: FigureData, options: FigureOptions) -> str:
    return data.story_title if options.title is None else options.title


def subtitle_of(data: FigureData, options: FigureOptions) -> str:
    return default_subtitle(data) if options.subtitle is None else options.subtitle


def legend_entries(data: FigureData, options: FigureOptions, palette: Palette) -> list[tuple[str, QColor, str]]:
    """The legend of ``store.figure_data.legend_items`` (the one the HTML figure shows too), in colours."""
    neutral = QColor(palette.muted)
    colours = relation_colours(data.relationship_types)
    entries = []
    for symbol, label, key in legend_items(data, options.view):
        if symbol == "swatch":
            colour = palette.kind_colour(key)
        elif symbol == "arrow":
            colour = colours[key]
        elif symbol == "contested":
            colour = QColor(CONTESTED)
        elif symbol == "ring":
            colour = QColor(palette.highlight)
        else:
            colour = neutral
        entries.append((symbol, colour, label))
    return entries


def _legend_rows(canvas_px: float, entries, width: float):
    font = make_font(canvas_px * 0.8)
    from PySide6.QtGui import QFontMetricsF

    m = QFontMetricsF(font)
    sym = canvas_px * 2.1
    rows, row, x = [], [], 0.0
    for entry in entries:
        w = sym + m.horizontalAdvance(entry[2]) + canvas_px * 1.1
        if row and x + w > width:
            rows.append(row)
            row, x = [], 0.0
        row.append((entry, x))
        x += w
    if row:
        rows.append(row)
    return rows, m.height() + canvas_px * 0.35, font


def layout_and_paint(painter: QPainter | None, data: FigureData, options: FigureOptions) -> PageResult:
    """Lay the page out and, with a painter, draw it. Without one it only
    measures (the page height of an article figure depends on its lanes)."""
    palette = Palette(dark=options.dark)
    px = options.text_px
    W = options.page_width
    margin = px * 1.7
    content_w = W - 2 * margin
    canvas = Canvas(painter, palette, px)
    title_font, sub_font = make_font(px * 1.9, bold=True), make_font(px * 1.15)
    cap_font, small_font = make_font(px * 1.0), make_font(px * 0.8)
    credit_font = make_font(px * 0.8, italic=True)
    title_lines = wrap(title_of(data, options), title_font, content_w)
    sub_lines = wrap(subtitle_of(data, options), sub_font, content_w)
    header_h = len(title_lines) * canvas.metrics(title_font).height() + len(sub_lines) * canvas.metrics(sub_font).height()
    day_bands = False  # does the timeline spread a day's events across it? Its legend then says so
    for _ in range(2):
        entries = legend_entries(data, options, palette)
        if day_bands:
            entries.append(("day", QColor(palette.muted), "events of one day, spread across it"))
        legend_rows, legend_row_h, legend_font = _legend_rows(px, entries, content_w)
        cap_lines = wrap(options.caption, cap_font, content_w) if options.caption.strip() else []
        sources_text = sources_line(data.publishers)
        src_lines = wrap(sources_text, small_font, content_w) if sources_text else []
        credit_lines = wrap(options.credit, credit_font, content_w) if options.credit.strip() else []
        gap = px * 1.0
        note_font = make_font(px * 0.8)
        note_lines: list[str] = []  # the figure says when it shows fewer lanes than the story has
        footer_h = (len(legend_rows) * legend_row_h + len(cap_lines) * canvas.metrics(cap_font).height()
                    + len(src_lines) * canvas.metrics(small_font).height()
                    + len(credit_lines) * canvas.metrics(credit_font).height() + gap * 2)
        fixed = options.fixed_height
        side_by_side = options.view == "both" and fixed is not None and W / fixed >= 1.25
        view = options.view
        max_lanes = MAX_AUTO_LANES if fixed is None else None
        note_h = canvas.metrics(note_font).height()
        for _ in range(2):  # once without a note on lanes left out, once with it
            if fixed is None:
                tl_h = natural_height(canvas, data, max_lanes) if view != "graph" else 0.0
                if view == "both" or view == "graph":
                    gr_h = min(content_w * (0.5 if view == "both" else 0.62), 900)
                else:
                    gr_h = 0.0
                body_h = tl_h + gr_h + (gap * 1.5 if view == "both" else 0)
                H = margin * 2 + header_h + gap + body_h + footer_h + len(note_lines) * note_h
            else:
                H = fixed
                body_h = max(H - margin * 2 - header_h - gap - footer_h - len(note_lines) * note_h, px * 6)
                if view == "both" and not side_by_side:
                    tl_h = min(natural_height(canvas, data), body_h * 0.58)
                    gr_h = body_h - tl_h - gap * 1.5
                else:
                    tl_h = body_h if view != "graph" else 0.0
                    gr_h = body_h if view != "timeline" else 0.0
            shown = len(lanes_that_fit(canvas, data, tl_h, max_lanes)) if view != "graph" else len(data.actors)
            rest = "; the graph shows all." if view == "both" else "."
            note_lines = (wrap(f"The timeline shows the {shown} busiest of the {len(data.actors)} actors{rest}",
                               note_font, content_w) if shown < len(data.actors) else [])
            if not note_lines:
                break
        tl_w = content_w * 0.6 if side_by_side else content_w
        if day_bands or view == "graph" or not spreads_days(canvas, QRectF(0, 0, tl_w, body_h if side_by_side else tl_h),
                                                            data, max_lanes):
            break
        day_bands = True
    result = PageResult(W, H)
    result.notes = []
    if painter is None:
        return result
    canvas.painter.fillRect(QRectF(0, 0, W, H), palette.background)
    y = margin
    for line in title_lines:
        y += canvas.text("title", line, margin, y, title_font, palette.foreground).height()
    for line in sub_lines:
        y += canvas.text("subtitle", line, margin, y, sub_font, palette.muted).height()
    y += gap
    notes: list[str] = []
    if view == "both" and side_by_side:
        tl_w = content_w * 0.6
        notes += paint_timeline(canvas, QRectF(margin, y, tl_w, body_h), data, max_lanes)
        notes += paint_graph(canvas, QRectF(margin + tl_w + gap * 1.5, y, content_w - tl_w - gap * 1.5, body_h), data)
        y += body_h
    else:
        if view != "graph":
            notes += paint_timeline(canvas, QRectF(margin, y, content_w, tl_h), data, max_lanes)
            y += tl_h + (gap * 1.5 if view == "both" else 0)
        if view != "timeline":
            notes += paint_graph(canvas, QRectF(margin, y, content_w, gr_h), data)
            y += gr_h
    y += gap
    sym_scale = px / 11.0
    for row in legend_rows:
        for (symbol, colour, text), x in row:
            cx, cy = margin + x + px * 1.0, y + legend_row_h / 2 - px * 0.15
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.translate(cx, cy)
            painter.scale(sym_scale, sym_scale)
            if symbol == "day":  # a day's faint band, two of its events spread across it
                band = QColor(colour)
                band.setAlpha(60)
                painter.fillRect(QRectF(-9, -5, 18, 10), band)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                for dx in (-4.5, 4.5):
                    painter.drawEllipse(QPointF(dx, 0), 3.2, 3.2)
            elif symbol == "ring":
                from PySide6.QtGui import QPen

                painter.setPen(QPen(colour, 2.2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(0, 0), 6, 6)
            else:
                draw_symbol(painter, symbol, colour, QPointF(0, 0))
            painter.restore()
            canvas.text("legend", text, margin + x + px * 2.1, y + (legend_row_h - canvas.metrics(legend_font).height()) / 2 - px * 0.15,
                        legend_font, palette.foreground)
        y += legend_row_h
    y += gap * 0.5
    for line in cap_lines:
        y += canvas.text("caption", line, margin, y, cap_font, palette.foreground).height()
    for line in note_lines:
        y += canvas.text("note", line, margin, y, note_font, palette.muted).height()
    for line in src_lines:
        y += canvas.text("sources", line, margin, y, small_font, palette.muted).height()
    for line in credit_lines:
        w = canvas.metrics(credit_font).horizontalAdvance(line)
        y += canvas.text("credit", line, margin + content_w - w, y, credit_font, palette.muted).height()
    result.drawn = canvas.drawn
    result.discs = canvas.discs
    result.notes = notes
    return result


def lanes_shown(data: FigureData, options: FigureOptions, height: float) -> int:
    canvas = Canvas(None, Palette(dark=options.dark), options.text_px)
    return len(lanes_that_fit(canvas, data, height))
