"""Importing pyqtgraph about 0.1 s sooner, which the first window waits for.

On import, pyqtgraph fills three mirror modules (``pyqtgraph.Qt.QtCore``,
``QtGui``, ``QtWidgets``) by copying every name of PySide6's modules into
them, about 720 names. PySide6 builds each Qt class the first time it is
looked up, so that copy builds every class in the three modules, most of
which Threadline never uses: about 0.1 s of a start-up budget of 0.8 s.

``import_pyqtgraph`` gives pyqtgraph mirrors that look names up when first
used instead: pyqtgraph sees the same names with the same objects, and
anything it sets on its mirrors stays its own. It only does so while the
mirrors are the empty packages this scheme expects; any other pyqtgraph
is imported as it comes.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

MIRRORS = ("QtCore", "QtGui", "QtWidgets")
_ABSENT = object()


def import_pyqtgraph():
    """``import pyqtgraph``, with lazy mirrors when that is safe."""
    if "pyqtgraph" in sys.modules or not _mirrors_are_empty():
        import pyqtgraph

        return pyqtgraph
    import PySide6.QtCore
    import PySide6.QtGui
    import PySide6.QtWidgets

    real = {"QtCore": PySide6.QtCore, "QtGui": PySide6.QtGui, "QtWidgets": PySide6.QtWidgets}
    # PySide6 lists a module's names with a __dir__ of its own: kept, and put back
    listings = {name: vars(module).get("__dir__", _ABSENT) for name, module in real.items()}
    for name in MIRRORS:
        sys.modules[f"pyqtgraph.Qt.{name}"] = _lazy_mirror(f"pyqtgraph.Qt.{name}", real[name])
        # pyqtgraph copies ``dir(PySide6.QtX)``: an empty listing while it imports
        real[name].__dir__ = list
    try:
        import pyqtgraph
    except BaseException:
        for name in MIRRORS:
            sys.modules.pop(f"pyqtgraph.Qt.{name}", None)
        raise
    finally:
        for name, module in real.items():
            if listings[name] is _ABSENT:
                del module.__dir__
            else:
                module.__dir__ = listings[name]
    return pyqtgraph


def _lazy_mirror(name: str, source: types.ModuleType) -> types.ModuleType:
    mirror = types.ModuleType(name)

    def __getattr__(attr: str):  # noqa: N807 (a module's own lookup hook, PEP 562)
        value = getattr(source, attr)
        setattr(mirror, attr, value)  # looked up once, then an ordinary attribute
        return value

    mirror.__getattr__ = __getattr__
    return mirror


def _mirrors_are_empty() -> bool:
    """True when the installed pyqtgraph's mirror packages are empty files,
    as in the pyqtgraph versions this was written for (0.13, 0.14)."""
    try:
        spec = importlib.util.find_spec("pyqtgraph")  # finds it without running it
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    base = Path(list(spec.submodule_search_locations)[0]) / "Qt"
    try:
        return all((base / name / "__init__.py").stat().st_size == 0 for name in MIRRORS)
    except OSError:
        return False
