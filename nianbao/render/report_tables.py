"""The report page's three template tables (二, 三, 四) laid out as the template prints them: each cell a
number, or 未提供, or 无法识别 with the printed text; a failed identity flagged on its cell with both sides.
Pure: a report in, HTML out (for pages.render_report).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import template as T
from ..model import Problem, Report
from . import NA, esc, num
from .source import SourceLinks, where
from .status import UNREADABLE, unreadable, unreadable_cells


def identity_flags(problems: Sequence[Problem]) -> dict[tuple[str, str, str], list[Problem]]:
    """Failed identities placed on the cell they concern: (table, row, column); a missing row or
    column means the table's total row or column."""
    defaults = {"requests": ("total_handled", "total"), "appeals": ("review", "total"), "proactive": ("", "")}
    out: dict[tuple[str, str, str], list[Problem]] = {}
    for p in problems:
        if p.code.startswith("identity-") and p.table in defaults:
            row, column = defaults[p.table]
            out.setdefault((p.table, p.row or row, p.column or column), []).append(p)
    return out


# How each identity's two sides are named beside the cell it concerns (checks.py computes them).
SIDES = {
    "identity-row-total": ("总计", "六类申请人之和"),
    "identity-column-total": ("总计", "各项办理结果之和"),
    "identity-balance": ("新收＋上年结转", "办理总计＋结转下年"),
    "identity-appeals-total": ("总计", "各项之和"),
    "identity-carry-over": ("上年结转", "上年报告的结转下年度"),
}


def sides(p: Problem) -> str:
    left, right = SIDES.get(p.code, ("报告为", "计算得"))
    return f"{left} {num(p.left)} ≠ {right} {num(p.right)}"


def _cell(flags: dict, table: str, row: str, column: str, value: float | int | None, span: int = 1,
          unread: dict | None = None, src: SourceLinks | None = None) -> str:
    colspan = f' colspan="{span}"' if span > 1 else ""
    found = unreadable(unread or {}, table, row, column) if value is None else None
    if found is not None:  # printed, not read: the printed text and its place, never 未提供
        return f'<td class="nb-unread"{colspan}>{UNREADABLE}{_printed(found, src, table, row, column)}</td>'
    shown = src.figure(num(value), table, row, column) if src and value is not None else num(value)
    marks = flags.get((table, row, column))
    if not marks:
        return f"<td{colspan}>{shown}</td>"
    notes = "".join(f'<span class="nb-flag">{sides(p)}</span>' for p in marks)
    return f'<td class="nb-bad"{colspan}>{shown} <span class="nb-warn" aria-hidden="true">⚠</span>{notes}</td>'


def _printed(found, src: SourceLinks | None, table: str, row: str | None, column: str | None, sep: str = "") -> str:
    """The printed text of an unread cell, linked to where it is printed when the source view has it."""
    place = src.find(table, row, column) if src else None
    if place is None:  # a whole row (sep "：") reads inline; a cell's note stands below 无法识别
        return f"{sep}{esc(found.note())}" if sep else f'<span class="nb-printed">{esc(found.note())}</span>'
    return f'<a class="nb-printed" href="{src.base}#{place[0]}">原文印作“{esc(found.printed)}”（{where(place[1])}）</a>'


def _missing_table(report: Report, table: str) -> str:
    why = [p for p in report.problems if p.table == table]
    reason = "；".join(esc(p.message) for p in why) or "报告中没有这张表"
    return f'<p class="nb-missing">表{T.TABLE_LABELS[table][0]}：{NA}。{reason}</p>'


def _table(caption: str, head: str, rows: Sequence[str]) -> str:
    return (
        f'<div class="nb-scroll" data-pagefind-ignore><table class="nb-tpl"><caption>{caption}</caption>'
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def proactive_table(report: Report, flags: dict, src: SourceLinks | None = None) -> str:
    if report.proactive is None or report.template is None:
        return _missing_table(report, "proactive")
    labels = T.PROACTIVE_COLUMN_LABELS_2019 if report.template == "2019" else T.PROACTIVE_COLUMN_LABELS
    spec = T.PROACTIVE_ROWS[report.template]
    width = max(len(r.columns) for r in spec)
    unread = unreadable_cells(report.problems)
    rows, item = [], None
    for row in spec:
        if row.item != item:
            item = row.item
            cols = "".join(
                f'<th scope="col"{_span(width, len(row.columns), i)}>{labels[c]}</th>' for i, c in enumerate(row.columns)
            )
            rows.append(f'<tr class="nb-group"><th colspan="{width + 1}">{item}</th></tr><tr><th scope="col">信息内容</th>{cols}</tr>')
        data = getattr(report.proactive, row.key)
        cells = _unread_row(unread, "proactive", row.key, width, data, row.columns, src) or "".join(
            _cell(flags, "proactive", row.key, c, getattr(data, c), width - len(row.columns) + 1 if i == len(row.columns) - 1 else 1,
                  unread, src)
            for i, c in enumerate(row.columns)
        )
        rows.append(f'<tr><th scope="row">{row.label}</th>{cells}</tr>')
    return _table(T.TABLE_LABELS["proactive"], "", rows)


def _unread_row(unread: dict, table: str, row: str | None, width: int, data: object, columns: Sequence[str],
                src: SourceLinks | None = None) -> str:
    """A row printed as one run of digits that could not be split: one cell with the run as printed."""
    found = unreadable(unread, table, row, None)
    if found is None or any(getattr(data, c) is not None for c in columns):
        return ""
    return f'<td class="nb-unread" colspan="{width}">{UNREADABLE}{_printed(found, src, table, row, None, "：")}</td>'


def _span(width: int, n: int, i: int) -> str:
    return f' colspan="{width - n + 1}"' if i == n - 1 and n < width else ""


def requests_table(report: Report, flags: dict, src: SourceLinks | None = None) -> str:
    if report.requests is None or report.template is None:
        return _missing_table(report, "requests")
    cols = T.APPLICANT_COLUMNS
    head = (
        '<tr><th colspan="3" rowspan="3" class="nb-corner">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>'
        f'<th colspan="{len(cols)}" scope="colgroup">申请人情况</th></tr>'
        f'<tr><th rowspan="2" scope="col">{T.APPLICANT_LABELS["natural_person"]}</th>'
        f'<th colspan="5" scope="colgroup">{T.APPLICANT_GROUP_LABEL}</th><th rowspan="2" scope="col">{T.APPLICANT_LABELS["total"]}</th></tr>'
        "<tr>" + "".join(f'<th scope="col">{T.APPLICANT_LABELS[c]}</th>' for c in cols[1:6]) + "</tr>"
    )
    spec = T.REQUEST_ROWS[report.template]
    unread = unreadable_cells(report.problems)
    block = [r for r in spec if r.group]
    group_sizes: dict[str, int] = {}
    for r in block:
        if r.group != block[0].group:
            group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    rows, seen = [], set()
    for r in spec:
        labels = ""
        if not r.group:
            labels = f'<th colspan="3" scope="row">{r.label}</th>'
        else:
            if r is block[0]:
                labels += f'<th rowspan="{len(block)}" scope="rowgroup">{block[0].group}</th>'
            if r.group in group_sizes:
                if r.group not in seen:
                    seen.add(r.group)
                    labels += f'<th rowspan="{group_sizes[r.group]}" scope="rowgroup">{r.group}</th>'
                labels += f'<th scope="row">{r.label}</th>'
            else:
                labels += f'<th colspan="2" scope="row">{r.label}</th>'
        data = getattr(report.requests, r.key)
        cells = _unread_row(unread, "requests", r.key, len(cols), data, cols, src) or "".join(
            _cell(flags, "requests", r.key, c, getattr(data, c), 1, unread, src) for c in cols)
        rows.append(f"<tr>{labels}{cells}</tr>")
    return _table(T.TABLE_LABELS["requests"], head, rows) + _identity_notes(report, "requests")


def appeals_table(report: Report, flags: dict, src: SourceLinks | None = None) -> str:
    if report.appeals is None:
        return _missing_table(report, "appeals")
    groups, cols = T.APPEAL_GROUPS, T.APPEAL_COLUMNS
    sub = [T.APPEAL_GROUP_LABELS[g].split("（")[-1].rstrip("）") for g in groups[1:]]
    head = (
        f'<tr><th colspan="5" scope="colgroup">{T.APPEAL_GROUP_LABELS["review"]}</th><th colspan="10" scope="colgroup">行政诉讼</th></tr>'
        "<tr>" + "".join(f'<th rowspan="2" scope="col">{T.APPEAL_COLUMN_LABELS[c]}</th>' for c in cols)
        + "".join(f'<th colspan="5" scope="colgroup">{s}</th>' for s in sub) + "</tr>"
        "<tr>" + "".join(f'<th scope="col">{T.APPEAL_COLUMN_LABELS[c]}</th>' for _ in sub for c in cols) + "</tr>"
    )
    unread = unreadable_cells(report.problems)
    blank = all(getattr(getattr(report.appeals, g), c) is None for g in groups for c in cols)
    whole = unreadable(unread, "appeals", None, None) if blank else None
    cells = (f'<td class="nb-unread" colspan="{len(groups) * len(cols)}">{UNREADABLE}{_printed(whole, src, "appeals", "review", None, "：")}</td>'
             if whole else
             "".join(_cell(flags, "appeals", g, c, getattr(getattr(report.appeals, g), c), 1, unread, src) for g in groups for c in cols))
    return _table(T.TABLE_LABELS["appeals"], head, [f"<tr>{cells}</tr>"]) + _identity_notes(report, "appeals")


def _identity_notes(report: Report, table: str) -> str:
    items = [p for p in report.problems if p.code.startswith("identity-") and p.table == table]
    if not items:
        return ""
    lis = "".join(f"<li>⚠ {esc(p.message)}{'' if '报告为' in p.message else '（' + sides(p) + '）'}</li>" for p in items)
    return f'<ul class="nb-identity">{lis}</ul>'
