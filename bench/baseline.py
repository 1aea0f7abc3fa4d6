"""The naive view the benchmark compares against: every pair in one pyqtgraph
ScatterPlotItem (the obvious way to draw a million points with pyqtgraph),
replaying the same scripted windows at the same size."""

from __future__ import annotations

import time

import numpy as np

from scenario import HEIGHT, WIDTH, percentiles, quiet_event, windows


def scatter_frames(app, db: str, cap: int) -> dict:
    import pyqtgraph as pg

    from store.database import open_database
    from store.timeline_data import default_lane_order, load_timeline_data

    data = load_timeline_data(open_database(db, readonly=True))
    row_of_actor = np.empty(data.n_actors, dtype=np.int64)
    row_of_actor[default_lane_order(data)] = np.arange(data.n_actors)
    event = data.pair_event()
    n = min(len(event), cap)  # a ScatterPlotItem keeps a record per point: beyond a few million it runs out of memory
    x = (data.start(event[:n]) + data.dur[event[:n]] / 2).astype(np.float64)
    y = row_of_actor[data.pair_actor[:n]].astype(np.float64)
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
    plot.addItem(pg.ScatterPlotItem(x, y, size=4, pen=None, brush=pg.mkBrush(0, 114, 178, 160)))
    plot.getViewBox().invertY(True)
    plot.setYRange(-0.6, data.n_actors - 0.4, padding=0)
    plot.resize(WIDTH, HEIGHT)
    plot.show()
    app.processEvents()
    lo, hi = data.time_range
    frames = windows(lo, hi, quiet_event(data))
    times = []
    for x0, x1, _what in frames:
        started = time.perf_counter()
        plot.setXRange(x0, x1, padding=0)
        plot.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
    stats = percentiles(times)
    return {"baseline_frame_ms_p50": stats["p50"], "baseline_frame_ms_p95": stats["p95"],
            "baseline_frame_ms_max": stats["max"], "baseline_points": int(n), "baseline_capped": bool(n < len(event))}
