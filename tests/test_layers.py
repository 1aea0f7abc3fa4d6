"""The architecture's two rules: store/ knows no Qt, gui/ holds no SQL."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_store_imports_no_qt():
    modules = sorted(
        "store." + ".".join(p.relative_to(ROOT / "store").with_suffix("").parts)
        for p in (ROOT / "store").rglob("*.py") if p.name != "__init__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        "print(bad)\nsys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gui_holds_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "gui").rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if sql.search(line)]
    assert offenders == []


# The views: each shows the story its own way and meets the others only in the
# selection model (gui/selection.py). What two of them share lives in a module
# that is no view (store/view_model, gui/batch_paint.py, gui/theme.py, ...).
VIEWS = {
    "timeline": "gui/timeline", "graph": "gui/graph", "reader": "gui/reader",
    "event table": "gui/event_table.py", "actor list": "gui/actor_list.py", "details": "gui/detail.py",
}


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports (relative imports resolved), at any depth."""
    import ast

    package = _module_of(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_of(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _files_of(view: str) -> list[Path]:
    where = ROOT / VIEWS[view]
    return sorted(where.rglob("*.py")) if where.is_dir() else [where]


def _view_import_offences() -> list[str]:
    prefixes = {view: _module_of(ROOT / where) for view, where in VIEWS.items()}
    offenders = []
    for view in VIEWS:
        for path in _files_of(view):
            for module in _imported_modules(path):
                for other, prefix in prefixes.items():
                    if other != view and (module == prefix or module.startswith(prefix + ".")):
                        offenders.append(f"{path.relative_to(ROOT)} imports {module} ({other})")
    return offenders


def test_views_import_no_other_view():
    assert _view_import_offences() == []


def test_the_view_rule_sees_a_view_importing_another():
    """The check above is not blind: an import of the graph from the timeline is found."""
    fake = ROOT / "gui" / "timeline" / "_layer_probe.py"
    fake.write_text("from ..graph.panel import GraphPanel\n", encoding="utf-8")
    try:
        assert "gui/timeline/_layer_probe.py imports gui.graph.panel (graph)" in _view_import_offences()
    finally:
        fake.unlink()


# Views get the story's data only through the Session (gui/session.py): no
# gui module but these reaches for a connection (``.db``) or calls a store
# function that takes one. The exceptions are parts of the Session itself or
# run inside its writes:
SESSION_PARTS = {
    "gui/session.py": "the Session: it owns the Story and answers the views",
    "gui/reloader.py": "the Session's re-reading of the file after an edit (made by and for the Session)",
    "gui/search_jobs.py": "the Session's searches (made by and for the Session)",
    "gui/commands.py": "the undoable commands: each runs inside story.write and calls one store writer",
    "gui/document_commands.py": "the undoable commands of documents, likewise",
}


def _takes_a_database(module: str, name: str) -> bool:
    """Whether ``module.name`` is a function or class called with a database (a ``db`` parameter)."""
    import importlib
    import inspect

    try:
        thing = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return False
    if not callable(thing):
        return False
    try:
        return "db" in inspect.signature(thing).parameters
    except (TypeError, ValueError):
        return False


def _session_rule_offences(files=None) -> list[str]:
    """Where a gui module touches a connection or a store function that takes one."""
    import ast
    import importlib

    offenders = []
    for path in files or sorted((ROOT / "gui").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        if where in SESSION_PARTS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        store_modules = {}  # local name -> store module, for ``from store import queries``
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "store":
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    try:
                        importlib.import_module(full)
                        store_modules[alias.asname or alias.name] = full
                    except ImportError:
                        if _takes_a_database(node.module, alias.name):
                            offenders.append(f"{where}:{node.lineno} imports {full}, which takes the database")
            elif isinstance(node, ast.Attribute) and node.attr == "db" and not (
                    isinstance(node.value, ast.Name) and node.value.id == "args"):  # args.db: a path typed on the command line
                offenders.append(f"{where}:{node.lineno} reaches for a connection (.db)")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in store_modules:
                if _takes_a_database(store_modules[node.value.id], node.attr):
                    offenders.append(f"{where}:{node.lineno} calls {store_modules[node.value.id]}.{node.attr}, "
                                     "which takes the database")
    return offenders


def test_views_get_data_only_through_the_session():
    assert _session_rule_offences() == []


def test_the_session_rule_sees_a_view_reading_the_file_itself(tmp_path):
    """The check above is not blind: a view calling a query, or a reader of
    the connection, is found."""
    fake = ROOT / "gui" / "_session_probe.py"
    fake.write_text(
        "from store import queries\nfrom store.records import get_meta\n\n"
        "def f(session):\n    return queries.list_actors(session.story.db), get_meta\n",
        encoding="utf-8",
    )
    try:
        found = _session_rule_offences([fake])
        assert "gui/_session_probe.py:2 imports store.records.get_meta, which takes the database" in found
        assert "gui/_session_probe.py:5 calls store.queries.list_actors, which takes the database" in found
        assert "gui/_session_probe.py:5 reaches for a connection (.db)" in found
    finally:
        fake.unlink()
