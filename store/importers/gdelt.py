"""GDELT event exports: 1.0 (57 or 58 columns) and 2.0 (61), tab-separated,
no header.

The column layout is chosen for each row by its number of fields, because
one 1.0 file mixes 58-column rows (with SOURCEURL) and 57-column back-file
rows (without). 1.0 is the 2.0 layout without the three ``*_ADM2Code``
columns (see the 2.0 codebook, gdelt2_events_column_labels_Sep2016.csv).

What becomes what:

* an event per row, ``external_id`` "gdelt:<GLOBALEVENTID>", dated by
  SQLDATE to the day ("YYYY-MM-DD"), type = the CAMEO EventCode as text
  ("0411", never a number), location = ActionGeo_FullName, certainty
  "reported"; the codes, Goldstein scale, tone, counts, DATEADDED, the
  ActionGeo fields and ``gdelt_version`` ("1.0"/"2.0") go in ``attributes``
  (numbers as JSON numbers, empty fields as null).
* Actor1 is the "initiator", Actor2 the "target". One actor per CAMEO
  actor code (``external_id`` "gdelt:<code>"); it is named by the Actor*Name
  seen most often for that code in the file (title-cased; the code when no
  name is given) and the other names become aliases. A name already used
  by another actor gets the code in brackets ("Business (BUSCVL)"); an
  actor of the same name that came from no data set (external_id NULL) is
  taken to be the same one. Kind: CAMEO type MED is "media"; GOV, LEG,
  JUD, MIL, COP and SPY are "government body"; a known IGO/NGO group code
  or type BUS, MNC, EDU, HLH, IGO, NGO, NGM, PTY is "organisation"; a bare
  country code ("USA") is "country"; anything else is "group".
* SOURCEURL becomes one source per URL (``external_id`` = the URL,
  publisher = its host name); a non-URL citation becomes a source named by
  its text.

Rows with another field count, no GLOBALEVENTID or an unreadable SQLDATE are
skipped and listed with their line numbers. Dates are computed directly
(SQLDATE is always a day), not through parse_date, which is ~100x slower.
"""

from __future__ import annotations

import json
import json.encoder
import re
from collections import defaultdict
from datetime import date
from operator import itemgetter
from pathlib import Path
from urllib.parse import urlsplit

from ..interchange import ImportReport
from .books import ImportBooks
from .log import Log
from .text_input import FIELD_LIMIT, text_lines
from .writer import bulk_cache, complete

COLUMNS_2 = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
ONLY_IN_2 = {"Actor1Geo_ADM2Code", "Actor2Geo_ADM2Code", "ActionGeo_ADM2Code"}
COLUMNS_1 = tuple(c for c in COLUMNS_2 if c not in ONLY_IN_2)  # 58, ends with SOURCEURL
COLUMNS_1_NO_URL = COLUMNS_1[:-1]  # 57

# Kept in the event's attributes; those typed int/float are written as JSON
# numbers when they are valid ones. Codes stay text: "010" and "0411" lose
# their meaning as numbers.
ATTRIBUTES = (
    ("EventRootCode", str), ("EventBaseCode", str), ("QuadClass", int), ("GoldsteinScale", float),
    ("AvgTone", float), ("NumMentions", int), ("NumSources", int), ("NumArticles", int), ("IsRootEvent", int),
    ("DATEADDED", str), ("ActionGeo_Type", int), ("ActionGeo_FullName", str), ("ActionGeo_CountryCode", str),
    ("ActionGeo_ADM1Code", str), ("ActionGeo_ADM2Code", str), ("ActionGeo_Lat", float), ("ActionGeo_Long", float),
    ("ActionGeo_FeatureID", str),
)  # fmt: skip

# The 20 CAMEO root codes, for readable titles.
CAMEO_ROOTS = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate", "04": "Consult",
    "05": "Engage in diplomatic cooperation", "06": "Engage in material cooperation", "07": "Provide aid",
    "08": "Yield", "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce", "18": "Assault",
    "19": "Fight", "20": "Use unconventional mass violence",
}  # fmt: skip

GOVERNMENT_TYPES = {"GOV", "LEG", "JUD", "MIL", "COP", "SPY"}
ORGANISATION_TYPES = {"BUS", "MNC", "EDU", "HLH", "IGO", "NGO", "NGM", "PTY"}
CACHE_LIMIT = 100_000  # entries per lookup cache (URLs, number texts), to bound memory
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
_json_string = json.encoder.encode_basestring  # '"text"' with JSON escapes, non-ASCII kept


class _Layout:
    """Where the fields we use sit in a row of one GDELT version."""

    def __init__(self, columns: tuple[str, ...], version: str):
        at = {name: i for i, name in enumerate(columns)}
        self.version = version
        self.event_id, self.sqldate = at["GLOBALEVENTID"], at["SQLDATE"]
        self.code, self.root = at["EventCode"], at["EventRootCode"]
        self.location = at["ActionGeo_FullName"]
        self.url = at.get("SOURCEURL")
        # code, name, country, known group, type 1
        self.actors = tuple(
            tuple(at[f"Actor{n}{f}"] for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code"))
            for n in (1, 2)
        )
        # The attributes JSON as a %-template: the number fields, then the
        # text fields, then the version.
        numbers = [name for name, kind in ATTRIBUTES if kind is not str and name in at]
        texts = [name for name, kind in ATTRIBUTES if kind is str and name in at]
        self.numbers = itemgetter(*(at[name] for name in numbers))  # fields -> tuple of those texts
        self.number_names = tuple(numbers)
        self.texts = itemgetter(*(at[name] for name in texts))
        slots = [f"{_json_string(name)}: %s" for name in numbers + texts]
        self.template = "{" + ", ".join([*slots, f'"gdelt_version": "{version}"']) + "}"


LAYOUTS = {
    61: _Layout(COLUMNS_2, "2.0"),
    58: _Layout(COLUMNS_1, "1.0"),
    57: _Layout(COLUMNS_1_NO_URL, "1.0"),
}


def title_case(raw: str) -> str:
    """'UNITED STATES' -> 'United States', 'AL-QAEDA' -> 'Al-Qaeda' (str.title
    would make "MCDONALD'S" into "Mcdonald'S")."""

    def word(w: str) -> str:
        return "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-"))

    return " ".join(word(w) for w in raw.split())


def actor_kind(code: str, country: str, group: str, type1: str) -> str:
    if type1 == "MED":
        return "media"
    if type1 in GOVERNMENT_TYPES:
        return "government body"
    if group or type1 in ORGANISATION_TYPES:
        return "organisation"
    if country and code == country:
        return "country"
    return "group"


def _day(sqldate: str) -> tuple[str, int] | None:
    """("YYYY-MM-DD", first second of that day UTC), or None if unreadable."""
    if len(sqldate) != 8 or not (sqldate.isascii() and sqldate.isdigit()):
        return None
    try:
        day = date(int(sqldate[:4]), int(sqldate[4:6]), int(sqldate[6:]))
    except ValueError:
        return None
    return day.isoformat(), (day.toordinal() - _EPOCH_ORDINAL) * 86400


# GDELT's counts, scales and coordinates are small: a number field beyond
# these is kept as text (with a warning naming its line), never as a number
# that other programs (and Python's json, past 4,300 digits) cannot read.
NUMBER_CHARS = 24
NUMBER_LIMIT = 1e15


def _fits(text: str) -> bool:
    if len(text) > NUMBER_CHARS:
        return False
    try:
        return abs(float(text)) < NUMBER_LIMIT
    except (ValueError, OverflowError):
        return False


def _json_number(text: str) -> str:
    """A number field as JSON: the text itself when it is a valid JSON
    number in range, null when empty, else a string (odd values are kept,
    not dropped)."""
    if not text:
        return "null"
    return text if _JSON_NUMBER.match(text) and _fits(text) else _json_string(text)


def _title(name1: str | None, name2: str | None, code: str, root: str) -> str:
    action = CAMEO_ROOTS.get(root or code[:2], "Event")
    action = f"{action} (CAMEO {code})" if code else action
    if name1 and name2:
        return f"{name1} → {name2}: {action}"
    if name2:
        return f"Unidentified → {name2}: {action}"
    return f"{name1}: {action}" if name1 else action


class _Importer(ImportBooks):
    def __init__(self, db, log: Log):
        super().__init__(db, log)
        self.days: dict[str, tuple[str, int] | None] = {}
        self.actor_ids: dict[str, int] = {}  # code -> actor
        self.seen: dict[tuple[str, str], list] = {}  # (code, name) as in the file -> see _actor
        self.urls: dict[str, int] = {}
        self.json_numbers: dict[str, str] = {}  # number field text -> its JSON
        self.json_texts: dict[str, str] = {}  # text field -> its JSON
        self.line = 0  # the line being read, for warnings

    # -- per row

    def row(self, number: int, line: str) -> None:
        self.line = number
        fields = line.rstrip("\r\n").split("\t")
        layout = LAYOUTS.get(len(fields))
        if layout is None:
            if line.strip():
                self.log.skip(number, f"{len(fields)} fields (expected 57, 58 or 61)")
            return
        event_id = fields[layout.event_id].strip()
        if not (event_id.isascii() and event_id.isdigit()):
            self.log.skip(number, f"no GLOBALEVENTID (found '{event_id[:40]}')")
            return
        sqldate = fields[layout.sqldate].strip()
        if sqldate not in self.days:
            self.days[sqldate] = _day(sqldate)
        day = self.days[sqldate]
        if day is None:
            self.log.skip(number, f"bad SQLDATE '{sqldate[:40]}' (expected YYYYMMDD)")
            return
        self._add(fields, layout, event_id, day)

    def _attributes(self, fields: list[str], layout: _Layout) -> str:
        """The attributes JSON, filled into the layout's template: json.dumps
        of a dict per row was a third of the import time. Field texts repeat
        a lot (codes, counts, places), so the JSON of each is cached, and a
        row usually needs only dictionary lookups."""
        numbers, texts = layout.numbers(fields), layout.texts(fields)
        try:
            return self._fill(layout, numbers, texts)
        except KeyError:  # a value not seen yet
            self._learn(numbers, texts, layout.number_names)
            return self._fill(layout, numbers, texts)

    def _fill(self, layout: _Layout, numbers: tuple[str, ...], texts: tuple[str, ...]) -> str:
        return layout.template % (*map(self.json_numbers.__getitem__, numbers), *map(self.json_texts.__getitem__, texts))

    def _learn(self, numbers: tuple[str, ...], texts: tuple[str, ...], names: tuple[str, ...] = ()) -> None:
        if len(self.json_numbers) + len(self.json_texts) > CACHE_LIMIT:
            self.json_numbers.clear()
            self.json_texts.clear()
        for name, text in zip(names or ("a number field",) * len(numbers), numbers):
            if text not in self.json_numbers:
                self.json_numbers[text] = _json_number(text)
                if _JSON_NUMBER.match(text) and not _fits(text):
                    self.log.warn(
                        f"line {self.line}: {name} holds {text[:20]}{'…' if len(text) > 20 else ''} "
                        f"({len(text)} characters), out of range (±{NUMBER_LIMIT:.0e}); kept as text"
                    )
        for text in texts:
            if text not in self.json_texts:
                self.json_texts[text] = _json_string(text) if text else "null"

    def _add(self, fields: list[str], layout: _Layout, event_id: str, day: tuple[str, int]) -> None:
        first = self._actor(fields, layout.actors[0])
        second = self._actor(fields, layout.actors[1])
        actors = []
        if first:
            actors.append((first[0], "initiator"))
        if second:
            actors.append((second[0], "target"))
        url = fields[layout.url].strip() if layout.url is not None else ""
        sources = [(self._source(url), None)] if url else []
        code = fields[layout.code].strip()
        title = _title(first and first[1], second and second[1], code, fields[layout.root].strip())
        start, earliest = day
        row = (
            title, None, start, None, None, "day", None, 0, earliest, earliest + 86399, earliest + 86399, earliest,
            "reported", code or None, fields[layout.location].strip() or None, self._attributes(fields, layout),
            f"gdelt:{event_id}",
        )  # fmt: skip
        self.writer.add(row, actors, sources)

    def _actor(self, fields: list[str], at: tuple[int, ...]) -> list | None:
        """[actor id, the name this row gives it, rows so far, code, raw
        name], or None for no actor. Keyed by the raw (code, name) pair, so
        a row costs one dictionary lookup."""
        key = (fields[at[0]], fields[at[1]])
        if key == ("", ""):
            return None
        seen = self.seen.get(key)
        if seen is None:
            seen = self.seen[key] = self._first_sight(fields, at)
        seen[2] += 1
        return seen

    def _first_sight(self, fields: list[str], at: tuple[int, ...]) -> list:
        code, raw = fields[at[0]].strip(), fields[at[1]].strip()
        code = code or raw.upper()  # a name with no code: let the name be the code
        name = title_case(raw) or code
        actor_id = self.actor_ids.get(code)
        if actor_id is None:
            country, group, type1 = (fields[i].strip() for i in at[2:])
            actor_id = self.actors.external(
                f"gdelt:{code}", name, actor_kind(code, country, group, type1), suffix=code,
                country=country or None, notes=f"GDELT actor, CAMEO code {code}",
            )  # fmt: skip
            self.actor_ids[code] = actor_id
        return [actor_id, name, 0, code, raw]

    def _source(self, url: str) -> int:
        source_id = self.urls.get(url)
        if source_id is None:
            if len(self.urls) >= CACHE_LIMIT:
                self.urls.clear()
                self.sources.forget()
            if url.startswith(("http://", "https://")):
                host = (urlsplit(url).hostname or "").removeprefix("www.") or None
                source_id = self.sources.get(url=url, publisher=host)
            else:  # GDELT 2.0 may give a citation ("BBC Monitoring") instead of a URL
                source_id = self.sources.get(external_id=url, publisher=url)
            self.urls[url] = source_id
        return source_id

    # -- at the end

    def finish(self) -> None:
        self.writer.flush()
        self._settle_names()
        complete(self.writer, self.actors)

    def _names_by_code(self) -> dict[str, list[tuple[int, str]]]:
        """code -> [(rows, display name)], most used first (ties: first seen)."""
        found: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for _actor_id, name, count, code, raw in self.seen.values():
            if raw:
                found[code].append((count, name))
        for names in found.values():
            names.sort(key=lambda item: -item[0])  # stable: first seen wins a tie
        return found

    def _settle_names(self) -> None:
        """Name each actor made by this import after the name the file uses
        most for its code; the others become aliases. The names are freed
        first and handed out most-used first, so "China" goes to CHN (ten
        rows) rather than to CHNGOV (one), whichever came first in the file."""
        created = set(self.actors.created)
        mine = [(code, actor_id) for code, actor_id in self.actor_ids.items() if actor_id in created]
        for _code, actor_id in mine:
            # A placeholder no real name has, until every actor is named.
            self.conn.execute("UPDATE actors SET name = ? WHERE id = ?", [f"\x1f{actor_id}", actor_id])
        by_code = self._names_by_code()
        ranked = sorted(mine, key=lambda item: (-(by_code[item[0]][0][0] if by_code[item[0]] else 0), item[0]))
        for code, actor_id in ranked:
            names = list(dict.fromkeys(name for _n, name in by_code[code]))
            name = self.actors.free_name(names[0] if names else code, code)
            aliases = names[1:21]
            self.conn.execute(
                "UPDATE actors SET name = ?, aliases = ? WHERE id = ?",
                [name, json.dumps(aliases, ensure_ascii=False) if aliases else None, actor_id],
            )


def import_file(db, path: str | Path) -> ImportReport:
    """Add the events of a GDELT 1.0/2.0 export, all or nothing."""
    log = Log(ImportReport())
    with bulk_cache(db), db.atomic():
        importer = _Importer(db, log)
        # A GDELT row is ~1-2 KB; FIELD_LIMIT bounds a runaway line.
        for number, line in enumerate(text_lines(path, log, limit=FIELD_LIMIT), 1):
            importer.row(number, line)
        importer.finish()
    return log.finish()
