"""Turning reviewed suggestions into events, in one transaction.

``accept`` takes the suggestions a researcher accepted (perhaps with an
edited title or date) and those merged into existing events, and writes
them all at once: the document's source (made if it has none), new actors
for unknown names, new events citing the passage with its offsets, and a
further citation on each event merged into. It returns an ``Accepted``
record of what it made, which ``undo_accepted`` removes in one transaction
and ``redo_accepted`` puts back with the same ids.
"""

from __future__ import annotations

from datetime import datetime, timezone

from dataclasses import dataclass, field

from sqlite_utils import Database

from . import documents, edits, records
from .dates import DateError, parse_date
from .importers.names import looks_like_person
from .records import Citation, Participation, RecordError
from .suggest import ON_OR_BEFORE, Candidate
from .writing import write


@dataclass
class Review:
    """One reviewed suggestion: ``merge_into`` an existing event, or a new one."""

    candidate: Candidate
    title: str | None = None  # edited title (None: the candidate's)
    date: str | None = None  # edited date as written (None: the candidate's)
    merge_into: int | None = None
    new_actor_kinds: dict[str, str] = field(default_factory=dict)


@dataclass
class Accepted:
    source_id: int | None = None  # made for the document (None: it had one)
    actor_ids: list[int] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    merged: list[tuple[int, int, object]] = field(default_factory=list)  # (event, source, previous citation)
    snapshots: dict = field(default_factory=dict)


def event_date(candidate: Candidate, written: str | None, publication: str | None) -> tuple[str, str | None]:
    """The start to store and the reference it is read against: the date as
    the document wrote it when store.dates reads it ("on Friday" against the
    publication day), otherwise its absolute reading ("2016 to 2017")."""
    text = (written or candidate.date).strip()
    if text.startswith(ON_OR_BEFORE):
        return text, None
    for reference in ((publication,) if publication else ()) + (None,):
        try:
            read = parse_date(text, reference=records.reference_date(reference))
        except (DateError, RecordError):
            continue
        if written is None and not _same_bounds(read, candidate):
            # the store reads a bare weekday backwards; the document meant
            # another day ("will reopen on Monday"): keep what was understood
            return candidate.stored_date, None
        return text, reference
    if written and written.strip() != candidate.date:
        raise RecordError(f"date: cannot understand '{written}'")
    return candidate.stored_date, None


def _same_bounds(read, candidate: Candidate) -> bool:
    """Whether the store's reading of a date gives the candidate's bounds."""
    def iso(seconds):
        return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    return candidate.earliest is None or (iso(read.earliest) == candidate.earliest and iso(read.latest) == candidate.latest)


def guess_kind(name: str) -> str:
    words = name.split()
    if any(w.lower() in {"ministry", "council", "agency", "department", "government", "office", "union",
                         "party", "court", "parliament", "senate", "commission", "police"} for w in words):
        return "government body" if words[-1].lower() != "party" and "union" not in name.lower() else "organisation"
    if any(w.lower() in {"news", "times", "journal", "post", "press", "wire", "reuters", "tv", "echo", "gazette",
                         "herald", "tribune", "chronicle", "ledger", "observer", "telegraph", "radio", "television"}
           for w in words):
        return "media"
    return "person" if looks_like_person(name) else "organisation"  # "Harbour Holdings" is no person


def _source_for(db: Database, doc_id: int, made: Accepted) -> int:
    source = documents.source_for_document(db, doc_id)
    if source is None:
        source = records.add_source(db, **documents.source_fields(documents.get_document(db, doc_id)))
        made.source_id = source
    return source


def _actor_id(db: Database, name: str, kind: str, made: Accepted) -> int:
    existing = records.actor_id_by_name(db, name)
    if existing is not None:
        return existing
    actor = records.add_actor(db, name, kind)
    made.actor_ids.append(actor)
    return actor


def accept(db: Database, doc_id: int, reviews: list[Review]) -> Accepted:
    doc = documents.get_document(db, doc_id)
    made = Accepted()
    with write(db, "accept"):
        source = _source_for(db, doc_id, made)
        for review in reviews:
            c = review.candidate
            cite = Citation(source, c.quote, c.start, c.end)
            if review.merge_into is not None:
                if edits.citations._citation(db, review.merge_into, source) is not edits.MISSING:
                    raise RecordError(f"event {review.merge_into} already quotes this document; "
                                      "edit its quote instead of merging a second one")
                made.merged.append((review.merge_into, source, edits.set_citation(db, review.merge_into, source, c.quote)))
                db.execute("UPDATE event_sources SET quote_start = ?, quote_end = ? WHERE event_id = ? AND source_id = ?",
                           [c.start, c.end, review.merge_into, source])
                continue
            parts = []
            for name in c.actors:
                actor = c.actor_ids.get(name)
                if actor is None:
                    actor = _actor_id(db, name, review.new_actor_kinds.get(name) or guess_kind(name), made)
                if all(p.actor_id != actor for p in parts):
                    parts.append(Participation(actor, c.roles.get(name, "participant")))
            start, reference = event_date(c, review.date, doc.date)
            # what a document says happened is reported: confirming it is the researcher's call
            certainty = "reported"
            made.event_ids.append(records.add_event(
                db, (review.title or c.title).strip(), start, reference=reference, certainty=certainty,
                actors=parts, sources=[cite]))
    return made


def undo_accepted(db: Database, made: Accepted) -> None:
    with write(db, "undo accepted"):
        made.snapshots = {
            "events": [edits.delete_event(db, e) for e in reversed(made.event_ids)],
        }
        for event, source, previous in reversed(made.merged):
            edits.restore_citation(db, event, source, previous)
        made.snapshots["actors"] = [edits.delete_actor(db, a) for a in reversed(made.actor_ids)]
        made.snapshots["source"] = edits.delete_source(db, made.source_id) if made.source_id is not None else None


def redo_accepted(db: Database, made: Accepted, reviews: list[Review]) -> None:
    with write(db, "redo accepted"):
        if made.snapshots.get("source") is not None:
            edits.restore_source(db, made.snapshots["source"])
        for snap in reversed(made.snapshots["actors"]):
            edits.restore_actor(db, snap)
        for (event, source, _previous), review in zip(made.merged, [r for r in reviews if r.merge_into is not None]):
            c = review.candidate
            edits.set_citation(db, event, source, c.quote)
            db.execute("UPDATE event_sources SET quote_start = ?, quote_end = ? WHERE event_id = ? AND source_id = ?",
                       [c.start, c.end, event, source])
        for snap in reversed(made.snapshots["events"]):
            edits.restore_event(db, snap)


def add_passage_event(db: Database, doc_id: int, title: str, start: str, *, end: str | None = None,
                      reference: str | None = None, actors: list[Participation] = (),
                      new_actors: list[tuple[str, str, str]] = (), quote: tuple[str, int, int] | None = None,
                      **fields) -> Accepted:
    """One event from a passage, in one transaction: the document's source
    (made if needed), the new actors named in it ``(name, kind, role)``, and
    the event citing the passage ``(text, start, end)``."""
    made = Accepted()
    with write(db, "add passage event"):
        source = _source_for(db, doc_id, made)
        parts = list(actors)
        for name, kind, role in new_actors:
            actor = _actor_id(db, name, kind, made)
            if all(p.actor_id != actor for p in parts):
                parts.append(Participation(actor, role))
        cites = list(fields.pop("sources", ()))
        cites = [c for c in cites if c.source_id != source]
        if quote is not None:
            cites.insert(0, Citation(source, quote[0], quote[1], quote[2]))
        made.event_ids.append(records.add_event(db, title, start, end, reference=reference, actors=parts,
                                                sources=cites, **fields))
    return made
