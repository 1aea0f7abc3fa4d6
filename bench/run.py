"""Threadline's scale benchmark: open, pan/zoom, export and graph at N events.

    .venv/bin/python bench/run.py --events 1000000 [--runs 3] [--json FILE]
    .venv/bin/python bench/run.py --events 10000000 --only-frames --runs 3

Builds (or reuses) ``bench/data/synth-N-200-1.db`` with
``bench.synth.write_synthetic(events=N, actors=200, seed=1)`` (the same rows
as ``python -m bench.synth --events N --actors 200 --seed 1``), and a graph file
of 200,000 events by 1,000 actors, then measures, each in a fresh process
(``probes.py``), the median of ``--runs`` runs:

* open-to-first-frame of the main window: with no cache beside the file,
  from the timeline's columns kept in it (``open_nocache_s``, also
  ``open_s``; its peak RSS ``peak_rss_open_mb``, also ``peak_rss_mb``), with
  neither, from the rows (``open_rows_s``, ``peak_rss_open_rows_mb``), and
  again with the cache beside the file (``open_cached_s``), split into the
  file check, the loading and the window (``--only-open``: just these);
* frame times over the scripted pan/zoom session (``scenario.py``), p50,
  p95 and max, and the same frames with the busiest actor selected;
* the same frames drawn by a naive pyqtgraph ScatterPlotItem of every pair
  (``baseline.py``; repainted synchronously, once per frame) and the ratio;
* full-range PNG export at 1600 x 900 and 4000 x 2250 (render, encode and
  atomic write), with the PNG encoding alone, which is the floor;
* many actors: the same frames on a file of the same size by 2,000 actors,
  with the lanes that fit (the busiest, one "more" lane summing the rest) and
  with all 2,000 lanes; and the force layout of 1,000 nodes and 20,000 edges
  (what the relationship panel runs on a worker; target <= 2 s);
* the relationship panel's update when the window changes (1,000 actors):
  windows holding 20,000 edges, and windows of random width, each until
  every link is painted (and the random ones until the first paint, which
  draws the strongest links while the window may still be moving);
* the first window on the sample story and on a 10,000-event file, from
  before the process starts to the first paint;
* the same frames in the main window, the relationship panel following;
* memory: peak RSS of the opens without cache; resident memory of a
  process showing the file in the main window, settled, minus that of one
  showing an empty file (both having shown and closed the sample first);
  bytes per event held;
* how fast the machine was: a fixed piece of CPU work timed at the start
  and the end of each run (``machine_ref_ms``, ``machine_ref_end_ms``;
  each run's value kept), since a shared VM's speed moves within an hour.

``--json FILE`` writes the contract keys (events, open_s, frame_ms_p50,
frame_ms_p95, frame_ms_max, export_1600_s, export_4000_s, graph_update_ms,
peak_rss_mb, baseline_frame_ms_p95) and more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
sys.path.insert(0, str(ROOT))

BASELINE_CAP = 4_000_000  # points; see baseline.py
CONTRACT = ("events", "open_s", "frame_ms_p50", "frame_ms_p95", "frame_ms_max", "export_1600_s",
            "export_4000_s", "graph_update_ms", "peak_rss_mb", "baseline_frame_ms_p95")


def synthetic(events: int, actors: int, seed: int = 1) -> Path:
    """The benchmark database, built once and kept under bench/data (git-ignored)."""
    from bench.synth import write_synthetic

    DATA.mkdir(exist_ok=True)
    path = DATA / f"synth-{events}-{actors}-{seed}.db"
    if not path.exists():
        print(f"building {path.name} (about 18 s per million events)...", file=sys.stderr)
        write_synthetic(path, events=events, actors=actors, seed=seed)
    return path


def sample_db() -> Path:
    from store.sample import write_sample

    path = DATA / "sample.db"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        write_sample(path)
    return path


def probe(kind: str, db: Path, *extra, env: dict | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    done = subprocess.run([sys.executable, str(HERE / "probes.py"), kind, str(db), *map(str, extra)],
                          capture_output=True, text=True, env=env, timeout=3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"probe {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def startup_s(db: Path, launches: int = 5) -> float:
    """Seconds from before the interpreter starts to the window's first paint
    (sources byte-compiled, as ./run.sh leaves them; ``startup_probe.py``):
    the median of a few launches, since one launch varies by a third here."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "main.py"), str(ROOT / "gui"), str(ROOT / "store")],
                   capture_output=True, check=False)
    return float(np.median([_one_startup(db) for _ in range(launches)]))


def _one_startup(db: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    before = time.time()
    done = subprocess.run([sys.executable, str(HERE / "startup_probe.py"), str(db)],
                          capture_output=True, text=True, env=env, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"startup probe failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])["painted_at"] - before


def remove_cache(db: Path) -> None:
    from store.cache import remove_cache as remove

    remove(db)


def open_probes(db: Path) -> dict:
    """Opens to the first frame, each in a fresh process: with no cache beside
    the file, from the columns kept in it (``open_s``, ``open_nocache_s``,
    ``peak_rss_open_mb``); with neither, from its rows (``open_rows_s``,
    ``peak_rss_open_rows_mb``: a file Threadline has not written since the
    columns were made, or with them stale); and with the cache beside it."""
    out: dict = {}
    stored = probe("store_arrays", db)  # as a writable open leaves the file (a no-op when current)
    out["store_loaded_from"] = stored["store_loaded_from"]
    remove_cache(db)
    rows = probe("open", db, env={"THREADLINE_NO_STORED_ARRAYS": "1"})
    out.update({"open_rows_s": rows["open_s"], "open_rows_load_s": rows["load_s"],
                "peak_rss_open_rows_mb": rows["peak_rss_mb"], "open_rows_loaded_from": rows["loaded_from"]})
    remove_cache(db)
    cold = probe("open", db)
    out.update({k: cold[k] for k in ("open_s", "check_s", "load_s", "window_s", "editable_s", "events", "window")})
    out["open_loaded_from"] = cold["loaded_from"]
    out["open_nocache_s"] = cold["open_s"]
    warm = probe("open", db)
    out.update({"open_cached_s": warm["open_s"], "open_cached_check_s": warm["check_s"],
                "open_cached_load_s": warm["load_s"], "open_cached_loaded_from": warm["loaded_from"]})
    out.update({"peak_rss_mb": cold["peak_rss_mb"], "peak_rss_open_mb": cold["peak_rss_mb"],
                "rss_above_empty_mb": warm["rss_above_empty_mb"],
                "rss_first_frame_above_empty_mb": warm["rss_first_frame_above_empty_mb"],
                "timeline_bytes_per_event": warm["timeline_bytes_per_event"]})
    return out


def many_actors(db: Path) -> dict:
    """Frames on a file with 2,000 actors (lanes that fit, and all lanes), and the layout time."""
    out = dict(probe("lane_frames", db, "fit"))
    out.update(probe("lane_frames", db, "all"))
    out.update(probe("layout", 1000, 20000))
    return out


def machine_reference_ms() -> float:
    """A fixed piece of CPU work (a Python loop and a numpy sort), the best of
    3 tries: a shared VM's speed can move by half or more within an hour, so
    a run's figures are read beside how fast the machine was for it."""
    data = np.random.default_rng(0).random(2_000_000)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        np.sort(data)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def frame_run(db: Path, graph_db: Path) -> dict:
    """The frame probes alone: the timeline's, the main window's and the graph's."""
    reference = machine_reference_ms()
    frames = probe("frames", db)
    out = {k: v for k, v in frames.items() if k not in ("frame_ms", "frame_events")}
    out["events"] = frames["frame_events"]
    out.update(probe("window_frames", db))
    out.update(probe("graph", graph_db))
    out["machine_ref_ms"] = reference
    out["machine_ref_end_ms"] = machine_reference_ms()
    return out


def one_run(db: Path, graph_db: Path, small_db: Path, baseline: bool, few_db: Path | None = None,
            lanes_db: Path | None = None) -> dict:
    out: dict = {"machine_ref_ms": machine_reference_ms()}
    if lanes_db is not None:
        out.update(many_actors(lanes_db))
    out.update(open_probes(db))
    # the same window showing the file and showing an empty one, each in its own process
    shown, empty = probe("memory", db, sample_db()), probe("memory", "empty", sample_db())
    out["rss_above_empty_window_mb"] = shown["rss_mb"] - empty["rss_mb"]
    out["timeline_mb"] = shown["timeline_mb"]  # MiB, like every memory key here
    if few_db is not None:
        # the same actors with few events: what the actors cost (nodes, lanes, labels), and what each event adds
        few = probe("memory", few_db, sample_db())
        out["rss_few_events_above_empty_window_mb"] = few["rss_mb"] - empty["rss_mb"]
        out["rss_bytes_per_event"] = ((shown["rss_mb"] - few["rss_mb"]) * 2**20
                                      / max(shown["memory_events"] - few["memory_events"], 1))
    frames = probe("frames", db)
    out.update({k: v for k, v in frames.items() if k not in ("frame_ms", "frame_events")})
    out.update(probe("window_frames", db))
    out["baseline_frame_ms_p95"] = None  # a contract key: present (null) even when skipped
    if baseline:
        out.update(probe("baseline", db, BASELINE_CAP))
        out["baseline_ratio_p95"] = out["baseline_frame_ms_p95"] / max(out["frame_ms_p95"], 1e-9)
    out.update(probe("export", db))
    out.update(probe("graph", graph_db))
    out.update(probe("edit", db))
    out["startup_sample_s"] = startup_s(sample_db())
    out["startup_10k_s"] = startup_s(small_db)
    out["machine_ref_end_ms"] = machine_reference_ms()
    return out


# the ten-million-event rows: each run's value is kept beside the median, so the spread shows
SPREAD_KEYS = ("edit_visible_ms", "open_nocache_s", "peak_rss_open_mb", "main_frame_ms_max",
               "selected_frame_ms_p95", "graph_update_random_ms_p95", "frame_ms_p95",
               "machine_ref_ms", "machine_ref_end_ms", "window_after_pause_frame_ms")


# lists whose every run is kept (``KEY_by_run``): which move of which run was slow
LISTS_BY_RUN = ("edit_visible_ms_each", "edit_ui_held_ms_each")


def median_of(runs: list[dict]) -> dict:
    merged = dict(runs[-1])
    for key, value in runs[-1].items():
        values = [r.get(key) for r in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            merged[key] = float(np.median(values))
            if key in SPREAD_KEYS and len(runs) > 1:
                merged[f"{key}_each_run"] = [round(float(v), 3) for v in values]
        elif key in LISTS_BY_RUN and len(runs) > 1:
            merged[f"{key}_by_run"] = values
    merged["runs"] = len(runs)
    return merged


def settle_disk() -> None:
    """Before a run: the previous run's copies (the edit probe copies the
    file) written out and a short pause, so their write-back does not land
    in this run's frames."""
    os.sync()
    time.sleep(3)


TABLE = (
    ("machine reference work at the run's start (lower: faster)", "machine_ref_ms", "ms", ""),
    ("  the same at the run's end", "machine_ref_end_ms", "ms", ""),
    ("open to first frame, no cache (columns in the file)", "open_nocache_s", "s", "<= 0.6 (1M), <= 5 (10M)"),
    ("  of which quick file checks", "check_s", "s", ""),
    ("  of which loading arrays", "load_s", "s", ""),
    ("  of which window + first paint", "window_s", "s", ""),
    ("  editable (page check done, beside the frame)", "editable_s", "s", ""),
    ("  peak RSS of that open", "peak_rss_open_mb", "MiB", "<= 1000 (10M)"),
    ("open to first frame, no cache, from the rows", "open_rows_s", "s", "<= 2 (1M)"),
    ("  of which loading arrays", "open_rows_load_s", "s", ""),
    ("  peak RSS of that open", "peak_rss_open_rows_mb", "MiB", "<= 1000 (10M)"),
    ("open to first frame, cached", "open_cached_s", "s", "<= 0.5"),
    ("  of which quick file checks", "open_cached_check_s", "s", ""),
    ("frame p50", "frame_ms_p50", "ms", ""),
    ("frame p95", "frame_ms_p95", "ms", "<= 16.7 (1M), <= 33 (10M)"),
    ("frame max", "frame_ms_max", "ms", "<= 33 (1M)"),
    ("frame p95, busiest actor selected", "selected_frame_ms_p95", "ms", "<= 16.7"),
    ("frame p95 in the main window (graph following)", "window_frame_ms_p95", "ms", ""),
    ("frame max in the main window (graph following)", "window_frame_ms_max", "ms", ""),
    ("  the same, from the first paint after opening", "window_opening_frame_ms_max", "ms", ""),
    ("  worst of both (main_frame_ms_max)", "main_frame_ms_max", "ms", "<= 33"),
    ("  the first frame of a pan after a pause", "window_after_pause_frame_ms", "ms", ""),
    ("naive ScatterPlotItem frame p95", "baseline_frame_ms_p95", "ms", ""),
    ("  ratio naive / Threadline (p95)", "baseline_ratio_p95", "x", ""),
    ("PNG export 1600 x 900", "export_1600_s", "s", "<= 0.15"),
    ("  of which PNG encoding (floor)", "encode_1600_s", "s", ""),
    ("PNG export 4000 x 2250", "export_4000_s", "s", "<= 0.5"),
    ("  of which PNG encoding (floor)", "encode_4000_s", "s", ""),
    ("frame p95, 2,000 actors, lanes that fit", "lanes_fit_frame_ms_p95", "ms", "<= 16.7 (1M)"),
    ("frame max, 2,000 actors, lanes that fit", "lanes_fit_frame_ms_max", "ms", ""),
    ("frame p95, 2,000 actors, all 2,000 lanes", "lanes_all_frame_ms_p95", "ms", "<= 16.7 (1M)"),
    ("graph layout, 1,000 actors, 20k edges", "layout_1000_20000_s", "s", "<= 2 (background)"),
    ("graph update p95, 1,000 actors, 20k edges", "graph_update_ms", "ms", "<= 100"),
    ("graph update p95, windows of random width", "graph_update_random_ms_p95", "ms", "<= 50"),
    ("  their edges, median / max", "graph_edges_median", "", ""),
    ("  until the first paint, their strongest links", "graph_update_draft_ms_p95", "ms", ""),
    ("edit: UI thread held (worst of 3)", "edit_ui_held_ms", "ms", "one frame"),
    ("edit: until the views show it (worst of 3)", "edit_visible_ms", "ms", "<= 50 at any size"),
    ("edit: until folded into the arrays, every view following (worst of 3)", "edit_folded_ms", "ms", ""),
    ("first window, sample story (median of 5)", "startup_sample_s", "s", "<= 0.8"),
    ("first window, 10k-event file (median of 5)", "startup_10k_s", "s", "<= 0.8"),
    ("RSS above an empty window, settled", "rss_above_empty_window_mb", "MiB", "< 38.1 (40 MB, 1M)"),
    ("  of which the timeline's arrays", "timeline_mb", "MiB", ""),
    ("  the same actors with 2,000 events", "rss_few_events_above_empty_window_mb", "MiB", ""),
    ("  RSS added per event (file minus 2,000 events)", "rss_bytes_per_event", "B", "~40"),
    ("timeline bytes per event", "timeline_bytes_per_event", "B", "<= 40"),
)


def print_table(r: dict) -> None:
    print(f"Threadline scale benchmark: {r['events']:,.0f} events, 200 actors; median of {r['runs']} run(s)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Qt offscreen (software)")
    if r.get("window") or r.get("modes"):
        print(f"window measured: {r.get('window')}; frame modes: {r.get('modes')}")
    print(f"{'metric':46} {'value':>16}  target")
    for label, key, unit, target in TABLE:
        value = r.get(key)
        if value is None:
            continue
        if key == "graph_edges_median":
            text = f"{value:,.0f} / {r.get('graph_edges_max', 0):,.0f}"
        elif unit == "s":
            text = f"{value:.3f} s"
        elif unit in ("ms", "MiB"):
            text = f"{value:.1f} {unit}"
        else:
            text = f"{value:.1f}{unit}"
        print(f"{label:46} {text:>16}  {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1, help="runs to take the median of (default 1)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive ScatterPlotItem frames")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--lanes-actors", type=int, default=2000, metavar="M",
                        help="the many-actors case: the same events by M actors (0 skips it; default 2000)")
    parser.add_argument("--only-many-actors", action="store_true", help="measure only the many-actors case")
    parser.add_argument("--only-frames", action="store_true",
                        help="measure only the frames: pan/zoom (plain and with an actor selected), the main "
                             "window with the graph following, and the graph's update")
    parser.add_argument("--only-open", action="store_true", help="measure only the opens (and their memory)")
    args = parser.parse_args(argv)
    if args.only_frames:
        db, graph_db = synthetic(args.events, args.actors), synthetic(200_000, 1000)
        runs = []
        for i in range(args.runs):
            print(f"run {i + 1} of {args.runs}...", file=sys.stderr)
            runs.append(frame_run(db, graph_db))
        result = median_of(runs)
        print_table(result)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0
    lanes_db = synthetic(args.events, args.lanes_actors) if args.lanes_actors and not args.only_open else None
    if args.only_many_actors:
        if lanes_db is None:
            parser.error("--only-many-actors needs --lanes-actors M with M > 0")
        result = {"events": args.events, "runs": 1, **many_actors(lanes_db)}
        print_table(result)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0
    db = synthetic(args.events, args.actors)
    if args.only_open:
        runs = []
        for i in range(args.runs):
            print(f"run {i + 1} of {args.runs}...", file=sys.stderr)
            runs.append(open_probes(db))
        result = median_of(runs)
        print_table(result)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0
    graph_db = synthetic(200_000, 1000)
    small_db = synthetic(10_000, 30)
    few_db = synthetic(2_000, args.actors)
    runs = []
    for i in range(args.runs):
        print(f"run {i + 1} of {args.runs}...", file=sys.stderr)
        settle_disk()
        runs.append(one_run(db, graph_db, small_db, not args.no_baseline, few_db, lanes_db))
    result = median_of(runs)
    print_table(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
