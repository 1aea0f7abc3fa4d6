"""What goes into the bundle, decided by package rather than by module, so
that new modules and new dependencies need no edit (used by threadline.spec;
plain Python, so the tests can check it without PyInstaller)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

# Qt (PySide6/shiboken6) and numpy have PyInstaller hooks of their own that
# take only the Qt modules and plugins the code imports; collecting them whole
# would add 200 MB of Qt nobody uses.
HOOKED = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6", "numpy"}
# Installers some packages depend on (sqlite-utils: pip); no data of theirs is used.
TOOLS = {"pip", "setuptools", "wheel"}

# Never needed at run time; some are optional imports of pyqtgraph or numpy.
EXCLUDES = [
    "tkinter", "_tkinter", "test", "idlelib", "pydoc_data", "lib2to3", "ensurepip", "venv",
    "pytest", "_pytest", "pytestqt", "hypothesis", "IPython", "jupyter_rfb", "matplotlib", "scipy",
    "PyQt5", "PyQt6", "PySide2", "OpenGL", "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter",
    "setuptools", "pkg_resources", "pip", "numpy.f2py", "numpy.distutils",
]  # fmt: skip

# Qt parts a desktop app on Linux does not load: the GTK theme (it would bring
# a private copy of GTK, cairo and pango; the xdg-desktop-portal theme follows
# the desktop's light/dark and file dialogs without them), embedded and kiosk
# platforms, raw input devices, image formats we neither read nor write. Qt's
# translations of its own dialogs go too: the app's text is English, and
# half-translated dialogs read worse than none.
DROPPED = (
    "PySide6/Qt/translations/", "PySide6/Qt/plugins/platformthemes/libqgtk3", "PySide6/Qt/plugins/egldeviceintegrations/",
    "PySide6/Qt/plugins/generic/", "PySide6/Qt/plugins/networkinformation/", "PySide6/Qt/plugins/platforms/libqeglfs",
    "PySide6/Qt/plugins/platforms/libqlinuxfb", "PySide6/Qt/plugins/platforms/libqminimalegl",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay", "PySide6/Qt/plugins/platforms/libqvnc",
    "PySide6/Qt/plugins/imageformats/libqtiff", "PySide6/Qt/plugins/imageformats/libqwebp",
    "PySide6/Qt/plugins/imageformats/libqtga", "PySide6/Qt/plugins/imageformats/libqwbmp",
    "PySide6/Qt/plugins/imageformats/libqicns",
)  # fmt: skip


def project_folders(pyproject: Path = ROOT / "pyproject.toml") -> tuple[list[str], list[str]]:
    """The checkout's own top-level folders that pyproject.toml installs,
    as (Python packages, folders of data): every module of the first is
    bundled, even those only imported by name; the second go in whole."""
    setuptools = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("setuptools", {})
    find = setuptools.get("packages", {})
    patterns = find.get("find", {}).get("include", []) if isinstance(find, dict) else list(find)
    names = sorted({pattern.split(".")[0].rstrip("*") for pattern in patterns} - {""})
    packages = [n for n in names if (ROOT / n / "__init__.py").is_file()]
    data = [n for n in names if (ROOT / n).is_dir() and n not in packages]
    return packages, data


def runtime_distributions(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The project's dependencies and all of theirs, as installed here, with
    the extras each asks for (``lxml[html_clean]``); other extras and other
    platforms' requirements left out."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    todo = [(Requirement(r), "") for r in project.get("dependencies", [])]
    seen: dict[str, str] = {}
    done: set[tuple[str, str]] = set()
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        key = canonicalize_name(requirement.name)
        extras = {""} | {canonicalize_name(e) for e in requirement.extras}
        if all((key, e) in done for e in extras):
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.metadata["Name"]
        for wanted in extras - {e for k, e in done if k == key}:
            done.add((key, wanted))
            todo.extend((Requirement(r), wanted) for r in dist.requires or [])
    return sorted(seen.values(), key=str.lower)


def data_packages(distributions: list[str]) -> list[str]:
    """The importable top-level packages of ``distributions`` whose data
    files the bundle collects (those PyInstaller's own hooks handle left out)."""
    wanted = {canonicalize_name(d) for d in distributions} - HOOKED - TOOLS
    return sorted(
        package
        for package, dists in metadata.packages_distributions().items()
        if not package.startswith("_") and wanted & {canonicalize_name(d) for d in dists}
    )


def dropped(dest: str) -> bool:
    return dest.replace("\\", "/").startswith(DROPPED)


def shared_library(dest: str) -> bool:
    """A library other binaries link to (not a Python module, a Qt plugin or
    libpython), kept only while something kept needs it."""
    path = Path(dest.replace("\\", "/"))
    return (path.name.startswith("lib") and ".so" in path.name and not path.name.startswith("libpython")
            and path.parent.as_posix() in (".", "PySide6/Qt/lib"))


def unneeded_libraries(binaries, imports_of) -> set[str]:
    """Destinations of the shared libraries in ``binaries`` (PyInstaller's
    (dest, src, kind) entries) that no other kept binary needs, following
    ``imports_of(src)`` -> [(soname, path), ...]: the ones only dropped
    plugins needed."""
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    libraries = {Path(dest).name: src for dest, src, _kind in files if shared_library(dest)}
    todo = [src for dest, src, _kind in files if not shared_library(dest)]
    needed: set[str] = set()
    while todo:
        for name, _path in imports_of(todo.pop()):
            name = Path(name).name
            if name in libraries and name not in needed:
                needed.add(name)
                todo.append(libraries[name])
    return {Path(dest).as_posix() for dest, _src, _kind in files if shared_library(dest) and Path(dest).name not in needed}


def goes(entry, unneeded: set[str]) -> bool:
    """Whether a (dest, src, kind) entry is left out of the bundle: dropped,
    unneeded, or PyInstaller's link in the top folder to an unneeded library."""
    dest, src, kind = entry
    if dropped(dest) or Path(dest).as_posix() in unneeded:
        return True
    if kind != "SYMLINK":
        return False
    target = (Path(dest).parent / src).as_posix()
    return Path(src).as_posix() in unneeded or str(Path(target)) in unneeded


def python_without_debug_info(binaries, python_prefix: str, workdir: Path, strip: str):
    """``binaries`` with Python's own libraries (libpython, lib-dynload) as
    copies without their debug info, when the Python they come from was built
    with it (a self-built or pyenv Python: libpython is 23 MB, 6 MB without).
    Only Python's: other packages' libraries may be patched (auditwheel) in
    ways strip damages, and the wheels ship them stripped already."""
    import shutil
    import subprocess

    prefix = Path(python_prefix).resolve()
    out = []
    for dest, src, kind in binaries:
        path = Path(src).resolve()
        ours = prefix in path.parents and (path.name.startswith("libpython") or "lib-dynload" in path.parts)
        if kind != "SYMLINK" and ours:
            copy = workdir / "stripped" / dest
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            if subprocess.run([strip, "--strip-debug", str(copy)], capture_output=True).returncode == 0:
                src = str(copy)
        out.append((dest, src, kind))
    return out
