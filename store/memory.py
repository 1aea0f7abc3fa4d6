"""Keeping resident memory close to what the process holds (glibc).

A load or an index build makes temporaries many times the arrays it keeps,
and a big file loads on worker threads. Two glibc habits made a settled
1M-event window cost anywhere from 40 to 60 MiB from run to run:

* each thread that allocates while another does gets an arena of its own,
  and memory freed in those arenas largely stayed resident, even after
  ``malloc_trim``. ``tune_allocator`` (at start, before any thread) keeps
  every thread in one arena: the few threads here allocate big blocks
  rarely, so they hardly wait on each other;
* freed heap memory stays resident for reuse; ``release_free_memory``
  (``malloc_trim``) returns it after big work. It holds the allocator's
  lock while it walks the heap (up to ~50 ms), so a GUI can have trims
  asked for on worker threads handed to it (``defer_worker_trims``) and
  run them on its own thread when the user pauses, not mid-frame.

(A fixed, low mmap threshold was also tried: every frame's few-MB arrays
became fresh mappings, and page faults doubled frame times.)
Elsewhere (macOS, Windows, musl) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Callable

M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h

_libc = None
_worker_trims: Callable[[], None] | None = None


def _glibc():
    """The C library when it has glibc's malloc_trim and mallopt, else None (looked up once)."""
    global _libc
    if _libc is None:
        _libc = False
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
                _libc = libc
        except OSError:
            pass
    return _libc or None


def tune_allocator() -> bool:
    """One malloc arena for every thread. True if applied."""
    libc = _glibc()
    return bool(libc and libc.mallopt(M_ARENA_MAX, 1))


def defer_worker_trims(request: Callable[[], None] | None) -> None:
    """From now on a trim asked for on a thread other than the main one
    calls ``request`` (from that thread) instead; None trims there again."""
    global _worker_trims
    _worker_trims = request


def release_free_memory() -> None:
    """Give memory freed by big temporary arrays back to the system."""
    if _worker_trims is not None and threading.current_thread() is not threading.main_thread():
        _worker_trims()
        return
    libc = _glibc()
    if libc:
        libc.malloc_trim(0)
