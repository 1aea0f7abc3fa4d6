"""The overview strip: the whole date range, with the visible window marked.

Drag the marked region to move the window, drag its edges to zoom; click
elsewhere to centre the window there. It reads and writes the shared
selection model, never the timeline itself.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from store.timeline_summary import OVERVIEW_BINS

from .date_axis import DateAxis


class OverviewStrip(pg.PlotWidget):
    def __init__(self, session, palette, parent=None):
        axis = DateAxis(orientation="bottom")  # UTC, as the timeline's own
        super().__init__(parent=parent, axisItems={"bottom": axis}, background=palette.background)
        self.session = session
        self.palette = palette
        self._data_span: tuple[float, float] | None = None
        self.setFixedHeight(78)
        self.hideAxis("left")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.curve = pg.PlotDataItem(stepMode="center", fillLevel=0)
        self.addItem(self.curve)
        self.apply_palette()
        self.region = pg.LinearRegionItem(brush=QColor(255, 143, 0, 60), pen=pg.mkPen(QColor(255, 143, 0), width=2))
        self.region.setZValue(10)
        self.addItem(self.region)
        # only the marked region moves as the user pans and zooms: the curve and
        # the dates are kept as pixmaps, redrawn when the data or colours change
        for item in (self.curve.curve, axis):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.region.sigRegionChanged.connect(self._region_moved)
        self.scene().sigMouseClicked.connect(self._clicked)
        session.selection.visibleRangeChanged.connect(self._follow)
        session.dataChanged.connect(self.rebuild)
        session.overlayChanged.connect(self._recount)  # an edit not folded in yet: counted at once
        self.rebuild()

    def apply_palette(self) -> None:
        self.setBackground(self.palette.background)
        self.getAxis("bottom").setTextPen(self.palette.foreground)
        colour = QColor(self.palette.muted)
        colour.setAlpha(160)
        self.curve.setBrush(colour)
        self.curve.setPen(pg.mkPen(self.palette.muted))

    def rebuild(self) -> None:
        data = self.session.data
        span = data.time_range
        if span is None:
            self._data_span = None
            self.curve.setData([], [])
            return
        lo, hi = span
        hi = max(hi, lo + 86400)
        edges = np.linspace(lo, hi, OVERVIEW_BINS + 1)
        counts = self.session.overview_counts()  # kept with the data, and cached
        self.curve.setData(edges, np.sqrt(counts))  # sqrt: a burst does not flatten the rest
        pad = (hi - lo) * 0.02
        self._data_span = (lo - pad, hi + pad)
        self.setXRange(lo - pad, hi + pad, padding=0)
        self.setYRange(0, max(float(np.sqrt(counts.max())), 1.0) * 1.1, padding=0)
        self._follow(None)

    def _span_to_show(self, window) -> tuple[float, float]:
        """The data's range, widened to hold the timeline's visible window: a
        young story (one event, one day) zoomed out to a year shows that year
        here too, its window marked inside the strip rather than over all of it."""
        lo, hi = self._data_span
        if window is None or (window[0] >= lo and window[1] <= hi):
            return lo, hi
        lo, hi = min(lo, window[0]), max(hi, window[1])
        pad = (hi - lo) * 0.02
        return lo - pad, hi + pad

    def _recount(self) -> None:
        span = self.session.data.time_range
        if span is None:
            return
        lo, hi = span
        hi = max(hi, lo + 86400)
        self.curve.setData(np.linspace(lo, hi, OVERVIEW_BINS + 1), np.sqrt(self.session.overview_counts()))

    def _follow(self, origin) -> None:
        if origin is self:
            return  # the strip's own drag: its dates stay put under the mouse
        window = self.session.selection.visible_range
        if window is None:
            return
        if self._data_span is not None:
            lo, hi = self._span_to_show(window)
            (x0, x1), _ = self.viewRange()
            if abs(lo - x0) + abs(hi - x1) > (hi - lo) * 1e-6:
                self.setXRange(lo, hi, padding=0)
        self.region.blockSignals(True)
        self.region.setRegion(window)
        self.region.blockSignals(False)

    def _region_moved(self) -> None:
        lo, hi = self.region.getRegion()
        if hi > lo:
            self.session.selection.set_visible_range((lo, hi), origin=self)

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.isAccepted():
            return
        x = self.getPlotItem().vb.mapSceneToView(ev.scenePos()).x()
        window = self.session.selection.visible_range
        if window is None:
            return
        half = (window[1] - window[0]) / 2
        self.session.selection.set_visible_range((x - half, x + half), origin=None)
