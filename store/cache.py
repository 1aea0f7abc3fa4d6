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

The file holds a small JSON header (key, array layout, actor names, the
check the file had passed, and a keyed BLAKE2b digest of the payload), a
keyed digest of that header, and the raw arrays. The digests are keyed
with a secret of the user's own (``cache-key`` in the user's data folder,
readable by the user only), so a cache crafted by anyone else who can
write beside the database (names swapped, a damaged file vouched for) is
ignored like a torn one: everything a cache restores, names included, is
covered. The cache is opened without following links (``side_files``),
and every size it declares is checked against the file's real size before
anything is allocated. Reading it is one ``readinto`` and zero-copy
``frombuffer`` views. Writes go to a temporary file renamed into place, so
a reader never sees half a cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import struct
from pathlib import Path

import numpy as np

from .side_files import CACHE_SUFFIX, UnsafeSideFile, open_side_file

MAGIC = b"THREADLINE-CACHE"
FORMAT = 7  # bump when the arrays or their meaning change
DIGEST = 32  # bytes of each keyed BLAKE2b digest
MAX_HEADER = 64 * 1024 * 1024
# The dtypes a cache may hold: plain numbers (never objects, never bytes
# strings whose length a header could set).
CACHE_KINDS = "biuf"
CHECK_LEVELS = ("quick", "integrity")  # what the file had passed when cached, weakest first
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


# ---------------------------------------------------------------- the secret


def secret_path() -> Path:
    from .user_folders import user_data_dir

    return user_data_dir() / "cache-key"


_secret: dict[str, bytes] = {}


def _read_secret(path: Path) -> bytes | None:
    try:
        fd = open_side_file(path, os.O_RDONLY, max_bytes=DIGEST)
    except (OSError, UnsafeSideFile):
        return None
    try:
        st = os.fstat(fd)
        if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None  # someone else could know or set it
        data = os.read(fd, DIGEST + 1)
    finally:
        os.close(fd)
    return data if len(data) == DIGEST else None


def _make_secret(path: Path) -> None:
    """A fresh random secret, put in place whole (link, so two processes
    starting together agree on one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(DIGEST))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def cache_secret() -> bytes | None:
    """The user's key for cache digests; None (no caching) when it cannot be
    read or made safely."""
    path = secret_path()
    found = _secret.get(str(path))
    if found is not None:
        return found
    found = _read_secret(path)
    if found is None and not os.path.lexists(path):
        try:
            _make_secret(path)
        except OSError:
            return None
        found = _read_secret(path)
    if found is not None:
        _secret[str(path)] = found
    return found


def _digest(secret: bytes, *parts) -> bytes:
    h = hashlib.blake2b(key=secret, digest_size=DIGEST)
    for part in parts:
        h.update(part)
    return h.digest()


# ---------------------------------------------------------------- file format
#
#   MAGIC | u64 header length | header JSON | digest(MAGIC, length, header) | pad | arrays, each padded
#
# The header holds the payload's digest, so the header's digest covers all.


def _pad(n: int) -> int:
    return (-n) % ALIGN


def write_cache(path: Path, key: dict, arrays: dict[str, np.ndarray], extra: dict, checked: str = "quick") -> bool:
    """Write arrays and a JSON-able ``extra`` under ``key``; False if it could
    not be written. ``checked`` names the check the file passed
    (``CHECK_LEVELS``), which ``verified_level`` reports while it is unchanged."""
    secret = cache_secret()
    if secret is None:
        return False
    layout, offset = [], 0
    payload = hashlib.blake2b(key=secret, digest_size=DIGEST)
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        arrays[name] = arr
        layout.append({"name": name, "dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset})
        payload.update(memoryview(arr).cast("B"))
        payload.update(b"\0" * _pad(arr.nbytes))
        offset += arr.nbytes + _pad(arr.nbytes)
    header = json.dumps({
        "key": key, "arrays": layout, "extra": extra, "payload": offset, "checked": checked,
        "payload_digest": payload.hexdigest(),
    }).encode()
    lead = MAGIC + struct.pack("<Q", len(header)) + header
    lead += _digest(secret, lead)
    from .atomic_file import AtomicFileError, atomic_path

    try:
        with atomic_path(path, check_protected=False, sync=False) as tmp, open(tmp, "wb") as fh:
            fh.write(lead + b"\0" * _pad(len(lead)))
            for arr in arrays.values():
                fh.write(memoryview(arr).cast("B"))
                fh.write(b"\0" * _pad(arr.nbytes))
        return True
    except (OSError, AtomicFileError):
        return False  # a read-only folder, a full disk: no cache, nothing else changes


def _open_cache(path: Path):
    """The cache file opened safely, and its size; None if missing or unsafe."""
    try:
        fd = open_side_file(path, os.O_RDONLY)
    except (OSError, UnsafeSideFile):
        return None
    fh = os.fdopen(fd, "rb")
    return fh, os.fstat(fd).st_size


def _read_header(fh, size: int, secret: bytes) -> tuple[dict, int] | None:
    """The header, if its digest is ours, and where the payload starts."""
    lead = fh.read(len(MAGIC) + 8)
    if len(lead) < len(MAGIC) + 8 or not lead.startswith(MAGIC):
        return None
    (length,) = struct.unpack("<Q", lead[len(MAGIC):])
    if length > min(MAX_HEADER, size):
        return None
    text = fh.read(length)
    mac = fh.read(DIGEST)
    if len(text) != length or len(mac) != DIGEST or not hmac.compare_digest(mac, _digest(secret, lead, text)):
        return None
    try:
        header = json.loads(text)
    except ValueError:
        return None
    start = len(lead) + length + DIGEST
    start += _pad(start)
    return (header, start) if isinstance(header, dict) else None


def _arrays(header: dict, buffer: bytearray) -> dict[str, np.ndarray] | None:
    arrays = {}
    try:
        for spec in header["arrays"]:
            dtype = np.dtype(spec["dtype"])
            shape = [int(n) for n in spec["shape"]]
            offset = int(spec["offset"])
            if dtype.kind not in CACHE_KINDS or min(shape, default=0) < 0 or offset < 0:
                return None
            count = int(np.prod(shape, dtype=np.int64))
            if offset + count * dtype.itemsize > len(buffer):
                return None
            arrays[str(spec["name"])] = np.frombuffer(buffer, dtype=dtype, count=count, offset=offset).reshape(shape)
    except (ValueError, KeyError, TypeError, OverflowError):
        return None
    return arrays


def read_cache(path: Path, key: dict) -> tuple[dict[str, np.ndarray], dict] | None:
    """The arrays and extra stored under ``key``, or None (missing, stale,
    damaged, not made by this user's Threadline)."""
    secret = cache_secret()
    opened = _open_cache(path) if secret is not None else None
    if opened is None:
        return None
    fh, size = opened
    try:
        with fh:
            found = _read_header(fh, size, secret)
            if found is None:
                return None
            header, start = found
            if header.get("key") != key:
                return None
            payload = header.get("payload")
            if not isinstance(payload, int) or payload < 0 or start + payload != size:
                return None  # a size the file does not have: never allocated
            fh.seek(start)
            buffer = bytearray(payload)
            if fh.readinto(buffer) != payload:
                return None
    except (OSError, ValueError, MemoryError):
        return None
    if not hmac.compare_digest(_digest(secret, buffer).hex(), str(header.get("payload_digest"))):
        return None
    arrays = _arrays(header, buffer)
    if arrays is None:
        return None
    extra = header.get("extra")
    return arrays, extra if isinstance(extra, dict) else {}


def verified_level(db_file: Path) -> str | None:
    """The check (``CHECK_LEVELS``) the file passed when its cache was written,
    if it is byte for byte as then, as far as SQLite's header and the file
    system can tell (counter, pages, size, time, inode), without opening it
    with SQLite; None otherwise. A file that passed its checks when the cache
    was made and has not changed since need not be read page by page again
    (``quick_check`` takes about 1 s per 400 MB, ``integrity_check`` four
    times that). Only a cache whose digest is the user's own vouches."""
    secret = cache_secret()
    opened = _open_cache(cache_path(Path(db_file))) if secret is not None else None
    if opened is None:
        return None
    fh, size = opened
    try:
        with fh:
            found = _read_header(fh, size, secret)
    except OSError:
        return None
    if found is None or not isinstance(found[0].get("key"), dict):
        return None
    header = found[0]
    stored, now = header["key"], file_key(Path(db_file))
    if now is None or not all(stored.get(k) == v for k, v in now.items()):
        return None
    level = header.get("checked")
    return level if level in CHECK_LEVELS else None


def unchanged_since_cached(db_file: Path, level: str = "quick") -> bool:
    """Whether the file is unchanged since a cache vouched it passed ``level``."""
    found = verified_level(db_file)
    return found is not None and CHECK_LEVELS.index(found) >= CHECK_LEVELS.index(level)


def remove_cache(db_file: Path) -> None:
    cache_path(db_file).unlink(missing_ok=True)
