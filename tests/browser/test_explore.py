"""The explorer: a view built by clicking lives in the URL (reload, back/forward, a pasted link); it loads
only the data parts it needs; the chart is in the site's chart DOM; the tile map links to a province."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from nianbao.measures import BY_ID, report_values
from nianbao.render.explore_data import province_lists, view_files
from tests.browser.explore_steps import TABLE_JS, change, open_empty, ready

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
# The checked controls.
CHECKED_JS = """() => Array.from(document.querySelectorAll('.nb-x-controls input:checked')).map(i => i.name + '=' + i.value).sort()"""


def _agency(dataset, text: str) -> str:
    (found,) = [a.id for a in dataset.agencies.values() if text in a.name]
    return found


def _shown(value) -> str:
    if value.state == "":
        return f"{value.value:,}" if not isinstance(value.value, float) or value.value.is_integer() else f"{value.value:,.4f}".rstrip("0")
    return {"na": "未提供", "unreadable": "无法识别", "not-applicable": "不适用"}[value.state]


def _expected(dataset, agencies: list[str], years: list[int], measures: list[str]) -> list[list[str]]:
    """The rows the table must show, computed from the records (the number or its state, and ⚠ when failing)."""
    by_key = {(r.agency.id, r.year): r for r in dataset.reports}
    rows = []
    for a in agencies:
        for y in years:
            report = by_key.get((a, y))
            if report is None:
                continue
            values = dict(report_values(report, [BY_ID[m] for m in measures]))
            cells = []
            for m in measures:
                v = values[BY_ID[m]]
                text = f"{v.value:.1%}" if BY_ID[m].rate and v.state == "" else _shown(v)
                cells.append(text + {"fail": " ⚠核对未通过", "warn": " !有警告", "": ""}[v.check])
            rows.append([dataset.agencies[a].name, str(y), *cells])
    return rows


def _visible(rows: list[list[str]]) -> list[list[str]]:
    return [[r[0], r[2], *r[3:]] for r in rows]  # without the place column


def test_a_view_built_by_clicking_survives_reload_back_forward_and_a_pasted_link(new_page, base_url, dataset):
    page = new_page()
    form = open_empty(page, base_url + "explore/")  # start from nothing
    pingtan, jiaojiang = _agency(dataset, "平潭"), _agency(dataset, "椒江")
    # Two agencies: one found in the region tree, one by its kind and typing its name.
    form.locator(".nb-x-regions > summary").click()
    form.locator(".nb-x-tree > li > details > summary", has_text="福建省").click()
    form.locator(".nb-x-tree details details > summary", has_text="福州市").click()
    change(page, lambda: form.locator(f".nb-x-tree input[name=agency][value={pingtan}]").check())
    form.locator("select[name=kind]").select_option(label="民政局")
    # The list is found in names.json (no province chosen): wait for it.
    expect(form.locator(".nb-x-found")).to_contain_text(f"找到 {sum(a.kind == '民政局' for a in dataset.agencies.values())} 个机构")
    form.locator("input[name=q]").fill("椒江")
    change(page, lambda: form.locator(f"input[name=agency][value={jiaojiang}]").check())
    for year in (2020, 2021, 2022):
        change(page, lambda y=year: form.locator(f"input[name=y][value='{y}']").check())
    form.locator("summary", has_text="比率").click()
    change(page, lambda: form.locator("input[name=m][value='r.granted']").check())
    change(page, lambda: form.locator("input[name=m][value='d.grant_rate']").check())

    query = urlsplit(page.url).query
    assert query.startswith(f"a={pingtan},{jiaojiang}&y=2020,2021,2022&m=r.granted,d.grant_rate&v=table"), query
    table, checked = page.evaluate(TABLE_JS), page.evaluate(CHECKED_JS)
    want = _expected(dataset, [pingtan, jiaojiang], [2020, 2021, 2022], ["r.granted", "d.grant_rate"])
    assert _visible(table) == want and len(want) == 4  # 平潭 2020-2022, 椒江 2020 (no report on 2021, 2022)
    assert checked == sorted([f"agency={jiaojiang}", f"agency={pingtan}", "g=", "m=d.grant_rate", "m=r.granted", "v=table",
                              "y=2020", "y=2021", "y=2022"])

    # Sorted by the rate, descending: in the URL too.
    change(page, lambda: page.locator("table.nb-x-table th button", has_text="公开率").click())
    change(page, lambda: page.locator("table.nb-x-table th button", has_text="公开率").click())
    sorted_table = page.evaluate(TABLE_JS)
    assert "s=d.grant_rate&o=desc" in page.url
    rates = [float(r[-1].split("%")[0]) for r in sorted_table if "%" in r[-1]]
    assert rates == sorted(rates, reverse=True) and len(rates) >= 3

    page.reload()
    ready(page)
    assert page.evaluate(TABLE_JS) == sorted_table and page.evaluate(CHECKED_JS) == checked[2:]  # the tree is folded again
    page.evaluate("document.querySelector('.nb-explore').nbKept = 1")
    # Back and forward: each waits for the view of the address it goes to (not the one it leaves, still drawn
    # for a moment after the history moves).
    change(page, page.go_back)  # before the second click on the header: ascending
    assert "o=asc" in page.url and page.evaluate(TABLE_JS) != sorted_table
    change(page, page.go_forward)
    assert page.evaluate(TABLE_JS) == sorted_table
    # The moves were the explorer's own: Material's instant navigation, which takes the first popstate of a
    # loaded page for a new page, did not fetch the page again and swap its static table in.
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.querySelector('.nb-explore').nbKept") == 1 and page.evaluate(TABLE_JS) == sorted_table

    pasted = new_page()  # a fresh context: nothing cached, nothing remembered
    pasted.goto(page.url)
    ready(pasted)
    assert pasted.evaluate(TABLE_JS) == sorted_table

    # The CSV holds what the table shows, in its order, with the data version and the view's address.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载此表（CSV）").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["机构", "机构代码", "地区", "年份", "（一）予以公开（件）", "公开率"]
    assert [[r[0], r[3], r[4]] for r in rows[1:]] == [[t[0], t[2], t[3].split(" ")[0].replace(",", "")] for t in sorted_table]
    assert {r[-3] for r in rows[1:]} == {page.evaluate("document.querySelector('.nb-explore').nbExplorer.index.version")}
    assert rows[1][-1] == page.url


def test_the_chart_view_is_in_the_chart_dom_and_loads_only_the_parts_it_needs(new_page, base_url, dataset, site_dir):
    pingtan, pinghu = _agency(dataset, "平潭"), _agency(dataset, "平湖")
    page = new_page()
    fetched = []
    page.on("response", lambda r: fetched.append(urlsplit(r.url).path) if "/explore/data/" in r.url else None)
    page.goto(base_url + f"explore/?a={pingtan},{pinghu}&y=2020,2021,2022&m=r.new_received,s.refused&v=chart")
    ready(page)
    page.wait_for_selector(".nb-x-result figure.nb-figure .nb-chart .main-svg")
    figure = page.locator(".nb-x-result figure.nb-figure")
    spec = json.loads(figure.locator("template.nb-chart-spec").evaluate("t => t.content.querySelector('.nb-chart-data').textContent"))
    meta = json.loads(figure.locator("template.nb-chart-spec").evaluate("t => t.content.querySelector('.nb-chart-meta').textContent"))
    assert len(spec["data"]) == 4 and {t["type"] for t in spec["data"]} == {"scatter"}  # lines: 2 agencies × 2 measures
    pingtan_received = next(t for t in spec["data"] if t["name"].startswith("平潭") and "新收" in t["name"])
    by_key = {(r.agency.id, r.year): r for r in dataset.reports}
    assert pingtan_received["y"] == [dict(report_values(by_key[(pingtan, y)], [BY_ID["r.new_received"]]))[BY_ID["r.new_received"]].value
                                     for y in (2020, 2021, 2022)]
    assert [m["id"] for m in meta["measures"]] == ["r.new_received", "s.refused"] and meta["version"]
    assert figure.locator("details.nb-chart-table table tbody tr").count() == 4  # 平潭 ×3, 平湖 2021
    # One year: bars, one trace per measure.
    change(page, lambda: page.locator(".nb-x-controls input[name=y][value='2020']").uncheck())
    change(page, lambda: page.locator(".nb-x-controls input[name=y][value='2022']").uncheck())
    page.wait_for_selector(".nb-x-result figure.nb-figure .nb-chart .main-svg")
    bars = json.loads(page.locator(".nb-x-result template.nb-chart-spec").evaluate(
        "t => t.content.querySelector('.nb-chart-data').textContent"))
    assert [t["type"] for t in bars["data"] if t.get("meta") != "marks"] == ["bar", "bar"]
    assert bars["data"][0]["x"] == ["平潭综合实验区管委会", "平湖市民政局"]
    # 平湖's 2021 table 三 is cut: no bar, a mark on the baseline naming the figure's state.
    marks = [t for t in bars["data"] if t.get("meta") == "marks"]
    assert marks and all(dict(zip(t["x"], t["customdata"], strict=True)).get("平湖市民政局") == "未提供" for t in marks)
    # The parts fetched are those the build's view_files names for the view (what the bench sums).
    index = json.loads((site_dir / "explore" / "data" / "index.json").read_text(encoding="utf-8"))
    read = lambda rel: (site_dir / rel).read_text(encoding="utf-8")  # noqa: E731
    need = view_files(index, [pingtan, pinghu], ["r.new_received", "s.refused"], province_lists(read))
    assert "explore/data/names.json" not in need and len([p for p in need if "/a/" in p]) == 2  # 福建's and 浙江's lists
    assert sorted(fetched) == sorted(f"/nianbao/{p}" for p in need)


def test_without_javascript_the_default_view_table_is_in_the_page(browser, base_url, dataset):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "explore/")
    rows = page.evaluate(TABLE_JS)
    context.close()
    pingtan = _agency(dataset, "平潭")
    assert rows and _visible(rows) == _expected(dataset, [pingtan], [2020, 2021, 2022], ["r.new_received", "s.refused"])


def test_the_tile_map_recolours_and_links_to_a_province(new_page, base_url, dataset):
    page = new_page(**PHONE)
    page.goto(base_url + "explore/summary/")
    page.wait_for_selector(".nb-map-controls:not([hidden])")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    zj = page.locator('a.nb-tile[data-province="浙江省"]')
    page.locator(".nb-map-controls select[name=year]").select_option("2020")
    reports = [r for r in dataset.reports if r.year == 2020 and dataset.agencies[r.agency.id].province == "浙江省"]
    given = [v for r in reports if (v := dict(report_values(r, [BY_ID["r.new_received"]]))[BY_ID["r.new_received"]].value) is not None]
    want = f"{sum(given):,}" if given else "–"
    assert zj.locator(".nb-tile-value").inner_text() == want
    assert zj.get_attribute("aria-label") == f"浙江：{want}（{len(reports)} 个机构中 {len(given)} 个给出）"
    row = page.locator(".nb-tile-table tbody tr", has_text="浙江省")
    assert row.locator("td").all_inner_texts()[:3] == [want if given else "未提供", str(len(given)), str(len(reports))]
    zj.click()
    page.wait_for_url("**/regions/zhejiang*/")
    # Instant navigation changes the address first: wait for the region page's own heading.
    page.wait_for_function("() => (document.querySelector('article h1') || {}).textContent?.trim() === '浙江省'")
