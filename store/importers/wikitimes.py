"""WikiTimes: events from Wikipedia's Current Events Portal, as JSON.

The file is a list of events::

    {"id", "date": "2015-09-01", "description", "category": {"id", "name"},
     "belongsToStory": {"id", "name", "wikipediaUrl"}   (often missing),
     "entity": [{"id", "name", "wikiURL"}], "source": [{"id", "url", "type", "sourceName"}]}

What becomes what:

* an event per entry, ``external_id`` "wikitimes:<id>", dated to the day,
  certainty "reported"; the description (trailing spaces and stray " , "
  removed) is the summary and its first sentence the title; the category
  ("War_Conflict") is the type, written "War / Conflict"; the story and the
  category's raw name and id go in ``attributes``.
* each entity becomes an actor, role "mentioned" (the portal links the
  names an entry mentions, without saying who did what). Entities are the
  same when their Wikipedia URL is (``external_id`` = the URL), never by
  name: WikiTimes strips punctuation and accents from names ("Jrme Valcke"),
  so two pages can share a name. When WikiTimes' name is the page title
  from the URL with accents and punctuation dropped ("Jrme Valcke" for
  "Jérôme Valcke"), or a page title run into the heading of the section
  linked, the actor is named by the page title and WikiTimes' name is an
  alias; otherwise the actor keeps WikiTimes' name with the page title as
  an alias, and when the name is already taken by another actor the page
  title is put in brackets ("Apple Inc (Apple Inc.)"). An actor of that name from no data set
  (external_id NULL) is taken to be the same one.
* the kind is guessed from the name and the page title, erring on the side
  of "organisation" (the portal links places and topics too, and
  Threadline has no kind for those): "country" for a sovereign state's
  name, "person" for a page disambiguated by an occupation ("Tom Watson
  (Labour politician)"), "media" for a name with a press word (News,
  Times, Radio ...) or one that publishes two or more of the file's sources, "government body" for ministries, armed forces,
  courts, parliaments and offices ("Prime Minister of Malaysia"), "group"
  for peoples ("Syrian people") and militant groups, "person" for a page
  named like a person ("Barack Obama": ``names.looks_like_person``, two to
  four capitalised words with no place, event or body word) unless the
  file's sentences place it ("in Al Hudaydah, Yemen": "organisation") or
  arm it ("Abu Sayyaf militants": "group"), else "organisation".
* sources keep their URLs (one source per URL, publisher = sourceName).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import records
from ..interchange import ImportError_, ImportReport
from ..writing import write
from ..records import RecordError
from .books import ImportBooks
from .log import Log
from .names import looks_like_person
from .text_input import read_json
from .values import short_title, stable_id
from .writer import complete, event_row

# Sovereign states as Wikipedia titles them (UN members and observers, plus
# Kosovo and Taiwan): the entity kind "country".
COUNTRIES = frozenset("""
Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|Azerbaijan|
Bahamas|The Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|
Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|
Chad|Chile|China|People's Republic of China|Colombia|Comoros|Republic of the Congo|Democratic Republic of the Congo|
Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Denmark|Djibouti|Dominica|Dominican Republic|East Timor|Ecuador|Egypt|
El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Swaziland|Ethiopia|Fiji|Finland|France|Gabon|The Gambia|
Georgia (country)|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|
India|Indonesia|Iran|Iraq|Republic of Ireland|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|
Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|
Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|
Federated States of Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|
Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Republic of Macedonia|Norway|Oman|
Pakistan|Palau|State of Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|
Russia|Rwanda|Saint Kitts and Nevis|Saint Lucia|Saint Vincent and the Grenadines|Samoa|San Marino|
São Tomé and Príncipe|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|
Solomon Islands|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|
Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|
Ukraine|United Arab Emirates|United Kingdom|United States|Uruguay|Uzbekistan|Vanuatu|Vatican City|Venezuela|Vietnam|Viet Nam|
Yemen|Zambia|Zimbabwe
""".replace("\n", "").split("|"))

# A page disambiguated by one of these words is about a person.
OCCUPATIONS = re.compile(
    r"\((?:[^)]*\s)?(?:politician|actor|actress|footballer|cricketer|singer|musician|rapper|journalist|judge|"
    r"businessman|businesswoman|athlete|boxer|golfer|writer|author|general|activist|clerk|bishop|priest|"
    r"lawyer|economist|scientist|player|coach|director|presenter|comedian|model)\)",
    re.IGNORECASE,
)
GOVERNMENT_WORDS = re.compile(
    r"\b(?:ministry|department|government|parliament|congress|senate|court|police|army|navy|air force|"
    r"armed forces|military|agency|commission|cabinet|house of representatives|national assembly|"
    r"prime minister|president|governor|mayor|secretary)\b",
    re.IGNORECASE,
)
GROUP_WORDS = re.compile(r"(?:\speople$|militant group|\bmilitia\b|\brebels?\b|\binsurgents?\b)", re.IGNORECASE)
MEDIA_WORDS = re.compile(
    r"\b(?:news|times|post|television|tv|radio|broadcasting|press|journal|herald|tribune|gazette|"
    r"telegraph|newspaper|magazine)\b",
    re.IGNORECASE,
)


def page_title(url: str) -> str:
    """'Jérôme Valcke' from http://en.wikipedia.org/wiki/J%C3%A9r%C3%B4me_Valcke."""
    path = urlsplit(url).path
    title = path.rsplit("/wiki/", 1)[-1] if "/wiki/" in path else path.rsplit("/", 1)[-1]
    return unquote(title).replace("_", " ").strip()


def _ascii_only(text: str) -> str:
    return " ".join("".join(c for c in text if c.isascii() and (c.isalnum() or c == " ")).split())


def _stripped_copy(written: str, title: str, url: str) -> bool:
    """Whether WikiTimes' name is the page title with its accents and
    punctuation dropped ("Otto Prez Molina" for "Otto Pérez Molina"), or
    the title run into a section heading of a link to that section
    ("TofacitinibIndia rejects ..." for Tofacitinib#India_rejects_...):
    then the page title is the truer name."""
    if not written:
        return False
    bare = _ascii_only(title)
    if _ascii_only(written) == bare:
        return True
    return "#" in url and _ascii_only(written).startswith(bare.replace(" ", ""))


# what the portal's sentences say right beside a name that a person never is:
# "in Al Hudaydah, Yemen", "south of Da Nang, Viet Nam", "Abu Sayyaf militants"
_ARMED_AFTER = r"(?:militants?|fighters?|insurgents?|rebels?|militias?|jihadists?)\b"
_BODY_AFTER = (r"(?:forces|troops|members|supporters|port|airport|province|region|city|town|district|station|"
               r"offices|attacks?|party|group)\b")


def context_kind(name: str, contexts: list[str]) -> str | None:
    """What the file's sentences make of ``name`` when it is not a person:
    "group" for "NAME militants", "organisation" for a place ("in NAME,
    Yemen") or a body ("NAME party"); None when they say neither."""
    quoted = re.escape(name)
    countries = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))
    armed = re.compile(rf"\b{quoted}(?:\s+\([^)]*\))?\s+{_ARMED_AFTER}")
    other = re.compile(rf"\b{quoted},\s+(?:{countries})\b|\b{quoted}(?:\s+\([^)]*\))?\s+{_BODY_AFTER}")
    if any(armed.search(text) for text in contexts):
        return "group"
    if any(other.search(text) for text in contexts):
        return "organisation"
    return None


def entity_kind(name: str, title: str, publishers: set[str], contexts: list[str] = ()) -> str:
    if title in COUNTRIES or name in COUNTRIES:
        return "country"
    if OCCUPATIONS.search(title):
        return "person"
    if MEDIA_WORDS.search(title) or name in publishers or title in publishers:
        return "media"
    if GROUP_WORDS.search(title):
        return "group"
    if GOVERNMENT_WORDS.search(title):
        return "government body"
    if looks_like_person(title or name):
        # "Barack Obama", "Jérôme Valcke": a page named like a person, unless the file says otherwise
        return context_kind(name, list(contexts)) or "person"
    return "organisation"


def clean_description(text) -> str:
    """Drop the trailing spaces and stray " , " the portal's scrape left."""
    text = " ".join(str(text or "").split())
    text = re.sub(r"(?:\s*,)+\s*$", "", text)  # "... Mogadishu. , " -> "... Mogadishu."
    text = re.sub(r"\s+,\s+,", ",", text)
    return re.sub(r"\s+,", ",", text).strip()


def category_type(name: str | None) -> str | None:
    """'War_Conflict' -> 'War / Conflict'."""
    if not name:
        return None
    return " / ".join(part for part in str(name).split("_") if part)


class _Skip(Exception):
    pass


class _Importer(ImportBooks):
    def __init__(self, db, log: Log, publishers: set[str], contexts: dict[str, list[str]]):
        super().__init__(db, log)
        self.publishers = publishers
        self.contexts = contexts
        self.by_entity_id: dict[str, int] = {}

    def entry(self, entry) -> None:
        if not isinstance(entry, dict):
            raise _Skip("not an object")
        if not entry.get("date"):
            raise _Skip("no date")
        try:
            bounds = records.event_bounds(str(entry["date"]))
        except RecordError as exc:
            raise _Skip(str(exc)) from None
        summary = clean_description(entry.get("description"))
        category = entry.get("category") if isinstance(entry.get("category"), dict) else {}
        row = event_row(
            title=short_title(summary) or f"Event ({bounds['start']})", bounds=bounds, certainty="reported",
            summary=summary or None, type=category_type(category.get("name")),
            attributes=self._attributes(entry, category), external_id=self._identity(entry, summary),
        )  # fmt: skip
        self.writer.add(row, self._entities(entry), self._sources(entry))

    @staticmethod
    def _identity(entry: dict, summary: str) -> str:
        if entry.get("id"):
            return f"wikitimes:{entry['id']}"
        return stable_id("wikitimes:", [str(entry.get("date")), summary])  # no id: its date and text

    @staticmethod
    def _attributes(entry: dict, category: dict) -> dict:
        attrs = {"category": category.get("name"), "category_id": category.get("id"), "wikitimes_id": entry.get("id")}
        story = entry.get("belongsToStory")
        if isinstance(story, dict):
            attrs.update(story=story.get("name"), story_id=story.get("id"), story_url=story.get("wikipediaUrl"))
        return {k: v for k, v in attrs.items() if v not in (None, "")}

    def _entities(self, entry: dict) -> list[tuple[int, str]]:
        found = []
        for entity in entry.get("entity") or []:
            actor_id = self._actor(entity) if isinstance(entity, dict) else None
            if actor_id is not None:
                found.append((actor_id, "mentioned"))
        return found

    def _actor(self, entity: dict) -> int | None:
        key = str(entity.get("id") or "")
        if key and key in self.by_entity_id:
            return self.by_entity_id[key]
        url = str(entity.get("wikiURL") or "").strip()
        title = page_title(url) if url else ""
        written = " ".join(str(entity.get("name") or "").split())
        name = title if title and _stripped_copy(written, title, url) else written or title
        if not name:
            return None
        aliases = [a for a in dict.fromkeys((written, title)) if a and a != name]
        actor_id = self.actors.external(
            self._page_key(url) or f"wikitimes-entity:{key or name}", name,
            entity_kind(name, title, self.publishers, self.contexts.get(written or name, [])),
            suffix=title if title and title != name else "Wikipedia", aliases=aliases, notes=url or None,
        )  # fmt: skip
        if key:
            self.by_entity_id[key] = actor_id
        return actor_id

    def _page_key(self, url: str) -> str:
        """A link to a section of a page is the page ("…/Tofacitinib#India…" is
        Tofacitinib), unless an earlier import already keyed an actor by it."""
        page = url.split("#", 1)[0]
        if page == url or self.actors.conn.execute("SELECT 1 FROM actors WHERE external_id = ?", [url]).fetchone():
            return url
        return page

    def _sources(self, entry: dict) -> list[tuple[int, None]]:
        found = []
        for source in entry.get("source") or []:
            if not isinstance(source, dict):
                continue
            url = str(source.get("url") or "").strip() or None
            publisher = " ".join(str(source.get("sourceName") or "").split()) or None
            source_id = self.sources.get(url=url, publisher=publisher)
            if source_id is not None:
                found.append((source_id, None))
        return found


def _contexts(entries: list) -> dict[str, list[str]]:
    """Each entity name as written -> the descriptions of the entries that
    link it: what the file says around a name, read before its kind is set."""
    found: dict[str, list[str]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        text = clean_description(entry.get("description"))
        for entity in entry.get("entity") or []:
            if isinstance(entity, dict) and entity.get("name"):
                found.setdefault(" ".join(str(entity["name"]).split()), []).append(text)
    return found


def _publishers(entries: list) -> set[str]:
    """Names that publish at least two sources: media, not one-off
    publishers such as a ministry's press release."""
    counts = Counter(
        str(s.get("sourceName")).strip()
        for e in entries if isinstance(e, dict)
        for s in e.get("source") or [] if isinstance(s, dict) and s.get("sourceName")
    )  # fmt: skip
    return {name for name, n in counts.items() if n >= 2}


def import_file(db, path: str | Path) -> ImportReport:
    """Add the events of a WikiTimes JSON file, all or nothing."""
    path = Path(path)
    log = Log(ImportReport())
    data = read_entries(path, log)
    with write(db, "import WikiTimes", bulk=True):
        importer = _Importer(db, log, _publishers(data), _contexts(data))
        for i, entry in enumerate(data):
            try:
                importer.entry(entry)
            except _Skip as exc:
                log.skip(f"entry {i}", str(exc))
        complete(importer.writer, importer.actors)
    return log.finish()


def read_entries(path: Path, log: Log) -> list:
    data = read_json(path, log)
    if isinstance(data, dict):  # some dumps wrap the list: {"events": [...]}
        data = data.get("events") or data.get("data")
    if not isinstance(data, list):
        raise ImportError_(f"{path}: not a WikiTimes file (expected a list of events)")
    return data
