"""Jobs on all cores: a process pool (plain calls with one job), results in submission order, a rich
progress bar on stderr only when it is a terminal (CI logs stay clean), and a worker that dies failing
its own jobs instead of the whole run."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any


class Pool:
    """A process pool (or, with one job, plain calls), a bounded window of jobs, a progress bar on a TTY."""

    def __init__(self, jobs: int, total: int, label: str = "working"):
        self.label = label
        self.jobs = max(1, min(jobs or os.cpu_count() or 1, total))
        self.total, self.bar, self.pool = total, None, None

    def __enter__(self) -> Pool:
        if self.jobs > 1:
            self.pool = ProcessPoolExecutor(max_workers=self.jobs)
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
            self.pool.shutdown(cancel_futures=exc[0] is not None)

    def submit(self, fn, *args):
        return self.pool.submit(fn, *args) if self.pool else fn(*args)

    def wait(self, future) -> None:
        if isinstance(future, Future):
            result_of(future, None)

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any, failed: Callable[[str], Any]):
        """fn(item, *args) for every item, in order, a few per core in flight; advances the progress bar."""
        window: list[Any] = []
        pending = iter(items)
        for item in pending:
            window.append(self.submit(fn, item, *args))
            if len(window) >= self.jobs * 4:
                break
        while window:
            result = result_of(window.pop(0), failed)
            if self.bar is not None:
                self.bar.advance(self.task)
            yield result
            nxt = next(pending, None)
            if nxt is not None:
                window.append(self.submit(fn, nxt, *args))


def result_of(item: Any, failed: Callable[[str], Any] | None) -> Any:
    """A job's result; a worker that died (killed, out of memory) fails its file, not the batch."""
    if not isinstance(item, Future):
        return item
    try:
        return item.result()
    except Exception as exc:
        if failed is None:
            return None
        return failed(f"the worker process failed ({type(exc).__name__}: {exc})"[:300])
