"""The story object and the one write path: a real file, opened as the
window opens it; every write refused while the file may not be written, and
every write keeping the search index and the cache key right."""

from __future__ import annotations

import os
import shutil

import pytest

from store import queries, records
from store.cache import current_generation
from store.database import StoreError
from store.story import Story
from store.writing import changing, in_write, write
from tests.fixtures.dbstate import dump, integrity_problems


def test_a_story_owns_its_connection_lock_and_identity(sample_db):
    story = Story.open(sample_db)
    try:
        assert not story.read_only and story.why_read_only is None
        assert story.lock is not None  # the writer lock: another window opens read-only
        assert story.identity.path == str(sample_db)
        assert story.outside_change() is None
        assert story.cache_key()["generation"] == current_generation(story.db)
        assert story.title  # the sample's title, from its meta table
    finally:
        story.close()


def test_a_story_answers_typed_reads_without_a_window(sample_db):
    from store import views

    story = Story.open(sample_db)
    try:
        names = {a.name for a in story.actors()}
        assert "Xi Jinping" in names
        xi = next(a for a in story.actors() if a.name == "Xi Jinping")
        assert story.actor(xi.id).name == "Xi Jinping"
        event = story.events_in_window(limit=1)[0]
        assert story.event_detail(event.id).event.title == event.title == story.titles([event.id])[event.id]
        with story.write("save view") as db:
            views.save_view(db, "April", {"search": "tariff"})
        assert story.saved_view_names() == ["April"] and story.saved_view("April") == {"search": "tariff"}
    finally:
        story.close()


def test_a_read_only_story_refuses_every_write_and_changes_nothing(sample_db):
    story = Story.open(sample_db, read_only=True)
    try:
        before = dump(story.db, generation=True)
        assert story.read_only
        assert story.refusal() == "This file is open read-only: nothing can be changed."
        with pytest.raises(StoreError, match="^This file is open read-only: nothing can be changed.$"):
            with story.write("add event") as db:
                records.add_event(db, "Never written", "2025-01-01")
        assert dump(story.db, generation=True) == before
    finally:
        story.close()


def test_a_story_stopped_from_writing_says_why(sample_db):
    story = Story.open(sample_db)
    try:
        story.stop_writing("sample.db was damaged")
        assert story.read_only
        assert story.refusal() == "This file is open read-only: nothing can be changed. (sample.db was damaged)"
    finally:
        story.close()


def test_a_pending_page_check_refuses_writes_until_it_passes(sample_db):
    story = Story.open(sample_db, defer_deep_check=True)
    try:
        assert story.check_pending and story.read_only
        with pytest.raises(StoreError, match="still checking sample.db for damage"):
            with story.write("add actor") as db:
                records.add_actor(db, "Nobody")
        story.check_passed()
        assert not story.read_only
        with story.write("add actor") as db:
            records.add_actor(db, "Somebody")
        assert queries.search_actor_ids(story.db, "Somebody")
    finally:
        story.close()


def test_a_replaced_file_is_never_written(sample_db, tmp_path):
    story = Story.open(sample_db)
    try:
        copy = tmp_path / "other.db"
        shutil.copy(sample_db, copy)
        os.replace(copy, sample_db)  # a sync client saved another file over it
        with pytest.raises(StoreError, match="was replaced on disk"):
            with story.write("add actor") as db:
                records.add_actor(db, "Lost")
        assert story.read_only and "was replaced on disk" in story.why_read_only
    finally:
        story.close()


def test_one_write_indexes_what_it_changed_and_bumps_the_generation_once(sample_db):
    story = Story.open(sample_db)
    db = story.db
    try:
        generation = current_generation(db)
        with story.write("several") as w:
            assert in_write(db)
            event = records.add_event(w, "Harbour blockade", "2025-03-04")
            actor = records.add_actor(w, "Port Authority", "organisation")
        assert not in_write(db)
        assert current_generation(db) == generation + 1  # one write, however many records
        assert event in queries.search_event_ids(db, "blockade")
        assert actor in queries.search_actor_ids(db, "Authority")
        assert integrity_problems(db) == []
    finally:
        story.close()


def test_words_that_change_are_searched_by_their_new_form(memdb):
    event = records.add_event(memdb, "Harbour blockade", "2025-03-04")
    with write(memdb, "retitle"):
        changing(memdb, "events", [event])  # before the words change
        memdb.execute("UPDATE events SET title = 'Harbour reopened' WHERE id = ?", [event])
    assert queries.search_event_ids(memdb, "reopened") == {event}
    assert queries.search_event_ids(memdb, "blockade") == set()
    assert integrity_problems(memdb) == []


def test_a_failed_write_leaves_rows_index_and_generation_as_they_were(memdb):
    event = records.add_event(memdb, "Harbour blockade", "2025-03-04")
    before = dump(memdb, generation=True)
    with pytest.raises(records.RecordError):
        with write(memdb, "two things"):
            changing(memdb, "events", [event])
            memdb.execute("DELETE FROM events WHERE id = ?", [event])
            records.add_actor(memdb, "")  # refused: an actor needs a name
    assert dump(memdb, generation=True) == before
    assert queries.search_event_ids(memdb, "blockade") == {event}
    assert integrity_problems(memdb) == []


def test_saying_what_changes_outside_a_write_is_a_programming_error(memdb):
    with pytest.raises(RuntimeError, match="outside a write"):
        changing(memdb, "events", [1])


# ---------------------------------------------------------------- the same rules for adding and changing

from store import edits  # noqa: E402
from store.records import Citation, Participation, RecordError  # noqa: E402


@pytest.fixture
def small(memdb):
    a = records.add_actor(memdb, "Ana Ruiz")
    b = records.add_actor(memdb, "Port Authority", "organisation")
    s = records.add_source(memdb, "Reuters", "Harbour closed")
    e = records.add_event(memdb, "Harbour closed", "2025-03-04", actors=[Participation(a)])
    return memdb, a, b, s, e


def test_an_add_naming_an_actor_twice_is_refused_and_changes_nothing(small):
    db, a, _b, _s, e = small
    before = dump(db, generation=True)
    with pytest.raises(RecordError, match=f"^actors: actor {a} is listed twice$"):
        records.add_event(db, "Harbour reopened", "2025-03-09",
                          actors=[Participation(a, "target"), Participation(a, "target")])
    assert dump(db, generation=True) == before
    assert integrity_problems(db) == []
    # one actor in two roles is two places in the event, for add and update alike
    both = [Participation(a, "participant"), Participation(a, "target")]
    added = records.add_event(db, "Harbour reopened", "2025-03-09", actors=both)
    edits.update_event(db, e, actors=both)
    for event in (added, e):
        assert sorted(db.execute("SELECT role FROM event_actors WHERE event_id = ?", [event]).fetchall()) == [
            ("participant",), ("target",)]


def test_a_relationship_naming_an_event_twice_is_refused(small):
    db, a, b, _s, e = small
    before = dump(db, generation=True)
    with pytest.raises(RecordError, match=f"^events: event {e} is listed twice$"):
        records.add_relationship(db, a, b, "employs", events=[e, e])
    assert dump(db, generation=True) == before


def _bad_values(a, s):
    """(fields, the one message add and update both give)."""
    return [
        ({"title": "  "}, "title: an event needs a title"),
        ({"certainty": "sure"}, "certainty must be one of"),
        ({"start": ""}, "start: an event needs a start date"),
        ({"start": "the day after never"}, "start: cannot understand"),
        ({"reference": "May 2025"}, "reference: 'May 2025' is not a single day"),
        ({"reference": "someday"}, "reference: cannot understand"),
        ({"summary": 12}, "summary must be text, not 12"),
        ({"actors": [Participation(a), Participation(a)]}, f"actors: actor {a} is listed twice"),
        ({"actors": [Participation(999)]}, "actors: there is no actor with id 999"),
        ({"actors": [Participation(a, "boss")]}, "role must be one of"),
        ({"sources": [Citation(s), Citation(s)]}, f"sources: source {s} is listed twice"),
        ({"sources": [Citation(998)]}, "sources: there is no source with id 998"),
    ]


@pytest.mark.parametrize("case", range(12))
def test_the_same_bad_value_gets_the_same_message_from_add_and_update(small, case):
    db, a, _b, s, e = small
    fields, expected = _bad_values(a, s)[case]
    before = dump(db, generation=True)
    add = {"title": "Harbour reopened", "start": "2025-03-09", **fields}
    with pytest.raises(RecordError) as added:
        records.add_event(db, add.pop("title"), add.pop("start"), **add)
    with pytest.raises(RecordError) as updated:
        edits.update_event(db, e, **fields)
    assert str(added.value) == str(updated.value)
    assert str(added.value).startswith(expected)
    assert dump(db, generation=True) == before


def test_one_reader_of_reference_days():
    from datetime import date

    from store.records import reference_date

    assert reference_date("2025-05-04") == date(2025, 5, 4)
    assert reference_date(None) is None and reference_date("") is None
    assert reference_date("May 2025", strict=False) is None  # a publication date of a month: no day to read against
    with pytest.raises(RecordError, match="^reference: 'May 2025' is not a single day$"):
        reference_date("May 2025")
