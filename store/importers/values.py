"""Small helpers that turn a format's raw values into record fields: empty
cells, content-made identities, short titles and roles.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

from ..schema import ROLES
from ..textscan import sentences

MISSING = frozenset({"", "na", "n/a", "null"})  # cells that mean "no value"


def present(value) -> str | None:
    """A cell's text, or None when it is empty or says NA / N/A / null."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in MISSING else text


def stable_id(prefix: str, parts: Sequence[str | None]) -> str:
    """An identity made from content, the same on every import of it."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:20]}"


def short_title(text: str, limit: int = 120) -> str:
    """The first sentence of text (never cut after "U.S." or "Mr."), cut at a
    word when longer than limit."""
    text = " ".join(text.split())
    first = sentences(text[: limit + 40])  # only the first sentence matters
    end = first[0].end if len(first) > 1 else -1
    if 0 < end <= limit:
        return text[:end]
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def role_or(role, default: str = "participant") -> str:
    return role if role in ROLES else default
