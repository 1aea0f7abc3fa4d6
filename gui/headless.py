"""``threadline export-png``: render what the window would, with no display."""

from __future__ import annotations

import os
import sys


def _offscreen_app():
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


def _window(args):
    from store.dates import DateError, parse_date
    from store.records import RecordError

    bounds = []
    for flag, text, pick in (("--start", args.start, "earliest"), ("--end", args.end, "latest")):
        if not text:
            bounds.append(None)
            continue
        try:
            bounds.append(getattr(parse_date(text), pick))
        except DateError as exc:
            raise RecordError(f"{flag}: {exc}") from None
    return bounds


def _apply_saved_view(session, args) -> bool:
    if not getattr(args, "view_name", None):
        return False
    from .saved_views import apply_state

    apply_state(session.selection, session.saved_view(args.view_name))
    return True


def _lanes(args) -> int | str | None:
    """--lanes: "all", a number of lanes, or None (those that fit)."""
    text = getattr(args, "lanes", None)
    if text is None or text == "all":
        return text
    from store.records import RecordError

    try:
        n = int(text)
    except ValueError:
        raise RecordError(f"--lanes must be 'all' or a number of lanes, not '{text}'") from None
    if n < 1:
        raise RecordError(f"--lanes must be at least 1, not {n}")
    return n


def export_png(args) -> None:
    from store.database import StoreError
    from store.records import RecordError

    from .export import check_image_size

    try:
        check_image_size(args.width, args.height)
    except ValueError as exc:
        raise RecordError(str(exc)) from None
    _offscreen_app()
    from .export import render_graph, render_timeline_counted, save_png, stack
    from .session import Session

    session = Session.open(args.db, read_only=True)
    from store.atomic_file import refuse_protected

    refuse_protected(args.out, [args.db])  # before drawing: never onto the database or a file beside it
    lo, hi = _window(args)
    span = session.data.time_range
    if span is None:
        raise StoreError(f"{args.db}: has no events to draw")
    saved = _apply_saved_view(session, args)
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
        raise RecordError("--end must be after --start")
    session.selection.set_visible_range((lo, hi))
    names = {n: int(session.data.actor_ids[i]) for i, n in enumerate(session.data.actor_names)}
    unknown = [n for n in args.actor if n not in names]
    if unknown:
        raise RecordError(f"no actor named '{unknown[0]}' in {args.db}")
    if args.actor:
        session.selection.select_actors([names[n] for n in args.actor])
    lanes = _lanes(args)
    images = []
    timeline_h = graph_h = args.height
    if args.view == "both" and args.height:
        # one page of the height asked for: the timeline above, the graph below
        timeline_h = args.height // 2
        graph_h = args.height - timeline_h
    if args.view in ("timeline", "both"):
        image, n_more = render_timeline_counted(session, args.width, timeline_h, (lo, hi), lanes=lanes)
        images.append(image)
        if n_more:
            print(f"threadline: {n_more} more actors not shown (the busiest lanes that fit are drawn; "
                  "--lanes all or a larger --height shows more)", file=sys.stderr)
    if args.view in ("graph", "both"):
        images.append(render_graph(session, args.width, graph_h))
    image = images[0] if len(images) == 1 else stack(*images)
    save_png(image, args.out)
