"""/explore/: pick agencies, years and measures; see them as a sortable table or as a chart.

The page holds the controls, the default view's table (what a reader without JavaScript sees) and its
state; assets/explore.js (and the parts it loads) reads the data parts (nianbao.render.explore_data) the view needs, keeps the
whole state in the URL's query string, and redraws. Also writes those parts.
"""

from __future__ import annotations

from collections import Counter

from ..aggregates import values_frame
from ..checks import check_dataset
from ..citation import dataset_version
from ..measures import BY_ID, GROUPS, MEASURES, NA, NOT_APPLICABLE, UNREADABLE, Value, report_values
from ..registry import AgencyEntry
from . import esc, front_matter, href, json_script, num
from .explore_data import HERE, explore_parts
from .regions import place_names, region_tree
from .summary import summary_measures, summary_pages

TITLE = "数据浏览"
DEFAULT_MEASURES = ("r.new_received", "s.refused")
DEFAULT_AGENCIES = 5
DEFAULT_YEARS = 3


def explore_pages(dataset) -> dict[str, str]:
    """The explorer's page and its data parts, site path → text."""
    reports = [r for r in check_dataset(dataset) if r.year is not None and r.template is not None]
    agencies = dict(dataset.agencies)
    for r in reports:
        agencies.setdefault(r.agency.id, AgencyEntry(id=r.agency.id, name=r.agency.name))
    agencies = dict(sorted(agencies.items()))
    tree = region_tree(agencies)
    parts = explore_parts(reports, agencies, tree, dataset_version(dataset))
    state = default_state(reports, agencies)
    by_key = {(r.agency.id, r.year): r for r in reports}
    out = dict(parts.files)
    out[f"{HERE}index.md"] = render_explore(state, agencies, by_key, parts.index)
    values = values_frame(reports, agencies, summary_measures())
    out.update(summary_pages(values, {name: region.path for name, region in tree.children.items()}))
    return out


def default_state(reports, agencies: dict[str, AgencyEntry]) -> dict:
    """The view a first visit shows: the agencies of the province with the most reports (those with the
    most reports first), their latest years, new requests and refusals."""
    if not reports:
        return {"a": [], "y": [], "m": list(DEFAULT_MEASURES), "v": "table", "g": ""}
    province = Counter(place_names(agencies[r.agency.id])[0] for r in reports)
    top = min(province, key=lambda p: (-province[p], p))
    counts = Counter(r.agency.id for r in reports if place_names(agencies[r.agency.id])[0] == top)
    chosen = sorted(counts, key=lambda a: (-counts[a], a))[:DEFAULT_AGENCIES]
    years = sorted({r.year for r in reports if r.agency.id in chosen})[-DEFAULT_YEARS:]
    return {"a": chosen, "y": years, "m": list(DEFAULT_MEASURES), "v": "table", "g": ""}


def cell_html(value: Value | None, here: str, agency_id: str, year: int, rate: bool) -> tuple[str, str]:
    """(data-value for sorting, the cell's HTML): a number, or its state; a mark when its check fails."""
    if value is None:
        return "", f'<span class="nb-na">{NA}</span>'
    if value.state == "":
        sort, shown = str(value.value), (f"{value.value:.1%}" if rate else num(value.value))
    elif value.state == UNREADABLE:
        sort, shown = "", f'<span class="nb-unread" title="{esc(value.note)}">无法识别</span>'
    elif value.state == NOT_APPLICABLE:
        sort, shown = "", f'<span class="nb-na" title="{esc(value.note)}">不适用</span>'
    else:
        sort, shown = "", f'<span class="nb-na">{NA}</span>'
    if value.check:
        text = "核对未通过" if value.check == "fail" else "有警告"
        shown += (f' <a class="nb-x-check nb-x-{value.check}" href="{href(here, f"agencies/{agency_id}/{year}/")}#problems" '
                  f'title="{text}">{"⚠" if value.check == "fail" else "!"}<span class="nb-sr">{text}</span></a>')
    return sort, shown


def table_html(state: dict, agencies: dict[str, AgencyEntry], by_key: dict, here: str) -> str:
    """The view's table: one row per chosen agency and year that has a report, one column per measure."""
    measures = [BY_ID[m] for m in state["m"] if m in BY_ID]
    head = ["机构", "地区", "年份", *(m.label for m in measures)]
    heads = "".join(f'<th scope="col"><span class="nb-sort">{esc(h)}</span></th>' for h in head)
    rows = []
    for agency_id in state["a"]:
        agency = agencies.get(agency_id)
        if agency is None:
            continue
        for year in state["y"]:
            report = by_key.get((agency_id, year))
            if report is None:
                continue
            values = dict(report_values(report, measures))
            cells = []
            for m in measures:
                sort, shown = cell_html(values.get(m), here, agency_id, year, m.rate)
                cells.append(f'<td data-value="{esc(sort)}">{shown}</td>')
            place = " ".join(esc(n) for n in place_names(agency)[:2])
            rows.append(f'<tr data-agency="{esc(agency_id)}" data-year="{year}">'
                        f'<th scope="row" data-value="{esc(agency.name)}"><a href="{href(here, f"agencies/{agency_id}/")}">{esc(agency.name)}</a></th>'
                        f'<td>{place}</td><td data-value="{year}"><a href="{href(here, f"agencies/{agency_id}/{year}/")}">{year}</a></td>'
                        f'{"".join(cells)}</tr>')
    if not rows:
        rows.append(f'<tr><td colspan="{len(head)}">所选机构在所选年度没有报告。</td></tr>')
    return (f'<div class="nb-scroll"><table class="nb-list nb-x-table"><caption>所选机构、年度和指标</caption>'
            f'<thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _measure_picker(state: dict) -> str:
    groups = []
    for group in GROUPS:
        items = [m for m in MEASURES if m.group == group]
        boxes = "".join(
            f'<li><label><input type="checkbox" name="m" value="{esc(m.id)}"{" checked" if m.id in state["m"] else ""}> '
            f'{esc(m.label)}</label></li>' for m in items)
        chosen = sum(m.id in state["m"] for m in items)
        groups.append(f'<details class="nb-x-group"{" open" if chosen else ""}><summary>{group}（{len(items)} 项）</summary>'
                      f'<ul class="nb-x-list">{boxes}</ul></details>')
    return f'<fieldset class="nb-x-measures"><legend>指标</legend>{"".join(groups)}</fieldset>'


def _controls(state: dict, index: dict) -> str:
    years = "".join(f'<label><input type="checkbox" name="y" value="{y}"{" checked" if y in state["y"] else ""}> {y}</label>'
                    for y in index["years"])
    return (
        '<form class="nb-x-controls" hidden onsubmit="return false">'
        '<fieldset class="nb-x-agencies"><legend>机构</legend>'
        '<details class="nb-x-regions"><summary>按地区选择</summary><ul class="nb-x-tree"></ul></details>'
        '<p class="nb-x-or">或者按地区、类别、名称查找：</p>'
        '<div class="nb-x-filters"><label>省级 <select name="province"><option value="">全部</option></select></label>'
        '<label>地级 <select name="city"><option value="">全部</option></select></label>'
        '<label>机构类别 <select name="kind"><option value="">全部</option></select></label>'
        '<label>名称 <input type="search" name="q" placeholder="输入机构名称" autocomplete="off"></label></div>'
        '<p class="nb-x-found" aria-live="polite"></p><ul class="nb-x-list nb-x-candidates"></ul>'
        '<p><button type="button" class="md-button nb-x-add-all">加入所列全部机构</button></p>'
        '<p class="nb-x-chosen-label">已选机构：</p><ul class="nb-x-chosen"></ul></fieldset>'
        f'<fieldset class="nb-x-years"><legend>年度</legend>{years}</fieldset>'
        f"{_measure_picker(state)}"
        '<fieldset class="nb-x-rows"><legend>每行</legend>'
        f'<label><input type="radio" name="g" value=""{"" if state.get("g") else " checked"}> 一份报告（机构 × 年度）</label>'
        f'<label><input type="radio" name="g" value="total"{" checked" if state.get("g") else ""}> 一个机构（所选年度合计）</label>'
        "</fieldset>"
        '<fieldset class="nb-x-view"><legend>显示为</legend>'
        f'<label><input type="radio" name="v" value="table"{" checked" if state["v"] == "table" else ""}> 表格</label>'
        f'<label><input type="radio" name="v" value="chart"{" checked" if state["v"] == "chart" else ""}> 图表</label>'
        "</fieldset></form>"
    )


def render_explore(state: dict, agencies: dict[str, AgencyEntry], by_key: dict, index: dict) -> str:
    here = HERE
    intro = ("<p>选择机构（按地区、类别或名称）、年度和指标（表二、表三、表四的每一行和计算出的比率），"
             "每行是一份报告，或一个机构在所选年度的合计（合计注明几年给出了这个数字）。结果可以显示为表格或图表。所选内容都在网址里：刷新、前进后退或把网址发给别人，看到的都是同一视图。"
             "“未提供”表示报告没有给出这个数字（不是 0）；“无法识别”表示报告印了这个数字但无法读出；"
             "“不适用”表示报告所用模板没有这一项，或比率的分母为 0。⚠ 表示这个数字所在的表格核对未通过，点击可看问题。</p>")
    noscript = ("<noscript><p>下面是默认视图。选择其他机构、年度和指标需要启用 JavaScript；"
                f'也可以在<a href="{href(here, "compare/")}">比较</a>页和<a href="{href(here, "downloads/")}">下载</a>页查看全部数据。</p></noscript>')
    body = (
        f'<div class="nb-page nb-explore" data-pagefind-ignore data-root="{href(here, "")}">'
        f"{intro}{noscript}"
        f'<p>各省汇总、排名、不予公开理由和复议诉讼结果见<a href="{href(here, f"{HERE}summary/")}">汇总</a>页。</p>'
        f"{_controls(state, index)}"
        '<p class="nb-x-status" role="status" aria-live="polite"></p>'
        f'<div class="nb-x-result">{table_html(state, agencies, by_key, here)}</div>'
        f"<template class=\"nb-x-default\">{json_script(state, 'nb-x-state')}</template>"
        f'<link rel="stylesheet" href="{href(here, "assets/nianbao/explore.css")}">'
        f'<script src="{href(here, "assets/nianbao/explore.js")}"></script></div>\n'
    )
    return front_matter(TITLE, hide=["toc", "navigation"]) + f"# {TITLE}\n\n" + body
