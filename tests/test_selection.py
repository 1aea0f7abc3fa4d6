"""The selection model on its own (gui/selection.py): the one place views
meet, so what it emits, and when it stays quiet, is the contract every view
relies on."""

from __future__ import annotations

import pytest

from gui.selection import EdgeRef, SelectionModel

SIGNALS = ("selectionChanged", "visibleRangeChanged", "brushChanged", "filterChanged", "laneOrderChanged")


@pytest.fixture
def model(qapp):
    return SelectionModel()


@pytest.fixture
def heard(model):
    """(signal name, origin) of every signal the model emits, in order."""
    log: list[tuple[str, object]] = []
    for name in SIGNALS:
        getattr(model, name).connect(lambda origin, name=name: log.append((name, origin)))
    return log


def test_each_setter_emits_its_own_signal_once_with_the_origin(model, heard):
    view = object()
    model.select_events([3, 1], origin=view)
    model.set_visible_range((10, 20), origin=view)
    model.set_brush((12, 15), origin="timeline")
    model.set_search("tariff", origin="search box")
    model.set_actor_filter({7}, origin="actor list")
    model.set_lanes([2, 1], hidden=[5], origin="lanes")
    assert heard == [
        ("selectionChanged", view),
        ("visibleRangeChanged", view),
        ("brushChanged", "timeline"),
        ("filterChanged", "search box"),
        ("filterChanged", "actor list"),
        ("laneOrderChanged", "lanes"),
    ]
    assert model.selected_events == {1, 3} and model.visible_range == (10.0, 20.0)
    assert model.brush == (12.0, 15.0) and model.search == "tariff" and model.actor_filter == {7}
    assert model.lane_order == (2, 1) and model.hidden_lanes == {5}


def test_setting_the_value_already_held_emits_nothing(model, heard):
    model.select_events([1, 2])
    model.set_visible_range((0, 100))
    model.set_brush((40, 60))
    model.set_search("talks")
    model.set_actor_filter([4, 5])
    model.set_lanes([3, 2, 1], hidden=[9])
    heard.clear()
    model.select_events([2, 1])  # the same set in another order
    model.set_visible_range((0.0, 100.0 + 1e-9))  # a float round trip through a view
    model.set_brush((60, 40))  # dragged the other way: the same window
    model.set_search("  talks ")  # the same words typed with spaces
    model.set_actor_filter({5, 4})
    model.set_lanes((3, 2, 1), hidden={9})
    assert heard == []


def test_a_new_value_after_the_same_one_is_heard(model, heard):
    model.select_actors([1])
    model.select_actors([1])
    model.select_actors([1, 2])
    assert [name for name, _ in heard] == ["selectionChanged", "selectionChanged"]
    assert model.actor_order == (1, 2)


def test_selections_replace_each_other(model):
    edge = EdgeRef(1, 2, "co")
    model.select_events([5])
    model.select_actors([1, 2])
    assert model.selected_events == frozenset() and model.selected_actors == {1, 2}
    model.select_edge(edge)
    assert model.selected_edge == edge and model.selected_actors == frozenset()
    model.select_events([5])
    assert model.selected_edge is None and model.selected_events == {5}


def test_the_actor_order_is_the_order_of_picking(model):
    model.select_actors([4, 2, 4, 9])
    assert model.actor_order == (4, 2, 9)
    assert model.selected_actors == {2, 4, 9}


def test_clear_selection_emits_once_then_nothing(model, heard):
    model.select_edge(EdgeRef(1, 2, "rel", 8), origin="graph")
    heard.clear()
    model.clear_selection(origin="escape")
    model.clear_selection(origin="escape")
    assert heard == [("selectionChanged", "escape")]
    assert model.selected_events == frozenset() and model.selected_actors == frozenset()
    assert model.selected_edge is None and model.actor_order == ()


def test_clear_filters_clears_search_and_actor_filter_once(model, heard):
    model.set_search("trade")
    model.set_actor_filter([1])
    heard.clear()
    model.clear_filters(origin="menu")
    model.clear_filters(origin="menu")
    assert heard == [("filterChanged", "menu")]
    assert model.search == "" and model.actor_filter is None


def test_clear_filters_with_nothing_filtered_emits_nothing(model, heard):
    model.clear_filters()
    model.set_actor_filter(None)
    model.set_search("   ")
    assert heard == []


def test_an_empty_actor_filter_is_not_no_filter(model, heard):
    model.set_actor_filter([])  # everyone unticked: nobody shown
    assert model.actor_filter == frozenset() and heard == [("filterChanged", None)]
    model.set_actor_filter(None)
    assert model.actor_filter is None and len(heard) == 2


def test_set_lanes_compares_order_and_hidden_lanes(model, heard):
    model.set_lanes([1, 2, 3])
    model.set_lanes([1, 2, 3], hidden=[2])  # same order, a lane hidden
    model.set_lanes([3, 2, 1], hidden=[2])  # reordered
    model.set_lanes(None)  # back to the default order, nothing hidden
    assert [name for name, _ in heard] == ["laneOrderChanged"] * 4
    assert model.lane_order is None and model.hidden_lanes == frozenset()


def test_the_time_window_is_the_brush_else_the_visible_range(model, heard):
    assert model.time_window is None
    model.set_visible_range((100, 200))
    assert model.time_window == (100.0, 200.0)
    model.set_brush((150, 120))
    assert model.time_window == (120.0, 150.0)  # the brush wins, low end first
    model.set_visible_range((0, 1000))
    assert model.time_window == (120.0, 150.0)  # panning leaves a brushed window alone
    model.set_brush(None)
    assert model.time_window == (0.0, 1000.0)
    assert [name for name, _ in heard] == ["visibleRangeChanged", "brushChanged", "visibleRangeChanged", "brushChanged"]


def test_removing_a_brush_that_is_not_there_emits_nothing(model, heard):
    model.set_brush(None)
    assert heard == []
