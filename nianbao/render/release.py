"""What a build gives back while it runs: the heap it no longer needs before MkDocs and Pagefind start
(`release_memory`), and the old site once the new one is in place (`put_in_place`)."""

from __future__ import annotations

import atexit
import ctypes
import gc
import os
import shutil
import subprocess
import sys
from contextlib import suppress
from pathlib import Path


def put_in_place(new: Path, site_dir: Path) -> None:
    """new becomes site_dir. The old site is moved aside and removed by a process of its own (removing
    its ~60,000 files took 10-80 s at 10,000 reports), while this one goes on (Pagefind): the build waits
    for it at its end (finish_removals)."""
    finish_removals()
    old = site_dir.with_name(f".{site_dir.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(new, site_dir)
    if old.exists():
        _REMOVING.append(subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1])", str(old)]))


_REMOVING: list[subprocess.Popen] = []


def finish_removals() -> None:
    """Wait for the old sites put_in_place is removing (the build's end; also at exit)."""
    while _REMOVING:
        _REMOVING.pop().wait()


atexit.register(finish_removals)


def release_memory() -> None:
    """Collect garbage and give the freed heap back to the system (glibc keeps it otherwise), so the
    processes started next (MkDocs, Pagefind) have it."""
    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
