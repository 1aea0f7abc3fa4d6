"""The relationship network of a time window, computed on the numpy arrays.

The graph must follow the time window within a frame or two even with a
million events, so nothing here loops over events in Python: windows are
masks, actor counts are ``bincount``s and co-occurrence pairs are found by
comparing each pair row with the rows a fixed offset further within the
same event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import timeline_summary
from .progress import pause_point
from .queries import MAX_GROUP
from .timeline_data import TimelineData


def window_mask(data: TimelineData, window) -> np.ndarray:
    """Events whose bounds overlap the window ``(t0, t1)`` (None = open)."""
    lo, hi = window if window else (None, None)
    stop = data.n_events if hi is None else data.search_start(hi, "right")
    mask = np.zeros(data.n_events, dtype=bool)
    mask[:stop] = True
    if lo is not None:
        mask[:stop] &= data.end(slice(0, stop)) >= lo
    return mask


def pair_mask(data: TimelineData, event_mask: np.ndarray) -> np.ndarray:
    return np.repeat(event_mask, np.diff(data.pair_offsets))


def actor_counts(data: TimelineData, event_mask: np.ndarray) -> np.ndarray:
    """Number of selected events each actor takes part in."""
    return np.bincount(data.pair_actor[pair_mask(data, event_mask)], minlength=data.n_actors)


# Files with more events than this are counted in chunks of this many events,
# and more pairs than CHUNK_PAIRS in chunks of about that many pairs.
CHUNK_EVENTS = 1_000_000
CHUNK_PAIRS = 2_000_000

# Up to this many possible actor pairs (2,000 actors), pairs are counted in a
# table (8 bytes a possible pair, briefly) instead of sorted.
DENSE_PAIR_TABLE = 4_000_000


@dataclass(frozen=True)
class CoOccurrence:
    a: np.ndarray  # actor index, a < b
    b: np.ndarray
    count: np.ndarray


def cooccurrence(data: TimelineData, event_mask: np.ndarray, max_group: int = MAX_GROUP) -> CoOccurrence:
    """Actor pairs that share selected events, with how many.

    An event with more than ``max_group`` actors (rare: press conferences,
    summits) links each with the next ``max_group - 1`` in the order they
    were recorded, as the exports do (``queries.MAX_GROUP``), which keeps
    the work linear in the number of pairs.
    """
    if data.n_events <= CHUNK_EVENTS:
        pm = pair_mask(data, event_mask)
        return cooccurrence_of_pairs(data, data.pair_event()[pm], data.pair_actor[pm].astype(np.int64), max_group)
    # a big file (the graph's whole history at ten million events) in chunks of
    # whole events, summed: the same pairs and counts without arrays of every pair
    parts = []
    offsets = data.pair_offsets
    for e0 in range(0, data.n_events, CHUNK_EVENTS):
        pause_point()  # on a worker: a frame being drawn goes first
        e1 = min(e0 + CHUNK_EVENTS, data.n_events)
        sizes = np.diff(offsets[e0:e1 + 1])
        pm = np.repeat(event_mask[e0:e1], sizes)
        event = np.repeat(np.arange(e0, e1, dtype=np.int32), sizes)[pm]
        actor = data.pair_actor[int(offsets[e0]):int(offsets[e1])][pm].astype(np.int64)
        parts.append(count_keys(pair_keys(data.n_actors, event, actor, max_group), data.n_actors))
        del sizes, pm, event, actor
    return _summed(data.n_actors, parts)


def cooccurrence_of_pairs(data: TimelineData, event: np.ndarray, actor: np.ndarray, max_group: int = MAX_GROUP) -> CoOccurrence:
    """The same over given (event, actor) pairs in event order: the cost is
    proportional to the pairs given, not to the file. Many pairs (a window
    over most of a ten-million-event file) are counted in chunks that never
    split an event, so the temporaries stay a chunk's size."""
    n_actors, n = data.n_actors, len(event)
    if n <= CHUNK_PAIRS:
        return _summed(n_actors, [count_keys(pair_keys(n_actors, event, actor, max_group), n_actors)])
    parts, start = [], 0
    while start < n:
        stop = min(start + CHUNK_PAIRS, n)
        if stop < n:  # back to where the event at the cut starts (or past it, if it is the whole chunk)
            cut = int(np.searchsorted(event[start:stop + 1], event[stop], side="left")) + start
            stop = cut if cut > start else int(np.searchsorted(event, event[stop], side="right"))
        parts.append(count_keys(pair_keys(n_actors, event[start:stop], actor[start:stop], max_group), n_actors))
        start = stop
    return _summed(n_actors, parts)


def pair_keys(n_actors: int, event: np.ndarray, actor: np.ndarray, max_group: int = MAX_GROUP) -> np.ndarray:
    """One key, ``lower actor * n_actors + higher actor``, per co-occurrence
    of two actors in one event, for (event, actor) pairs in event order: the
    rule above (an event's actors each linked with the next ``max_group - 1``)."""
    keys = []
    for offset in range(1, max_group):
        if offset >= len(event):
            break
        same = event[offset:] == event[:-offset]
        if not same.any():
            break
        x, y = actor[:-offset][same], actor[offset:][same]
        keys.append(np.minimum(x, y) * n_actors + np.maximum(x, y))
    return np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)


def count_keys(keys: np.ndarray, n_actors: int) -> tuple[np.ndarray, np.ndarray]:
    """(distinct pair keys, ascending; how often each occurs)."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if n_actors ** 2 <= DENSE_PAIR_TABLE:
        # a count per possible pair: one pass, where np.unique would sort
        table = np.bincount(keys, minlength=n_actors ** 2)
        uniq = np.flatnonzero(table != 0)  # numpy finds the non-zeros of a bool array 8x faster than of int64
        return uniq, table[uniq].astype(np.int64)
    uniq, counts = np.unique(keys, return_counts=True)
    return uniq, counts.astype(np.int64)


def _summed(n_actors: int, parts: list[tuple[np.ndarray, np.ndarray]]) -> CoOccurrence:
    if len(parts) == 1:
        uniq, counts = parts[0]
    else:
        keys = np.concatenate([k for k, _ in parts])
        uniq, where = np.unique(keys, return_inverse=True)
        counts = np.zeros(len(uniq), dtype=np.int64)
        np.add.at(counts, where, np.concatenate([c for _, c in parts]))
    return CoOccurrence(uniq // n_actors, uniq % n_actors, counts)


def events_with_actors(data: TimelineData, actor_indices, require_all: bool = False) -> np.ndarray:
    """Mask of events in which any (or, with ``require_all``, every) given actor takes part."""
    wanted = np.zeros(data.n_actors, dtype=bool)
    wanted[list(actor_indices)] = True
    need = len(set(actor_indices))
    if require_all and not need:
        return np.ones(data.n_events, dtype=bool)  # every one of no actors: every event
    busy = timeline_summary.actor_events(data)[wanted] > 0
    if len(busy) and not (busy.all() if require_all else busy.any()):
        return np.zeros(data.n_events, dtype=bool)  # an actor with no event yet: no pass over the pairs
    mask = np.zeros(data.n_events, dtype=bool)
    offsets = data.pair_offsets
    # in chunks of events: each numpy call is short, so a worker finding a big
    # selection's events leaves the UI thread the interpreter between them
    for e0 in range(0, data.n_events, CHUNK_EVENTS // 4):
        pause_point()  # on a worker: a frame being drawn goes first
        e1 = min(e0 + CHUNK_EVENTS // 4, data.n_events)
        p0 = int(offsets[e0])
        hit = wanted[data.pair_actor[p0:int(offsets[e1])]]
        n_hit = int(np.count_nonzero(hit))
        if not n_hit:
            continue
        if require_all or n_hit * DENSE_HITS < e1 - e0:
            # each wanted pair's event is where the pair falls among the events'
            # pair offsets: work in proportion to those pairs, not a pass over
            # every event (selecting a busy actor held the UI thread 27 ms at 1M events)
            events = np.searchsorted(offsets[e0:e1 + 1], np.flatnonzero(hit) + p0, side="right") - 1
            if require_all:
                mask[e0:e1] = np.bincount(events, minlength=e1 - e0) >= need
            else:
                mask[e0 + events] = True
        else:
            # many wanted pairs (a busy actor, an actor filter ticking most): an
            # event is in when the running count of wanted pairs grows across its
            # pairs, one pass where a search per pair costs several (the busiest
            # actor at ten million events, 2.8 million pairs: 60 ms, not 170)
            running = np.zeros(len(hit) + 1, dtype=np.int32)
            np.cumsum(hit, dtype=np.int32, out=running[1:])
            ends = running[offsets[e0:e1 + 1] - p0]
            mask[e0:e1] = ends[1:] > ends[:-1]
    return mask


# Above one wanted pair per this many events, ``events_with_actors`` counts
# through every pair instead of searching each wanted pair's event.
DENSE_HITS = 8


def events_of_pair(data: TimelineData, a: int, b: int, event_mask: np.ndarray | None = None) -> np.ndarray:
    """Event indices in which both actors take part (within the mask if given)."""
    mask = events_with_actors(data, [a, b], require_all=True)
    if event_mask is not None:
        mask &= event_mask
    return np.flatnonzero(mask)
