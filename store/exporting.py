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
from .row_checks import check_bounds, db_name
from .interchange import ImportError_ as ExportError  # same one-line error type

OWN_FORMATS = ("json", "csv")



def export_path(db: Database, fmt: str, out: str | Path, window=(None, None)) -> None:
    if fmt in OWN_FORMATS:
        interchange.export_file(db, fmt, out)
        return
    check_bounds(db, db_name(db))  # a bound no Threadline wrote: one line naming its row, not a traceback
    module_name = fmt.replace("-", "_")
    try:
        module = import_module(f"store.exporters.{module_name}")
    except ModuleNotFoundError:
        raise ExportError(f"the '{fmt}' exporter is not available yet") from None
    module.export_file(db, out, window=window)
