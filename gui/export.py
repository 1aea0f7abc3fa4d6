"""PNG export: the same widgets the window shows, rendered off screen.

An export builds a fresh timeline (or graph) panel over the same session,
sizes it to the requested pixels, and grabs it, so the image is exactly
what the window draws: title, date axis, lane labels and legend included.
The PNG is written beside the target and renamed over it when complete.
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from store.atomic_file import atomic_path, atomic_write_bytes
from store.xml_text import xml_safe_file
from store.view_model import density
from store.view_model.date_ticks import describe_window

from .graph.panel import GraphPanel
from .png import png_bytes  # noqa: F401  (the benchmark times it here)
from .theme import Palette

LANE_PX = 26
MIN_LANE_PX = 22  # an exported lane thinner than this cannot carry its name
CHROME_PX = 150  # title, axis, legend
DEFAULT_LANES = 30  # without --height, at most this many lanes (the rest: one "more" lane)

# An image is width x height x 4 bytes: these keep one under 200 MB whatever
# a command line or a saved size asks for (100,000 px high was 9.5 GB).
MIN_WIDTH, MAX_WIDTH = 200, 12000
MIN_HEIGHT, MAX_HEIGHT = 100, 12000
MAX_PIXELS = 48_000_000


def check_image_size(width: int, height: int | None) -> None:
    """Raise ValueError, in one line, unless the size is within the limits."""
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"--width must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, not {width}")
    if height is None:
        return
    if not MIN_HEIGHT <= height <= MAX_HEIGHT:
        raise ValueError(f"--height must be between {MIN_HEIGHT} and {MAX_HEIGHT} pixels, not {height}")
    if width * height > MAX_PIXELS:
        raise ValueError(
            f"--width x --height must be at most {MAX_PIXELS:,} pixels, not {width} x {height} = {width * height:,}"
        )


def _settle(widget, width: int, height: int) -> None:
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(width, height)
    widget.show()
    # lay out (posted layout requests only): grab() paints, once; processing
    # every event here would paint the whole page a first time for nothing
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _visible_lanes(session) -> int:
    sel = session.selection  # the lanes drawn: not hidden, and ticked in the actor list
    return max(sum(1 for a in sel.lane_order or () if a not in sel.hidden_lanes
                   and (sel.actor_filter is None or a in sel.actor_filter)), 1)


def timeline_height(session, lanes: int | str | None = None) -> int:
    """The default page height: every lane with ``lanes="all"``, else at most
    ``DEFAULT_LANES`` (or the number asked for)."""
    n = _visible_lanes(session)
    if lanes != "all":
        n = min(n, DEFAULT_LANES if lanes is None else max(int(lanes), 1))
    return CHROME_PX + LANE_PX * n


def lane_limit_for(session, height: int, lanes: int | str | None = None) -> int | None:
    """How many rows an export of ``height`` pixels draws (None: every lane)."""
    if lanes == "all":
        return None
    fit = max((height - CHROME_PX) // MIN_LANE_PX, 2)
    return fit if lanes is None else min(fit, max(int(lanes), 1))


def _lit_for_print(session) -> None:
    """A picture shows the selection lit: in a big file its events and their
    lane index are found on workers for the screen (the window draws them
    unlit meanwhile); a picture, drawn once, has them found now."""
    hot = session.highlight_mask()
    if hot is not None and session.filter_mask() is None:
        density.lane_index(session.data, hot, "highlight")  # kept where the lanes look for it


@contextmanager
def _timeline_for_print(session, width: int, height: int | None, window, title: str | None, lanes=None):
    """A detached timeline panel sized for the page, on white, titled. Only
    the lanes that fit are drawn (the busiest in the window, then one lane
    saying how many were left out), unless ``lanes="all"``."""
    from .timeline.widget import TimelineWidget  # late: the widget imports pyqtgraph

    height = min(height or timeline_height(session, lanes), MAX_HEIGHT, MAX_PIXELS // max(width, 1))
    _lit_for_print(session)
    palette = Palette(dark=False)  # printed reports are on white paper
    span = window if window is not None else session.selection.time_window
    widget = TimelineWidget(session, palette, show_overview=False, follow_model=False,
                            lane_limit=lane_limit_for(session, height, lanes))
    try:
        from store.figure_data import search_phrase

        # a search draws only what it finds: the title says so, as a figure's subtitle does
        text = title or (f"{session.title} — {describe_window(window or session.selection.time_window)}"
                         + search_phrase(session.selection.search))
        widget.setStyleSheet("background: white; color: #202124;")
        if span:
            widget.set_window(*span)  # before it is shown: each extra paint of a big file costs
            widget.replan()  # the busiest lanes of this window
        if widget.n_more:
            text += f" — {widget.n_more} more actors not shown"
        widget.title.setText(text)
        widget.title.show()
        _settle(widget, width, height)
        if span:
            widget.set_window(*span)
        yield widget
    finally:
        widget.close()
        widget.deleteLater()


def render_timeline(session, width: int, height: int | None = None, window=None, title: str | None = None, lanes=None) -> QImage:
    return render_timeline_counted(session, width, height, window, title, lanes)[0]


def render_timeline_counted(session, width: int, height: int | None = None, window=None, title: str | None = None,
                            lanes=None) -> tuple[QImage, int]:
    """The image and how many actors it leaves out (drawn as one "more" lane)."""
    with _timeline_for_print(session, width, height, window, title, lanes) as widget:
        return widget.grab().toImage(), widget.n_more


def export_timeline_svg(session, path, width: int = 1600, height: int | None = None, window=None) -> None:
    """The same drawing as the PNG, as vector graphics (editable in Inkscape or Illustrator)."""
    from PySide6.QtCore import QPoint, QRect, QSize
    from PySide6.QtSvg import QSvgGenerator

    with _timeline_for_print(session, width, height, window, None) as widget, atomic_path(path) as tmp:
        generator = QSvgGenerator()
        generator.setFileName(str(tmp))
        generator.setSize(QSize(widget.width(), widget.height()))
        generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
        generator.setTitle(widget.title.text())
        painter = QPainter(generator)
        try:
            widget.render(painter, QPoint(0, 0))
        finally:
            painter.end()
        xml_safe_file(tmp)  # Qt writes a control character in a title as it is: not XML


def render_graph(session, width: int, height: int | None = None, title: str | None = None) -> QImage:
    height = min(height or int(width * 0.7), MAX_HEIGHT, MAX_PIXELS // max(width, 1))
    panel = GraphPanel(session, Palette(dark=False))
    try:
        panel.setStyleSheet("background: white; color: #202124;")
        panel.for_print()
        panel.wait_for_layout()  # an export never shows the nodes still on their waiting circle
        if panel.layout_message:
            import sys

            print(f"threadline: {panel.layout_message}", file=sys.stderr)
        _settle(panel, width, height)
        panel.fit()
        QApplication.processEvents()
        return panel.grab().toImage()
    finally:
        panel.close()
        panel.deleteLater()


def stack(top: QImage, bottom: QImage) -> QImage:
    out = QImage(max(top.width(), bottom.width()), top.height() + bottom.height(), QImage.Format.Format_RGB32)
    out.fill(Qt.GlobalColor.white)
    painter = QPainter(out)
    painter.drawImage(0, 0, top)
    painter.drawImage(0, top.height(), bottom)
    painter.end()
    return out



def save_png(image: QImage, path) -> None:
    atomic_write_bytes(path, png_bytes(image))


def export_timeline_png(session, path, width: int = 1600, height: int | None = None, window=None) -> None:
    save_png(render_timeline(session, width, height, window), path)


def export_graph_png(session, path, width: int = 1600, height: int | None = None) -> None:
    save_png(render_graph(session, width, height), path)
