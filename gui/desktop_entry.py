"""``threadline install-desktop``: a menu entry that opens .db files.

Writes a freedesktop ``.desktop`` file and the icon into the user's own
folders (nothing system-wide, no root needed); ``uninstall-desktop`` removes
exactly those files. The window sets the same desktop file name, so the
desktop shows the app's icon for it.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from store.user_folders import xdg_data_home

from .launch import APP_ID

ROOT = Path(__file__).resolve().parent.parent


def _data_home() -> Path:
    return xdg_data_home()


def entry_path() -> Path:
    return _data_home() / "applications" / f"{APP_ID}.desktop"


def icon_path() -> Path:
    return _data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def launcher() -> str:
    """The command that starts this Threadline: the bundle's own executable
    when frozen (PyInstaller), else this Python running this main.py."""
    if getattr(sys, "frozen", False):
        return shlex.quote(sys.executable)
    return " ".join(shlex.quote(str(p)) for p in (sys.executable, ROOT / "main.py"))


def desktop_entry_text(command: str | None = None) -> str:
    """The entry's text; ``command`` starts Threadline (default: ``launcher()``;
    the Debian package gives its installed path)."""
    command = command or launcher()
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Threadline",
            "GenericName=Timeline and relationship explorer",
            "Comment=Explore events and actors on a timeline linked to a relationship graph",
            f"Exec={command} open %f",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;Education;Science;",
            "MimeType=application/vnd.sqlite3;application/x-sqlite3;",
            f"StartupWMClass={APP_ID}",
            "",
        ]
    )


def install_desktop() -> list[str]:
    if not sys.platform.startswith("linux"):
        return ["install-desktop writes freedesktop menu entries (Linux); see the README for macOS and Windows."]
    entry, icon = entry_path(), icon_path()
    entry.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry_text(), encoding="utf-8")
    icon.write_bytes((ROOT / "resources" / "threadline.svg").read_bytes())
    return [f"wrote {entry}", f"wrote {icon}"]


def uninstall_desktop() -> list[str]:
    removed = []
    for path in (entry_path(), icon_path()):
        if path.exists():
            path.unlink()
            removed.append(f"removed {path}")
    return removed or ["nothing to remove"]
