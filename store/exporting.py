"""One entry point for every export: pick the writer by format.

Every writer produces the whole output in memory or in a temporary file
and renames it over the target at the end, so a failed export never leaves
half a file.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from sqlite_utils import Database

from . import interchange
from .atomic_file import refuse_protected
from .cache import database_file
from .query_guard import QueryTimeout, StoreError, query_guard
from .row_checks import check_bounds, db_name
from .interchange import ExportError

OWN_FORMATS = ("json", "csv")


# An export's reads may take this long plus EXPORT_SECONDS_PER_GB of the
# file (a million events export in a few seconds): past it they are stopped
# and nothing is written.
EXPORT_SECONDS = 60.0
EXPORT_SECONDS_PER_GB = 120.0


def export_seconds(db: Database) -> float:
    try:
        size = Path(db_name(db)).stat().st_size
    except OSError:
        size = 0
    return EXPORT_SECONDS + EXPORT_SECONDS_PER_GB * size / 1e9


def export_path(db: Database, fmt: str, out: str | Path, window=(None, None), include_text: bool = False) -> None:
    """Write ``db`` as ``fmt`` to ``out``, its reads under a deadline."""
    # before any work: an output is never the database or a file beside it
    refuse_protected(out, [database_file(db)])
    seconds = export_seconds(db)
    try:
        with query_guard(db).deadline(seconds):
            _export(db, fmt, out, window, include_text)
    except QueryTimeout:
        raise StoreError(
            f"{db_name(db)}: reading it for the export took longer than {seconds:.0f} s and was stopped; "
            f"{out} was not written"
        ) from None


def _export(db: Database, fmt: str, out: str | Path, window, include_text: bool = False) -> None:
    if fmt in OWN_FORMATS:
        interchange.export_file(db, fmt, out, include_text)
        return
    check_bounds(db, db_name(db))  # a bound no Threadline wrote: one line naming its row, not a traceback
    module_name = fmt.replace("-", "_")
    try:
        module = import_module(f"store.exporters.{module_name}")
    except ModuleNotFoundError:
        raise ExportError(f"the '{fmt}' exporter is not available yet") from None
    module.export_file(db, out, window=window)
