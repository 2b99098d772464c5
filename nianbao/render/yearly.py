"""Year over year for an agency page: the Chinese summary, then every key figure per year with its change
and % change. Years with no report inside the span are shown as such; no change is computed against a
missing year or a missing figure. Pure: reports in, one HTML block out (for pages.render_agency).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import BY_KEY, FIGURES, year_over_year
from ..analysis import summary_zh as _summary
from ..model import Report
from . import NA, esc, href, num, signed


def _value(figure: str, value: float | int | None) -> str:
    if value is not None and BY_KEY[figure].rate:
        return f"{value:.1%}"
    return num(value)


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
    head = "".join(f'<th scope="col">{y} 年</th>' for y in span)
    rows = []
    for fig in FIGURES:
        cells = []
        for y in span:
            c = changes.get((fig.key, y))
            if c is None:
                cells.append('<td><span class="nb-na">无报告</span></td>')
            else:
                change = _change(fig.key, c.change, c.pct_change)
                cells.append(f"<td>{_value(fig.key, c.value)}{'<br>' + change if change else ''}</td>")
        rows.append(f'<tr><th scope="row">{esc(fig.label)}</th>{"".join(cells)}</tr>')
    summary = _summary(reports)
    agency_id = reports[0].agency.id
    return (
        (f'<p class="nb-summary" data-pagefind-ignore>{esc(summary)}</p>' if summary else "")  # generated words
        + f'<div class="nb-scroll" data-pagefind-ignore><table class="nb-keys nb-yoy"><thead><tr><th>项目</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
        f'<p class="nb-note" data-pagefind-ignore>每格下方为与上一年相比的变化及变化率；上一年没有报告、或数字{NA}时不计算变化，上一年为 0 时不计算变化率。'
        "公开率＝予以公开÷办理总计，办理总计未提供或为 0 时不计算。"
        f'下载：<a href="{href(here, f"downloads/agencies/{agency_id}.csv")}">{esc(agency_id)}.csv</a></p>'
    )
