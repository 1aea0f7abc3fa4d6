"""Writing output files so that a failure never leaves half a file behind.

We write beside the target (same folder, so the rename cannot cross file
systems), flush to disk, then rename over the target in one step. A failure
(a full disk, a read-only file system, a missing folder) is one line naming
the file, and the temporary file is removed.

The temporary file, ``.NAME.XXXX.part``, is locked (``flock``) while it is
written. A process killed mid-export cannot remove its own, so the next
write to the same target removes the ones nobody holds any more: hidden
partial exports do not pile up (a killed 1.5 GB export stays only until the
next export of that name).

An output can never be a database open in this process nor a file beside
one (its ``-journal``, ``-wal``, ``-shm``, lock or cache), whatever path or
link leads to it: ``protect`` registers an open database, and every target
is compared with it by device and inode and by real path. An export never
replaces any SQLite database (another program may have it open), nor a
file named as one beside an existing file; only Save a copy may replace a
database, one not open in this process.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .query_guard import StoreError
from .side_files import COMPANION_SUFFIXES

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

# A .part file nobody holds a lock on, older than this, was left by a killed
# writer (a live one locks it at once after making it).
STALE_PART_SECONDS = 10.0

COMPANION_NAMES = {
    "-journal": "rollback journal (-journal)", "-wal": "write-ahead log (-wal)", "-shm": "shared-memory index (-shm)",
    ".threadline-lock": "writer lock file", ".threadline-cache": "timeline cache",
}  # fmt: skip


class AtomicFileError(StoreError):
    """An output could not be written (or must not be); nothing was changed."""


# ---------------------------------------------------------------- protected files

_protected: dict[int, Path] = {}
_protected_guard = threading.Lock()
_next_token = [0]


def protect(db_path: str | os.PathLike) -> int:
    """Refuse outputs onto ``db_path`` and its companions until ``unprotect``."""
    with _protected_guard:
        _next_token[0] += 1
        _protected[_next_token[0]] = Path(os.path.abspath(db_path))
        return _next_token[0]


def unprotect(token: int) -> None:
    with _protected_guard:
        _protected.pop(token, None)


def _same(a: Path, b: Path) -> bool:
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samestat(os.stat(a), os.stat(b))
    except OSError:
        return False


def _is_sqlite(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def refuse_protected(target: str | os.PathLike, databases=(), *, replace_database: bool = False) -> None:
    """Raise AtomicFileError when ``target`` is one of ``databases`` (or a
    database open in this process) or a file beside one; unless
    ``replace_database`` (Save a copy), also when it is any SQLite database
    or a file beside an existing one (another program may have it open)."""
    target = Path(target)
    with _protected_guard:
        dbs = list(_protected.values())
    dbs += [Path(os.path.abspath(d)) for d in databases if d]
    dbs += [Path(os.path.realpath(d)) for d in dbs]  # a linked database keeps its journal beside the real file
    for db in dict.fromkeys(dbs):
        if _same(target, db):
            raise AtomicFileError(
                f"{target}: is the database {db} itself; choose another file for the output (nothing was written)"
            )
        for suffix in COMPANION_SUFFIXES:
            if _same(target, Path(str(db) + suffix)):
                raise AtomicFileError(
                    f"{target}: is the {COMPANION_NAMES[suffix]} of the database {db}; "
                    "choose another file for the output (nothing was written)"
                )
    if not replace_database:
        if _is_sqlite(target):
            raise AtomicFileError(
                f"{target}: is a SQLite database; an export never replaces a database (choose another file; "
                "nothing was written)"
            )
        for suffix in COMPANION_SUFFIXES:
            base = str(target)[: -len(suffix)] if str(target).endswith(suffix) else None
            if base and os.path.isfile(base):
                raise AtomicFileError(
                    f"{target}: is the {COMPANION_NAMES[suffix]} of the database {base}; "
                    "choose another file for the output (nothing was written)"
                )

# ---------------------------------------------------------------- stale temporaries


def _lock_nb(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def remove_stale_parts(target: str | os.PathLike, suffix: str = ".part") -> int:
    """Remove ``.TARGET.*.part`` files left by killed writers: plain files of
    ours that nobody holds locked, older than STALE_PART_SECONDS. Returns how
    many were removed."""
    target = Path(target)
    if fcntl is None:
        return 0
    removed = 0
    pattern = os.path.join(glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*{glob.escape(suffix)}")
    for name in glob.glob(pattern):
        try:
            st = os.lstat(name)
            if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1 or st.st_uid != os.getuid():
                continue
            if time.time() - st.st_mtime < STALE_PART_SECONDS:
                continue
            fd = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if _lock_nb(fd) and os.path.samestat(os.fstat(fd), os.lstat(name)):
                os.unlink(name)
                removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


# ---------------------------------------------------------------- writing


def _error(target: Path, exc: OSError) -> AtomicFileError:
    reason = exc.strerror or str(exc)
    return AtomicFileError(f"{target}: could not be written: {reason[:1].lower() + reason[1:]} (nothing was changed)")


@contextmanager
def temporary_beside(target: str | os.PathLike, suffix: str = ".part"):
    """Yield a fresh, locked, empty temporary path beside ``target``; it is
    removed afterwards unless the caller moved it. Stale ones of earlier,
    killed writers are removed first."""
    target = Path(target)
    if not target.parent.is_dir():
        raise AtomicFileError(f"{target}: cannot be written: the folder {target.parent} does not exist")
    remove_stale_parts(target, suffix)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise _error(target, exc) from None
    try:
        _lock_nb(fd)  # held until the end: tells a live writer's file from a killed one's
        yield Path(tmp), fd
    finally:
        try:
            Path(tmp).unlink(missing_ok=True)
        except OSError:
            pass
        os.close(fd)


@contextmanager
def atomic_path(
    target: str | os.PathLike, *, databases=(), check_protected: bool = True, sync: bool = True,
    replace_database: bool = False,
):
    """Yield a temporary path to write; it replaces ``target`` only on success.

    Refuses (AtomicFileError) a target that is one of ``databases``, a
    database open in this process, or a file beside one; and reports a write
    that fails (full disk, read-only file system) the same way. ``sync``
    flushes the file to disk before the rename (a cache, rebuilt when lost,
    need not wait for that)."""
    target = Path(target)
    if check_protected:
        refuse_protected(target, databases, replace_database=replace_database)
    with temporary_beside(target) as (tmp, fd):
        umask = os.umask(0)
        os.umask(umask)
        try:
            os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a user's export should read like any file
        except OSError:
            pass
        try:
            yield tmp
            if sync:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
            if check_protected:
                refuse_protected(target, databases, replace_database=replace_database)  # a link planted while we wrote
            os.replace(tmp, target)
        except OSError as exc:
            raise _error(target, exc) from None


def atomic_write_bytes(target: str | os.PathLike, data: bytes, *, databases=()) -> None:
    with atomic_path(target, databases=databases) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(target: str | os.PathLike, text: str, *, databases=()) -> None:
    atomic_write_bytes(target, text.encode("utf-8"), databases=databases)
