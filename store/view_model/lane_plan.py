"""Which rows the timeline draws when there are more actors than fit.

A file with hundreds or thousands of actors cannot give each one a readable
lane. The plan decides, from the lane order, the lanes' activity in the
visible window and the user's choices, what each row is:

* one actor's lane;
* a collapsed group (all actors of one kind, one country, or a saved group)
  drawn as one summary lane: the density of its members' events;
* the "N more actors" lane: every actor left out by the lane limit, drawn
  the same way, which expands when clicked.

A row may stand for many actors, so every actor maps to one row
(``row_of_actor``) and the rows' members are kept as one concatenated array
(``lane_actor`` with offsets ``row_start``): the painter counts all members
at once and sums them per row with ``np.add.reduceat``, never looping over
actors in Python. Nothing here knows Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ACTOR, GROUP, MORE = "actor", "group", "more"
SUMMARY_ID = -2  # the row "actor id" of a summary lane (group or more): no actor; -1 is "(no actor)"


@dataclass
class LaneRow:
    kind: str  # ACTOR, GROUP or MORE
    label: str
    members: np.ndarray  # actor indices
    actor_id: int = SUMMARY_ID  # the actor of an ACTOR row
    group: str | None = None  # the group key of a GROUP row (or of an actor's group)


@dataclass
class LanePlan:
    rows: list[LaneRow]
    row_of_actor: np.ndarray  # per actor index: its row, or -1 when hidden
    lane_actor: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    row_start: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))

    @property
    def n_more(self) -> int:
        """Actors left out by the lane limit (drawn in the "more" lane)."""
        return sum(len(r.members) for r in self.rows if r.kind == MORE)

    @property
    def row_actor_ids(self) -> list[int]:
        return [r.actor_id for r in self.rows]

    def row_members(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """(member actor indices of rows first..last, each row's start among them, one member each?)."""
        s, e = int(self.row_start[first]), int(self.row_start[last + 1])
        starts = self.row_start[first:last + 1] - s
        return self.lane_actor[s:e], starts, e - s == last - first + 1


def more_label(n: int, export: bool = False) -> str:
    noun = "actor" if n == 1 else "actors"
    return f"{n} more {noun}" if export else f"+ {n} more {noun} (click)"


def plan_lanes(
    n_actors: int,
    order: list[int],
    names: list[str],
    counts: np.ndarray | None = None,
    limit: int | None = None,
    by_activity: bool = False,
    groups: list[str | None] | None = None,
    collapsed: frozenset[str] | set[str] = frozenset(),
    pinned: set[int] | frozenset[int] = frozenset(),
    export: bool = False,
    actor_ids=None,
) -> LanePlan:
    """Rows for the actor indices in ``order`` (already without hidden lanes).

    ``counts``: events per actor index in the visible window (for the busiest
    lanes and for ordering by activity); ``limit``: at most this many rows, the
    last being "N more actors"; ``groups``: a group key per actor index (None:
    not grouped), with ``collapsed`` keys drawn as one row; ``pinned`` actor
    indices (the selection) keep their lane under a limit."""
    order = list(order)
    if counts is None:
        counts = np.zeros(n_actors, np.int64)
    if by_activity:
        # stable: equally busy lanes keep the lane order
        order.sort(key=lambda i: -int(counts[i]))
    units: list[LaneRow] = []
    if groups is not None:
        by_group: dict[str, list[int]] = {}
        for i in order:
            by_group.setdefault(groups[i] or "(none)", []).append(i)
        keys = list(by_group)
        if by_activity:
            keys.sort(key=lambda k: -int(counts[by_group[k]].sum()))
        for key in keys:
            members = by_group[key]
            if key in collapsed:
                units.append(LaneRow(GROUP, f"▸ {key} ({len(members)})", np.array(members, np.int64), group=key))
            else:
                units += [_actor_row(i, names, actor_ids, key) for i in members]
    else:
        units = [_actor_row(i, names, actor_ids, None) for i in order]
    rows = units
    if limit is not None and len(units) > max(limit, 1):
        keep_n = max(limit - 1, 0)
        sizes = np.array([len(u.members) for u in units], dtype=np.int64)
        members = np.concatenate([u.members for u in units])
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        activity = np.add.reduceat(counts[members], starts)
        pin = np.zeros(len(units), bool)
        if pinned:
            pin = np.add.reduceat(np.isin(members, np.fromiter(pinned, np.int64, len(pinned))).astype(np.int64), starts) > 0
        # the pinned first, then the busiest; ties keep the lane order
        rank = np.lexsort((np.arange(len(units)), -activity, ~pin))
        keep = np.zeros(len(units), bool)
        keep[rank[:keep_n]] = True
        rows = [u for u, k in zip(units, keep) if k]
        rest = [u for u, k in zip(units, keep) if not k]
        members = np.concatenate([u.members for u in rest]) if rest else np.zeros(0, np.int64)
        rows.append(LaneRow(MORE, more_label(len(members), export), members))
    return _assemble(n_actors, rows)


def _actor_row(i: int, names, actor_ids, group) -> LaneRow:
    actor_id = int(actor_ids[i]) if actor_ids is not None else i
    return LaneRow(ACTOR, names[i], np.array([i], np.int64), actor_id, group)


def _assemble(n_actors: int, rows: list[LaneRow]) -> LanePlan:
    row_of_actor = np.full(n_actors, -1, dtype=np.int64)
    sizes = np.array([len(r.members) for r in rows], dtype=np.int64)
    row_start = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes, out=row_start[1:])
    lane_actor = np.concatenate([r.members for r in rows]).astype(np.int64) if rows else np.zeros(0, np.int64)
    row_of_actor[lane_actor] = np.repeat(np.arange(len(rows)), sizes)
    return LanePlan(rows, row_of_actor, lane_actor, row_start)


def rows_that_fit(height_px: float, min_row_px: float) -> int:
    return max(int(height_px // max(min_row_px, 1)), 2)
