"""Saved views: a named state of the explorer, kept in the file.

The state (time window, brush, selection, search, filters, lane order...)
is the GUI's business; here it is only checked to be a JSON object and
stored as JSON text in ``saved_views(name, state)``, so a view travels with
the file and Datasette shows it. Each write is one ``store.writing.write``,
like every other change of the file.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from .records import RecordError
from .writing import write


def _name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise RecordError("a saved view needs a name")
    return name.strip()


def _encode(state: dict) -> str:
    if not isinstance(state, dict):
        raise RecordError(f"a saved view's state must be a JSON object, not {type(state).__name__}")
    try:
        # allow_nan=False: NaN and Infinity are not JSON, and other tools reading the file would choke
        return json.dumps(state, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RecordError(f"a saved view's state cannot be stored as JSON ({exc})") from None


def _decode(name: str, text: str | None) -> dict:
    try:
        state = json.loads(text) if text else None
    except ValueError:
        state = None
    if not isinstance(state, dict):
        raise RecordError(f"the saved view '{name}' is damaged (its state is not a JSON object)")
    for key, value in state.items():
        problem = _shape_problem(key, value)
        if problem:
            raise RecordError(f"the saved view '{name}' is damaged (its '{key}' {problem})")
    return state


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**63


def _is_time(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) and abs(v) < 2**62


# What each key of a saved state holds (gui.saved_views.current_state writes
# them); a file from elsewhere may hold anything, and the window would trip
# on it while applying the view.
_IDS = ("selected_events", "selected_actors", "lane_order", "hidden_lanes")


def _shape_problem(key: str, value) -> str | None:
    if value is None:
        return None
    if key in ("window", "brush"):
        if not (isinstance(value, list) and len(value) == 2 and all(_is_time(v) for v in value)):
            return "is not two times"
    elif key in _IDS or key == "actor_filter":
        if not (isinstance(value, list) and all(_is_int(v) for v in value)):
            return "is not a list of ids"
    elif key == "search":
        if not isinstance(value, str):
            return "is not text"
    elif key == "lane_grouping":
        if not isinstance(value, dict):
            return "is not a JSON object"
        by, collapsed = value.get("by"), value.get("collapsed")
        if by is not None and not isinstance(by, str):
            return "'by' is not text"
        if collapsed is not None and not (isinstance(collapsed, list) and all(isinstance(g, str) for g in collapsed)):
            return "'collapsed' is not a list of group names"
        if not isinstance(value.get("by_activity", False), bool):
            return "'by_activity' is not true or false"
    return None


def save_view(db: Database, name: str, state: dict) -> int:
    """Store ``state`` under ``name``, replacing a view of that name; its id."""
    name, text = _name(name), _encode(state)
    with write(db, "save view"):
        db.execute(
            "INSERT INTO saved_views (name, state) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET state = excluded.state",
            [name, text],
        )
        return db.execute("SELECT id FROM saved_views WHERE name = ?", [name]).fetchone()[0]


def list_views(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM saved_views ORDER BY name COLLATE NOCASE, name")]


def load_view(db: Database, name: str) -> dict:
    row = db.execute("SELECT state FROM saved_views WHERE name = ?", [_name(name)]).fetchone()
    if row is None:
        raise RecordError(f"no saved view named '{name}'")
    return _decode(name, row[0])


def delete_view(db: Database, name: str) -> dict | None:
    """Delete the view; its old state (for undo), or None if there was none
    (or it was damaged, and so cannot be put back)."""
    name = _name(name)
    with write(db, "delete view"):
        row = db.execute("SELECT state FROM saved_views WHERE name = ?", [name]).fetchone()
        if row is None:
            return None
        db.execute("DELETE FROM saved_views WHERE name = ?", [name])
    try:
        return _decode(name, row[0])
    except RecordError:
        return None


def actor_groups(db: Database) -> dict[str, list[int]]:
    """Saved views as groups of actors: each view's selected actors (or, when
    it selects none, its actor filter), by view name; views naming no actor
    and damaged views are left out."""
    groups: dict[str, list[int]] = {}
    for name in list_views(db):
        try:
            state = load_view(db, name)
        except RecordError:
            continue
        actors = state.get("selected_actors") or state.get("actor_filter") or []
        ids = [int(a) for a in actors if isinstance(a, int)]
        if ids:
            groups[name] = ids
    return groups
