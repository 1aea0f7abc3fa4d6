"""Finding or creating the actors and sources an import names, so that a
second import of the same data adds nothing, and ImportBooks, which bundles
them with the event writer for an importer.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import records
from ..interchange import ImportReport
from ..schema import ACTOR_KINDS
from .log import Log
from .writer import EventWriter


class ActorBook:
    """Finds or creates actors. Data-set actors are matched by external_id;
    failing that, an actor of the same name that came from no data set
    (external_id NULL) is taken to be the same one. A name already used by
    a different actor gets a suffix in brackets, so nothing collides."""

    def __init__(self, db, report: ImportReport):
        self.conn = db.conn
        self.report = report
        self.by_external: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.created: list[int] = []

    def _lookup_external(self, external_id: str) -> int | None:
        if external_id not in self.by_external:
            row = self.conn.execute("SELECT id FROM actors WHERE external_id = ?", [external_id]).fetchone()
            if row is None:
                return None
            self.by_external[external_id] = row[0]
        return self.by_external[external_id]

    def name_taken(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM actors WHERE name = ?", [name]).fetchone() is not None

    def free_name(self, name: str, suffix: str) -> str:
        """name, else "name (suffix)", else "name (suffix 2)", ..."""
        if not self.name_taken(name):
            return name
        candidate, n = f"{name} ({suffix})", 1
        while self.name_taken(candidate):
            n += 1
            candidate = f"{name} ({suffix} {n})"
        return candidate

    def insert(
        self, name: str, kind: str, *, external_id=None, country=None, aliases=(), notes=None, attributes=None
    ) -> int:
        assert kind in ACTOR_KINDS, kind
        aliases_json = json.dumps(list(aliases), ensure_ascii=False) if aliases else None
        attributes_json = json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else None
        cursor = self.conn.execute(
            "INSERT INTO actors (name, kind, country, aliases, notes, external_id, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, kind, country, aliases_json, notes, external_id, attributes_json],
        )
        self.report.actors_added += 1
        self.created.append(cursor.lastrowid)
        return cursor.lastrowid

    def external(self, external_id: str, name: str, kind: str, *, suffix: str, **fields) -> int:
        """The actor of a data set's identity, created under a free name."""
        found = self._lookup_external(external_id)
        if found is not None:
            return found
        row = self.conn.execute("SELECT id, external_id FROM actors WHERE name = ?", [name]).fetchone()
        if row is not None and row[1] is None:
            actor_id = row[0]  # the researcher's own actor of that name
        else:
            actor_id = self.insert(self.free_name(name, suffix), kind, external_id=external_id, **fields)
        self.by_external[external_id] = actor_id
        return actor_id

    def named(self, name: str, kind: str = "person", **fields) -> int:
        """The actor called exactly name, created when there is none (for
        formats where a name is all we have); fields (country, attributes)
        are given to a new one only."""
        if name not in self.by_name:
            row = self.conn.execute("SELECT id FROM actors WHERE name = ?", [name]).fetchone()
            kind = kind if kind in ACTOR_KINDS else "person"
            self.by_name[name] = row[0] if row else self.insert(name, kind, **fields)
        return self.by_name[name]


class SourceBook:
    """Finds or creates sources. A source is the same one only when it is
    the same: by its external_id (the URL for web sources, a data set's
    citation text), by URL, or, without either, by exactly the same
    publisher, title and date; a new source without URL or external_id is
    keyed by a hash of its content (``records.source_content_key``), so two
    files' URL-less sources never merge unless they say the same."""

    def __init__(self, db, report: ImportReport):
        self.conn = db.conn
        self.report = report
        self.cache: dict[tuple, int] = {}

    def _find(self, external_id, url, publisher, title, date) -> int | None:
        row = self.conn.execute("SELECT id FROM sources WHERE external_id = ?", [external_id]).fetchone()
        if row:
            return row[0]
        if url:
            row = self.conn.execute("SELECT id FROM sources WHERE url = ? ORDER BY id LIMIT 1", [url]).fetchone()
            return row[0] if row else None
        # A source stored without any key (by hand, or by an older import)
        # is the same one only if everything it says is the same.
        row = self.conn.execute(
            "SELECT id FROM sources WHERE external_id IS NULL AND url IS NULL AND publisher IS ? AND title IS ? "
            "AND date IS ? ORDER BY id LIMIT 1",
            [publisher, title, date],
        ).fetchone()
        return row[0] if row else None

    def forget(self) -> None:
        """Empty the cache (to bound memory; the database still knows)."""
        self.cache.clear()

    def get(self, *, url=None, publisher=None, title=None, external_id=None, date=None) -> int | None:
        """A source id, or None when there is nothing to name a source by.
        external_id defaults to the URL, so one URL is one source across
        data sets and imports, and else to the content key."""
        if not (external_id or url or publisher or title):
            return None
        external_id = external_id or url or records.source_content_key(publisher, title, url, date)
        key = (external_id, url, publisher, title, date)
        if key not in self.cache:
            found = self._find(external_id, url, publisher, title, date)
            if found is None:
                found = self.conn.execute(
                    "INSERT INTO sources (publisher, title, url, date, external_id) VALUES (?, ?, ?, ?, ?)",
                    [publisher, title, url, date, external_id],
                ).lastrowid
                self.report.sources_added += 1
            self.cache[key] = found
        return self.cache[key]


class ImportBooks:
    """What every importer writes through: the event writer, and the actor and
    source books that merge with what the database already holds."""

    def __init__(self, db, log: Log, *, dataset: str = "", update: bool = False):
        self.conn = db.conn
        self.log = log
        log.dataset = dataset
        self.writer = EventWriter(db, log, dataset=dataset, update=update)
        self.actors = ActorBook(db, log.report)
        self.sources = SourceBook(db, log.report)


# ---------------------------------------------------------------- files imported before

_IMPORTED = "imported_file:"  # meta key prefix + the file's SHA-256


def file_digest(path) -> str:
    """The SHA-256 of a file's bytes: the same file, whatever its name."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def note_file(db, log: Log, path) -> str:
    """Tell the log whether this very file (by content) was imported into db
    before; returns its digest for remember_file."""
    digest = file_digest(path)
    log.earlier_import = records.get_meta(db, _IMPORTED + digest) is not None
    return digest


def remember_file(db, digest: str, path, dataset: str) -> None:
    """Record that this file was imported (inside the import's transaction)."""
    value = json.dumps({"name": Path(path).name, "dataset": dataset}, ensure_ascii=False, sort_keys=True)
    records.set_meta(db, _IMPORTED + digest, value)
