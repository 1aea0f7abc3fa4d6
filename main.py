"""Threadline's command line: open the window, or run a headless job.

    threadline [DB]                         open the explorer (the sample story when no DB)
    threadline sample --out FILE.db         write the sample database
    threadline info DB [--json]             counts and date range
    threadline import DB FILE --format F    add records from a file (creates DB) [--dataset NAME] [--update]
    threadline export DB --format F --out FILE
    threadline export-png DB --out FILE.png [...]
    threadline export-figure DB --out FILE.(png|svg|pdf|html) [...]
    threadline add-document DB FILE [--title --publisher --date --url] [--json]
    threadline suggest DB --document ID [--json]
    threadline check DB                     quotes that no longer match their document
    threadline install-desktop | uninstall-desktop

Headless jobs never import Qt unless they draw, so they start fast and run on
machines with no display. Every error is one line on stderr and exit code 1
(2 for a wrong command line).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from store.command_args import UsageError, date_window, lane_count

SUBCOMMANDS = (
    "open", "sample", "info", "import", "export", "export-png", "export-figure", "install-desktop", "uninstall-desktop",
    "add-document", "suggest", "check",
)  # fmt: skip
IMPORT_FORMATS = ("json", "csv", "gdelt", "icews", "timelinejs", "wikitimes")
EXPORT_FORMATS = ("json", "csv", "events-csv", "gexf", "graphml", "timelinejs")



def _parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="threadline",
        description="Threadline: a timeline linked to a time-windowed actor-relationship graph, over one SQLite file.",
        epilog="With no command, 'threadline [DB]' opens the explorer window on DB (the bundled sample story when "
        "DB is omitted). Each command has its own --help.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", help="open the explorer window (the default command)")
    p.add_argument("db", nargs="?", help="the database to open (default: the sample story)")
    p.add_argument("--read-only", action="store_true", help="open without ever writing to the file")

    p = sub.add_parser("sample", help="write the bundled sample story as a database")
    p.add_argument("--out", required=True, metavar="FILE.db", help="where to write it (must not exist)")

    p = sub.add_parser("info", help="counts of events, actors, relationships and sources, and the date range")
    p.add_argument("db", metavar="DB")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = sub.add_parser("import", help="add the records of FILE to DB (DB is created if missing)")
    p.add_argument("db", metavar="DB")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    p.add_argument("--map", nargs="+", default=[], metavar="KEY=COLUMN",
                   help="CSV column mapping for another tool's CSV, e.g. date=\"Event Date\" actor=\"Source Name\" "
                   "(keys: date end title summary actor target participants type location source url certainty id "
                   "kind target_kind); @NAME uses a saved mapping")
    p.add_argument("--dataset", metavar="NAME",
                   help="the data set the file's ids belong to (gdelt: GDELT, icews: ICEWS, csv: the file's name); "
                   "an id is unique within its data set only")
    p.add_argument("--update", action="store_true",
                   help="replace stored records whose id this file gives with other content (default: keep them "
                   "and report their lines)")
    p.add_argument("--save-map", metavar="NAME", help="keep this --map in the database under NAME for reuse")
    p.add_argument("--save-map-user", metavar="NAME",
                   help="keep this --map in your user settings under NAME, for --map @NAME on any file")

    p = sub.add_parser("export", help="write DB in an interchange format")
    p.add_argument("db", metavar="DB")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--start", metavar="DATE", help="only events and links from this date (not for json/csv, which are whole)")
    p.add_argument("--end", metavar="DATE", help="only events and links up to this date")
    p.add_argument("--with-document-text", action="store_true",
                   help="json/csv: include the stored documents' text (metadata and SHA-256 are always included)")

    p = sub.add_parser("export-png", help="render the timeline and/or graph to a PNG, with no display needed")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--width", type=int, default=1600, help="image width in pixels (default 1600)")
    p.add_argument("--height", type=int, default=None,
                   help="image height in pixels (default: up to 30 lanes; the lanes that fit are drawn, the rest "
                   "counted in one 'N more actors not shown' lane)")
    p.add_argument("--lanes", metavar="all|N", default=None,
                   help="'all' draws every lane (the height grows to fit unless --height is given); N at most N lanes")
    p.add_argument("--start", metavar="DATE", help="window start, as written (e.g. 'April 2025')")
    p.add_argument("--end", metavar="DATE", help="window end, as written")
    p.add_argument("--actor", action="append", default=[], metavar="NAME", help="highlight this actor (repeatable)")
    p.add_argument("--view", choices=("timeline", "graph", "both"), default="timeline")
    p.add_argument("--view-name", metavar="NAME", help="start from a view saved in the window (window, selection, filters, lanes)")

    p = sub.add_parser("export-figure", help="a figure for publication: PNG, SVG, PDF or one interactive HTML file",
                       description="Render the timeline and/or relationship graph as a figure with title, legend, "
                       "caption, sources and credit, sized for its use. The format follows --out's extension.")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", required=True, metavar="FILE.(png|svg|pdf|html)")
    p.add_argument("--view", choices=("timeline", "graph", "both"), default="both", help="what to draw (default both)")
    p.add_argument("--preset", choices=("article", "social", "slide", "a4", "letter"), default="article",
                   help="article: 1200 px wide at 2x; social: 1080x1350; slide: 1920x1080; a4, letter: landscape pages at 300 dpi")
    p.add_argument("--width", type=float, default=None, help="page width in layout units (pixels; points for a4/letter)")
    p.add_argument("--height", type=float, default=None, help="page height (default: the preset's, or as tall as needed)")
    p.add_argument("--scale", type=float, default=None, help="output pixels per layout unit (article: 2)")
    p.add_argument("--title", default=None, help="default: the story's title")
    p.add_argument("--subtitle", default=None, help="default: the time window")
    p.add_argument("--caption", default="", help="a sentence or two under the figure")
    p.add_argument("--credit", default="", help="e.g. 'Graphic: A. Reporter'")
    p.add_argument("--start", metavar="DATE", help="window start, as written (default: the first event)")
    p.add_argument("--end", metavar="DATE", help="window end, as written")
    p.add_argument("--actor", action="append", default=[], metavar="NAME", help="show only these actors (repeatable)")
    p.add_argument("--view-name", metavar="NAME", help="start from a saved view (window, actor filter, lanes, selection)")
    p.add_argument("--highlight-selection", action="store_true", help="draw the saved view's selection as a highlight")
    p.add_argument("--highlight-actor", action="append", default=[], metavar="NAME",
                   help="highlight this actor and its events (repeatable)")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--text-size", type=float, default=1.0, metavar="FACTOR", help="text size, times the preset's (0.5 to 3)")

    p = sub.add_parser("add-document", help="keep a document (text, Markdown, HTML, PDF) in DB; prints its id")
    p.add_argument("db", metavar="DB")
    p.add_argument("file", metavar="FILE")
    for name in ("title", "publisher", "author", "date", "url", "language"):
        p.add_argument(f"--{name}", help=f"the document's {name} (overrides what the file says)")
    p.add_argument("--json", action="store_true", help='print {"id": ...}')

    p = sub.add_parser("suggest", help="candidate events from a stored document's passages (nothing is stored)")
    p.add_argument("db", metavar="DB")
    p.add_argument("--document", type=int, required=True, metavar="ID")
    p.add_argument("--json", action="store_true", help="print a JSON list of candidates")

    p = sub.add_parser("check", help="list quotes that no longer occur at their offsets in their document")
    p.add_argument("db", metavar="DB")

    sub.add_parser("install-desktop", help="add Threadline to the desktop menu and let it open .db files")
    sub.add_parser("uninstall-desktop", help="remove what install-desktop added")
    return top


def _split_default_command(argv: list[str]) -> list[str]:
    """'threadline [DB]' means 'threadline open [DB]'."""
    if not argv or (argv[0] not in SUBCOMMANDS and not argv[0].startswith("-")):
        return ["open", *argv]
    return argv


# ---------------------------------------------------------------- commands


def _open_db(path: str, **kwargs):
    from store.database import open_database

    return open_database(path, **kwargs)


def cmd_sample(args) -> int:
    from store.sample import write_sample

    out = write_sample(args.out)
    print(f"wrote the sample story to {out}")
    return 0


def cmd_info(args) -> int:
    from store.queries import story_info, actors_with_counts

    db = _open_db(args.db, readonly=True)
    info = story_info(db)
    info["actor_names"] = [a["name"] for a in actors_with_counts(db)]
    info["people"] = [a["name"] for a in actors_with_counts(db) if a["kind"] == "person"]
    info["events_without_source"] = db.execute(
        "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)"
    ).fetchone()[0]
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        print(f"{args.db}")
        for key in ("events", "actors", "relationships", "sources"):
            print(f"  {key:14} {info[key]}")
        print(f"  {'date range':14} {info['earliest'] or '-'} to {info['latest'] or '-'}")
        if info["people"]:
            print(f"  {'people':14} {', '.join(info['people'][:12])}{' ...' if len(info['people']) > 12 else ''}")
    return 0


def _with_user_mappings(db_path, mapping: list[str]) -> list[str]:
    """``@NAME`` from the database when it holds NAME, else from the user's settings."""
    from gui.user_mappings import resolve
    from store.importers.mapped_csv import saved_mappings

    in_file: set[str] = set()
    if Path(db_path).exists() and Path(db_path).stat().st_size > 0:
        db = _open_db(db_path)
        try:
            in_file = set(saved_mappings(db))
        finally:
            db.conn.close()
    try:
        return resolve(mapping, in_file)
    except LookupError as exc:
        raise UsageError(f"{db_path}: {exc}") from None


def cmd_import(args) -> int:
    from store.importing import import_path

    if (args.save_map or args.save_map_user) and not args.map:
        raise UsageError("--save-map needs a --map to save")
    mapping = list(args.map)
    if any(m.startswith("@") for m in mapping):
        mapping = _with_user_mappings(args.db, mapping)
    report = import_path(args.db, args.file, args.format, mapping=mapping, dataset=args.dataset, update=args.update)
    if args.save_map_user:
        from gui.user_mappings import save_user_mapping

        try:
            save_user_mapping(args.save_map_user, mapping)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        print(f"saved the mapping for all files as '{args.save_map_user}' (use --map @{args.save_map_user})")
    if args.save_map:
        from store.importers.mapped_csv import save_mapping

        db = _open_db(args.db)
        save_mapping(db, args.save_map, args.map)
        db.conn.close()
        print(f"saved the mapping as '{args.save_map}' (use --map @{args.save_map})")
    print(f"{args.file}: {report.summary()}")
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    for line in report.skipped[:50]:
        print(f"skipped: {line}", file=sys.stderr)
    if len(report.skipped) > 50:
        print(f"skipped: ... and {len(report.skipped) - 50} more", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from store.exporting import export_path

    window = date_window(args.start, args.end)
    if window != (None, None) and args.format in ("json", "csv"):
        raise UsageError("--start/--end do not apply to json or csv, which export the whole database losslessly")
    db = _open_db(args.db, readonly=True)
    if args.with_document_text and args.format not in ("json", "csv"):
        raise UsageError("--with-document-text applies to json and csv only")
    export_path(db, args.format, args.out, window=window, include_text=args.with_document_text)
    print(f"wrote {args.out}")
    return 0


def cmd_export_png(args) -> int:
    from gui.headless import export_png

    export_png(args.db, args.out, width=args.width, height=args.height, view=args.view,
               window=date_window(args.start, args.end), actors=args.actor, view_name=args.view_name,
               lanes=lane_count(args.lanes))
    print(f"wrote {args.out}")
    return 0


def cmd_export_figure(args) -> int:
    from gui.figure.headless import export_figure

    for note in export_figure(args, date_window(args.start, args.end)):
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {args.out}")
    return 0


def cmd_open(args) -> int:
    from gui.launch import launch

    return launch(args.db, read_only=args.read_only)


def cmd_add_document(args) -> int:
    from store.documents import add_document_file

    db = _open_db(args.db, create=True)
    overrides = {k: getattr(args, k) for k in ("title", "publisher", "author", "date", "url", "language") if getattr(args, k)}
    doc_id, added = add_document_file(db, args.file, **overrides)
    print(json.dumps({"id": doc_id}) if args.json else doc_id)
    if not added:
        print(f"{args.file}: already stored as document {doc_id} (same SHA-256); nothing added", file=sys.stderr)
    return 0


def cmd_suggest(args) -> int:
    from store.suggest import suggest

    from store.documents import get_document
    from store.suggest import publication_day

    db = _open_db(args.db, readonly=True)
    if publication_day(get_document(db, args.document)) is None:
        print(f"document {args.document} has no publication day: relative dates ('Friday', 'last month') and "
              "statements without a date are left out (give one with add-document --date)", file=sys.stderr)
    candidates = suggest(db, args.document)
    if args.json:
        print(json.dumps([c.as_json() for c in candidates], indent=2, ensure_ascii=False))
        return 0
    for c in candidates:
        who = ", ".join(f"{name} ({c.roles.get(name, 'participant')})" for name in c.actors)
        print(f"[{c.start}-{c.end}] {c.date}  ({c.earliest or 'open'} .. {c.latest}, {c.precision}, confidence {c.confidence})")
        print(f"    {c.title}")
        if who:
            print(f"    actors: {who}")
    print(f"{len(candidates)} candidate events")
    return 0


def cmd_check(args) -> int:
    from store.documents import broken_quotes, quotes_in

    db = _open_db(args.db, readonly=True)
    broken = broken_quotes(db)
    for q in broken:
        print(f"event {q.event_id} '{q.event_title}': quote at {q.start}-{q.end} of document {q.document_id} "
              f"no longer reads '{q.quote[:60]}'")
    total = len(quotes_in(db))
    print(f"{total - len(broken)} of {total} quotes match their documents", file=sys.stderr if broken else sys.stdout)
    return 1 if broken else 0


def cmd_install_desktop(args) -> int:
    from gui.desktop_entry import install_desktop

    for line in install_desktop():
        print(line)
    return 0


def cmd_uninstall_desktop(args) -> int:
    from gui.desktop_entry import uninstall_desktop

    for line in uninstall_desktop():
        print(line)
    return 0


COMMANDS = {
    "open": cmd_open,
    "sample": cmd_sample,
    "info": cmd_info,
    "import": cmd_import,
    "export": cmd_export,
    "export-png": cmd_export_png,
    "export-figure": cmd_export_figure,
    "add-document": cmd_add_document,
    "suggest": cmd_suggest,
    "check": cmd_check,
    "install-desktop": cmd_install_desktop,
    "uninstall-desktop": cmd_uninstall_desktop,
}


def _from_callers_folder() -> None:
    """run.sh changes to the checkout to find the venv; relative file names
    on the command line mean the folder it was called from (THREADLINE_CWD)."""
    import os

    caller = os.environ.pop("THREADLINE_CWD", None)
    if caller and Path(caller).is_dir():
        os.chdir(caller)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    _from_callers_folder()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(_split_default_command(argv))
    from store.memory import tune_allocator

    tune_allocator()  # before any worker thread: see store/memory.py
    from store.database import StoreError
    from store.interchange import InterchangeError
    from store.records import RecordError

    try:
        return COMMANDS[args.command](args)
    except (StoreError, InterchangeError, RecordError, UsageError) as exc:
        print(f"threadline: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except OSError as exc:  # a full disk, a read-only file system, a missing folder: one true line
        where = f"{exc.filename}: " if exc.filename else ""  # a message of ours already names the path
        print(f"threadline: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except sqlite3.Error as exc:
        from store.file_checks import one_line

        print(f"threadline: {one_line(_sqlite_message(args, exc))}", file=sys.stderr)
        return 1
    finally:
        _warn_invalid_text()


def _warn_invalid_text() -> None:
    """Once per file, after the command: text that was not UTF-8 was shown replaced."""
    from store.text_decoding import invalid_text_files, invalid_text_message

    for name, sample in invalid_text_files().items():
        try:
            print(f"warning: {invalid_text_message(name, sample)}", file=sys.stderr)
        except (OSError, ValueError):
            pass


def _sqlite_message(args, exc) -> str:
    """One line for an SQLite error that reached the top (a value over the
    size cap is named by table, column and row)."""
    from store.oversize import is_too_big, oversize_message

    db = getattr(args, "db", None)
    if db and is_too_big(exc):
        return oversize_message(db)
    text = " ".join(str(exc).split())[:300]
    return f"{db}: {text}" if db else text


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``threadline info DB --json | head``):
    nothing is wrong with the file, so no traceback; stdout is pointed at
    /dev/null so Python's flush at exit does not raise a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # as a shell reports a process ended by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
