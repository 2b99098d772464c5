"""Load every record and the registry: the input of tidy, render and the downloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from . import paths
from .errors import RecordError
from .model import Report
from .registry import AgencyEntry, load_agencies


@dataclass
class Dataset:
    reports: list[Report]  # sorted by (agency id, year)
    agencies: dict[str, AgencyEntry]
    errors: list[str] = field(default_factory=list)  # records that could not be loaded (one line each)

    def by_agency(self) -> dict[str, list[Report]]:
        out: dict[str, list[Report]] = {}
        for r in self.reports:
            out.setdefault(r.agency.id, []).append(r)
        return out


def load_record(path: Path) -> Report:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RecordError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None) from None
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RecordError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}", path) from None


def load_dataset(records_dir: Path | None = None, agencies_path: Path | None = None) -> Dataset:
    """Every record under records_dir; a broken record is listed in `errors`, never stops the rest."""
    records_dir = records_dir or paths.RECORDS
    reports: list[Report] = []
    errors: list[str] = []
    for path in sorted(records_dir.glob("*/*.yaml")):
        try:
            reports.append(load_record(path))
        except RecordError as exc:
            errors.append(str(exc))
    reports.sort(key=lambda r: (r.agency.id, r.year or 0))
    return Dataset(reports=reports, agencies=load_agencies(agencies_path), errors=errors)
