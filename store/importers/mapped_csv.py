"""Any CSV or TSV with a header row, read through a column mapping.

The mapping is a list of "KEY=COLUMN" strings (``--map date="Event Date"
actor="Source Name" ...`` on the command line). Keys:

    date          when it happened (required; read by parse_date)
    end           when it ended
    title         a short title (default: made of actor, target, type, date)
    summary       longer text
    actor         who acted: role "initiator"
    target        who it was done to: role "target"
    participants  others involved: role "participant"
    type          the kind of event
    location      where
    source        the publisher or citation
    url           the source's web address
    certainty     confirmed | reported | claimed | contested (default reported;
                  another value is read as reported, with a warning)
    id            the row's identity in its data set (default: a hash of the
                  mapped values and how many identical rows came before it
                  in the file, so identical rows are separate records and
                  importing the same file twice adds nothing)
    kind          the kind of the actor(s) of the row (person, organisation,
                  government body, country, media, group; a word such as
                  "Government" or "Business" is read as its kind)
    target_kind   the same for the target(s)

The data set of the ids is named by ``dataset`` (``--dataset NAME``; default
the file's name): an id is unique within its data set, never across data
sets. An actor, target or participants cell may name several actors
separated by ";" or "|" (not ",", which is common inside names: "Smith,
John"). Actors are matched by exact name and created as kind "person" when
new (or the mapped kind). Cells "", "NA", "N/A" and "null" (any case) are
empty. A row whose date is missing or unreadable is skipped and reported
with its line number.

Saved mappings: ``save_mapping(db, name, mapping)`` keeps a mapping in the
database (``meta`` key "csv_mapping:<name>", a JSON list of the entries),
and an entry "@name" in a mapping stands for the saved one; entries given
by hand override its keys (``--map @icews type="CAMEO Code"``).

The delimiter is found by csv.Sniffer on the first lines (among , tab ; |),
else it is whichever of comma, tab and semicolon the header uses most.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

from .. import records
from ..interchange import ImportError_, ImportReport
from ..records import RecordError
from ..schema import CERTAINTIES
from .books import ActorBook, SourceBook, note_file, remember_file
from .log import Log
from .text_input import csv_records, text_lines
from .values import present, stable_id
from .writer import EventWriter, complete, event_row

KEYS = (
    "date", "end", "title", "summary", "actor", "target", "participants", "type", "location", "source",
    "url", "certainty", "id", "kind", "target_kind",
)  # fmt: skip
ROLE_KEYS = (("actor", "initiator"), ("target", "target"), ("participants", "participant"))
KIND_KEYS = {"actor": "kind", "target": "target_kind", "participants": "kind"}
# Words a kind column may hold, read as the schema's kinds.
KIND_WORDS = {
    "person": "person", "people": "person", "individual": "person",
    "organisation": "organisation", "organization": "organisation", "business": "organisation",
    "company": "organisation", "ngo": "organisation", "igo": "organisation",
    "government body": "government body", "government": "government body", "military": "government body",
    "police": "government body", "state": "government body",
    "country": "country", "nation": "country", "media": "media", "press": "media", "group": "group",
}  # fmt: skip
NAME_SEPARATORS = re.compile(r"[;|]")
SAMPLE_LINES = 50
META_PREFIX = "csv_mapping:"
DEFAULT_CERTAINTY = "reported"


# ---------------------------------------------------------------- saved mappings


def split_entry(entry: str, columns: str = "") -> tuple[str, str]:
    """("date", "Event Date") from 'date=Event Date'; columns, when known,
    is added to errors so the user sees what to map to."""
    key, sep, column = entry.partition("=")
    key = key.strip().lower()
    hint = f"; the file's columns are: {columns}" if columns else ""
    if not sep or not key:
        raise ImportError_(f"mapping entry '{entry}' is not KEY=COLUMN (keys: {', '.join(KEYS)}){hint}")
    if key not in KEYS:
        raise ImportError_(f"unknown mapping key '{key}' in '{entry}' (keys: {', '.join(KEYS)}){hint}")
    return key, column.strip()


def save_mapping(db, name: str, mapping: list[str]) -> None:
    """Keep mapping in the database under name, for "--map @name"."""
    name = name.strip().lstrip("@")
    if not name:
        raise ImportError_("a saved mapping needs a name")
    for entry in mapping:
        split_entry(entry)  # refuse to save what import would refuse
    records.set_meta(db, META_PREFIX + name, json.dumps(list(mapping), ensure_ascii=False))


def saved_mappings(db) -> list[str]:
    """The names of the mappings saved in db."""
    rows = db.execute("SELECT key FROM meta WHERE key LIKE ? ORDER BY key", [META_PREFIX + "%"]).fetchall()
    return [r[0][len(META_PREFIX) :] for r in rows]


def load_mapping(db, name: str) -> list[str]:
    name = name.strip().lstrip("@")
    text = records.get_meta(db, META_PREFIX + name)
    if text is None:
        known = ", ".join(saved_mappings(db)) or "none"
        raise ImportError_(f"no saved mapping '@{name}' in this database (saved: {known})")
    return list(json.loads(text))


def _expand(db, mapping: list[str] | tuple, columns: str) -> dict[str, str]:
    """KEY -> column. Saved mappings ("@name") are applied first, so the
    entries given by hand override them; a key given twice by hand is an
    error."""
    result: dict[str, str] = {}
    for entry in mapping:
        if entry.strip().startswith("@"):
            result.update(split_entry(e, columns) for e in load_mapping(db, entry))
    by_hand: set[str] = set()
    for entry in mapping:
        if entry.strip().startswith("@"):
            continue
        key, column = split_entry(entry, columns)
        if key in by_hand:
            raise ImportError_(f"mapping key '{key}' is given twice")
        by_hand.add(key)
        result[key] = column
    return result


# ---------------------------------------------------------------- the file


def _delimiter(sample: list[str]) -> str:
    """Sniff the delimiter; fall back to counting in the header line."""
    text = "".join(sample)
    try:
        found = csv.Sniffer().sniff(text, delimiters=",\t;|").delimiter
        if sample and found in sample[0]:
            return found
    except csv.Error:
        pass
    header = sample[0] if sample else ""
    return max(",\t;", key=header.count)


LISTED_COLUMNS = 40  # a message names at most this many of the file's columns
LISTED_NAME = 60  # characters of each


def _listing(header: list[str]) -> str:
    """The file's columns for a message: at most LISTED_COLUMNS of them, each
    cut to LISTED_NAME characters (a file with a million columns made a
    10.9 MB error line)."""
    names = []
    for h in header[:LISTED_COLUMNS]:
        h = " ".join(h.split())
        names.append(f"'{h[:LISTED_NAME]}…'" if len(h) > LISTED_NAME else f"'{h}'")
    more = len(header) - LISTED_COLUMNS
    return ", ".join(names) + (f" and {more:,} more" if more > 0 else "")


def _columns(mapping: dict[str, str], header: list[str], path: Path) -> dict[str, int]:
    """KEY -> cell index; a column is matched exactly, else ignoring case
    and surrounding spaces."""
    names = [h.strip() for h in header]
    folded: dict[str, int] = {}
    for i, h in enumerate(names):
        folded.setdefault(h.casefold(), i)
    listing = _listing(header)
    at = {}
    for key, column in mapping.items():
        if column in names:
            at[key] = names.index(column)
        elif column.casefold() in folded:
            at[key] = folded[column.casefold()]
        else:
            raise ImportError_(f"{path}: no column '{column}' (for {key}=); the file's columns are: {listing}")
    if "date" not in at:
        raise ImportError_(f"{path}: the mapping needs date=COLUMN; the file's columns are: {listing}")
    return at


# ---------------------------------------------------------------- rows


def _names(cell: str | None) -> list[str]:
    if not cell:
        return []
    return [n for n in (present(part) for part in NAME_SEPARATORS.split(cell)) if n]


def _fallback_title(values: dict, start: str) -> str:
    """e.g. "Obama → China: Consult (2015-03-04)" when there is no title."""
    who = "; ".join(_names(values.get("actor")))
    whom = "; ".join(_names(values.get("target")))
    head = f"{who} → {whom}" if who and whom else who or (f"→ {whom}" if whom else "")
    what = values.get("type") or ("Event" if not head else "")
    text = ": ".join(p for p in (head, what) if p)
    return f"{text} ({start})"


def actor_kind_of(value: str | None) -> str:
    """A kind cell as one of the schema's kinds ("person" when unknown)."""
    return KIND_WORDS.get((value or "").strip().lower(), "person")


class _Importer:
    def __init__(self, db, log: Log, at: dict[str, int], *, dataset: str, update: bool):
        self.log = log
        self.at = at
        log.dataset = dataset
        self.writer = EventWriter(db, log, dataset=dataset, update=update)
        self.actors = ActorBook(db, log.report)
        self.sources = SourceBook(db, log.report)
        self.identical: dict[str, int] = {}  # content hash -> rows with it so far

    def row(self, line: int, cells: list[str]) -> None:
        values = {key: present(cells[i]) if i < len(cells) else None for key, i in self.at.items()}
        if not any(values.values()):
            return  # a blank line
        if not values.get("date"):
            self.log.skip(line, "no date")
            return
        try:
            bounds = records.event_bounds(values["date"], values.get("end"))
        except RecordError as exc:
            # RecordError says "start: ..."; the user knows the column as the date.
            self.log.skip(line, str(exc).replace("start: ", "date: ", 1))
            return
        external_id = values.get("id") or self._content_id(values)
        row = event_row(
            title=values.get("title") or _fallback_title(values, bounds["start"]), bounds=bounds,
            certainty=self._certainty(line, values.get("certainty")), summary=values.get("summary"),
            type=values.get("type"), location=values.get("location"), external_id=external_id,
        )  # fmt: skip
        self.writer.add(row, self._actors(values), self._sources(values), line)

    def _content_id(self, values: dict) -> str:
        """A row without an id: a hash of its mapped values, numbered when
        the same values came before in this file (the rows may differ in
        columns the mapping leaves out, such as ICEWS's story and sentence),
        so each is kept and a second import of the file adds nothing."""
        digest = stable_id("csv:", [f"{k}={values[k]}" for k in sorted(values)])
        n = self.identical.get(digest, 0) + 1
        self.identical[digest] = n
        return digest if n == 1 else f"{digest}#{n}"

    def _certainty(self, line: int, value: str | None) -> str:
        if not value:
            return DEFAULT_CERTAINTY
        if value.lower() in CERTAINTIES:
            return value.lower()
        choices = ", ".join(CERTAINTIES)
        self.log.warn(f"line {line}: certainty '{value}' is not one of {choices}; used '{DEFAULT_CERTAINTY}'")
        return DEFAULT_CERTAINTY

    def _actors(self, values: dict) -> list[tuple[int, str]]:
        return [
            (self.actors.named(name, actor_kind_of(values.get(KIND_KEYS[key]))), role)
            for key, role in ROLE_KEYS
            for name in _names(values.get(key))
        ]

    def _sources(self, values: dict) -> list[tuple[int, None]]:
        source_id = self.sources.get(url=values.get("url"), publisher=values.get("source"))
        return [(source_id, None)] if source_id else []


def import_mapped_csv(
    db, path: str | Path, mapping: list[str] | tuple, *, dataset: str | None = None, update: bool = False
) -> ImportReport:
    """Add the rows of a CSV/TSV file as events, through mapping; all or
    nothing. dataset names the data set of the ids (default: the file's
    name); update replaces stored records of the same id that differ."""
    path = Path(path)
    log = Log(ImportReport())
    dataset = dataset or path.name
    with db.atomic():
        digest = note_file(db, log, path)
        lines = text_lines(path, log)
        sample = list(itertools.islice(lines, SAMPLE_LINES))
        records_ = csv_records(itertools.chain(sample, lines), path, _delimiter(sample))
        _, header = next(records_, (1, []))
        if not header:
            raise ImportError_(f"{path}: the file is empty (a header row is needed)")
        try:
            wanted = _expand(db, mapping, _listing(header))
        except ImportError_ as exc:
            raise ImportError_(f"{path}: {exc}") from None
        importer = _Importer(db, log, _columns(wanted, header, path), dataset=dataset, update=update)
        for line, cells in records_:
            importer.row(line, cells)
        complete(importer.writer, importer.actors)
        remember_file(db, digest, path, dataset)
    return log.finish()
