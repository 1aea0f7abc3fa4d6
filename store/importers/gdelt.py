"""GDELT event exports: 1.0 (57 or 58 columns) and 2.0 (61), tab-separated,
no header.

The column layout is chosen for each row by its number of fields, because
one 1.0 file mixes 58-column rows (with SOURCEURL) and 57-column back-file
rows (without). 1.0 is the 2.0 layout without the three ``*_ADM2Code``
columns (see the 2.0 codebook, gdelt2_events_column_labels_Sep2016.csv).

What becomes what:

* an event per row, ``external_id`` the GLOBALEVENTID in the data set
  "GDELT" (``events.dataset``), dated by
  SQLDATE to the day ("YYYY-MM-DD"), type = the CAMEO EventCode as text
  ("0411", never a number), location = ActionGeo_FullName, certainty
  "reported"; the codes, Goldstein scale, tone, counts, DATEADDED, the
  ActionGeo fields and ``gdelt_version`` ("1.0"/"2.0") go in ``attributes``
  (numbers as JSON numbers, empty fields as null).
* Actor1 is the "initiator", Actor2 the "target"; when both are the same
  actor it keeps both roles. An actor follows the entity, not the CAMEO
  code (a code is a type and role: ``MNCUSA`` is any U.S. multinational):

  - a name under a bare country code (``USA``: "UNITED STATES",
    "AMERICAN", "WASHINGTON") is the country itself, as GDELT coded it: one
    actor per country code (``external_id`` "gdelt:USA"), named by its
    most used name, every other name an alias;
  - a name the country has under its bare code, in this file or stored,
    is that country under its other codes too ("UNITED STATES" as
    ``USACOP`` or ``USAGOV``); a 3-letter code with no CountryCode, type,
    group, ethnic or religion code ("TWN", as GDELT sometimes leaves it)
    is a bare country code;
  - a name that is a role rather than an entity ("PRESIDENT", "POLICE",
    "PRIME MINISTER": see ``names.is_role_name``) is one actor per country
    ("President (France)", "gdelt:role:PRESIDENT|FRA"), and one for rows
    that give no country ("President (country not given)");
  - any other name is one entity, whatever its codes ("NETFLIX" as
    ``MNCUSA`` and as ``BUS`` is one actor, "gdelt:name:NETFLIX"); a
    leading "THE" is not part of it ("THE EU" is "EU", alias "the EU");
  - a code with no name is an actor of that code ("gdelt:USAGOV").

  Names get their case back (``names.restore_case``: "NASA" stays NASA).
  The codes seen go into the actor's ``attributes`` (``cameo_codes``,
  ``country_codes``, ``type_codes``, ``known_group_codes``,
  ``ethnic_codes``, ``religion_codes``, the names as written in
  ``gdelt_names``); the kind comes from the most used code: type
  MED is "media"; GOV, LEG, JUD, MIL, COP and SPY are "government body"; a
  known IGO/NGO group code or type BUS, MNC, EDU, HLH, IGO, NGO, NGM, PTY
  is "organisation"; a bare country code is "country"; anything else is
  "group". A name under a government or no type code that reads as a
  person's (``names.looks_like_person``: "HILLARY CLINTON" as USAGOV,
  "JOE BIDEN") is a "person". A name already used by another actor gets a qualifier in
  brackets; an actor of the same name that came from no data set
  (external_id NULL) is taken to be the same one.
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
from ..writing import write
from .books import ImportBooks, note_file, remember_file
from .log import Log
from .names import country_name, display_name, entity_name, is_role_name, looks_like_person, normalise, restore_case
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
DATASET = "GDELT"  # GLOBALEVENTIDs of 1.0 and 2.0 are one sequence
# A role name whose row gives no country ("GOV" "PRESIDENT") may be anyone's:
# its name says so rather than looking like one entity.
NO_COUNTRY = "country not given"
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
        # code, name, country, known group, ethnic, religion, type 1, 2, 3
        self.actors = tuple(
            tuple(
                at[f"Actor{n}{f}"]
                for f in (
                    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                    "Type1Code", "Type2Code", "Type3Code",
                )  # fmt: skip
            )
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


class _Identity:
    """Everything one import learns about one actor: rows per display name
    and per code, the codes and names as written."""

    __slots__ = ("actor_id", "external_id", "kind", "country", "role", "names", "codes", "raw", "attributes")

    def __init__(self, actor_id: int, external_id: str, kind: str, country: str, role: str):
        self.actor_id, self.external_id, self.kind, self.country, self.role = actor_id, external_id, kind, country, role
        self.names: dict[str, int] = {}  # display name -> rows, in first-seen order
        self.codes: dict[tuple[str, str], int] = {}  # (code, kind) -> rows
        self.raw: set[str] = set()
        self.attributes: dict[str, set[str]] = defaultdict(set)


class _Importer(ImportBooks):
    def __init__(self, db, log: Log, *, dataset: str = DATASET, update: bool = False):
        super().__init__(db, log, dataset=dataset, update=update)
        self.days: dict[str, tuple[str, int] | None] = {}
        self.identities: dict[str, _Identity] = {}  # external_id -> what this import saw of it
        self.seen: dict[tuple[str, str, str], list] = {}  # (code, name, country) as in the file -> see _actor
        self.country_known: dict[str, frozenset[str]] = {}  # country code -> names of its stored actor
        self.first_actor = (self.conn.execute("SELECT max(id) FROM actors").fetchone()[0] or 0) + 1
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
        self._add(fields, layout, event_id, day, number)

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

    def _add(self, fields: list[str], layout: _Layout, event_id: str, day: tuple[str, int], line: int) -> None:
        first = self._actor(fields, layout.actors[0])
        second = self._actor(fields, layout.actors[1])
        actors = []  # Actor1 = Actor2 keeps both roles
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
            event_id,
        )  # fmt: skip
        self.writer.add(row, actors, sources, line)

    def _actor(self, fields: list[str], at: tuple[int, ...]) -> list | None:
        """[actor id, the name this row gives it, rows so far, identity], or
        None for no actor. Keyed by the raw (code, name, country), so a row
        costs one dictionary lookup."""
        key = (fields[at[0]], fields[at[1]], fields[at[2]])
        if key[0] == "" and key[1] == "":
            return None
        seen = self.seen.get(key)
        if seen is None:
            seen = self.seen[key] = self._first_sight(fields, at)
        seen[2] += 1
        return seen

    def _country_names(self, country: str) -> frozenset[str]:
        """entity_name of every name (name and aliases) of the country's
        actor stored before this import (one made by this import is settled
        at the end: see _merge_country_names)."""
        if country not in self.country_known:
            row = self.conn.execute(
                "SELECT id, name, aliases FROM actors WHERE external_id = ?", [f"gdelt:{country}"]
            ).fetchone()
            if row is None or row[0] >= self.first_actor:
                return frozenset()  # asked again later: it may be stored by then, and is ours
            names = [_unqualified(row[1]), *(json.loads(row[2]) if row[2] else [])]
            self.country_known[country] = frozenset(entity_name(n) for n in names)
        return self.country_known[country]

    def _first_sight(self, fields: list[str], at: tuple[int, ...]) -> list:
        code, raw, country, group, ethnic, religion, *types = (fields[i].strip() for i in at)
        if not country and country_name(code) and not any((group, ethnic, religion, *types)):
            country = code  # a bare country code whose CountryCode GDELT left empty ("TWN")
        kind = actor_kind(code, country, group, types[0])
        entity = entity_name(raw)
        role = ""
        notes = "GDELT actor" + (f", CAMEO code {code}" if code else "")
        if not raw:
            external_id, name = f"gdelt:{code}", code
        elif country and (code == country or entity in self._country_names(country)):
            external_id, name, kind = f"gdelt:{country}", display_name(raw), "country"
        elif is_role_name(raw):
            role = entity
            external_id, name = f"gdelt:role:{entity}|{country}", display_name(raw)
            where = f"in {country}" if country else "where GDELT gives no country"
            notes = f"GDELT role name {entity} {where}: a role, which may stand for several people or bodies"
        else:
            external_id, name = f"gdelt:name:{entity}", display_name(raw)
            if kind in ("government body", "group") and looks_like_person(name):
                kind = "person"  # "HILLARY CLINTON" as USAGOV: a person in government, not a body
        identity = self.identities.get(external_id)
        if identity is None:
            label = f"{name} ({country or NO_COUNTRY})" if role else name
            actor_id = self.actors.external(
                external_id, label, kind, suffix=code or "GDELT", country=country or None, notes=notes,
            )  # fmt: skip
            identity = self.identities[external_id] = _Identity(actor_id, external_id, kind, country, role)
        if raw:
            identity.raw.add(normalise(raw))
            written = restore_case(raw)
            if written != name:
                identity.names.setdefault(written, 0)  # "the EU" kept beside "EU"
        for field, value in (
            ("cameo_codes", code), ("country_codes", country), ("known_group_codes", group),
            ("ethnic_codes", ethnic), ("religion_codes", religion),
        ):  # fmt: skip
            if value:
                identity.attributes[field].add(value)
        identity.attributes["type_codes"].update(t for t in types if t)
        return [identity.actor_id, name, 0, identity, (code, kind)]

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
        self._count_rows()
        self._merge_country_names()
        self._settle_names()
        complete(self.writer, self.actors)

    def _count_rows(self) -> None:
        for _actor_id, name, count, identity, code_kind in self.seen.values():
            if count:
                identity.names[name] = identity.names.get(name, 0) + count
                identity.codes[code_kind] = identity.codes.get(code_kind, 0) + count

    @staticmethod
    def _main_name(identity: _Identity) -> str | None:
        """The most used name (ties: first seen), None when it has none."""
        best = max(identity.names.items(), key=lambda item: item[1], default=None)
        return best[0] if best and best[1] else None

    def _merge_country_names(self) -> None:
        """A name the file gives a country under its bare code ("BURUNDI" as
        BDI) is that country under its other codes too ("BURUNDI" as
        BDICOP), also when the other code came first: its actor, made by
        this import, joins the country's."""
        created = set(self.actors.created)
        for identity in list(self.identities.values()):
            if identity.role or identity.kind == "country" or identity.actor_id not in created:
                continue
            country = self.identities.get(f"gdelt:{identity.country}")
            if country is None or not identity.raw:
                continue
            known = {entity_name(n) for n in country.names} | {entity_name(r) for r in country.raw}
            if country_name(identity.country):  # the name the country actor is given (_settle_names)
                known.add(entity_name(country_name(identity.country)))
            if not {entity_name(r) for r in identity.raw} <= known:
                continue
            old, new = identity.actor_id, country.actor_id
            self.conn.execute("UPDATE OR IGNORE event_actors SET actor_id = ? WHERE actor_id = ?", [new, old])
            self.conn.execute("DELETE FROM event_actors WHERE actor_id = ?", [old])
            self.conn.execute("DELETE FROM actors WHERE id = ?", [old])
            self.actors.created.remove(old)
            self.log.report.actors_added -= 1
            self.actors.by_external.pop(identity.external_id, None)
            for name, count in identity.names.items():
                country.names[name] = country.names.get(name, 0) + count
            country.raw |= identity.raw
            for field, values in identity.attributes.items():
                country.attributes[field] |= values
            for seen in self.seen.values():
                if seen[3] is identity:
                    seen[0], seen[3] = new, country
            del self.identities[identity.external_id]

    def _kind(self, identity: _Identity) -> str:
        if identity.kind == "country":
            return "country"
        best = max(identity.codes.items(), key=lambda item: item[1], default=None)
        return best[0][1] if best else identity.kind

    def _settle_names(self) -> None:
        """Name each actor made by this import after the name the file uses
        most for it; the others become aliases, all of them. The names are
        freed first and handed out most-used first, so "China" goes to the
        country CHN rather than to anything else of that name. An actor
        already stored keeps its name and gains the new aliases and codes."""
        created = set(self.actors.created)
        mine = [i for i in self.identities.values() if i.actor_id in created]
        for identity in mine:
            # A placeholder no real name has, until every actor is named.
            self.conn.execute("UPDATE actors SET name = ? WHERE id = ?", [f"\x1f{identity.actor_id}", identity.actor_id])
        countries = {i.country: self._main_name(i) for i in self.identities.values() if i.kind == "country" and i.country}
        ranked = sorted(mine, key=lambda i: (-max(i.names.values(), default=0), i.external_id))
        for identity in ranked:
            names = sorted(identity.names, key=lambda n: -identity.names[n])  # stable: first seen wins a tie
            main = self._main_name(identity) or (names[0] if names else identity.external_id.split(":")[-1])
            if identity.kind == "country" and country_name(identity.country or ""):
                # GDELT codes places as their country ("NEW DELHI", "KOCHI" as IND):
                # the country is named for itself, its places kept as aliases
                main = country_name(identity.country)
            aliases = [n for n in names if n != main]
            if identity.role:
                where = NO_COUNTRY
                if identity.country:
                    where = (country_name(identity.country) or countries.get(identity.country)
                             or self._stored_name(identity.country) or identity.country)
                main = f"{main} ({where})"
            name = self.actors.free_name(main, identity.country or "GDELT")
            self.conn.execute(
                "UPDATE actors SET name = ?, aliases = ?, kind = ?, attributes = ? WHERE id = ?",
                [name, _json_list(aliases), self._kind(identity), self._attributes_json(identity, {}), identity.actor_id],
            )
        for identity in self.identities.values():
            if identity.actor_id not in created:
                self._extend_stored(identity)

    def _stored_name(self, country: str) -> str | None:
        row = self.conn.execute("SELECT name FROM actors WHERE external_id = ?", [f"gdelt:{country}"]).fetchone()
        return _unqualified(row[0]) if row else None

    @staticmethod
    def _attributes_json(identity: _Identity, stored: dict) -> str | None:
        found = {k: set(v) for k, v in stored.items() if isinstance(v, list)}
        for field, values in identity.attributes.items():
            found.setdefault(field, set()).update(values)
        found.setdefault("gdelt_names", set()).update(identity.raw)
        merged = {**stored, **{k: sorted(v) for k, v in found.items() if v}}
        return json.dumps(merged, ensure_ascii=False, sort_keys=True) if merged else None

    def _extend_stored(self, identity: _Identity) -> None:
        """An actor from an earlier import (or the researcher's own): add
        the names and codes this file gives it that it does not have yet."""
        name, aliases, attributes = self.conn.execute(
            "SELECT name, aliases, attributes FROM actors WHERE id = ?", [identity.actor_id]
        ).fetchone()
        known = json.loads(aliases) if aliases else []
        new = [n for n in identity.names if n != name and n not in known and not name.startswith(f"{n} (")]
        try:
            stored = json.loads(attributes) if attributes else {}
        except ValueError:
            stored = {}
        merged = self._attributes_json(identity, stored if isinstance(stored, dict) else {})
        if new or merged != attributes:
            self.conn.execute(
                "UPDATE actors SET aliases = ?, attributes = ? WHERE id = ?",
                [_json_list(known + new), merged, identity.actor_id],
            )


def _json_list(items: list[str]) -> str | None:
    return json.dumps(items, ensure_ascii=False) if items else None


def _unqualified(name: str) -> str:
    """'Burundi (BDI)' -> 'Burundi': a name without the qualifier that kept it unique."""
    return re.sub(r" \([^()]*\)$", "", name)


def import_file(db, path: str | Path, *, dataset: str | None = None, update: bool = False) -> ImportReport:
    """Add the events of a GDELT 1.0/2.0 export, all or nothing."""
    log = Log(ImportReport())
    dataset = dataset or DATASET
    with bulk_cache(db), write(db, "import GDELT", bulk=True):
        digest = note_file(db, log, path)
        importer = _Importer(db, log, dataset=dataset, update=update)
        # A GDELT row is ~1-2 KB; FIELD_LIMIT bounds a runaway line.
        for number, line in enumerate(text_lines(path, log, limit=FIELD_LIMIT), 1):
            importer.row(number, line)
        importer.finish()
        remember_file(db, digest, path, dataset)
    return log.finish()
