"""Jobs in worker processes, each file within a memory and a time budget: results in submission order, a
rich progress bar on stderr only when it is a terminal (CI logs stay clean), and a worker that dies or
runs out of time failing its own file, replaced, while the rest of the batch goes on.

Pebble's process pool stops a job that runs past its timeout and replaces a worker that dies, where the
standard library's pool breaks as a whole. The memory budget is an address-space limit (RLIMIT_AS) set in
each worker when it starts: past it an allocation fails (MemoryError) instead of the machine swapping.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, TimeoutError
from typing import Any

MEMORY_BUDGET = 1024 * 2**20  # bytes of address space a worker may take on top of what it starts with
SECONDS_PER_FILE = 60  # wall-clock time one file's job may run


class Pool:
    """Worker processes (one at least, so every file is bounded), a window of jobs, a progress bar on a TTY."""

    def __init__(self, jobs: int, total: int, label: str = "working", *,
                 memory: int | None = MEMORY_BUDGET, seconds: float | None = SECONDS_PER_FILE):
        self.label = label
        self.jobs = max(1, min(jobs or os.cpu_count() or 1, total))
        self.total, self.bar, self.pool = total, None, None
        self.memory, self.seconds = memory, seconds

    def __enter__(self) -> Pool:
        from pebble import ProcessPool

        if self.total:
            self.pool = ProcessPool(max_workers=self.jobs, initializer=limit_memory, initargs=(self.memory,))
        if self.total > 1 and sys.stderr.isatty():  # no bar in CI logs
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.stop()
            self.pool.join()

    def submit(self, fn, *args):
        """fn(*args) in a worker, with no time limit (a job that writes must finish)."""
        return self.pool.schedule(fn, args=args)

    def wait(self, future) -> None:
        if isinstance(future, Future):
            result_of(future, None)

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any, failed: Callable[[str], Any]):
        """fn(item, *args) for every item, in order, a few per core in flight, each within the time budget;
        advances the progress bar."""
        window: list[Any] = []
        pending = iter(items)
        for item in pending:
            window.append(self.pool.schedule(fn, args=(item, *args), timeout=self.seconds))
            if len(window) >= self.jobs * 4:
                break
        while window:
            result = result_of(window.pop(0), failed, self.seconds)
            if self.bar is not None:
                self.bar.advance(self.task)
            yield result
            nxt = next(pending, None)
            if nxt is not None:
                window.append(self.pool.schedule(fn, args=(nxt, *args), timeout=self.seconds))


def limit_memory(budget: int | None) -> None:
    """Worker initializer: the address space this process holds now plus `budget`, as its hard ceiling."""
    if budget is None:
        return
    import resource

    try:
        with open("/proc/self/statm") as f:
            held = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not Linux: the budget alone
        held = 0
    limit = held + budget
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def result_of(item: Any, failed: Callable[[str], Any] | None, seconds: float | None = None) -> Any:
    """A job's result. A job past its time, or a worker that died, fails its file, not the batch."""
    if not isinstance(item, Future):
        return item
    try:
        return item.result()
    except TimeoutError:
        limit = f"{seconds:g} s" if seconds else "its time"
        why = f"refused: reading it took more than {limit}, the limit for one file (the worker was stopped)"
    except MemoryError:
        why = "refused: it needs more memory than one file may take (the worker's limit)"
    except Exception as exc:
        code = getattr(exc, "exitcode", None)
        if code is not None:  # pebble's ProcessExpired: the worker died on this file
            how = f"killed by {_signal_name(-code)}" if code < 0 else f"exit code {code}"
            why = f"the worker process failed: it died on this file ({how}; out of memory?)"
        else:
            why = f"the worker process failed ({type(exc).__name__}: {exc})"[:300]
    return None if failed is None else failed(why)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
