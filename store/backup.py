"""Saving a copy of the open database, and making a new empty one.

A live database is never copied as a file: a file copy taken while SQLite
writes (or while recent commits sit in a ``-wal`` file) can be torn or
stale. ``save_copy`` uses SQLite's online backup API, which copies a
consistent snapshot page by page, into a temporary file beside the target
that is renamed into place only when complete.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Callable

from sqlite_utils import Database

from .atomic_file import atomic_path, refuse_protected, temporary_beside
from .database import (
    StoreError,
    acquire_writer_lock,
    close_database,
    held_in_this_process,
    open_database,
)

# SQLite's files beside a database. A stale one left beside the target would
# be applied to the new file on its first open (a -journal rolled back into
# it, a -wal replayed over it), so they go before the rename.
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
BACKUP_PAGES = 1024  # pages per step, so progress can be shown on big files


def _main_file(db: Database) -> str:
    """The file ``db`` has open ('' for an in-memory database)."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or ""
    return ""


def _remove_side_files(target: Path) -> None:
    for suffix in SIDE_SUFFIXES:
        Path(str(target) + suffix).unlink(missing_ok=True)


def _refuse_open_target(target: Path, source: str) -> None:
    if source and target.exists() and os.path.samefile(source, target):
        raise StoreError(f"{target}: is the open file itself; choose another name for the copy")
    if held_in_this_process(target):
        raise StoreError(f"{target}: is open in this Threadline; close it before saving a copy over it")
    if target.exists():
        try:
            lock = acquire_writer_lock(target)
        except OSError:
            return  # nobody can hold a lock where none can be made
        if lock is None:
            raise StoreError(f"{target}: is open in another Threadline; close it there before saving over it")
        lock.release()


def save_copy(
    db: Database,
    target: str | os.PathLike,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write a consistent copy of ``db`` to ``target`` (replacing it).

    ``progress(remaining_pages, total_pages)`` is called between steps.
    The copy uses the rollback journal whatever the source uses, so it is
    one self-contained file.
    """
    target = Path(target)
    if target.is_dir():
        raise StoreError(f"{target}: is a folder; choose a file name for the copy")
    if not target.parent.is_dir():
        raise StoreError(f"{target}: the folder {target.parent} does not exist")
    _refuse_open_target(target, _main_file(db))
    with atomic_path(target, replace_database=True) as tmp:
        _backup_into(db, tmp, progress)
        _remove_side_files(target)
    return target


def _backup_into(db: Database, tmp: Path, progress) -> None:
    dst = sqlite3.connect(str(tmp))
    try:
        callback = (lambda _status, remaining, total: progress(remaining, total)) if progress else None
        db.conn.backup(dst, pages=BACKUP_PAGES, progress=callback)
        # The header says WAL when the source is in WAL mode; a copy should
        # be one file that can be mailed on its own.
        dst.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"{tmp}: the copy could not be written ({exc})") from None
    finally:
        dst.close()


def new_database(path: str | os.PathLike) -> Path:
    """Create an empty Threadline database at ``path``.

    Refuses an existing file, except a zero-byte one (which holds nothing
    to lose, and which some save dialogs create before we are called).
    The file is built beside the target and renamed into place complete.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder; choose a file name")
    if path.exists() and path.stat().st_size > 0:
        raise StoreError(f"{path}: already exists; Threadline will not overwrite a file")
    if not path.parent.is_dir():
        raise StoreError(f"{path}: the folder {path.parent} does not exist")
    refuse_protected(path)
    # locked while built, so a killed build's file is removed by the next one (see atomic_file)
    with temporary_beside(path, ".new") as (tmp, fd):
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a new database should read like any file
        try:
            close_database(open_database(tmp, create=True))  # a zero-byte file: made a Threadline file
            _fsync(tmp)
            _remove_side_files(path)
            _move_into_place(tmp, path)
        finally:
            _remove_side_files(tmp)
    return path


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _move_into_place(tmp: Path, path: Path) -> None:
    """Never replace a non-empty file that appeared at ``path`` since the check."""
    if not path.exists():
        try:
            os.link(tmp, path)  # fails if a file appeared meanwhile
            return
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
                return
    if path.stat().st_size > 0:
        raise StoreError(f"{path}: already exists; Threadline will not overwrite a file")
    os.replace(tmp, path)
