"""Pages as pure functions: records in, Markdown (mostly raw HTML blocks) out.

Every string from a report goes through `esc`; every link is relative (`href`). Tables of numbers carry
`data-pagefind-ignore`, and so does the prose: the search index holds names, places, years, template terms and
headings (render/terms.py; what a search costs grows with every word indexed, SCALING.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import template as T
from ..analysis import BY_KEY, key_figures
from ..citation import cite_agency, cite_report
from ..model import Problem, Report
from ..registry import AgencyEntry
from . import NA, esc, front_matter, href, link_out, num
from .charts import Chart, agency_charts, chart_html, report_chart
from .prose import prose_html
from .report_tables import appeals_table, identity_flags, proactive_table, requests_table, sides
from .source import SourceLinks, View, provenance_facts
from .status import SEVERITY, SEVERITY_ORDER, badge_class, figure_state, summary
from .terms import page_meta, report_terms, search_line, search_terms
from .yearly import render_year_over_year

TEMPLATE_NAMES = {
    "2019": "2019 年版格式（国办公开办函〔2019〕60号）",
    "2021": "2021 年版格式（国办公开办函〔2021〕30号）",
}
METRIC_LABELS = {"proactive_items": "主动公开政府信息（条）", "requests_received": "收到政府信息公开申请（件）"}


def agency_path(agency_id: str) -> str:
    return f"agencies/{agency_id}/"


def report_path(report: Report) -> str:
    return f"agencies/{report.agency.id}/{report.year}/"


TITLE_TAIL = "政府信息公开工作年度报告"


def report_title(agency_name: str, year: int | None) -> str:
    return f"{agency_name} {year} 年{TITLE_TAIL}"


def _page(title: str, body: Sequence[str], indexed: bool = True) -> str:
    attr = " data-pagefind-body" if indexed else ""
    # nb-wide: no navigation sidebar on wide screens (site.css), so table 四 fits; phones keep the drawer.
    return front_matter(title, hide=["toc"]) + f'<div class="nb-page nb-wide"{attr}>' + "\n".join(body) + "</div>\n"


def _badge(here: str, problems: Sequence[Problem], anchor: str) -> str:
    """Coloured by the worst problem (status.badge_class): red only when a check fails."""
    text = f"数据检查：{summary(problems) or '未发现问题'}"
    target = href(here, "quality/") + (f"#{anchor}" if problems else "")  # the quality page lists only reports with problems
    return f'<a class="{badge_class(problems)}" href="{target}" data-pagefind-ignore>{text}</a>'


def _facts(items: Sequence[tuple[str, str]], indexed: bool = True) -> str:
    return '<dl class="nb-facts"' + ("" if indexed else " data-pagefind-ignore") + ">" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def _crumbs(here: str, region_links: Sequence[tuple[str, str]], extra: Sequence[tuple[str, str]] = (), indexed: bool = True) -> str:
    links = [f'<a href="{href(here, "regions/")}">地区</a>']
    links += [f'<a href="{href(here, path)}">{esc(name)}</a>' for name, path in (*region_links, *extra)]
    ignore = "" if indexed else " data-pagefind-ignore"
    return f'<nav class="nb-crumbs" aria-label="所在位置"{ignore}>' + " › ".join(links) + "</nav>"


PAGE_URL = "NIANBAO-PAGE-ADDRESS"  # where the page's address goes in a citation built before it is known


def _citation(cite, here: str, site_url: str) -> str:
    """The citation, `cite(page_url)` → text. With the site's address configured it names the page's full
    address; without one it names the page's path on the site (never an invented host), which the site
    script replaces by the address the reader is on."""
    if site_url:
        text = esc(cite(site_url + here))
    else:
        text = esc(cite(PAGE_URL)).replace(PAGE_URL, f'<span class="nb-cite-url" data-nb-page-url>本站 /{esc(here)}</span>')
    return f'<div data-pagefind-ignore="all"><h2 id="cite">引用</h2><p class="nb-cite">{text}</p></div>'


# Agency page ------------------------------------------------------------------------------------------


def render_agency(
    agency: AgencyEntry, reports: Sequence[Report], region_links: Sequence[tuple[str, str]], site_url: str = "",
    version: str = "",
) -> tuple[str, list[Chart]]:
    """The agency page and its charts (the caller writes each chart's CSV next to the page)."""
    here = agency_path(agency.id)
    reports = [r for r in reports if r.year is not None]
    problems = [p for r in reports for p in r.problems]
    body = [_crumbs(here, region_links)]
    body.append(f'<h1 data-pagefind-meta="title" data-pagefind-weight="10">{esc(agency.name)}</h1>')
    body.append(_badge(here, problems, f"q-{agency.id}"))
    place = "".join(name for name, _ in region_links) or NA
    body.append(page_meta(agency, place, "agency") + search_line(search_terms(agency), "agency"))
    years = "、".join(f'<a href="{href(here, report_path(r))}">{r.year} 年</a>' for r in reports) or "暂无"
    # Not indexed: the facts repeat the places and name above; the years are links, not words to search.
    body.append(_facts([("地区", esc(place)), ("类别", esc(agency.kind or NA)), ("网站", link_out(agency.website)), ("年度报告", years)],
                       indexed=False))
    charts: list[Chart] = []
    if reports:
        body.append('<h2 id="figures">主要数字（逐年变化）</h2>')
        body.append(render_year_over_year(reports, here))
        charts = agency_charts(reports)
        if charts:
            body.append('<h2 id="charts">图表</h2>')
            body.extend(chart_html(c, here, version, site_url) for c in charts)
        body.append('<div data-pagefind-ignore="all"><h2 id="reports">各年度报告</h2><ul>')
        body.extend(f'<li><a href="{href(here, report_path(r))}">{esc(report_title(agency.name, r.year))}</a>（数据检查：{summary(r.problems) or "未发现问题"}）</li>' for r in reversed(reports))
        body.append("</ul></div>")
    else:
        body.append("<p>还没有这个机构的报告。</p>")
    body.append(_citation(lambda url: cite_agency(agency, reports, url, version), here, site_url))
    return _page(agency.name, body), charts


# Report page ------------------------------------------------------------------------------------------


def render_report(
    report: Report, agency: AgencyEntry, region_links: Sequence[tuple[str, str]], site_url: str = "",
    version: str = "", source: View | None = None,
) -> tuple[str, list[Chart]]:
    """`source`: the report's source view when the site publishes it (render/source.py), so every figure
    links to where it was read."""
    here = report_path(report)
    src = SourceLinks(report, here, source)
    title = report_title(agency.name, report.year)
    flags = identity_flags(report.problems)
    # Indexed: the title, the key line, the section headings and the search terms (terms.py). Not the
    # places, the facts, nor the prose: Pagefind's memory and a query's download grow with every word it
    # indexes, and the prose was two thirds of them (SCALING.md).
    body = [_crumbs(here, region_links, [(agency.name, agency_path(agency.id))], indexed=False)]
    # The title's name and year are indexed, its common tail is not: every report page says it, and a
    # search for 公开 would take its excerpt there rather than from the prose or the key figures.
    body.append(f'<h1 data-pagefind-meta="title:{esc(title)}">{esc(title.removesuffix(TITLE_TAIL))}'
                f'<span data-pagefind-ignore>{TITLE_TAIL}</span></h1>')
    body.append(_badge(here, report.problems, f"q-{agency.id}-{report.year}"))
    key_line, key_text = _key_line(report)
    body.append(key_line)
    prose = "\n".join([key_text, *(sec.text for sec in report.sections)])
    body.append(page_meta(agency, "".join(name for name, _ in region_links), "report", report.year)
                + search_line(report_terms(agency, prose), "report"))
    body.append(_facts([
        ("机构", f'<a href="{href(here, agency_path(agency.id))}">{esc(agency.name)}</a>'),
        ("年度", f"{report.year} 年"),
        ("报告标题", esc(report.title or NA)),
        ("表格格式", esc(TEMPLATE_NAMES.get(report.template or "", "无统一表格（2019 年以前）"))),
        ("成文日期", esc(report.published.isoformat() if report.published else NA)),
    ], indexed=False))
    toc = [("problems", "数据问题"), ("s1", "一、总体情况"), ("t2", "二、主动公开"), ("t3", "三、申请办理"), ("t4", "四、复议诉讼"),
           ("s5", "五、问题及改进"), ("s6", "六、其他事项"), ("metrics", "正文中的数字"), ("source", "来源")]
    body.append('<nav class="nb-toc" aria-label="本页目录" data-pagefind-ignore="all">' + " · ".join(f'<a href="#{a}">{t}</a>' for a, t in toc) + "</nav>")
    if src.base:
        body.append(f'<p class="nb-src-note" data-pagefind-ignore>表格和正文中的数字都链接到原文中读取它的位置（<a href="{src.base}">查看原文</a>）。</p>')
    body.append(_problem_list(report.problems, src))
    sections = {s.number: s for s in report.sections}
    chart = report_chart(report)
    for number in range(1, 7):
        anchor = f"t{number}" if number in (2, 3, 4) else f"s{number}"
        # A table section's heading is the same on every page and nothing under it is indexed: left out.
        ignore = " data-pagefind-ignore" if number in (2, 3, 4) else ""
        body.append(f'<h2 id="{anchor}"{ignore}>{"一二三四五六"[number - 1]}、{T.SECTION_TITLES[number]}</h2>')
        section = sections.get(number)
        if number == 2:
            body.append(proactive_table(report, flags, src))
        elif number == 3:
            body.append(requests_table(report, flags, src))
            if chart:
                body.append(chart_html(chart, here, version, site_url))
        elif number == 4:
            body.append(appeals_table(report, flags, src))
        if section and section.text.strip():
            body.append(_prose(section.text, anchor))
        elif number not in (2, 3, 4):
            body.append(f'<p class="nb-na">报告中{"没有这一部分" if section is None else "这一部分没有文字"}。</p>')
    body.append(_metrics(report, src))
    body.append(_source(report, src))
    body.append(_citation(lambda url: cite_report(report, agency, url, version), here, site_url))
    return _page(title, body), [chart] if chart else []


# The figures a search names by their template term (行政复议, 不予公开 …), as one indexed line at the top
# of the report page. A term whose figure is above zero weighs more, so a search for 行政复议 lists first
# the reports that had reconsiderations (Pagefind's data-pagefind-weight).
KEY_LINE = (("proactive_items", "主动公开政府信息"), ("requests_received", "依申请公开申请"), ("refused", "不予公开"),
            ("reconsiderations", "行政复议"), ("lawsuits", "行政诉讼"))


def _key_line(report: Report) -> tuple[str, str]:
    """The line's HTML and its text."""
    figures = key_figures(report)
    if all(figures[key] is None for key, _ in KEY_LINE):
        return "", ""
    parts, words = [], []
    for key, phrase in KEY_LINE:
        value = figures[key]
        unit = BY_KEY[key].unit
        shown = f"{value:,} {unit}" if value is not None else figure_state(report, key)
        weight = "6" if value else "0.5"
        parts.append(f'<span data-pagefind-weight="{weight}">{phrase} {shown}</span>')
        words.append(f"{phrase} {shown}")
    return f'<p class="nb-keyline">本年：{"；".join(parts)}。</p>', "；".join(words)


PROSE_IGNORED = 'data-pagefind-ignore="all"'  # tests/test_search_terms.py
LONG_PROSE = 400  # characters: longer sections are folded on phones (site.css), so the tables are reached


def _prose(text: str, anchor: str) -> str:
    """A section's text, not indexed (render_report). On a phone a long one shows its first lines and a
    展开全文 switch: a checkbox and its label, so it works without JavaScript; on wider screens it is shown whole."""
    if len(text) <= LONG_PROSE:
        return f'<div class="nb-prose" {PROSE_IGNORED}>{prose_html(text)}</div>'
    return _fold(f'<div class="nb-prose nb-long" {PROSE_IGNORED}>{prose_html(text)}</div>', anchor, f"展开全文（{len(text)} 字）")


def _fold(block: str, anchor: str, label: str) -> str:
    """`block` (whose outer element has class nb-long) folded on phones behind a checkbox labelled `label`."""
    toggle = f"more-{anchor}"
    return (f'<input type="checkbox" class="nb-more" id="{toggle}" data-pagefind-ignore>{block}'
            f'<label class="nb-more-label" for="{toggle}" data-pagefind-ignore>{label}</label>')


def _problem_list(problems: Sequence[Problem], src: SourceLinks | None = None) -> str:
    if not problems:
        return '<div data-pagefind-ignore="all"><h2 id="problems">数据问题</h2><p>自动检查没有发现问题。</p></div>'
    items = []
    for p in sorted(problems, key=lambda p: SEVERITY_ORDER.index(p.severity)):  # errors first (stable)
        where = src.problem_where(p) if src else (f"（原文第 {p.line} 行）" if p.line else "")
        # The printed text, unless the message already quotes it (an ambiguous run of digits).
        text = f"<br><span class=\"nb-quote\">原文：{esc(p.text)}</span>" if p.text and p.text not in p.message else ""
        has_sides = (p.left is not None or p.right is not None) and "报告为" not in p.message
        both = f"（{sides(p)}）" if has_sides else ""
        items.append(
            f'<li><span class="nb-sev nb-sev--{esc(p.severity)}">{SEVERITY.get(p.severity, "")}</span> '
            f"{esc(p.message)}{both}{where} <code>{esc(p.code)}</code>{text}</li>"
        )
    listed = f'<ul class="nb-problems{" nb-long" if len(items) > 3 else ""}">{"".join(items)}</ul>'
    if len(items) > 3:
        listed = _fold(listed, "problems", f"展开全部 {len(items)} 个问题")
    return f'<div data-pagefind-ignore="all"><h2 id="problems">数据问题（{len(problems)}）</h2>{listed}</div>'



def _metric_label(key: str, template: str | None) -> str:
    if key in METRIC_LABELS:
        return METRIC_LABELS[key]
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "table2" and template:
        rows = {r.key: r.label for r in T.PROACTIVE_ROWS[template]}
        labels = T.PROACTIVE_COLUMN_LABELS_2019 if template == "2019" else T.PROACTIVE_COLUMN_LABELS
        if parts[1] in rows and parts[2] in labels:
            return f"表二 {rows[parts[1]]} {labels[parts[2]]}"
    return esc(key)


def _metrics(report: Report, src: SourceLinks | None = None) -> str:
    # The quotes repeat the prose: the whole block is left out of the index, as the prose is.
    out = '<div data-pagefind-ignore="all"><h2 id="metrics">正文中的数字</h2>'
    if not report.metrics:
        return out + "<p>没有从正文中提取到数字。</p></div>"
    rows = "".join(
        f'<tr><th scope="row">{_metric_label(k, report.template)}</th><td>{num(m.value)}</td>'
        f'<td class="nb-quote">{esc(m.quote)}</td><td>{_metric_line(k, m.line, src)}</td></tr>'
        for k, m in sorted(report.metrics.items())
    )
    return out + f'<div class="nb-scroll"><table class="nb-metrics"><thead><tr><th>数字</th><th>数值</th><th>原文</th><th>行</th></tr></thead><tbody>{rows}</tbody></table></div></div>'


def _metric_line(key: str, line: int, src: SourceLinks | None) -> str:
    link = (src.href("metrics", key) or src.line(line)) if src else ""
    return f'<a href="{link}">{line}</a>' if link else str(line)  # the column's head says what it is


def _source(report: Report, src: SourceLinks | None = None) -> str:
    s = report.source
    name = esc(s.original_name or s.path or NA)
    if src and src.raw:
        name = f'<a href="{src.raw}" download>{name}</a>'
    elif src and src.withheld:  # said plainly: the sha256 below still lets a reader check a copy
        name += f"（{esc(src.withheld)}；可从原始地址获取，用下面的 SHA-256 核对）"
    if src and src.base:
        name += f'（<a href="{src.base}">查看原文文本</a>）'
    items = [
        ("文件", name),
        ("SHA-256", f"<code>{esc(s.sha256)}</code>" if s.sha256 else NA),
        *provenance_facts(report),
    ]
    if report.corrections:
        items.append(("更正", "；".join(f"{esc(c.path)}：{esc(c.original)} → {esc(c.value)}（{esc(c.reason)}）" for c in report.corrections)))
    return '<div data-pagefind-ignore="all"><h2 id="source">来源</h2>' + _facts(items) + "</div>"


# Home and placeholder pages ----------------------------------------------------------------------------


def render_home(intro: str, reports: Sequence[Report], agencies: dict[str, AgencyEntry], provinces: Sequence[tuple[str, str, int]]) -> str:
    """Home: the hand-written intro (content/home.md, trusted Markdown), counts, latest reports, search, regions.

    `provinces` is (name, path, agency count) per top-level region.
    """
    here = ""
    years = sorted({r.year for r in reports if r.year is not None})
    counts = (
        f'<ul class="nb-counts"><li><strong>{len(agencies)}</strong> 个机构</li><li><strong>{len(reports)}</strong> 份报告</li>'
        f"<li><strong>{len(years)}</strong> 个年度{'（' + str(years[0]) + '—' + str(years[-1]) + '）' if years else ''}</li></ul>"
    )
    out = [front_matter("首页", hide=["toc"]), intro.strip(), "", '<div class="nb-page nb-wide">', counts]
    out.append('<h2 id="search">搜索</h2><div class="nb-search-home" role="search"></div>'
               '<noscript><p>搜索需要启用 JavaScript；也可以按地区浏览。</p></noscript>')
    if not reports:
        out.append('<h2 id="latest">最新报告</h2><p class="nb-empty">还没有任何报告。用 <code>nianbao ingest</code> 加入报告后重新生成网站。</p>')
    else:
        latest = sorted(reports, key=lambda r: (r.year or 0, r.published.isoformat() if r.published else "", r.agency.id), reverse=True)[:10]
        items = "".join(
            f'<li><a href="{href(here, report_path(r))}">{esc(report_title(agencies[r.agency.id].name, r.year))}</a></li>'
            for r in latest if r.year is not None
        )
        out.append(f'<h2 id="latest">最新报告</h2><ul>{items}</ul>')
    if provinces:
        items = "".join(f'<li><a href="{href(here, path)}">{esc(name)}</a>（{n}）</li>' for name, path, n in provinces)
        out.append(f'<h2 id="regions">按地区浏览</h2><ul class="nb-regions">{items}</ul>')
    out.append("</div>")
    return out[0] + "\n".join(out[1:4]) + "\n".join(out[4:]) + "\n"


PLACEHOLDERS = {
    "compare": ("比较", "按年度比较各机构的主要数字。这一页正在制作中。"),
    "explore": ("数据浏览", "选择机构、年度和指标，以表格或图表查看。这一页正在制作中。"),
    "quality": ("数据质量", "每份报告的数据问题（缺表、无法识别的数字、不成立的勾稽关系）。这一页正在制作中；各报告页上已列出其问题。"),
    "downloads": ("下载", "全部数据的 CSV、Excel 和 JSON 下载。这一页正在制作中；各图表下方可以下载其数据（CSV）。"),
}


def render_placeholder(section: str) -> str:
    title, text = PLACEHOLDERS[section]
    return front_matter(title, hide=["toc"]) + f"# {title}\n\n{text}\n"
