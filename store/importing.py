"""One entry point for every import: pick the reader by format, write once.

The database is created when it does not exist; if the import then fails,
the new file is removed again, and an existing file is left exactly as it
was (every import is a single transaction).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import interchange
from .cache import database_file
from .database import close_database, open_database, write_error
from .interchange import ImportError_, ImportReport
from .query_guard import QueryTimeout, query_guard, write_seconds
from .writing import write


def _read_header(path: Path) -> str:
    with open(path, "rb") as fh:
        return fh.readline(65536).decode("utf-8-sig", errors="replace")


DATASET_FORMATS = ("gdelt", "icews")  # formats whose ids belong to a named data set, besides mapped CSV

# An import may take this long plus IMPORT_SECONDS_PER_MB of the file read
# (GDELT imports run at about 10 MB/s, interchange JSON at 1.5 MB/s on a busy
# 2-core machine): past it the transaction is rolled back.
IMPORT_SECONDS_PER_MB = 4.0


def import_seconds(path: str | Path) -> float:
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    return write_seconds() + IMPORT_SECONDS_PER_MB * size / 1e6


def import_into(
    db, path: str | Path, fmt: str, mapping: list[str] | tuple = (), *, dataset: str | None = None, update: bool = False
) -> ImportReport:
    """Import in one transaction, the search index brought up to date inside
    it, under a deadline that grows with the file (``import_seconds``).
    dataset names the data set of the file's ids (GDELT, ICEWS and mapped
    CSV; default GDELT, ICEWS, the CSV's file name); update replaces stored
    records whose content differs, in the same transaction. A write SQLite
    cannot finish (a full disk) is a one-line StoreError."""
    seconds = import_seconds(path)
    try:
        with query_guard(db).deadline(seconds), write(db, f"import {fmt}", bulk=True):
            report = _read_into(db, path, fmt, mapping, dataset, update)
    except QueryTimeout:
        raise ImportError_(
            f"{path}: importing took longer than {seconds:.0f} s and was stopped; nothing was imported "
            "(the database may hold an expensive constraint or index)"
        ) from None
    except sqlite3.OperationalError as exc:  # rolled back by atomic()
        failure = write_error(database_file(db) or "the database", exc)
        if failure is None:
            raise
        raise failure from None
    if not db.conn.in_transaction:
        # the file an import leaves behind opens fast anywhere, a copy too:
        # its columns kept in it, in a transaction of their own once the
        # import has committed (a failed import never gets here)
        from .timeline_data import keep_rows_in_file

        keep_rows_in_file(db)
    return report


def _read_into(db, path: str | Path, fmt: str, mapping, dataset=None, update=False) -> ImportReport:
    path = Path(path)
    if not path.exists():
        raise ImportError_(f"{path}: no such file")
    if (dataset or update) and not (fmt in DATASET_FORMATS or (fmt == "csv" and mapping)):
        raise ImportError_(f"--dataset and --update apply to gdelt, icews and a CSV read with --map, not to '{fmt}'")
    if fmt == "json":
        return interchange.import_file(db, path, "json")
    if fmt == "csv":
        if mapping:
            from .importers.mapped_csv import import_mapped_csv

            return import_mapped_csv(db, path, mapping, dataset=dataset, update=update)
        if "record" not in _read_header(path).split(",")[0]:
            raise ImportError_(
                f"{path}: line 1: not a Threadline CSV (no 'record' column); to import another tool's CSV, "
                "name its columns with --map date=COLUMN title=COLUMN actor=COLUMN ..."
            )
        return interchange.import_file(db, path, "csv")
    try:
        from importlib import import_module

        module = import_module(f"store.importers.{fmt}")
    except ModuleNotFoundError:
        raise ImportError_(f"the '{fmt}' importer is not available yet") from None
    if fmt in DATASET_FORMATS:
        return module.import_file(db, path, dataset=dataset, update=update)
    return module.import_file(db, path)


def import_path(
    db_path: str | Path, path: str | Path, fmt: str, mapping: list[str] | tuple = (), *, dataset: str | None = None,
    update: bool = False,
) -> ImportReport:  # fmt: skip
    db_path = Path(db_path)
    created = not db_path.exists()
    db = open_database(db_path, create=True)
    try:
        return import_into(db, path, fmt, mapping, dataset=dataset, update=update)
    except BaseException as exc:
        _close(db)  # rolls back: SQLite removes its -journal
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
        failure = write_error(db_path, exc)
        if failure is not None:
            raise failure from None
        raise
    finally:
        _close(db)


def import_undoably(db_path: str | Path, path: str | Path, fmt: str, mapping: list[str] | tuple = (),
                    save_mapping_as: str | None = None) -> tuple[ImportReport, dict[str, int]]:
    """An import into an open story, run on a worker thread with a
    connection of its own: ``(report, marks)``, where everything above the
    ``marks`` is what the import added (``store.edits.take_import`` takes it
    back out: undo). ``save_mapping_as`` keeps a CSV mapping in the file."""
    from .edits import import_marks
    from .importers.mapped_csv import save_mapping

    db = open_database(db_path)  # this thread's own connection
    try:
        marks = import_marks(db)
        report = import_into(db, path, fmt, mapping)
        if save_mapping_as and mapping:
            save_mapping(db, save_mapping_as, mapping)
        return report, marks
    finally:
        db.conn.close()


def _close(db) -> None:
    try:
        if db.conn.in_transaction:
            db.conn.rollback()
    except sqlite3.Error:
        pass
    try:
        close_database(db)
    except Exception:
        pass


def guess_format(path: str | Path) -> str:
    """The most likely import format of a file, from its first bytes."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(65536).decode("utf-8-sig", errors="replace")
    stripped = head.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        if '"format"' in head and '"threadline"' in head:
            return "json"
        if '"start_date"' in head or '"headline"' in head:
            return "timelinejs"
        if '"entity"' in head or '"belongsToStory"' in head or stripped.startswith("["):
            return "wikitimes"
        return "json"
    first = head.splitlines()[0] if head else ""
    if first.count("\t") in (56, 57, 60) and first.split("\t", 1)[0].isdigit():
        return "gdelt"
    if first.startswith("Event ID\t") and "\tSource Name\t" in first:
        return "icews"
    if first.split(",")[0].strip('"') == "record":
        return "csv"
    return "mapped-csv"


def preview_rows(path: str | Path, limit: int = 20) -> tuple[list[str], list[list[str]]]:
    """Header and first rows of a CSV/TSV, for choosing a column mapping."""
    import csv
    import itertools

    from .importers.log import Log
    from .importers.text_input import text_lines

    # read as the import will read it (Latin-1, UTF-16, CR-only lines), so the
    # preview shows "José" where the import stores "José"
    try:
        lines = itertools.islice(text_lines(path, Log(ImportReport())), limit * 4 + 1)
        sample = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    except (ImportError_, OSError):
        with open(path, "r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            sample = fh.read(65536)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    lines = list(csv.reader(sample.splitlines(), dialect))
    if not lines:
        return [], []
    return lines[0], lines[1 : limit + 1]
