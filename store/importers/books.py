"""Finding or creating the actors and sources an import names, so that a
second import of the same data adds nothing, and ImportBooks, which bundles
them with the event writer for an importer.
"""

from __future__ import annotations

import json

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

    def insert(self, name: str, kind: str, *, external_id=None, country=None, aliases=(), notes=None) -> int:
        assert kind in ACTOR_KINDS, kind
        aliases_json = json.dumps(list(aliases), ensure_ascii=False) if aliases else None
        cursor = self.conn.execute(
            "INSERT INTO actors (name, kind, country, aliases, notes, external_id) VALUES (?, ?, ?, ?, ?, ?)",
            [name, kind, country, aliases_json, notes, external_id],
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

    def named(self, name: str, kind: str = "person") -> int:
        """The actor called exactly name, created when there is none (for
        formats where a name is all we have)."""
        if name not in self.by_name:
            row = self.conn.execute("SELECT id FROM actors WHERE name = ?", [name]).fetchone()
            self.by_name[name] = row[0] if row else self.insert(name, kind if kind in ACTOR_KINDS else "person")
        return self.by_name[name]


class SourceBook:
    """Finds or creates sources: by external_id (a URL for web sources),
    then by URL; a source with only a publisher is matched by publisher."""

    def __init__(self, db, report: ImportReport):
        self.conn = db.conn
        self.report = report
        self.cache: dict[tuple, int] = {}

    def _find(self, external_id, url, publisher) -> int | None:
        if external_id:
            row = self.conn.execute("SELECT id FROM sources WHERE external_id = ?", [external_id]).fetchone()
            if row:
                return row[0]
        if url:
            row = self.conn.execute("SELECT id FROM sources WHERE url = ? ORDER BY id LIMIT 1", [url]).fetchone()
            return row[0] if row else None
        row = self.conn.execute(
            "SELECT id FROM sources WHERE url IS NULL AND publisher = ? ORDER BY id LIMIT 1", [publisher]
        ).fetchone()
        return row[0] if row else None

    def forget(self) -> None:
        """Empty the cache (to bound memory; the database still knows)."""
        self.cache.clear()

    def get(self, *, url=None, publisher=None, title=None, external_id=None) -> int | None:
        """A source id, or None when there is nothing to name a source by.
        external_id defaults to the URL, so one URL is one source across
        data sets and imports."""
        external_id = external_id or url
        if not (external_id or publisher):
            return None
        key = (external_id, url, publisher)
        if key not in self.cache:
            found = self._find(external_id, url, publisher)
            if found is None:
                found = self.conn.execute(
                    "INSERT INTO sources (publisher, title, url, external_id) VALUES (?, ?, ?, ?)",
                    [publisher, title, url, external_id],
                ).lastrowid
                self.report.sources_added += 1
            self.cache[key] = found
        return self.cache[key]


class ImportBooks:
    """What every importer writes through: the event writer, and the actor and
    source books that merge with what the database already holds."""

    def __init__(self, db, log: Log):
        self.conn = db.conn
        self.log = log
        self.writer = EventWriter(db, log)
        self.actors = ActorBook(db, log.report)
        self.sources = SourceBook(db, log.report)
