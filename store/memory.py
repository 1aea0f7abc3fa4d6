"""Giving memory freed by big temporary arrays back to the system (glibc).

A load or an index build makes temporaries many times the arrays it keeps.
glibc serves big allocations from separate mappings, returned when freed,
but only above a threshold that it raises (up to 32 MB) each time such a
mapping is freed; after the first big free, later temporaries land on the
heap, and freed heap memory stays resident. ``malloc_trim`` returns it;
call it after big work. Elsewhere (macOS, Windows, musl) this does nothing.

(A fixed, low threshold would avoid the heap altogether, but then every
frame's few-MB arrays are fresh mappings: page faults doubled frame times.)
"""

from __future__ import annotations

import ctypes
import ctypes.util

_malloc_trim = None


def release_free_memory() -> None:
    """Give memory freed by big temporary arrays back to the system."""
    global _malloc_trim
    if _malloc_trim is None:
        _malloc_trim = False
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _malloc_trim = libc.malloc_trim
        except (OSError, AttributeError):
            pass
    if _malloc_trim:
        _malloc_trim(0)
