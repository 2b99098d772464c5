"""What reading one table gives: its cells, the problems met, and where in the text it lies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Problem
from .text import Doc


@dataclass
class TableResult:
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    start: int | None = None  # text offsets the table covers
    end: int | None = None
    hints_used: dict[str, Any] = field(default_factory=dict)
    row_lines: dict[str, int] = field(default_factory=dict)  # row key → source line of its label
    spans: dict[str, str] = field(default_factory=dict)  # row key → where its figures were read (parse/spans.py)


def make_problem(doc: Doc, code: str, message: str, offset: int | None, severity: str = "warning", **kw: Any) -> Problem:
    line = doc.line_of(offset) if offset is not None else None
    return Problem(code=code, severity=severity, message=message, line=line, **kw)  # type: ignore[arg-type]


def printed_text(doc: Doc, start: int, end: int, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", doc.text[start:end]).strip()
    return text[:limit]
