"""Deterministic synthetic Threadline databases, for benchmarks and demos.

``write_synthetic(out, events=N, actors=M, seed=S)`` writes a new file whose
rows depend only on (N, M, S): the same arguments give the same rows with
the same ids (every random draw comes from ``numpy.random.default_rng(seed)``
in a fixed order).  Only the ``_sqlite_migrations`` bookkeeping row differs,
because sqlite-utils records when the schema was made.

The data are meant to look like a real story at scale, not like noise:

* dates from 1990 to 2025, a slow background rate that grows over time plus
  many short bursts (a story breaking) of very different sizes;
* a few very active actors and a long tail (Zipf weights), of all kinds, with
  readable unique names built from small word lists;
* about 70% of events between an initiator and a target (half of them
  between actors that have a relationship), 20% by one actor and 10% with
  3-5 participants;
* dates written as researchers write them: mostly days, some minutes,
  months, years, year ranges ("2016/2017") and approximate years
  ("c. 2016"); about 5% with an end date.  The derived columns are computed
  here with numpy and agree with :func:`store.records.event_bounds`;
* one source per ~1000 events (time-local, so a source covers the events of
  its period), every event cites at least one;
* about two relationships per actor (at most 20,000), some open-ended, each
  linked to a few of the events between its actors.

Speed: the events are made in chunks of 200,000 with numpy and written with
``executemany``, one transaction per chunk, into a temporary file beside the
target with journalling and syncing off (the file is renamed into place only
once complete, so an interrupted run leaves nothing).  The full-text index
is built once at the end, in one pass (the store keeps it itself, without
triggers: see search_index.py).
"""

from __future__ import annotations

import itertools
import math
import os
import sqlite3
from pathlib import Path

import numpy as np

from .database import StoreError, open_database
from .records import RecordError
from .schema import ACTOR_KINDS, CERTAINTIES

CHUNK = 200_000
MAX_RELATIONSHIPS = 20_000
EVENTS_PER_SOURCE = 1000
LINKS_PER_RELATIONSHIP = 5  # relationship_events rows per relationship, at most

T0 = int(np.datetime64("1990-01-01", "s").astype(np.int64))
T1 = int(np.datetime64("2026-01-01", "s").astype(np.int64))  # exclusive

# Date forms of an event's start, with their shares.
DAY, MINUTE, MONTH, YEAR, RANGE, APPROX = range(6)
FORM_SHARES = (0.85, 0.05, 0.06, 0.02, 0.01, 0.01)
_PRECISION = np.array(["day", "minute", "month", "year", "year", "year"], dtype=object)
_UNIT = {DAY: "D", MINUTE: "m", MONTH: "M", YEAR: "Y"}
END_SHARE = 0.05  # of all events; only day, minute and month starts get one

# Participants: one actor, an initiator-target pair, or 3-5 participants.
ARITY_SHARES = (0.20, 0.70, 0.10)
PAIR_FROM_RELATIONSHIP = 0.5
ACTOR_ZIPF = 1.07

KIND_SHARES = (0.40, 0.20, 0.12, 0.08, 0.10, 0.10)  # in ACTOR_KINDS order
CERTAINTY_SHARES = (0.80, 0.11, 0.06, 0.03)  # in CERTAINTIES order
REL_CERTAINTY_SHARES = (0.75, 0.12, 0.08, 0.05)

# ---------------------------------------------------------------- words

TOPICS = (
    "trade", "energy", "security", "elections", "the port contract", "water rights",
    "media ownership", "sanctions", "the pipeline", "corruption allegations", "the budget",
    "migration", "fisheries", "the border", "tax reform", "mining licences", "arms sales",
    "the merger", "press freedom", "public health",
)

# type, share, title template ({a}, {b}: actor names; {t}: topic)
SINGLE_TYPES = (
    ("statement", 0.40, "{a} statement on {t}"),
    ("announcement", 0.20, "{a} announces plan on {t}"),
    ("publication", 0.15, "{a} publishes report on {t}"),
    ("protest", 0.10, "{a} protests over {t}"),
    ("investigation", 0.15, "{a} opens investigation into {t}"),
)
PAIR_TYPES = (
    ("meeting", 0.30, "{a} meets {b}"),
    ("agreement", 0.14, "{a} signs agreement with {b} on {t}"),
    ("dispute", 0.14, "{a} criticises {b} over {t}"),
    ("accusation", 0.10, "{a} accuses {b}"),
    ("payment", 0.12, "{a} pays {b}"),
    ("lawsuit", 0.06, "{a} sues {b}"),
    ("appointment", 0.06, "{a} appoints {b}"),
    ("communication", 0.08, "{a} writes to {b}"),
)
MULTI_TYPES = (
    ("meeting", 0.55, "Talks on {t}: {a}"),
    ("agreement", 0.30, "Agreement on {t} signed by {a}"),
    ("protest", 0.15, "Joint protest over {t} by {a}"),
)

SUMMARIES = (
    "Details remain unclear.", "Confirmed by two sources.", "Follow-up to earlier contacts.",
    "Reported in the press.", "From the official record.", "Disputed by one side.",
)
SUMMARY_SHARE = 0.25
CITIES = (
    "Brussels", "Geneva", "Vienna", "Istanbul", "Nairobi", "Singapore", "Lagos", "Lisbon",
    "Warsaw", "Dubai", "Buenos Aires", "Jakarta", "Oslo", "Tbilisi", "Montreal", "Athens",
)
LOCATION_SHARE = 0.4

FIRST_NAMES = (
    "Ada", "Ben", "Clara", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Kemal", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tara",
    "Ulla", "Viktor", "Wei", "Ximena", "Yusuf", "Zofia", "Amara", "Bruno", "Chiara", "Diego",
    "Emre", "Freya",
)
LAST_NAMES = (
    "Adler", "Brandt", "Costa", "Dimitrov", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
    "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zimmer",
    "Mensah", "Horvat", "Berg", "Santos", "Kaya", "Nakamura",
)
INITIALS = "ABCDEFGHJKLMNPRSTVW"
PERSON_TITLES = (
    "Minister", "Journalist", "Chief Executive", "Lawyer", "Activist", "Diplomat", "Banker",
    "Adviser", "Senator", "Judge", "Investor", "Spokesperson",
)
PLACE_HEADS = ("Val", "Mor", "Ost", "Kar", "Bel", "Tor", "Lun", "Ser", "Ard", "Zel", "Nor", "Cas",
               "Drav", "Em", "Fal", "Gor")
PLACE_TAILS = ("doria", "avia", "land", "mark", "enia", "istan", "ovia", "ara", "heim", "onia")
ORG_HEADS = ("Northern", "Atlas", "Blue River", "Crescent", "Granite", "Harbour", "Meridian",
             "Summit", "Silver", "Pioneer", "Keystone", "Evergreen", "Orion", "Delta")
ORG_NOUNS = ("Shipping", "Energy", "Mining", "Capital", "Logistics", "Pharma", "Telecom",
             "Construction", "Security", "Agri", "Steel", "Trading")
ORG_TAILS = ("Group", "Ltd", "Corporation", "Partners", "Holdings", "Consortium", "Bank", "Trust")
GOV_BODIES = ("Ministry of Finance", "Ministry of Defence", "Interior Ministry", "Foreign Ministry",
              "Central Bank", "Customs Service", "Supreme Court", "Election Commission",
              "Port Authority", "Intelligence Service", "Parliament", "Competition Authority")
MEDIA_TAILS = ("Gazette", "Herald", "Courier", "Observer", "Tribune", "Post", "Chronicle",
               "Times", "Review", "Radio", "Television", "Daily")
GROUP_HEADS = ("Red", "Black", "Green", "White", "Golden", "Iron", "Free", "United")
GROUP_NOUNS = ("Wolves", "Hawks", "Lions", "Foxes", "Bears", "Eagles", "Citizens", "Workers")
GROUP_TAILS = ("Movement", "Brigade", "Collective", "Front", "Network", "Alliance")
ROMAN = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

PUBLISHERS = ("Associated Wire", "Global Monitor", "Court Records Office", "Parliamentary Record",
              "Open Registry", "Regional Observer", "Investigative Desk", "Trade Bulletin",
              "Official Journal", "Press Agency Digest")
SOURCE_FORMS = ("Wire report", "Court filing", "Registry extract", "News archive",
                "Official statement", "Investigation notes")

# Relationship types by the kinds at either end; the undirected ones are symmetric.
UNDIRECTED = frozenset({"ally of", "rival of", "family of", "negotiates with"})


def _relationship_types(kind_from: str, kind_to: str) -> tuple[str, ...]:
    if kind_from == "media":
        return ("reports on",)
    if kind_from == "person":
        if kind_to == "person":
            return ("ally of", "rival of", "family of", "advises")
        if kind_to in ("organisation", "group", "media"):
            return ("member of", "employed by", "owns")
        return ("employed by", "advises")
    if kind_from in ("organisation", "group"):
        if kind_to in ("organisation", "group", "media"):
            return ("funds", "owns", "ally of", "rival of")
        return ("funds", "negotiates with")
    return ("ally of", "rival of", "negotiates with", "funds")


# ---------------------------------------------------------------- numpy helpers


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights, dtype=np.float64)
    return cdf / cdf[-1]


def _draw(rng: np.random.Generator, cdf: np.ndarray, size) -> np.ndarray:
    """Indices drawn with the weights behind cdf."""
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(cdf) - 1)


def _shares(rng: np.random.Generator, shares, size) -> np.ndarray:
    return _draw(rng, _cdf(np.asarray(shares, dtype=np.float64)), size)


def _seconds(units: np.ndarray) -> np.ndarray:
    return units.astype("datetime64[s]").astype(np.int64)


def _dates(t: np.ndarray, form: np.ndarray, range_years: np.ndarray):
    """Dates as written for instants t (epoch seconds) in the given forms,
    with the first and last second each means (as parse_date reads them)."""
    n = len(t)
    text = np.empty(n, dtype=object)
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    ts = t.astype("datetime64[s]")
    for code, unit in _UNIT.items():
        idx = np.flatnonzero(form == code)
        if not len(idx):
            continue
        units = ts[idx].astype(f"datetime64[{unit}]")
        written = np.datetime_as_string(units)
        if code == MINUTE:
            written = np.char.replace(written, "T", " ")
        text[idx] = written
        first[idx] = _seconds(units)
        last[idx] = _seconds(units + 1) - 1
    idx = np.flatnonzero(form == RANGE)
    if len(idx):
        y1 = ts[idx].astype("datetime64[Y]")
        y2 = y1 + range_years[idx]
        text[idx] = [f"{a}/{b}" for a, b in zip(np.datetime_as_string(y1).tolist(),
                                                 np.datetime_as_string(y2).tolist())]
        first[idx] = _seconds(y1)
        last[idx] = _seconds(y2 + 1) - 1
    idx = np.flatnonzero(form == APPROX)
    if len(idx):
        y = ts[idx].astype("datetime64[Y]")
        text[idx] = ["c. " + s for s in np.datetime_as_string(y).tolist()]
        first[idx] = _seconds(y - 1)  # widened by a year on each side
        last[idx] = _seconds(y + 2) - 1
    return text, first, last


def _distinct_rows(rng: np.random.Generator, cdf: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """One row of distinct weighted draws per entry of sizes (columns past a
    row's size are -1)."""
    width = int(sizes.max()) if len(sizes) else 0
    out = np.full((len(sizes), width), -1, dtype=np.int64)
    used = np.arange(width)[None, :] < sizes[:, None]
    todo = np.arange(len(sizes))
    for _ in range(64):
        if not len(todo):
            return out
        rows = _draw(rng, cdf, (len(todo), width))
        rows[~used[todo]] = -1 - np.arange(width)[None, :].repeat(len(todo), 0)[~used[todo]]
        out[todo] = rows
        clash = np.zeros(len(todo), dtype=bool)
        for i in range(width):
            for j in range(i + 1, width):
                clash |= rows[:, i] == rows[:, j]
        todo = todo[clash]
    p = np.diff(cdf, prepend=0.0)
    for row in todo:  # rare: tiny actor sets with heavy weights
        k = int(sizes[row])
        out[row, :k] = rng.choice(len(cdf), size=k, replace=False, p=p)
    out[out < 0] = -1
    return out


# ---------------------------------------------------------------- actors


def _unique(name: str, used: set[str]) -> str:
    """name, or name with the first free suffix: "II" .. "X", then 11, 12 ..."""
    candidate = name
    for suffix in itertools.chain(ROMAN, itertools.count(11)):
        if candidate not in used:
            used.add(candidate)
            return candidate
        candidate = f"{name} {suffix}"
    raise AssertionError("unreachable")


def _actor_name(kind: str, p: tuple[int, int, int, int], home: str) -> str:
    p0, p1, p2, _ = p
    if kind == "person":
        initial = f" {INITIALS[p2 % len(INITIALS)]}." if p2 % 2 else ""
        return f"{FIRST_NAMES[p0 % len(FIRST_NAMES)]}{initial} {LAST_NAMES[p1 % len(LAST_NAMES)]}"
    if kind == "organisation":
        return f"{ORG_HEADS[p0 % len(ORG_HEADS)]} {ORG_NOUNS[p1 % len(ORG_NOUNS)]} {ORG_TAILS[p2 % len(ORG_TAILS)]}"
    if kind == "government body":
        return f"{home} {GOV_BODIES[p0 % len(GOV_BODIES)]}"
    if kind == "media":
        if p1 % 3:
            return f"The {home} {MEDIA_TAILS[p0 % len(MEDIA_TAILS)]}"
        return f"{CITIES[p2 % len(CITIES)]} {MEDIA_TAILS[p0 % len(MEDIA_TAILS)]}"
    return f"{GROUP_HEADS[p0 % len(GROUP_HEADS)]} {GROUP_NOUNS[p1 % len(GROUP_NOUNS)]} {GROUP_TAILS[p2 % len(GROUP_TAILS)]}"


def _actors(rng: np.random.Generator, count: int):
    """Actor rows (id, name, kind, title, country) and their kinds."""
    kinds = _shares(rng, KIND_SHARES, count)
    picks = rng.integers(0, 1 << 30, size=(count, 4)).tolist()
    places = [h + t for h in PLACE_HEADS for t in PLACE_TAILS]
    places = [places[i] for i in rng.permutation(len(places)).tolist()]
    homes = places[:12]  # the countries most actors belong to
    used: set[str] = set()
    next_country = 0
    rows = []
    for i in range(count):
        kind = ACTOR_KINDS[kinds[i]]
        title = country = None
        if kind == "country":
            name = places[next_country % len(places)]
            next_country += 1
        else:
            # A few other combinations before a taken name gets a suffix;
            # after three tries bodies and media may come from any country.
            for attempt in range(8):
                p = tuple(v + attempt * step for v, step in zip(picks[i], (7, 13, 5, 1)))
                country = (homes if attempt < 3 else places)[p[3] % (len(homes) if attempt < 3 else len(places))]
                name = _actor_name(kind, p, country)
                if name not in used:
                    break
            if kind == "person":
                title = PERSON_TITLES[(picks[i][2] >> 5) % len(PERSON_TITLES)]
        rows.append((i + 1, _unique(name, used), kind, title, country))
    return rows, kinds


# ---------------------------------------------------------------- relationships


def _relationships(rng: np.random.Generator, actor_cdf: np.ndarray, kinds: np.ndarray):
    """Relationship rows and the arrays the events need (0-based actors)."""
    m = len(actor_cdf)
    target = min(2 * m, MAX_RELATIONSHIPS, m * (m - 1) // 2)
    pairs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for _ in range(200):
        if len(pairs) >= target:
            break
        batch = 2 * (target - len(pairs)) + 16
        a = _draw(rng, actor_cdf, batch).tolist()  # hubs at one end ...
        b = rng.integers(0, m, size=batch).tolist()  # ... anyone at the other
        for x, y in zip(a, b):
            key = (min(x, y), max(x, y))
            if x != y and key not in seen:
                seen.add(key)
                pairs.append((x, y))
                if len(pairs) >= target:
                    break
    r = len(pairs)
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    type_pick = rng.random(r)
    certainty = _shares(rng, REL_CERTAINTY_SHARES, r)
    # Starts: 15% open; the rest a day, month or year between 1975 and 2024.
    start_open = rng.random(r) < 0.15
    end_open = rng.random(r) < 0.45
    t_start = rng.integers(int(np.datetime64("1975-01-01", "s").astype(np.int64)),
                           int(np.datetime64("2025-01-01", "s").astype(np.int64)), size=r)
    form = np.array([DAY, MONTH, YEAR], dtype=np.int64)[_shares(rng, (0.5, 0.25, 0.25), r)]
    years = np.clip(np.round(rng.lognormal(math.log(4.0), 0.8, r)), 1, 30).astype(np.int64)
    t_end = t_start + years * 365 * 86400 + rng.integers(0, 365 * 86400, size=r)
    form_end = np.where(start_open, YEAR, form)
    end_open |= t_end >= T1  # ends in the future: still alive
    no_range = np.zeros(r, dtype=np.int64)
    start_text, earliest, _ = _dates(t_start, form, no_range)
    end_text, _, latest = _dates(np.minimum(t_end, T1 - 1), form_end, no_range)
    rows = []
    directed = np.ones(r, dtype=bool)
    for i in range(r):
        choices = _relationship_types(ACTOR_KINDS[kinds[src[i]]], ACTOR_KINDS[kinds[dst[i]]])
        kind = choices[min(int(type_pick[i] * len(choices)), len(choices) - 1)]
        directed[i] = kind not in UNDIRECTED
        rows.append((
            i + 1, int(src[i]) + 1, int(dst[i]) + 1, kind, int(directed[i]),
            None if start_open[i] else start_text[i],
            None if end_open[i] else end_text[i],
            None if start_open[i] else int(earliest[i]),
            None if end_open[i] else int(latest[i]),
            CERTAINTIES[certainty[i]],
        ))
    lo = np.where(start_open, np.iinfo(np.int64).min, earliest)
    hi = np.where(end_open, np.iinfo(np.int64).max, latest)
    return rows, src, dst, directed, lo, hi


# ---------------------------------------------------------------- events


def _event_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Sorted instants: a background rate growing over the decades plus many
    short bursts of very different sizes around random centres."""
    span = T1 - T0

    def drift(size):  # density rising from 1 to 3 across the span
        u = rng.random(size)
        return (np.sqrt(1 + 8 * u) - 1) / 2

    bursty = rng.random(n) < 0.7
    t = T0 + drift(n) * span
    bursts = max(1, n // 300)
    centres = T0 + drift(bursts) * span
    widths = rng.lognormal(math.log(3 * 86400), 1.0, bursts)
    which = _draw(rng, _cdf(rng.pareto(1.2, bursts) + 1.0), int(bursty.sum()))
    t[bursty] = centres[which] + rng.laplace(0.0, 1.0, len(which)) * widths[which]
    t = np.clip(np.floor(t), T0, T1 - 1).astype(np.int64)
    t.sort()
    return t


class _Plan:
    """Everything the event chunks draw from."""

    def __init__(self, rng, n_events, names, actor_cdf, rel_src, rel_dst, rel_directed, n_sources):
        self.n_events = n_events
        self.names = names
        self.actor_cdf = actor_cdf
        self.rel_src, self.rel_dst, self.rel_directed = rel_src, rel_dst, rel_directed
        self.n_sources = n_sources
        # A few sources are cited far more often as the second source.
        self.source_cdf = _cdf(1.0 / (1.0 + rng.permutation(n_sources)))


def _templates(types):
    names = np.array([t[0] for t in types], dtype=object)
    shares = tuple(t[1] for t in types)
    return names, shares, [t[2] for t in types]


_SINGLE = _templates(SINGLE_TYPES)
_PAIR = _templates(PAIR_TYPES)
_MULTI = _templates(MULTI_TYPES)
_SUMMARY_CHOICES = np.array((None, *SUMMARIES), dtype=object)
_LOCATION_CHOICES = np.array((None, *CITIES), dtype=object)
_CERTAINTY = np.array(CERTAINTIES, dtype=object)


def _and_list(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1]


def _event_chunk(rng: np.random.Generator, plan: _Plan, t: np.ndarray, first_id: int):
    """Rows for events first_id.. at instants t, with their actors and sources."""
    n = len(t)
    m = len(plan.actor_cdf)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)

    # ---- dates
    form = _shares(rng, FORM_SHARES, n)
    range_years = np.array([1, 1, 1, 1, 1, 1, 1, 2, 2, 3])[rng.integers(0, 10, n)]
    start, earliest, start_latest = _dates(t, form, range_years)
    has_end = (rng.random(n) < END_SHARE / sum(FORM_SHARES[:3])) & (form <= MONTH)
    end_days = np.clip(np.round(rng.lognormal(math.log(12.0), 1.1, n)), 1, 365).astype(np.int64)
    end_minutes = np.clip(np.round(rng.lognormal(math.log(240.0), 1.2, n)), 30, 4320).astype(np.int64)
    end_months = rng.integers(1, 7, n)
    t_end = np.where(form == DAY, (t // 86400 + end_days) * 86400, t // 60 * 60 + end_minutes * 60)
    months = t.astype("datetime64[s]").astype("datetime64[M]")
    t_end = np.where(form == MONTH, _seconds(months + end_months), t_end)
    idx = np.flatnonzero(has_end)
    end = np.full(n, None, dtype=object)
    end_precision = np.full(n, None, dtype=object)
    latest = start_latest.copy()
    end_earliest = earliest.copy()
    if len(idx):
        e_text, e_first, e_last = _dates(t_end[idx], form[idx], range_years[idx])
        end[idx] = e_text
        end_precision[idx] = _PRECISION[form[idx]]
        latest[idx] = np.maximum(e_last, start_latest[idx])
        end_earliest[idx] = np.maximum(e_first, earliest[idx])

    # ---- participants
    arity = _shares(rng, ARITY_SHARES, n)
    size = np.where(arity == 2, rng.integers(3, 6, n), arity + 1)
    size = np.minimum(size, m)
    certainty = _CERTAINTY[_shares(rng, CERTAINTY_SHARES, n)]
    topic = rng.integers(0, len(TOPICS), n)
    summary = _SUMMARY_CHOICES[np.where(rng.random(n) < SUMMARY_SHARE,
                                        1 + rng.integers(0, len(SUMMARIES), n), 0)]
    location = _LOCATION_CHOICES[np.where(rng.random(n) < LOCATION_SHARE,
                                          1 + rng.integers(0, len(CITIES), n), 0)]
    type_ = np.empty(n, dtype=object)
    title = np.empty(n, dtype=object)
    names = plan.names
    ea_event, ea_actor, ea_role = [], [], []
    links_rel, links_event = [np.empty(0, np.int64)], [np.empty(0, np.int64)]

    one = np.flatnonzero(size == 1)
    a = _draw(rng, plan.actor_cdf, len(one))
    kind = _shares(rng, _SINGLE[1], len(one))
    type_[one] = _SINGLE[0][kind]
    tmpl = _SINGLE[2]
    title[one] = [tmpl[k].format(a=names[x], t=TOPICS[p])
                  for k, x, p in zip(kind.tolist(), a.tolist(), topic[one].tolist())]
    ea_event.append(ids[one])
    ea_actor.append(a)
    ea_role.append(np.full(len(one), "initiator", dtype=object))

    two = np.flatnonzero(size == 2)
    a = _draw(rng, plan.actor_cdf, len(two))
    b = _draw(rng, plan.actor_cdf, len(two))
    r_count = len(plan.rel_src)
    from_rel = rng.random(len(two)) < (PAIR_FROM_RELATIONSHIP if r_count else 0.0)
    rel = rng.integers(0, max(r_count, 1), len(two))
    swap = rng.random(len(two)) < 0.5
    if r_count:
        rel_a, rel_b = plan.rel_src[rel], plan.rel_dst[rel]
        flip = swap & ~plan.rel_directed[rel]
        rel_a, rel_b = np.where(flip, rel_b, rel_a), np.where(flip, rel_a, rel_b)
        a = np.where(from_rel, rel_a, a)
        b = np.where(from_rel, rel_b, b)
        links_rel.append(rel[from_rel])
        links_event.append(two[from_rel])
    for _ in range(64):
        clash = np.flatnonzero(a == b)
        if not len(clash):
            break
        b[clash] = _draw(rng, plan.actor_cdf, len(clash))
    clash = np.flatnonzero(a == b)
    if len(clash):  # only with tiny, very uneven actor sets
        b[clash] = (a[clash] + 1 + rng.integers(0, m - 1, len(clash))) % m
    kind = _shares(rng, _PAIR[1], len(two))
    type_[two] = _PAIR[0][kind]
    tmpl = _PAIR[2]
    title[two] = [tmpl[k].format(a=names[x], b=names[y], t=TOPICS[p])
                  for k, x, y, p in zip(kind.tolist(), a.tolist(), b.tolist(), topic[two].tolist())]
    ea_event += [ids[two], ids[two]]
    ea_actor += [a, b]
    ea_role += [np.full(len(two), "initiator", dtype=object), np.full(len(two), "target", dtype=object)]

    many = np.flatnonzero(size >= 3)
    cast = _distinct_rows(rng, plan.actor_cdf, size[many])
    kind = _shares(rng, _MULTI[1], len(many))
    type_[many] = _MULTI[0][kind]
    tmpl = _MULTI[2]
    title[many] = [tmpl[k].format(a=_and_list([names[x] for x in row if x >= 0]), t=TOPICS[p])
                   for k, row, p in zip(kind.tolist(), cast.tolist(), topic[many].tolist())]
    used = cast >= 0
    ea_event.append(np.repeat(ids[many], used.sum(axis=1)))
    ea_actor.append(cast[used])
    ea_role.append(np.full(int(used.sum()), "participant", dtype=object))

    events = zip(
        ids.tolist(), title.tolist(), summary.tolist(), start.tolist(), end.tolist(),
        _PRECISION[form].tolist(), end_precision.tolist(), (form == APPROX).astype(np.int64).tolist(),
        earliest.tolist(), latest.tolist(), start_latest.tolist(), end_earliest.tolist(),
        certainty.tolist(), type_.tolist(), location.tolist(),
    )
    ev = np.concatenate(ea_event)
    ac = np.concatenate(ea_actor) + 1
    ro = np.concatenate(ea_role)
    order = np.lexsort((ac, ev))
    event_actors = zip(ev[order].tolist(), ac[order].tolist(), ro[order].tolist())

    # ---- sources: a time-local one for every event, a widely shared second for some
    s = plan.n_sources
    primary = np.clip((ids - 1) * s // plan.n_events + rng.integers(-1, 2, n), 0, s - 1)
    second = _draw(rng, plan.source_cdf, n)
    keep = (rng.random(n) < 0.10) & (second != primary)
    es_event = np.concatenate([ids, ids[keep]])
    es_source = np.concatenate([primary, second[keep]]) + 1
    order = np.lexsort((es_source, es_event))
    event_sources = zip(es_event[order].tolist(), es_source[order].tolist())

    rel = np.concatenate(links_rel)
    at = np.concatenate(links_event)
    links = (rel, ids[at], earliest[at], latest[at])
    return events, event_actors, event_sources, links


# ---------------------------------------------------------------- writing

_INSERT_EVENT = (
    'INSERT INTO events (id, title, summary, start, "end", precision, end_precision, approximate, '
    "earliest, latest, start_latest, end_earliest, certainty, type, location) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _fill(db, rng: np.random.Generator, n_events: int, n_actors: int, seed: int) -> None:
    conn: sqlite3.Connection = db.conn
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = OFF",
                   "cache_size = -262144", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")

    actor_rows, kinds = _actors(rng, n_actors)
    names = [row[1] for row in actor_rows]
    ranks = rng.permutation(n_actors) + 1 if n_actors else np.empty(0)
    actor_cdf = _cdf(1.0 / ranks ** ACTOR_ZIPF) if n_actors else np.empty(0)
    if n_actors:
        rel_rows, rel_src, rel_dst, rel_directed, rel_lo, rel_hi = _relationships(rng, actor_cdf, kinds)
    else:
        rel_rows, rel_src, rel_dst, rel_directed = [], np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool)
        rel_lo = rel_hi = np.empty(0, np.int64)
    times = _event_times(rng, n_events)
    n_sources = max(1, math.ceil(n_events / EVENTS_PER_SOURCE)) if n_events else 0

    with conn:
        conn.executemany("INSERT INTO actors (id, name, kind, title, country) VALUES (?, ?, ?, ?, ?)", actor_rows)
        if n_sources:
            middle = times[np.minimum((2 * np.arange(n_sources) + 1) * n_events // (2 * n_sources), n_events - 1)]
            days = np.datetime_as_string(middle.astype("datetime64[s]").astype("datetime64[D]")).tolist()
            pub = rng.integers(0, len(PUBLISHERS), n_sources).tolist()
            doc = rng.integers(0, len(SOURCE_FORMS), n_sources).tolist()
            top = rng.integers(0, len(TOPICS), n_sources).tolist()
            conn.executemany(
                "INSERT INTO sources (id, publisher, title, url, date) VALUES (?, ?, ?, ?, ?)",
                [(i + 1, PUBLISHERS[pub[i]], f"{SOURCE_FORMS[doc[i]]} on {TOPICS[top[i]]}",
                  f"https://example.org/synthetic/source/{i + 1}", days[i]) for i in range(n_sources)],
            )
        conn.executemany(
            'INSERT INTO relationships (id, from_actor_id, to_actor_id, type, directed, start, "end", '
            "earliest, latest, certainty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rel_rows,
        )
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                     ("title", f"Synthetic data: {n_events} events by {n_actors} actors (seed {seed})"))
        conn.execute("INSERT INTO meta (key, value) VALUES ('generation', '1')")  # see store/cache.py

    if not n_events:
        return

    plan = _Plan(rng, n_events, names, actor_cdf, rel_src, rel_dst, rel_directed, n_sources)
    all_links = []
    for lo in range(0, n_events, CHUNK):
        events, event_actors, event_sources, links = _event_chunk(rng, plan, times[lo:lo + CHUNK], lo + 1)
        with conn:
            conn.executemany(_INSERT_EVENT, events)
            conn.executemany("INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)", event_actors)
            conn.executemany("INSERT INTO event_sources (event_id, source_id) VALUES (?, ?)", event_sources)
        rel, event_ids, e_first, e_last = links
        # Evidence for a relationship: events between its actors while it lasted.
        inside = (e_first >= rel_lo[rel]) & (e_last <= rel_hi[rel])
        all_links.append((rel[inside], event_ids[inside]))

    rel = np.concatenate([x[0] for x in all_links])
    event_ids = np.concatenate([x[1] for x in all_links])
    order = np.lexsort((event_ids, rel))
    rel, event_ids = rel[order], event_ids[order]
    group_start = np.flatnonzero(np.r_[True, rel[1:] != rel[:-1]]) if len(rel) else np.empty(0, np.int64)
    rank = np.arange(len(rel)) - np.repeat(group_start, np.diff(np.r_[group_start, len(rel)]))
    keep = rank < LINKS_PER_RELATIONSHIP
    with conn:
        conn.executemany(
            "INSERT INTO relationship_events (relationship_id, event_id) VALUES (?, ?)",
            zip((rel[keep] + 1).tolist(), event_ids[keep].tolist()),
        )
        for table in ("events", "actors"):
            conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('rebuild')")


def write_synthetic(out: str | os.PathLike, *, events: int, actors: int, seed: int = 1) -> Path:
    """Write a new synthetic Threadline database at ``out`` and return its path.

    The same (events, actors, seed) always give the same rows and ids.
    Refuses to overwrite: raises StoreError when ``out`` exists.
    """
    out = Path(out)
    for value, what in ((events, "events"), (actors, "actors"), (seed, "seed")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise RecordError(f"{what} must be a whole number of at least 0, not {value!r}")
    if events and not actors:
        raise RecordError("synthetic events need at least one actor")
    if out.exists():
        raise StoreError(f"{out}: already exists; choose a new file name")
    if not out.parent.is_dir():
        raise StoreError(f"{out}: the folder {out.parent} does not exist")

    tmp = out.with_name(f".{out.name}.{os.getpid()}.synth-part")
    tmp.unlink(missing_ok=True)
    try:
        db = open_database(tmp, create=True)
        try:
            _fill(db, np.random.default_rng(int(seed)), int(events), int(actors), int(seed))
        finally:
            db.conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, out)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise StoreError(f"{out}: already exists; choose a new file name") from None
        except OSError:  # a file system without hard links
            if out.exists():
                raise StoreError(f"{out}: already exists; choose a new file name") from None
            os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
