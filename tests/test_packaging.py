"""The app as people install it, checked without building it: what the
bundle takes, the wheel pip and pipx install, the Debian package's desktop
entry and dependencies, the bundle's entry point. (scripts/build-app.sh
builds the real bundle and .deb and scripts/smoke-app.sh installs and runs
them; .ci/run does both after this suite.)"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "bundle"
sys.path.insert(0, str(BUNDLE))

import bundle_contents  # noqa: E402


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}


def test_the_bundle_takes_every_module_of_our_packages_and_resources_whole():
    packages, data = bundle_contents.project_folders()
    assert packages == ["gui", "store"] and data == ["resources"]


def test_the_bundle_takes_every_dependency_and_theirs_but_not_the_test_tools():
    taken = {canonicalize_name(name) for name in bundle_contents.runtime_distributions()}
    assert _declared() <= taken
    theirs = [Requirement(r) for r in metadata.requires("sqlite-utils") or []]
    own = {canonicalize_name(r.name) for r in theirs if not r.marker}  # click, tabulate, ...
    assert own and own <= taken
    assert not {"pytest", "pytest-qt", "hypothesis"} & taken


def test_the_bundle_collects_the_data_of_plain_packages_and_leaves_qt_to_its_hook():
    packages = bundle_contents.data_packages(bundle_contents.runtime_distributions())
    assert {"pyqtgraph", "dateutil", "sqlite_utils", "networkx"} <= set(packages)
    assert not {"PySide6", "shiboken6", "numpy", "pip"} & set(packages)


def test_only_libraries_that_just_the_dropped_plugins_need_are_left_out():
    links = {
        "src/qxcb.so": ["libQt6XcbQpa.so.6", "libxcb-cursor.so.0"],
        "src/libQt6XcbQpa.so.6": ["libQt6Gui.so.6"],
        "src/libQt6Gui.so.6": [],
        "src/libxcb-cursor.so.0": [],
        "src/libgtk-3.so.0": ["libcairo.so.2"],
        "src/libcairo.so.2": [],
    }
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "src/qxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "src/qgtk3.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "src/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "src/libQt6Gui.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "src/libxcb-cursor.so.0", "BINARY"),
        ("libgtk-3.so.0", "src/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "src/libcairo.so.2", "BINARY"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
    ]
    kept = [entry for entry in binaries if not bundle_contents.goes(entry, set())]
    assert ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "src/qgtk3.so", "BINARY") not in kept
    unneeded = bundle_contents.unneeded_libraries(kept, lambda src: [(n, "") for n in links.get(src, [])])
    assert unneeded == {"libgtk-3.so.0", "libcairo.so.2"}
    assert [dest for dest, *_ in kept if not bundle_contents.goes((dest, *_), unneeded)] == [
        "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6", "libxcb-cursor.so.0", "libQt6Gui.so.6",
    ]  # fmt: skip


def test_the_wheel_pip_and_pipx_install_runs_from_anywhere_with_its_resources(tmp_path):
    """A non-editable install has no checkout beside it: the sample story
    and the icon must travel in the wheel, where store/ and gui/ look."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("main.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("store", "gui", "resources"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", str(tmp_path / "wheel"), str(src)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "wheel").glob("threadline-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    resources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert resources and resources <= names
    assert "main.py" in names

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import main, store.sample, gui.launch\n"
        f"assert all(m.__file__.startswith({str(site)!r}) for m in (main, store.sample, gui.launch)), main.__file__\n"
        "sys.exit(main.main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(*args):
        return subprocess.run([sys.executable, "-I", "-c", script, *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=120)

    helped = run("--help")
    assert helped.returncode == 0 and "export-png" in helped.stdout, helped.stderr
    written = run("sample", "--out", "story.db")
    assert written.returncode == 0, written.stderr
    info = run("info", "story.db", "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["events"] > 20


def _desktop_entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(text)
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_the_packaged_desktop_entry_starts_the_installed_app_on_a_threadline_file(tmp_path):
    from PySide6.QtCore import QMimeDatabase

    from gui.desktop_entry import desktop_entry_text
    from store.sample import write_sample

    entry = _desktop_entry(desktop_entry_text("/opt/threadline/threadline"))
    assert entry["Type"] == "Application" and entry["Name"] == "Threadline"
    assert entry["Exec"] == "/opt/threadline/threadline open %f"
    assert entry["Icon"] == "threadline" and (ROOT / "resources" / "threadline.svg").is_file()
    # a story file is recognised by its content (SQLite's header), whatever its extension
    opens = entry["MimeType"].rstrip(";").split(";")
    for name in ("story.db", "story.threadline"):
        story = write_sample(tmp_path / name)
        assert QMimeDatabase().mimeTypeForFile(str(story)).name() in opens


def test_a_bundled_apps_install_desktop_names_its_own_executable(monkeypatch):
    from gui.desktop_entry import desktop_entry_text

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert _desktop_entry(desktop_entry_text())["Exec"] == f"{shlex.quote(sys.executable)} open %f"


def test_the_debian_package_depends_on_every_library_qt_needs():
    from gui.platform_check import CORE_LIBS, XCB_LIBS

    fields = dict(line.split(": ", 1) for line in (BUNDLE / "debian" / "control").read_text().splitlines()
                  if line and not line.startswith(" "))
    assert {"Package", "Version", "Architecture", "Maintainer", "Depends", "Description"} <= set(fields)
    depends = {alt.split("(")[0].strip() for item in fields["Depends"].split(",") for alt in item.split("|")}
    assert set(CORE_LIBS.values()) | set(XCB_LIBS.values()) <= depends


def test_the_bundles_entry_runs_commands_and_times_the_first_window(tmp_path):
    """bundle/threadline_entry.py with the spec's search path, as the bundle runs it."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "bench")]), QT_QPA_PLATFORM="offscreen")
    entry = str(BUNDLE / "threadline_entry.py")
    written = subprocess.run([sys.executable, entry, "sample", "--out", "s.db"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr
    probed = subprocess.run([sys.executable, entry], cwd=tmp_path, env=dict(env, THREADLINE_STARTUP_PROBE="s.db"),
                            capture_output=True, text=True, timeout=120)
    assert probed.returncode == 0, probed.stderr
    assert json.loads(probed.stdout)["painted_at"] > 0


def test_the_sample_story_never_lands_in_the_current_folder(tmp_path, monkeypatch):
    """An app started from a file manager may run in its own read-only
    folder: an empty or relative XDG_DATA_HOME means ~/.local/share."""
    from gui.launch import sample_path

    home, here = tmp_path / "home", tmp_path / "app-folder"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("HOME", str(home))
    for value in ("", "relative/share"):
        monkeypatch.setenv("XDG_DATA_HOME", value)
        assert sample_path() == home / ".local" / "share" / "Threadline" / "sample.db"
        assert sample_path().is_file()
    assert list(here.iterdir()) == []
