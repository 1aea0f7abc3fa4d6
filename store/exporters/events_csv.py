"""Events as a CSV for spreadsheets: one row per event.

Columns: id, title, summary, start, end (as written), precision, certainty,
type, location, actors ("Name (role); ..."), sources ("Publisher — Title
<url>; ..."), quotes (one per line, "“quote” — Publisher"), documents (the
stored documents its quotes come from, "Title (sha256:…)"), dataset and
external_id (the event's id in its data set, e.g. GDELT and its
GLOBALEVENTID, so the sheet can be joined back to the data set; id is
Threadline's own row id), reference (the day a relative date such as "last
Friday" was read against), earliest and latest (the date's bounds as ISO
8601 UTC, so a sheet can sort by them).

Safe to open in Excel or LibreOffice: a text cell starting with =, +, -, @,
a tab or a carriage return (or ') is prefixed with ' so it is never run as
a formula (the same rule as the Threadline CSV, ``interchange.neutralise``).
A spreadsheet reads a cell of digits as a number, so a code such as CAMEO
"040" would become 40: a text cell of digits only that starts with 0 or
has more than 15 digits (beyond a spreadsheet's precision) is written as
the formula ="040", which Excel, LibreOffice and Google Sheets show as the
text 040 (the cell holds digits only, so it runs nothing). Written as UTF-8
with a BOM, which is how Excel knows it is UTF-8, and with CRLF line ends.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from .. import queries
from ..atomic_file import atomic_path
from ..dates.seconds import datetime_from_seconds
from ..interchange import neutralise

COLUMNS = (
    "id", "title", "summary", "start", "end", "precision", "certainty", "type", "location", "actors",
    "sources", "quotes", "documents", "dataset", "external_id", "reference", "earliest", "latest",
)  # fmt: skip
ROLE_ORDER = "CASE ea.role WHEN 'initiator' THEN 0 WHEN 'target' THEN 1 WHEN 'participant' THEN 2 ELSE 3 END"


def _actors(db) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    sql = (
        "SELECT ea.event_id, a.name, ea.role FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        f"ORDER BY ea.event_id, {ROLE_ORDER}, a.name"
    )
    for event_id, name, role in db.execute(sql):
        found[event_id].append(f"{name} ({role})")
    return {k: "; ".join(v) for k, v in found.items()}


def _source_text(publisher, title, url) -> str:
    text = " — ".join(p for p in (publisher, title) if p)
    return f"{text} <{url}>".strip() if url else text


def _sources(db) -> tuple[dict[int, str], dict[int, str]]:
    """Per event: its sources, and its quotes."""
    sources: dict[int, list[str]] = defaultdict(list)
    quotes: dict[int, list[str]] = defaultdict(list)
    sql = (
        "SELECT es.event_id, s.publisher, s.title, s.url, es.quote FROM event_sources es "
        "JOIN sources s ON s.id = es.source_id ORDER BY es.event_id, s.id"
    )
    for event_id, publisher, title, url, quote in db.execute(sql):
        sources[event_id].append(_source_text(publisher, title, url))
        if quote:
            who = publisher or title or url
            quotes[event_id].append(f"“{quote}” — {who}" if who else f"“{quote}”")
    return {k: "; ".join(v) for k, v in sources.items()}, {k: "\n".join(v) for k, v in quotes.items()}


def _documents(db) -> dict[int, str]:
    """Per event: the documents its quotes come from ("title (sha256:…)")."""
    if not db["documents"].exists():
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    sql = ("SELECT DISTINCT es.event_id, d.title, d.filename, d.sha256 FROM event_sources es "
           "JOIN sources s ON s.id = es.source_id JOIN documents d ON d.id = s.document_id ORDER BY es.event_id, d.id")
    for event_id, title, filename, sha in db.execute(sql):
        found[event_id].append(f"{title or filename or 'document'} (sha256:{sha})")
    return {k: "; ".join(v) for k, v in found.items()}


def _utc(seconds: int) -> str:
    """A bound as ISO 8601 UTC, so a sheet can sort and filter by date
    whatever the date as written says ("last Friday", "c. 2016")."""
    return datetime_from_seconds(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_code_like(text: str) -> bool:
    """Digits a spreadsheet would turn into a different number."""
    return text.isascii() and text.isdigit() and ((len(text) > 1 and text[0] == "0") or len(text) > 15)


def _cell(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if is_code_like(value):
        return f'="{value}"'
    return neutralise(value)


def export_file(db, out: str | Path, window=(None, None)) -> None:
    actors = _actors(db)
    sources, quotes = _sources(db)
    docs = _documents(db)
    datasets = dict(db.execute("SELECT id, dataset FROM events WHERE dataset != ''").fetchall())
    with atomic_path(out) as tmp:
        # utf-8-sig writes the BOM; newline="" lets csv write the CRLFs itself.
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for e in queries.events_in_window(db, window):
                values = (
                    e.id, e.title, e.summary, e.start, e.end, e.precision, e.certainty, e.type, e.location,
                    actors.get(e.id), sources.get(e.id), quotes.get(e.id), docs.get(e.id),
                    datasets.get(e.id), e.external_id, e.date_reference, _utc(e.earliest), _utc(e.latest),
                )  # fmt: skip
                writer.writerow([_cell(v) for v in values])
