"""Synthetic actors and the relationships between them.

Actors get readable, unique names built from the word lists (a suffix only
when every other combination is taken); relationships join a few hubs to
anyone, with a type that fits the kinds at either end and a span in time
that the events linked to them must lie within.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from store.schema import ACTOR_KINDS, CERTAINTIES
from .dates import DAY, MONTH, T1, YEAR, _dates
from .sampling import _draw, _shares
from .vocabulary import (
    CITIES,
    FIRST_NAMES,
    GOV_BODIES,
    GROUP_HEADS,
    GROUP_NOUNS,
    GROUP_TAILS,
    INITIALS,
    KIND_SHARES,
    LAST_NAMES,
    MAX_RELATIONSHIPS,
    MEDIA_TAILS,
    ORG_HEADS,
    ORG_NOUNS,
    ORG_TAILS,
    PERSON_TITLES,
    PLACE_HEADS,
    PLACE_TAILS,
    REL_CERTAINTY_SHARES,
    ROMAN,
    UNDIRECTED,
    _relationship_types,
)


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
