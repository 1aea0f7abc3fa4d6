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
from .interchange import ImportError_ as ExportError  # same one-line error type

OWN_FORMATS = ("json", "csv")


def export_path(db: Database, fmt: str, out: str | Path, window=(None, None), include_text: bool = False) -> None:
    # before any work: an output is never the database or a file beside it
    refuse_protected(out, [database_file(db)])
    if fmt in OWN_FORMATS:
        interchange.export_file(db, fmt, out, include_text)
        return
    module_name = fmt.replace("-", "_")
    try:
        module = import_module(f"store.exporters.{module_name}")
    except ModuleNotFoundError:
        raise ExportError(f"the '{fmt}' exporter is not available yet") from None
    module.export_file(db, out, window=window)
