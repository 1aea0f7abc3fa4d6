"""Where Threadline keeps what belongs to the user, not to a story.

The sample story, the key that authenticates caches and (through Qt's
settings) the preferences live in the user's own data folder, never beside
the app: an installed or unpacked app may sit in a read-only folder or on a
removable drive. Plain paths, no Qt, so the store and the window agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_data_dir() -> Path:
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = xdg_data_home()
    return base / "Threadline"


def xdg_data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative
    (as the XDG spec says): never the current folder, which for an app
    started from a file manager may be the app's own, read-only folder."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"
