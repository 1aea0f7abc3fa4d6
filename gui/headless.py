"""``threadline export-png``: render what the window would, with no display."""

from __future__ import annotations

import os


def _offscreen_app():
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.platform_check import missing_packages, chosen_platform

    missing = missing_packages(chosen_platform())
    if missing:
        from store.database import StoreError

        raise StoreError(f"Qt cannot draw because system libraries are missing; install: sudo apt-get install {' '.join(missing)}")
    from .launch import make_app

    return make_app()


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
    from store import views

    from .saved_views import apply_state

    apply_state(session.selection, views.load_view(session.db, args.view_name))
    return True


def export_png(args) -> None:
    from store.database import StoreError
    from store.records import RecordError

    from .export import check_image_size

    try:
        check_image_size(args.width, args.height)
    except ValueError as exc:
        raise RecordError(str(exc)) from None
    _offscreen_app()
    from .export import render_graph, render_timeline, save_png, stack
    from .session import Session

    session = Session.open(args.db, read_only=True)
    lo, hi = _window(args)
    span = session.data.time_range
    if span is None:
        raise StoreError(f"{args.db}: has no events to draw")
    saved = _apply_saved_view(session, args)
    window = session.selection.time_window if saved else None
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
    images = []
    if args.view in ("timeline", "both"):
        images.append(render_timeline(session, args.width, args.height if args.view == "timeline" else None, (lo, hi)))
    if args.view in ("graph", "both"):
        images.append(render_graph(session, args.width, args.height if args.view == "graph" else None))
    image = images[0] if len(images) == 1 else stack(*images)
    save_png(image, args.out)
