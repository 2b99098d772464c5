"""/compare/<year>/: every agency that reported on a year, one row each, the key figures as columns.

Pure: data in, Markdown (one raw HTML block per page) out. One page per year, so a page holds the rows
it lists and no more; /compare/ is the year most agencies reported on, with links to the others. The
browser (assets/tables.js) sorts and filters; assets/compare.js draws the chosen figure across agencies
from the table's cells. Totals and medians per province and city add only the figures the reports give.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import BY_KEY, COUNT_KEYS, FIGURES, key_figure_table, region_summary
from ..checks import check_dataset
from ..citation import SITE_NAME, dataset_version
from ..model import Report
from . import NA, esc, front_matter, href, json_script, num
from .chartmeta import LICENCE, LICENCE_NOTE, LICENCE_URL, measure
from .status import check_cell, failures, figure_html


def agency_path(agency_id: str) -> str:
    """The agency page's site path (as pages.agency_path; kept here so this page stands alone)."""
    return f"agencies/{agency_id}/"


HERE = "compare/"
TITLE = "比较"


def year_path(year: int) -> str:
    return f"{HERE}{year}/"


def _value(value: object, rate: bool = False, report: Report | None = None, key: str = "") -> tuple[str, str]:
    """(data-value for sorting, the cell as shown): a number, or its state (status.figure_html)."""
    if value is None or pd.isna(value):
        return "", figure_html(report, key, None) if report is not None else f'<span class="nb-na">{NA}</span>'
    if rate:
        return f"{float(value):.6f}", f"{float(value):.1%}"
    return str(value), num(value.item() if hasattr(value, "item") else value)  # type: ignore[union-attr]


def _attr(value: object) -> str:
    return "" if value is None or pd.isna(value) else esc(value)


def _row(r: dict, here: str, report: Report) -> str:
    year = int(r["year"])
    fails = len(failures(report.problems))
    attrs = (f'data-year="{year}" data-province="{_attr(r["province"])}" data-city="{_attr(r["city"])}" '
             f'data-kind="{_attr(r["kind"])}" data-template="{_attr(r["template"])}" data-fails="{int(fails > 0)}" '
             f'data-agency="{esc(r["agency_id"])}"')
    report_page = f"{agency_path(r['agency_id'])}{year}/"
    name = (f'<a href="{href(here, agency_path(r["agency_id"]))}">{esc(r["agency_name"])}</a>'
            f'<br><a class="nb-small" href="{href(here, report_page)}">{year} 年报告</a>')
    region = " ".join(esc(r[k]) for k in ("province", "city", "county") if r[k] is not None and not pd.isna(r[k]))
    # A report with problems is listed on the quality page; one without may not be: its own problem list.
    target = f'{href(here, "quality/")}#q-{esc(r["agency_id"])}-{year}' if report.problems else f"{href(here, report_page)}#problems"
    order, check = check_cell(report.problems, target)
    # data-value (what sorting and the chart read) only where the text is not the number itself.
    cells = "".join(f"<td>{shown}</td>" if shown == v else f'<td data-value="{v}">{shown}</td>'
                    for v, shown in (_value(r[f.key], f.rate, report, f.key) for f in FIGURES))
    return (f'<tr {attrs}><th scope="row" data-value="{esc(r["agency_name"])}">{name}</th>'
            f'<td>{region}</td><td>{_attr(r["kind"])}</td>'
            f'<td data-value="{order}">{check}</td>{cells}</tr>')


def _head() -> str:
    cols = ["机构", "地区", "类别", "核对", *(f.label for f in FIGURES)]
    return "".join(f'<th scope="col"><span class="nb-sort">{esc(c)}</span></th>' for c in cols)


def _select(name: str, label: str, values: list[str], all_label: str = "全部", selected: str = "") -> str:
    opts = "" if not all_label else f'<option value="">{all_label}</option>'
    opts += "".join(f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(v)}</option>' for v in values)
    return f'<label>{label} <select data-filter="{name}">{opts}</select></label>'


def _regions(figures: pd.DataFrame, level: str, year: int) -> str:
    summary = region_summary(figures, level)
    if summary.empty:
        return ""
    head = "".join(f"<th>{esc(BY_KEY[k].label)}</th>" for k in COUNT_KEYS)
    rows = []
    for _, s in summary.iterrows():
        cells = []
        for k in COUNT_KEYS:
            n, total, median = s[f"{k}_reported"], s[f"{k}_total"], s[f"{k}_median"]
            if not n:
                cells.append(f'<td><span class="nb-na">{NA}</span></td>')
            else:
                cells.append(f'<td title="{int(n)} 个机构给出此数">{num(int(total) if float(total).is_integer() else total)}'
                             f'<span class="nb-change">（{num(median)}）</span></td>')
        where = esc(s[level]) if level == "province" else f'{esc(s.get("province") or "")} {esc(s[level])}'
        rows.append(f'<tr><th scope="row">{where}</th><td>{int(s["agencies"])}</td>{"".join(cells)}</tr>')
    caption = "各省级地区" if level == "province" else "各地级地区"
    return (f'<div class="nb-scroll" data-year="{year}"><table class="nb-list nb-regions">'
            f"<caption>{year} 年{caption}：合计（中位数）</caption><thead><tr><th>地区</th><th>机构数</th>{head}</tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _chart_data(year: int, version: str, here: str) -> str:
    """The chart's figure list and layout, for compare.js (the values come from the table's cells), and
    what its grapher tabs say (chartmeta: each figure's definition, the version, the licence)."""
    spec = {"figures": [{**measure(f.key), "rate": f.rate} for f in FIGURES], "year": year,
            "meta": {"site": SITE_NAME, "version": version, "licence": LICENCE, "licence_url": LICENCE_URL,
                     "licence_note": LICENCE_NOTE, "sources_link": {"href": href(here, "quality/"), "text": "数据质量页"}},
            "layout": {"xaxis": {"automargin": True, "tickangle": -30}, "yaxis": {"rangemode": "tozero"}, "height": 420}}
    # In a <template>: Material's instant navigation re-creates bare inline scripts without their type.
    return f'<template class="nb-compare-template">{json_script(spec, "nb-compare-spec")}</template>'


def _years_nav(here: str, years: list[int], year: int, default: int) -> str:
    """Links to every year's page; the year shown is marked, not linked."""
    links = []
    for y in years:
        label = f"{y} 年" + ("（报告最多）" if y == default else "")
        links.append(f'<strong aria-current="page">{label}</strong>' if y == year
                     else f'<a href="{href(here, year_path(y))}">{label}</a>')
    return '<nav class="nb-years" aria-label="年度">年度：' + " · ".join(links) + "</nav>"


def compare_pages(dataset) -> dict[str, str]:
    """Every compare page, site path of its Markdown → Markdown: /compare/ (the year most agencies
    reported on) and one /compare/<year>/ per year."""
    reports = check_dataset(dataset)
    figures = key_figure_table([r for r in reports if r.year is not None], dataset.agencies)
    years = sorted({int(y) for y in figures["year"].dropna()}, reverse=True)
    if not years:
        return {f"{HERE}index.md": front_matter(TITLE, hide=["toc", "navigation"]) + f"# {TITLE}\n\n还没有可以比较的报告。\n"}
    counts = figures["year"].value_counts()
    default = max(years, key=lambda y: (int(counts[y]), y))  # the year most agencies reported on
    by_key = {(r.agency.id, r.year): r for r in reports}
    version = dataset_version(dataset)
    out = {f"{HERE}index.md": _page(figures, years, default, default, HERE, by_key, version)}
    for year in years:
        out[f"{year_path(year)}index.md"] = _page(figures, years, year, default, year_path(year), by_key, version)
    return out


def render_compare(dataset) -> str:
    """/compare/ alone (the year most agencies reported on)."""
    return compare_pages(dataset)[f"{HERE}index.md"]


def _page(all_figures: pd.DataFrame, years: list[int], year: int, default: int, here: str,
          by_key: dict[tuple[str, int], Report], version: str = "") -> str:
    figures = all_figures[all_figures["year"] == year]
    title = TITLE if here == HERE else f"{TITLE}：{year} 年"
    head = front_matter(title, hide=["toc", "navigation"]) + f"# {TITLE}：{year} 年\n\n"
    values = {k: sorted({str(v) for v in figures[k].dropna()}) for k in ("province", "city", "kind", "template")}
    controls = (
        '<div class="nb-controls">'
        + _select("province", "省级", values["province"]) + _select("city", "地级", values["city"])
        + _select("kind", "机构类别", values["kind"]) + _select("template", "模板", values["template"])
        + '<label><input type="checkbox" data-filter="fails" value="1"> 只看未通过核对的报告</label>'
        + '<label>图中显示 <select class="nb-compare-figure">'
        + "".join(f'<option value="{f.key}">{esc(f.label)}</option>' for f in FIGURES) + "</select></label>"
        + '<span class="nb-count" aria-live="polite"></span></div>'
    )
    rows = "".join(_row(r, here, by_key[(r["agency_id"], int(r["year"]))]) for r in figures.sort_values("agency_id", kind="stable").to_dict("records"))  # not iterrows: a Series per row costs more than the row
    table = (f'<p class="nb-swipe" aria-hidden="true">表格可以左右滑动，查看各项数字 →</p><div class="nb-scroll"><table class="nb-list nb-sortable nb-compare-table"><thead><tr>{_head()}</tr></thead>'
             f"<tbody>{rows}</tbody></table></div>")
    regions = "".join(_regions(figures, level, year) for level in ("province", "city"))
    intro = (f"<p>{year} 年各机构一行（共 {len(figures)} 个）；点击表头排序，用下面的选项筛选。"
             "“未提供”表示报告没有给出这个数字（不是 0）；“无法识别”表示报告印了这个数字但无法读出（悬停可见原文）；"
             "“不适用”表示没有可用的分母。"
             "公开率＝予以公开÷办理总计，只在办理总计已知且不为 0 时计算（为 0 时不适用）。"
             "核对：报告有错误（缺表、勾稽关系不成立、正文与表格不一致等）为“未通过”，只有警告（如无法识别的数字）时写出警告数；"
             "提示不影响核对。点击可看问题详情。</p>")
    links = (f'<p>下载：<a href="{href(here, "downloads/key_figures.csv")}">key_figures.csv</a>（各年度）· '
             f'<a href="{href(here, "downloads/")}">全部数据</a></p>')
    body = (
        f'<div class="nb-page nb-compare" data-nb-filter-root data-pagefind-ignore>{_years_nav(here, years, year, default)}'
        f'{intro}{controls}'
        # A figure with the grapher tabs once compare.js has drawn it (it writes its table and meta).
        f'<figure class="nb-figure nb-compare-figure-box" id="fig-compare"><div class="nb-compare-chart" data-nb-chart role="img"'
        f' aria-label="所选数字的各机构比较图（数据见下表）"></div>{_chart_data(year, version, here)}</figure>'
        f'{table}<h2 id="regions">各地区合计与中位数</h2><p>合计只加报告给出的数字；括号内为中位数。鼠标悬停可见给出此数的机构数。</p>'
        f"{regions}{links}"
        f'<link rel="stylesheet" href="{href(here, "assets/nianbao/tables.css")}">'
        f'<script src="{href(here, "assets/nianbao/tables.js")}"></script>'
        f'<script src="{href(here, "assets/nianbao/compare.js")}"></script></div>\n'
    )
    return head + body
