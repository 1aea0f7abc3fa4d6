"""Reading a document file into plain text and what it says of itself.

Plain text and Markdown are kept as written (Markdown markup is left in:
quotes are offsets into exactly the text a reader sees). HTML goes through
trafilatura, which keeps the article and drops menus, adverts and comments,
and reads title, author, date and site name from the page's metadata. PDF
goes through pypdf page by page; the offset where each page starts is kept
so a quote can name its page; a web page printed to PDF loses what the
browser and the site added (``store.web_print``).

Nothing here writes; ``store.documents`` stores what is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .records import RecordError
from .web_print import clean_pages, stated_publication_date

TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = tuple(sorted({*TEXT_SUFFIXES, *HTML_SUFFIXES, *PDF_SUFFIXES}))


class DocumentError(RecordError):
    """A file that cannot be read as a document, named in the message."""


@dataclass
class ReadDocument:
    text: str
    media_type: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    page_starts: list[int] = field(default_factory=list)


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{name}: not text in UTF-8 or Windows-1252")


# A PDF's fonts draw "ff", "fi", "fl" as one glyph; its text then holds
# "oﬀer", which no search or name finds: the letters are written out.
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})


def _normalise(text: str) -> str:
    """One newline style and no trailing blanks, so offsets mean the same on
    every platform."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _first_heading(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            title = line.lstrip("#").strip()
            return title[:200] if title else None
    return None


def read_text(data: bytes, name: str, media_type: str = "text/plain") -> ReadDocument:
    text = _normalise(_decode(data, name))
    title = None
    if media_type == "text/markdown":
        match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        title = match.group(1).strip() if match else None
    # an article kept as text may say when it was published ("Published 14 March 2024"); a
    # date alone on a line is not enough here: notes and chronologies start with one
    return ReadDocument(text=text, media_type=media_type, title=title,
                        date=stated_publication_date(text, datelines=False))


def read_html(data: bytes, name: str) -> ReadDocument:
    import trafilatura

    page = _decode(data, name)
    extracted = trafilatura.bare_extraction(page, include_comments=False, include_tables=False,
                                            favor_precision=True, with_metadata=True)
    if extracted is None:
        return ReadDocument(text="", media_type="text/html")
    meta = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = _normalise(meta.get("text") or "")
    return ReadDocument(
        text=text, media_type="text/html", title=meta.get("title") or None, author=meta.get("author") or None,
        publisher=meta.get("sitename") or None, date=meta.get("date") or None, url=meta.get("url") or None,
        language=meta.get("language") or None,
    )


def read_pdf(data: bytes, name: str) -> ReadDocument:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files log warnings
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [_normalise((page.extract_text() or "").translate(LIGATURES)) for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{name}: not a readable PDF ({exc})") from None
    cleaned = clean_pages(pages)  # a web page printed by a browser: its heads, feet, menus, comments
    text, starts = "", []
    for page in cleaned.pages:
        if text:
            text += "\n\n"
        starts.append(len(text))
        text += page
    title = getattr(info, "title", None) if info else None
    author = getattr(info, "author", None) if info else None
    return ReadDocument(text=text, media_type="application/pdf", title=title or None, author=author or None,
                        date=cleaned.date, url=cleaned.url, page_starts=starts)


def read_bytes(data: bytes, name: str) -> ReadDocument:
    """Read ``data`` by the suffix of ``name``; raise DocumentError for a
    file of another kind or one with no text (a scanned PDF)."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        read = read_text(data, name, TEXT_SUFFIXES[suffix])
    elif suffix in HTML_SUFFIXES:
        read = read_html(data, name)
    elif suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        read = read_pdf(data, name)
    else:
        raise DocumentError(f"{name}: cannot read '{suffix or 'no suffix'}' files as documents "
                            f"(use {', '.join(SUFFIXES)})")
    if not read.text.strip():
        hint = " (a scanned PDF needs text recognition first)" if read.media_type == "application/pdf" else ""
        raise DocumentError(f"{name}: has no text to read{hint}; nothing was added")
    if read.title is None and read.media_type == "text/plain":
        read.title = Path(name).stem
    return read


def read_path(path: str | Path) -> tuple[bytes, ReadDocument]:
    path = Path(path)
    data = path.read_bytes()
    return data, read_bytes(data, path.name)


def page_of(page_starts: list[int], offset: int) -> int | None:
    """1-based page holding character ``offset`` (None for a document without pages)."""
    if not page_starts:
        return None
    import bisect

    return bisect.bisect_right(page_starts, offset)
