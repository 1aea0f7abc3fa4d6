"""Changing, deleting and restoring actors.

An actor's name is unique and its aliases are stored as a JSON list.
Deleting an actor also deletes its places in events and every relationship
from or to it; restoring puts all of them back.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..records import RecordError
from ..schema import ACTOR_KINDS
from ..search_index import ACTOR_TEXT
from ..writing import changing, write
from .relationships import (
    delete_relationship_rows,
    restore_relationship_rows,
    snapshot_relationship,
)
from .rows import Row, fetch_row, fetch_rows, put_back, refuse_taken_id, rewrite_row
from .snapshots import ActorSnapshot
from .validate import check_choice, check_field_names, check_required, check_text, require_ids

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
        check_text(alias, "aliases")
    return json.dumps(list(value), ensure_ascii=False) if value else None


def _actor_columns(db: Database, actor_id: int, fields: dict) -> Row:
    columns: Row = {}
    if "name" in fields:
        name = check_required(fields["name"], "name", "name: an actor needs a name")
        clash = db.execute("SELECT 1 FROM actors WHERE name = ? AND id != ?", [name, actor_id]).fetchone()
        if clash:
            raise RecordError(f"there is already an actor named '{name}'")
        columns["name"] = name
    if "kind" in fields:
        columns["kind"] = check_choice(fields["kind"], ACTOR_KINDS, "actor kind")
    for name in ("title", "country", "notes", "colour"):
        if name in fields:
            columns[name] = check_text(fields[name], name)
    if "aliases" in fields:
        columns["aliases"] = _aliases_json(fields["aliases"])
    return columns


def update_actor(db: Database, actor_id: int, **fields) -> dict:
    """Change some of name (unique), kind, title, country, aliases (a
    list), notes, colour; returns the old values of the given fields."""
    check_field_names(fields, ACTOR_FIELDS, "an actor")
    with write(db, "update actor"):
        row = fetch_row(db, "actors", actor_id, "actor")
        old = {f: _alias_list(row[f]) if f == "aliases" else row[f] for f in fields}
        columns = _actor_columns(db, actor_id, fields)
        rewrite_row(db, "actors", actor_id, columns, ACTOR_TEXT)
    return old


def snapshot_actor(db: Database, actor_id: int) -> ActorSnapshot:
    row = fetch_row(db, "actors", actor_id, "actor")
    rel_ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM relationships WHERE from_actor_id = ? OR to_actor_id = ? ORDER BY id", [actor_id, actor_id]
        )
    ]
    return ActorSnapshot(
        row,
        fetch_rows(db, "SELECT * FROM event_actors WHERE actor_id = ? ORDER BY rowid", [actor_id]),
        tuple(snapshot_relationship(db, r) for r in rel_ids),
    )


def delete_actor(db: Database, actor_id: int) -> ActorSnapshot:
    """Delete an actor, its places in events, and every relationship from or to it."""
    with write(db, "delete actor"):
        snap = snapshot_actor(db, actor_id)
        for rel in snap.relationships:
            delete_relationship_rows(db, rel.id)
        changing(db, "actors", [actor_id])
        db.execute("DELETE FROM event_actors WHERE actor_id = ?", [actor_id])
        db.execute("DELETE FROM actors WHERE id = ?", [actor_id])
    return snap


def restore_actor(db: Database, snap: ActorSnapshot) -> None:
    """Put a deleted actor back with the same id, its event roles and relationships."""
    what = f"actor '{snap.row.get('name')}'"
    with write(db, "restore actor"):
        refuse_taken_id(db, "actors", snap.id, what, "an actor")
        if db.execute("SELECT 1 FROM actors WHERE name = ?", [snap.row.get("name")]).fetchone():
            raise RecordError(f"there is already an actor named '{snap.row.get('name')}'")
        require_ids(db, "events", [r["event_id"] for r in snap.events], "events", "event")
        put_back(db, what, ("actors", [snap.row]), ("event_actors", snap.events))
        changing(db, "actors", [snap.id])
        for rel in snap.relationships:  # after the actor: they refer to it
            restore_relationship_rows(db, rel)
