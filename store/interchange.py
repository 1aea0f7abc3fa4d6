"""Threadline's own interchange format, as JSON or as one CSV file.

JSON (``"format": "threadline", "version": 1``)::

    {"format": "threadline", "version": 1, "title": ..., "description": ...,
     "actors": [{"name", "kind", "title", "country", "aliases", "notes", "colour", "external_id",
                 "attributes"}],
     "sources": [{"key", "publisher", "title", "url", "date", "notes", "document"?}],
     "events": [{"key", "title", "summary", "start", "end", "reference", "certainty",
                 "type", "location", "attributes", "actors": [{"actor", "role"}],
                 "sources": [{"source", "quote", "start"?, "end"?}], "dataset", "external_id"}],
     "relationships": [{"from", "to", "type", "directed", "start", "end",
                        "certainty", "notes", "events": [event keys]}],
     "documents": [{"key", "sha256", "title", "publisher", "author", "date", "url",
                    "language", "media_type", "filename", "added_at", "text"?, "page_starts"?}]}

Actors are referenced by name, sources and events by key. An event's key
is its external id, "DATASET:id" when the id belongs to a data set
(``dataset`` and ``external_id`` say which), or "event-<n>"; a source's
key is its external id, or "source-" and a hash of its publisher, title,
URL and date, so a key never names two different sources. Attributes are
written with their keys sorted (a canonical order). The CSV form has
one row per record with a ``record`` column (actor, source, event,
relationship); list and object cells hold JSON. Cells that a spreadsheet
would run as a formula are prefixed with ``'``, and the prefix is removed
again on import, so the round trip is lossless.

Import is one transaction and idempotent: events are matched by data set
and external id (by key in files without them), sources by key when the
stored source says the same (a different one under the same key is added
as a source of its own), actors by name, relationships by their ends, type
and dates, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from . import records
from .atomic_file import atomic_write_text
from .query_guard import StoreError
from .records import Citation, Participation, RecordError
from .row_checks import db_name, json_column
from .schema import ACTOR_KINDS, CERTAINTIES, ROLES
from .writing import write

FORMAT_NAME = "threadline"
FORMAT_VERSION = 1

CSV_COLUMNS = (
    "record", "key", "name", "title", "kind", "country", "aliases", "notes", "colour", "external_id",
    "publisher", "url", "date", "summary", "start", "end", "reference", "certainty", "type", "location",
    "attributes", "actors", "sources", "from", "to", "directed", "events", "dataset",
    # documents (added with documents; old files simply lack them)
    "document", "sha256", "author", "language", "media_type", "filename", "added_at", "text", "page_starts",
)  # fmt: skip
JSON_CELLS = {"aliases", "attributes", "actors", "sources", "events", "directed", "page_starts"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


class InterchangeError(ValueError):
    """A file read or written in an import or export is not right: one line naming where and why."""


class ImportError_(InterchangeError):
    """Bad input, with where it is (file, line or record, field)."""


class ExportError(InterchangeError):
    """An export that cannot be written as asked (an unknown format, say)."""


@dataclass
class ImportReport:
    events_added: int = 0
    actors_added: int = 0
    sources_added: int = 0
    relationships_added: int = 0
    documents_added: int = 0  # documents rebuilt from the text a JSON/CSV export carried
    skipped: list[str] = field(default_factory=list)  # "line 12: why"
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"added {self.events_added} events, {self.actors_added} actors, "
            f"{self.sources_added} sources, {self.relationships_added} relationships"
        )
        if self.documents_added:
            text += f", {self.documents_added} documents (from their text)"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} rows"
        return text


# ---------------------------------------------------------------- export


def _event_key(row) -> str:
    if row["external_id"] is None:
        return f"event-{row['id']}"
    dataset = row["dataset"] if "dataset" in row.keys() else ""
    return f"{dataset}:{row['external_id']}" if dataset else row["external_id"]


def _source_key(row) -> str:
    return row["external_id"] or records.source_content_key(row["publisher"], row["title"], row["url"], row["date"])


def _canonical(text: str | None, table: str, row_id, column: str):
    """Stored JSON with its keys sorted, so that an export, imported and
    exported again, gives the same bytes whatever order a data set's
    importer wrote (StoreError naming the row when it is not JSON)."""
    value = json_column(text, table, row_id, column, None)
    return json.loads(json.dumps(value, sort_keys=True)) if value is not None else None


def _document_key(doc_id: int) -> str:
    return f"document-{doc_id}"


def _documents(db: Database, include_text: bool) -> list[dict]:
    from .documents import list_documents

    out = []
    for d in list_documents(db):
        row = {
            "key": _document_key(d.id), "sha256": d.sha256, "title": d.title, "publisher": d.publisher,
            "author": d.author, "date": d.date, "url": d.url, "language": d.language,
            "media_type": d.media_type, "filename": d.filename, "added_at": d.added_at,
        }  # fmt: skip
        if include_text:
            row["text"] = d.text
            if d.page_starts:
                row["page_starts"] = d.page_starts  # so a quote still names its page
        out.append(row)
    return out


def _linked(names: dict, row: dict, table: str, column: str, target: str):
    """What a link row points at, or StoreError naming the row when the
    record it names is not in the file (a file written with foreign keys off)."""
    try:
        return names[row[column]]
    except KeyError:
        raise StoreError(
            f"{table} row {row['rowid']}: '{column}' is {row[column]!r}, which is not in the {target} table; "
            "the export would lose that link, so it stops (fix or delete that row)"
        ) from None


def export_dict(db: Database, include_text: bool = False) -> dict:
    """The whole database as an interchange dict, in a stable order.

    Documents are listed by their metadata and SHA-256 (their text too with
    ``include_text``; never their bytes); a source that stands for one names
    it (``"document"``), and a quote with offsets carries ``start``/``end``."""
    actors = list(db.query("SELECT * FROM actors ORDER BY id"))
    actor_name = {a["id"]: a["name"] for a in actors}
    sources = list(db.query("SELECT * FROM sources ORDER BY id"))
    source_key = {s["id"]: _source_key(s) for s in sources}
    events = list(db.query("SELECT * FROM events ORDER BY id"))
    event_key = {e["id"]: _event_key(e) for e in events}
    parts: dict[int, list] = {}
    for r in db.query("SELECT rowid, event_id, actor_id, role FROM event_actors ORDER BY event_id, rowid"):
        actor = _linked(actor_name, r, "event_actors", "actor_id", "actors")
        parts.setdefault(r["event_id"], []).append({"actor": actor, "role": r["role"]})
    cites: dict[int, list] = {}
    for r in db.query("SELECT rowid, * FROM event_sources ORDER BY event_id, rowid"):
        cite = {"source": _linked(source_key, r, "event_sources", "source_id", "sources"), "quote": r["quote"]}
        if r.get("quote_start") is not None:
            cite.update(start=r["quote_start"], end=r["quote_end"])
        cites.setdefault(r["event_id"], []).append(cite)
    evidence: dict[int, list] = {}
    for r in db.query("SELECT rowid, relationship_id, event_id FROM relationship_events ORDER BY relationship_id, event_id"):
        evidence.setdefault(r["relationship_id"], []).append(_linked(event_key, r, "relationship_events", "event_id", "events"))
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "title": records.get_meta(db, "title"),
        "description": records.get_meta(db, "description"),
        "actors": [
            {
                "name": a["name"], "kind": a["kind"], "title": a["title"], "country": a["country"],
                "aliases": json_column(a["aliases"], "actors", a["id"], "aliases", []), "notes": a["notes"],
                "colour": a["colour"], "external_id": a["external_id"],
                "attributes": _canonical(a.get("attributes"), "actors", a["id"], "attributes"),
            }  # fmt: skip
            for a in actors
        ],
        "sources": [
            {
                "key": source_key[s["id"]], "publisher": s["publisher"], "title": s["title"],
                "url": s["url"], "date": s["date"], "notes": s["notes"],
                **({"document": _document_key(s["document_id"])} if s.get("document_id") else {}),
            }  # fmt: skip
            for s in sources
        ],
        "events": [
            {
                "key": event_key[e["id"]], "title": e["title"], "summary": e["summary"],
                "start": e["start"], "end": e["end"], "reference": e["date_reference"],
                "certainty": e["certainty"], "type": e["type"], "location": e["location"],
                "attributes": _canonical(e["attributes"], "events", e["id"], "attributes"),
                "actors": parts.get(e["id"], []), "sources": cites.get(e["id"], []),
                "dataset": e.get("dataset") or None, "external_id": e["external_id"] if e.get("dataset") else None,
            }  # fmt: skip
            for e in events
        ],
        "relationships": [
            {
                "from": actor_name[r["from_actor_id"]], "to": actor_name[r["to_actor_id"]], "type": r["type"],
                "directed": bool(r["directed"]), "start": r["start"], "end": r["end"],
                "certainty": r["certainty"], "notes": r["notes"], "events": evidence.get(r["id"], []),
            }  # fmt: skip
            for r in db.query("SELECT * FROM relationships ORDER BY id")
        ],
        **({"documents": docs} if (docs := _documents(db, include_text)) else {}),
    }


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (reversed on import)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _unneutralise(value: str) -> str:
    """Undo ``neutralise`` and nothing else: a ``'`` is dropped only before
    a character export would have guarded, so "'hello" as a spreadsheet
    wrote it stays "'hello"."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def _csv_rows(data: dict):
    meta = {"record": "story", "title": data.get("title"), "notes": data.get("description")}
    yield meta
    for a in data["actors"]:
        yield {"record": "actor", **a}
    for s in data["sources"]:
        yield {"record": "source", **s}
    for e in data["events"]:
        yield {"record": "event", **e}
    for r in data["relationships"]:
        yield {"record": "relationship", **r}
    for d in data.get("documents") or []:
        yield {"record": "document", **d}


def _csv_cell(name: str, value) -> str:
    if value is None:
        return ""
    if name in JSON_CELLS:
        return neutralise(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return neutralise(str(value))


def export_text(db: Database, fmt: str, include_text: bool = False) -> str:
    data = export_dict(db, include_text)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in _csv_rows(data):
            writer.writerow([_csv_cell(c, row.get(c)) for c in CSV_COLUMNS])
        return out.getvalue()
    raise ValueError(f"unknown format '{fmt}'")


def export_file(db: Database, fmt: str, out: str | Path, include_text: bool = False) -> None:
    try:
        text = export_text(db, fmt, include_text)
    except StoreError as exc:
        raise StoreError(f"{db_name(db)}: {exc}") from None
    atomic_write_text(out, text)


# ---------------------------------------------------------------- import


# A row of the CSV form starts with its record kind: a cell that holds a
# line starting so swallowed the rows after an unclosed quote.
_SWALLOWED_ROW = re.compile(r"\n(?:story|actor|source|event|relationship),")


def _parse_csv(rows, name: str) -> dict:
    """The interchange dict from ``(first line, cells)`` records."""
    line, header = next(rows, (1, []))
    missing = {"record", "key", "name", "title"} - set(header)
    if missing:
        raise ImportError_(f"{name}: line 1: not a Threadline CSV (no column {', '.join(sorted(missing))})")
    data = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "actors": [], "sources": [], "events": [], "relationships": []}
    plural = {"actor": "actors", "source": "sources", "event": "events", "relationship": "relationships"}
    for line, cells in rows:
        if cells == [] or cells == [""]:
            continue  # a blank line
        row = dict(zip(header, cells))
        record = {}
        for col, raw in row.items():
            if col == "record" or raw in (None, ""):
                continue
            swallowed = _SWALLOWED_ROW.search(raw)
            if swallowed:
                at = line + raw.count("\n", 0, swallowed.start()) + 1
                raise ImportError_(
                    f"{name}: line {line}: field '{col}' opens a quote that is not closed where it should be: "
                    f"it runs on over line {at}, which starts a row of its own"
                )
            raw = _unneutralise(raw)
            if col in JSON_CELLS:
                try:
                    record[col] = json.loads(raw)
                except (json.JSONDecodeError, RecursionError):
                    raise ImportError_(f"{name}: line {line}: field '{col}' is not valid JSON") from None
            else:
                record[col] = raw
        kind = row.get("record")
        if kind == "story":
            data["title"], data["description"] = record.get("title"), record.get("notes")
        elif kind == "document":
            data.setdefault("documents", []).append(record)
        elif kind in plural:
            record["_where"] = f"{name}: line {line}"
            data[plural[kind]].append(record)
        else:
            raise ImportError_(f"{name}: line {line}: field 'record' must be actor, source, event or relationship, not '{kind}'")
    return data


def load_file(path: str | Path, fmt: str, warnings: list[str] | None = None) -> dict:
    """The interchange dict of a file, its types checked. Text is read as
    every importer reads it (``importers.text_input``: UTF-8 with or without
    BOM, else Latin-1 with a warning; NUL bytes removed with a warning; any
    line ending); ``warnings`` collects those warnings."""
    from .importers.log import Log
    from .importers.text_input import csv_records, read_json, text_lines

    path = Path(path)
    if not path.exists():
        raise ImportError_(f"{path}: no such file")
    log = Log(ImportReport())
    if fmt == "csv":
        data = _parse_csv(csv_records(text_lines(path, log), path, ","), str(path))
    else:
        try:
            data = read_json(path, log)
        except RecursionError:
            raise ImportError_(f"{path}: not valid JSON (nested more deeply than Threadline reads)") from None
        _check_json(data, path)
    nul = _drop_nul(data)
    if nul:
        log.warn(f"{path.name}: removed NUL characters from {nul} value{'s' if nul > 1 else ''}")
    if warnings is not None:
        warnings.extend(log.finish().warnings)
    _check_types(data, path)
    return data


def _drop_nul(data) -> int:
    """Remove NUL characters (JSON's \\u0000) from every text in ``data``, in
    place: SQLite and most programs cut text at them. Returns how many
    texts had any."""
    count = 0
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, str):
                if "\0" in value:
                    node[key] = value.replace("\0", "")
                    count += 1
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return count


def _check_json(data, path: Path) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportError_(f"{path}: not a Threadline JSON file (no \"format\": \"threadline\")")
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportError_(f"{path}: field 'version' must be a whole number, not {_shown(version)}")
    if version > FORMAT_VERSION:
        raise ImportError_(f"{path}: written by a newer Threadline (format version {version})")
    for plural in ("actors", "sources", "events", "relationships"):
        records_ = data.get(plural)
        if records_ is None:
            continue
        if not isinstance(records_, list):
            raise ImportError_(f"{path}: field '{plural}' must be a list, not {_shown(records_)}")
        for i, record in enumerate(records_):
            if not isinstance(record, dict):
                raise ImportError_(f"{path}: {plural}[{i}]: must be an object, not {_shown(record)}")
            record["_where"] = f"{path}: {plural}[{i}]"


def _shown(value) -> str:
    """A value of the wrong type, briefly, for a message."""
    kind = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = json.dumps(value, ensure_ascii=False)
        return f"{kind} ({text[:40]}{'…' if len(text) > 40 else ''})"
    return kind


# What each field of each record may hold: text, or (for the JSON cells) a
# list of text / of objects, an object, true/false. None is always allowed.
_TEXT = ("name", "kind", "title", "country", "notes", "colour", "external_id", "key", "publisher", "url",
         "date", "summary", "start", "end", "reference", "certainty", "type", "location", "from", "to")
_SHAPES = {"aliases": "text list", "attributes": "object", "actors": "object list", "sources": "object list",
           "events": "text list", "directed": "flag"}
_ITEM_TEXT = {"actors": ("actor", "role"), "sources": ("source", "quote")}


def _check_types(data: dict, path: Path) -> None:
    """Refuse, naming record and field, any value of a type the import would
    trip on (a name that is a list, a date that is a number, ...)."""
    for key in ("title", "description"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ImportError_(f"{path}: field '{key}' must be text, not {_shown(data[key])}")
    for plural in ("actors", "sources", "events", "relationships"):
        for record in data.get(plural) or []:
            for field_name, value in record.items():
                if value is None or field_name == "_where":
                    continue
                shape = _SHAPES.get(field_name) if not (plural == "relationships" and field_name in ("from", "to")) else None
                if shape is None:
                    if field_name in _TEXT and not isinstance(value, str):
                        raise ImportError_(f"{_where(record, field_name)}: must be text, not {_shown(value)}")
                    continue
                _check_shape(record, field_name, value, shape)


def _check_shape(record: dict, field_name: str, value, shape: str) -> None:
    bad = False
    if shape == "flag":
        bad = not isinstance(value, (bool, int, str))
    elif shape == "object":
        bad = not isinstance(value, dict)
    elif shape == "text list":
        bad = not isinstance(value, list) or not all(isinstance(v, str) for v in value)
    elif shape == "object list":
        bad = not isinstance(value, list) or not all(isinstance(v, dict) for v in value)
        if not bad:
            for item in value:
                for sub in _ITEM_TEXT.get(field_name, ()):
                    if item.get(sub) is not None and not isinstance(item[sub], str):
                        raise ImportError_(
                            f"{_where(record, field_name)}: '{sub}' must be text, not {_shown(item[sub])}")
    if bad:
        wanted = {"flag": "true or false", "object": "an object", "text list": "a list of text",
                  "object list": "a list of objects"}[shape]
        raise ImportError_(f"{_where(record, field_name)}: must be {wanted}, not {_shown(value)}")


def _where(record: dict, field_name: str | None = None) -> str:
    where = record.get("_where", "record")
    key = record.get("key") or record.get("name")
    if key:
        where += f" '{key}'"
    return f"{where}: field '{field_name}'" if field_name else where


def _require(record: dict, field_name: str, choices=None) -> str:
    value = record.get(field_name)
    if value in (None, ""):
        raise ImportError_(f"{_where(record, field_name)}: missing")
    if choices is not None and value not in choices:
        raise ImportError_(f"{_where(record, field_name)}: must be one of {', '.join(choices)}, not '{value}'")
    return value


def import_dict(db: Database, data: dict) -> ImportReport:
    """Add the records of an interchange dict, all or nothing."""
    report = ImportReport()
    with write(db, "import interchange"):
        for key in ("title", "description"):
            if data.get(key) and not records.get_meta(db, key):
                records.set_meta(db, key, data[key])
        actor_ids = _import_actors(db, data.get("actors") or [], report)
        document_ids = _import_documents(db, data.get("documents") or [], data.get("sources") or [], report)
        source_ids = _import_sources(db, data.get("sources") or [], report, document_ids)
        event_ids = _import_events(db, data.get("events") or [], actor_ids, source_ids, report)
        _import_relationships(db, data.get("relationships") or [], actor_ids, event_ids, report)
    return report


def _import_actors(db, actors, report) -> dict[str, int]:
    ids = {name: id_ for id_, name in db.execute("SELECT id, name FROM actors")}
    for a in actors:
        name = _require(a, "name")
        if name in ids:
            continue
        kind = a.get("kind") or "person"
        if kind not in ACTOR_KINDS:
            raise ImportError_(f"{_where(a, 'kind')}: must be one of {', '.join(ACTOR_KINDS)}, not '{kind}'")
        ids[name] = records.add_actor(
            db, name, kind, title=a.get("title"), country=a.get("country"), aliases=a.get("aliases") or (),
            notes=a.get("notes"), colour=a.get("colour"), external_id=a.get("external_id"),
        )  # fmt: skip
        if a.get("attributes"):
            db.execute(
                "UPDATE actors SET attributes = ? WHERE id = ?",
                [json.dumps(a["attributes"], ensure_ascii=False, sort_keys=True), ids[name]],
            )
        report.actors_added += 1
    return ids


def _import_documents(db, documents, sources, report) -> dict[str, int]:
    """File key -> document id. A document the story holds (same SHA-256)
    is linked again; one it lacks is rebuilt from its text when the file
    carries it (``--with-document-text``): quotes keep their place and
    ``check`` reads them. The original file's bytes are not in an export,
    so the rebuilt document holds its text (text/plain) and is known by that
    text's SHA-256. A document with neither is said, never silently dropped."""
    from .documents import add_document, document_by_sha
    from .readers import ReadDocument

    cited = {s.get("document") for s in sources}
    found = {}
    for d in documents:
        key = d.get("key")
        doc_id = document_by_sha(db, d.get("sha256") or "")
        text = d.get("text")
        if doc_id is None and isinstance(text, str) and text.strip():
            read = ReadDocument(text=text, media_type="text/plain", page_starts=_page_starts(d, len(text)),
                                **{f: d.get(f) for f in ("title", "author", "publisher", "date", "url", "language")})
            doc_id, added = add_document(db, text.encode("utf-8"), read, d.get("filename"))
            report.documents_added += int(added)
        if doc_id is None:
            if key in cited:
                report.warnings.append(
                    f"document {d.get('title') or d.get('filename') or key}: not in this story and the file "
                    "carries no text of it (export with --with-document-text); its sources were kept, "
                    "their quotes without their place in it")
            continue
        if key:
            found[key] = doc_id
    return found


def _page_starts(d: dict, length: int) -> list[int]:
    starts = d.get("page_starts")
    if isinstance(starts, list) and all(isinstance(x, int) and 0 <= x <= length for x in starts):
        return starts
    return []


def _import_sources(db, sources, report, document_ids=None) -> dict[str, int]:
    """File key -> source id. A key the database already holds is that
    source only when it says the same; otherwise (another file's "source-1"
    of older exports) the file's source is found or added by its content."""
    document_ids = document_ids or {}
    stored: dict[str, tuple[int, tuple]] = {}
    for row in db.query("SELECT id, publisher, title, url, date, external_id FROM sources"):
        stored[_source_key(row)] = (row["id"], (row["publisher"], row["title"], row["url"], row["date"]))
    ids: dict[str, int] = {}
    for s in sources:
        key = _require(s, "key")
        content = (s.get("publisher"), s.get("title"), s.get("url"), s.get("date"))
        found = stored.get(key)
        if found is None or found[1] != content:
            found = stored.get(records.source_content_key(*content))
            key_to_store = key if key not in stored else records.source_content_key(*content)
        else:
            key_to_store = key
        if found is not None and found[1] == content:
            ids[key] = found[0]
            continue
        try:
            new_id = records.add_source(
                db, *content[:3], content[3], s.get("notes"), external_id=key_to_store,
                document_id=document_ids.get(s.get("document")),
            )
        except RecordError as exc:
            raise ImportError_(f"{_where(s)}: {exc}") from None
        stored[key_to_store] = (new_id, content)
        ids[key] = new_id
        report.sources_added += 1
    return ids


def _has_document(db, source_id: int) -> bool:
    row = db.execute("SELECT document_id FROM sources WHERE id = ?", [source_id]).fetchone()
    return bool(row and row[0] is not None)


def _import_events(db, events, actor_ids, source_ids, report) -> dict[str, int]:
    stored = {
        (dataset or "", external_id or f"event-{id_}"): id_
        for id_, dataset, external_id in db.execute("SELECT id, dataset, external_id FROM events")
    }
    ids: dict[str, int] = {}
    for e in events:
        key = _require(e, "key")
        dataset = e.get("dataset") or ""
        # An id of a data set is given as such; otherwise the key is the id.
        identity = (dataset, e.get("external_id") or key) if dataset else ("", key)
        if identity in stored:
            ids[key] = stored[identity]
            continue
        parts = []
        for p in e.get("actors") or []:
            if p.get("actor") not in actor_ids:
                raise ImportError_(f"{_where(e, 'actors')}: no actor named '{p.get('actor')}'")
            role = p.get("role") or "participant"
            if role not in ROLES:
                raise ImportError_(f"{_where(e, 'actors')}: role must be one of {', '.join(ROLES)}, not '{role}'")
            parts.append(Participation(actor_ids[p["actor"]], role))
        cites = []
        for c in e.get("sources") or []:
            if c.get("source") not in source_ids:
                raise ImportError_(f"{_where(e, 'sources')}: no source with key '{c.get('source')}'")
            linked = c.get("start") is not None and _has_document(db, source_ids[c["source"]])
            cites.append(Citation(source_ids[c["source"]], c.get("quote"), *((c["start"], c.get("end")) if linked else ())))
        try:
            ids[key] = records.add_event(
                db, _require(e, "title"), _require(e, "start"), e.get("end"), summary=e.get("summary"),
                certainty=e.get("certainty") or "confirmed", type=e.get("type"), location=e.get("location"),
                reference=e.get("reference"), actors=parts, sources=cites, attributes=e.get("attributes"),
                external_id=identity[1], dataset=dataset,
            )  # fmt: skip
        except RecordError as exc:
            raise ImportError_(f"{_where(e)}: {exc}") from None
        stored[identity] = ids[key]
        report.events_added += 1
    return ids


def _import_relationships(db, rels, actor_ids, event_ids, report) -> None:
    existing = {
        tuple(r)
        for r in db.execute('SELECT from_actor_id, to_actor_id, type, coalesce(start, \'\'), coalesce("end", \'\') FROM relationships')
    }
    for r in rels:
        ends = []
        for side in ("from", "to"):
            name = _require(r, side)
            if name not in actor_ids:
                raise ImportError_(f"{_where(r, side)}: no actor named '{name}'")
            ends.append(actor_ids[name])
        rtype = _require(r, "type")
        identity = (ends[0], ends[1], rtype, r.get("start") or "", r.get("end") or "")
        if identity in existing:
            continue
        evidence = []
        for k in r.get("events") or []:
            if k not in event_ids:
                raise ImportError_(f"{_where(r, 'events')}: no event with key '{k}'")
            evidence.append(event_ids[k])
        certainty = r.get("certainty") or "confirmed"
        if certainty not in CERTAINTIES:
            raise ImportError_(f"{_where(r, 'certainty')}: must be one of {', '.join(CERTAINTIES)}, not '{certainty}'")
        try:
            records.add_relationship(
                db, ends[0], ends[1], rtype, directed=r.get("directed", True) not in (False, "false", 0, "0"),
                start=r.get("start"), end=r.get("end"), certainty=certainty, notes=r.get("notes"), events=evidence,
            )  # fmt: skip
        except RecordError as exc:
            raise ImportError_(f"{_where(r)}: {exc}") from None
        existing.add(identity)
        report.relationships_added += 1


def import_file(db: Database, path: str | Path, fmt: str) -> ImportReport:
    warnings: list[str] = []
    report = import_dict(db, load_file(path, fmt, warnings))
    report.warnings[:0] = warnings
    return report
