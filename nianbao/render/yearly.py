"""Year over year for an agency page: the Chinese summary, then every key figure per year with its change
and % change. Years with no report inside the span are shown as such; no change is computed against a
missing year or a missing figure. Pure: reports in, one HTML block out (for pages.render_agency).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import BY_KEY, FIGURES, year_over_year
from ..analysis import summary_zh as _summary
from ..model import Problem, Report
from . import NA, esc, href, signed
from .status import failures, figure_cells, figure_html


def _flags(report: Report, figure: str) -> list[Problem]:
    """The report's failed checks on a cell this figure is read from."""
    cells = {(t, r) for t, r, _ in figure_cells(figure, report.template)}
    return [p for p in failures(report.problems) if (p.table, p.row) in cells]


def _cell(report: Report, figure: str, value: float | int | None, change: str) -> str:
    shown = figure_html(report, figure, value, rate=BY_KEY[figure].rate) + ("<br>" + change if change else "")
    flags = _flags(report, figure)
    if not flags:
        return f"<td>{shown}</td>"
    why = "；".join(esc(p.message) for p in flags)
    return f'<td class="nb-bad" title="{why}">{shown} <span class="nb-warn" aria-hidden="true">⚠</span></td>'


def _check_row(span: list[int], by_year: dict[int, Report]) -> str:
    """The last row: each year's checks, a failing one linked to its report's problems with both sides."""
    cells = []
    for y in span:
        report = by_year.get(y)
        found = failures(report.problems) if report else []
        if report is None:
            cells.append("<td></td>")
        elif found:
            why = "；".join(esc(p.message) for p in found)
            cells.append(f'<td class="nb-left"><a class="nb-warn" href="{y}/#problems" title="{why}">⚠ {len(found)} 项未通过</a></td>')
        else:
            cells.append(f'<td><a href="{y}/#problems">通过</a></td>')
    return f'<tr><th scope="row">核对</th>{"".join(cells)}</tr>'


def _change(figure: str, change: float | int | None, pct: float | None) -> str:
    if change is None:
        return ""
    if change == 0:
        return '<span class="nb-change">持平</span>'
    if BY_KEY[figure].rate:
        return f'<span class="nb-change">{change * 100:+.1f} 个百分点</span>'
    text = signed(change) + (f"，{pct:+.0%}" if pct is not None else "")
    return f'<span class="nb-change">{text}</span>'


def render_year_over_year(reports: Sequence[Report], here: str) -> str:
    """`here` is the page's site path (agencies/<id>/), for the CSV link."""
    reports = [r for r in reports if r.year is not None]
    if not reports:
        return ""
    years = sorted({r.year for r in reports})
    span = list(range(years[0], years[-1] + 1))
    changes = {(c.figure, c.year): c for c in year_over_year(reports)}
    by_year = {r.year: r for r in reports}
    head = "".join(f'<th scope="col">{y} 年</th>' for y in span)
    rows = []
    for fig in FIGURES:
        cells = []
        for y in span:
            c = changes.get((fig.key, y))
            if c is None:
                cells.append('<td><span class="nb-na">无报告</span></td>')
            else:
                cells.append(_cell(by_year[y], fig.key, c.value, _change(fig.key, c.change, c.pct_change)))
        rows.append(f'<tr><th scope="row">{esc(fig.label)}</th>{"".join(cells)}</tr>')
    rows.append(_check_row(span, by_year))
    summary = _summary(reports)
    agency_id = reports[0].agency.id
    return (
        (f'<p class="nb-summary" data-pagefind-ignore>{esc(summary)}</p>' if summary else "")  # generated words
        + f'<div class="nb-scroll" data-pagefind-ignore><table class="nb-keys nb-yoy"><thead><tr><th>项目</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
        f'<p class="nb-note" data-pagefind-ignore>每格下方为与上一年相比的变化及变化率；上一年没有报告、或数字{NA}时不计算变化，上一年为 0 时不计算变化率。'
        "公开率＝予以公开÷办理总计，办理总计未提供时不计算，为 0 时不适用。"
        "“无法识别”：报告印有这个数字，但无法读出（悬停可见原文）。标 ⚠ 的数字所在的表格核对未通过，最后一行链接到该年报告的问题。"
        f'下载：<a href="{href(here, f"downloads/agencies/{agency_id}.csv")}">{esc(agency_id)}.csv</a></p>'
    )
