"""What a selection lights up, found on a worker in a big file.

Selecting the busiest actor of a ten-million-event file lights 2.8 million
events: finding them is a pass over 20 million pairs (60-170 ms), which
held the first frame after the click for as long. In a big file they are
found in a job (``LatestJobs``: a newer selection replaces an older one
still waiting), and until they arrive the views draw nothing lit: a frame
shows the current selection's highlight or none, never the previous
selection's. (The timeline's density then lights them once the lane index
of their pairs is built, on a worker too: ``timeline/index_jobs.py``.)
Small files, and selections of events or an edge (a few events), are
answered at once.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from store import network

from .jobs import LatestJobs

# Above this many events an actor selection's events are found on a worker
# (6-17 ms per million events, the more the busier the actors).
HIGHLIGHT_SYNC_EVENTS = 2_000_000


class Highlights(QObject):
    """The highlight mask of one session's selection; ``ready`` fires when a
    mask found on a worker is in (the views then paint it)."""

    ready = Signal()
    failed = Signal(str)  # one line for a person: the selection could not be lit

    def __init__(self, session):
        super().__init__(session)
        self.session = session
        self.sync_events = HIGHLIGHT_SYNC_EVENTS
        self._cache = None  # (key, mask)
        self._jobs = LatestJobs(self)
        self._jobs.ready.connect(self._ready)
        self._jobs.failed.connect(self._failed)

    def _key(self):
        sel = self.session.selection
        # masks of data since replaced do not apply
        return (sel.selected_events, sel.selected_actors, sel.selected_edge, self.session.generation)

    def drop(self) -> None:
        self._cache = None

    def mask(self, wait: bool = True) -> np.ndarray | None:
        """Events the selection lights up; None when nothing is selected, or,
        without ``wait``, while a big selection's events are being found."""
        key = self._key()
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        session, sel = self.session, self.session.selection
        if sel.selected_actors and not sel.selected_events and session.data.n_events > self.sync_events:
            if not wait:
                if not self._jobs.has(key):
                    data = session.data
                    idx = self._actor_indices()
                    self._jobs.submit(key, lambda: (data, network.events_with_actors(data, idx)))
                return None
        self._cache = (key, self._compute())
        return self._cache[1]

    @property
    def pending(self) -> bool:
        """A selection is being looked up on a worker: nothing is lit meanwhile."""
        return self._jobs.has(self._key()) and (self._cache is None or self._cache[0] != self._key())

    def _actor_indices(self) -> list[int]:
        session = self.session
        return [i for i in (session.actor_index(a) for a in session.selection.selected_actors) if i is not None]

    def _compute(self) -> np.ndarray | None:
        session, sel = self.session, self.session.selection
        data = session.data
        if sel.selected_events:
            mask = np.zeros(data.n_events, dtype=bool)
            mask[data.index_of_ids(sel.selected_events)] = True
            return mask
        if sel.selected_actors:
            return network.events_with_actors(data, self._actor_indices())
        if sel.selected_edge is not None:
            mask = np.zeros(data.n_events, dtype=bool)
            mask[session.edge_event_indices(sel.selected_edge)] = True
            return mask
        return None

    def _ready(self, key, result) -> None:
        data, mask = result
        if key != self._key() or data is not self.session.data:
            return  # selected over, or the data changed: that mask is not what is shown now
        if self._cache is not None and self._cache[0] == key:
            return  # found meanwhile on the UI thread (a caller that had to wait)
        self._cache = (key, mask)
        self.ready.emit()

    def _failed(self, key, message: str) -> None:
        if key == self._key():
            self._cache = (key, None)  # not asked for again each frame; the message says why
            self.failed.emit(f"Could not light up the selection ({message}).")

