"""Finding sentences, actors' names and dates in a document's text.

Rule- and dictionary-based, with nothing downloaded: known actors are
matched by name and alias (case- and accent-insensitive, except short
all-capital aliases such as "US", which must match as written so the
pronoun "us" is not taken for a country); other capitalised names are
offered as new actors. Dates are read against the document's publication
day with ``store.dates``. Every span is a pair of character offsets into
the text exactly as stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import DateError, parse_date, seconds_from_datetime
from .dates.seconds import MONTH_NAMES, WEEKDAY_NAMES
from .demonyms import is_demonym
from datetime import datetime

# ---------------------------------------------------------------- sentences

_QUOTES_OPEN = "“\"‘"
_QUOTES_CLOSE = "”\"’"
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Jr|Sr|No|Inc|Corp|Co|Ltd|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence spans: split after . ! ? (and a closing quote) before a
    capital or an opening quote, never inside quotation marks or after an
    abbreviation such as "U.S."; lines are never joined."""
    out: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start, depth = line.start(), 0
        i = line.start()
        end_of_line = line.end()
        while i < end_of_line:
            ch = text[i]
            if ch in "“":
                depth += 1
            elif ch in "”":
                depth = max(0, depth - 1)
            elif ch == '"':
                depth = 0 if depth else 1
            if ch in ".!?" and depth == 0 or (ch in "”\"" and depth == 0 and i > 0 and text[i - 1] in ".!?"):
                j = i + 1
                while j < end_of_line and text[j] in "”\"’)":
                    j += 1
                k = j
                while k < end_of_line and text[k] == " ":
                    k += 1
                if k > j and k < end_of_line and (text[k].isupper() or text[k] in _QUOTES_OPEN or text[k].isdigit()):
                    if not (ch == "." and _ABBREVIATION.search(text[start:i + 1])):
                        out.append(Span(start, j))
                        start = k
                        i = k
                        continue
            i += 1
        if text[start:end_of_line].strip():
            out.append(Span(start, end_of_line))
    return out


# ---------------------------------------------------------------- names


def fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, with the original offset of each
    folded character (the folded text can be longer, e.g. "ß")."""
    out, where = [], []
    for index, ch in enumerate(text):
        if ch in "’‘`´":
            ch = "'"
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()
        for c in base or ch:
            out.append(c)
            where.append(index)
    return "".join(out), where


@dataclass(frozen=True)
class KnownActor:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    name: str  # the actor's name (known) or the name as written (new)
    actor_id: int | None  # None: a new actor


_COMPANY_SUFFIX = re.compile(r",?\s+(?:Ltd|Limited|Inc|Incorporated|Corp|Corporation|Co|LLC|plc|PLC|GmbH|AG|S\.?A)\.?$")


class ActorMatcher:
    """Known actors' names and aliases, matched in one pass of a regex."""

    def __init__(self, actors: list[KnownActor]):
        self.actors = actors
        folded: dict[str, int] = {}
        exact: dict[str, int] = {}
        surnames: dict[str, list[int]] = {}
        for a in actors:
            for written in (a.name, *a.aliases):
                written = written.strip()
                if not written:
                    continue
                if len(written) <= 4 and written.replace(".", "").isupper():
                    exact.setdefault(written, a.id)
                else:
                    folded.setdefault(fold(written)[0], a.id)
                    short = _COMPANY_SUFFIX.sub("", written)  # "Harbour Holdings" is Harbour Holdings Ltd
                    if short != written and len(short.split()) >= 2:
                        folded.setdefault(fold(short)[0], a.id)
            if a.kind == "person":
                parts = a.name.split()
                if len(parts) >= 2 and len(parts[-1]) >= 3:
                    surnames.setdefault(fold(parts[-1])[0], []).append(a.id)
        for key, ids in surnames.items():
            if len(ids) == 1:
                folded.setdefault(key, ids[0])
        self._by_id = {a.id: a for a in actors}
        self._folded = folded
        self._exact = exact
        self._folded_re = self._alternation(folded)
        self._exact_re = self._alternation(exact)

    @staticmethod
    def _alternation(names) -> re.Pattern | None:
        if not names:
            return None
        body = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # a name ending in "." may be followed by anything ("U.S.-China")
        return re.compile(rf"(?<![\w])(?:{body})(?:(?<=\.)|(?![\w]))")

    def find(self, text: str) -> list[NameMatch]:
        found: list[NameMatch] = []
        if self._folded_re is not None:
            folded, where = fold(text)
            for m in self._folded_re.finditer(folded):
                actor = self._by_id[self._folded[m.group()]]
                found.append(NameMatch(where[m.start()], where[m.end() - 1] + 1, actor.name, actor.id))
        if self._exact_re is not None:
            for m in self._exact_re.finditer(text):
                actor = self._by_id[self._exact[m.group()]]
                found.append(NameMatch(m.start(), m.end(), actor.name, actor.id))
        # longest first, then drop matches inside another
        found.sort(key=lambda n: (n.start, -(n.end - n.start)))
        kept: list[NameMatch] = []
        for n in found:
            if kept and n.start < kept[-1].end:
                continue
            kept.append(n)
        return kept


_NOT_NAMES = {
    "the", "a", "an", "this", "these", "those", "that", "it", "its", "he", "she", "they", "we", "i", "you",
    "in", "on", "at", "for", "from", "with", "by", "as", "but", "and", "or", "if", "while", "when", "after",
    "before", "according", "however", "meanwhile", "for", "read", "others", "some", "recent", "there", "here",
    "his", "her", "their", "our", "my", "what", "why", "how", "who", "where", "also", "both", "any", "all",
    "today", "yesterday", "tomorrow", "last", "next", "earlier", "later", "since", "until", "then", "so",
    "mr", "mrs", "ms", "dr", "new", "one", "two", "such", "many", "most", "more", "officials", "sources",
}
_TITLE_WORDS = {
    "president", "secretary", "minister", "prime", "chancellor", "senator", "governor", "chairman", "chairwoman",
    "ceo", "director", "spokesman", "spokeswoman", "spokesperson", "ambassador", "general", "treasury", "state",
    "public", "security", "commerce", "foreign", "defense", "defence", "chief", "vice", "deputy", "mayor",
    "judge", "justice", "premier", "king", "queen", "pope", "envoy", "commissioner", "chair", "executive",
    "representative", "rep.", "sen.", "gov.", "gen.", "u.s.", "chinese", "american", "british", "french",
    "german", "russian", "former", "interior", "finance", "economy", "trade", "officer", "head", "leader",
    "speaker", "majority", "minority", "whip", "house", "senate", "lawmaker", "councillor", "councilor",
}
# a body named by its field alone ("Commerce Ministry"): the title word is part of the name
_BODY_WORDS = {
    "ministry", "department", "agency", "council", "committee", "office", "bureau", "commission",
    "administration", "authority", "service", "court", "party", "police", "army", "navy", "bank",
}
# abbreviations that end in a full stop inside a name ("Gen. Mark Milley", "Smith Corp.")
_NAME_ABBREVIATIONS = {"gen", "sen", "rep", "gov", "col", "capt", "sgt", "lt", "mr", "mrs", "ms", "dr", "st",
                       "jr", "sr", "co", "corp", "inc", "ltd", "mt", "ft", "prof", "rev", "hon"}


def _ends_sentence(word: str) -> bool:
    """Whether a capitalised word ends its sentence ("China." before "China
    is ..."), not an abbreviation or initials ("U.S.", "Gen.")."""
    if not word.endswith("."):
        return False
    stem = word[:-1]
    return len(stem) >= 3 and "." not in stem and stem.lower() not in _NAME_ABBREVIATIONS


_MONTHS = {m.lower() for m in MONTH_NAMES[1:]} | {m.lower()[:3] for m in MONTH_NAMES[1:]}
_WEEKDAYS = {d.lower() for d in WEEKDAY_NAMES}
_CAP_WORD = re.compile(r"[A-Z][\w&.'’\-]*[\w.]|[A-Z]")


def new_names(text: str, start: int, end: int, known: list[NameMatch]) -> list[NameMatch]:
    """Capitalised names in text[start:end] that are not known actors:
    runs of capitalised words, with leading titles ("Foreign Minister")
    dropped, the first word of the sentence only when a name follows it."""
    taken = [(k.start, k.end) for k in known]
    words = [m for m in _CAP_WORD.finditer(text, start, end)
             if not any(s <= m.start() < e for s, e in taken)]
    runs: list[list[re.Match]] = []
    for m in words:
        if (runs and re.fullmatch(r"[ ]|[ ](?:of|de|la|van|von|al|bin|da)[ ]", text[runs[-1][-1].end():m.start()])
                and not _ends_sentence(runs[-1][-1].group())):
            runs[-1].append(m)
        else:
            runs.append([m])
    out: list[NameMatch] = []
    for run in runs:
        # "Hannity Program" after the known "Hannity": part of a known name
        if any(text[k_end:run[0].start()] in (" ", "’ ", "' ") for _, k_end in taken):
            continue
        while run and (run[0].group().lower().rstrip("'’s") in _NOT_NAMES or run[0].group().lower() in _TITLE_WORDS
                       or run[0].group().lower() in _MONTHS or run[0].group().lower() in _WEEKDAYS):
            if run[0].group().lower() in _TITLE_WORDS and len(run) == 1:
                break
            run = run[1:]
        if len(run) > 1 and run[0].group().endswith(("’s", "'s")):
            run = run[1:]  # "China’s Commerce Ministry": China is its own name
        titles = [i for i, m in enumerate(run) if m.group().lower() in _TITLE_WORDS]
        if titles and titles[-1] < len(run) - 1 and not (
                titles[-1] == len(run) - 2 and run[-1].group().lower() in _BODY_WORDS):
            run = run[titles[-1] + 1:]  # "Transport Minister Karl Berger" is Karl Berger; "Commerce Ministry" stays
        while run and (run[-1].group().lower().rstrip(".") in _MONTHS or run[-1].group().lower().rstrip(".") in _WEEKDAYS):
            run = run[:-1]
        if not run or is_demonym(text[run[0].start():run[-1].end()]):
            continue  # "the Dutch", "Israelis": a people, not an actor of its own
        first = run[0]
        at_sentence_start = not text[start:first.start()].strip(" “\"‘(")
        if at_sentence_start and len(run) == 1:
            continue
        if len(run) == 1 and (len(first.group()) < 3 or first.group().lower() in _TITLE_WORDS):
            continue
        if len(run) == 1 and re.fullmatch(r"[A-Z][\w.]*-[A-Z][\w.]*", first.group()):
            continue  # "U.S.-China relations": two parties named as one adjective
        s, e = first.start(), run[-1].end()
        written = text[s:e].rstrip(".’'")
        if written.endswith("’s") or written.endswith("'s"):
            written = written[:-2]
        out.append(NameMatch(s, s + len(written), written, None))
    return out


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str  # as written
    earliest: int | None  # None: open (reported by the latest bound, no date of its own)
    latest: int
    precision: str  # year | month | day | minute | on or before


_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_YEAR_OK = r"(?![\d%,.]\d|%|\s*(?:percent|per cent|million|billion|people|times|tons?|tonnes)\b)"
_DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}"
_MONTH_DAY = rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
# "between A and B"; "(from) A to B", "A-B"; never "on A and B", which is two days
_UNTIL = r"(?:\s+(?:to|until|through)\s+|\s*[-–]\s*)"
_DATE_PATTERNS = [
    # ranges first so their ends are not read alone: "between 28 April and 2 May 2025",
    # "from 3 to 5 May 2025", "April 28 to May 2, 2025", "3-5 May 2025"
    *(("dayrange", rf"\b(?:between\s+{start}\s+and\s+|(?:from\s+)?{start}{_UNTIL}){end}\s*,?\s+{_YEAR}\b")
      for start, end in (
          (rf"{_DAY_MONTH}(?:\s+{_YEAR})?", _DAY_MONTH),
          (rf"{_MONTH_DAY}(?:\s*,?\s+{_YEAR})?", rf"(?:{_MONTH}\s+)?\d{{1,2}}(?:st|nd|rd|th)?"),
          (r"\d{1,2}(?:st|nd|rd|th)?", _DAY_MONTH),
      )),
    ("range", rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|until)\s+{_YEAR}\b"),
    ("range", rf"\b(?:in\s+)?{_YEAR}\s+and\s+{_YEAR}\b{_YEAR_OK}"),
    ("range", rf"\b{_YEAR}\s*[-–/]\s*(?:{_YEAR}|\d\d)\b{_YEAR_OK}"),
    ("absolute", rf"\b\d{{1,2}}\s+{_MONTH}\s*,?\s+{_YEAR}\b"),
    ("absolute", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,\s*{_YEAR}\b"),
    ("absolute", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{_YEAR}\b"),
    ("absolute", rf"\b{_YEAR}-\d\d-\d\d\b"),
    ("absolute", rf"\b(?:early|mid|late)?-?\s*{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
    ("dayonly", rf"\b(?:on\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?![\w])(?!\s*,?\s*{_YEAR})"),
    ("dayonly", rf"\b(?:on\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*,?\s*{_YEAR})(?![\d%])"),
    ("monthonly", rf"\b(?:in|since|until|by|last|this|early|late|mid-?)\s+{_MONTH}(?![\w])(?!\s*,?\s*(?:\d|of\s+\d))"),
    ("weekday", rf"\b(?:(?:on|last|this|next|late|early)\s+)?(?:(?:midday|noon|morning|afternoon|evening|night|late|early)\s+(?:on\s+)?)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b"),
    ("relative", r"\b(?:yesterday|today|last\s+(?:week|month|year)|this\s+(?:week|month|year)|earlier\s+this\s+(?:week|month|year)|(?:a|one|two|three|four|five|six|seven|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago)\b"),
    ("thereafter", r"\b(?:thereafter|since\s+then|afterwards)\b"),
    ("year", rf"\b(?:(?:in|since|by|during|until|of|from)\s+)?(?:(?:early|late|mid)(?:-|\s+))?{_YEAR}\b{_YEAR_OK}"),
]
_DATE_RE = [(kind, re.compile(p, re.IGNORECASE if kind not in ("year", "range") else 0)) for kind, p in _DATE_PATTERNS]
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _secs(d: date) -> int:
    return seconds_from_datetime(datetime(d.year, d.month, d.day))


def day_bounds(d: date) -> tuple[int, int]:
    return _secs(d), _secs(d) + 86399


def _month_bounds(year: int, month: int) -> tuple[int, int]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return _secs(first), _secs(nxt) - 1


def _year_bounds(year: int) -> tuple[int, int]:
    return _secs(date(year, 1, 1)), _secs(date(year + 1, 1, 1)) - 1


def _strip_preposition(text: str) -> str:
    return re.sub(r"^(?:in|on|since|by|during|until|of|from)\s+", "", text, flags=re.IGNORECASE)


_FUTURE = re.compile(r"\b(?:will|would|shall|is|are)\s+(?:\w+\s+)?(?:expected|due|set|scheduled|planning|going)\s+to\b|"
                     r"\b(?:will|would)\b|\bplans?\s+to\b|\bnext\b", re.IGNORECASE)


def _read(kind: str, written: str, pub: date | None, previous: FoundDate | None, future: bool = False) -> FoundDate | None:
    """Bounds for one date expression; None when it cannot be read. With
    ``future`` (the clause speaks of what is to come: "will", "is expected
    to"), a bare weekday or month is the next one, not the last."""
    body = _strip_preposition(written.strip())
    try:
        if kind in ("absolute", "year", "range", "dayrange"):
            try:  # "early 2023", "mid-May 2025": the date reader knows these parts of a year or month
                fd = parse_date(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", body))
                return FoundDate(0, 0, written, fd.earliest, fd.latest, fd.precision)
            except DateError:
                pass
            clean = re.sub(r"^(?:early|mid|late)-?\s*", "", body, flags=re.IGNORECASE)
            clean = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", clean)
            clean = re.sub(r"\bof\s+", "", clean)
            clean = re.sub(r"^(?:in\s+)?(\d{4})\s+and\s+(\d{4})$", r"\1 to \2", clean)
            clean = re.sub(r"^(?:between|from)\s+", "", clean, flags=re.IGNORECASE)
            clean = re.sub(r"\s+(?:and|until)\s+", " to ", clean)
            fd = parse_date(clean)
            return FoundDate(0, 0, written, fd.earliest, fd.latest, fd.precision)
        if pub is None:
            return None
        if kind == "dayonly":
            clean = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", body)
            fd = parse_date(f"{clean} {pub.year}")
            day = datetime(1970, 1, 1) + timedelta(seconds=fd.earliest)
            if day.date() > pub + timedelta(days=60):  # "on 20 December" in a January article
                fd = parse_date(f"{clean} {pub.year - 1}")
            return FoundDate(0, 0, written, fd.earliest, fd.latest, "day")
        if kind == "monthonly":
            qualifier, month_word = body.split()[0].lower().rstrip("-"), body.split()[-1]
            month = next(i for i in range(1, 13) if month_word.lower().rstrip(".").startswith(MONTH_NAMES[i][:3].lower()))
            if future or qualifier == "next":
                year = pub.year if month >= pub.month else pub.year + 1
            else:
                year = pub.year if month <= pub.month else pub.year - 1
            e, l = _month_bounds(year, month)
            return FoundDate(0, 0, written, e, l, "month")
        if kind == "weekday":
            name = re.search(_WEEKDAY, body, re.IGNORECASE).group()
            qualifier = re.match(r"(last|next|this)\b", body, re.IGNORECASE)
            phrase = f"{qualifier.group(1)} {name}" if qualifier and qualifier.group(1).lower() != "this" else name
            if future and not qualifier and WEEKDAY_NAMES.index(name.capitalize()) != pub.weekday():
                phrase = f"next {name}"
            fd = parse_date(phrase, reference=pub)
            return FoundDate(0, 0, written, fd.earliest, fd.latest, "day")
        if kind == "relative":
            low = body.lower()
            if low in ("yesterday", "today"):
                e, l = day_bounds(pub - timedelta(days=1 if low == "yesterday" else 0))
                return FoundDate(0, 0, written, e, l, "day")
            if low.endswith("last week"):
                monday = pub - timedelta(days=pub.weekday() + 7)
                return FoundDate(0, 0, written, _secs(monday), _secs(monday + timedelta(days=7)) - 1, "day")
            if low.endswith("this week"):
                monday = pub - timedelta(days=pub.weekday())
                return FoundDate(0, 0, written, _secs(monday), day_bounds(pub)[1], "day")
            if low.endswith("last month"):
                y, m = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
                e, l = _month_bounds(y, m)
                return FoundDate(0, 0, written, e, l, "month")
            if low.endswith("this month"):
                return FoundDate(0, 0, written, _month_bounds(pub.year, pub.month)[0], day_bounds(pub)[1], "day")
            if low.endswith("last year"):
                e, l = _year_bounds(pub.year - 1)
                return FoundDate(0, 0, written, e, l, "year")
            if low.endswith("this year"):
                return FoundDate(0, 0, written, _year_bounds(pub.year)[0], day_bounds(pub)[1], "day")
            ago = re.match(r"(\w+)\s+(day|week|month|year)s?\s+ago", low)
            if ago:
                n = int(ago.group(1)) if ago.group(1).isdigit() else _NUMBER_WORDS.get(ago.group(1), 1)
                unit = ago.group(2)
                if unit == "day":
                    e, l = day_bounds(pub - timedelta(days=n))
                    return FoundDate(0, 0, written, e, l, "day")
                if unit == "week":
                    d = pub - timedelta(days=7 * n)
                    return FoundDate(0, 0, written, day_bounds(d - timedelta(days=3))[0], day_bounds(d + timedelta(days=3))[1], "day")
                if unit == "month":
                    index = pub.year * 12 + pub.month - 1 - n
                    e, l = _month_bounds(index // 12, index % 12 + 1)
                    return FoundDate(0, 0, written, e, l, "month")
                e, l = _year_bounds(pub.year - n)
                return FoundDate(0, 0, written, e, l, "year")
        if kind == "thereafter":
            # after the date before it in the same passage, up to the publication day
            if previous is None or previous.latest is None:
                return None
            return FoundDate(0, 0, written, previous.latest + 1, day_bounds(pub)[1], previous.precision)
    except (DateError, ValueError, StopIteration, OverflowError):
        return None
    return None


def find_dates(text: str, start: int, end: int, pub: date | None) -> list[FoundDate]:
    """Date expressions in text[start:end], in order, none overlapping."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _DATE_RE:
        for m in pattern.finditer(text, start, end):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue
            before = text[max(start, m.start() - 6):m.start()]
            if kind in ("year", "range") and re.search(r"(?:\$|S&P\s|[£€¥]|No\.\s?)$", before):
                continue
            if kind == "year" and re.search(r"(?:compared\s+(?:with|to)|than|versus|vs\.?)\s+$", text[max(start, m.start() - 16):m.start()]):
                continue  # a baseline of a comparison, not when something happened
            spans.append((m.start(), m.end(), kind))
    spans.sort()
    found: list[FoundDate] = []
    for s, e, kind in spans:
        if text[e - 1] == "." and re.search(r"(?:January|February|March|April|May|June|July|August|September|"
                                            r"October|November|December)\.$", text[s:e]):
            e -= 1  # the full stop ends the sentence, not an abbreviation
        clause = text[max(start, text.rfind(",", start, s) + 1):s]
        fd = _read(kind, text[s:e], pub, found[-1] if found else None, future=bool(_FUTURE.search(clause)))
        if fd is not None:
            found.append(FoundDate(s, e, text[s:e], fd.earliest, fd.latest, fd.precision))
    return found
