"""What a reader must know beside each figure: its state, and the checks its report fails.

One place for both, so the report page, the agency page's table and charts, compare and quality all
derive them from the same problem list and severities:

- a report's standing is its worst problem: an error (a missing table, a failed identity) fails it, a
  warning (an unreadable cell) asks for care, an info hint is not a failure and never shown red;
- a figure is a number, or 未提供 (the report does not give it), or 无法识别 (printed, but unreadable or
  ambiguous: the problem keeps the printed text and its line), or 不适用 (a rate whose denominator is 0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .. import template as T
from ..analysis import FIGURE_KEYS
from ..model import Problem, Report
from . import NA, esc, num

UNREADABLE = "无法识别"  # printed in the report, but not one readable number
NOT_APPLICABLE = "不适用"  # a derived figure without a valid denominator
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = ("error", "warning", "info")


# A report's standing ------------------------------------------------------------------------------------


def counts(problems: Iterable[Problem]) -> Counter:
    return Counter(p.severity for p in problems)


def worst(problems: Iterable[Problem]) -> str | None:
    """The worst severity among the problems ("error", "warning", "info"), None when there is none."""
    found = counts(problems)
    return next((s for s in SEVERITY_ORDER if found[s]), None)


def failures(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that make a report fail its checks: every error (missing tables, failed identities)."""
    return [p for p in problems if p.severity == "error"]


def summary(problems: Iterable[Problem]) -> str:
    """`1 个错误 · 6 个警告 · 1 个提示`, worst first; "" when there is none."""
    found = counts(problems)
    return " · ".join(f"{found[s]} 个{SEVERITY[s]}" for s in SEVERITY_ORDER if found[s])


def badge_class(problems: Sequence[Problem]) -> str:
    """The badge's colour: red only for errors, amber for warnings, neutral for hints, green for none."""
    return {"error": "nb-badge nb-badge--error", "warning": "nb-badge nb-badge--warning",
            "info": "nb-badge nb-badge--info", None: "nb-badge nb-badge--ok"}[worst(problems)]


def check_cell(problems: Sequence[Problem], link: str) -> tuple[int, str]:
    """Compare's 核对 cell: (sort value, HTML). Errors fail; warnings ask for care; hints pass."""
    errors, found = len(failures(problems)), counts(problems)
    if errors:
        text = f'<span class="nb-warn">{errors} 项未通过</span>'
    elif found["warning"]:
        text = f'<span class="nb-caution">{found["warning"]} 个警告</span>'
    else:
        text = "通过"
    return (errors * 1000 + found["warning"]), f'<a href="{link}">{text}</a>'


# A figure's state ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unreadable:
    """A cell printed in the report but not read: the printed text and where it is."""

    printed: str
    line: int | None
    message: str

    def note(self) -> str:
        where = f"（原文第 {self.line} 行）" if self.line else ""
        return f"原文印作“{self.printed}”{where}"


def unreadable_cells(problems: Iterable[Problem]) -> dict[tuple[str, str | None, str | None], Unreadable]:
    """Printed-but-unread cells by (table, row, column); a None row or column covers the whole table or row."""
    out = {}
    for p in problems:
        if p.code.startswith("cells-") and p.text and p.table:
            out.setdefault((p.table, p.row, p.column), Unreadable(p.text, p.line, p.message))
    return out


def unreadable(cells: dict, table: str, row: str | None, column: str | None) -> Unreadable | None:
    return cells.get((table, row, column)) or cells.get((table, row, None)) or cells.get((table, None, None))


def state_html(found: Unreadable | None, *, not_applicable: bool = False) -> str:
    """A figure that is not a number: 不适用, 无法识别 (the printed text on hover), or 未提供."""
    if not_applicable:
        return f'<span class="nb-na" title="分母为 0，不计算">{NOT_APPLICABLE}</span>'
    if found is not None:
        return f'<span class="nb-unread" title="{esc(found.note())}">{UNREADABLE}</span>'
    return f'<span class="nb-na">{NA}</span>'


def state_text(found: Unreadable | None, *, not_applicable: bool = False) -> str:
    """The same as plain text (chart hovers, CSV notes)."""
    if not_applicable:
        return NOT_APPLICABLE
    if found is not None:
        return f"{UNREADABLE}：{found.note()}"
    return NA


# The cells each key figure (nianbao.analysis.FIGURES) is read from: (table, row, column).
def _rows(tpl: str | None, prefix: str) -> tuple[str, ...]:
    return tuple(k for k in T.request_row_keys(tpl) if k.startswith(prefix)) if tpl else ()


@cache  # asked for every figure of every report: a few dozen distinct answers
def figure_cells(key: str, template: str | None) -> tuple[tuple[str, str, str], ...]:
    rows = {"requests_received": ("new_received",), "refused": _rows(template, "refused_"),
            "unavailable": _rows(template, "unavailable_"), "not_handled": _rows(template, "not_handled_"),
            "other_handling": _rows(template, "other_")}
    if key in ("granted", "partly_granted", "total_handled", "carried_forward"):
        rows[key] = (key,)
    if key in rows:
        return tuple(("requests", r, "total") for r in rows[key])
    return {
        "licensing": (("proactive", "licensing", "decisions"),),
        "penalties": (("proactive", "penalty", "decisions"),),
        "reconsiderations": (("appeals", "review", "total"),),
        "lawsuits": (("appeals", "litigation_direct", "total"), ("appeals", "litigation_after_review", "total")),
        "lawsuits_lost": (("appeals", "litigation_direct", "corrected"), ("appeals", "litigation_after_review", "corrected")),
        "grant_rate": (("requests", "granted", "total"), ("requests", "total_handled", "total")),
    }.get(key, ())


def figure_unreadable(report: Report, key: str) -> Unreadable | None:
    """Why a key figure is missing when it is because a cell it needs was printed but not read."""
    cells = unreadable_cells(report.problems)
    return next((u for t, r, c in figure_cells(key, report.template) if (u := unreadable(cells, t, r, c))), None)


def figure_html(report: Report, key: str, value: float | int | None, *, rate: bool = False) -> str:
    """A key figure as shown in a table: the number, or its state."""
    if value is not None:
        return f"{value:.1%}" if rate else num(value)
    return state_html(figure_unreadable(report, key), not_applicable=_no_denominator(report, key))


def figure_state(report: Report, key: str) -> str:
    """The state of a key figure the report has no number for, as one word: 不适用, 无法识别 or 未提供."""
    if _no_denominator(report, key):
        return NOT_APPLICABLE
    return UNREADABLE if figure_unreadable(report, key) is not None else NA


STATES = (NA, UNREADABLE, NOT_APPLICABLE)
STATE_SUFFIX = "_state"


def with_states(figures: pd.DataFrame, reports: Sequence[Report]) -> pd.DataFrame:
    """The key-figure table (analysis.key_figure_table of `reports`, same order) with, after each figure,
    its state column (`refused_state`): empty where the figure is a number, else its state, so that an
    empty figure in a download says which of the three it is."""
    out = figures.copy()
    assert len(out) == len(reports), "one row per report"
    for key in FIGURE_KEYS:
        states = [None if pd.notna(v) else figure_state(r, key) for v, r in zip(out[key], reports, strict=True)]
        out.insert(out.columns.get_loc(key) + 1, key + STATE_SUFFIX, pd.array(states, dtype="string"))
    return out


def figure_state_text(report: Report, key: str) -> str:
    return state_text(figure_unreadable(report, key), not_applicable=_no_denominator(report, key))


def _no_denominator(report: Report, key: str) -> bool:
    return key == "grant_rate" and report.requests is not None and report.requests.total_handled.total == 0
