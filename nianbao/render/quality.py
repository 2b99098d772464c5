"""/quality/: every report that has problems (missing tables, unreadable cells, failed identities, late
publication, prose against tables), one compact row each, sortable and filterable in the browser
(assets/tables.js); the reports without any are counted. A row summarises the problems by code and
severity; the details (messages, lines, both sides of a sum) are on the report page it links to, so
the page grows by one short row per report with problems and nothing more.

Each listed report's row is the anchor `#q-<agency-id>-<year>`, each agency's first row
`#q-<agency-id>`: the badges on agency and report pages link there.
"""

from __future__ import annotations

from collections import Counter

from ..checks import CHECK_DESCRIPTIONS, check_dataset
from ..model import Problem, Report
from . import esc, front_matter, href
from .status import SEVERITY, SEVERITY_ORDER, failures


def agency_path(agency_id: str) -> str:
    """The agency page's site path (as pages.agency_path; kept here so this page stands alone)."""
    return f"agencies/{agency_id}/"


HERE = "quality/"
TITLE = "数据质量"


def _codes(problems: list[Problem]) -> str:
    """The problems by code, worst first: `identity-row-total ×2 · cells-ambiguous`."""
    counts = Counter(p.code for p in problems)
    worst = {p.code: min(SEVERITY_ORDER.index(q.severity) for q in problems if q.code == p.code) for p in problems}
    return " · ".join(f'<code>{esc(c)}</code>{f" ×{counts[c]}" if counts[c] > 1 else ""}'
                      for c in sorted(counts, key=lambda c: (worst[c], c)))


def _row(report: Report, name: str, province: str, first_of_agency: bool) -> str:
    aid, year = report.agency.id, report.year
    counts = Counter(p.severity for p in report.problems)
    fails = len(failures(report.problems))
    codes = sorted({p.code for p in report.problems})
    anchor = f'<span id="q-{esc(aid)}"></span>' if first_of_agency else ""
    attrs = (f'id="q-{esc(aid)}-{year}" data-province="{esc(province)}" data-year="{year}" '
             f'data-template="{esc(report.template or "")}" data-fails="{int(fails > 0)}" '
             f'data-codes=" {esc(" ".join(codes))} " data-severity=" {" ".join(sorted(counts))} "')
    cells = "".join(f"<td>{counts.get(s, 0) or ''}</td>" for s in SEVERITY_ORDER)
    return (f'<tr {attrs}><th scope="row">{anchor}<a href="{href(HERE, agency_path(aid))}">{esc(name)}</a></th>'
            f'<td><a href="{href(HERE, f"{agency_path(aid)}{year}/")}#problems">{year}</a></td>'
            f'<td>{esc(province)}</td>{cells}<td class="nb-left" data-value="{len(report.problems)}">{_codes(report.problems)}</td></tr>')


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = '<option value="">全部</option>' + "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in options)
    return f'<label>{label} <select data-filter="{name}">{opts}</select></label>'


def render_quality(dataset) -> str:
    reports = [r for r in check_dataset(dataset) if r.year is not None]
    head = front_matter(TITLE, hide=["toc", "navigation"]) + f"# {TITLE}\n\n"
    if not reports:
        return head + "还没有报告。\n"
    names = {a: e.name for a, e in dataset.agencies.items()}
    provinces = {a: e.province or "" for a, e in dataset.agencies.items()}
    code_counts = Counter(p.code for r in reports for p in r.problems)
    failing = sum(1 for r in reports if failures(r.problems))
    clean = sum(1 for r in reports if not r.problems)
    seen: set[str] = set()
    rows = []
    for r in sorted(reports, key=lambda r: (r.agency.id, r.year)):
        if r.problems:
            rows.append(_row(r, names.get(r.agency.id, r.agency.name), provinces.get(r.agency.id, ""), r.agency.id not in seen))
            seen.add(r.agency.id)
    summary = (f"<p>共 {len(reports)} 份报告：{failing} 份未通过核对（有错误：缺表、勾稽关系或跨年结转不成立、正文与表格不一致），"
               f"{clean} 份未发现任何问题（不列在下表）。标为“错误”的数字不要直接引用：先看原文。数字照报告原样，不作修改。"
               "下表每份报告一行，按问题代码汇总；点年度看该报告的问题详情（原文行号、勾稽关系两边的数）。</p>")
    legend = "".join(f"<li><code>{esc(code)}</code>：{n} 个（{esc(CHECK_DESCRIPTIONS.get(code, '解析时发现的问题'))}）</li>"
                     for code, n in sorted(code_counts.items()))
    controls = (
        '<div class="nb-controls">'
        + _select("province", "省级", [(p, p) for p in sorted(set(provinces.values()) - {""})])
        + _select("year", "年度", [(str(y), str(y)) for y in sorted({r.year for r in reports}, reverse=True)])
        + _select("severity", "严重程度", [(s, SEVERITY[s]) for s in SEVERITY_ORDER])
        + _select("codes", "问题", [(c, c) for c in sorted(code_counts)])
        + '<label><input type="checkbox" data-filter="fails" value="1"> 只看未通过核对的报告</label>'
        + '<label>搜索 <input type="search" data-filter="text" placeholder="机构名称"></label>'
        + '<span class="nb-count" aria-live="polite"></span></div>'
    )
    head_cells = "".join(f'<th scope="col"><span class="nb-sort">{c}</span></th>'
                         for c in ("机构", "年度", "省级", "错误", "警告", "提示", "问题代码"))
    table = (f'<p class="nb-swipe" aria-hidden="true">表格可以左右滑动，查看各项数字 →</p><div class="nb-scroll"><table class="nb-list nb-sortable nb-quality-table"><thead><tr>{head_cells}</tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table></div>')
    body = (
        f'<div class="nb-page nb-quality" data-nb-filter-root>{summary}{controls}{table}'
        f'<h2 id="codes">各类问题</h2><ul>{legend}</ul>'
        f'<p>各问题代码的含义见<a href="{href(HERE, "methodology/")}">方法说明</a>。下载：'
        f'<a href="{href(HERE, "downloads/problems.csv")}">problems.csv</a></p>'
        f'<link rel="stylesheet" href="{href(HERE, "assets/nianbao/tables.css")}">'
        f'<script src="{href(HERE, "assets/nianbao/tables.js")}"></script></div>\n'
    )
    return head + body
