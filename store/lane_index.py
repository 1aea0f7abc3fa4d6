"""The timeline's lane index: per actor, its events' midpoints, sorted, and
cumulative counts over fine time bins. Built with the arrays when a file is
loaded (and kept in the cache beside it), so the first frame and every
later one count events per pixel at a cost that does not grow with the file.

Zoomed out, the timeline shows every lane as a density strip. Counting the
visible pairs afresh each frame (what a naive view does) costs a full pass
over up to millions of pairs per frame. Instead, once per loaded data:

* the (event, actor) pairs are grouped by actor, and each lane's pairs are
  kept as a sorted array of *midpoint keys* (the middle of the event's
  bounds, in whole seconds from the earliest event: uint32, 4 bytes a
  pair). How many of a lane's events fall between two instants is then two
  binary searches, exactly, at any zoom;
* per-lane cumulative counts over fine time bins are precomputed (a
  one-level "mipmap", as trace viewers such as Perfetto keep), so a zoomed
  out frame is a gather: ``cum[lane, bin(right edge)] - cum[lane, bin(left
  edge)]`` for every pixel column. Every lane gets enough bins for a full
  view; a busy lane gets more (a power-of-two multiple), so it can stay on
  the mipmap while zooming in, where searching its many keys would cost most.

Per frame and lane: the mipmap when a pixel is at least one of the lane's
bins wide (each column then sums whole bins; an event moves by under a
pixel), otherwise the exact keys (``density_frame.py``). Memory: 4 bytes a
pair for the keys plus about 2 bytes an event for the bins. Nothing here
knows Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .memory import release_free_memory
from .progress import pause_point

if TYPE_CHECKING:
    from .timeline_data import TimelineData

KEY_MAX = np.iinfo(np.uint32).max  # keys stay below it, so it can stand for "after everything"
BASE_BYTES_PER_EVENT = 1.6  # memory for every lane's full-view bins, per event indexed
MIN_BASE_BINS, MAX_BASE_BINS = 32, 4096
PAIRS_PER_BIN = 6  # a busy lane gets about one bin per this many pairs
MAX_FINE_STEPS = 8  # at most 2**8 times the base bins


@dataclass
class LaneIndex:
    """Per-actor sorted midpoint keys plus cumulative counts per fine bin."""

    offsets: np.ndarray  # int64, n_actors + 1: lane a's keys are keys[offsets[a]:offsets[a + 1]]
    keys: np.ndarray  # uint32 midpoint keys, sorted within each lane
    base: int  # the instant of key 0, seconds
    quantum: int  # seconds per key unit (1 unless the data span well over a century)
    bin_width: np.ndarray  # int64 per lane: key units per mipmap bin
    n_bins: np.ndarray  # int64 per lane
    cum_offsets: np.ndarray  # int64, n_actors + 1, into cum
    cum: np.ndarray  # int32: lane a's pairs with key < j * bin_width[a], at cum[cum_offsets[a] + j]

    @property
    def nbytes(self) -> int:
        arrays = (self.offsets, self.keys, self.bin_width, self.n_bins, self.cum_offsets, self.cum)
        return sum(a.nbytes for a in arrays)

    @property
    def n_pairs(self) -> int:
        return len(self.keys)

    def to_keys(self, seconds) -> np.ndarray:
        """Needle keys: how many keys are below an instant, as a key (ceil, clipped)."""
        k = np.ceil((np.asarray(seconds, dtype=np.float64) - self.base) / self.quantum)
        return np.clip(k, 0, KEY_MAX).astype(np.uint32)

    def lane_keys(self, a: int) -> np.ndarray:
        return self.keys[self.offsets[a]:self.offsets[a + 1]]


def mid_seconds(t0: np.ndarray, dur: np.ndarray) -> np.ndarray:
    """The middle of each event's bounds, where both views draw it."""
    return t0 + dur.astype(np.int64) // 2


def key_frame(data: TimelineData) -> tuple[int, int]:
    """(base, quantum) for keys over this data: whole seconds fit 136 years."""
    if not data.n_events:
        return 0, 1
    lo, hi = data.time_range
    base = int(lo)
    quantum = max(1, -(-(int(hi) - base + 1) // (int(KEY_MAX) - 1)))
    return base, quantum


def event_keys(data: TimelineData, base: int, quantum: int, events: np.ndarray | slice = slice(None)) -> np.ndarray:
    mid = mid_seconds(data.start(events), data.dur[events])
    return ((mid - base) // quantum).astype(np.uint32)


# an index of fewer pairs (a selection's) leaves too little to give back to
# be worth a trim, which costs several ms on a heap of gigabytes
TRIM_PAIRS = 1 << 20


def build_lane_index(data: TimelineData, event_mask: np.ndarray | None = None) -> LaneIndex:
    """The index over all pairs, or over the pairs of the events in ``event_mask``."""
    base, quantum = key_frame(data)
    actors, keys = _pair_keys(data, event_mask, base, quantum)
    # the whole file's index sorts every pair by actor, as the actors' first
    # events (a summary) would again: they are taken from that one sort
    firsts = [] if event_mask is None and "first_seen" not in data.derived else None
    index = index_of_pairs(actors, keys, data.n_actors, base, quantum, firsts)
    if firsts:
        from .timeline_summary import first_seen_from

        first_seen_from(data, *firsts[0])
    return index


def build_merged_index(data: TimelineData, lane_of_actor: np.ndarray, n_lanes: int) -> LaneIndex:
    """An index whose lanes each merge several actors (``lane_of_actor``: a
    lane per actor index, -1 for none): a summary lane counted as one lane,
    not as the sum of its hundreds of members, every frame."""
    base, quantum = key_frame(data)
    whole = data.derived.get("lane_index")
    if (whole is not None and (whole.base, whole.quantum) == (base, quantum)
            and len(whole.offsets) == data.n_actors + 1 and whole.n_pairs == len(data.pair_actor)):
        return _merged_from(whole, np.asarray(lane_of_actor), n_lanes)
    actors, keys = _pair_keys(data, None, base, quantum)
    lane = lane_of_actor[actors]
    keep = lane >= 0
    return index_of_pairs(lane[keep].astype(np.int64), keys[keep], n_lanes, base, quantum)


def _merged_from(whole: LaneIndex, lane_of_actor: np.ndarray, n_lanes: int) -> LaneIndex:
    """The merged index from the whole file's: each merged lane's keys are its
    members' keys (already computed and sorted), put together and sorted. At
    ten million events this takes a fraction of computing every pair's key
    again, and no array of every pair."""
    counts = np.diff(whole.offsets)
    member = lane_of_actor >= 0
    lane_counts = np.bincount(lane_of_actor[member], weights=counts[member], minlength=n_lanes).astype(np.int64)
    offsets = np.zeros(n_lanes + 1, dtype=np.int64)
    np.cumsum(lane_counts, out=offsets[1:])
    keys = np.empty(int(offsets[-1]), dtype=whole.keys.dtype)
    by_lane = np.argsort(lane_of_actor, kind="stable")
    by_lane = by_lane[lane_of_actor[by_lane] >= 0]
    at = offsets[:-1].copy()
    for a in by_lane.tolist():
        lane, n = int(lane_of_actor[a]), int(counts[a])
        keys[at[lane]:at[lane] + n] = whole.keys[whole.offsets[a]:whole.offsets[a + 1]]
        at[lane] += n
    for lane in range(n_lanes):
        keys[offsets[lane]:offsets[lane + 1]].sort(kind="stable")
    return index_of_sorted(offsets, keys, whole.base, whole.quantum)


def index_of_pairs(actors: np.ndarray, keys: np.ndarray, n_actors: int, base: int, quantum: int,
                   firsts: list | None = None) -> LaneIndex:
    """The index of (lane, key) pairs, the keys already in the (base, quantum)
    frame. ``firsts`` (a list) gets (the lanes with pairs, the first of
    their pairs in the given order)."""
    counts = np.bincount(actors, minlength=n_actors)
    offsets = np.zeros(n_actors + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if firsts is None:
        # grouped by lane and sorted within each in one sort of (lane, key) as one
        # 64-bit number: a third of an argsort by lane, its gather and a sort per
        # lane (the selection of a busy actor at ten million events: 6 million pairs)
        both = actors.astype(np.uint64)
        both <<= np.uint64(32)
        both |= keys
        del actors
        both.sort()
        keys = both.astype(np.uint32)  # the low half: the key
        del both, counts
    else:
        # the loader wants each lane's first pair too: a stable argsort by lane keeps it
        order = np.argsort(actors, kind="stable")  # a radix sort for uint16 actors
        keys = keys[order]
        lanes = np.flatnonzero(counts)
        firsts.append((lanes, order[offsets[lanes]]))  # a stable sort: each lane's first pair comes first
        del order
        for a in np.flatnonzero(counts > 1).tolist():
            # pairs come in order of their earliest bound, so each lane is nearly sorted already
            keys[offsets[a]:offsets[a + 1]].sort(kind="stable")
        del actors, counts
    index = index_of_sorted(offsets, keys, base, quantum)
    if len(keys) > TRIM_PAIRS:
        release_free_memory()  # the sort's temporaries were several times the index
    return index


def index_of_sorted(offsets: np.ndarray, keys: np.ndarray, base: int, quantum: int) -> LaneIndex:
    """The index of keys already grouped by lane (lane a's at
    ``keys[offsets[a]:offsets[a + 1]]``) and sorted within each: the mipmap
    bins are counted from them (a binary search per bin edge)."""
    counts = np.diff(offsets)
    n_actors = len(counts)
    span = int(keys.max()) + 1 if len(keys) else 1
    n_bins = _lane_bins(counts, max(int(counts.sum()) // 2, 1))
    bin_width = np.maximum(1, -(-span // n_bins))
    cum_offsets = np.zeros(n_actors + 1, dtype=np.int64)
    np.cumsum(n_bins + 1, out=cum_offsets[1:])
    cum = np.zeros(int(cum_offsets[-1]), dtype=np.int32)  # an empty lane's counts: all 0
    for a in np.flatnonzero(counts).tolist():  # a selection's index has few lanes with pairs
        edges = np.minimum(np.arange(n_bins[a] + 1, dtype=np.int64) * bin_width[a], KEY_MAX).astype(np.uint32)
        cum[cum_offsets[a]:cum_offsets[a + 1]] = np.searchsorted(keys[offsets[a]:offsets[a + 1]], edges)
    return LaneIndex(offsets, keys, base, quantum, bin_width, n_bins, cum_offsets, cum)


def _lane_bins(counts: np.ndarray, n_events: int) -> np.ndarray:
    """Bins per lane: a base for a full view, and power-of-two multiples for busy lanes."""
    n_lanes = max(len(counts), 1)
    base = int(np.clip(BASE_BYTES_PER_EVENT * n_events / 4 / n_lanes, MIN_BASE_BINS, MAX_BASE_BINS))
    wanted = counts / PAIRS_PER_BIN / base
    steps = np.clip(np.floor(np.log2(np.maximum(wanted, 1.0))), 0, MAX_FINE_STEPS).astype(np.int64)
    bins = base << steps
    bins[counts == 0] = 1  # an empty lane needs no resolution
    return bins


def _pair_keys(data, event_mask, base, quantum) -> tuple[np.ndarray, np.ndarray]:
    """(actor, key) of every pair, or of the pairs of the masked events."""
    if event_mask is None:
        return data.pair_actor, np.repeat(event_keys(data, base, quantum), np.diff(data.pair_offsets))
    # keys of these alone: a selection of a few events costs a few. In chunks of
    # events: numpy's repeat holds the interpreter throughout, and over the
    # busiest actor's 6 million pairs at ten million events (on a worker) it
    # stopped the UI thread for 60-120 ms at a time
    actors, keys = [], []
    offsets = data.pair_offsets
    for e0 in range(0, data.n_events, MASK_CHUNK_EVENTS):
        pause_point()  # on a worker: a frame being drawn goes first
        e1 = min(e0 + MASK_CHUNK_EVENTS, data.n_events)
        chunk = event_mask[e0:e1]
        events = np.flatnonzero(chunk)
        if not len(events):
            continue
        p0, p1 = int(offsets[e0]), int(offsets[e1])
        sizes = np.diff(offsets[e0:e1 + 1])
        if len(events) * SPARSE_FACTOR < len(chunk):  # a few events (one edited or clicked): their pairs alone
            first, n = offsets[events + e0].astype(np.int64), sizes[events]
            actors.append(data.pair_actor[np.repeat(first - np.cumsum(n) + n, n) + np.arange(int(n.sum()))])
        else:
            actors.append(data.pair_actor[p0:p1][np.repeat(chunk, sizes)])
        keys.append(np.repeat(event_keys(data, base, quantum, events + e0), sizes[events]))
    if not actors:
        return data.pair_actor[:0], np.zeros(0, np.uint32)
    return np.concatenate(actors), np.concatenate(keys)


MASK_CHUNK_EVENTS = 250_000  # events per chunk when a subset's pairs are gathered
SPARSE_FACTOR = 64  # fewer than one event in this many masked: gathered by their offsets
