"""The bundled sample story, built from the readable file in ``resources/``."""

from __future__ import annotations

from pathlib import Path

from . import interchange
from .database import StoreError, open_database

SAMPLE_JSON = Path(__file__).resolve().parent.parent / "resources" / "sample_story.json"


def write_sample(out: str | Path) -> Path:
    """Build the sample database at ``out`` (which must not exist yet)."""
    out = Path(out)
    if out.exists():
        raise StoreError(f"{out}: already exists; choose a new file name")
    tmp = out.with_name(f".{out.name}.building")
    tmp.unlink(missing_ok=True)
    try:
        db = open_database(tmp, create=True)
        interchange.import_dict(db, interchange.load_file(SAMPLE_JSON, "json"))
        db.conn.close()
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
