"""One writer per file: an advisory lock beside the database.

A writable open takes a lock on ``FILE.threadline-lock`` (``flock`` on POSIX,
``msvcrt.locking`` on Windows) and holds it while the database is open, so a
second Threadline window opens the file read-only instead of racing the
first one's edits. Opens of the same file within one process share the lock.

The lock file is opened without following links and must be a plain file
with one link holding at most a process id (``side_files``): a planted link
or someone else's file under that name is refused, never truncated.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from .side_files import LOCK_SUFFIX, open_side_file, read_side_file

# A lock file holds a process id; anything bigger is not one we made.
LOCK_MAX_BYTES = 64


class WriterLock:
    """This process's claim to be the one Threadline writing a file."""

    def __init__(self, key: str, path: Path):
        self._key = key
        self.path = path
        self._released = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with _held_guard:
            entry = _held.get(self._key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _held[self._key]
            _unlock(entry[0], self.path)


# key (real path of the lock file) -> [fd, how many opens share it]
_held: dict[str, list] = {}
_held_guard = threading.Lock()


def lock_path(db_path: str | os.PathLike) -> Path:
    # Absolute, so releasing after a chdir still deletes the right file.
    return Path(os.path.abspath(str(db_path) + LOCK_SUFFIX))


def _lock_key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def held_in_this_process(db_path: str | os.PathLike) -> bool:
    with _held_guard:
        return _lock_key(lock_path(db_path)) in _held


def acquire_writer_lock(db_path: str | os.PathLike) -> WriterLock | None:
    """Take the writer lock of ``db_path``; None when another process holds it.

    Raises OSError when the lock file cannot be made (a read-only folder),
    UnsafeSideFile (a StoreError) when it is a link or not a lock file.
    """
    path = lock_path(db_path)
    key = _lock_key(path)
    with _held_guard:
        entry = _held.get(key)
        if entry is not None:  # another open in this process: share it
            entry[1] += 1
            return WriterLock(key, path)
        fd = _lock(path)
        if fd is None:
            return None
        _held[key] = [fd, 1]
        return WriterLock(key, path)


def lock_holder(db_path: str | os.PathLike) -> str | None:
    """What the lock file says about its holder ("process 1234"), if anything."""
    data = read_side_file(lock_path(db_path), LOCK_MAX_BYTES)
    if data is None:
        return None
    text = data.decode("ascii", errors="replace").strip()
    return f"process {text}" if text.isdigit() else None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(path: Path) -> int | None:
        fd = open_side_file(path, os.O_RDWR | os.O_CREAT, 0o666, max_bytes=LOCK_MAX_BYTES)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            return None
        return fd

    def _unlock(fd: int, path: Path) -> None:
        # Windows cannot delete an open file, and the lock dies with the handle.
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        os.close(fd)

else:
    import errno
    import fcntl

    def _lock(path: Path) -> int | None:
        for _attempt in range(10):
            fd = open_side_file(path, os.O_RDWR | os.O_CREAT, 0o666, max_bytes=LOCK_MAX_BYTES)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    return None
                raise
            # The holder deletes the file when it lets go; if it did so between
            # our open and our lock, we locked a file nobody else will see.
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(path))
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode("ascii"))
                return fd
            os.close(fd)
        return None

    def _unlock(fd: int, path: Path) -> None:
        # Delete while still holding it (see the check in _lock), so no lock
        # files are left behind after a normal close; only if the name still
        # is our file, not something put there since.
        try:
            if os.path.samestat(os.fstat(fd), os.lstat(path)):
                path.unlink()
        except OSError:
            pass
        os.close(fd)


