"""Taking back an import, and putting it back: an import as one undoable step.

An import only adds rows (records it has seen before are skipped, never
changed), so what it added is every row past the high-water marks taken
just before it, in the same connection. ``take_import`` removes those rows
and returns them; ``restore_import`` puts them back with the same ids. Each
is one transaction that keeps the search index in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from ..writing import changing, write
from .rows import fetch_rows

# children before parents: deleting in this order never leaves a dangling link
TABLES = ("relationship_events", "event_sources", "event_actors", "relationships", "events", "sources", "documents",
          "actors")  # documents: rebuilt from the text a JSON/CSV export carries


def import_marks(db: Database) -> dict[str, int]:
    """The highest rowid of every record table: what an import adds lies above."""
    return {t: db.execute(f"SELECT coalesce(max(rowid), 0) FROM [{t}]").fetchone()[0] for t in TABLES}


@dataclass
class ImportedRows:
    marks: dict[str, int]
    rows: dict[str, tuple[dict, ...]]

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def take_import(db: Database, marks: dict[str, int]) -> ImportedRows:
    """Remove everything added since ``marks`` (one transaction); returns it for ``restore_import``."""
    with write(db, "take import"):
        taken = {t: fetch_rows(db, f"SELECT rowid AS _rowid_, * FROM [{t}] WHERE rowid > ?", [marks[t]]) for t in TABLES}
        for table in ("events", "actors", "documents"):
            changing(db, table, [r["id"] for r in taken[table]])
        for t in TABLES:
            db.execute(f"DELETE FROM [{t}] WHERE rowid > ?", [marks[t]])
    return ImportedRows(dict(marks), taken)


def restore_import(db: Database, imported: ImportedRows) -> None:
    """Put taken rows back with their ids (one transaction)."""
    with write(db, "restore import"):
        for t in reversed(TABLES):
            for row in imported.rows[t]:
                cols = list(row)
                names = ", ".join("rowid" if c == "_rowid_" else f"[{c}]" for c in cols)
                db.execute(f"INSERT INTO [{t}] ({names}) VALUES ({', '.join('?' * len(cols))})", [row[c] for c in cols])
        for table in ("events", "actors", "documents"):
            changing(db, table, [r["id"] for r in imported.rows[table]])
