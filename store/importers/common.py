"""What every importer needs: safe text reading, batched event inserts, and
finding-or-creating actors and sources so that a second import adds nothing.

Reading: files are read as bytes, line by line with a length bound, so a
1 GB file never sits in memory and a runaway line (or a quote that is never
closed) stops with an error naming the line. Each line is decoded as UTF-8
(a leading BOM is dropped); a line that is not UTF-8 is read as Windows-1252
/ Latin-1 and the report says so once. NUL bytes are removed, with a
warning. UTF-16 files (Excel's "Unicode text") are read through a decoder.

Writing: importers run inside one ``db.atomic()`` block (all or nothing);
events go in with ``executemany`` in batches, with ids assigned here, which
is far faster than one sqlite-utils insert per row. An event whose
``external_id`` is already in the database is not added again.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .. import progress, search_index
from ..interchange import ImportError_, ImportReport
from ..schema import ACTOR_KINDS, ROLES

MB = 2**20
FIELD_LIMIT = 16 * MB  # longest CSV field we accept
LINE_LIMIT = 2 * FIELD_LIMIT  # longest physical line
JSON_LIMIT = 256 * MB  # JSON formats are parsed whole, so cap their size
REPORT_CAP = 10_000  # skipped/warning lines kept; the rest are counted
BATCH = 5_000  # events per executemany batch
MISSING = frozenset({"", "na", "n/a", "null"})  # cells that mean "no value"

EVENT_COLUMNS = (
    "id", "title", "summary", "start", "end", "date_reference", "precision", "end_precision", "approximate",
    "earliest", "latest", "start_latest", "end_earliest", "certainty", "type", "location", "attributes",
    "external_id",
)  # fmt: skip
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(f'[{c}]' for c in EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
# OR IGNORE: the same actor (or source) twice in one event keeps its first role.
_INSERT_LINK = "INSERT OR IGNORE INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)"
_INSERT_CITE = "INSERT OR IGNORE INTO event_sources (event_id, source_id, quote) VALUES (?, ?, ?)"


# ---------------------------------------------------------------- report


class Log:
    """Collects skipped rows and warnings for an ImportReport, keeping the
    report small when a huge file is mostly bad."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.overflow = 0
        self.nul_lines: list[int] = [0, 0]  # how many lines, first line
        self.latin_lines: list[int] = [0, 0]
        self.already = 0  # events matched to ones already in the database

    def skip(self, where: int | str, why: str) -> None:
        label = f"line {where}" if isinstance(where, int) else where
        if len(self.report.skipped) < REPORT_CAP:
            self.report.skipped.append(f"{label}: {why}")
        else:
            self.overflow += 1

    def warn(self, text: str) -> None:
        if len(self.report.warnings) < REPORT_CAP:
            self.report.warnings.append(text)

    @staticmethod
    def _note(counter: list[int], number: int) -> None:
        counter[0] += 1
        counter[1] = counter[1] or number

    def nul(self, number: int) -> None:
        self._note(self.nul_lines, number)

    def latin(self, number: int) -> None:
        self._note(self.latin_lines, number)

    def finish(self) -> ImportReport:
        """Turn the counters into one warning each; call once, at the end."""
        count, first = self.latin_lines
        if count:
            self.warn(
                f"{_count(count, 'line')} not UTF-8 and read as Latin-1 (Windows-1252), "
                f"first at line {first}; check accented letters"
            )
        count, first = self.nul_lines
        if count:
            self.warn(f"removed NUL bytes from {_plural(count, 'line')}, first at line {first}")
        if self.already:
            self.warn(f"{_plural(self.already, 'event')} already in the database, not added again")
        if self.overflow:
            self.report.skipped.append(f"... and {self.overflow} more rows skipped")
        return self.report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count(n: int, word: str) -> str:
    return _plural(n, word) + (" was" if n == 1 else " were")


# ---------------------------------------------------------------- reading


def _latin(raw: bytes) -> str:
    # Windows-1252 is what "Latin-1" files from Windows really are (curly
    # quotes at 0x93...); Latin-1 proper covers the five bytes it leaves out.
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _decode(raw: bytes, number: int, log: Log) -> str:
    if b"\0" in raw:
        raw = raw.replace(b"\0", b"")
        log.nul(number)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        log.latin(number)
        return _latin(raw)


def _too_long(path: Path, number: int, limit: int) -> ImportError_:
    return ImportError_(f"{path}: line {number}: longer than {limit // MB} MB (a runaway line or an unclosed quote?)")


def _byte_lines(fh, path: Path, log: Log, limit: int) -> Iterator[str]:
    number = 0
    size = os.fstat(fh.fileno()).st_size
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        number += 1
        if number % 4096 == 0:
            progress.tick(fh.tell(), size)  # may raise Cancelled: the import's transaction rolls back
        if len(raw) > limit:
            raise _too_long(path, number, limit)
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        yield _decode(raw, number, log)


def _utf16_lines(fh, path: Path, log: Log, limit: int) -> Iterator[str]:
    # The BOM tells the codec the byte order and is dropped by it.
    size = os.fstat(fh.fileno()).st_size
    text = io.TextIOWrapper(fh, encoding="utf-16", errors="replace", newline="")
    number = 0
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        number += 1
        if number % 4096 == 0:
            progress.tick(fh.tell(), size)
        if len(line) > limit:
            raise _too_long(path, number, limit)
        if "\0" in line:
            line = line.replace("\0", "")
            log.nul(number)
        yield line


def text_lines(path: str | Path, log: Log, limit: int = LINE_LIMIT) -> Iterator[str]:
    """The file's lines as text, line endings kept (as csv wants them)."""
    path = Path(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        head = fh.read(2)
        fh.seek(0)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            yield from _utf16_lines(fh, path, log, limit)
        else:
            yield from _byte_lines(fh, path, log, limit)


def read_json(path: str | Path, log: Log):
    """Parse a whole JSON file, with the same encoding rules as text_lines."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > JSON_LIMIT:
            raise ImportError_(f"{path}: {size // MB} MB is too large for a JSON import (limit {JSON_LIMIT // MB} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return json.loads(_whole_text(raw, path, log))
    except json.JSONDecodeError as exc:
        raise ImportError_(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None


def _whole_text(raw: bytes, path: Path, log: Log) -> str:
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportError_(f"{path}: damaged UTF-16 text") from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\0" in raw:
        raw = raw.replace(b"\0", b"")
        log.warn(f"{path.name}: removed NUL bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        log.warn(f"{path.name}: not UTF-8, read as Latin-1 (Windows-1252); check accented letters")
        return _latin(raw)


@contextmanager
def _field_limit(limit: int):
    # csv's limit is process-wide: raise it for this reader only.
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


# Appended after the last line: if a quote is still open at the end of the
# file, csv swallows this into the open field, and that is how we notice
# (csv itself would silently return the rest of the file as one field).
_END = "\ue000threadline-end-of-file\ue000\n"


def _csv_problem(path: Path, start: int, reader, exc: csv.Error) -> ImportError_:
    message = str(exc)
    if "field limit" in message:
        return ImportError_(f"{path}: line {start}: a field is longer than {FIELD_LIMIT // MB} MB (an unclosed quote?)")
    return ImportError_(f"{path}: line {reader.line_num}: {message}")


def _unclosed(path: Path, start: int) -> ImportError_:
    return ImportError_(f"{path}: line {start}: unclosed quote (the quoted field runs to the end of the file)")


def csv_records(lines: Iterable[str], path: str | Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for each CSV record. An unclosed quote or
    a field over the limit stops the import with an error naming the line
    where the record starts; other quoting slips are read as csv does
    ('"b"x' is 'bx')."""
    reader = csv.reader(itertools.chain(lines, [_END]), delimiter=delimiter)
    start = 1
    with _field_limit(FIELD_LIMIT):
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_problem(Path(path), start, reader, exc) from None
            if any(_END[:-1] in cell for cell in cells):
                if cells == [_END[:-1]]:
                    return  # the marker on its own line: the file ended cleanly
                raise _unclosed(Path(path), start)
            yield start, cells
            start = reader.line_num + 1


# ---------------------------------------------------------------- small helpers


def present(value) -> str | None:
    """A cell's text, or None when it is empty or says NA / N/A / null."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in MISSING else text


def stable_id(prefix: str, parts: Sequence[str | None]) -> str:
    """An identity made from content, the same on every import of it."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:20]}"


def short_title(text: str, limit: int = 120) -> str:
    """The first sentence of text, cut at a word when longer than limit."""
    text = " ".join(text.split())
    end = text.find(". ")
    if 0 < end < limit:
        return text[: end + 1]
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def chunks(items: Sequence, size: int = 500) -> Iterator[Sequence]:
    # Stay under SQLite's limit on '?' parameters per statement.
    for i in range(0, len(items), size):
        yield items[i : i + size]


def event_row(
    *, title: str, bounds: dict, certainty: str, summary=None, type=None, location=None,
    attributes: dict | None = None, external_id: str, reference=None,
) -> tuple:  # fmt: skip
    """An events row (without id) in EVENT_COLUMNS order, from
    records.event_bounds() output and the other fields."""
    return (
        title, summary, bounds["start"], bounds["end"], reference, bounds["precision"], bounds["end_precision"],
        bounds["approximate"], bounds["earliest"], bounds["latest"], bounds["start_latest"], bounds["end_earliest"],
        certainty, type, location,
        json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else None, external_id,
    )  # fmt: skip


# ---------------------------------------------------------------- events


class EventWriter:
    """Buffers events with their actors and sources and writes them in
    batches. Identity is ``external_id`` (the last item of a row): rows
    whose id is in the database, or earlier in the file, are dropped. Ids
    are given as rows arrive, so a dropped row leaves a gap in the ids,
    which is harmless and saves rebuilding every row at write time.

    (Writing from a second thread while the first parses was tried: the
    GIL hand-over per row made it slower, not faster.)"""

    def __init__(self, db, log: Log, batch: int = BATCH):
        self.db = db
        self.conn = db.conn
        self.log = log
        self.batch = batch
        self.events: list[tuple] = []
        self.links: list[tuple[int, int, str]] = []
        self.cites: list[tuple[int, int, str | None]] = []
        self.next_id = (self.conn.execute("SELECT max(id) FROM events").fetchone()[0] or 0) + 1
        self.first_id = self.next_id  # every event from here on is ours

    def add(self, row: tuple, actors: Sequence[tuple[int, str]] = (), sources: Sequence[tuple[int, str | None]] = ()):
        """row: EVENT_COLUMNS without id; actors: (actor_id, role);
        sources: (source_id, quote)."""
        event_id = self.next_id
        self.next_id += 1
        self.events.append((event_id, *row))
        for actor_id, role in actors:
            self.links.append((event_id, actor_id, role))
        for source_id, quote in sources:
            self.cites.append((event_id, source_id, quote))
        if len(self.events) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write the buffered events."""
        if not self.events:
            return
        batch = (self.events, self.links, self.cites)
        self.events, self.links, self.cites = [], [], []
        self._write(batch)

    def _existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(ids):
            sql = f"SELECT external_id FROM events WHERE external_id IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.conn.execute(sql, part))
        return found

    def _drop_known(self, events: list, links: list, cites: list) -> tuple[list, list, list]:
        """Leave out events already in the database or earlier in the batch."""
        external_ids = [e[-1] for e in events]
        known = self._existing(external_ids)
        if not known and len(set(external_ids)) == len(external_ids):
            return events, links, cites  # the usual case: nothing to leave out
        dropped, kept = set(), []
        for event in events:
            if event[-1] in known:
                dropped.add(event[0])
            else:
                known.add(event[-1])
                kept.append(event)
        self.log.already += len(dropped)
        return kept, [x for x in links if x[0] not in dropped], [x for x in cites if x[0] not in dropped]

    def _write(self, batch: tuple[list, list, list]) -> None:
        events, links, cites = self._drop_known(*batch)
        self.conn.executemany(_INSERT_EVENT, events)
        self.conn.executemany(_INSERT_LINK, links)
        self.conn.executemany(_INSERT_CITE, cites)
        self.log.report.events_added += len(events)


def complete(writer: EventWriter, actors: "ActorBook") -> None:
    """Write what is buffered and add the new events and actors to the
    full-text index (the schema has no triggers: the store keeps the index
    itself, in the same transaction). Call once, last: after any renaming
    of the actors made."""
    writer.flush()
    columns = ", ".join(f'"{c}"' for c in search_index.EVENT_TEXT)
    # One statement for all new events: ids from first_id on are ours.
    writer.conn.execute(
        f"INSERT INTO events_fts (rowid, {columns}) SELECT id, {columns} FROM events WHERE id >= ?", [writer.first_id]
    )
    for part in chunks(actors.created):
        search_index.index_rows(writer.db, "actors", part)


@contextmanager
def bulk_cache(db, kib: int = 64 * 1024):
    """A bigger page cache for this connection while a big import runs:
    index updates then touch the disk far less. Nothing in the file changes."""
    old = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.conn.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(old)}")


# ---------------------------------------------------------------- actors


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


def role_or(role, default: str = "participant") -> str:
    return role if role in ROLES else default


# ---------------------------------------------------------------- sources


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
