"""Which events a search finds, as a mask over the timeline's arrays.

An event matches when every word of the search starts a word of its title,
description or place (full-text, ``queries.fts_query``), or when the search
names one of its actors. On a big file a common word matches hundreds of
thousands of events, which takes SQLite and numpy a few tenths of a second:
the window runs ``search_mask_in_file`` on a worker with a connection of its
own (``gui/search_jobs.py``).
"""

from __future__ import annotations

import numpy as np
from sqlite_utils import Database

from . import network, queries
from .database import reading
from .timeline_data import TimelineData


def search_mask(db: Database, data: TimelineData, text: str) -> np.ndarray:
    """Events the search ``text`` finds (by their text, or by an actor's name)."""
    mask = np.zeros(data.n_events, dtype=bool)
    ids = np.fromiter(queries.search_event_ids(db, text), dtype=np.int64)
    mask[data.index_of_ids(ids)] = True
    index = data.actor_index()
    actors = [index[a] for a in queries.search_actor_ids(db, text) if a in index]
    if actors:
        mask |= network.events_with_actors(data, actors)
    return mask


def search_mask_in_file(path, data: TimelineData, text: str) -> np.ndarray:
    """The same on a read-only connection of its own, for a worker thread."""
    with reading(path) as db:
        return search_mask(db, data, text)
