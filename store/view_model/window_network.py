"""Who shares events in a time window: the window's events, found without a
pass over the whole file, and their co-occurrence network by the one rule in
store/network.py. Used by the relationship panel (on a worker for big
windows).

A wide window of a big file holds millions of events. Counting them pair by
pair took seconds at ten million events, on a worker that competed with the
timeline for the CPU while the user zoomed. So, once per loaded data, the
events (in file order, which is time order) are cut into blocks, and each
block's events per actor and shared events per actor pair are kept as
running sums (``NetworkBlocks``). A window's events starting inside it are
one run of event indices: the whole blocks in that run are a subtraction of
two rows, and only the events in its two partial blocks, plus the events
that start before the window and reach into it, are counted pair by pair.
The result is exactly the pair-by-pair count (a property test checks it).
"""

from __future__ import annotations

import threading

import numpy as np

from store import network
from store.progress import pause_point

from .visible import LONG, VisibleIndex

# The running sums may take about this many bytes per event of the file (at
# 10M events, 10 MB), and a file of fewer than SMALL_FILE_EVENTS events up to
# SMALL_FILE_BYTES (beside its window's hundred MB or so, nothing; a window of
# a 200,000-event file with a thousand actors was counted in 5-15 ms pair by
# pair, 2-3 ms from sums of 5.2 MB). Sized for every possible pair of its
# actors they may not fit where the pairs the file makes would: up to
# EXACT_PAIRS_EVENTS events those are counted first (a pass of a few tens of
# ms on the worker). A file whose actor pairs would need coarser blocks than
# MAX_BLOCK events, or fewer than MIN_BLOCKS blocks, is counted pair by pair.
BLOCK_BYTES_PER_EVENT = 1.0
SMALL_FILE_EVENTS = 1_000_000
SMALL_FILE_BYTES = 8 << 20
EXACT_PAIRS_EVENTS = 250_000
MIN_BLOCK, MAX_BLOCK = 4096, 1 << 18
MIN_BLOCKS = 4
_BUILDING = threading.Lock()  # one build per data, whichever thread asks first


def window_events(data, window, filt) -> np.ndarray:
    """Indices of the events overlapping the window (and passing the filter):
    what ``network.window_mask`` selects, found in time proportional to the
    window, not to the file (events are sorted by their earliest bound)."""
    lo, hi = window if window else (None, None)
    if lo is None or hi is None:
        mask = network.window_mask(data, window)
        events = np.flatnonzero(mask if filt is None else mask & filt)
        return events
    events = VisibleIndex(data).events_in(lo, hi)
    return events if filt is None else events[filt[events]]


def events_at_most(data, window) -> int:
    """An upper bound on the events a window holds, from two binary searches:
    enough to decide whether counting it would hold up the UI thread."""
    lo, hi = window if window else (None, None)
    if lo is None or hi is None or data.time_range is None:
        return data.n_events

    index = VisibleIndex(data)
    first = data.search_start(np.floor(lo) - index.long_reach - 1, "left")
    last = data.search_start(np.ceil(hi) + 1, "right")
    return int(last - first)


def window_network(data, events: np.ndarray, with_cooccurrence: bool):
    """(events per actor, co-occurrence pairs or None) of the given events."""
    lo = data.pair_offsets[events].astype(np.int64)
    n = data.pair_offsets[events + 1] - lo
    pairs = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    actor = data.pair_actor[pairs]
    counts = np.bincount(actor, minlength=data.n_actors)
    co = network.cooccurrence_of_pairs(data, np.repeat(events, n), actor.astype(np.int64)) if with_cooccurrence else None
    return counts, co


def network_of_window(data, window, filt, with_cooccurrence: bool, build: bool = True):
    """``window_network`` of the window's events (passing ``filt``): from the
    running sums when there is no filter and they exist (``build`` makes them
    first, once per data: a pass over the file, for a worker thread).

    The last answer is kept with the data (read-only): an edit shown through
    an overlay, its undo, or a toggle of the panel asks again for the window
    it was showing, whose count over the unchanged data is the same."""
    asked = (window, with_cooccurrence)
    last = data.derived.get("last_window_network")  # read once: workers ask too
    # (``build`` asks for the sums to be made, which a kept answer would skip)
    building = build and "network_blocks" not in data.derived
    if last is not None and last[0] == asked and last[1] is filt and not building:
        return last[2]
    blocks = None
    if filt is None and window and window[0] is not None and window[1] is not None:
        blocks = NetworkBlocks.of(data, build)
    if blocks is None:
        result = window_network(data, window_events(data, window, filt), with_cooccurrence)
    else:
        result = blocks.network(window, with_cooccurrence)
    counts, co = result
    for array in (counts,) if co is None else (counts, co.a, co.b, co.count):
        array.flags.writeable = False  # kept and handed out again: nobody may change it
    data.derived["last_window_network"] = (asked, filt, result)
    return result


def history_network(data) -> network.CoOccurrence:
    """Actor pairs sharing events over the whole file, with how many (the
    graph's layout): from the running sums, made here if they are not yet.
    The layout and the panel's first window then share one pass over a big
    file, where each made its own while the user started to pan."""
    blocks = NetworkBlocks.of(data, True)
    if blocks is None:
        return network.cooccurrence(data, np.ones(data.n_events, dtype=bool))
    return blocks.whole()


def work_at_most(data, window, filt) -> int:
    """An upper bound on the events ``network_of_window`` counts one by one
    (without building anything): what decides whether it may run on the UI thread."""
    blocks = NetworkBlocks.of(data, build=False) if filt is None else None
    if blocks is None or not window or window[0] is None or window[1] is None:
        return events_at_most(data, window)
    return blocks.direct_at_most(window)


def _block_size(data) -> int:
    """Events per block (a power of two), or 0 when running sums would not pay."""
    n, a = data.n_events, data.n_actors
    budget = BLOCK_BYTES_PER_EVENT * n
    if n < SMALL_FILE_EVENTS:
        budget = max(budget, SMALL_FILE_BYTES)
    size = _size_for(n, budget / 4 / max(a + min(a * (a - 1) // 2, int(data.pair_offsets[-1]) * 8), 1))
    if not size and MIN_BLOCKS * MIN_BLOCK <= n <= EXACT_PAIRS_EVENTS:
        # a thousand actors could make half a million pairs, but a file of
        # this size makes far fewer: counted (one pass), the sums may fit
        pairs = len(network.cooccurrence(data, np.ones(n, dtype=bool)).a)
        size = _size_for(n, budget / 4 / max(a + pairs, 1))
    return size


def _size_for(n: int, blocks: float) -> int:
    """Events per block for at most ``blocks`` rows of sums over ``n`` events, or 0."""
    if int(blocks) < MIN_BLOCKS or n < MIN_BLOCKS * MIN_BLOCK:
        return 0
    size = max(MIN_BLOCK, 1 << max(int(np.ceil(np.log2(n / int(blocks)))), 0))
    return size if size <= MAX_BLOCK and n // size >= MIN_BLOCKS else 0


class NetworkBlocks:
    """Running sums over blocks of ``size`` events: ``actors[k]`` the pairs of
    each actor in events ``[0, k * size)``, ``pairs[k]`` the shared events of
    each actor pair (``keys``, ascending) in the same events."""

    def __init__(self, data, size: int):
        self.data, self.size = data, size
        self._last_split = (None, None)
        n_blocks = data.n_events // size
        n_actors = data.n_actors
        actors = np.zeros((n_blocks + 1, n_actors), np.int64)
        per_block = []
        for k in range(n_blocks):
            pause_point()  # on a worker: a frame being drawn goes first
            events = np.arange(k * size, (k + 1) * size)
            a, p0, p1 = self._pairs_of(events)
            actors[k + 1] = np.bincount(a, minlength=n_actors)
            keys = network.pair_keys(n_actors, np.repeat(events, p1 - p0), a.astype(np.int64))
            per_block.append(network.count_keys(keys, n_actors) if len(keys) else (keys, keys))
        self.keys = np.unique(np.concatenate([k for k, _ in per_block])) if per_block else np.zeros(0, np.int64)
        pairs = np.zeros((n_blocks + 1, len(self.keys)), np.int64)
        for k, (keys, counts) in enumerate(per_block):
            pairs[k + 1, np.searchsorted(self.keys, keys)] = counts
        self.actors = np.cumsum(actors, axis=0).astype(np.int32)
        self.pairs = np.cumsum(pairs, axis=0).astype(np.int32)

    @classmethod
    def of(cls, data, build: bool) -> "NetworkBlocks | None":
        """The data's blocks; None when it has too few events for them (or,
        without ``build``, while they are not made yet)."""
        found = data.derived.get("network_blocks")
        if found is not None or not build:
            return found or None
        with _BUILDING:
            found = data.derived.get("network_blocks")
            if found is None:
                size = _block_size(data)
                found = cls(data, size) if size else False
                data.derived["network_blocks"] = found
        return found or None

    @property
    def nbytes(self) -> int:
        return self.actors.nbytes + self.pairs.nbytes + self.keys.nbytes

    def _pairs_of(self, events):
        p0 = self.data.pair_offsets[events].astype(np.int64)
        p1 = self.data.pair_offsets[events + 1].astype(np.int64)
        n = p1 - p0
        at = np.repeat(p0 - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        return self.data.pair_actor[at], p0, p1

    def _split(self, window):
        """(first whole block, end of whole blocks, events counted one by one)."""
        last_split = self._last_split  # read once: the worker thread asks too
        if last_split[0] == window:
            return last_split[1]
        found = self._split_now(window)
        self._last_split = (window, found)
        return found

    def _split_now(self, window):
        data, size = self.data, self.size
        x0, x1 = window
        a, b = data.search_start(x0, "left"), data.search_start(x1, "right")
        # events starting before the window that reach into it: short ones
        # start within LONG of it, long ones are the index's few
        index = VisibleIndex(data)
        before = data.search_start(x0 - LONG, "left")
        short = before + np.flatnonzero(data.dur[before:a] <= LONG)
        short = short[data.end(short) >= x0]
        long_ = index._long_overlapping(x0, x1) if len(index.long_idx) else index.long_idx
        long_ = long_[long_ < a]
        first, last = -(-a // size), b // size
        if last <= first:
            first = last = 0
            runs = [np.arange(a, b)]
        else:
            runs = [np.arange(a, first * size), np.arange(last * size, b)]
        early = np.union1d(short, long_).astype(np.int64)
        return first, last, np.concatenate([early] + runs)

    def direct_at_most(self, window) -> int:
        """How many events ``network`` counts one by one for the window (two
        binary searches and a look at the events just before it)."""
        return len(self._split(window)[2])

    def network(self, window, with_cooccurrence: bool):
        first, last, events = self._split(window)
        return self._with_blocks(first, last, *window_network(self.data, events, with_cooccurrence))

    def whole(self) -> network.CoOccurrence:
        """The co-occurrence of every event of the file: every block's sums,
        and the events after the last whole block counted one by one."""
        last = len(self.actors) - 1
        tail = np.arange(last * self.size, self.data.n_events)
        return self._with_blocks(0, last, *window_network(self.data, tail, True))[1]

    def _with_blocks(self, first: int, last: int, counts, co):
        """A count of some events (``counts``, ``co``) plus blocks ``first:last``."""
        if last <= first:
            return counts, co
        counts = counts + (self.actors[last].astype(np.int64) - self.actors[first])
        if co is None:
            return counts, None
        total = self.pairs[last].astype(np.int64) - self.pairs[first]
        keep = np.flatnonzero(total)
        keys, found = self.keys[keep], total[keep]
        # the partial blocks' pairs, added: each key once on either side, some on both
        n = self.data.n_actors
        more = co.a * n + co.b
        at = np.minimum(np.searchsorted(keys, more), max(len(keys) - 1, 0))
        both = (at < len(keys)) & (keys[at] == more) if len(keys) else np.zeros(len(more), bool)
        found[at[both]] += co.count[both]
        keys = np.concatenate([keys, more[~both]])
        found = np.concatenate([found, co.count[~both]])
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        return counts, network.CoOccurrence(keys // n, keys % n, found[order])


def overlaid_network(overlay, window, filt, extra_filt, with_cooccurrence: bool, build: bool = True):
    """``window_network`` of a window read through an edit's overlay
    (``store/timeline_overlay.py``): the base's count of the window (from its
    running sums where it has them, so a big window costs what it costs
    without the overlay), less the hidden events it counted, plus the
    overlay's own events (``filt``/``extra_filt`` over each). Counts add up
    event by event, so this equals a count of the edited file."""
    base, extra = overlay.base, overlay.extra
    counts, co = network_of_window(base, window, filt, with_cooccurrence, build=build)
    hidden = _overlapping(base, overlay.hidden, window)
    if filt is not None:
        hidden = hidden[filt[hidden]]
    gone, co_gone = window_network(base, hidden, with_cooccurrence)
    more, co_more = window_network(extra, window_events(extra, window, extra_filt), with_cooccurrence)
    counts = counts - gone + more
    if co is None:
        return counts, None
    return counts, _signed_sum(base.n_actors, ((co, 1), (co_gone, -1), (co_more, 1)))


def _overlapping(data, idx: np.ndarray, window) -> np.ndarray:
    """The events at ``idx`` whose bounds overlap the window (``network.window_mask``'s rule)."""
    lo, hi = window if window else (None, None)
    idx = np.asarray(idx, dtype=np.int64)
    if hi is not None:
        idx = idx[idx < data.search_start(hi, "right")]
    if lo is not None and len(idx):
        idx = idx[data.end(idx) >= lo]
    return idx


def _signed_sum(n_actors: int, parts) -> network.CoOccurrence:
    """Co-occurrence counts added and taken away, pairs that come to nothing dropped."""
    keys = np.concatenate([c.a * n_actors + c.b for c, _ in parts])
    weights = np.concatenate([c.count * sign for c, sign in parts]).astype(np.int64)
    uniq, inverse = np.unique(keys, return_inverse=True)
    total = np.zeros(len(uniq), dtype=np.int64)
    np.add.at(total, inverse, weights)
    kept = total != 0
    return network.CoOccurrence(uniq[kept] // n_actors, uniq[kept] % n_actors, total[kept])
