"""Say clearly which system library or display is missing, before Qt aborts.

Qt's own failure is an abort with a long trace that names a plugin, not the
Debian package a person needs. This module imports nothing from Qt: it
tries to load each shared library the chosen platform needs with ctypes and
maps the missing ones to package names. Run as a script by test.sh/run.sh.
"""

from __future__ import annotations

import ctypes
import os
import sys

# library soname -> Debian/Ubuntu package that ships it
CORE_LIBS = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
}
XCB_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def missing_packages(platform: str) -> list[str]:
    """Debian packages whose libraries cannot be loaded (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    libs = dict(CORE_LIBS)
    if platform == "xcb":
        libs.update(XCB_LIBS)
    missing = []
    for soname, package in libs.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(package)
    return missing


def chosen_platform() -> str:
    explicit = os.environ.get("QT_QPA_PLATFORM", "")
    if explicit:
        return explicit.split(":")[0]
    if sys.platform.startswith("linux"):
        return "wayland" if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY") else "xcb"
    return "native"


def problem(platform: str | None = None) -> str | None:
    """One sentence saying what stops Qt from starting here, or None."""
    platform = platform or chosen_platform()
    if sys.platform.startswith("linux") and platform == "xcb" and not os.environ.get("DISPLAY"):
        return (
            "No display found (DISPLAY is not set): run Threadline in a desktop session, "
            "or use headless commands such as 'threadline export-png' (see --help)."
        )
    missing = missing_packages(platform)
    if missing:
        return (
            f"Qt cannot start because system libraries are missing; install them with: "
            f"sudo apt-get install {' '.join(missing)}"
        )
    return None


if __name__ == "__main__":
    message = problem(sys.argv[1] if len(sys.argv) > 1 else None)
    if message:
        print(message, file=sys.stderr)
        sys.exit(3)
