"""One self-contained interactive HTML figure: timeline and graph, linked.

Everything is inline: the script (``resources/figure.js``), the style
(``resources/figure.css``) and the data, as JSON in a
``<script type="application/json">`` block that the script parses, so no
text from the file is ever read as HTML. A Content-Security-Policy forbids
every network request (no CDN, no fonts, no images from elsewhere); links
in sources open only when a reader clicks them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..figure_data import FigureData, default_subtitle, legend_items, relation_colour_names, sources_line

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def figure_payload(data: FigureData, *, title: str, subtitle: str | None, caption: str, credit: str,
                   dark: bool, view: str) -> dict:
    colours = relation_colour_names(data.relationship_types)
    return {
        "title": title,
        "subtitle": default_subtitle(data) if subtitle is None else subtitle,
        "caption": caption,
        "credit": credit,
        "dark": dark,
        "view": view,
        "window": list(data.window),
        "publishers": data.publishers,
        "actors": [
            {"id": a.id, "name": a.name, "kind": a.kind, "colour": a.colour, "role": a.title, "count": a.count,
             "x": data.positions.get(a.id, (0.5, 0.5))[0], "y": data.positions.get(a.id, (0.5, 0.5))[1]}
            for a in data.actors
        ],
        "events": [
            {"id": e.id, "title": e.title, "summary": e.summary, "start": e.start, "end": e.end,
             "e": e.earliest, "l": e.latest, "sl": e.start_latest, "ee": e.end_earliest, "shape": e.shape,
             "certainty": e.certainty, "precision": e.precision, "type": e.type, "location": e.location,
             "actors": [[a, role] for a, role in e.actors],
             "sources": [{"publisher": s.publisher, "title": s.title, "url": s.url, "date": s.date, "quote": s.quote}
                         for s in e.sources]}
            for e in data.events
        ],
        "relationships": [
            {"id": r.id, "source": r.source, "target": r.target, "type": r.type, "directed": r.directed,
             "certainty": r.certainty, "start": r.start, "end": r.end, "e": r.earliest, "l": r.latest,
             "notes": r.notes, "colour": colours[r.type]}
            for r in data.relationships
        ],
        "legend": [{"symbol": sym, "label": label, "key": key, "colour": colours.get(key) if sym == "arrow" else None}
                   for sym, label, key in legend_items(data, view)],
        "highlight": {"actors": sorted(data.highlight_actors), "events": sorted(data.highlight_events)},
    }


def script_json(value) -> str:
    """JSON safe inside a <script> element: no '</' can close it, no '<!--' open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def figure_html(data: FigureData, *, title: str, subtitle: str | None = None, caption: str = "", credit: str = "",
                dark: bool = False, view: str = "both") -> str:
    payload = figure_payload(data, title=title, subtitle=subtitle, caption=caption, credit=credit, dark=dark, view=view)
    css = (RESOURCES / "figure.css").read_text(encoding="utf-8")
    js = (RESOURCES / "figure.js").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise ValueError("resources/figure.js or figure.css would close its own element")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"Threadline\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        f"<body class=\"{'dark' if dark else 'light'} view-{html.escape(view)}\">\n"
        f"{_static_parts(payload)}\n"
        f"<script type=\"application/json\" id=\"figure-data\">{script_json(payload)}</script>\n"
        f"<script>\n{js}\n</script>\n</body>\n</html>\n"
    )


def _static_parts(p: dict) -> str:
    """The words of the figure, readable with scripts off; the script draws the rest."""
    e = html.escape
    sources = f"<p class=\"sources\">{e(sources_line(p['publishers']))}</p>" if p["publishers"] else ""
    caption = f"<p class=\"caption\">{e(p['caption'])}</p>" if p["caption"].strip() else ""
    credit = f"<p class=\"credit\">{e(p['credit'])}</p>" if p["credit"].strip() else ""
    return (
        f"<header><h1>{e(p['title'])}</h1><p class=\"subtitle\">{e(p['subtitle'])}</p></header>\n"
        "<nav id=\"toolbar\"><button type=\"button\" data-act=\"zoom-in\" title=\"Zoom in (+)\">+</button>"
        "<button type=\"button\" data-act=\"zoom-out\" title=\"Zoom out (-)\">&minus;</button>"
        "<button type=\"button\" data-act=\"fit\" title=\"Show the whole window (Home)\">Fit</button>"
        "<button type=\"button\" data-act=\"clear\" title=\"Clear the highlight (Esc)\">Clear</button>"
        "<span id=\"range\"></span></nav>\n"
        "<main id=\"figure\"><section id=\"tl-wrap\"><canvas id=\"timeline\" tabindex=\"0\"></canvas></section>"
        "<section id=\"gr-wrap\"><canvas id=\"graph\" tabindex=\"0\"></canvas></section>"
        "<aside id=\"details\"><p class=\"hint\">Scroll to zoom, drag to pan. Click an actor or an event "
        "for its details; it lights up in both views.</p></aside></main>\n"
        "<div id=\"legend\"></div><div id=\"tip\" hidden></div>\n"
        f"<footer>{caption}{sources}{credit}<noscript><p>The interactive timeline needs JavaScript.</p></noscript></footer>"
    )
