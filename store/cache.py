"""A cache of the timeline arrays beside the database, that never goes stale.

Opening a million-event file means reading three million rows through
SQLite; the second open should not. The arrays ``load_timeline_data`` builds
are written to ``FILE.db.threadline-cache`` beside the file (never into it:
a read-only open must not write the database, and the database should not
grow by a copy of itself). The cache is used only when its key equals the
file's key *now*. The key is made of things that every writer changes:

* ``meta.generation``: bumped by every Threadline write, inside the same
  transaction (``bump_generation``), so it is part of the data itself and
  travels with the file (a backup restored with its old times and size is
  still told apart from an edited copy);
* the SQLite header's *file change counter* (bytes 24-27), which SQLite
  increments on every committed write transaction in rollback-journal mode,
  whichever program wrote (sqlite3 CLI, Datasette, a script), plus the page
  count: it is inside the file too, so copying tools cannot fake it;
* the file's size, modification time (ns) and inode, which catch writers
  that bypass the counter (exclusive locking mode, a replaced file).

A file with a non-empty ``-wal`` beside it is never cached or read from the
cache: its newest commits live in the WAL, where neither the counter nor the
file's time says anything reliable. (Threadline itself keeps the rollback
journal; see database.py.) The key is taken before the rows are read and
again after; the cache is written only when the two agree, so a write that
raced with our read never produces a cache.

The file holds a small JSON header (key, array layout, actor names and an
Adler-32 checksum of the payload) and the raw arrays. Reading it is one
``readinto`` and zero-copy ``frombuffer`` views; a torn or foreign file
fails the checksum and is ignored. Writes go to a temporary file renamed
into place, so a reader never sees half a cache.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

CACHE_SUFFIX = ".threadline-cache"
MAGIC = b"THREADLINE-CACHE"
FORMAT = 5  # bump when the arrays or their meaning change
ALIGN = 64
DISABLE_ENV = "THREADLINE_NO_CACHE"  # set to 1 to neither read nor write caches


# ---------------------------------------------------------------- generation


def bump_generation(db) -> None:
    """Mark the data as changed. Call inside the writing transaction, so the
    bump commits (or rolls back) together with the change itself."""
    db.conn.execute(
        "INSERT INTO meta (key, value) VALUES ('generation', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
    )


def current_generation(db) -> int:
    try:
        row = db.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    except sqlite3.Error:
        return -1
    try:
        return int(row[0]) if row and row[0] is not None else 0
    except (TypeError, ValueError):
        return -1


# ---------------------------------------------------------------- key


def database_file(db) -> Path | None:
    """The main file of a connection; None for in-memory and temporary databases."""
    try:
        for _seq, name, file in db.conn.execute("PRAGMA database_list").fetchall():
            if name == "main":
                return Path(file) if file else None
    except sqlite3.Error:
        return None
    return None


def cache_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + CACHE_SUFFIX)


def _wal_in_use(db_file: Path) -> bool:
    try:
        return os.stat(str(db_file) + "-wal").st_size > 0
    except OSError:
        return False


def file_key(db_file: Path) -> dict | None:
    """The parts of the key that the file itself shows, without SQLite; None
    when caching is unsafe (a WAL in use, caching disabled, no file)."""
    if os.environ.get(DISABLE_ENV) or _wal_in_use(db_file):
        return None
    try:
        st = os.stat(db_file)
        with open(db_file, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 100:
        return None
    change_counter, page_count = struct.unpack(">II", header[24:32])
    return {
        "format": FORMAT,
        "change_counter": change_counter,
        "page_count": page_count,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "inode": st.st_ino,
        "device": st.st_dev,
    }


def cache_key(db, db_file: Path) -> dict | None:
    """What must be equal for a cache to be valid; None when caching is unsafe."""
    key = file_key(db_file)
    if key is not None:
        key["generation"] = current_generation(db)
    return key


# ---------------------------------------------------------------- file format


def _pad(n: int) -> int:
    return (-n) % ALIGN


def write_cache(path: Path, key: dict, arrays: dict[str, np.ndarray], extra: dict) -> bool:
    """Write arrays and a JSON-able ``extra`` under ``key``; False if it could not be written."""
    layout, offset = [], 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        arrays[name] = arr
        layout.append({"name": name, "dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset})
        offset += arr.nbytes + _pad(arr.nbytes)
    checksum = 1
    for arr in arrays.values():
        checksum = zlib.adler32(memoryview(arr).cast("B"), checksum)
    header = json.dumps({"key": key, "arrays": layout, "extra": extra, "payload": offset, "adler32": checksum}).encode()
    lead = MAGIC + struct.pack("<Q", len(header)) + header
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError:
        return False  # a read-only folder: no cache, nothing else changes
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(lead + b"\0" * _pad(len(lead)))
            for arr in arrays.values():
                fh.write(memoryview(arr).cast("B"))
                fh.write(b"\0" * _pad(arr.nbytes))
        os.replace(tmp, path)
        return True
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False


def _read_header(fh) -> dict | None:
    lead = fh.read(len(MAGIC) + 8)
    if len(lead) < len(MAGIC) + 8 or not lead.startswith(MAGIC):
        return None
    (size,) = struct.unpack("<Q", lead[len(MAGIC):])
    if size > 64 * 1024 * 1024:
        return None
    try:
        header = json.loads(fh.read(size))
    except ValueError:
        return None
    fh.seek(_pad(len(lead) + size), os.SEEK_CUR)
    return header if isinstance(header, dict) else None


def read_cache(path: Path, key: dict) -> tuple[dict[str, np.ndarray], dict] | None:
    """The arrays and extra stored under ``key``, or None (missing, stale, damaged)."""
    try:
        with open(path, "rb") as fh:
            header = _read_header(fh)
            if header is None or header.get("key") != key:
                return None
            buffer = bytearray(int(header["payload"]))
            if fh.readinto(buffer) != len(buffer):
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    arrays, checksum = {}, 1
    try:
        for spec in header["arrays"]:
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            arr = np.frombuffer(buffer, dtype=dtype, count=count, offset=int(spec["offset"])).reshape(spec["shape"])
            checksum = zlib.adler32(memoryview(arr).cast("B"), checksum)
            arrays[spec["name"]] = arr
    except (ValueError, KeyError, TypeError):
        return None
    if checksum != header.get("adler32"):
        return None
    return arrays, header.get("extra") or {}


def unchanged_since_cached(db_file: Path) -> bool:
    """Whether the file is byte for byte as when its cache was written, as far
    as SQLite's header and the file system can tell (counter, pages, size,
    time, inode), without opening it with SQLite. Meant for ``open_database``:
    a file that passed its checks when the cache was made and has not changed
    since need not be ``quick_check``-ed again (that check reads every page:
    about 1 s per 400 MB)."""
    db_file = Path(db_file)
    try:
        with open(cache_path(db_file), "rb") as fh:
            header = _read_header(fh)
    except OSError:
        return False
    if header is None or not isinstance(header.get("key"), dict):
        return False
    stored, now = header["key"], file_key(db_file)
    return now is not None and all(stored.get(k) == v for k, v in now.items())


def remove_cache(db_file: Path) -> None:
    cache_path(db_file).unlink(missing_ok=True)
