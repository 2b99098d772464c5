"""/compare/ and /quality/: one row per agency for the year, filters' data, escaping, anchors."""

from __future__ import annotations

import datetime as dt
import json

import lxml.html

from nianbao.analysis import FIGURES
from nianbao.dataset import Dataset, load_dataset
from nianbao.registry import AgencyEntry
from nianbao.render.compare import compare_pages, render_compare
from nianbao.render.quality import render_quality

from .handmade import report, requests, row

HOSTILE = '<img src=x onerror=alert(1)>局'


def _dataset() -> Dataset:
    broken = requests()
    broken["total_handled"] = row(20, 1, 0, 0, 0, 0)
    zero = requests(new=0, carried_over=0, granted=0, partly=0, not_held=0, carried_forward=0)
    reports = [
        report(agency_id="a-minzheng", name="甲市民政局", year=2020, published=dt.date(2021, 1, 20),
               requests=requests("2019", carried_forward=2)),
        report(agency_id="a-minzheng", name="甲市民政局", requests=broken),
        report(agency_id="b-zhengfu", name=HOSTILE, requests=zero,
               problems=[{"code": "cells-ambiguous", "message": HOSTILE, "text": HOSTILE}]),
        report(agency_id="c-minzheng", name="丙市民政局", requests=None),
        report(agency_id="d-minzheng", name="丁市民政局", year=2020, published=dt.date(2021, 1, 5),
               requests=requests("2019")),
    ]
    agencies = {
        "a-minzheng": AgencyEntry(id="a-minzheng", name="甲市民政局", province="浙江省", city="嘉兴市", kind="民政局"),
        "b-zhengfu": AgencyEntry(id="b-zhengfu", name=HOSTILE, province="福建省", city="福州市", kind="人民政府"),
        "c-minzheng": AgencyEntry(id="c-minzheng", name="丙市民政局", province="浙江省", city="台州市", kind="民政局"),
        "d-minzheng": AgencyEntry(id="d-minzheng", name="丁市民政局", province="浙江省", city="台州市", kind="民政局"),
    }
    return Dataset(reports=reports, agencies=agencies)


def _doc(page: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page.split("---\n", 2)[2])


def test_one_row_per_agency_for_the_year() -> None:
    pages = compare_pages(_dataset())
    assert sorted(pages) == ["compare/2020/index.md", "compare/2021/index.md", "compare/index.md"]

    def rows(path: str) -> list[tuple[str, str]]:
        doc = _doc(pages[path])
        return [(tr.get("data-year"), tr.get("data-agency"))
                for tr in doc.xpath('//table[contains(@class,"nb-compare-table")]/tbody/tr')]

    # /compare/ is the year most agencies reported on; each year's page holds that year's rows only.
    assert rows("compare/index.md") == rows("compare/2021/index.md") == [
        ("2021", "a-minzheng"), ("2021", "b-zhengfu"), ("2021", "c-minzheng")]
    assert rows("compare/2020/index.md") == [("2020", "a-minzheng"), ("2020", "d-minzheng")]
    assert pages["compare/index.md"] == render_compare(_dataset())
    doc = _doc(pages["compare/index.md"])
    assert not doc.xpath("//tr[@hidden]") and not doc.xpath('//select[@data-filter="year"]')
    assert doc.xpath('//nav[@class="nb-years"]//a/@href') == ["2020/"]
    assert doc.xpath('//nav[@class="nb-years"]//*[@aria-current="page"]/text()') == ["2021 年（报告最多）"]
    assert _doc(pages["compare/2020/index.md"]).xpath('//nav[@class="nb-years"]//a/@href') == ["../2021/"]
    # 核对: a failing report links to its row on the quality page, a passing one to its own problem list.
    assert _doc(pages["compare/index.md"]).xpath('//a[contains(@href, "quality/#q-a-minzheng-2021")]/@href') == [
        "../quality/#q-a-minzheng-2021"]
    assert _doc(pages["compare/2020/index.md"]).xpath('//tr[@data-agency="d-minzheng"]/td[3]/a/@href') == [
        "../../agencies/d-minzheng/2020/#problems"]
    head = [th.text_content() for th in doc.xpath('//table[contains(@class,"nb-compare-table")]/thead//th')]
    assert head == ["机构", "地区", "类别", "核对", *(f.label for f in FIGURES)]


def test_cells_rates_and_check_flags() -> None:
    doc = _doc(render_compare(_dataset()))

    def cells(agency: str, year: str) -> dict[str, str]:
        (tr,) = doc.xpath(f'//tr[@data-agency="{agency}"][@data-year="{year}"]')
        values = [td.get("data-value", td.text_content()) for td in tr.xpath("./td")][3:]
        return {"fails": tr.get("data-fails"), **dict(zip((f.key for f in FIGURES), values, strict=True))}

    a = cells("a-minzheng", "2021")
    assert a["fails"] == "1" and a["requests_received"] == "10" and a["grant_rate"] == f"{6 / 21:.6f}"
    b = cells("b-zhengfu", "2021")
    assert b["fails"] == "0" and b["total_handled"] == "0" and b["grant_rate"] == ""  # zero denominator: no rate
    c = cells("c-minzheng", "2021")
    assert c["requests_received"] == "" and c["licensing"] == "128"
    (tr,) = doc.xpath('//tr[@data-agency="c-minzheng"]')
    assert "未提供" in tr.text_content()
    assert sorted(set(doc.xpath("//select[@data-filter='province']/option/@value"))) == ["", "浙江省", "福建省"]
    assert doc.xpath('//a[contains(@href, "quality/#q-a-minzheng-2021")]')


def test_region_totals_and_chart_spec() -> None:
    doc = _doc(render_compare(_dataset()))
    assert not doc.xpath('//div[@data-year="2020"]')  # only the page's own year
    (table,) = doc.xpath('//div[@data-year="2021"]/table[contains(caption, "省级")]')
    zhejiang = next(tr for tr in table.xpath("./tbody/tr") if tr.xpath("./th")[0].text_content() == "浙江省")
    tds = [td.text_content() for td in zhejiang.xpath("./td")]
    assert tds[0] == "2" and tds[1] == "10（10）"  # 丙 gives no table 三: the total is 甲's alone
    (spec,) = doc.xpath('//script[@type="application/json"][contains(@class,"nb-compare-spec")]')
    data = json.loads(spec.text)
    assert [f["key"] for f in data["figures"]] == [f.key for f in FIGURES]


def test_text_from_reports_is_escaped() -> None:
    for page in (render_compare(_dataset()), render_quality(_dataset())):
        assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;局" in page


def test_quality_lists_every_report_with_problems_compactly_with_anchors() -> None:
    page = render_quality(_dataset())
    doc = _doc(page)
    rows = doc.xpath('//table[contains(@class,"nb-quality-table")]/tbody/tr')
    dataset = _dataset()
    from nianbao.checks import check_dataset

    with_problems = sorted(f"q-{r.agency.id}-{r.year}" for r in check_dataset(dataset) if r.problems)
    assert [tr.get("id") for tr in rows] == with_problems and "q-a-minzheng-2021" in with_problems
    assert doc.xpath('//*[@id="q-a-minzheng"]')
    broken = doc.xpath('//tr[@id="q-a-minzheng-2021"]')[0]
    assert broken.get("data-fails") == "1" and " identity-column-total " in broken.get("data-codes")
    assert "identity-column-total" in broken.xpath("./td[last()]")[0].text_content()
    # The details are on the report page, linked from the row.
    assert broken.xpath('.//a/@href')[1] == "../agencies/a-minzheng/2021/#problems"
    assert "报告为 20" not in page
    clean = len(dataset.reports) - len(with_problems)
    assert "共 5 份报告：1 份未通过核对" in page and f"{clean} 份未发现任何问题" in page


def test_sample_site_pages() -> None:
    dataset = load_dataset()
    doc = _doc(compare_pages(dataset)["compare/2021/index.md"])
    rows = doc.xpath('//tbody/tr[@data-year]')
    assert len(rows) == len({r.agency.id for r in dataset.reports if r.year == 2021}) == 4
    quality = _doc(render_quality(dataset))
    (pt,) = quality.xpath('//tr[@id="q-fujian-fuzhou-pingtan-guanweihui-2020"]')
    assert pt.get("data-fails") == "1" and "identity-column-total" in pt.text_content()


def test_year_over_year_block_for_agency_pages() -> None:
    from nianbao.render.yearly import render_year_over_year

    reports = [report(year=2019, published=None, requests=requests("2019", new=20, carried_over=0, granted=15, partly=3,
                                                                     not_held=2, carried_forward=0)),
               report(year=2021, published=None, requests=requests(new=74, carried_over=0, granted=60, partly=10,
                                                                   not_held=4, carried_forward=0)),
               report(year=2022, published=None, requests=requests(new=74, carried_over=0, granted=37, partly=33,
                                                                   not_held=4, carried_forward=0))]
    doc = lxml.html.fromstring(render_year_over_year(reports, "agencies/zhejiang-jiaxing-pinghu-minzheng/"))
    assert [th.text_content() for th in doc.xpath("//thead/tr/th")] == ["项目", "2019 年", "2020 年", "2021 年", "2022 年"]
    first = [td.text_content() for td in doc.xpath("//tbody/tr[1]/td")]
    assert first == ["20", "无报告", "74", "74持平"]  # no change across the missing 2020
    granted = [td.text_content() for td in doc.xpath("//tbody/tr[2]/td")]
    assert granted == ["15", "无报告", "60", "37-23，-38%"]
    rate = [td.text_content() for td in doc.xpath("//tbody/tr[10]/td")]
    assert rate[2:] == ["81.1%", "50.0%-31.1 个百分点"]
    assert doc.xpath('//a[@href="../../downloads/agencies/zhejiang-jiaxing-pinghu-minzheng.csv"]')


def _check_of(doc, agency_word: str) -> str:
    (row,) = [tr for tr in doc.xpath('//table[contains(@class,"nb-compare-table")]/tbody/tr')
              if agency_word in tr.xpath("./th")[0].text_content()]
    assert row.get("data-fails") in ("0", "1")
    return row.get("data-fails") + ":" + row.xpath("./td")[2].text_content()


def test_check_column_fails_a_missing_table_and_passes_a_hint() -> None:
    """核对 derives from the same problems and severities as the report page: a missing table (an error)
    fails, an info-level hint passes, warnings alone are counted, not failed."""
    pages = compare_pages(load_dataset())
    y2021, y2020 = _doc(pages["compare/2021/index.md"]), _doc(pages["compare/2020/index.md"])
    assert _check_of(y2021, "平湖") == "1:1 项未通过"  # table 三 missing
    assert _check_of(y2020, "椒江") == "1:1 项未通过"  # table 四 missing
    assert _check_of(y2021, "中卫") == "0:通过"  # only published-missing, an info hint
    assert _check_of(y2020, "平潭") == "1:2 项未通过"  # two failed identities
    assert _check_of(y2021, "平潭") == "0:1 个警告"  # one ambiguous run of digits


def test_rate_without_a_denominator_is_not_applicable_and_an_unread_figure_unreadable() -> None:
    dataset = _dataset()
    doc = _doc(compare_pages(dataset)["compare/2021/index.md"])
    (zero,) = doc.xpath('//tr[@data-agency="b-zhengfu"]')
    rate = [f.key for f in FIGURES].index("grant_rate")
    assert zero.xpath("./td")[3 + rate].text_content() == "不适用"  # 0 handled: no rate, and not "未提供"
    (missing,) = doc.xpath('//tr[@data-agency="c-minzheng"]')
    assert missing.xpath("./td")[3 + rate].text_content() == "未提供"  # table 三 not given
    pingtan = _doc(compare_pages(load_dataset())["compare/2020/index.md"])
    (row,) = pingtan.xpath('//tr[@data-agency="fujian-fuzhou-pingtan-guanweihui"]')
    licensing = row.xpath("./td")[3 + [f.key for f in FIGURES].index("licensing")]
    assert licensing.text_content() == "无法识别" and "396442278" in licensing.xpath(".//span/@title")[0]
