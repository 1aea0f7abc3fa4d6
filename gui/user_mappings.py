"""CSV column mappings kept in the user's settings, for every file.

A mapping saved in a database (``--save-map``) travels with that file; one
saved here (``--save-map-user``, or "for all files" in the import dialog)
is found by ``--map @NAME`` on any file. The database's own mapping of the
same name wins, since it was made for that file.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

SETTINGS = ("Threadline", "Threadline")
GROUP = "csv-mappings"


def _settings(settings: QSettings | None) -> QSettings:
    return settings if settings is not None else QSettings(*SETTINGS)


def save_user_mapping(name: str, mapping: list[str], settings: QSettings | None = None) -> None:
    from store.importers.mapped_csv import split_entry

    name = name.strip().lstrip("@")
    if not name:
        raise ValueError("a saved mapping needs a name")
    for entry in mapping:
        split_entry(entry)  # refuse to save what an import would refuse
    s = _settings(settings)
    s.setValue(f"{GROUP}/{name}", json.dumps(list(mapping), ensure_ascii=False))
    s.sync()


def user_mapping_names(settings: QSettings | None = None) -> list[str]:
    s = _settings(settings)
    s.beginGroup(GROUP)
    try:
        return sorted(s.childKeys())
    finally:
        s.endGroup()


def user_mapping(name: str, settings: QSettings | None = None) -> list[str] | None:
    text = _settings(settings).value(f"{GROUP}/{name.strip().lstrip('@')}")
    return list(json.loads(text)) if isinstance(text, str) else None


def resolve(mapping: list[str], in_file: set[str], settings: QSettings | None = None) -> list[str]:
    """Replace each ``@NAME`` the database does not hold by the user's saved
    entries of that name (keys given by hand still win)."""
    by_hand = {m.partition("=")[0].strip() for m in mapping if not m.startswith("@")}
    out: list[str] = []
    for entry in mapping:
        name = entry[1:].strip() if entry.startswith("@") else None
        if name is not None and name not in in_file:
            saved = user_mapping(name, settings)
            if saved is None:
                known = ", ".join(sorted(in_file | set(user_mapping_names(settings)))) or "none"
                raise LookupError(f"no saved mapping '@{name}' in this database or in your settings (saved: {known})")
            out.extend(e for e in saved if e.partition("=")[0].strip() not in by_hand)
        else:
            out.append(entry)
    return out
