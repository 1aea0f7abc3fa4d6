"""Text read from a file is decoded leniently, and the file named once.

SQLite stores whatever bytes a program gave it as TEXT; Python's sqlite3
raises on the first value that is not UTF-8, which made ``info``, every
export and the window fail on one bad title (and crashed a paint). Every
connection to a user's file decodes with invalid bytes replaced by U+FFFD
instead, and the first such value of each file is reported once
(``invalid_text_files``; the command line prints a warning).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()
_files: dict[str, str] = {}  # file -> a sample of the first bad value, as shown
_listeners: list = []


def lenient_text_factory(path: str | Path):
    """A ``text_factory`` for connections to ``path``."""
    name = os.path.abspath(path)  # one name whichever way the file was reached

    def decode(data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            _note(name, text)
            return text

    return decode


def _note(name: str, text: str) -> None:
    with _lock:
        if name in _files:
            return
        sample = " ".join(text[:40].split())
        _files[name] = sample
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(name, sample)
        except Exception:  # a listener must never break a read
            pass


def invalid_text_files() -> dict[str, str]:
    """Files in which some text was not valid UTF-8: {file: first such text, as shown}."""
    with _lock:
        return dict(_files)


def invalid_text_message(name: str, sample: str) -> str:
    return (f"{name}: some text is not valid UTF-8 (first: '{sample}'); "
            "it is read with \N{REPLACEMENT CHARACTER} in place of the bytes that are not")


def on_invalid_text(listener) -> None:
    """Call ``listener(file, sample)`` the first time a file's text is found invalid."""
    with _lock:
        _listeners.append(listener)
