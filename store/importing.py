"""One entry point for every import: pick the reader by format, write once.

The database is created when it does not exist; if the import then fails,
the new file is removed again, and an existing file is left exactly as it
was (every import is a single transaction).
"""

from __future__ import annotations

from pathlib import Path

from . import interchange, search_index
from .database import open_database
from .interchange import ImportError_, ImportReport


def _read_header(path: Path) -> str:
    with open(path, "rb") as fh:
        return fh.readline(65536).decode("utf-8-sig", errors="replace")


def import_into(db, path: str | Path, fmt: str, mapping: list[str] | tuple = ()) -> ImportReport:
    """Import in one transaction, the search index brought up to date inside it."""
    with db.atomic():
        report = _read_into(db, path, fmt, mapping)
        search_index.index_unindexed(db)
    return report


def _read_into(db, path: str | Path, fmt: str, mapping) -> ImportReport:
    path = Path(path)
    if not path.exists():
        raise ImportError_(f"{path}: no such file")
    if fmt == "json":
        return interchange.import_file(db, path, "json")
    if fmt == "csv":
        if mapping:
            from .importers.mapped_csv import import_mapped_csv

            return import_mapped_csv(db, path, mapping)
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
    return module.import_file(db, path)


def import_path(db_path: str | Path, path: str | Path, fmt: str, mapping: list[str] | tuple = ()) -> ImportReport:
    db_path = Path(db_path)
    created = not db_path.exists()
    db = open_database(db_path, create=True)
    try:
        return import_into(db, path, fmt, mapping)
    except BaseException:
        db.conn.close()
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
        raise
    finally:
        try:
            db.conn.close()
        except Exception:
            pass
