"""Load every record and the registry: the input of tidy, render and the downloads.

The committed records are YAML; PyYAML takes ~5 ms to read one, Pydantic's JSON reader 0.1 ms. So each
record, once validated, is also kept as JSON under build/cache/records/, named by the hash of its path,
size, modification time and the record schema: a record whose file changed gets a new name and is read
from YAML again. Records missing from the cache are read on all cores.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from . import paths
from .corrections import held_back
from .errors import RecordError
from .model import Report, json_schema_text, record_order
from .registry import AgencyEntry, load_agencies
from .yamlsafe import load_data

CACHE_FORMAT = "1"  # bump when the cached form changes (the schema's own changes are in the key already)
PARALLEL_FROM = 200  # records to read from YAML before it pays to start worker processes


@dataclass
class Dataset:
    reports: list[Report]  # sorted by (agency id, year)
    agencies: dict[str, AgencyEntry]
    errors: list[str] = field(default_factory=list)  # records that could not be loaded (one line each)

    def standing_corrected(self) -> Dataset:
        """The dataset without the reports whose declared corrections are refused or not applied (更正未生效),
        each held back with one line in `errors`."""
        reports, refused = held_back(self.reports)
        return Dataset(reports=reports, agencies=self.agencies, errors=self.errors + refused)

    def by_agency(self) -> dict[str, list[Report]]:
        out: dict[str, list[Report]] = {}
        for r in self.reports:
            out.setdefault(r.agency.id, []).append(r)
        return out


def load_record(path: Path) -> Report:
    data = load_data(path, RecordError)
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RecordError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}", path) from None


# The JSON cache ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _schema_key() -> str:
    return hashlib.sha256(f"{CACHE_FORMAT}\0{json_schema_text()}".encode()).hexdigest()[:16]


def cache_name(path: Path) -> str:
    """The cache file name of a record file as it is now (path, size, mtime_ns and the schema)."""
    st = path.stat()
    key = f"{_schema_key()}\0{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}"
    return hashlib.sha256(key.encode()).hexdigest()[:32] + ".json"


def _cache_dir(records_dir: Path) -> Path:
    return paths.BUILD_CACHE / "records" / hashlib.sha256(str(records_dir.resolve()).encode()).hexdigest()[:16]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _read_yaml_to_cache(job: tuple[str, str]) -> tuple[str | None, str | None]:
    """Worker: one record from YAML, written to the cache as JSON; (json, None) or (None, error)."""
    path, cached = job
    try:
        text = load_record(Path(path)).model_dump_json()
    except RecordError as exc:
        return None, str(exc)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        _write_atomic(Path(cached), text)
    return text, None


def _jobs(jobs: int | None) -> int:
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def load_dataset(records_dir: Path | None = None, agencies_path: Path | None = None, *,
                 cache: bool = True, jobs: int | None = None, hold_back: bool = True) -> Dataset:
    """Every record under records_dir; a broken record is listed in `errors`, never stops the rest.
    hold_back: leave out the records whose declared corrections do not stand (the store check wants them all)."""
    records_dir = records_dir or paths.RECORDS
    files = sorted(records_dir.glob("*/*.yaml"))
    reports: list[Report] = []
    errors: list[str] = []
    if not cache:
        for path in files:
            try:
                reports.append(load_record(path))
            except RecordError as exc:
                errors.append(str(exc))
    else:
        cache_dir = _cache_dir(records_dir)
        cache_dir.mkdir(parents=True, exist_ok=True)
        names = [cache_name(p) for p in files]
        misses: list[tuple[str, str]] = []
        for path, name in zip(files, names, strict=True):
            try:
                reports.append(Report.model_validate_json((cache_dir / name).read_bytes()))
            except (FileNotFoundError, ValidationError, ValueError):
                misses.append((str(path), str(cache_dir / name)))
        workers = min(_jobs(jobs), max(1, len(misses) // PARALLEL_FROM))
        if workers > 1:
            # forkserver, not fork: a process with threads (a test's web server, a browser driver) may hold a
            # lock at the moment of a fork, and the forked worker would wait for it forever.
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
                results = list(pool.map(_read_yaml_to_cache, misses, chunksize=64))
        else:
            results = [_read_yaml_to_cache(job) for job in misses]
        for text, error in results:
            if error is not None:
                errors.append(error)
            else:
                reports.append(Report.model_validate_json(text))
        keep = set(names)
        for old in cache_dir.glob("*.json"):  # records that changed or went away
            if old.name not in keep:
                old.unlink(missing_ok=True)
    reports.sort(key=record_order)
    dataset = Dataset(reports=reports, agencies=load_agencies(agencies_path), errors=errors)
    return dataset.standing_corrected() if hold_back else dataset
