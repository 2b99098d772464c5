"""Declared corrections of known errors in a source: data/corrections/<agency-id>/<year>.yaml.

A corrections file is a list of `{path: requests.granted.total, value: 7, reason: "..."}`. They are
applied on every ingest to the freshly parsed record, so re-ingesting never loses them, and each one
is kept in `report.corrections` (with the original value) and marked by an info problem `corrected`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import RegistryError
from .model import Correction, Problem, Report

_TABLES = ("proactive", "requests", "appeals")


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
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise RegistryError("expected a list of {path, value, reason}", path, 1)
    out = []
    for i, item in enumerate(data):
        line = node.value[i].start_mark.line + 1 if isinstance(node, yaml.SequenceNode) else None
        if not isinstance(item, dict):
            raise RegistryError(f"correction #{i + 1}: expected {{path, value, reason}}", path, line)
        if "value" not in item:
            raise RegistryError(f"correction #{i + 1}: value is missing (write value: null to blank a cell)", path, line)
        try:
            out.append(CorrectionSpec.model_validate({**item, "line": line}))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise RegistryError(f"correction #{i + 1}: {'.'.join(map(str, first['loc']))}: {first['msg']}", path, line) from None
    return out


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

