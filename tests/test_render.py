"""Page generation as pure functions: records in, Markdown out (golden pages, layout, escaping, charts)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import plotly.graph_objects as go
import pytest

from nianbao import template as T
from nianbao.dataset import load_dataset
from nianbao.model import Report
from nianbao.render import NA, esc, href, json_script
from nianbao.render.charts import agency_charts, chart_csv, chart_html, key_figures, report_chart
from nianbao.render.docs import site_agencies
from nianbao.render.pages import render_agency, render_report
from nianbao.render.regions import place_names, region_tree, slugs_for
from nianbao.render.report_tables import appeals_table, proactive_table, requests_table

FIXTURES = Path(__file__).parent / "fixtures" / "records"
GOLDEN = Path(__file__).parent / "golden" / "pages"
SITE_URL = "https://example.org/nianbao/"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(FIXTURES, FIXTURES / "agencies.yaml")


def _report(dataset, agency_id: str, year: int) -> Report:
    return next(r for r in dataset.reports if r.agency.id == agency_id and r.year == year)


def _links(dataset, agency_id: str):
    tree = region_tree(site_agencies(dataset))
    agency = site_agencies(dataset)[agency_id]
    node, out = tree, []
    for name in place_names(agency):
        node = node.children[name]
        out.append((name, node.path))
    return agency, out


def _check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    actual = path.with_name(path.stem + ".actual" + path.suffix)
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        actual.unlink(missing_ok=True)
        return
    assert path.exists(), f"no golden page {path}: run pytest --update-golden"
    if path.read_text(encoding="utf-8") != text:
        actual.write_text(text, encoding="utf-8")
        pytest.fail(f"{name} differs from its golden page; the output is in {actual}")
    actual.unlink(missing_ok=True)


# Golden pages ------------------------------------------------------------------------------------------

REPORT_GOLDENS = [
    ("fujian-pingtan", 2020),  # template 2019, a failed identity, ambiguous cells
    ("ningxia-zhongwei-minzheng", 2021),  # clean template 2021
    ("zhejiang-jiaojiang-minzheng", 2020),  # blank applicant columns (null), table 四 missing
    ("zhejiang-pinghu-minzheng", 2021),  # table 三 missing, source address known
    ("test-hostile", 2021),
]


@pytest.mark.parametrize(("agency_id", "year"), REPORT_GOLDENS)
def test_report_page_golden(dataset, update_golden, agency_id, year):
    agency, links = _links(dataset, agency_id)
    markdown, _ = render_report(_report(dataset, agency_id, year), agency, links, SITE_URL, "v-test")
    _check_golden(f"{agency_id}_{year}.md", markdown, update_golden)


@pytest.mark.parametrize("agency_id", ["fujian-pingtan", "test-hostile"])
def test_agency_page_golden(dataset, update_golden, agency_id):
    agency, links = _links(dataset, agency_id)
    reports = [r for r in dataset.reports if r.agency.id == agency_id]
    markdown, charts = render_agency(agency, reports, links, SITE_URL, "v-test")
    _check_golden(f"{agency_id}.md", markdown, update_golden)
    for chart in charts:
        _check_golden(f"{agency_id}.{chart.name}.csv", chart_csv(chart), update_golden)


# Layout of the template's tables --------------------------------------------------------------------------


class _Grid(HTMLParser):
    """Widths of each table row once rowspans and colspans are laid out, as a browser would."""

    def __init__(self):
        super().__init__()
        self.rows: list[int] = []
        self.carry: dict[int, int] = {}  # column → rows still covered by a rowspan from above
        self.col = 0
        self.cells: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.col = 0
        elif tag in ("td", "th"):
            while self.carry.get(self.col, 0) > 0:
                self.col += 1
            span, rows = int(a.get("colspan", 1)), int(a.get("rowspan", 1))
            for c in range(self.col, self.col + span):
                if rows > 1:
                    self.carry[c] = rows
            self.col += span
            self.in_cell, self.text = tag == "td", ""

    def handle_data(self, data):
        if self.in_cell:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "td":
            self.cells.append(self.text.strip())
            self.in_cell = False
        if tag == "tr":
            while self.carry.get(self.col, 0) > 0:
                self.col += 1
            self.rows.append(self.col)
            self.carry = {c: n - 1 for c, n in self.carry.items() if n - 1 > 0}


def _grid(html: str) -> _Grid:
    grid = _Grid()
    grid.feed(html)
    return grid


@pytest.mark.parametrize(("agency_id", "year"), [("fujian-pingtan", 2020), ("ningxia-zhongwei-minzheng", 2021)])
def test_tables_are_rectangular_and_show_every_cell(dataset, agency_id, year):
    report = _report(dataset, agency_id, year)
    flags: dict = {}
    requests = _grid(requests_table(report, flags))
    assert set(requests.rows) == {3 + len(T.APPLICANT_COLUMNS)}  # three label columns + seven numbers
    assert len(requests.rows) == 3 + len(T.REQUEST_ROWS[report.template])
    assert len(requests.cells) == len(T.REQUEST_ROWS[report.template]) * len(T.APPLICANT_COLUMNS)
    appeals = _grid(appeals_table(report, flags))
    assert appeals.rows == [15, 15, 15, 15]
    proactive = _grid(proactive_table(report, flags))
    assert len(set(proactive.rows)) == 1
    # Every number is the record's, in the template's order.
    expected = [getattr(getattr(report.requests, r.key), c) for r in T.REQUEST_ROWS[report.template] for c in T.APPLICANT_COLUMNS]
    assert [None if cell == NA else int(cell.split()[0].replace(",", "")) for cell in requests.cells] == expected


def test_null_is_shown_as_not_given_never_zero(dataset):
    report = _report(dataset, "zhejiang-jiaojiang-minzheng", 2020)
    nulls = [(r.key, c) for r in T.REQUEST_ROWS["2019"] for c in T.APPLICANT_COLUMNS
             if getattr(getattr(report.requests, r.key), c) is None]
    assert nulls, "the fixture has blank applicant columns"
    cells = _grid(requests_table(report, {})).cells
    assert cells.count(NA) == len(nulls)
    assert report.appeals is None
    assert f"表四：{NA}" in appeals_table(report, {})


def test_failed_identity_is_marked_beside_the_number_with_both_sides(dataset):
    report = _report(dataset, "fujian-pingtan", 2020)
    agency, links = _links(dataset, "fujian-pingtan")
    markdown, _ = render_report(report, agency, links)
    marked = re.findall(r'<td class="nb-bad">(.*?)</td>', markdown)
    assert len(marked) == 2
    assert "总计 20 ≠ 各项办理结果之和 26" in marked[0] and marked[0].startswith("20 ")
    assert "总计 21 ≠ 各项办理结果之和 27" in marked[1]
    assert markdown.count('<ul class="nb-identity">') == 1  # and listed under the table, in plain Chinese


def test_hostile_strings_are_inert(dataset):
    agency, links = _links(dataset, "test-hostile")
    report = _report(dataset, "test-hostile", 2021)
    pages = [render_report(report, agency, links)[0], render_agency(agency, [report], links)[0]]
    for markdown in pages:
        body = markdown.split("---\n", 2)[2]
        for bad in ("<script>", "<img", "href=\"javascript", "{{", "{%", "](", "<b>", "</title>", "`code`"):
            assert bad not in body.replace('<script type="application/json" class="nb-chart-data">', ""), bad
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123; 7*7 &#125;&#125;测试局" in body
    front = pages[0].split("---\n", 2)[1]
    assert "<" not in front and "{{" not in front  # Material prints the title unescaped


def test_esc_and_links():
    assert esc("<a href='x'>{{ y }}</a>[z](javascript:q)") == (
        "&lt;a href=&#x27;x&#x27;&gt;&#123;&#123; y &#125;&#125;&lt;/a&gt;&#91;z&#93;(javascript:q)"
    )
    assert esc("a\x02b\x03c") == "abc"  # Python-Markdown's placeholder markers never reach it
    assert href("agencies/a/2021/", "agencies/a/") == "../"
    assert href("agencies/a/", "regions/") == "../../regions/"
    assert href("", "agencies/a/") == "agencies/a/"
    assert href("regions/", "quality/") == "../quality/"


def test_chart_json_cannot_close_its_script_element():
    out = json_script({"name": "</script><script>alert(1)</script>", "t": "&\u2028"}, "c")
    assert out.count("</script") == 1 and out.endswith("</script>")
    inner = out[out.index(">") + 1 : -len("</script>")]
    assert json.loads(inner) == {"name": "</script><script>alert(1)</script>", "t": "&\u2028"}


# Charts ---------------------------------------------------------------------------------------------------


def _total(report: Report, row: str) -> int | None:
    return report.to_data()["requests"][row]["total"]


def test_agency_chart_data_are_the_records_numbers(dataset):
    reports = [r for r in dataset.reports if r.agency.id == "fujian-pingtan"]
    charts = {c.name: c for c in agency_charts(reports)}
    assert set(charts) == {"requests", "proactive", "decisions", "appeals"}
    traces = {t["name"]: t for t in charts["requests"].figure["data"]}
    assert traces["予以公开"]["y"] == [_total(r, "granted") for r in reports]
    assert traces["新收申请"]["y"] == [_total(r, "new_received") for r in reports]
    refused = [sum(v["total"] for k, v in r.to_data()["requests"].items() if k.startswith("refused_")) for r in reports]
    assert traces["不予公开"]["y"] == refused
    assert traces["结转下年"]["y"] == [_total(r, "carried_forward") for r in reports]
    assert traces["予以公开"]["x"] == ["2019年", "2020年", "2021年", "2022年"]
    proactive = charts["proactive"].figure["data"][0]["y"]
    assert proactive == [r.metrics["proactive_items"].value for r in reports]
    licensing = charts["decisions"].figure["data"][0]["y"]
    assert licensing == [r.to_data()["proactive"]["licensing"]["decisions"] for r in reports]
    assert licensing[0] is None  # missing stays missing (a gap), never 0
    for chart in charts.values():
        go.Figure(chart.figure)  # valid under plotly's own schema
        assert "template" not in chart.figure["layout"]


def test_report_chart_and_csv(dataset):
    report = _report(dataset, "fujian-pingtan", 2020)
    chart = report_chart(report)
    go.Figure(chart.figure)
    assert chart.figure["data"][0]["x"][0] == _total(report, "granted")
    assert chart.csv == "requests" and chart.file == "charts/fujian-pingtan-requests.csv"  # the agency's file
    assert 'href="../../../downloads/charts/fujian-pingtan-requests.csv"' in chart_html(chart, "agencies/fujian-pingtan/2020/")
    assert report_chart(_report(dataset, "zhejiang-pinghu-minzheng", 2021)) is None  # table 三 missing: no chart


def test_sums_are_missing_when_a_part_is_missing(dataset):
    report = _report(dataset, "zhejiang-pinghu-minzheng", 2021)
    figs = key_figures(report)
    assert figs["requests_received"] is None and figs["refused"] is None
    assert figs["proactive_items"] == 361
    assert figs["reconsiderations"] == 0


def test_region_slugs_are_ascii_stable_and_distinct():
    slugs = slugs_for(["山西省", "陕西省", "浙江省"])
    assert slugs["浙江省"] == "zhejiangsheng"
    assert slugs["山西省"] != slugs["陕西省"] and all(s.isascii() for s in slugs.values())
    assert slugs_for(["山西省", "陕西省"]) == {k: v for k, v in slugs.items() if k != "浙江省"}
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs_for(["<b>平湖</b>{% x %}", "2号区"]).values())


def test_every_problem_code_is_explained_on_the_methodology_page():
    from nianbao.checks import CHECK_CODES

    repo = Path(__file__).resolve().parent.parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((repo / "nianbao").rglob("*.py")))
    made = set(re.findall(r'(?:code=|_problem\(doc, )"([a-z0-9]+(?:-[a-z0-9]+)+|[a-z]+)"', source))
    codes = made | set(CHECK_CODES)
    page = (repo / "content" / "methodology.md").read_text(encoding="utf-8")
    assert len(codes) > 15
    assert [c for c in sorted(codes) if f"`{c}`" not in page] == []


def test_regions_tree_find_and_page(dataset):
    from nianbao.render.regions import find_region, render_region

    agencies = site_agencies(dataset)
    tree = region_tree(agencies)
    jiaxing = find_region(tree, "嘉兴市")
    assert jiaxing is find_region(tree, "zhejiangsheng/jiaxingshi") and jiaxing.path == "regions/zhejiangsheng/jiaxingshi/"
    assert find_region(tree, "浙江省").count() == 3
    assert find_region(tree, "平湖市") is None  # shards are provinces or cities
    latest = {r.agency.id: r for r in dataset.reports}
    page = render_region(find_region(tree, "浙江省"), tree, agencies, latest)
    assert page.count('<th scope="row"><a href="') == 3  # every agency below, each once
    assert '<a href="../../agencies/zhejiang-pinghu-minzheng/">平湖市民政局</a>' in page
    assert "<td>嘉兴市平湖市</td>" in page


def test_short_place_drops_the_suffix_and_the_nationalities():
    from nianbao.render.regions import short_place

    cases = {"额济纳旗": "额济纳", "拉孜县": "拉孜", "乳源瑶族自治县": "乳源", "酉阳土家族苗族自治县": "酉阳",
             "宁夏回族自治区": "宁夏", "平湖市": "平湖", "阿拉善盟": "阿拉善", "塔城地区": "塔城",
             "积石山保安族东乡族撒拉族自治县": "积石山", "城区": "城区", "延边朝鲜族自治州": "延边"}
    assert {name: short_place(name) for name in cases} == cases


def test_search_terms_hold_every_piece_a_browser_may_cut_a_name_into():
    from nianbao.registry import AgencyEntry
    from nianbao.render.pages import render_agency
    from nianbao.render.terms import search_terms

    agency = AgencyEntry(id="nmg-ejina-minzheng", name="额济纳旗民政局", province="内蒙古自治区", city="阿拉善盟",
                         county="额济纳旗", kind="民政局")
    terms = search_terms(agency)
    assert terms[:4] == ["额济纳旗民政局", "额济纳旗", "阿拉善盟", "内蒙古自治区"]
    assert {"额济纳", "阿拉善", "内蒙古", "额", "济", "纳", "旗", "民政局", "阿拉", "善"} <= set(terms)
    assert len(terms) == len(set(terms))
    markdown, _ = render_agency(agency, [], [("内蒙古自治区", "regions/a/"), ("阿拉善盟", "regions/a/b/")])
    line = next(x for x in markdown.split("<p ") if x.startswith('class="nb-terms"'))
    assert 'aria-hidden="true"' in line and "data-pagefind-weight" in line and " 额 济 纳 旗 " in line


def _badge(markdown: str) -> tuple[str, str]:
    found = re.search(r'<a class="(nb-badge[^"]*)"[^>]*>([^<]*)</a>', markdown)
    return found.group(1), found.group(2)


def test_badges_follow_the_worst_severity(dataset):
    """Red only when a check fails; an info hint alone is a neutral badge, never "N 个问题" in red."""
    def badge(agency_id, year):
        agency, links = _links(dataset, agency_id)
        return _badge(render_report(_report(dataset, agency_id, year), agency, links)[0])

    assert badge("ningxia-zhongwei-minzheng", 2021) == ("nb-badge nb-badge--info", "数据检查：1 个提示")
    assert badge("zhejiang-pinghu-minzheng", 2021) == ("nb-badge nb-badge--error", "数据检查：1 个错误 · 1 个提示")
    assert badge("fujian-pingtan", 2020)[0] == "nb-badge nb-badge--error"
    assert badge("xinjiang-wusu-minzheng", 2021) == ("nb-badge nb-badge--ok", "数据检查：未发现问题")


def test_agency_chart_marks_the_failing_year_with_both_sides(dataset):
    reports = [r for r in dataset.reports if r.agency.id == "fujian-pingtan"]
    charts = {c.name: c for c in agency_charts(reports)}
    marks = {m["x"]: m for m in charts["requests"].figure["layout"]["annotations"]}
    mark = marks["2020年"]
    assert set(marks) <= {"2020年", "2022年"} and "2019年" not in marks and 'href="2020/#problems"' in mark["text"]
    assert "报告为 21" in mark["hovertext"] and "各项办理结果之和为 27" in mark["hovertext"]
    assert mark["y"] >= 27  # above the stacked bar, which reaches 27 while the line is at 21
    assert "annotations" not in charts["decisions"].figure["layout"]  # table 二 fails no identity
    html = chart_html(charts["requests"], "agencies/fujian-pingtan/")
    assert "⚠ 核对未通过" in html and "报告为 21，各项办理结果之和为 27" in html  # the text equivalent says it too
    go.Figure(charts["requests"].figure)


def test_zero_is_a_baseline_mark_and_missing_a_gap_with_its_state(dataset):
    reports = [r for r in dataset.reports if r.agency.id == "fujian-pingtan"]
    charts = {c.name: c for c in agency_charts(reports)}
    marks = {t["name"]: t for t in charts["appeals"].figure["data"] if t.get("meta") == "marks"}
    review = marks["行政复议（0 或未给出）"]
    zero_years = [f"{r.year}年" for r in reports if key_figures(r)["reconsiderations"] == 0]
    assert zero_years and review["x"] == zero_years and set(review["customdata"]) == {"0 件"}
    assert review["marker"]["symbol"][0] == "line-ew" and review["offsetgroup"] == "reconsiderations"
    decisions = {t["name"]: t for t in charts["decisions"].figure["data"] if t.get("meta") == "marks"}
    licensing = decisions["行政许可决定（0 或未给出）"]
    assert licensing["x"][:2] == ["2019年", "2020年"]
    assert licensing["customdata"][1] == "无法识别：原文印作“396442278”（原文第 1 行）"
    for chart in charts.values():
        go.Figure(chart.figure)


def test_a_printed_but_unreadable_cell_says_so_with_its_printed_text(dataset):
    """平潭 2020's 行政许可 is printed as one run of digits (396442278) with several readings: 无法识别,
    the run and its line, never 未提供 (which is for what the report does not give)."""
    report = _report(dataset, "fujian-pingtan", 2020)
    table = proactive_table(report, {})
    licensing = re.search(r"<th scope=\"row\">行政许可</th>(.*?)</tr>", table).group(1)
    assert licensing == '<td class="nb-unread" colspan="3">无法识别：原文印作“396442278”（原文第 1 行）</td>'
    assert NA not in licensing
    # A row the report leaves blank stays 未提供 (中卫 prints every cell; 平湖's table 三 is missing).
    assert "无法识别" not in requests_table(_report(dataset, "zhejiang-pinghu-minzheng", 2021), {})


def test_chart_caption_counts_only_what_the_report_does_not_give(dataset):
    reports = [r for r in dataset.reports if r.agency.id == "fujian-pingtan"]
    decisions = next(c for c in agency_charts(reports) if c.name == "decisions")
    html = chart_html(decisions, "agencies/fujian-pingtan/")
    assert "（4 个数字无法识别，图中留空）" in html and "报告未提供" not in html
    assert html.count('<span class="nb-unread" title="原文印作“396442278”（原文第 1 行）">无法识别</span>') == 1


def test_citation_without_a_site_address_names_the_page_path_never_an_invented_host(dataset):
    agency, links = _links(dataset, "ningxia-zhongwei-minzheng")
    report = _report(dataset, "ningxia-zhongwei-minzheng", 2021)
    for markdown in (render_report(report, agency, links, "", "v-test")[0], render_agency(agency, [report], links, "", "v-test")[0]):
        cite = re.search(r'<p class="nb-cite">(.*?)</p>', markdown).group(1)
        assert "example.org" not in markdown and "http" not in cite.split("数据版本")[-1]
        assert re.search(r'<span class="nb-cite-url" data-nb-page-url>本站 /agencies/ningxia-zhongwei-minzheng/(2021/)?</span>', cite)
    with_url = render_report(report, agency, links, "https://site.test/nb/", "v-test")[0]
    assert "https://site.test/nb/agencies/ningxia-zhongwei-minzheng/2021/。" in with_url


def test_no_site_address_in_the_repository_config_and_about_links_the_tracker(monkeypatch):
    import argparse

    from nianbao.render import settings as site

    monkeypatch.delenv("NIANBAO_SITE_URL", raising=False)
    monkeypatch.setattr(site, "mkdocs_yml", lambda: Path(__file__).parents[1] / "mkdocs.yml")
    assert site.resolve_site_url(argparse.Namespace(site_url=None)) == ""  # no placeholder host
    monkeypatch.delenv("NIANBAO_REPOSITORY", raising=False)
    assert site.resolve_repository() == ""
    monkeypatch.setenv("NIANBAO_REPOSITORY", "https://github.com/owner/nianbao/")
    assert site.resolve_repository() == "https://github.com/owner/nianbao"
    monkeypatch.setenv("NIANBAO_REPOSITORY", "javascript:alert(1)")
    assert site.resolve_repository() == ""
    about = (Path(__file__).parents[1] / "content" / "about.md").read_text(encoding="utf-8")
    linked = site.render_about(about, "https://github.com/owner/nianbao")
    assert "[在仓库中提交问题（issue）](https://github.com/owner/nianbao/issues)" in linked and "<!--" not in linked
    unlinked = site.render_about(about, "")
    assert "在仓库中提交问题（issue）" in unlinked and "/issues)" not in unlinked and "<!--" not in unlinked


def test_chart_csv_names_the_agency_unit_source_and_version_and_validates(dataset, tmp_path):
    from frictionless import Package

    from nianbao.render.chartfiles import all_agency_charts, chart_files, chart_resources

    charts = all_agency_charts(dataset.reports)
    files = chart_files(charts, "v-test")
    assert "charts/fujian-pingtan-requests.csv" in files and "charts/fujian-pingtan-decisions.csv" in files
    assert not [f for f in files if f.endswith("/requests.csv")]  # never a bare requests.csv
    text = files["charts/fujian-pingtan-decisions.csv"].decode("utf-8-sig").splitlines()
    assert text[0] == "年份,行政许可决定,行政处罚决定,机构代码,单位,来源,数据版本"
    assert text[1].startswith("2019年,,,fujian-pingtan,件,") and text[1].endswith(",v-test")
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    package = {"name": "charts", "resources": chart_resources(charts)}
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    result = Package(str(tmp_path / "datapackage.json")).validate()
    assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_failed_identity_whose_message_lacks_the_sides_gets_them(dataset):
    from nianbao.model import Problem

    agency, links = _links(dataset, "xinjiang-wusu-minzheng")
    report = _report(dataset, "xinjiang-wusu-minzheng", 2021)
    odd = Problem(code="identity-balance", severity="error", message="表三的勾稽关系不成立", table="requests",
                  row="total_handled", column="total", left=5, right=7)
    markdown = render_report(report.model_copy(update={"problems": [odd]}), agency, links)[0]
    assert "表三的勾稽关系不成立（新收＋上年结转 5 ≠ 办理总计＋结转下年 7）" in markdown
