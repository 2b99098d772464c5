"""One raw report through the stages, without storing it: raw → parse → agency → corrections → checks.

`nianbao parse FILE` and `nianbao check FILE` use it; `nianbao ingest` runs the same stages and stores
the result (ingest.py). The parser reads the document alone; the agency stage here looks its name up in
the registry (data/agencies.yaml, read only: nothing is added) to give the record its id, and leaves the
id `pending` when the report does not say who published it (`agency-uncertain`, `agency-missing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import NianbaoError
from .model import Report

UNDECIDED = ("agency-uncertain", "agency-missing")


def read_report(path: str | Path) -> Report:
    """The record of a raw report as ingest would store it, corrections applied, before the checks."""
    from .corrections import apply_corrections
    from .parse import parse_file

    report = identify(parse_file(path))
    if report.year is not None and report.agency.id != "pending":
        report = apply_corrections(report, paths.correction_path(report.agency.id, report.year))
    return report


def parse_and_check(path: str | Path) -> Report:
    """What `nianbao parse` prints: the record of a raw report with the template's identities checked."""
    from .checks import check_report

    return check_report(read_report(path))


def identify(report: Report) -> Report:
    """The report with the registry's id and spelling of its agency, when the report names one certainly."""
    if any(p.code in UNDECIDED for p in report.problems):
        return report
    from .registry import agency_for_name

    ident, name = agency_for_name(report.agency.name)
    agency = report.agency.model_copy(update={"id": ident, "name": name})
    return report.model_copy(update={"agency": agency})


@dataclass(frozen=True)
class _Stopped:
    why: str


@dataclass(frozen=True)
class _Read:
    json: str  # the record as JSON: a Report's template models do not pickle


def _guarded(path: Path, worker: Callable[[Path], Report]) -> _Read | str:
    try:
        return _Read(worker(path).to_json(indent=None))
    except NianbaoError as exc:
        return str(exc)
    except OSError as exc:
        return f"{path}: cannot read: {exc.strerror or exc}"


def read_reports(files: list[Path], worker: Callable[[Path], Report] = read_report, jobs: int = 0,
                 seconds: float | None = None) -> Iterator[tuple[Path, Report | str]]:
    """Each raw report through `worker` in a worker process, within workers.Pool's memory and time budget
    per file (`seconds`: the time budget, workers.SECONDS_PER_FILE unless given), as ingest reads them:
    (path, its record) or (path, one line saying why not), in order. A file that hangs or bombs fails
    alone; the others go on."""
    from .workers import SECONDS_PER_FILE, Pool

    with Pool(jobs, len(files), "reading", seconds=seconds or SECONDS_PER_FILE) as pool:
        for path, result in zip(files, pool.map(_guarded, files, worker, failed=_Stopped), strict=True):
            if isinstance(result, _Read):
                yield path, Report.model_validate_json(result.json)
            else:
                yield path, f"{path}: {result.why}" if isinstance(result, _Stopped) else result
