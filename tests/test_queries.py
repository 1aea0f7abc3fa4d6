"""Window queries: imprecise dates overlap honestly; filters; the network of a window."""

from datetime import datetime

import numpy as np
import pytest

from store import network, queries, records
from store.dates import seconds_from_datetime as secs
from store.records import Citation, Participation
from store.timeline_data import load_timeline_data


def day(y, m, d, end=False):
    return secs(datetime(y, m, d, 23, 59, 59) if end else datetime(y, m, d))


@pytest.fixture
def story(memdb):
    """Four actors and five events with dates of every precision."""
    db = memdb
    a = {n: records.add_actor(db, n, k) for n, k in [("Ann", "person"), ("Bob", "person"), ("Acme", "organisation"), ("Ruritania", "country")]}
    src = records.add_source(db, "Gazette", "A report", "https://example.org/r", "2025-05-03")
    e = {}
    e["may"] = records.add_event(db, "Talks in May", "May 2025", actors=[Participation(a["Ann"], "initiator"), Participation(a["Bob"], "target")], sources=[Citation(src, "they met")], type="diplomacy")
    e["day"] = records.add_event(db, "Signing", "2025-05-02", actors=[Participation(a["Ann"]), Participation(a["Bob"]), Participation(a["Acme"])], sources=[Citation(src)], type="agreement")
    e["range"] = records.add_event(db, "Shipments", "2016/2017", certainty="contested", actors=[Participation(a["Acme"])], sources=[Citation(src)], type="trafficking")
    e["bar"] = records.add_event(db, "Tariffs in force", "2025-04-10", "2025-06-30", actors=[Participation(a["Ruritania"])], sources=[Citation(src)], type="tariff")
    e["orphan"] = records.add_event(db, "Market rises", "2025-05-02 15:30", sources=[Citation(src)], type="market")
    r = records.add_relationship(db, a["Ann"], a["Bob"], "negotiates with", start="May 2025", end="June 2025", events=[e["may"]])
    records.add_relationship(db, a["Bob"], a["Acme"], "works for", start="2010")
    return db, a, e, r


def ids(rows):
    return {r.id for r in rows}


def test_month_precision_event_is_in_every_window_touching_the_month(story):
    db, a, e, _ = story
    assert e["may"] in ids(queries.events_in_window(db, (day(2025, 5, 31), day(2025, 6, 10, True))))
    assert e["may"] in ids(queries.events_in_window(db, (day(2025, 4, 1), day(2025, 5, 1))))
    assert e["may"] not in ids(queries.events_in_window(db, (day(2025, 6, 1), day(2025, 6, 30, True))))
    assert e["may"] not in ids(queries.events_in_window(db, (day(2025, 3, 1), day(2025, 4, 30, True))))


def test_year_range_and_bar_overlap(story):
    db, a, e, _ = story
    assert e["range"] in ids(queries.events_in_window(db, (day(2017, 12, 31), day(2018, 2, 1))))
    assert e["range"] not in ids(queries.events_in_window(db, (day(2018, 1, 1), day(2018, 2, 1))))
    # a bar from April to June is in a window inside it, though it starts and ends outside
    assert e["bar"] in ids(queries.events_in_window(db, (day(2025, 5, 10), day(2025, 5, 11))))


def test_filters_by_actor_type_and_search(story):
    db, a, e, _ = story
    assert ids(queries.events_in_window(db, actor_ids=[a["Acme"]])) == {e["day"], e["range"]}
    assert ids(queries.events_in_window(db, types=["tariff", "market"])) == {e["bar"], e["orphan"]}
    assert ids(queries.events_in_window(db, search="talk")) == {e["may"]}
    assert ids(queries.events_in_window(db, search='"; DROP TABLE events; --')) == set()
    assert queries.search_actor_ids(db, "rurit") == {a["Ruritania"]}


def test_actor_counts_and_cooccurrence_in_a_window(story):
    db, a, e, _ = story
    window = (day(2025, 5, 1), day(2025, 5, 31, True))
    counts = queries.actor_event_counts(db, window)
    assert counts == {a["Ann"]: 2, a["Bob"]: 2, a["Acme"]: 1, a["Ruritania"]: 1}
    edges = {(c.a, c.b): (c.count, c.event_ids) for c in queries.cooccurrence_edges(db, window)}
    assert edges[(a["Ann"], a["Bob"])] == (2, tuple(sorted((e["may"], e["day"]))))
    assert edges[(a["Ann"], a["Acme"])] == (1, (e["day"],))
    assert queries.cooccurrence_edges(db, (day(2018, 1, 1), day(2018, 12, 31))) == []


def test_relationships_alive_in_window(story):
    db, a, e, r = story
    types = lambda w: {x.type for x in queries.relationships_in_window(db, w)}  # noqa: E731
    assert types((day(2025, 5, 10), day(2025, 5, 11))) == {"negotiates with", "works for"}
    assert types((day(2025, 7, 1), day(2025, 7, 2))) == {"works for"}  # negotiations ended in June
    assert types((day(2005, 1, 1), day(2005, 2, 1))) == set()
    rel = next(x for x in queries.relationships_in_window(db) if x.id == r)
    assert rel.event_ids == (e["may"],)


@pytest.mark.parametrize("pair_table", [network.DENSE_PAIR_TABLE, 0], ids=["counted in a table", "sorted"])
def test_numpy_network_matches_sql(sample, pair_table, monkeypatch):
    """The arrays the views draw from agree with the SQL queries, window by
    window, whichever way shared events are counted (a table of every
    possible pair for up to 2,000 actors, a sort beyond)."""
    monkeypatch.setattr(network, "DENSE_PAIR_TABLE", pair_table)
    data = load_timeline_data(sample)
    index = {int(x): i for i, x in enumerate(data.actor_ids)}
    for window in [(None, None), (day(2025, 5, 1), day(2025, 5, 3)), (day(2016, 1, 1), day(2018, 1, 1)), (day(2025, 4, 9), day(2025, 4, 10))]:
        mask = network.window_mask(data, window)
        assert set(data.event_ids[mask].tolist()) == ids(queries.events_in_window(sample, window))
        counts = network.actor_counts(data, mask)
        expected = queries.actor_event_counts(sample, window)
        assert {int(data.actor_ids[i]): int(c) for i, c in enumerate(counts) if c} == expected
        co = network.cooccurrence(data, mask)
        got = {tuple(sorted((int(data.actor_ids[x]), int(data.actor_ids[y])))): int(n) for x, y, n in zip(co.a, co.b, co.count)}
        assert got == {(c.a, c.b): c.count for c in queries.cooccurrence_edges(sample, window)}
        for c in queries.cooccurrence_edges(sample, window)[:5]:
            both = network.events_of_pair(data, index[c.a], index[c.b], mask)
            assert sorted(data.event_ids[both].tolist()) == list(c.event_ids)


def test_timeline_arrays_are_sorted_and_complete(sample):
    data = load_timeline_data(sample)
    assert data.n_events == sample.execute("SELECT count(*) FROM events").fetchone()[0]
    assert np.all(np.diff(data.start()) >= 0)
    assert len(data.pair_actor) == sample.execute("SELECT count(*) FROM event_actors").fetchone()[0]
    # every event's earliest bound is no later than its latest
    assert np.all(data.start() <= data.end())


def test_event_detail_lists_roles_and_sources(story):
    db, a, e, _ = story
    detail = queries.event_detail(db, e["may"])
    assert [(x.name, role) for x, role in detail.actors] == [("Ann", "initiator"), ("Bob", "target")]
    assert [(s.publisher, q) for s, q in detail.sources] == [("Gazette", "they met")]
    assert detail.event.precision == "month"


def test_bad_dates_are_refused_with_the_value(memdb):
    with pytest.raises(records.RecordError, match="32 May 2025"):
        records.add_event(memdb, "x", "32 May 2025")
    with pytest.raises(records.RecordError, match="before start"):
        records.add_event(memdb, "x", "2025-05-02", "2025-05-01")
    assert memdb.execute("SELECT count(*) FROM events").fetchone()[0] == 0


@pytest.mark.parametrize("require_all", [False, True])
def test_events_with_actors_are_those_the_event_actors_table_names(sample, require_all):
    """What lights up when actors are selected, against the database itself:
    events with any (or every) of the actors among their participants."""
    data = load_timeline_data(sample)
    rng = np.random.default_rng(5)
    people: dict[int, set[int]] = {}
    for event_id, actor_id in sample.execute("SELECT event_id, actor_id FROM event_actors"):
        people.setdefault(event_id, set()).add(actor_id)
    for size in (0, 1, 1, 2, 3, 6):
        picked = rng.choice(data.n_actors, size=size, replace=False).tolist()
        wanted = {int(data.actor_ids[i]) for i in picked}
        mask = network.events_with_actors(data, picked, require_all=require_all)
        got = set(data.event_ids[mask].tolist())
        every = set(data.event_ids.tolist())
        expect = {e for e in every if (wanted <= people.get(e, set()) if require_all else wanted & people.get(e, set()))}
        assert got == expect
