"""``threadline export-png``: render what the window would, with no display."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def offscreen_app():
    """The app, drawing offscreen when there is no display (export-png, export-figure)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.platform_check import missing_packages, chosen_platform

    missing = missing_packages(chosen_platform())
    if missing:
        from store.database import StoreError

        raise StoreError(f"Qt cannot draw because system libraries are missing; install: sudo apt-get install {' '.join(missing)}")
    from .launch import make_app

    _quiet_offscreen_notes()
    return make_app()


def _quiet_offscreen_notes() -> None:
    """The offscreen platform says it cannot size windows from hints, once per
    window: true, harmless, and nothing a user of a command can act on. Every
    other Qt message still reaches stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message):
        if "does not support propagateSizeHints" in message:
            return
        sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)


def apply_saved_view(session, view_name: str | None) -> bool:
    """Start from the view saved in the window as ``view_name``; False when none is asked for."""
    if not view_name:
        return False
    from .saved_views import apply_state

    apply_state(session.selection, session.saved_view(view_name))
    return True


def export_png(db: str, out: str, *, width: int = 1600, height: int | None = None, view: str = "timeline",
               window: tuple[float | None, float | None] = (None, None), actors: Sequence[str] = (),
               view_name: str | None = None, lanes: int | str | None = None) -> None:
    """Draw ``db`` as the window would into the PNG ``out``: the timeline,
    the graph or both (``view``); ``window`` (seconds, either end may be None)
    and ``actors`` (names, highlighted) as given on the command line; lanes:
    "all", at most a number, or None (those that fit)."""
    from store.command_args import UsageError
    from store.database import StoreError

    from .export import check_image_size

    try:
        check_image_size(width, height)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    offscreen_app()
    from .export import render_graph, render_timeline_counted, save_png, stack
    from .session import Session

    session = Session.open(db, read_only=True)
    from store.atomic_file import refuse_protected

    refuse_protected(out, [db])  # before drawing: never onto the database or a file beside it
    lo, hi = window
    span = session.data.time_range
    if span is None:
        raise StoreError(f"{db}: has no events to draw")
    saved = apply_saved_view(session, view_name)
    window = session.selection.time_window if saved else None
    if window is None and lo is None and hi is None:
        # no window asked for: where the events are (98% of them), as Home does in
        # the window, so a few far outliers do not squeeze the rest into one column
        from store.timeline_summary import bulk_span

        a, b = bulk_span(session.data)
        pad = max((b - a) * 0.03, 3600)
        window = (a - pad, b + pad)
    lo = (window[0] if window else span[0]) if lo is None else lo
    hi = (window[1] if window else span[1]) if hi is None else hi
    if hi <= lo:
        raise UsageError("--end must be after --start")
    session.selection.set_visible_range((lo, hi))
    names = {n: int(session.data.actor_ids[i]) for i, n in enumerate(session.data.actor_names)}
    unknown = [n for n in actors if n not in names]
    if unknown:
        raise UsageError(f"no actor named '{unknown[0]}' in {db}")
    if actors:
        session.selection.select_actors([names[n] for n in actors])
    images = []
    timeline_h = graph_h = height
    if view == "both" and height:
        # one page of the height asked for: the timeline above, the graph below
        timeline_h = height // 2
        graph_h = height - timeline_h
    if view in ("timeline", "both"):
        image, n_more = render_timeline_counted(session, width, timeline_h, (lo, hi), lanes=lanes)
        images.append(image)
        if n_more:
            print(f"threadline: {n_more} more actors not shown (the busiest lanes that fit are drawn; "
                  "--lanes all or a larger --height shows more)", file=sys.stderr)
    if view in ("graph", "both"):
        images.append(render_graph(session, width, graph_h))
    image = images[0] if len(images) == 1 else stack(*images)
    save_png(image, out)
