"""One raw report through the stages, without storing it: raw → parse → agency → corrections → checks.

`nianbao parse FILE` and `nianbao check FILE` use it; `nianbao ingest` runs the same stages and stores
the result (ingest.py). The parser reads the document alone; the agency stage here looks its name up in
the registry (data/agencies.yaml, read only: nothing is added) to give the record its id, and leaves the
id `pending` when the report does not say who published it (`agency-uncertain`, `agency-missing`).
"""

from __future__ import annotations

from pathlib import Path

from . import paths
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
