"""Changing, deleting and restoring actors.

An actor's name is unique and its aliases are stored as a JSON list.
Deleting an actor also deletes its places in events and every relationship
from or to it; restoring puts all of them back.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from .. import search_index
from ..records import RecordError
from ..schema import ACTOR_KINDS
from .relationships import (
    _delete_relationship_rows,
    _restore_relationship_rows,
    snapshot_relationship,
)
from .rows import Row, _changed, _put_back, _refuse_taken_id, _rewrite, _row, _rows
from .snapshots import ActorSnapshot
from .validate import _check_field_names, _choice, _require_ids, _required, _text

ACTOR_FIELDS = ("name", "kind", "title", "country", "aliases", "notes", "colour")


def _alias_list(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return [text]  # not ours: keep the text rather than lose it
    return [str(v) for v in value] if isinstance(value, list) else [text]


def _aliases_json(value) -> str | None:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise RecordError(f"aliases must be a list of names, not {value!r}")
    for alias in value:
        _text(alias, "aliases")
    return json.dumps(list(value), ensure_ascii=False) if value else None


def _actor_columns(db: Database, actor_id: int, fields: dict) -> Row:
    columns: Row = {}
    if "name" in fields:
        name = _required(fields["name"], "name", "name: an actor needs a name")
        clash = db.execute("SELECT 1 FROM actors WHERE name = ? AND id != ?", [name, actor_id]).fetchone()
        if clash:
            raise RecordError(f"there is already an actor named '{name}'")
        columns["name"] = name
    if "kind" in fields:
        columns["kind"] = _choice(fields["kind"], ACTOR_KINDS, "actor kind")
    for name in ("title", "country", "notes", "colour"):
        if name in fields:
            columns[name] = _text(fields[name], name)
    if "aliases" in fields:
        columns["aliases"] = _aliases_json(fields["aliases"])
    return columns


def update_actor(db: Database, actor_id: int, **fields) -> dict:
    """Change some of name (unique), kind, title, country, aliases (a
    list), notes, colour; returns the old values of the given fields."""
    _check_field_names(fields, ACTOR_FIELDS, "an actor")
    with db.atomic():
        row = _row(db, "actors", actor_id, "actor")
        old = {f: _alias_list(row[f]) if f == "aliases" else row[f] for f in fields}
        columns = _actor_columns(db, actor_id, fields)
        _rewrite(db, "actors", actor_id, columns, search_index.ACTOR_TEXT)
        _changed(db)
    return old


def snapshot_actor(db: Database, actor_id: int) -> ActorSnapshot:
    row = _row(db, "actors", actor_id, "actor")
    rel_ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM relationships WHERE from_actor_id = ? OR to_actor_id = ? ORDER BY id", [actor_id, actor_id]
        )
    ]
    return ActorSnapshot(
        row,
        _rows(db, "SELECT * FROM event_actors WHERE actor_id = ? ORDER BY rowid", [actor_id]),
        tuple(snapshot_relationship(db, r) for r in rel_ids),
    )


def delete_actor(db: Database, actor_id: int) -> ActorSnapshot:
    """Delete an actor, its places in events, and every relationship from or to it."""
    with db.atomic():
        snap = snapshot_actor(db, actor_id)
        for rel in snap.relationships:
            _delete_relationship_rows(db, rel.id)
        search_index.unindex_rows(db, "actors", [actor_id])
        db.execute("DELETE FROM event_actors WHERE actor_id = ?", [actor_id])
        db.execute("DELETE FROM actors WHERE id = ?", [actor_id])
        _changed(db)
    return snap


def restore_actor(db: Database, snap: ActorSnapshot) -> None:
    """Put a deleted actor back with the same id, its event roles and relationships."""
    what = f"actor '{snap.row.get('name')}'"
    with db.atomic():
        _refuse_taken_id(db, "actors", snap.id, what, "an actor")
        if db.execute("SELECT 1 FROM actors WHERE name = ?", [snap.row.get("name")]).fetchone():
            raise RecordError(f"there is already an actor named '{snap.row.get('name')}'")
        _require_ids(db, "events", [r["event_id"] for r in snap.events], "events", "event")
        _put_back(db, what, ("actors", [snap.row]), ("event_actors", snap.events))
        search_index.index_rows(db, "actors", [snap.id])
        for rel in snap.relationships:  # after the actor: they refer to it
            _restore_relationship_rows(db, rel)
        _changed(db)
