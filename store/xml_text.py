"""Text that XML 1.0 can hold.

XML 1.0 forbids most control characters (a vertical tab from Word, \\x01,
ESC, NUL), lone surrogates and U+FFFE/U+FFFF, even escaped: one of them in
an actor's name made a GEXF, GraphML or SVG file that no reader accepts.
Every XML export passes its text through ``xml_safe``; ``xml_safe_file``
cleans a file another library wrote (Qt's SVG generator).
"""

from __future__ import annotations

import re
from pathlib import Path

# Allowed: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000 and up.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text) if _FORBIDDEN.search(text) else text


def xml_safe_value(value):
    """``xml_safe`` for text; other values (numbers, flags, None) as they are."""
    return xml_safe(value) if isinstance(value, str) else value


def xml_safe_file(path: str | Path) -> None:
    """Remove forbidden characters from a UTF-8 XML file, in place (only
    rewritten when it holds any)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    if _FORBIDDEN.search(text):
        path.write_text(_FORBIDDEN.sub("", text), encoding="utf-8", errors="surrogateescape")
