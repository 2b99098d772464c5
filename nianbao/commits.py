"""Store jobs in flight and their group commits: the main process's half of ingest's store step.

Workers stage each report's files (nianbao.store.stage); this commits them in groups, each group with the
registry entries of its agencies, all or nothing. Committing per report would rewrite the registry once
per new agency (quadratic at 10,000 reports); a group of 64 keeps that small and the store never holds a
record whose agency the registry lacks.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from . import paths, store
from .registry import AgencyEntry, registry_text
from .workers import result_of

if TYPE_CHECKING:
    from .ingest import Outcome


class Commits:
    """Store jobs in flight, committed together (one journal, one registry write) every GROUP reports,
    before a second file of one of their reports, and at the end. Only an agency with a record committed
    enters the registry, in the same commit as its record."""

    GROUP = 64

    def __init__(self, agencies: dict[str, AgencyEntry]):
        self.agencies = agencies  # as planned (new agencies included)
        self.saved = dict(agencies)  # as data/agencies.yaml holds it
        self.pending: list[tuple[Outcome, AgencyEntry, Future | Any]] = []

    def __enter__(self) -> Commits:
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        if exc_type is None:
            self.flush()

    @property
    def keys(self) -> set[str]:
        return {o.key for o, _, _ in self.pending if o.key}

    def staged_record(self, key: str) -> str | None:
        """The staged record of key when a pending job stages one (after waiting for that job)."""
        for outcome, _, future in self.pending:
            if outcome.key == key:
                item = result_of(future, _store_failed)[3]
                agency_id, year = key.split("/")
                target = paths.record_path(agency_id, int(year)).relative_to(paths.DATA).as_posix()
                return next((f"{item.folder}/{name}" for name, dst in item.moves if dst == target), None) if item else None
        return None

    def add(self, outcome: Outcome, entry: AgencyEntry, future: Future | Any) -> None:
        self.pending.append((outcome, entry, future))
        if len(self.pending) >= self.GROUP:
            self.flush()

    def flush(self) -> None:
        registry = dict(self.saved)
        staged: list[tuple[Outcome, store.Staged]] = []
        for outcome, entry, future in self.pending:
            outcome.status, outcome.problems, error, item = result_of(future, _store_failed)
            if error:
                outcome.reason = "; ".join(filter(None, (outcome.reason, error)))
                print(f"nianbao: {outcome.file}: {error}", file=sys.stderr, flush=True)
            if outcome.status == "refused":
                continue
            registry[entry.id] = self.agencies.get(entry.id, entry)
            if item is not None:
                staged.append((outcome, item))
        self.pending.clear()
        changed = registry != self.saved
        if staged or changed:
            kept = store.commit([i for _, i in staged], registry_text(registry) if changed else None)
            for (outcome, item), folder in zip(staged, kept, strict=True):
                if folder:
                    outcome.reason = (f"replaced the source it held (kept in data/{folder}; "
                                      f"`nianbao undo {outcome.key}`){item.note}")
        self.saved = registry


def _store_failed(why: str) -> tuple[str, int, str, None]:
    return "refused", 0, why, None


def _store_failed(why: str) -> tuple[str, int, str, None]:
    return "refused", 0, why, None
