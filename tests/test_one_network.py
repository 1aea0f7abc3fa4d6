"""One co-occurrence rule, one network: the SQL the GEXF and GraphML
exports and the figures use (``queries.cooccurrence_edges``), the numpy
pass over the arrays (``store.network``) and the graph panel of a real
window give the same pairs with the same counts for the same brushed window.

The rule: each participant of an event is linked with the next
``MAX_GROUP - 1`` in the order they were recorded, and an actor in two
roles of one event is one participant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_main_window
from PySide6.QtCore import Qt

from store import network, queries, records
from store.database import close_database, open_database
from store.dates import parse_date
from store.figure_data import figure_data
from store.records import Participation
from bench.synth import write_synthetic
from store.timeline_data import load_timeline_data

from tests.test_explorer import drag, plot_point


def sql_pairs(db, window) -> dict[tuple[int, int], int]:
    return {(e.a, e.b): e.count for e in queries.cooccurrence_edges(db, window)}


def numpy_pairs(data, window) -> dict[tuple[int, int], int]:
    co = network.cooccurrence(data, network.window_mask(data, window))
    ids = data.actor_ids
    out = {}
    for a, b, n in zip(co.a.tolist(), co.b.tolist(), co.count.tolist()):
        x, y = int(ids[a]), int(ids[b])
        out[(min(x, y), max(x, y))] = int(n)
    return out


def crowded_file(tmp_path: Path) -> Path:
    """A synthetic story plus crowded events (more than MAX_GROUP participants),
    an actor in two roles with others recorded between them, and an event
    whose participants were recorded at two different times (its rows are
    not next to each other in the file)."""
    path = write_synthetic(tmp_path / "crowd.db", events=600, actors=60, seed=7)
    db = open_database(path)
    try:
        ids = [r[0] for r in db.execute("SELECT id FROM actors ORDER BY id")]
        # recorded out of id order, so "the order they were recorded" is not "by id"
        summit = [ids[k] for k in (40, 3, 17, 55, 8, 21, 33, 2, 48, 11, 29, 5, 37, 14, 50, 26)]
        roles = [Participation(a) for a in summit]
        roles.insert(6, Participation(summit[0], "target"))  # the first participant again, in a second role
        records.add_event(db, "A summit", "2024-06-03", actors=roles)
        records.add_event(db, "A press conference", "2024-06-04",
                          actors=[Participation(ids[k]) for k in (9, 1, 44, 30, 12, 58, 7, 19, 27, 35, 41, 53, 4, 16)])
        records.add_event(db, "A meeting", "2024-06-05",
                          actors=[Participation(ids[1], "initiator"), Participation(ids[9]),
                                  Participation(ids[1], "target")])
        late = records.add_event(db, "Talks joined late", "2024-06-06",
                                 actors=[Participation(ids[k]) for k in (20, 6, 45, 13, 31, 2, 57, 24, 10, 38)])
        records.add_event(db, "Between", "2024-06-07", actors=[Participation(ids[3]), Participation(ids[4])])
        # three more participants recorded afterwards (another tool appending rows)
        db.conn.executemany("INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, 'participant')",
                            [(late, ids[k]) for k in (0, 49, 22)])
        db.conn.commit()
    finally:
        close_database(db)
    return path


def open_window(qtbot, path, tmp_path):
    win = open_main_window(qtbot, path, tmp_path, size=(1500, 900))
    qtbot.waitExposed(win)
    return win


def brush(win, qtbot, first: str, last: str):
    """Shift-drag on the timeline from ``first`` to ``last``, as a person brushes a window."""
    lo, hi = parse_date(first).earliest, parse_date(last).latest
    span = hi - lo
    win.timeline.set_window(lo - span / 4, hi + span / 4)
    qtbot.wait(50)
    drag(win.timeline.plot.viewport(), plot_point(win, lo, 0), plot_point(win, hi, 0), Qt.KeyboardModifier.ShiftModifier)
    window = win.session.selection.brush
    assert window is not None
    return window


def assert_one_network(win, qtbot, window):
    session = win.session
    graph = win.graph
    assert graph.show_cooccurrence.isChecked() and graph.min_weight.value() == 1
    exported = sql_pairs(session.story.db, window)
    counted = numpy_pairs(session.data, window)
    assert exported, "the window holds shared events"
    assert counted == exported
    figure = figure_data(session.story.db, (int(window[0]), int(window[1])))  # a figure's graph of the window
    assert {(k.a, k.b): k.count for k in figure.links} == exported
    qtbot.waitUntil(lambda: graph.shared_event_counts() == exported, timeout=5000)
    # the links drawn are the pairs, each once
    drawn = [(min(r.a, r.b), max(r.a, r.b)) for r in graph.edge_refs() if r.kind == "co"]
    assert sorted(drawn) == sorted(exported)


def test_the_sample_story_has_one_network(qtbot, sample_db, tmp_path):
    win = open_window(qtbot, sample_db, tmp_path)
    window = brush(win, qtbot, "2025-04-01", "2025-05-31")
    assert_one_network(win, qtbot, window)


def test_a_crowded_file_has_one_network(qtbot, tmp_path):
    path = crowded_file(tmp_path)
    win = open_window(qtbot, path, tmp_path)
    window = brush(win, qtbot, "2024-01-01", "2024-12-31")
    assert_one_network(win, qtbot, window)
    exported = sql_pairs(win.session.story.db, window)
    ids = [r[0] for r in win.session.story.db.execute("SELECT id FROM actors ORDER BY id")]
    pair = lambda i, j: (min(ids[i], ids[j]), max(ids[i], ids[j]))  # noqa: E731
    assert all(a != b for a, b in exported)  # an actor in two roles is never linked with itself
    # the summit: its first participant (also its seventh row, as target) reaches the 11 after it, not the 12th
    assert pair(40, 3) in exported and pair(40, 5) in exported and pair(40, 37) not in exported
    # the meeting counts its pair once, though one side took part twice
    assert exported[pair(1, 9)] == win.session.story.db.execute(
        "SELECT count(DISTINCT a.event_id) FROM event_actors a JOIN event_actors b ON a.event_id = b.event_id "
        "JOIN events e ON e.id = a.event_id WHERE a.actor_id = ? AND b.actor_id = ? AND e.latest >= ? AND e.earliest <= ?",
        [ids[1], ids[9], int(window[0]), int(window[1])]).fetchone()[0]
    # the talks' late-recorded participants come last: the first talker reaches the first late one, not the last
    assert pair(20, 0) in exported and pair(20, 22) not in exported


@pytest.mark.parametrize("window", [(None, None), ("2024-06-01", "2024-06-30")])
def test_the_arrays_and_the_export_agree_without_a_window(tmp_path, window):
    path = crowded_file(tmp_path)
    db = open_database(path)
    try:
        span = (None, None) if window[0] is None else (parse_date(window[0]).earliest, parse_date(window[1]).latest)
        assert numpy_pairs(load_timeline_data(db), span) == sql_pairs(db, span)
    finally:
        close_database(db)




def test_a_window_ending_between_seconds_holds_the_same_events_on_screen_and_in_an_export(sample):
    """A brushed window's ends fall between seconds; the exports are given
    ``whole_seconds`` of it and must not take in an event the screen leaves out."""
    data = load_timeline_data(sample)
    latest, title = sample.execute(
        "SELECT e.latest, e.title FROM events e JOIN event_actors ea ON ea.event_id = e.id "
        "GROUP BY e.id HAVING count(DISTINCT ea.actor_id) >= 2 ORDER BY e.latest LIMIT 1").fetchone()
    window = (latest + 0.25, latest + 90 * 86400 + 0.75)  # starts a quarter second after that event ends
    on_screen = set(data.event_ids[network.window_mask(data, window)].tolist())
    exported = {e.id for e in queries.events_in_window(sample, queries.whole_seconds(window))}
    assert exported == on_screen and exported
    assert title not in {e.title for e in queries.events_in_window(sample, queries.whole_seconds(window))}
    assert numpy_pairs(data, window) == sql_pairs(sample, queries.whole_seconds(window)) == sql_pairs(sample, window)
    assert queries.whole_seconds((-10.5, -3.5)) == (-10, -4) and queries.whole_seconds((None, 7)) == (None, 7)
