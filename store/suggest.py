"""Suggesting events from a document's passages, by rule, without a model.

Each sentence that states something datable about someone becomes a
candidate: a sentence with a date of its own gives one candidate per date
(the date as written, read against the document's publication day); a
sentence without one gives a candidate only when it reports an action or a
statement by a named actor, and it is then dated "on or before" the
publication day (no date of its own: the lower bound is open), never "on"
it. Speculation ("could", "will likely") and background in the present
tense are left out. Nothing is stored: the review list in the window or
``threadline suggest`` decide what becomes an event.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlite_utils import Database

from .dates import DateError, datetime_from_seconds, parse_date
from .dates.seconds import MONTH_NAMES
from .documents import Document, get_document
from .records import reference_date
from .textscan import ActorMatcher, FoundDate, KnownActor, NameMatch, find_dates, new_names, sentences

ON_OR_BEFORE = "on or before"

_MODAL = re.compile(r"\b(?:could|would|might|may|should|will|shall|can)\b(?!\s+not\s+be\s+reached)", re.IGNORECASE)
_AUXILIARY = r"(?:has|have|had|is|are|was|were|has been|have been|had been)"
_IRREGULAR = (
    "said|told|met|made|sent|took|gave|went|came|began|led|held|won|lost|left|paid|sold|bought|brought|"
    "fought|thought|spoke|wrote|struck|stood|broke|chose|drew|drove|fell|flew|forbade|got|hit|hid|hung|"
    "kept|knew|laid|let|meant|put|ran|rose|saw|set|shot|shut|sought|spent|stole|swore|taught|threw|"
    "understood|withdrew|beat|became|bore|built|caught|cut|dealt|dug|fed|felt|fled|found|forgot|grew|"
    "heard|lent|lit|overtook|quit|read|rode|rang|sank|shook|slid|split|spread|sprang|stuck|stung|swept|"
    "swung|tore|undertook|upheld|woke|wore|wove|wept"
)
_ACTION_VERB = re.compile(
    rf"\b(?:{_AUXILIARY}\s+(?:\w+ly\s+)?\w+(?:ed|en|ing|wn|ne)\b|{_AUXILIARY}\s+(?:{_IRREGULAR})\b|"
    rf"(?:{_IRREGULAR})\b|\w{{3,}}ed\b|(?:says|tells|announces|warns|denies|confirms)\b)",
    re.IGNORECASE,
)
_NOT_VERB_ED = {"based", "related", "linked", "produced", "armed", "united", "advanced", "limited", "alleged",
                "supposed", "concerned", "detailed", "hundred", "need", "red", "bed", "indeed", "speed", "feed",
                "seed", "shed", "led", "aged", "married", "beloved", "naked", "wicked", "sacred", "unexpected"}
_REPORTING = re.compile(
    r"\b(?:said|says|reported|reports|told|announced|stated|confirmed|noted|added|wrote|according to|"
    r"signal(?:l)?ed|emphasi[sz]ed|claimed|denied|warned|indicated|revealed|highlights|highlighted)\b",
    re.IGNORECASE,
)
_THAT_CLAUSE = re.compile(r"\b(?:reported|said|says|announced|stated|confirmed|noted|claimed|highlights|"
                          r"highlighted|revealed|warned|added|emphasi[sz]ed|stressed|insisted|argued|alleged|"
                          r"told \w+)\s+that\s+", re.IGNORECASE)
_LEAD_IN = re.compile(r"^(?:according to [^,]{0,80},|in a related move,|however,|meanwhile,|for now,|on \w+,|"
                      r"in (?:a|an) [^,]{0,40},|as [^,]{0,80},)\s*", re.IGNORECASE)


_DATELINE = re.compile(r"[A-Z][A-Z .'\-]{2,}(?:,\s*[^()\-–—\n]{0,40}?)?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]+\s+")


@dataclass
class Candidate:
    title: str
    date: str  # as written ("on Friday"), or "on or before 2 May 2025" for a statement with no date of its own
    earliest: str | None  # ISO 8601 UTC; None when open (on or before)
    latest: str
    precision: str
    actors: list[str]
    roles: dict[str, str]
    quote: str
    start: int
    end: int
    confidence: float
    # not in the printed JSON: what the window needs to make the event
    new_actors: list[str] = field(default_factory=list)
    actor_ids: dict[str, int] = field(default_factory=dict)
    stored_date: str = ""  # what the event's start is set to (store.dates reads it back)

    def as_json(self) -> dict:
        keys = ("title", "date", "earliest", "latest", "precision", "actors", "roles", "quote", "start", "end", "confidence")
        data = asdict(self)
        return {k: data[k] for k in keys}


def _iso(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return datetime_from_seconds(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def _human_day(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"


def publication_day(doc: Document) -> date | None:
    """The day a document's relative dates are read against; None when its date is not one day."""
    return reference_date(doc.date, strict=False)


_SUBORDINATE = {"after", "because", "when", "while", "before", "although", "though", "following", "amid", "despite"}
_DANGLING = {"without", "the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "by", "from", "and", "or", "but",
             "its", "their", "his", "her", "that", "which", "who", "as"}


def _shorten(text: str, words: int = 14, keep: int = 0) -> str:
    """A title from a clause: cut at a comma or dash within the first
    ``words`` words when there is one late enough (after the first ``keep``
    words: an apposition such as ", Tomas Reyes," is no place to cut), else
    at the first such mark up to twice that, else before a subordinate
    clause ("resigned on Tuesday | after auditors found"), else after twice
    that many words but not on a small word ("donated to the"). A title is data, so
    it never ends in a display ellipsis."""
    text = re.sub(r"\s+", " ", text).strip(" ,;:-—–")
    parts = text.split(" ")
    if len(parts) > words:
        late = range(max(6, keep), min(len(parts), 2 * words))
        marks = [i for i in late if parts[i].endswith((",", ";", "—"))]
        # "resigned on Tuesday | after auditors found ...": end before the subordinate word
        subordinate = [i - 1 for i in late if parts[i].lower() in _SUBORDINATE]
        early = [i for i in marks if i < words]
        if early or marks or subordinate:
            cut = max(early) if early else min(marks + subordinate)
            text = " ".join(parts[: cut + 1]).rstrip(",;:—")
        elif len(parts) > 2 * words:
            kept = parts[: 2 * words]
            while len(kept) > words and kept[-1].lower().strip(",;:") in _DANGLING:
                kept.pop()
            text = " ".join(kept).rstrip(",;:")
    text = text.rstrip(".")
    return text[:1].upper() + text[1:]


def main_clause(passage: str) -> str:
    """The passage's main clause, shortened: lead-ins ("According to X,")
    and the reporting frame ("Bloomberg reported that") dropped, cut at
    the first subordinate or appended clause."""
    text = passage.strip().strip("“”\"")
    for _ in range(2):
        text = _LEAD_IN.sub("", text)
    that = _THAT_CLAUSE.search(text)
    if that is not None and that.start() < 80:
        text = text[that.end():]
    # "Harbour Logistics, which runs the terminal, confirmed": keep the clause, drop the aside
    text = re.sub(r",\s+(?:which|who)\b[^,]*,\s*", " ", text, count=1)
    # "Marco Rubio, appearing on Fox News, confirmed", "The tanker Nordic Star, owned by
    # Kestrel Shipping, docked": an aside right after a named subject
    aside = re.search(r",\s+(?:(?:a|an)\s+|[a-z]+(?:ing|ed)\b)[^,]{0,80},\s*", text)
    if aside is not None and aside.start() < 60 and re.search(r"\b[A-Z][\w.’'-]*$", text[:aside.start()]) \
            and "," not in text[:aside.start()]:
        text = text[:aside.start()] + " " + text[aside.end():]
    # "The head of the port authority, Tomas Reyes, resigned": a name in apposition, kept whole
    named = re.match(r"[^,]{3,60},\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3},\s+(?=[a-z])", text)
    keep = len(named.group().split()) if named else 0
    cut = re.search(r",\s+(?:which|who|where|with|while|after|as|noting|stating|saying|indicating|including|"
                    r"potentially|particularly|according)\b|;|\s+[—–]\s+|[:(]", text)
    if cut is not None and cut.start() > 15:
        text = text[:cut.start()]
    return _shorten(text, keep=keep)


def clause_start(text: str, start: int, end: int) -> int:
    """Where the main clause begins: after lead-ins ("According to sources
    cited by the WSJ,") and a reporting frame ("Bloomberg reported that")."""
    at = start
    for _ in range(2):
        m = _LEAD_IN.match(text[at:end])
        if m is None:
            break
        at += m.end()
    frame = _THAT_CLAUSE.search(text, at, end)
    if frame is not None and frame.start() - at < 80:
        at = frame.end()
    return at


def _main_verb_at(text: str, start: int, end: int) -> int | None:
    """Offset of the first thing that looks like a finite verb of the main
    clause (not one in a relative clause: "which are smuggled")."""
    for m in _ACTION_VERB.finditer(text, start, end):
        word = m.group().lower().split()[-1]
        if m.group().lower() in _NOT_VERB_ED:
            continue
        if word.endswith("ed") and text[max(start, m.start() - 2):m.start()].endswith("-"):
            continue
        if re.search(r"\b(?:which|that|who|whom|where|whose)\s+(?:\w+\s+)?$", text[max(start, m.start() - 25):m.start()], re.IGNORECASE):
            continue
        return m.start()
    return None


def _roles(text: str, start: int, end: int, names: list[NameMatch], verb: int | None) -> dict[str, str]:
    """Who acted on whom: a name before the main verb is the initiator; the
    first name right after the verb (within a few words) is the target;
    the reporter in "X reported that" is mentioned, others take part."""
    roles: dict[str, str] = {}
    main = clause_start(text, start, end)
    aside = None  # ", appearing on Fox News," between the subject and its verb
    if verb is not None:
        commas = [m.start() for m in re.finditer(",", text[main:verb])]
        # an aside that starts with a participle or preposition is not the subject
        # (", appearing on Fox News,"); an appositive (", Anna Lindqvist,") is
        if len(commas) >= 2 and re.match(r",\s+(?:\w+ing|in|on|at|with|from|for|during|after|before|like|who|which)\b",
                                         text[main + commas[0]:verb]):
            aside = (main + commas[0], main + commas[-1])
    for n in names:
        if n.name in roles:
            continue
        if n.end <= main:
            roles[n.name] = "mentioned"
        elif aside is not None and aside[0] < n.start < aside[1]:
            roles[n.name] = "participant"
        elif re.search(r"(?:according to|cited by|by)\s+(?:the\s+|a report by\s+(?:the\s+)?)?$", text[max(start, n.start - 40):n.start], re.IGNORECASE):
            roles[n.name] = "mentioned"
        elif verb is not None and n.end <= verb:
            roles[n.name] = "initiator"
        elif verb is not None and n.start > verb and len(text[verb:n.start].split()) <= 4 and "target" not in roles.values():
            roles[n.name] = "target"
        else:
            roles[n.name] = "participant"
    if "initiator" not in roles.values() and "target" in roles.values():
        for name, role in roles.items():
            if role == "target":
                roles[name] = "participant"
    return roles


def suggest(db: Database, doc_id: int) -> list[Candidate]:
    doc = get_document(db, doc_id)
    return suggest_text(doc.text, publication_day(doc), known_actors(db))


def suggest_text(text: str, pub: date | None, actors: list[KnownActor]) -> list[Candidate]:
    matcher = ActorMatcher(actors)
    all_known = matcher.find(text)
    out: list[Candidate] = []
    for sentence in sentences(text):
        s, e = sentence.start, sentence.end
        dateline = _DATELINE.match(text, s, e)
        if dateline is not None:
            s = dateline.end()  # "VALMORA, March 14 (Wire) - ": where and when it was filed
        passage = text[s:e]
        if not re.search(r"[.!?][”\"’)]*\s*$", passage):
            continue  # a heading or a caption, not a statement
        if _PAGE_FURNITURE.match(passage):
            continue  # "© 2025 Harbour Gazette. All rights reserved.": the page's, not the story's
        known = [n for n in all_known if s <= n.start < e]
        new = new_names(text, s, e, known)
        names = sorted(known + new, key=lambda n: n.start)
        dates = find_dates(text, s, e, pub)
        verb = _main_verb_at(text, clause_start(text, s, e), e)
        dates = [d for d in dates if not _in_relative_clause(text, d, verb, e)]
        if dates:
            out.extend(_dated(text, s, e, dates, names, known, new, verb))
        elif pub is not None and names and verb is not None:
            candidate = _undated(text, s, e, names, known, new, verb, pub)
            if candidate is not None:
                out.append(candidate)
    return out


# Lines a web page or a PDF print carries around every article
_PAGE_FURNITURE = re.compile(r"\s*(?:©|\(c\)\s|copyright\b|all rights reserved\b|share this\b|read more\b|"
                             r"sign up\b|subscribe\b|advertisement\b)", re.IGNORECASE)

_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whom|whose|where)\b", re.IGNORECASE)


def _in_relative_clause(text: str, found, verb: int | None, end: int) -> bool:
    """Whether a date sits in a relative clause after the main verb ("lost $2
    million during the walkout, which began on May 3"): it dates the thing
    described, not the statement, which then has no date of its own."""
    if verb is None:
        return False
    for m in _RELATIVE_CLAUSE.finditer(text, verb, end):
        if m.end() <= found.start < _clause_end(text, m.end(), end):
            return True
    return False


def _names_fields(names: list[NameMatch]) -> tuple[list[str], list[str], dict[str, int]]:
    ordered, new, ids = [], [], {}
    longer = {word for n in names if n.actor_id is None and " " in n.name for word in n.name.split(" ")}
    for n in names:
        if n.name in ordered or (n.actor_id is None and " " not in n.name and n.name in longer):
            continue  # "Wang" after "Wang Xiaohong": the same person, named again
        ordered.append(n.name)
        if n.actor_id is None:
            new.append(n.name)
        else:
            ids[n.name] = n.actor_id
    return ordered, new, ids


def _dated(text, s, e, dates: list[FoundDate], names, known, new, verb) -> list[Candidate]:
    out = []
    head = main_clause(text[s:e])
    verb_head = subject = None
    if verb is not None:
        # "China accounted for": subject, verb and its particle, for later dates' titles
        m = re.match(r"\S+(?:\s+(?:for|to|on|in|with|of|up|out))?", text[verb:e])
        if m and " " in m.group() and any(fd.start == verb + m.end() + 1 for fd in dates):
            m = re.match(r"\S+", text[verb:e])  # "said on 11 March": the particle is the date's
        clause_start = _THAT_CLAUSE.search(text, s, verb + 1)
        subject_start = clause_start.end() if clause_start else s
        verb_head = text[subject_start:verb + m.end()] if m else None
        # "Greenline Services first won": the subject without an adverb of the first verb
        subject = re.sub(r"\s+(?:\w+ly|first|later|then|also|again|once)$", "", text[subject_start:verb].strip())
    for i, fd in enumerate(dates):
        if i == 0 or verb_head is None:
            title = head
        else:
            segment = text[dates[i - 1].end:fd.end].strip(" ,;")
            joined = re.match(r"(?:and|but|or|then)\s+", segment)
            segment = segment[joined.end():] if joined else segment
            if joined and subject and _ACTION_VERB.match(segment):
                title = _shorten(f"{subject} {segment}")  # "... in 2017 and renewed it in 2021": its own verb
            else:
                title = _shorten(f"{verb_head.strip()} {segment}")
        quote_end = e if i == len(dates) - 1 else _clause_end(text, fd.end, e)
        quote = text[s:quote_end].rstrip(" ,;")
        quote_end = s + len(quote)
        actors, new_actors, ids = _names_fields(names)
        confidence = 0.55 + (0.15 if known else 0) + (0.1 if verb is not None else 0) + (0.1 if fd.precision in ("day", "minute") else 0)
        roles = _roles(text, s, quote_end, names, verb)
        written = fd.text.strip()
        out.append(Candidate(
            title=title, date=written, earliest=_iso(fd.earliest), latest=_iso(fd.latest), precision=fd.precision,
            actors=actors, roles=roles, quote=quote, start=s, end=quote_end, confidence=round(min(confidence, 0.95), 2),
            new_actors=new_actors, actor_ids=ids, stored_date=_stored(fd),
        ))
    return out


def _clause_end(text: str, after: int, end: int) -> int:
    """End of the clause holding a date: the next comma or the sentence end."""
    m = re.search(r"[,;]", text[after:end])
    return after + m.start() if m else end


def _stored(fd: FoundDate) -> str:
    """A date text that store.dates reads back to these bounds without the
    document's reference day (relative words do not survive the passage)."""
    first, last = datetime_from_seconds(fd.earliest), datetime_from_seconds(fd.latest)
    precision = fd.precision if fd.precision in ("year", "month", "day", "minute") else "day"

    def one(d: datetime, p: str) -> str:
        if p == "year":
            return f"{d.year}"
        if p == "month":
            return f"{MONTH_NAMES[d.month]} {d.year}"
        return _human_day(d.date())

    a, b = one(first, precision), one(last, precision)
    spelled = a if a == b else f"{a} to {b}"
    # words that say the same on their own ("early 2023", "mid-May 2025") are kept as written
    words = re.sub(r"^(?:in|on|since|by|during|until|of|from)\s+", "", fd.text.strip(), flags=re.IGNORECASE)
    if re.search(r"\b(?:early|mid|late)\b", words, re.IGNORECASE):
        try:
            again = parse_date(words)
        except DateError:
            return spelled
        if (again.earliest, again.latest) == (fd.earliest, fd.latest):
            return words
    return spelled


def _undated(text, s, e, names, known, new, verb, pub: date) -> Candidate | None:
    passage = text[s:e]
    if _MODAL.search(passage[: verb - s + 40]) and not _REPORTING.search(passage):
        return None  # speculation about what may happen
    subject_named = any(n.start < verb for n in names) or _REPORTING.search(passage)
    if not subject_named:
        return None
    if not known and len(new) < 1:
        return None
    actors, new_actors, ids = _names_fields(names)
    confidence = 0.35 + (0.15 if known else 0) + (0.1 if _REPORTING.search(passage) else 0)
    day = _human_day(pub)
    from .textscan import day_bounds

    return Candidate(
        title=main_clause(passage), date=f"{ON_OR_BEFORE} {day}", earliest=None, latest=_iso(day_bounds(pub)[1]),
        precision=ON_OR_BEFORE, actors=actors, roles=_roles(text, s, e, names, verb), quote=passage.rstrip(),
        start=s, end=s + len(passage.rstrip()), confidence=round(confidence, 2), new_actors=new_actors,
        actor_ids=ids, stored_date=f"{ON_OR_BEFORE} {day}",
    )


def passage_candidate(text: str, start: int, end: int, pub: date | None, actors: list[KnownActor]) -> Candidate:
    """What a passage the researcher selected says: its main clause as the
    title, its first date (or "on or before" the publication day), the
    actors it names; the quote is exactly the selection."""
    quote = text[start:end]
    known = [NameMatch(n.start + start, n.end + start, n.name, n.actor_id) for n in ActorMatcher(actors).find(quote)]
    new = new_names(text, start, end, known)
    names = sorted(known + new, key=lambda n: n.start)
    dates = find_dates(text, start, end, pub)
    verb = _main_verb_at(text, clause_start(text, start, end), end)
    ordered, new_actors, ids = _names_fields(names)
    roles = _roles(text, start, end, names, verb)
    if dates:
        picked = _dated(text, start, end, dates[:1], names, known, new, verb)[0]
        date_text, earliest, latest, precision, stored = picked.date, picked.earliest, picked.latest, picked.precision, picked.stored_date
    elif pub is not None:
        from .textscan import day_bounds

        date_text = stored = f"{ON_OR_BEFORE} {_human_day(pub)}"
        earliest, latest, precision = None, _iso(day_bounds(pub)[1]), ON_OR_BEFORE
    else:
        date_text = stored = ""
        earliest = latest = None
        precision = ""
    return Candidate(title=main_clause(quote), date=date_text, earliest=earliest, latest=latest or "",
                     precision=precision, actors=ordered, roles=roles, quote=quote, start=start, end=end,
                     confidence=1.0, new_actors=new_actors, actor_ids=ids, stored_date=stored)


def known_actors(db: Database) -> list[KnownActor]:
    return [KnownActor(r["id"], r["name"], r["kind"], tuple(json.loads(r["aliases"] or "[]")))
            for r in db.query("SELECT id, name, kind, aliases FROM actors")]
