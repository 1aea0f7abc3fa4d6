"""``threadline export-figure``: a figure for publication, with no display."""

from __future__ import annotations

from pathlib import Path

from store.command_args import UsageError

from ..headless import apply_saved_view, offscreen_app
from .options import FORMATS, PRESETS, FigureOptions


def options_from_args(args) -> FigureOptions:
    for flag, value, lo, hi in (("--width", args.width, 200, 12000), ("--height", args.height, 150, 12000)):
        if value is not None and not lo <= value <= hi:
            raise UsageError(f"{flag} must be between {lo} and {hi}, not {value:g}")
    if args.scale is not None and not 0.25 <= args.scale <= 8:
        raise UsageError(f"--scale must be between 0.25 and 8, not {args.scale:g}")
    if not 0.5 <= args.text_size <= 3:
        raise UsageError(f"--text-size must be between 0.5 and 3, not {args.text_size:g}")
    return FigureOptions(
        view=args.view, preset=args.preset, width=args.width, height=args.height, scale=args.scale,
        title=args.title, subtitle=args.subtitle, caption=args.caption or "", credit=args.credit or "",
        dark=args.theme == "dark", text_size=args.text_size, highlight=args.highlight_selection,
    )


def export_figure(args, window: tuple[float | None, float | None] = (None, None)) -> list[str]:
    """Write the figure ``args`` (export-figure's command line) asks for,
    over ``window`` (seconds, either end may be None: the saved view's or
    the events'); returns notes on what was left out (for stderr)."""
    from store.database import StoreError
    from store.figure_data import FigureError

    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"{args.out}: the figure's format comes from its extension: "
                         f"{', '.join('.' + f for f in FORMATS)}, not '{suffix or 'none'}'")
    assert args.preset in PRESETS
    options = options_from_args(args)
    offscreen_app()
    from ..session import Session
    from .render import write_figure
    from .source import figure_from_session, session_window

    session = Session.open(args.db, read_only=True)
    try:
        if session.data.time_range is None:
            raise StoreError(f"{args.db}: has no events to draw")
        apply_saved_view(session, args.view_name)
        lo, hi = window
        shown = session_window(session)
        lo = shown[0] if lo is None else lo
        hi = shown[1] if hi is None else hi
        if hi <= lo:
            raise UsageError("--end must be after --start")
        names = {n: int(session.data.actor_ids[i]) for i, n in enumerate(session.data.actor_names)}
        for name in [*args.actor, *args.highlight_actor]:
            if name not in names:
                raise UsageError(f"no actor named '{name}' in {args.db}")
        actor_ids = {names[n] for n in args.actor} or None
        if args.highlight_actor:
            session.selection.select_actors([names[n] for n in args.highlight_actor])
            options = options.with_(highlight=True)
        elif options.highlight and not (session.selection.selected_actors or session.selection.selected_events
                                        or session.selection.selected_edge):
            raise UsageError("--highlight-selection: nothing is selected (give --view-name of a view saved "
                              "with a selection, or --highlight-actor NAME)")
        try:
            data = figure_from_session(session, (lo, hi), actor_ids, highlight=options.highlight)
        except FigureError as exc:
            raise UsageError(str(exc)) from None
        if not data.events:
            raise UsageError(f"{args.db}: no events of the chosen actors in this window")
        result = write_figure(data, options, args.out)
        return result.notes
    finally:
        session.close()
