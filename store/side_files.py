"""The files beside a database, opened without following links.

A database travels with files beside it: SQLite's ``-journal``, ``-wal`` and
``-shm``, and Threadline's own lock (``.threadline-lock``) and cache
(``.threadline-cache``). A downloaded archive can carry any of these names
as a symbolic link, a hard link to a file elsewhere, a folder or a FIFO;
following one would make Threadline write a process id, a cache or a journal
into a file it was never asked to touch, or hang reading a FIFO. So each is
opened with ``O_NOFOLLOW`` (and ``O_NONBLOCK``, so a FIFO cannot block),
must be a regular file with one link, and is refused otherwise, with a
message naming it; nothing of it is changed.

``check_companions`` looks at all of them (``lstat``, never following)
before a database is opened, so a planted link refuses the file before
SQLite, which follows links, could write through it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .query_guard import StoreError

SQLITE_SUFFIXES = ("-journal", "-wal", "-shm")
LOCK_SUFFIX = ".threadline-lock"
CACHE_SUFFIX = ".threadline-cache"
COMPANION_SUFFIXES = SQLITE_SUFFIXES + (LOCK_SUFFIX, CACHE_SUFFIX)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafeSideFile(StoreError):
    """A file beside a database is a link, a folder or a device: not used."""


def companions(db_path: str | os.PathLike) -> list[Path]:
    """Every file that belongs beside ``db_path`` (whether it exists or not)."""
    return [Path(str(db_path) + suffix) for suffix in COMPANION_SUFFIXES]


def _what(mode: int, nlink: int) -> str | None:
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, FIFO or socket)"
    if nlink > 1:
        return "is a hard link to another file"
    return None


def _refusal(path: Path, what: str) -> UnsafeSideFile:
    return UnsafeSideFile(
        f"{path}: {what}; Threadline does not follow links or use special files beside a database "
        "(remove it, then try again)"
    )


def check_side_file(path: str | os.PathLike) -> None:
    """Raise UnsafeSideFile unless ``path`` is missing or a plain file with one link."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafeSideFile(f"{path}: cannot be examined ({exc.strerror or exc})") from None
    what = _what(st.st_mode, st.st_nlink)
    if what:
        raise _refusal(path, what)


def check_companions(db_path: str | os.PathLike) -> None:
    """Check the files beside ``db_path`` and, when it is a link, beside the
    file it leads to (where SQLite keeps its journal)."""
    names = {os.path.abspath(db_path), os.path.realpath(db_path)}
    for name in sorted(names):
        for path in companions(name):
            check_side_file(path)


def open_side_file(path: str | os.PathLike, flags: int, mode: int = 0o666, *, max_bytes: int | None = None) -> int:
    """``os.open`` that never follows a link and never blocks on a FIFO; the
    result is a regular file with one link (and at most ``max_bytes``), or
    UnsafeSideFile is raised and nothing was changed. Never pass O_TRUNC:
    truncate only after this check."""
    path = Path(path)
    if flags & os.O_TRUNC:
        raise ValueError("open_side_file never truncates before checking")
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refusal(path, "is a symbolic link") from None
        if exc.errno in (errno.ENXIO, errno.EISDIR):
            raise _refusal(path, "is not a regular file") from None
        raise
    try:
        st = os.fstat(fd)
        what = _what(st.st_mode, st.st_nlink)
        if what is None and max_bytes is not None and st.st_size > max_bytes:
            what = f"is {st.st_size} bytes, not a file Threadline made"
        if what:
            raise _refusal(path, what)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_side_file(path: str | os.PathLike, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a plain file beside a database; None when it
    is missing, unsafe or unreadable."""
    try:
        fd = open_side_file(path, os.O_RDONLY)
    except (OSError, UnsafeSideFile):
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read(limit)
