"""Editing with undo: every update, delete and restore checked against the
database afterwards (rows, join rows, full-text index), errors that change
nothing, and random sequences of edits, undos and redos against a model."""

from __future__ import annotations

import copy
import json
import re
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from store import edits, queries, records, views
from store.database import close_database, open_database
from store.records import Citation as C
from store.records import Participation as P
from store.records import RecordError
from tests.fixtures.dbstate import dump, integrity_problems


def row(db, table, record_id):
    return edits.fetch_row(db, table, record_id, table)


def pairs(db, sql, *params):
    return sorted(db.execute(sql, params).fetchall())


@pytest.fixture
def story(memdb):
    db = memdb
    xi = records.add_actor(db, "Xi Jinping", "person", aliases=["Xi"], title="President")
    rubio = records.add_actor(db, "Marco Rubio", "person")
    mofcom = records.add_actor(db, "Commerce Ministry", "government body")
    reuters = records.add_source(db, "Reuters", "China weighs talks", "https://example.org/a", "2025-05-02")
    wsj = records.add_source(db, "WSJ", "Fentanyl offer")
    talks = records.add_event(
        db, "Beijing weighs talks", "2 May 2025", summary="Ministry evaluates overtures", location="Beijing",
        type="statement", actors=[P(mofcom, "initiator"), P(rubio, "target")], sources=[C(reuters, "evaluating")],
    )  # fmt: skip
    offer = records.add_event(db, "Fentanyl offer considered", "May 2025", actors=[P(xi, "initiator")], sources=[C(wsj)])
    rivalry = records.add_relationship(db, xi, rubio, "negotiates with", start="April 2025", events=[talks, offer])
    ally = records.add_relationship(db, mofcom, xi, "reports to", events=[talks])
    return SimpleNamespace(db=db, xi=xi, rubio=rubio, mofcom=mofcom, reuters=reuters, wsj=wsj,
                           talks=talks, offer=offer, rivalry=rivalry, ally=ally)  # fmt: skip


def healthy(db):
    assert integrity_problems(db) == []


# ---------------------------------------------------------------- events


def test_update_event_text_returns_old_values_and_reindexes(story):
    db, talks = story.db, story.talks
    old = edits.update_event(db, talks, title="Summit announced", summary="Quiet exemptions", location="Geneva", type="report")
    assert old == {"title": "Beijing weighs talks", "summary": "Ministry evaluates overtures", "location": "Beijing", "type": "statement"}
    r = row(db, "events", talks)
    assert (r["title"], r["summary"], r["location"], r["type"]) == ("Summit announced", "Quiet exemptions", "Geneva", "report")
    for word in ("summit", "exemptions", "geneva", "report"):
        assert talks in queries.search_event_ids(db, word)
    for word in ("weighs", "overtures", "beijing", "statement"):
        assert talks not in queries.search_event_ids(db, word)
    healthy(db)

    assert edits.update_event(db, talks, **old).keys() == old.keys()
    assert talks in queries.search_event_ids(db, "overtures")
    assert talks not in queries.search_event_ids(db, "geneva")
    healthy(db)


def test_update_event_dates_are_rederived_and_undo_is_exact(story):
    db, offer = story.db, story.offer
    before = row(db, "events", offer)
    old = edits.update_event(db, offer, start="c. 2016", end="2018")
    assert old == {"start": "May 2025", "end": None}
    r = row(db, "events", offer)
    bounds = records.event_bounds("c. 2016", "2018")
    assert {k: r[k] for k in bounds} == bounds
    assert r["approximate"] == 1 and r["end"] == "2018"
    edits.update_event(db, offer, **old)
    assert row(db, "events", offer) == before


def test_move_event_is_update_of_start_and_end(story):
    db = story.db
    old = edits.move_event(db, story.talks, "3 May 2025", "5 May 2025")
    assert old == {"start": "2 May 2025", "end": None}
    r = row(db, "events", story.talks)
    assert (r["start"], r["end"], r["precision"]) == ("3 May 2025", "5 May 2025", "day")
    assert {e.id for e in queries.events_in_window(db, (r["earliest"], r["earliest"]))} == {story.talks, story.offer}


def test_relative_dates_read_against_the_reference(story):
    db = story.db
    old = edits.update_event(db, story.offer, start="Friday", reference="2025-05-04")
    assert old == {"start": "May 2025", "reference": None}
    r = row(db, "events", story.offer)
    assert r["date_reference"] == "2025-05-04"
    assert r["earliest"] == records.event_bounds("2 May 2025")["earliest"]
    # Changing only the reference re-reads the words against it.
    edits.update_event(db, story.offer, reference="2025-05-11")
    assert row(db, "events", story.offer)["earliest"] == records.event_bounds("9 May 2025")["earliest"]
    with pytest.raises(RecordError, match="start: a reference date is needed"):
        edits.update_event(db, story.offer, reference=None)


def test_update_event_actors_and_sources(story):
    db, talks = story.db, story.talks
    old = edits.update_event(db, talks, actors=[P(story.xi, "initiator"), (story.rubio, "mentioned")], sources=[])
    assert old == {"actors": [P(story.mofcom, "initiator"), P(story.rubio, "target")], "sources": [C(story.reuters, "evaluating")]}
    assert pairs(db, "SELECT actor_id, role FROM event_actors WHERE event_id = ?", talks) == sorted(
        [(story.xi, "initiator"), (story.rubio, "mentioned")]
    )
    assert pairs(db, "SELECT * FROM event_sources WHERE event_id = ?", talks) == []
    edits.update_event(db, talks, **old)
    assert pairs(db, "SELECT actor_id, role FROM event_actors WHERE event_id = ?", talks) == sorted(
        [(story.mofcom, "initiator"), (story.rubio, "target")]
    )
    assert pairs(db, "SELECT source_id, quote FROM event_sources WHERE event_id = ?", talks) == [(story.reuters, "evaluating")]
    healthy(db)


def test_delete_and_restore_event(story):
    db, talks = story.db, story.talks
    before = dump(db)
    snap = edits.delete_event(db, talks)
    assert snap.id == talks and len(snap.actors) == 2 and len(snap.sources) == 1 and len(snap.relationships) == 2
    assert queries.get_event(db, talks) is None
    for table in ("event_actors", "event_sources", "relationship_events"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE event_id = ?", [talks]).fetchone()[0] == 0
    assert talks not in queries.search_event_ids(db, "weighs")
    assert db.execute("SELECT count(*) FROM relationships").fetchone()[0] == 2  # relationships stay
    healthy(db)

    edits.restore_event(db, snap)
    assert dump(db) == before
    assert queries.search_event_ids(db, "weighs") == {talks}
    healthy(db)
    with pytest.raises(RecordError, match="already an event with id"):
        edits.restore_event(db, snap)
    assert dump(db) == before


def test_restore_refuses_when_what_it_names_is_gone(story):
    db = story.db
    snap = edits.delete_event(db, story.offer)
    edits.delete_actor(db, story.xi)
    before = dump(db)
    with pytest.raises(RecordError, match=f"actors: there is no actor with id {story.xi}"):
        edits.restore_event(db, snap)
    assert dump(db) == before
    healthy(db)


# ---------------------------------------------------------------- actors


def test_update_actor_fields_and_search(story):
    db, xi = story.db, story.xi
    old = edits.update_actor(db, xi, name="Xi J.", aliases=["Chairman", "Paramount leader"], notes="Reviewing options",
                             kind="person", country="China", colour="#aa3300", title=None)  # fmt: skip
    assert old == {"name": "Xi Jinping", "aliases": ["Xi"], "notes": None, "kind": "person", "country": None,
                   "colour": None, "title": "President"}  # fmt: skip
    a = queries.get_actor(db, xi)
    assert (a.name, a.aliases, a.notes, a.country, a.colour, a.title) == (
        "Xi J.", ("Chairman", "Paramount leader"), "Reviewing options", "China", "#aa3300", None
    )
    assert xi in queries.search_actor_ids(db, "paramount") and xi in queries.search_actor_ids(db, "reviewing")
    assert xi not in queries.search_actor_ids(db, "jinping") and xi not in queries.search_actor_ids(db, "president")
    healthy(db)
    edits.update_actor(db, xi, **old)
    assert queries.get_actor(db, xi).aliases == ("Xi",)
    assert xi in queries.search_actor_ids(db, "jinping") and xi not in queries.search_actor_ids(db, "paramount")
    healthy(db)


def test_actor_names_stay_unique(story):
    db = story.db
    before = dump(db)
    with pytest.raises(RecordError, match="there is already an actor named 'Marco Rubio'"):
        edits.update_actor(db, story.xi, name=" Marco Rubio ")
    assert dump(db) == before
    assert edits.update_actor(db, story.xi, name="Xi Jinping") == {"name": "Xi Jinping"}  # its own name is fine


def test_delete_and_restore_actor_with_roles_and_relationships(story):
    db, xi = story.db, story.xi
    before = dump(db)
    snap = edits.delete_actor(db, xi)
    assert {r.id for r in snap.relationships} == {story.rivalry, story.ally}  # from and to it
    assert [r["event_id"] for r in snap.events] == [story.offer]
    assert queries.get_actor(db, xi) is None
    assert db.execute("SELECT count(*) FROM event_actors WHERE actor_id = ?", [xi]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM relationships").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM relationship_events").fetchone()[0] == 0
    assert queries.search_actor_ids(db, "jinping") == set()
    assert queries.get_event(db, story.offer) is not None  # events stay
    healthy(db)

    edits.restore_actor(db, snap)
    assert dump(db) == before
    assert queries.search_actor_ids(db, "jinping") == {xi}
    healthy(db)


def test_restore_actor_refuses_a_taken_name(story):
    db = story.db
    snap = edits.delete_actor(db, story.rubio)
    assert records.add_actor(db, "Marco Rubio") != story.rubio  # the old id is free, the name is not
    before = dump(db)
    with pytest.raises(RecordError, match="there is already an actor named 'Marco Rubio'"):
        edits.restore_actor(db, snap)
    assert dump(db) == before


# ---------------------------------------------------------------- relationships


def test_update_relationship_every_field(story):
    db, rel = story.db, story.rivalry
    before = row(db, "relationships", rel)
    new = dict(from_actor_id=story.rubio, to_actor_id=story.mofcom, type="pressures", directed=False, start="2016",
               end="2017", certainty="claimed", notes="<i>per WSJ</i>", events=[story.offer])  # fmt: skip
    old = edits.update_relationship(db, rel, **new)
    assert old == dict(from_actor_id=story.xi, to_actor_id=story.rubio, type="negotiates with", directed=True,
                       start="April 2025", end=None, certainty="confirmed", notes=None,
                       events=[story.talks, story.offer])  # fmt: skip
    (r,) = [r for r in queries.relationships_in_window(db) if r.id == rel]
    assert (r.from_actor_id, r.to_actor_id, r.type, r.directed, r.start, r.end, r.certainty, r.notes, r.event_ids) == (
        story.rubio, story.mofcom, "pressures", False, "2016", "2017", "claimed", "<i>per WSJ</i>", (story.offer,)
    )
    assert (r.earliest, r.latest) == (records.event_bounds("2016")["earliest"], records.event_bounds("2017")["latest"])
    edits.update_relationship(db, rel, **old)
    assert row(db, "relationships", rel) == before
    assert pairs(db, "SELECT event_id FROM relationship_events WHERE relationship_id = ?", rel) == [(story.talks,), (story.offer,)]
    healthy(db)


def test_delete_and_restore_relationship(story):
    db = story.db
    before = dump(db)
    snap = edits.delete_relationship(db, story.rivalry)
    assert len(snap.events) == 2
    assert db.execute("SELECT count(*) FROM relationship_events WHERE relationship_id = ?", [story.rivalry]).fetchone()[0] == 0
    edits.restore_relationship(db, snap)
    assert dump(db) == before
    healthy(db)


# ---------------------------------------------------------------- sources and citations


def test_update_delete_restore_source(story):
    db, reuters = story.db, story.reuters
    before = dump(db)
    old = edits.update_source(db, reuters, publisher="Reuters & AP", url=None, notes="paywalled")
    assert old == {"publisher": "Reuters", "url": "https://example.org/a", "notes": None}
    s = [s for s in queries.list_sources(db) if s.id == reuters][0]
    assert (s.publisher, s.url, s.notes) == ("Reuters & AP", None, "paywalled")
    edits.update_source(db, reuters, **old)
    assert dump(db) == before

    snap = edits.delete_source(db, reuters)
    assert [c["event_id"] for c in snap.citations] == [story.talks]
    assert db.execute("SELECT count(*) FROM event_sources WHERE source_id = ?", [reuters]).fetchone()[0] == 0
    edits.restore_source(db, snap)
    assert dump(db) == before
    healthy(db)


def test_citations_set_replace_remove_and_undo(story):
    db, talks, wsj, reuters = story.db, story.talks, story.wsj, story.reuters
    before = dump(db)
    previous = edits.set_citation(db, talks, wsj, "sources familiar")
    assert previous is edits.MISSING
    assert pairs(db, "SELECT source_id, quote FROM event_sources WHERE event_id = ?", talks) == sorted(
        [(reuters, "evaluating"), (wsj, "sources familiar")]
    )
    edits.restore_citation(db, talks, wsj, previous)
    assert dump(db) == before

    assert edits.set_citation(db, talks, reuters, None) == "evaluating"
    edits.restore_citation(db, talks, reuters, "evaluating")
    assert dump(db) == before

    assert edits.remove_citation(db, talks, reuters) == "evaluating"
    edits.set_citation(db, talks, reuters, "evaluating")
    assert dump(db) == before
    healthy(db)


# ---------------------------------------------------------------- errors change nothing


BAD_EDITS = [
    (lambda s: edits.update_event(s.db, s.talks, start="32 May 2025"), "start: cannot understand the date '32 May 2025'"),
    (lambda s: edits.update_event(s.db, s.talks, title="Fine", end="May 32, 2025"), "end: cannot understand the date"),
    (lambda s: edits.update_event(s.db, s.talks, end="2001"), "end '2001' is before start '2 May 2025'"),
    (lambda s: edits.update_event(s.db, s.talks, start=""), "start: an event needs a start date"),
    (lambda s: edits.update_event(s.db, s.talks, title="   "), "title: an event needs a title"),
    (lambda s: edits.update_event(s.db, s.talks, certainty="rumoured"), "certainty must be one of .* not 'rumoured'"),
    (lambda s: edits.update_event(s.db, s.talks, title="x", actors=[P(999)]), "actors: there is no actor with id 999"),
    (lambda s: edits.update_event(s.db, s.talks, actors=[P(s.xi, "boss")]), "role must be one of .* not 'boss'"),
    (lambda s: edits.update_event(s.db, s.talks, actors=[P(s.xi), P(s.xi)]), "actors: actor .* is listed twice"),
    (lambda s: edits.update_event(s.db, s.talks, sources=[C(999)]), "sources: there is no source with id 999"),
    (lambda s: edits.update_event(s.db, s.talks, reference="May 2025", start="Friday"), "reference: 'May 2025' is not a single day"),
    (lambda s: edits.update_event(s.db, 999, title="x"), "there is no event with id 999"),
    (lambda s: edits.update_actor(s.db, s.xi, name=""), "name: an actor needs a name"),
    (lambda s: edits.update_actor(s.db, s.xi, kind="alien"), "actor kind must be one of .* not 'alien'"),
    (lambda s: edits.update_actor(s.db, s.xi, aliases="Xi"), "aliases must be a list"),
    (lambda s: edits.update_actor(s.db, s.xi, notes=5), "notes must be text"),
    (lambda s: edits.update_relationship(s.db, s.rivalry, from_actor_id=999), "from_actor_id: there is no actor with id 999"),
    (lambda s: edits.update_relationship(s.db, s.rivalry, start="32 May 2025"), "start: cannot understand the date '32 May 2025'"),
    (lambda s: edits.update_relationship(s.db, s.rivalry, end="2001"), "end '2001' is before start 'April 2025'"),
    (lambda s: edits.update_relationship(s.db, s.rivalry, type=" "), "type: a relationship needs a type"),
    (lambda s: edits.update_relationship(s.db, s.rivalry, notes="x", events=[999]), "events: there is no event with id 999"),
    (lambda s: edits.update_source(s.db, s.wsj, publisher=None, title=""), "a source needs a publisher, a title or a URL"),
    (lambda s: edits.delete_event(s.db, 999), "there is no event with id 999"),
    (lambda s: edits.delete_actor(s.db, 999), "there is no actor with id 999"),
    (lambda s: edits.delete_relationship(s.db, 999), "there is no relationship with id 999"),
    (lambda s: edits.delete_source(s.db, 999), "there is no source with id 999"),
    (lambda s: edits.set_citation(s.db, s.talks, 999, "q"), "there is no source with id 999"),
    (lambda s: edits.remove_citation(s.db, s.offer, s.reuters), "does not cite source"),
    (lambda s: views.load_view(s.db, "nothing"), "no saved view named 'nothing'"),
    (lambda s: views.save_view(s.db, "v", ["not", "an", "object"]), "must be a JSON object"),
    (lambda s: views.save_view(s.db, "v", {"window": float("nan")}), "cannot be stored as JSON"),
    (lambda s: views.save_view(s.db, "  ", {}), "a saved view needs a name"),
]


@pytest.mark.parametrize("edit, message", BAD_EDITS)
def test_errors_name_the_problem_and_change_nothing(story, edit, message):
    before = dump(story.db)
    with pytest.raises(RecordError, match=message):
        edit(story)
    assert dump(story.db) == before
    assert not story.db.conn.in_transaction
    healthy(story.db)


def test_unknown_fields_are_a_programming_error(story):
    with pytest.raises(TypeError, match="no field colour"):
        edits.update_event(story.db, story.talks, colour="#fff")


def test_edits_on_a_file_are_committed_at_once(sample_db):
    db = open_database(sample_db)
    event_id = db.execute("SELECT min(id) FROM events").fetchone()[0]
    edits.update_event(db, event_id, title="Renamed on disk")
    other = open_database(sample_db, readonly=True)  # another connection sees it: nothing to save
    assert queries.get_event(other, event_id).title == "Renamed on disk"
    close_database(other)
    close_database(db)
    db = open_database(sample_db)
    assert event_id in queries.search_event_ids(db, "renamed")
    healthy(db)
    close_database(db)


def test_edits_bump_the_cache_generation_when_there_is_a_cache(story):
    pytest.importorskip("store.cache")
    generation = lambda: records.get_meta(story.db, "generation")  # noqa: E731
    before = generation()
    edits.update_event(story.db, story.talks, title="Changed")
    after_update = generation()
    edits.restore_event(story.db, edits.delete_event(story.db, story.offer))
    assert before != after_update != generation()


# ---------------------------------------------------------------- saved views


def test_saved_views_round_trip_upsert_and_delete(story):
    db = story.db
    state = {"window": [1746057600, 1748735999], "brush": None, "selected_events": [story.talks],
             "selected_actors": [], "search": "fentanyl <b>", "actor_filter": None, "lane_order": [3, 1, 2],
             "hidden_lanes": [2]}  # fmt: skip
    view_id = views.save_view(db, "May window", state)
    assert views.list_views(db) == ["May window"]
    assert views.load_view(db, "May window") == state
    assert views.save_view(db, "May window", {"search": ""}) == view_id  # same name: replaced
    views.save_view(db, "april", {})
    assert views.list_views(db) == ["april", "May window"]
    assert views.delete_view(db, "May window") == {"search": ""}
    assert views.delete_view(db, "May window") is None
    assert views.list_views(db) == ["april"]


def test_a_damaged_saved_view_is_a_clear_error(story):
    story.db.execute("INSERT INTO saved_views (name, state) VALUES ('bad', '[1, 2')")
    with pytest.raises(RecordError, match="saved view 'bad' is damaged"):
        views.load_view(story.db, "bad")
    assert views.delete_view(story.db, "bad") is None
    assert views.list_views(story.db) == []


# ---------------------------------------------------------------- random sequences against a model

WORDS = ("amber", "birch", "cedar", "dune", "ember", "fjord")
DATES = ("2025-05-02", "May 2025", "2016", "c. 2016", "2016/2017", "2 May 2025")
BAD_DATE = "32 May 2025"
EARLY_END = "2001"  # before every start above: always refused as an end
KINDS = ("person", "country", "media")

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
maybe_words = st.none() | words
event_start = st.sampled_from(DATES + (BAD_DATE,))
event_end = st.sampled_from((None, None, "2030", EARLY_END))
rel_start = st.sampled_from((None, "2016", "May 2025"))
rel_end = st.sampled_from((None, "2030", EARLY_END))


class Refused(Exception):
    """The model says the store must refuse this command."""


class Model:
    """What the database should hold, in plain Python."""

    def __init__(self):
        self.events: dict[int, dict] = {}
        self.actors: dict[int, dict] = {}
        self.sources: dict[int, dict] = {}
        self.rels: dict[int, dict] = {}
        self.event_actors: dict[tuple[int, int], str] = {}
        self.event_sources: dict[tuple[int, int], str | None] = {}
        self.rel_events: set[tuple[int, int]] = set()

    def copy(self) -> "Model":
        return copy.deepcopy(self)

    def state(self) -> dict:
        return {k: v for k, v in vars(self).items()}

    @staticmethod
    def next_id(table: dict) -> int:
        return max(table, default=0) + 1  # SQLite's rowid: one more than the largest

    # -- cascades, as the store does them
    def drop_event(self, e):
        del self.events[e]
        self.event_actors = {k: v for k, v in self.event_actors.items() if k[0] != e}
        self.event_sources = {k: v for k, v in self.event_sources.items() if k[0] != e}
        self.rel_events = {k for k in self.rel_events if k[1] != e}

    def drop_rel(self, r):
        del self.rels[r]
        self.rel_events = {k for k in self.rel_events if k[0] != r}

    def drop_actor(self, a):
        del self.actors[a]
        self.event_actors = {k: v for k, v in self.event_actors.items() if k[1] != a}
        for r in [r for r, v in self.rels.items() if a in (v["from_actor_id"], v["to_actor_id"])]:
            self.drop_rel(r)

    def drop_source(self, s):
        del self.sources[s]
        self.event_sources = {k: v for k, v in self.event_sources.items() if k[1] != s}


def database_state(db) -> dict:
    q = lambda sql: db.execute(sql).fetchall()  # noqa: E731
    return {
        "events": {r[0]: dict(zip(("title", "summary", "start", "end", "certainty", "type", "location"), r[1:]))
                   for r in q('SELECT id, title, summary, start, "end", certainty, type, location FROM events')},
        "actors": {r[0]: {"name": r[1], "kind": r[2], "aliases": tuple(json.loads(r[3])) if r[3] else (), "notes": r[4]}
                   for r in q("SELECT id, name, kind, aliases, notes FROM actors")},
        "sources": {r[0]: dict(zip(("publisher", "title", "url", "notes"), r[1:]))
                    for r in q("SELECT id, publisher, title, url, notes FROM sources")},
        "rels": {r[0]: dict(zip(("from_actor_id", "to_actor_id", "type", "directed", "start", "end", "certainty", "notes"),
                                (*r[1:4], bool(r[4]), *r[5:])))
                 for r in q('SELECT id, from_actor_id, to_actor_id, type, directed, start, "end", certainty, notes FROM relationships')},
        "event_actors": {(e, a): role for e, a, role in q("SELECT event_id, actor_id, role FROM event_actors")},
        "event_sources": {(e, s): quote for e, s, quote in q("SELECT event_id, source_id, quote FROM event_sources")},
        "rel_events": set(q("SELECT relationship_id, event_id FROM relationship_events")),
    }  # fmt: skip


def tokens(*texts) -> set[str]:
    return {w.lower() for t in texts if t for w in re.findall(r"\w+", t)}


# -- undoable commands, as the GUI's QUndoCommands use the store


class AddCommand:
    def __init__(self, add, delete, restore):
        self.add, self.delete, self.restore = add, delete, restore
        self.record_id, self.snapshot = None, None

    def redo(self, db):
        if self.snapshot is None:
            self.record_id = self.add(db)
        else:
            self.restore(db, self.snapshot)

    def undo(self, db):
        self.snapshot = self.delete(db, self.record_id)


class EditCommand:
    def __init__(self, update, record_id, new):
        self.update, self.record_id, self.new, self.old = update, record_id, new, None

    def redo(self, db):
        self.old = self.update(db, self.record_id, **self.new)
        assert self.old.keys() == self.new.keys()

    def undo(self, db):
        self.update(db, self.record_id, **self.old)


class DeleteCommand:
    def __init__(self, delete, restore, record_id):
        self.delete, self.restore, self.record_id, self.snapshot = delete, restore, record_id, None

    def redo(self, db):
        self.snapshot = self.delete(db, self.record_id)

    def undo(self, db):
        self.restore(db, self.snapshot)


class CiteCommand:
    def __init__(self, event_id, source_id, quote, remove=False):
        self.args, self.quote, self.remove, self.previous = (event_id, source_id), quote, remove, None

    def redo(self, db):
        if self.remove:
            self.previous = edits.remove_citation(db, *self.args)
        else:
            self.previous = edits.set_citation(db, *self.args, self.quote)

    def undo(self, db):
        edits.restore_citation(db, *self.args, self.previous)


class EditSequences(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        from store.database import memory_database

        self.db = memory_database()
        self.model = Model()
        self.undo_stack: list[tuple] = []
        self.redo_stack: list[tuple] = []

    def run(self, command, expect) -> None:
        """Do a new command; ``expect(model)`` makes the model's change or raises Refused."""
        before = self.model.copy()
        after = before.copy()
        try:
            expect(after)
            refused = False
        except Refused:
            refused = True
        if refused:
            state = dump(self.db)
            with pytest.raises(RecordError):
                command.redo(self.db)
            assert dump(self.db) == state
            return
        command.redo(self.db)
        self.model = after
        self.undo_stack.append((command, before, after))
        self.redo_stack.clear()  # as QUndoStack does when a command is pushed

    def pick(self, data, table):
        return data.draw(st.sampled_from(sorted(table)))

    def subset(self, data, table, max_size=3):
        return data.draw(st.lists(st.sampled_from(sorted(table)), unique=True, max_size=max_size)) if table else []

    # -- adding
    @rule(data=st.data(), title=words, start=event_start, end=event_end, summary=maybe_words)
    def add_event(self, data, title, start, end, summary):
        actors = [P(a, data.draw(st.sampled_from(records.ROLES))) for a in self.subset(data, self.model.actors)]
        sources = [C(s, data.draw(maybe_words)) for s in self.subset(data, self.model.sources)]
        command = AddCommand(
            lambda db: records.add_event(db, title, start, end, summary=summary, actors=actors, sources=sources),
            edits.delete_event, edits.restore_event,
        )  # fmt: skip

        def expect(m):
            if start == BAD_DATE or end == EARLY_END:
                raise Refused
            e = m.next_id(m.events)
            m.events[e] = dict(title=title, summary=summary, start=start, end=end, certainty="confirmed", type=None, location=None)
            m.event_actors.update({(e, p.actor_id): p.role for p in actors})
            m.event_sources.update({(e, c.source_id): c.quote for c in sources})

        self.run(command, expect)
        if command.record_id is not None:
            assert command.record_id in self.model.events

    @rule(first=st.sampled_from(WORDS), second=st.sampled_from(WORDS), kind=st.sampled_from(KINDS),
          aliases=st.lists(st.sampled_from(WORDS), max_size=2), notes=maybe_words)  # fmt: skip
    def add_actor(self, first, second, kind, aliases, notes):
        name = f"{first} {second}"
        command = AddCommand(
            lambda db: records.add_actor(db, name, kind, aliases=aliases, notes=notes), edits.delete_actor, edits.restore_actor
        )

        def expect(m):
            if any(a["name"] == name for a in m.actors.values()):
                raise Refused
            m.actors[m.next_id(m.actors)] = dict(name=name, kind=kind, aliases=tuple(aliases), notes=notes)

        self.run(command, expect)

    @rule(publisher=maybe_words, title=maybe_words, url=st.sampled_from((None, "https://a.example/x")))
    def add_source(self, publisher, title, url):
        command = AddCommand(
            lambda db: records.add_source(db, publisher, title, url), edits.delete_source, edits.restore_source
        )

        def expect(m):
            if not (publisher or title or url):
                raise Refused
            m.sources[m.next_id(m.sources)] = dict(publisher=publisher, title=title, url=url, notes=None)

        self.run(command, expect)

    @precondition(lambda self: self.model.actors)
    @rule(data=st.data(), rel_type=st.sampled_from(WORDS), start=rel_start, end=rel_end, directed=st.booleans())
    def add_relationship(self, data, rel_type, start, end, directed):
        a, b = self.pick(data, self.model.actors), self.pick(data, self.model.actors)
        events = self.subset(data, self.model.events)
        command = AddCommand(
            lambda db: records.add_relationship(db, a, b, rel_type, directed=directed, start=start, end=end, events=events),
            edits.delete_relationship, edits.restore_relationship,
        )  # fmt: skip

        def expect(m):
            if start and end == EARLY_END:
                raise Refused
            r = m.next_id(m.rels)
            m.rels[r] = dict(from_actor_id=a, to_actor_id=b, type=rel_type, directed=directed, start=start, end=end,
                             certainty="confirmed", notes=None)  # fmt: skip
            m.rel_events.update((r, e) for e in events)

        self.run(command, expect)

    # -- editing
    @precondition(lambda self: self.model.events)
    @rule(data=st.data())
    def edit_event(self, data):
        e = self.pick(data, self.model.events)
        choices = {
            "title": words, "summary": maybe_words, "start": event_start, "end": event_end,
            "certainty": st.sampled_from(records.CERTAINTIES), "type": maybe_words, "location": maybe_words,
        }  # fmt: skip
        names = data.draw(st.lists(st.sampled_from(sorted(choices) + ["actors", "sources"]), unique=True, min_size=1, max_size=4))
        new = {n: data.draw(choices[n]) for n in names if n in choices}
        if "actors" in names:
            new["actors"] = [P(a, data.draw(st.sampled_from(records.ROLES))) for a in self.subset(data, self.model.actors)]
        if "sources" in names:
            new["sources"] = [C(s, data.draw(maybe_words)) for s in self.subset(data, self.model.sources)]

        def expect(m):
            if new.get("start") == BAD_DATE or new.get("end") == EARLY_END:
                raise Refused
            m.events[e].update({k: v for k, v in new.items() if k not in ("actors", "sources")})
            if "actors" in new:
                m.event_actors = {k: v for k, v in m.event_actors.items() if k[0] != e}
                m.event_actors.update({(e, p.actor_id): p.role for p in new["actors"]})
            if "sources" in new:
                m.event_sources = {k: v for k, v in m.event_sources.items() if k[0] != e}
                m.event_sources.update({(e, c.source_id): c.quote for c in new["sources"]})

        self.run(EditCommand(edits.update_event, e, new), expect)

    @precondition(lambda self: self.model.events)
    @rule(data=st.data(), start=event_start, end=event_end)
    def move_event(self, data, start, end):
        e = self.pick(data, self.model.events)

        def expect(m):
            if start == BAD_DATE or end == EARLY_END:
                raise Refused
            m.events[e].update(start=start, end=end)

        self.run(EditCommand(lambda db, i, **f: edits.move_event(db, i, f["start"], f["end"]), e, dict(start=start, end=end)), expect)

    @precondition(lambda self: self.model.actors)
    @rule(data=st.data())
    def edit_actor(self, data):
        a = self.pick(data, self.model.actors)
        new = data.draw(st.fixed_dictionaries({}, optional={
            "name": st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)).map(" ".join),
            "kind": st.sampled_from(KINDS), "aliases": st.lists(st.sampled_from(WORDS), max_size=2), "notes": maybe_words,
        }))  # fmt: skip

        def expect(m):
            if "name" in new and any(v["name"] == new["name"] for k, v in m.actors.items() if k != a):
                raise Refused
            m.actors[a].update({k: tuple(v) if k == "aliases" else v for k, v in new.items()})

        self.run(EditCommand(edits.update_actor, a, new), expect)

    @precondition(lambda self: self.model.rels)
    @rule(data=st.data())
    def edit_relationship(self, data):
        r = self.pick(data, self.model.rels)
        actor = st.sampled_from(sorted(self.model.actors))
        new = data.draw(st.fixed_dictionaries({}, optional={
            "from_actor_id": actor, "to_actor_id": actor, "type": st.sampled_from(WORDS), "directed": st.booleans(),
            "start": rel_start, "end": rel_end, "certainty": st.sampled_from(records.CERTAINTIES), "notes": maybe_words,
        }))  # fmt: skip
        if data.draw(st.booleans()):
            new["events"] = self.subset(data, self.model.events)

        def expect(m):
            merged = {**m.rels[r], **new}
            if merged["start"] and merged["end"] == EARLY_END:
                raise Refused
            m.rels[r].update({k: v for k, v in new.items() if k != "events"})
            if "events" in new:
                m.rel_events = {k for k in m.rel_events if k[0] != r} | {(r, e) for e in new["events"]}

        self.run(EditCommand(edits.update_relationship, r, new), expect)

    @precondition(lambda self: self.model.sources)
    @rule(data=st.data())
    def edit_source(self, data):
        s = self.pick(data, self.model.sources)
        new = data.draw(st.fixed_dictionaries({}, optional={"publisher": maybe_words, "title": maybe_words, "notes": maybe_words}))

        def expect(m):
            merged = {**m.sources[s], **new}
            if not any(merged[n] for n in ("publisher", "title", "url")):
                raise Refused
            m.sources[s].update(new)

        self.run(EditCommand(edits.update_source, s, new), expect)

    @precondition(lambda self: self.model.events and self.model.sources)
    @rule(data=st.data(), quote=maybe_words)
    def cite(self, data, quote):
        e, s = self.pick(data, self.model.events), self.pick(data, self.model.sources)
        self.run(CiteCommand(e, s, quote), lambda m: m.event_sources.__setitem__((e, s), quote))

    @precondition(lambda self: self.model.event_sources)
    @rule(data=st.data())
    def uncite(self, data):
        e, s = self.pick(data, self.model.event_sources)
        self.run(CiteCommand(e, s, None, remove=True), lambda m: m.event_sources.pop((e, s)))

    # -- deleting
    @precondition(lambda self: self.model.events)
    @rule(data=st.data())
    def delete_event(self, data):
        e = self.pick(data, self.model.events)
        self.run(DeleteCommand(edits.delete_event, edits.restore_event, e), lambda m: m.drop_event(e))

    @precondition(lambda self: self.model.actors)
    @rule(data=st.data())
    def delete_actor(self, data):
        a = self.pick(data, self.model.actors)
        self.run(DeleteCommand(edits.delete_actor, edits.restore_actor, a), lambda m: m.drop_actor(a))

    @precondition(lambda self: self.model.rels)
    @rule(data=st.data())
    def delete_relationship(self, data):
        r = self.pick(data, self.model.rels)
        self.run(DeleteCommand(edits.delete_relationship, edits.restore_relationship, r), lambda m: m.drop_rel(r))

    @precondition(lambda self: self.model.sources)
    @rule(data=st.data())
    def delete_source(self, data):
        s = self.pick(data, self.model.sources)
        self.run(DeleteCommand(edits.delete_source, edits.restore_source, s), lambda m: m.drop_source(s))

    # -- undo and redo
    @precondition(lambda self: self.undo_stack)
    @rule()
    def undo(self):
        command, before, after = self.undo_stack.pop()
        command.undo(self.db)
        self.model = before.copy()
        self.redo_stack.append((command, before, after))

    @precondition(lambda self: self.redo_stack)
    @rule()
    def redo(self):
        command, before, after = self.redo_stack.pop()
        command.redo(self.db)
        self.model = after.copy()
        self.undo_stack.append((command, before, after))

    @precondition(lambda self: len(self.undo_stack) > 1)
    @rule()
    def undo_everything_then_redo_everything(self):
        # The whole history backwards then forwards, checked at every step:
        # ids named by later commands must survive any depth of undo.
        while self.undo_stack:
            self.undo()
            self.database_matches_model()
        while self.redo_stack:
            self.redo()
            self.database_matches_model()

    # -- after every step
    @invariant()
    def database_matches_model(self):
        assert database_state(self.db) == self.model.state()
        assert not self.db.conn.in_transaction

    @invariant()
    def derived_dates_match_the_text(self):
        for r in edits.fetch_rows(self.db, 'SELECT * FROM events'):
            bounds = records.event_bounds(r["start"], r["end"])
            assert {k: r[k] for k in bounds} == bounds

    @invariant()
    def search_finds_exactly_the_current_text(self):
        for word in WORDS:
            events = {e for e, v in self.model.events.items() if word in tokens(v["title"], v["summary"], v["type"], v["location"])}
            actors = {a for a, v in self.model.actors.items() if word in tokens(v["name"], v["notes"], *v["aliases"])}
            assert queries.search_event_ids(self.db, word) == events
            assert queries.search_actor_ids(self.db, word) == actors

    @invariant()
    def file_is_healthy(self):
        assert integrity_problems(self.db) == []


EditSequences.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_random_edit_sequences_match_the_model = EditSequences.TestCase
