"""No exception escapes a paint method.

Qt calls paint methods from C++: a Python exception there is printed as a
traceback and the frame is left half drawn, and in an export it has taken
the process down (a title that could not be decoded). ``guarded_paint``
wraps a paint body: the error is reported once per kind of item, in one
line on stderr, and the rest of the window keeps drawing.
"""

from __future__ import annotations

import functools
import sys

_reported: set[tuple[str, str]] = set()


def report_paint_error(what: str, exc: BaseException) -> None:
    key = (what, type(exc).__name__)
    if key in _reported:
        return
    _reported.add(key)
    text = " ".join(str(exc).split())[:300]
    try:
        print(f"threadline: could not draw the {what} ({type(exc).__name__}: {text}); the rest is drawn", file=sys.stderr)
    except (OSError, ValueError):
        pass


def guarded_paint(what: str):
    """Decorator for ``paint(self, painter, ...)`` and ``paintEvent(self, event)``."""

    def wrap(method):
        @functools.wraps(method)
        def paint(self, *args):
            try:
                return method(self, *args)
            except Exception as exc:  # noqa: BLE001 - nothing may escape into Qt's paint loop
                report_paint_error(what, exc)
                return None

        return paint

    return wrap
