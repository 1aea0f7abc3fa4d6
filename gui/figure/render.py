"""Write a figure as PNG, SVG or PDF: one drawing, three devices.

PNG and SVG are reproducible: the layout is seeded, and neither file carries
a time stamp (Qt writes none into PNG, and the SVG holds only the drawing,
its title and its description), so the same file and options give the same
bytes. The PDF is vector, its fonts embedded by Qt's PDF writer; its page is
exactly A4 or Letter landscape for the print presets.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from store.atomic_file import atomic_path, atomic_write_bytes
from store.figure_data import FigureData

from ..png import png_bytes
from .options import PRINT_DPI, FigureOptions
from .page import PageResult, layout_and_paint, title_of



def page_size(data: FigureData, options: FigureOptions) -> tuple[float, float]:
    result = layout_and_paint(None, data, options)
    return result.width, result.height


def _paint(painter: QPainter, data: FigureData, options: FigureOptions, scale: float) -> PageResult:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    return layout_and_paint(painter, data, options)


def render_image(data: FigureData, options: FigureOptions, scale: float | None = None) -> tuple[QImage, PageResult]:
    scale = options.out_scale if scale is None else scale
    w, h = page_size(data, options)
    image = QImage(max(1, round(w * scale)), max(1, round(h * scale)), QImage.Format.Format_RGB32)
    if options.preset_spec.page:
        dpm = round(PRINT_DPI / 0.0254)
        image.setDotsPerMeterX(dpm)
        image.setDotsPerMeterY(dpm)
    painter = QPainter(image)
    try:
        result = _paint(painter, data, options, scale)
    finally:
        painter.end()
    return image, result


def svg_bytes(data: FigureData, options: FigureOptions) -> tuple[bytes, PageResult]:
    from PySide6.QtSvg import QSvgGenerator

    w, h = page_size(data, options)
    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(math.ceil(w), math.ceil(h)))
    generator.setViewBox(QRect(0, 0, math.ceil(w), math.ceil(h)))
    generator.setTitle(title_of(data, options))
    generator.setDescription(options.caption or title_of(data, options))
    painter = QPainter(generator)
    try:
        result = _paint(painter, data, options, 1.0)
    finally:
        painter.end()
    buffer.close()
    return bytes(out), result


def write_pdf(data: FigureData, options: FigureOptions, path) -> PageResult:
    w, h = page_size(data, options)
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PRINT_DPI)
        writer.setCreator("Threadline")
        writer.setTitle(title_of(data, options))
        if options.print_page:
            size = QPageSize(QPageSize.PageSizeId.A4 if options.print_page == "A4" else QPageSize.PageSizeId.Letter)
        else:
            size = QPageSize(QSizeF(w, h), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
        layout = QPageLayout(size, QPageLayout.Orientation.Landscape if options.print_page else QPageLayout.Orientation.Portrait,
                             QMarginsF(0, 0, 0, 0))
        if not options.print_page and w > h:
            layout = QPageLayout(QPageSize(QSizeF(h, w), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch),
                                 QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
        writer.setPageLayout(layout)
        painter = QPainter(writer)
        if not painter.isActive():
            raise OSError(f"{path}: the PDF could not be written")
        try:
            result = _paint(painter, data, options, PRINT_DPI / 72)
        finally:
            painter.end()
    return result


def write_figure(data: FigureData, options: FigureOptions, path) -> PageResult:
    """Write ``path`` (.png, .svg, .pdf or .html) atomically; returns what was drawn."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        image, result = render_image(data, options)
        atomic_write_bytes(path, png_bytes(image))
    elif suffix == ".svg":
        blob, result = svg_bytes(data, options)
        atomic_write_bytes(path, blob)
    elif suffix == ".pdf":
        result = write_pdf(data, options, path)
    elif suffix in (".html", ".htm"):
        from store.exporters.figure_html import figure_html

        atomic_write_bytes(path, figure_html(data, title=title_of(data, options), subtitle=options.subtitle,
                                             caption=options.caption, credit=options.credit, dark=options.dark,
                                             view=options.view).encode("utf-8"))
        result = PageResult(0, 0)
    else:
        raise ValueError(f"{path}: a figure is written as .png, .svg, .pdf or .html, not '{suffix or 'no extension'}'")
    return result
