"""Declared corrections of known errors in a source: data/corrections/<agency-id>/<year>.yaml.

A corrections file is a list of `{path: requests.granted.total, value: 7, reason: "..."}`. They are
applied on every ingest to the freshly parsed record, so re-ingesting never loses them, and each one
is kept in `report.corrections` (with the original value) and marked by an info problem `corrected`.

A value is typed like the cell it replaces: a count is a whole number ≥ 0 (本年增/减 may be negative), an
amount a decimal number ≥ 0, and `null` blanks a cell; `true`, `"7"` or `-5` are refused with file and
line. A report whose declared corrections are refused or not applied is not published (`held_back`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import paths
from . import template as T
from .errors import RegistryError
from .model import Correction, Problem, Report
from .yamlsafe import load_yaml

_TABLES = ("proactive", "requests", "appeals")
_AMOUNTS = frozenset(c for rows in T.PROACTIVE_ROWS.values() for row in rows for c in row.decimal)
_SIGNED = frozenset({"change"})  # 本年增/减: a count of items that can fall


class CorrectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$", description="requests.granted.total")
    value: Any
    reason: str = Field(min_length=1)
    line: int | None = Field(default=None, exclude=True)


def load_corrections(path: Path) -> list[CorrectionSpec]:
    """The corrections in path (none when it does not exist); a bad entry raises, naming file and line."""
    if not path.exists():
        return []
    data, node = load_yaml(path, RegistryError)
    if data is None:
        return []
    if not isinstance(data, list):
        raise RegistryError("expected a list of {path, value, reason}", path, 1)
    out = []
    for i, item in enumerate(data):
        line = node.value[i].start_mark.line + 1
        if not isinstance(item, dict):
            raise RegistryError(f"correction #{i + 1}: expected {{path, value, reason}}", path, line)
        if "value" not in item:
            raise RegistryError(f"correction #{i + 1}: value is missing (write value: null to blank a cell)", path, line)
        try:
            spec = CorrectionSpec.model_validate({**item, "line": line})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise RegistryError(f"correction #{i + 1}: {'.'.join(map(str, first['loc']))}: {first['msg']}", path, line) from None
        wrong = _type_fault(spec)
        if wrong:
            raise RegistryError(f"correction #{i + 1}: {spec.path}: {wrong}", path, line)
        out.append(spec)
    return out


def _type_fault(spec: CorrectionSpec) -> str | None:
    """Why the value cannot stand in a table cell at spec.path (None when it can, or is not a cell)."""
    parts = spec.path.split(".")
    value = spec.value
    if parts[0] not in _TABLES or value is None:
        return None
    column = parts[-1]
    if column in _AMOUNTS:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
        expected = "an amount is a decimal number ≥ 0"
    else:
        ok = isinstance(value, int) and not isinstance(value, bool) and (value >= 0 or column in _SIGNED)
        expected = "a count is a whole number" + ("" if column in _SIGNED else " ≥ 0")
    if ok:
        return None
    if isinstance(value, str):
        return f"{expected}, not the text {value!r} (write numbers without quotes)"
    shown = "true" if value is True else "false" if value is False else repr(value)
    return f"{expected}, not {shown}"


def apply_corrections(report: Report, path: Path) -> Report:
    """The report with the corrections in path applied and recorded; unchanged when there are none."""
    specs = load_corrections(path)
    if not specs:
        return report
    data = report.to_data()
    done: list[dict[str, Any]] = [c.model_dump() for c in report.corrections]
    problems: list[dict[str, Any]] = list(data["problems"])
    for spec in specs:
        parent, key = _locate(data, spec, path)
        original = parent[key]
        parent[key] = spec.value
        done.append(Correction(path=spec.path, value=spec.value, original=original, reason=spec.reason).model_dump())
        problems.append(_problem(spec, original).model_dump())
    data["corrections"] = done
    data["problems"] = problems
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        spec = next((s for s in specs if s.path.split(".")[0] == str(first["loc"][0])), specs[0])
        raise RegistryError(f"{spec.path}: {first['msg']} (value {spec.value!r})", path, spec.line) from None


def _locate(data: dict[str, Any], spec: CorrectionSpec, path: Path) -> tuple[dict[str, Any], str]:
    parts = spec.path.split(".")
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            what = ".".join(parts[: depth + 1])
            raise RegistryError(f"{spec.path}: the record has no {what} (null or not a field)", path, spec.line)
    if not isinstance(node, dict) or parts[-1] not in node:
        raise RegistryError(f"{spec.path}: the record has no such field", path, spec.line)
    return node, parts[-1]


def _problem(spec: CorrectionSpec, original: Any) -> Problem:
    parts = spec.path.split(".")
    table = parts[0] if parts[0] in _TABLES else None
    return Problem(
        code="corrected",
        severity="info",
        message=f"已更正 {spec.path}：{original} → {spec.value}（{spec.reason}）",
        table=table,
        row=parts[1] if table and len(parts) > 2 else None,
        column=parts[-1] if table and len(parts) > 2 else None,
    )



# Publishing only records that stand corrected ----------------------------------------------------------


def stands(report: Report, specs: list) -> bool:
    """Whether the record holds exactly the corrections its file declares (the store check asks it too)."""
    return [(s.path, s.value, s.reason) for s in specs] == [(c.path, c.value, c.reason) for c in report.corrections]


def unapplied(report: Report) -> str | None:
    """Why the record does not stand corrected as data/corrections declares (None when it does): its
    corrections file is refused, or declares other corrections than the record holds."""
    if report.year is None:
        return None
    path = paths.correction_path(report.agency.id, report.year)
    if not report.corrections and not path.exists():
        return None
    key = f"{report.agency.id}/{report.year}"
    try:
        specs = load_corrections(path)
    except RegistryError as exc:
        return f"{exc}; {key} is held back until its corrections apply (更正未生效)"
    if not stands(report, specs):
        return (f"{path}: the record of {key} does not hold the corrections declared here; ingest the report "
                f"again to apply them ({key} is held back: 更正未生效)")
    return None


def held_back(reports: list[Report]) -> tuple[list[Report], list[str]]:
    """(the reports that stand corrected, one line for each report held back)."""
    kept, lines = [], []
    for report in reports:
        why = unapplied(report)
        if why is None:
            kept.append(report)
        else:
            lines.append(why)
    return kept, lines
