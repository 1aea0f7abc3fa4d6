"""Noticing that the open file changed under us.

Two different things can happen while a file is open in the window:

* another connection wrote to it (a command-line import, a second
  Threadline, Datasette): the file is the same, its contents are newer than
  what the window shows. SQLite tells us through ``PRAGMA data_version``,
  which changes on *our* connection when *another* connection commits, and
  never for our own commits; so our own edits are not mistaken for
  someone else's.
* the file was replaced (saved over by a sync client, moved away and a new
  one put in its place, deleted): the path now names another inode than
  the one our connection has open. Writing then would go to a file nobody
  will see again, so ``check_same_file`` refuses before a write.

Both checks are a ``stat`` and a pragma: cheap enough for a timer or for
every window activation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlite_utils import Database

from .database import StoreError


class Change(str, Enum):
    WRITTEN = "written"  # same file, another connection committed to it
    REPLACED = "replaced"  # the path now names another file
    MISSING = "missing"  # the path names no file at all


@dataclass(frozen=True)
class FileIdentity:
    """Which file a path named, and how it looked, when we opened it."""

    path: str
    device: int
    inode: int
    size: int
    mtime_ns: int
    data_version: int | None = None  # of our connection, when a db was given

    @classmethod
    def of(cls, path: str | os.PathLike, db: Database | None = None) -> "FileIdentity":
        """Take it right after opening (and again after a reload)."""
        st = os.stat(path)
        version = data_version(db) if db is not None else None
        return cls(str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, version)

    def names_same_file(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino) == (self.device, self.inode)


def data_version(db: Database) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


def changed_since(identity: FileIdentity, db: Database | None = None) -> Change | None:
    """What happened to the file since ``identity`` was taken; None if nothing.

    With ``db`` (the connection the identity was taken with), a write is
    known from ``data_version``, so our own commits do not count. Without
    it, any change of size or modification time counts as a write.
    """
    try:
        st = os.stat(identity.path)
    except FileNotFoundError:
        return Change.MISSING
    if not identity.names_same_file(st):
        return Change.REPLACED
    if db is not None and identity.data_version is not None:
        return Change.WRITTEN if data_version(db) != identity.data_version else None
    if (st.st_size, st.st_mtime_ns) != (identity.size, identity.mtime_ns):
        return Change.WRITTEN
    return None


def check_same_file(db: Database, path: str | os.PathLike, identity: FileIdentity) -> None:
    """Raise StoreError if ``path`` no longer names the file ``db`` has open.

    Call before every write: SQLite would happily write to the old file,
    which is no longer reachable by its name, and the edit would be lost.
    ``db`` is the database open on ``identity``'s file; it is not written.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise StoreError(
            f"{path}: was moved or deleted on disk; save a copy of what is open, or reopen the file"
        ) from None
    if not identity.names_same_file(st):
        raise StoreError(
            f"{path}: was replaced on disk by another program; reload it (or save a copy of what is open) "
            "before editing"
        )
