"""The atlas of rendered discs the timeline's markers and the graph's nodes
are stamped from: every look asked for is on it where it says, through
growing, starting afresh and a change of pixel ratio."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter

import gui.disc_atlas as disc_atlas
from gui.disc_atlas import DiscAtlas


def _colour(key: int) -> QColor:
    return QColor.fromHsv((key * 37) % 360, 200, 60 + (key * 53) % 190)


def _render(painter: QPainter, key: int, centre: QPointF) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_colour(key))
    painter.drawEllipse(centre, 6, 6)


def _centre_colour(atlas: DiscAtlas, spot) -> QColor:
    image = atlas.pixmap.toImage()
    ratio = atlas.pixmap.devicePixelRatioF()
    left, top, side = spot
    return image.pixelColor(int((left + side / 2) * ratio), int((top + side / 2) * ratio))


def _assert_on_atlas(atlas: DiscAtlas, keys, spots) -> None:
    assert len(spots) == len(keys)
    for key, spot in zip(keys, spots):
        got = _centre_colour(atlas, spot)
        assert got.rgb() == _colour(key).rgb(), (key, spot)


@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_discs_added_a_few_at_a_time_stay_where_the_atlas_says(qapp, ratio):
    atlas = DiscAtlas(_render)
    asked = {}
    for batch in range(12):  # 12 x 40 discs of 16 px: the atlas grows several times
        keys = list(range(batch * 40, batch * 40 + 40))
        spots = atlas.spots(keys, [16] * len(keys), ratio)
        asked.update(zip(keys, map(tuple, spots)))
    assert atlas.pixmap.height() / ratio > disc_atlas.FIRST_PX
    keys = sorted(asked)
    again = atlas.spots(keys, [16] * len(keys), ratio)
    assert [tuple(s) for s in again] == [asked[k] for k in keys]  # nothing moved or was drawn again
    _assert_on_atlas(atlas, keys, again)


def test_a_full_atlas_starts_afresh_with_what_is_asked(qapp, monkeypatch):
    monkeypatch.setattr(disc_atlas, "MAX_PX", 64)  # four rows of 16 px discs
    atlas = DiscAtlas(_render)
    atlas.spots(list(range(200)), [16] * 200, 1.0)  # 64 to a row: all four rows
    spots = atlas.spots([500, 501, 7], [16] * 3, 1.0)
    _assert_on_atlas(atlas, [500, 501, 7], spots)


def test_discs_that_cannot_fit_are_refused(qapp, monkeypatch):
    monkeypatch.setattr(disc_atlas, "MAX_PX", 8)
    atlas = DiscAtlas(_render)
    assert atlas.spots([1, 2], [16, 16], 1.0) is None
    assert atlas.pixmap is None


def test_a_new_pixel_ratio_or_forget_renders_again(qapp):
    atlas = DiscAtlas(_render)
    atlas.spots([1, 2], [16, 16], 1.0)
    spots = atlas.spots([2, 3], [16, 16], 2.0)
    assert atlas.pixmap.devicePixelRatioF() == 2.0
    _assert_on_atlas(atlas, [2, 3], spots)
    first = atlas.pixmap
    atlas.forget()
    atlas.spots([3], [16], 2.0)
    assert atlas.pixmap is not first
