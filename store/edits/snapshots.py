"""What ``delete_*`` returns: everything needed to put a record back.

A snapshot holds the record's row, id included, and every join row that
goes with it, so ``restore_*`` can reinsert it under the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rows import Row


@dataclass(frozen=True)
class RelationshipSnapshot:
    row: Row  # the relationships row, id included
    events: tuple[Row, ...] = ()  # its relationship_events rows

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass(frozen=True)
class EventSnapshot:
    row: Row  # the events row, id included
    actors: tuple[Row, ...] = ()  # event_actors rows
    sources: tuple[Row, ...] = ()  # event_sources rows
    relationships: tuple[Row, ...] = ()  # relationship_events rows (the relationships themselves stay)

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass(frozen=True)
class ActorSnapshot:
    row: Row  # the actors row, id included
    events: tuple[Row, ...] = ()  # its event_actors rows
    relationships: tuple[RelationshipSnapshot, ...] = ()  # every relationship from or to it

    @property
    def id(self) -> int:
        return self.row["id"]


@dataclass(frozen=True)
class SourceSnapshot:
    row: Row  # the sources row, id included
    citations: tuple[Row, ...] = ()  # its event_sources rows

    @property
    def id(self) -> int:
        return self.row["id"]
