"""An edit shown before it is folded in: the loaded arrays with a few events
masked out, and the edited events as they are now in arrays of their own.

Folding an edit into the arrays (``timeline_patch``) makes new columns, a
copy of every event: about 0.25 s at a million events and seconds at ten
million. An ``Overlay`` is made from the same few rows (``read_changes``)
in time that grows with the edit, not the file: the events it re-read are
*hidden* in the loaded (base) arrays, and their rows as the file holds them
now are a tiny ``TimelineData`` of their own (``extra``), with their lane
entries. The views read base and overlay together (``visible``,
``window_data``, ``grid_delta``), so an edit shows in the next frame at any
size; the fold runs meanwhile on a worker and replaces both once done.

What the views read through base and overlay equals what a full load of the
file gives (tests/test_timeline_patch.py checks events in windows, lane
contents and counts after random edits). An overlay is never cached: only a
folded state is, under the key taken right after the edit's commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lane_index import KEY_MAX, LaneIndex, event_keys
from .row_checks import FIRST_SECOND, LAST_SECOND
from .timeline_data import TimelineData
from .timeline_patch import Changes, _overview_bins
from .view_model.density_frame import SLICE_FACTOR, Columns, lane_bounds
from .view_model.visible import VisibleIndex, expand_pairs


@dataclass(eq=False)
class Overlay:
    """``base`` with the events ``hidden`` (base indices, sorted) left out and
    the events of ``extra`` (sorted by earliest bound, then id) added."""

    base: TimelineData
    changes: Changes  # what the fold folds in: the same rows
    hidden: np.ndarray
    extra: TimelineData
    # the (actor, lane key, start, end) of every pair going out and coming in
    gone: tuple = field(repr=False)
    new: tuple = field(repr=False)

    @property
    def n_events(self) -> int:
        return self.base.n_events - len(self.hidden) + self.extra.n_events

    @property
    def ids(self) -> set[int]:
        """Every event id the overlay speaks for (moved, added, deleted)."""
        return {int(i) for i in self.changes.ids}

    def keep(self, base_idx: np.ndarray) -> np.ndarray:
        """``base_idx`` without the hidden events."""
        base_idx = np.asarray(base_idx)
        if not len(self.hidden) or not len(base_idx):
            return base_idx
        pos = np.minimum(np.searchsorted(self.hidden, base_idx), len(self.hidden) - 1)
        return base_idx[self.hidden[pos] != base_idx]

    def visible(self, x0: float, x1: float) -> tuple[np.ndarray, np.ndarray]:
        """(base indices, extra indices) of the events overlapping [x0, x1]."""
        base_idx = self.keep(VisibleIndex(self.base).events_in(x0, x1))
        return base_idx, VisibleIndex(self.extra).events_in(x0, x1)

    def event_ids_in(self, x0: float, x1: float) -> np.ndarray:
        """Ids of the events overlapping [x0, x1], sorted."""
        b, e = self.visible(x0, x1)
        return np.sort(np.r_[self.base.event_ids[b].astype(np.int64), self.extra.event_ids[e].astype(np.int64)])

    def window_data(self, x0: float, x1: float, base_masks=(), extra_masks=()) -> tuple[TimelineData, list]:
        """The events overlapping [x0, x1] as a small ``TimelineData`` of their
        own (the timeline's detail frames draw from it), and each mask given
        (over the base events, over the extra ones; None stays None) taken over
        to its events."""
        b, e = self.visible(x0, x1)
        data = _subset(self.base, [(self.base, b), (self.extra, e)])
        order = data.derived.pop("order")
        masks = []
        for mb, me in zip(base_masks, extra_masks):
            if mb is None and me is None:
                masks.append(None)
                continue
            mb = np.ones(len(b), bool) if mb is None else mb[b]
            me = np.ones(len(e), bool) if me is None else me[e]
            masks.append(np.r_[mb, me][order])
        return data, masks

    def actor_events(self, base_counts: np.ndarray) -> np.ndarray:
        """Events per actor, from the base's."""
        n = len(base_counts)
        return base_counts - np.bincount(self.gone[0], minlength=n) + np.bincount(self.new[0], minlength=n)

    def overview(self, base_counts: np.ndarray) -> np.ndarray:
        """The overview strip's counts (``timeline_summary.overview``), from the
        base's: its time range kept (an edit past either end is clipped to it
        until folded in)."""
        span = self.base.time_range
        if span is None:
            return base_counts
        out = base_counts - _overview_bins(self.base, self.hidden, span)
        return out + _overview_bins(self.extra, np.arange(self.extra.n_events), span)

    def lane_keys(self, lanes: LaneIndex, actor: int) -> np.ndarray:
        """Actor ``actor``'s sorted lane keys, base and overlay together."""
        keys = lanes.lane_keys(actor).astype(np.int64)
        out = self.gone[1][self.gone[0] == actor]
        if len(out):
            drop = []
            for k in np.unique(out).tolist():  # one key per pair that went; equal keys lie side by side
                p = int(np.searchsorted(keys, k))
                drop.extend(range(p, p + int((out == k).sum())))
            keys = np.delete(keys, drop)
        return np.sort(np.r_[keys, self.new[1][self.new[0] == actor]])

    def grid_delta(self, index: LaneIndex, row_lanes: np.ndarray, cols: Columns, window: tuple[float, float],
                   lane_of_actor=None, base_mask: np.ndarray | None = None,
                   extra_mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """What to add to the timeline's counts per (row, column) of ``index``
        (an index over the base's pairs, or over those of ``base_mask``'s events,
        or merging actors into lanes by ``lane_of_actor``; ``row_lanes`` the lane
        of each row, -1 for none) for them to show base and overlay together: each
        pair going out is taken from the column the base's counts put it in, each
        pair coming in added where they would; both with the events that overlap
        the window at an edge column. As (row, column, change) of the cells that
        change (a cell may repeat); None when no visible row changes."""
        row_lanes = np.asarray(row_lanes, dtype=np.int64)
        x0, x1 = window
        first, last = int(cols.needles[0]), int(cols.needles[-1])
        out = []
        for pairs, sign, mask in ((self.gone, -1, base_mask), (self.new, 1, extra_mask)):
            actor, key, start, end, event = pairs
            keep = ((key >= first) & (key < last)) | ((start <= x1) & (end >= x0))
            if mask is not None:
                keep &= mask[event]
            lane = actor if lane_of_actor is None else lane_of_actor[actor]
            keep &= lane >= 0
            if not keep.any():
                continue
            lane, key = lane[keep], key[keep]
            row = _rows_of(row_lanes, lane)
            inside = row >= 0
            if not inside.any():
                continue
            lane, key, row = lane[inside], key[inside], row[inside]
            col = np.empty(len(lane), np.int64)
            for one in np.unique(lane).tolist():
                at = lane == one
                col[at] = _columns_of(index, one, key[at], cols)
            out.append((row, col, np.full(len(row), sign, np.int32)))
        if not out:
            return None
        return tuple(np.concatenate(parts) for parts in zip(*out))

    def add_to(self, grid: np.ndarray, *args, **kwargs) -> None:
        """``grid`` (counts of ``count_grid`` over the same arguments) changed in
        place by ``grid_delta``."""
        delta = self.grid_delta(*args, **kwargs)
        if delta is not None:
            row, col, change = delta
            np.add.at(grid, (row, col), change)
            grid[row, col] = np.maximum(grid[row, col], 0)


def overlay_of(base: TimelineData, changes: Changes) -> Overlay | None:
    """The overlay showing ``changes`` (read against ``base``); None when it
    cannot be drawn in the base's lane frame (an event before the earliest,
    or too far after the latest), and the file must be read again."""
    lanes = base.derived.get("lane_index")
    if not isinstance(lanes, LaneIndex) or lanes.base != base.t0_base:
        return None
    idx, found = base._lookup_ids(changes.ids)
    hidden = np.sort(idx[found]).astype(np.int64)
    c = changes
    if len(c.new_ids):
        dur = np.maximum(c.new_t1 - c.new_t0, 0)
        if c.new_t0.min() < FIRST_SECOND or (c.new_t0 + dur).max() > LAST_SECOND:
            return None
        keys = (c.new_t0 + dur // 2 - lanes.base) // lanes.quantum
        if keys.min() < 0 or keys.max() >= int(KEY_MAX):
            return None
        own_base = int(c.new_t0.min())
    else:
        dur, keys, own_base = np.zeros(0, np.int64), np.zeros(0, np.int64), base.t0_base
    seg_len = np.array([len(s) for s in c.segments], dtype=np.int64)
    offsets = np.zeros(len(c.new_ids) + 1, dtype=np.int64)
    np.cumsum(seg_len, out=offsets[1:])
    pair_actor = (np.concatenate(c.segments) if c.segments else np.zeros(0)).astype(base.pair_actor.dtype)
    extra = TimelineData(base.actor_ids, base.actor_names, base.actor_kinds, base.actor_colours,
                         c.new_ids.astype(np.int64), (c.new_t0 - own_base).astype(np.int64), dur.astype(np.int64),
                         c.new_style.astype(np.uint8), offsets, pair_actor, own_base)
    ev, actor = expand_pairs(base, hidden)
    gone = (actor.astype(np.int64), event_keys(base, lanes.base, lanes.quantum, ev).astype(np.int64),
            base.start(ev), base.end(ev), ev)
    new_ev = np.repeat(np.arange(len(c.new_ids)), seg_len)
    new = (pair_actor.astype(np.int64), np.repeat(keys, seg_len).astype(np.int64),
           np.repeat(c.new_t0, seg_len), np.repeat(c.new_t0 + dur, seg_len), new_ev)
    return Overlay(base, changes, hidden, extra, gone, new)


def _rows_of(row_lanes: np.ndarray, lanes: np.ndarray) -> np.ndarray:
    """The row showing each lane (-1 for none): each lane is on one row at most."""
    shown = np.flatnonzero(row_lanes >= 0)
    order = np.argsort(row_lanes[shown], kind="stable")
    sorted_lanes = row_lanes[shown][order]
    if not len(sorted_lanes):
        return np.full(len(lanes), -1, np.int64)
    pos = np.minimum(np.searchsorted(sorted_lanes, lanes), len(sorted_lanes) - 1)
    return np.where(sorted_lanes[pos] == lanes, shown[order][pos], -1)


def _columns_of(index: LaneIndex, lane: int, keys: np.ndarray, cols: Columns) -> np.ndarray:
    """The column ``count_grid`` counts a pair of ``lane`` with these keys in
    (the same path: the lane's bins, its keys one by one, or column edges
    searched), or the edge column for a key outside the columns."""
    lo, hi = lane_bounds(index, np.array([lane]), cols)
    width = cols.width
    col = np.empty(len(keys), np.int64)
    before, after = keys < int(cols.needles[0]), keys >= int(cols.needles[-1])
    col[before], col[after] = 0, width - 1
    inside = ~(before | after)
    k = keys[inside]
    bw = int(index.bin_width[lane])
    if cols.px_keys >= bw:  # the lane's bins: interior edges snapped to the nearest bin edge
        j = np.minimum(np.rint(cols.needles[1:-1] / bw).astype(np.int64), int(index.n_bins[lane]))
        edges = np.minimum(j * bw, int(KEY_MAX))
        col[inside] = np.searchsorted(edges, k, side="right")
    elif int(hi[0] - lo[0]) <= SLICE_FACTOR * width:  # one by one
        c = ((k.astype(np.uint32) - cols.origin) * (1.0 / cols.px_keys)).astype(np.int64)
        col[inside] = np.clip(c, 0, width - 1)
    else:  # every column edge searched
        col[inside] = np.searchsorted(cols.needles.astype(np.int64), k, side="right") - 1
    return col


def _subset(like: TimelineData, parts) -> TimelineData:
    """The events ``idx`` of each (data, idx) in ``parts`` as one ``TimelineData``
    in (earliest, id) order, with the actors of ``like``; ``derived["order"]``
    says where each event given went (parts one after another)."""
    ids, starts, durs, styles, counts, actors = [], [], [], [], [], []
    for data, idx in parts:
        idx = np.asarray(idx, dtype=np.int64)
        ids.append(data.event_ids[idx].astype(np.int64))
        starts.append(data.start(idx))
        durs.append(data.dur[idx].astype(np.int64))
        styles.append(data.style[idx])
        counts.append((data.pair_offsets[idx + 1] - data.pair_offsets[idx]).astype(np.int64))
        actors.append(expand_pairs(data, idx)[1])
    ids, starts, durs, styles = (np.concatenate(x) for x in (ids, starts, durs, styles))
    counts, actors = np.concatenate(counts), np.concatenate(actors)
    order = np.lexsort((ids, starts))
    pair_starts = np.r_[0, np.cumsum(counts)[:-1]] if len(counts) else np.zeros(0, np.int64)
    seg = np.repeat(pair_starts[order], counts[order]) + (
        np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts[order]) - counts[order], counts[order]))
    offsets = np.zeros(len(ids) + 1, np.int64)
    np.cumsum(counts[order], out=offsets[1:])
    base = int(starts.min()) if len(starts) else like.t0_base
    out = TimelineData(like.actor_ids, like.actor_names, like.actor_kinds, like.actor_colours, ids[order],
                       starts[order] - base, durs[order], styles[order].astype(np.uint8), offsets,
                       actors[seg].astype(like.pair_actor.dtype), base)
    out.derived["order"] = order  # the given position of each event: a mask over them, taken over, is mask[order]
    return out
