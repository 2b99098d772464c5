"""Every figure a reader can pick in the explorer: each row of tables 二, 三 (its 总计 column) and 四, the
sums of table 三's refusal groups, and derived rates; each report's value for each, with its state and check.

A value is a number, or one of three states: 未提供 (the report does not give it), 无法识别 (printed, not
readable: the problem keeps the printed text), 不适用 (the report's template does not ask it, or a rate's
denominator is 0). A cell's check is "fail" when its report has an error in the cell's table (a missing
table, a failed identity: its parts span the table), "warn" for a warning on its row, "" otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from . import template as T
from .checks import sum_known
from .model import Report
from .render.status import unreadable, unreadable_cells

Cell = tuple[str, str, str]  # (table, row, column) of the record

NA, UNREADABLE, NOT_APPLICABLE = "na", "unreadable", "not-applicable"


@dataclass(frozen=True)
class Measure:
    id: str  # short and ASCII: it lives in the explorer's URL
    label: str
    group: str  # 表二, 表三, 表四, 比率
    definition: str  # how the template words it, or how it is computed
    cells: tuple[Cell, ...]  # the record cells it is read from (a sum or a rate: several)
    unit: str = "件"
    rate: bool = False
    templates: tuple[str, ...] = T.TEMPLATES  # the templates that ask for it

    @property
    def table(self) -> str:
        return "rates" if self.rate else self.cells[0][0]


def _proactive() -> list[Measure]:
    out: dict[str, Measure] = {}
    for tpl in reversed(T.TEMPLATES):  # the current template's rows and words first
        labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
        for row in T.PROACTIVE_ROWS[tpl]:
            for col in row.columns:
                mid = f"p.{row.key}.{col}"
                if mid in out:
                    out[mid] = Measure(**{**out[mid].__dict__, "templates": tuple(sorted((*out[mid].templates, tpl)))})
                    continue
                unit = "万元" if col == "amount_10k_yuan" else "元" if col == "amount_yuan" else "件"
                out[mid] = Measure(mid, f"{row.label}：{labels[col]}", "表二", f"表二 {row.item} {row.label} {labels[col]}",
                                   (("proactive", row.key, col),), unit, templates=(tpl,))
    for m in out.values():  # a column of one template only says so
        if len(m.templates) == 1:
            object.__setattr__(m, "label", f"{m.label}（{m.templates[0]} 模板）")
    return list(out.values())


def _requests() -> list[Measure]:
    out: dict[str, Measure] = {}
    for tpl in reversed(T.TEMPLATES):
        for row in T.REQUEST_ROWS[tpl]:
            if row.key in out:
                continue
            group = row.group if row.group and not row.group.startswith("三、") else ""
            label = f"{group.strip('（）一二三四五六七')}：{row.label}" if group else row.label
            label = label.replace("（区分处理的，只计这一情形，不计其他情形）", "")
            only = tuple(t for t in T.TEMPLATES if row.key in T.request_row_keys(t))
            out[row.key] = Measure(f"r.{row.key}", label + ("" if len(only) == 2 else f"（{only[0]} 模板）"), "表三",
                                   f"表三 {row.group}{row.label}，总计列", (("requests", row.key, "total"),), templates=only)
    sums = []
    for prefix, label in (("refused_", "不予公开（合计）"), ("unavailable_", "无法提供（合计）"),
                          ("not_handled_", "不予处理（合计）"), ("other_", "其他处理（合计）")):
        rows = [k for k in out if k.startswith(prefix)]
        sums.append(Measure(f"s.{prefix.rstrip('_')}", label, "表三",
                            f"表三 {label.removesuffix('（合计）')}各项的总计列之和（任何一项未提供则合计未提供）",
                            tuple(("requests", k, "total") for k in rows)))
    return [*out.values(), *sums]


def _appeals() -> list[Measure]:
    return [Measure(f"a.{g}.{c}", f"{T.APPEAL_GROUP_LABELS[g]}：{T.APPEAL_COLUMN_LABELS[c]}", "表四",
                    f"表四 {T.APPEAL_GROUP_LABELS[g]} {T.APPEAL_COLUMN_LABELS[c]}", (("appeals", g, c),))
            for g in T.APPEAL_GROUPS for c in T.APPEAL_COLUMNS]


_CONCLUDED = ("upheld", "corrected", "other")
_LITIGATION = ("litigation_direct", "litigation_after_review")
RATES = (
    Measure("d.grant_rate", "公开率", "比率", "予以公开 ÷ 办理总计（表三总计列；办理总计为 0 时不适用）",
            (("requests", "granted", "total"), ("requests", "total_handled", "total")), "", True),
    Measure("d.refusal_rate", "不予公开率", "比率", "不予公开各项之和 ÷ 办理总计（表三总计列；办理总计为 0 时不适用）",
            (*(("requests", r.key, "total") for r in T.REQUEST_ROWS["2021"] if r.key.startswith("refused_")),
             ("requests", "total_handled", "total")), "", True),
    Measure("d.review_corrected_rate", "行政复议纠正率", "比率",
            "行政复议 结果纠正 ÷（结果维持 + 结果纠正 + 其他结果），即已审结案件中被纠正的比例；已审结为 0 时不适用",
            tuple(("appeals", "review", c) for c in _CONCLUDED), "", True),
    Measure("d.litigation_corrected_rate", "行政诉讼纠正率", "比率",
            "行政诉讼（直接起诉与复议后起诉）结果纠正 ÷ 已审结（维持 + 纠正 + 其他）；已审结为 0 时不适用",
            tuple(("appeals", g, c) for g in _LITIGATION for c in _CONCLUDED), "", True),
)

MEASURES: tuple[Measure, ...] = (*_proactive(), *_requests(), *_appeals(), *RATES)
BY_ID = {m.id: m for m in MEASURES}
GROUPS = ("表二", "表三", "表四", "比率")


# Values ------------------------------------------------------------------------------------------------------


class Value(NamedTuple):  # a tuple: made for every report and measure (800,000 at 10,000 reports)
    value: float | int | None
    state: str = ""  # "" for a number; NA, UNREADABLE or NOT_APPLICABLE
    note: str = ""  # for UNREADABLE: the printed text and its line
    check: str = ""  # "", "warn" or "fail"


def _raw(report: Report, cell: Cell) -> float | int | None:
    table, row, col = cell
    obj = getattr(report, table)
    obj = getattr(obj, row, None) if obj is not None else None
    return getattr(obj, col, None) if obj is not None else None


def _rate(measure: Measure, parts: list) -> tuple[float | None, bool]:
    """(the rate, whether its denominator is 0): None when a part is missing."""
    if measure.id in ("d.grant_rate", "d.refusal_rate"):
        part, whole = sum_known(parts[:-1]), parts[-1]
    elif measure.id == "d.review_corrected_rate":
        part, whole = parts[1], sum_known(parts)
    else:  # litigation: the corrected of both groups over the concluded of both
        part, whole = sum_known((parts[1], parts[4])), sum_known(parts)
    if part is None or whole is None:
        return None, False
    return (None, True) if whole == 0 else (part / whole, False)


def _checks(report: Report) -> dict[tuple[str | None, str | None], str]:
    """The report's problems by where they are: an error (a missing table, a failed identity, whose parts
    span the table) fails every cell of its table, (table, None); a warning (an unreadable cell) its row."""
    out: dict[tuple[str | None, str | None], str] = {}
    for p in report.problems:
        if p.table and p.severity == "error":
            out[(p.table, None)] = "fail"
        elif p.table and p.severity == "warning":
            out.setdefault((p.table, p.row), "warn")
    return out


def _check(checks: dict, cells: tuple[Cell, ...]) -> str:
    if not checks:
        return ""
    found = {checks.get((t, None)) for t, _, _ in cells} | {checks.get((t, r)) for t, r, _ in cells}
    return "fail" if "fail" in found else "warn" if "warn" in found else ""


def report_values(report: Report, measures: Iterable[Measure] = MEASURES) -> Iterator[tuple[Measure, Value]]:
    """Every measure's value in one report (a report without a template has none)."""
    if report.template is None:
        return
    unread = unreadable_cells(report.problems)
    checks = _checks(report)
    for m in measures:
        check = _check(checks, m.cells)
        if report.template not in m.templates:
            yield m, Value(None, NOT_APPLICABLE, "模板无此项", check)
            continue
        parts = [_raw(report, c) for c in m.cells]
        if m.rate:
            value, zero = _rate(m, parts)
        else:
            value, zero = sum_known(parts), False
        if value is not None:
            yield m, Value(value, check=check)
        elif zero:
            yield m, Value(None, NOT_APPLICABLE, "分母为 0", check)
        else:
            found = next((u for t, r, c in m.cells if _raw(report, (t, r, c)) is None and (u := unreadable(unread, t, r, c))), None)
            yield m, (Value(None, UNREADABLE, found.note(), check) if found else Value(None, NA, "", check))
