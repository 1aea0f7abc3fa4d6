"""Documents kept in the story file, and quotes that point into them.

A document is stored once and never changed: its bytes, their SHA-256, and
the plain text that quotes' offsets count characters in. Adding the same
bytes again gives back the stored id; a new version of an article is a new
document. A source may point to a document (``sources.document_id``), and a
citation of such a source may carry where its quote lies
(``event_sources.quote_start`` / ``quote_end``); ``broken_quotes`` lists the
citations whose quote no longer reads the same at those offsets.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from . import records
from .readers import ReadDocument, read_path
from .writing import changing, write

META_FIELDS = ("title", "publisher", "author", "date", "url", "language")


@dataclass(frozen=True)
class Document:
    id: int
    sha256: str
    text: str
    media_type: str | None
    filename: str | None
    title: str | None
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None
    language: str | None
    added_at: str
    page_starts: tuple[int, ...] = ()

    def label(self) -> str:
        return self.title or self.filename or f"document {self.id}"


@dataclass(frozen=True)
class QuoteRef:
    """One citation whose quote points into a document."""

    event_id: int
    event_title: str
    source_id: int
    document_id: int
    quote: str
    start: int
    end: int
    ok: bool


def _document(row: dict) -> Document:
    return Document(
        id=row["id"], sha256=row["sha256"], text=row["text"], media_type=row["media_type"],
        filename=row["filename"], title=row["title"], publisher=row["publisher"], author=row["author"],
        date=row["date"], url=row["url"], language=row["language"], added_at=row["added_at"],
        page_starts=tuple(json.loads(row["page_starts"] or "[]")),
    )


def has_documents(db: Database) -> bool:
    return db["documents"].exists()


def document_by_sha(db: Database, sha256: str) -> int | None:
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def add_document(db: Database, content: bytes, read: ReadDocument, filename: str | None = None,
                 **overrides) -> tuple[int, bool]:
    """Store a document; ``overrides`` (title, publisher, author, date, url,
    language) win over what the file said of itself. Returns ``(id, added)``:
    the same bytes stored before give their id and ``added`` False."""
    unknown = set(overrides) - set(META_FIELDS)
    if unknown:
        raise records.RecordError(f"a document has no field {', '.join(sorted(unknown))}")
    if overrides.get("date"):
        records.read_date(overrides["date"], "date")  # refuse an unreadable publication date now
    digest = hashlib.sha256(content).hexdigest()
    with write(db, "add document"):
        existing = document_by_sha(db, digest)
        if existing is not None:
            return existing, False
        row = {
            "sha256": digest, "content": content, "media_type": read.media_type, "filename": filename,
            "text": read.text, "page_starts": json.dumps(read.page_starts) if read.page_starts else None,
            "added_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for name in META_FIELDS:
            value = overrides.get(name)
            row[name] = value if value not in (None, "") else getattr(read, name)
        doc_id = db["documents"].insert(row).last_pk
        changing(db, "documents", [doc_id])
    return doc_id, True


def add_document_file(db: Database, path: str | Path, **overrides) -> tuple[int, bool]:
    """Read and store a file (see ``store.readers`` for the kinds read)."""
    content, read = read_path(path)
    return add_document(db, content, read, Path(path).name, **overrides)


def get_document(db: Database, doc_id: int) -> Document:
    row = next(db.query("SELECT * FROM documents WHERE id = ?", [doc_id]), None)
    if row is None:
        raise records.RecordError(f"no document with id {doc_id}")
    return _document(row)


def list_documents(db: Database) -> list[Document]:
    if not has_documents(db):
        return []
    return [_document(r) for r in db.query("SELECT * FROM documents ORDER BY id")]


def document_content(db: Database, doc_id: int) -> bytes:
    row = db.execute("SELECT content FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise records.RecordError(f"no document with id {doc_id}")
    return row[0]


def search_documents(db: Database, words: str) -> list[int]:
    rows = db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank", [words])
    return [r[0] for r in rows]


def source_for_document(db: Database, doc_id: int) -> int | None:
    """The source that stands for the document, if one was made."""
    row = db.execute("SELECT id FROM sources WHERE document_id = ? ORDER BY id LIMIT 1", [doc_id]).fetchone()
    return row[0] if row else None


def source_fields(doc: Document) -> dict:
    """What a new source for the document says: its publisher, title, URL and date."""
    return {"publisher": doc.publisher, "title": doc.title or doc.filename or f"document {doc.id}",
            "url": doc.url, "date": doc.date, "document_id": doc.id}


def quotes_in(db: Database, doc_id: int | None = None, event_id: int | None = None) -> list[QuoteRef]:
    """Citations whose quote has offsets into a document, each checked
    against the document's text (of one document, or one event's, if given)."""
    if not has_documents(db):
        return []
    sql = (
        "SELECT es.event_id, e.title, es.source_id, s.document_id, es.quote, es.quote_start, es.quote_end, d.text "
        "FROM event_sources es JOIN sources s ON s.id = es.source_id JOIN events e ON e.id = es.event_id "
        "JOIN documents d ON d.id = s.document_id WHERE es.quote_start IS NOT NULL"
    )
    args: list = []
    if doc_id is not None:
        sql += " AND s.document_id = ?"
        args.append(doc_id)
    if event_id is not None:  # the detail panel asks after every edit: a lookup, not a pass over every citation
        sql += " AND es.event_id = ?"
        args.append(event_id)
    out = []
    for event_id, title, source_id, document_id, quote, start, end, text in db.execute(sql + " ORDER BY es.quote_start", args):
        ok = quote is not None and end is not None and 0 <= start <= end <= len(text) and text[start:end] == quote
        out.append(QuoteRef(event_id, title, source_id, document_id, quote or "", start, end if end is not None else start, ok))
    return out


def broken_quotes(db: Database) -> list[QuoteRef]:
    """Quotes that no longer read the same at their offsets in their document."""
    return [q for q in quotes_in(db) if not q.ok]


def broken_event_ids(db: Database) -> set[int]:
    return {q.event_id for q in broken_quotes(db)}


def quote_offsets(db: Database, event_id: int) -> dict[int, tuple[int, int, bool]]:
    """For each source of the event that quotes a document with offsets:
    (start, end, whether the quote still reads the same there)."""
    return {q.source_id: (q.start, q.end, q.ok) for q in quotes_in(db, event_id=event_id)}


def delete_document(db: Database, doc_id: int) -> dict:
    """Remove a document no source points to (undo of adding it); returns its row."""
    with write(db, "delete document"):
        if db.execute("SELECT 1 FROM sources WHERE document_id = ?", [doc_id]).fetchone():
            raise records.RecordError(f"document {doc_id} is cited by a source; remove the source first")
        row = next(db.query("SELECT * FROM documents WHERE id = ?", [doc_id]), None)
        if row is None:
            raise records.RecordError(f"no document with id {doc_id}")
        changing(db, "documents", [doc_id])
        db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    return row


def restore_document(db: Database, row: dict) -> None:
    with write(db, "restore document"):
        db["documents"].insert(row)
        changing(db, "documents", [row["id"]])
