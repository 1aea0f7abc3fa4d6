"""One measurement per process: ``python bench/probes.py KIND DB [options]``.

Each probe prints one JSON object on its last stdout line. ``run.py``
starts every probe in a fresh interpreter, so one measurement's caches,
imports and memory never flatter the next. Frames are timed as a user
waits for them: the new range is set (as a pan or zoom does) and the event
loop runs until Qt has painted it, offscreen, at 1600 x 900.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from scenario import HEIGHT, WIDTH, Stopwatch, peak_rss_mb, percentiles, quiet_event, rss_mb, windows  # noqa: E402


def _app():
    from gui.launch import make_app

    return make_app()


class PaintWatch:
    """Counts paint events of a widget, so a probe can wait for a real paint."""

    def __init__(self, widget):
        from PySide6.QtCore import QEvent, QObject

        class _Filter(QObject):
            def eventFilter(inner, obj, ev):  # noqa: N805
                if ev.type() == QEvent.Type.Paint:
                    self.count += 1
                return False

        self.count = 0
        self._filter = _Filter()
        widget.installEventFilter(self._filter)

    def wait(self, app, since: int, timeout: float = 60.0) -> None:
        end = time.perf_counter() + timeout
        while self.count <= since and time.perf_counter() < end:
            app.processEvents()


def _settle(app, seconds: float = 1.0) -> None:
    """Let background work (graph layout, window counts) finish, as an idle window would."""
    from gui.jobs import wait_all

    wait_all()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)
    wait_all()


def _until(app, done, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not done() and time.perf_counter() < end:
        app.processEvents()


def _main_window(session, settings):
    """The real main window; None when it cannot be built in this checkout."""
    try:
        from gui.main_window import MainWindow

        return MainWindow(session, settings)
    except Exception as exc:  # reported, and the probe falls back to the two panels
        print(f"main window unavailable: {exc!r}", file=sys.stderr)
        return None


def _panels(session):
    from PySide6.QtWidgets import QSplitter

    from gui.graph.panel import GraphPanel
    from gui.timeline.widget import TimelineWidget

    split = QSplitter()
    split.addWidget(TimelineWidget(session))
    split.addWidget(GraphPanel(session))
    split.timeline = split.widget(0)
    return split


def _show(app, session, settings):
    """The window users see, shown at 1600 x 900 and painted once; (window, kind)."""
    window = _main_window(session, settings)
    kind = "main window"
    if window is None:
        window, kind = _panels(session), "timeline + graph panels"
    watch = PaintWatch(window.timeline.plot.viewport())
    window.resize(WIDTH, HEIGHT)
    window.show()
    watch.wait(app, 0)
    return window, kind


# ---------------------------------------------------------------- probes


def probe_open(db: str) -> dict:
    """Open-to-first-frame of the main window, with its parts, and memory above an empty window."""
    from PySide6.QtCore import QSettings

    import gui.session as session_module
    from gui.deep_check import defer_for
    from gui.session import Session
    from store.database import open_database

    app = _app()
    tmp = Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    empty = tmp / "empty.db"
    open_database(empty, create=True).conn.close()
    window, _ = _show(app, Session.open(empty), settings)
    window.close()
    app.processEvents()
    rss_empty = rss_mb()

    timings = {}
    for name in ("open_for_session", "open_database"):  # whichever the session opens files with
        real = getattr(session_module, name, None)
        if real is not None:
            setattr(session_module, name, _timed(real, timings))
    watch = Stopwatch()
    # as the window opens a file (gui.launch.open_window): a big file's page
    # check runs beside the first frame, editing waits for it
    session = Session.open(db, read_only=True, defer_deep_check=defer_for(db))
    timings["session_s"] = watch.lap()
    window, kind = _show(app, session, settings)
    timings["window_s"] = watch.lap()
    data = session.data
    rss_first_frame = rss_mb() - rss_empty
    _until(app, lambda: not session.deep_check_pending)
    editable_s = timings["session_s"] + timings["window_s"] + watch.lap()
    _settle(app)
    return {
        "editable_s": editable_s,
        "rss_first_frame_above_empty_mb": rss_first_frame,
        "open_s": timings["session_s"] + timings["window_s"],
        "check_s": timings.get("check_s"),
        "load_s": timings["session_s"] - timings.get("check_s", 0.0),
        "window_s": timings["window_s"],
        "window": kind,
        "loaded_from": data.derived.get("loaded_from", "?"),
        "rss_empty_window_mb": rss_empty,
        "rss_above_empty_mb": rss_mb() - rss_empty,
        "timeline_bytes_per_event": data.nbytes() / max(data.n_events, 1),
        "peak_rss_mb": peak_rss_mb(),
        "events": data.n_events,
    }


def probe_store_arrays(db: str) -> dict:
    """Keep the timeline's columns in the file (``store/stored_arrays.py``), as
    a writable open does: a no-op when they are current. Migrates the file
    (and so checks it page by page) if it is from before they existed."""
    import sqlite3

    from store.database import close_database, open_database
    from store.timeline_data import load_timeline_data

    conn = sqlite3.connect(Path(db).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        current = conn.execute("SELECT current = 1 FROM timeline_arrays_state").fetchone()
    except sqlite3.Error:
        current = None  # a file from before schema 4
    conn.close()
    if current and current[0]:
        return {"store_open_s": 0.0, "store_load_s": 0.0, "store_loaded_from": "already stored"}
    watch = Stopwatch()
    db_ = open_database(db)
    opened = watch.lap()
    data = load_timeline_data(db_, use_cache=False, store_arrays=True)
    loaded = watch.lap()
    close_database(db_)
    return {"store_open_s": opened, "store_load_s": loaded, "store_loaded_from": data.derived.get("loaded_from")}


def probe_memory(db: str, sample: str) -> dict:
    """Resident memory of a process showing ``db`` (or an empty file, for
    ``db`` "empty") in the main window at 1600 x 900, settled, after the
    window's own trim. The sample story is shown and closed first, so the
    one-off costs of code loaded and caches filled on first use are paid in
    both processes; ``run.py`` subtracts the empty one. Two processes, not
    one: a window closed in a process keeps some of what it held, so one
    process would count two windows against one."""
    from gui import launch
    from gui.idle_upkeep import IDLE_MS
    from store.database import open_database

    app = _app()
    tmp = Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    if db == "empty":
        db = str(tmp / "empty.db")
        open_database(db, create=True).conn.close()
    # windows as the app makes them (launch.open_window): deleted when closed
    window = launch.open_window(sample, read_only=True)
    _settle(app)
    window.close()
    del window
    _settle(app)  # the closed window and its session are deleted
    window = launch.open_window(db, read_only=True)
    watch = PaintWatch(window.timeline.plot.viewport())
    window.resize(WIDTH, HEIGHT)
    watch.wait(app, 0)
    _settle(app, IDLE_MS / 1000 + 1.0)  # past the trim once the window has settled (gui/idle_upkeep.py)
    return {"rss_mb": rss_mb(), "memory_events": window.session.data.n_events,
            "timeline_mb": window.session.data.nbytes() / 2**20, "windows_open": len(launch._windows)}


def _timed(function, timings: dict):
    """``function``, noting in timings["check_s"] how long it took (the file checks)."""

    def timed(*args, **kwargs):
        watch = Stopwatch()
        try:
            return function(*args, **kwargs)
        finally:
            timings["check_s"] = watch.lap()

    return timed


def _timeline(app, db: str, lane_limit="fit"):
    from gui.session import Session
    from gui.timeline.widget import TimelineWidget

    session = Session.open(db, read_only=True)
    widget = TimelineWidget(session, lane_limit=lane_limit)
    watch = PaintWatch(widget.plot.viewport())
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    watch.wait(app, 0)
    return session, widget, watch


def _replay(app, widget, watch, frames, lit: list | None = None) -> tuple[list[float], dict]:
    """Each frame's time; ``lit`` gets whether each lit a selection."""
    times, modes = [], {}
    for x0, x1, _what in frames:
        before = watch.count
        started = time.perf_counter()
        widget.set_window(x0, x1)
        watch.wait(app, before)
        times.append((time.perf_counter() - started) * 1000)
        modes[widget.lanes.last_mode] = modes.get(widget.lanes.last_mode, 0) + 1
        if lit is not None:
            lit.append(getattr(widget.lanes, "last_highlight", None) is not None)
    return times, modes


def probe_frames(db: str) -> dict:
    """The scripted pan/zoom session on the timeline, then again with an actor selected."""
    app = _app()
    session, widget, watch = _timeline(app, db)
    data = session.data
    lo, hi = data.time_range
    frames = windows(lo, hi, quiet_event(data))
    _replay(app, widget, watch, frames[:3])  # warm-up: first-use costs are the open's, not a frame's
    times, modes = _replay(app, widget, watch, frames)
    busiest = int(data.actor_ids[int(_busiest_actor(data))])
    # what each frame painted lit: a big file's selection is looked up on a
    # worker (gui/highlight_jobs.py) and its frames light nothing meanwhile
    lit_frames, first_lit = [], []

    def painted():
        if widget.lanes.last_highlight is not None and not first_lit:
            first_lit.append(time.perf_counter())

    widget.lanes.sigPainted.connect(painted)
    selected_at = time.perf_counter()
    session.selection.select_actors([busiest])
    selected, _ = _replay(app, widget, watch, frames[::3], lit_frames)
    _until(app, lambda: bool(first_lit))
    lit_after = (first_lit[0] - selected_at) * 1000 if first_lit else None
    _settle(app, 0.3)
    _replay(app, widget, watch, frames[1:2])  # off the full range the last frame showed
    lit_replay, _ = _replay(app, widget, watch, frames[::3])  # every frame lit now
    stats, sel_stats, lit_stats = percentiles(times), percentiles(selected), percentiles(lit_replay)
    return {
        "frames": len(times), "frame_ms": times, "modes": modes,
        "frame_ms_p50": stats["p50"], "frame_ms_p95": stats["p95"], "frame_ms_max": stats["max"],
        # from the click on: the first frames of a big file light nothing until the lookup is in
        "selected_frame_ms_p95": sel_stats["p95"], "selected_frame_ms_max": sel_stats["max"],
        "selected_frames": len(selected), "selected_frames_lit": int(sum(lit_frames)),
        "selected_lit_after_ms": lit_after,  # from the click to the first frame painted lit
        # the same frames again once lit: the cost of drawing the highlight
        "selected_lit_frame_ms_p95": lit_stats["p95"], "selected_lit_frame_ms_max": lit_stats["max"],
        "peak_rss_mb_frames": peak_rss_mb(), "frame_events": data.n_events,
    }


def probe_lane_frames(db: str, lanes: str = "fit") -> dict:
    """The scripted session on a file with many actors (2,000): with the lanes
    that fit (the busiest, and one "more" lane summing the rest), or with
    every lane (``lanes="all"``)."""
    app = _app()
    session, widget, watch = _timeline(app, db, None if lanes == "all" else "fit")
    data = session.data
    frames = windows(*data.time_range, quiet_event(data))
    _replay(app, widget, watch, frames[:3])
    times, modes = _replay(app, widget, watch, frames)
    stats = percentiles(times)
    return {f"lanes_{lanes}_frame_ms_p50": stats["p50"], f"lanes_{lanes}_frame_ms_p95": stats["p95"],
            f"lanes_{lanes}_frame_ms_max": stats["max"], f"lanes_{lanes}_rows": widget.lanes.n_rows,
            "lanes_actors": data.n_actors}


def probe_layout(nodes: int, edges: int) -> dict:
    """The force layout alone (what runs on the worker), for a random graph of
    ``nodes`` and ``edges`` (fixed seed), the median of three."""
    import numpy as np

    from store.force_layout import compute_positions

    rng = np.random.default_rng(7)
    a, b = rng.integers(0, nodes, edges), rng.integers(0, nodes, edges)
    w = np.log1p(rng.integers(1, 20, edges).astype(float))
    times = []
    for _ in range(3):
        started = time.perf_counter()
        compute_positions(nodes, a, b, w)
        times.append(time.perf_counter() - started)
    return {f"layout_{nodes}_{edges}_s": sorted(times)[1]}


def probe_window_frames(db: str) -> dict:
    """The same scripted session on the main window's timeline, the relationship
    panel following every window change (its counting may run on a worker)."""
    from PySide6.QtCore import QSettings

    from gui.session import Session

    app = _app()
    tmp = Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    session = Session.open(db, read_only=True)
    window, kind = _show(app, session, QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    timeline = window.timeline
    watch = PaintWatch(timeline.plot.viewport())
    data = session.data
    frames = windows(*data.time_range, quiet_event(data))
    # right after the first paint, as a user who starts zooming at once:
    # whatever the window still builds (indexes, the first network) is on
    # the clock, no warm-up
    opening, _ = _replay(app, timeline, watch, frames)
    _settle(app)
    # the first frames after a pause: the graph, at rest, draws every link
    # of the new window in the timeline's frame (outside main_frame_ms_max,
    # which keeps its definition: reported beside it). Not from frames[0]:
    # the opening replay ended on that window, so nothing would be painted.
    warm, _ = _replay(app, timeline, watch, frames[1:4])
    times, _ = _replay(app, timeline, watch, frames)
    stats, first = percentiles(times), percentiles(opening)
    return {"window_frame_ms_p50": stats["p50"], "window_frame_ms_p95": stats["p95"],
            "window_frame_ms_max": stats["max"], "window_frames_in": kind,
            "window_opening_frame_ms_p95": first["p95"], "window_opening_frame_ms_max": first["max"],
            "main_frame_ms_max": max(stats["max"], first["max"]),
            "window_after_pause_frame_ms": warm[0]}


def _busiest_actor(data):
    import numpy as np

    return np.argmax(np.bincount(data.pair_actor, minlength=data.n_actors))


def probe_baseline(db: str, cap: int) -> dict:
    """The same frames with a naive view: one pyqtgraph ScatterPlotItem holding every pair."""
    from baseline import scatter_frames

    app = _app()
    return scatter_frames(app, db, cap)


def probe_export(db: str) -> dict:
    """Full-range PNG exports (render + encode + atomic write) and PNG encoding alone."""
    from gui import export
    from gui.session import Session

    _app()
    session = Session.open(db, read_only=True)
    window = session.data.time_range
    out = {}
    tmp = Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    export.export_timeline_png(session, tmp / "warm.png", width=800, height=450, window=window)
    for width, height in ((1600, 900), (4000, 2250)):
        watch = Stopwatch()
        export.export_timeline_png(session, tmp / f"t{width}.png", width=width, height=height, window=window)
        out[f"export_{width}_s"] = watch.lap()
        image = export.render_timeline(session, width, height, window)
        out[f"render_{width}_s"] = watch.lap()
        export.png_bytes(image)
        out[f"encode_{width}_s"] = watch.lap()
    return out


SPEC_EDGES = 20_000  # the target case: 1,000 actors and 20,000 edges


def probe_graph(db: str, n_windows: int = 30) -> dict:
    """Window changes on the relationship panel: refresh and repaint, layout
    already done. Twice: windows chosen to hold 20,000 edges
    (within 5%; ``graph_update_ms``), and windows of random width, 2% to half
    of the file's range (25,000 to 35,000 edges on the 1,000-actor file),
    each until every link is painted; and the random windows again until
    their first paint, the draft of their strongest links."""
    import numpy as np

    from gui.graph.panel import GraphPanel
    from gui.session import Session

    app = _app()
    session = Session.open(db, read_only=True)
    panel = GraphPanel(session)
    watch = PaintWatch(panel.view.viewport())
    panel.resize(600, 600)  # about the panel's size beside a 1600 x 900 timeline
    panel.show()
    watch.wait(app, 0)
    started = time.perf_counter()
    panel.layout_engine.wait_until_laid_out()
    layout_s = time.perf_counter() - started
    lo, hi = session.data.time_range
    rng = np.random.default_rng(3)
    random_windows = []
    for _ in range(n_windows):
        width = (hi - lo) * rng.uniform(0.02, 0.5)
        a = lo + rng.uniform(0, (hi - lo) - width)
        random_windows.append((a, a + width))
    spec_windows = [_window_with_edges(panel, lo, hi, rng.uniform(0.1, 0.9), SPEC_EDGES) for _ in range(n_windows)]

    def measure(windows, full=True):
        times, edges = [], []
        for window in windows:
            _settle(app, 0.4)  # a window change after a pause, as when a user brushes or zooms once
            t = time.perf_counter()
            updates = panel.updates
            session.selection.set_visible_range(window)
            _until(app, lambda: panel.updates > updates)  # counted here or on a worker thread
            if full:
                # the update in full: every link painted, not the draft (the
                # strongest links) a range change first shows until it rests
                panel._rested.stop()
                panel.edges.set_draft(False)
            before = watch.count
            watch.wait(app, before)  # and painted
            times.append((time.perf_counter() - t) * 1000)
            edges.append(len(panel._edges))
        return percentiles(times), edges

    spec, spec_edges = measure(spec_windows)
    every, edges = measure(random_windows)
    drafted, _ = measure(random_windows, full=False)
    return {
        "graph_update_ms": spec["p95"], "graph_update_ms_p50": spec["p50"], "graph_update_ms_max": spec["max"],
        "graph_spec_edges_min": int(min(spec_edges)), "graph_spec_edges_max": int(max(spec_edges)),
        "graph_update_ms_random_windows_p95": every["p95"], "graph_update_ms_random_windows_max": every["max"],
        "graph_update_random_ms_p95": every["p95"],
        # what a window change shows first: its network with the strongest links
        "graph_update_draft_ms_p95": drafted["p95"],
        "graph_actors": session.data.n_actors, "graph_edges_median": float(np.median(edges)),
        "graph_edges_max": int(max(edges)), "graph_layout_s": layout_s,
    }


def _window_with_edges(panel, lo: float, hi: float, centre: float, target: int) -> tuple[float, float]:
    """A window around ``centre`` (a fraction of the range) whose network has
    about ``target`` edges (within 5%), found by bisecting its width on the
    panel's own counting, without drawing."""
    from store.view_model.window_network import window_events, window_network

    data = panel.session.data
    middle = lo + centre * (hi - lo)

    def edges(width):
        window = (middle - width / 2, middle + width / 2)
        _counts, co = window_network(data, window_events(data, window, None), True)
        keep = panel._is_node[co.a] & panel._is_node[co.b]
        return int(keep.sum()) + len(panel._rels.alive(window, None, None)), window

    small, big = 3600.0, float(hi - lo)
    for _ in range(40):
        width = (small * big) ** 0.5
        n, window = edges(width)
        if abs(n - target) <= target * 0.05:
            return window
        small, big = (width, big) if n < target else (small, width)
    return window


def probe_edit(db: str) -> dict:
    """An edit in the main window on a copy of the file: how long the UI
    thread is held (the command's transaction, and showing the edit: through
    an overlay on a big file, folded into the arrays on a small one), how
    long until the views show it (any reload on a worker done, then the
    timeline's next frame painted), and until it is folded into the arrays
    and every view has followed."""
    import shutil

    from PySide6.QtCore import QSettings

    from gui import commands
    from gui.session import Session

    app = _app()
    tmp = Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    copy = tmp / "edit.db"
    shutil.copy(db, copy)
    os.sync()  # a file at rest: the copy's dirty pages are not the first commit's fsync
    session = Session.open(copy)
    window, _ = _show(app, session, QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    _settle(app)
    event_id = int(session.data.event_ids[session.data.n_events // 2])
    held, shown, folded, patched = [], [], [], []
    overlaid = []
    for day in (3, 4, 5):
        watch = Stopwatch()
        error = session.run(commands.move_event(session, event_id, "bench", f"2024-02-0{day}", None))
        held.append(watch.lap() * 1000)
        if error:
            raise SystemExit(error)
        overlaid.append(session.overlay is not None)
        # shown: no reload pending, and the edit either folded in or overlaid
        _until(app, lambda: not session.reloader.running and (session.overlay is not None or not session.patching))
        window.timeline.plot.viewport().repaint()  # the frame that shows it
        shown.append(held[-1] / 1000 + watch.lap())
        _until(app, lambda: not session.reloader.running and not session.patching)
        folded.append(shown[-1] + watch.lap())
        patched.append(session.data.derived.get("loaded_from") == "patch")
        _settle(app, 0.3)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"edit_ui_held_ms": float(max(held)), "edit_shown_s": float(max(shown)),
            "edit_visible_ms": float(max(shown) * 1000), "edit_patched": all(patched),
            "edit_overlaid": all(overlaid), "edit_folded_ms": float(max(folded) * 1000),
            # each edit: the first includes the file's first write since it was opened (cold pages)
            "edit_visible_ms_each": [round(x * 1000, 1) for x in shown], "edit_ui_held_ms_each": [round(x, 1) for x in held]}


PROBES = {"edit": probe_edit, "open": probe_open, "store_arrays": probe_store_arrays, "frames": probe_frames, "window_frames": probe_window_frames, "export": probe_export, "graph": probe_graph}


def main(argv: list[str]) -> int:
    kind, db = argv[0], argv[1]
    if kind == "baseline":
        result = probe_baseline(db, int(argv[2]))
    elif kind == "memory":
        result = probe_memory(db, argv[2])
    elif kind == "lane_frames":
        result = probe_lane_frames(db, argv[2] if len(argv) > 2 else "fit")
    elif kind == "layout":
        result = probe_layout(int(argv[1]), int(argv[2]))  # nodes, edges (no database)
    else:
        result = PROBES[kind](db)
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown: it is not part of any measurement


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
