"""``threadline export-figure``: a figure for publication, with no display."""

from __future__ import annotations

from pathlib import Path

from ..headless import _apply_saved_view, _offscreen_app, _window
from .options import FORMATS, PRESETS, FigureOptions


def options_from_args(args) -> FigureOptions:
    from store.records import RecordError

    for flag, value, lo, hi in (("--width", args.width, 200, 12000), ("--height", args.height, 150, 12000)):
        if value is not None and not lo <= value <= hi:
            raise RecordError(f"{flag} must be between {lo} and {hi}, not {value:g}")
    if args.scale is not None and not 0.25 <= args.scale <= 8:
        raise RecordError(f"--scale must be between 0.25 and 8, not {args.scale:g}")
    if not 0.5 <= args.text_size <= 3:
        raise RecordError(f"--text-size must be between 0.5 and 3, not {args.text_size:g}")
    return FigureOptions(
        view=args.view, preset=args.preset, width=args.width, height=args.height, scale=args.scale,
        title=args.title, subtitle=args.subtitle, caption=args.caption or "", credit=args.credit or "",
        dark=args.theme == "dark", text_size=args.text_size, highlight=args.highlight_selection,
    )


def export_figure(args) -> list[str]:
    """Write the figure; returns notes on what was left out (for stderr)."""
    from store.figure_data import FigureError
    from store.records import RecordError

    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise RecordError(f"{args.out}: the figure's format comes from its extension: "
                          f"{', '.join('.' + f for f in FORMATS)}, not '{suffix or 'none'}'")
    assert args.preset in PRESETS
    options = options_from_args(args)
    _offscreen_app()
    from ..session import Session
    from .render import write_figure
    from .source import figure_from_session, session_window

    session = Session.open(args.db, read_only=True)
    try:
        if session.data.time_range is None:
            raise RecordError(f"{args.db}: has no events to draw")
        _apply_saved_view(session, args)
        lo, hi = _window(args)
        window = session_window(session)
        lo = window[0] if lo is None else lo
        hi = window[1] if hi is None else hi
        if hi <= lo:
            raise RecordError("--end must be after --start")
        names = {n: int(session.data.actor_ids[i]) for i, n in enumerate(session.data.actor_names)}
        for name in [*args.actor, *args.highlight_actor]:
            if name not in names:
                raise RecordError(f"no actor named '{name}' in {args.db}")
        actor_ids = {names[n] for n in args.actor} or None
        if args.highlight_actor:
            session.selection.select_actors([names[n] for n in args.highlight_actor])
            options = options.with_(highlight=True)
        elif options.highlight and not (session.selection.selected_actors or session.selection.selected_events
                                        or session.selection.selected_edge):
            raise RecordError("--highlight-selection: nothing is selected (give --view-name of a view saved "
                              "with a selection, or --highlight-actor NAME)")
        try:
            data = figure_from_session(session, (lo, hi), actor_ids, highlight=options.highlight)
        except FigureError as exc:
            raise RecordError(str(exc)) from None
        if not data.events:
            raise RecordError(f"{args.db}: no events of the chosen actors in this window")
        result = write_figure(data, options, args.out)
        return result.notes
    finally:
        session.close()
