"""Reading an import's file safely: text lines, whole JSON, CSV records.

Files are read as bytes, line by line with a length bound, so a
1 GB file never sits in memory and a runaway line (or a quote that is never
closed) stops with an error naming the line. Each line is decoded as UTF-8
(a leading BOM is dropped); a line that is not UTF-8 is read as Windows-1252
/ Latin-1 and the report says so once. NUL bytes are removed, with a
warning. Lines may end with LF, CRLF or (said in a warning) CR alone.
UTF-16 files (Excel's "Unicode text") are read through a decoder.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .. import progress
from ..interchange import ImportError_
from .log import Log

MB = 2**20
FIELD_LIMIT = 16 * MB  # longest CSV field we accept
LINE_LIMIT = 2 * FIELD_LIMIT  # longest physical line
JSON_LIMIT = 256 * MB  # JSON formats are parsed whole, so cap their size


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


def _cr_only(fh) -> bool:
    """Whether the file ends its lines with CR alone (classic Mac OS, some
    exports from old spreadsheets): a CR and no LF in its first 64 KB."""
    head = fh.read(65536)
    fh.seek(0)
    return b"\r" in head and b"\n" not in head


def _cr_readline(fh, limit: int) -> bytes:
    """Up to the next CR (kept, as LF: csv and the readers expect LF), at most
    ``limit`` bytes; the ``readline`` of a CR-only file."""
    out = bytearray()
    while len(out) <= limit:
        chunk = fh.read(65536)
        if not chunk:
            break
        cut = chunk.find(b"\r")
        if cut >= 0:
            out += chunk[:cut] + b"\n"
            fh.seek(cut + 1 - len(chunk), os.SEEK_CUR)
            break
        out += chunk
    return bytes(out)


def _byte_lines(fh, path: Path, log: Log, limit: int) -> Iterator[str]:
    number = 0
    size = os.fstat(fh.fileno()).st_size
    cr_only = _cr_only(fh)
    if cr_only:
        log.warn(f"{path.name}: lines end with CR alone (an old Mac format); read as line ends")
    while True:
        raw = _cr_readline(fh, limit) if cr_only else fh.readline(limit + 1)
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


def csv_records(
    lines: Iterable[str], path: str | Path, delimiter: str, quoting: int = csv.QUOTE_MINIMAL
) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for each CSV record. An unclosed quote or
    a field over the limit stops the import with an error naming the line
    where the record starts; other quoting slips are read as csv does
    ('"b"x' is 'bx')."""
    reader = csv.reader(itertools.chain(lines, [_END]), delimiter=delimiter, quoting=quoting)
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
