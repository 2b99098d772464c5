"""The grapher tabs on the charts (图表 · 数据表 · 来源 · 下载 · 引用) and a chart page's weight, in Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from ..conftest import load_script
from .test_layout import _describe, run_axe

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
TABS = ["图表", "数据表", "来源", "下载", "引用"]


def _pingtan(dataset) -> str:
    (found,) = [a.id for a in dataset.agencies.values() if "平潭" in a.name]
    return found


def _open(page, url: str):
    """The agency page with every chart drawn; its first figure (收到的申请及办理结果)."""
    page.goto(url)
    page.wait_for_function("() => [...document.querySelectorAll('.nb-chart')].every(e => e.querySelector('.main-svg'))")
    return page.locator("figure.nb-figure").first


def _meta(figure) -> dict:
    return json.loads(figure.evaluate("f => f.querySelector('template.nb-chart-spec').content"
                                      ".querySelector('.nb-chart-meta').textContent"))


def _shown(figure) -> list[list[str]]:
    """The data table as the table tab shows it, a number without its thousands separators."""
    rows = figure.locator(".nb-panel-table table").evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.textContent.replace(/\\s+/g, ' ').trim()))")
    return [[re.sub(r"(?<=\d),(?=\d{3})", "", cell) for cell in row] for row in rows]


def test_tabs_follow_the_aria_pattern_and_each_shows_its_view(page, base_url, dataset):
    figure = _open(page, base_url + f"agencies/{_pingtan(dataset)}/")
    tabs = figure.get_by_role("tab")
    assert tabs.all_inner_texts() == TABS
    assert figure.get_by_role("tablist").count() == 1
    assert tabs.nth(0).get_attribute("aria-selected") == "true" and figure.locator(".nb-chart").is_visible()
    assert not figure.locator(".nb-panel-table").is_visible()
    # Keyboard: the selected tab is the one stop; arrows, Home and End move and select.
    tabs.nth(0).focus()
    page.keyboard.press("ArrowRight")
    assert tabs.nth(1).get_attribute("aria-selected") == "true" and tabs.nth(1).evaluate("t => t === document.activeElement")
    assert figure.locator(".nb-panel-table table").is_visible() and not figure.locator(".nb-chart").is_visible()
    assert [tabs.nth(i).get_attribute("tabindex") for i in range(5)] == ["-1", "0", "-1", "-1", "-1"]
    page.keyboard.press("End")
    assert figure.get_by_role("tabpanel").inner_text().count("@misc{") == 1
    page.keyboard.press("ArrowRight")  # wraps round to the chart
    assert tabs.nth(0).get_attribute("aria-selected") == "true" and figure.locator(".nb-chart .main-svg").first.is_visible()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    # The sources tab: each measure as the template words it, the reports with their problems, the version.
    tabs.nth(2).click()
    sources = figure.get_by_role("tabpanel")
    text = sources.inner_text()
    meta = _meta(figure)
    assert "「（三）不予公开」下 8 行" in text and "5.属于三类内部事务信息" in text
    assert meta["version"] and meta["version"] in text and "CC BY 4.0" in text
    problems = sources.locator("a", has_text="数据检查：")
    assert problems.count() >= 1 and problems.first.get_attribute("href").endswith("/#problems")
    years = sorted(r.year for r in dataset.reports if r.agency.id == _pingtan(dataset) and r.year)
    assert sources.locator("li").count() == len(years)
    problems.first.click()
    page.wait_for_url(re.compile(r"/\d{4}/#problems$"))


@pytest.mark.parametrize("dark", [False, True])
def test_every_tab_passes_axe(new_page, base_url, dataset, axe_source, dark):
    """The four charts of the agency page, each showing another tab (then the chart): axe-core finds nothing serious."""
    page = new_page(dark=dark)
    _open(page, base_url + f"agencies/{_pingtan(dataset)}/")
    figures = page.locator("figure.nb-figure")
    assert figures.count() == 4
    for first in (["数据表", "来源", "下载", "引用"], ["图表", "图表", "图表", "图表"]):
        for i, name in enumerate(first):
            figures.nth(i).get_by_role("tab", name=name).click()
        serious = run_axe(page, axe_source)
        assert not serious, ("dark: " if dark else "light: ") + _describe(serious)


def test_csv_download_equals_the_table_shown_and_carries_its_header(page, base_url, dataset):
    figure = _open(page, base_url + f"agencies/{_pingtan(dataset)}/")
    figure.get_by_role("tab", name="下载").click()
    with page.expect_download() as info:
        figure.locator("button", has_text="CSV").click()
    download = info.value
    meta = _meta(figure)
    assert download.suggested_filename == meta["csv"] == f"{_pingtan(dataset)}-requests.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    blank = rows.index([])
    head, table = dict(r[:2] for r in rows[:blank]), rows[blank + 1:]
    assert head["数据版本"] == meta["version"] and "CC BY 4.0" in head["许可"]
    assert "平潭" in head["标题"] and "收到的申请及办理结果" in head["标题"]
    assert all(s["url"] in head["来源"] for s in meta["sources"] if s["url"])
    assert head["定义：予以公开"].startswith("表「三、收到和处理政府信息公开申请情况」")
    assert head["地址"] == base_url + f"agencies/{_pingtan(dataset)}/#fig-requests"
    figure.get_by_role("tab", name="数据表").click()
    assert table == _shown(figure)
    assert table[0][:3] == ["年份", "新收申请", "予以公开"] and len(table) == len(meta["sources"]) + 1


@pytest.mark.parametrize("dark", [False, True])
def test_png_and_svg_downloads_are_images(new_page, base_url, dataset, dark):
    page = new_page(dark=dark)
    figure = _open(page, base_url + f"agencies/{_pingtan(dataset)}/")
    figure.get_by_role("tab", name="下载").click()
    files = {}
    for fmt in ("png", "svg"):
        with page.expect_download() as info:
            figure.locator(f"button[data-nb-download={fmt}]").click()
        files[fmt] = (info.value.suggested_filename, Path(info.value.path()).read_bytes())
    name, png = files["png"]
    assert name.endswith("-requests.png") and png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    name, svg = files["svg"]
    text = svg.decode("utf-8")
    assert name.endswith("-requests.svg") and text.startswith("<svg") and "</svg>" in text
    assert "予以公开" in text and _meta(figure)["version"] in text  # the legend, and the source line under the title
    assert 'fill: rgb(255, 255, 255)' in text or "fill:#fff" in text.replace(" ", "")  # on white in either scheme


def test_cite_tab_permalink_reproduces_the_view(new_page, base_url, dataset):
    page = new_page()
    agency = _pingtan(dataset)
    figure = _open(page, base_url + f"agencies/{agency}/")
    appeals = page.locator("figure.nb-figure").last
    appeals.get_by_role("tab", name="引用").click()
    link = appeals.locator("a.nb-grapher-permalink")
    url = link.get_attribute("href")
    assert url == base_url + f"agencies/{agency}/#fig-appeals" == link.inner_text()
    panel = appeals.get_by_role("tabpanel")
    meta = _meta(appeals)
    assert f"数据版本 {meta['version']}，{url}。" in panel.locator(".nb-grapher-citation").inner_text()
    bib = panel.locator(".nb-grapher-bibtex").inner_text()
    assert bib.startswith(f"@misc{{{agency}-appeals-{meta['version']},") and f"\\url{{{url}}}" in bib
    assert "example.org" not in panel.inner_text()
    # The permalink, pasted into a new page: that chart, drawn, in view.
    other = new_page(width=1280, height=700)
    shown = _open(other, url)
    target = other.locator("#fig-appeals")
    other.wait_for_function("() => { const r = document.querySelector('#fig-appeals').getBoundingClientRect();"
                            " return r.top >= -1 && r.top < innerHeight / 2; }")
    assert target.get_by_role("tab", name="图表").get_attribute("aria-selected") == "true"
    assert target.locator(".nb-chart .main-svg").first.is_visible() and shown.count() == 1
    # A tab chosen is in the address: reloaded, the same tab shows.
    figure.get_by_role("tab", name="数据表").click()
    assert page.url.endswith("#fig-requests-table")
    page.reload()
    page.locator("#fig-requests [role=tab][aria-selected=true]").wait_for()
    assert page.locator("#fig-requests [role=tab][aria-selected=true]").inner_text() == "数据表"
    assert page.locator("#fig-requests .nb-panel-table table").is_visible()


def test_tabs_fit_a_phone_and_are_absent_without_javascript(new_page, browser, base_url, dataset):
    page = new_page(**PHONE)
    figure = _open(page, base_url + f"agencies/{_pingtan(dataset)}/")
    for name in TABS:
        figure.get_by_role("tab", name=name).click()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        box = figure.get_by_role("tabpanel").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, name
    assert figure.get_by_role("tablist").bounding_box()["height"] < 60  # one row of tabs
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="zh-CN")
    try:
        plain = context.new_page()
        plain.goto(base_url + f"agencies/{_pingtan(dataset)}/")
        assert plain.locator("[role=tab]").count() == 0
        assert plain.locator("figure.nb-figure details.nb-chart-table table").first.is_visible()
    finally:
        context.close()


def test_a_chart_pages_first_visit_transfers_at_most_1_5_mb(browser, site_dir, dataset):
    """Served gzipped, as static hosts serve text; a cold cache; every chart drawn (scripts/page_weight.py)."""
    weight = load_script("page_weight")
    server = weight.serve(site_dir, gzip_text=True)
    try:
        result = weight.first_visit(browser, f"http://127.0.0.1:{server.server_address[1]}/agencies/{_pingtan(dataset)}/")
    finally:
        server.shutdown()
    assert any(url.endswith("/assets/nianbao/plotly.min.js") for url, _ in result["largest"])
    assert result["bytes"] <= 1.5 * 2**20, result


def test_compare_chart_has_the_tabs_and_its_permalink_keeps_the_figure_and_filters(new_page, base_url):
    page = new_page()
    page.goto(base_url + "compare/")
    box = page.locator("#fig-compare")
    box.get_by_role("tab", name="引用").wait_for()
    page.select_option(".nb-compare-figure", "refused")
    province = page.locator('select[data-filter="province"] option').nth(1).get_attribute("value")
    page.select_option('select[data-filter="province"]', province)
    visible = page.locator("table.nb-compare-table tbody tr:not([hidden])").count()
    assert visible >= 1
    box.get_by_role("tab", name="数据表").click()
    shown = _shown(box)
    assert shown[0] == ["机构", "地区", "不予公开"] and len(shown) == visible + 1
    assert all(province in row[1] for row in shown[1:])
    box.get_by_role("tab", name="来源").click()
    assert "「（三）不予公开」下 8 行" in box.get_by_role("tabpanel").inner_text()
    box.get_by_role("tab", name="下载").click()
    with page.expect_download() as info:
        box.locator("button", has_text="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig"))))
    blank = rows.index([])
    assert rows[blank + 1:] == shown and dict(r[:2] for r in rows[:blank])["定义：不予公开"].startswith("表「三")
    box.get_by_role("tab", name="引用").click()
    url = box.locator("a.nb-grapher-permalink").get_attribute("href")
    assert "figure=refused" in url and url.endswith("#fig-compare")
    other = new_page()
    other.goto(url)
    other.locator("#fig-compare [role=tab]").first.wait_for()
    assert other.locator(".nb-compare-figure").input_value() == "refused"
    assert other.locator('select[data-filter="province"]').input_value() == province
    other.locator("#fig-compare").get_by_role("tab", name="数据表").click()
    assert _shown(other.locator("#fig-compare")) == shown
