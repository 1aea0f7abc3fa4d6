"""Synthetic events, made a chunk at a time: their dates, participants,
titles and the sources they cite.

``_event_chunk`` turns a run of instants into ready-to-insert rows; every
draw it makes comes from the run's generator, so chunks must be made in
order (see writer.py).
"""

from __future__ import annotations

import math

import numpy as np

from store.schema import CERTAINTIES
from .dates import (
    _PRECISION,
    APPROX,
    DAY,
    END_SHARE,
    FORM_SHARES,
    MONTH,
    _dates,
    _seconds,
)
from .sampling import _cdf, _distinct_rows, _draw, _shares
from .vocabulary import (
    ARITY_SHARES,
    CERTAINTY_SHARES,
    CITIES,
    LOCATION_SHARE,
    MULTI_TYPES,
    PAIR_FROM_RELATIONSHIP,
    PAIR_TYPES,
    SINGLE_TYPES,
    SUMMARIES,
    SUMMARY_SHARE,
    TOPICS,
)


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
