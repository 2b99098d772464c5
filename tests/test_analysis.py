"""Key figures, rates, year over year and the Chinese summary on hand-made records; citations."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nianbao.analysis import key_figure_table, key_figures, rate, region_summary, summary_zh, year_over_year
from nianbao.citation import cite_agency, cite_report, data_version
from nianbao.registry import AgencyEntry

from .handmade import appeals, report, requests, row


def test_key_figures_of_a_report() -> None:
    req = requests(new=10, carried_over=2, granted=6, partly=3, not_held=1, carried_forward=2)
    req["refused_process"] = row(2, 0, 0, 0, 0, 0)
    req["granted"] = row(3, 1, 0, 0, 0, 0)  # 4 granted + 2 refused: still 10 handled
    figures = key_figures(report(requests=req, appeals=appeals(direct=(0, 1, 0, 1), after=(1, 2, 0, 0)),
                                 metrics={"proactive_items": {"value": 361, "quote": "主动公开 361 条", "line": 3}}))
    assert figures["requests_received"] == 10 and figures["granted"] == 4 and figures["refused"] == 2
    assert figures["unavailable"] == 1 and figures["not_handled"] == 0 and figures["other_handling"] == 0
    assert figures["total_handled"] == 10 and figures["carried_forward"] == 2
    assert figures["grant_rate"] == 0.4
    assert figures["proactive_items"] == 361 and figures["licensing"] == 128 and figures["penalties"] == 5
    assert figures["reconsiderations"] == 2 and figures["lawsuits"] == 5 and figures["lawsuits_lost"] == 3


def test_missing_parts_make_a_figure_missing_never_smaller() -> None:
    req = requests()
    req["refused_query"]["total"] = None
    req["total_handled"]["total"] = None
    app = appeals()
    app["litigation_after_review"]["total"] = None
    figures = key_figures(report(requests=req, appeals=app, proactive=None))
    assert figures["refused"] is None and figures["grant_rate"] is None and figures["lawsuits"] is None
    assert figures["licensing"] is None and figures["proactive_items"] is None
    assert figures["reconsiderations"] == 2
    empty = key_figures(report(requests=None, appeals=None, proactive=None))
    assert set(empty.values()) == {None}


def test_rates_only_with_a_known_non_zero_denominator() -> None:
    assert rate(3, 4) == 0.75 and rate(0, 5) == 0
    assert rate(3, 0) is None and rate(None, 4) is None and rate(3, None) is None
    zero = requests(new=0, carried_over=0, granted=0, partly=0, not_held=0, carried_forward=0)
    assert key_figures(report(requests=zero))["grant_rate"] is None


def _years() -> list:
    # 2019, 2020 (requests table missing), 2022: 2021 is missing altogether.
    return [
        report(year=2019, published=dt.date(2020, 1, 9), requests=requests("2019", new=20, carried_over=0, granted=15,
                                                                           partly=3, not_held=2, carried_forward=0)),
        report(year=2020, published=dt.date(2021, 1, 9), requests=None),
        report(year=2022, published=dt.date(2023, 1, 9), requests=requests(new=74, carried_over=0, granted=60,
                                                                           partly=10, not_held=4, carried_forward=0)),
        report(year=2023, published=dt.date(2024, 1, 9), requests=requests(new=20, carried_over=0, granted=0,
                                                                           partly=16, not_held=4, carried_forward=0)),
    ]


def test_year_over_year_with_missing_years_none_cells_and_zero_bases() -> None:
    changes = {(c.figure, c.year): c for c in year_over_year(_years())}
    assert changes[("requests_received", 2019)].change is None  # no year before
    c2020 = changes[("requests_received", 2020)]
    assert (c2020.value, c2020.previous, c2020.change, c2020.pct_change) == (None, 20, None, None)
    c2022 = changes[("requests_received", 2022)]
    assert (c2022.value, c2022.previous, c2022.change) == (74, None, None)  # 2021 is missing: no change
    c2023 = changes[("requests_received", 2023)]
    assert (c2023.previous, c2023.change) == (74, -54) and abs(c2023.pct_change - (-54 / 74)) < 1e-12
    granted = changes[("granted", 2023)]
    assert (granted.value, granted.change, granted.pct_change) == (0, -60, -1.0)
    lic = changes[("licensing", 2023)]
    assert (lic.change, lic.pct_change) == (0, 0)
    rate23 = changes[("grant_rate", 2023)]
    assert rate23.value == 0 and rate23.change == -60 / 74 and rate23.pct_change is None
    # A zero base: a change, but no percentage.
    up = year_over_year([report(year=2022, published=None, appeals=appeals(review=(0, 0, 0, 0))),
                         report(year=2023, published=None, appeals=appeals(review=(2, 1, 0, 0)))])
    review = next(c for c in up if c.figure == "reconsiderations" and c.year == 2023)
    assert (review.previous, review.change, review.pct_change) == (0, 3, None)


def test_summary_in_chinese() -> None:
    before = report(year=2021, requests=requests(new=20, carried_over=0, granted=15, partly=3, not_held=2,
                                                  carried_forward=0))
    after = report(year=2022, published=dt.date(2023, 1, 9),
                   requests=requests(new=74, carried_over=0, granted=60, partly=10, not_held=4, carried_forward=0))
    text = summary_zh([before, after])
    assert text.startswith("2022 年依申请公开申请 74 件，比上年增加 54 件（+270%）；")
    assert "予以公开的申请 60 件，比上年增加 45 件（+300%）" in text and text.endswith("。")
    assert summary_zh(_years()[:3]) == ""  # 2022 has no 2021 to compare with
    assert summary_zh([after]) == ""


def test_key_figure_table_and_region_totals_skip_missing() -> None:
    agencies = {
        "a": AgencyEntry(id="a", name="甲局", province="浙江省", city="嘉兴市", kind="民政局"),
        "b": AgencyEntry(id="b", name="乙局", province="浙江省", city="台州市", kind="民政局"),
        "c": AgencyEntry(id="c", name="丙局", province="福建省", city="福州市", kind="民政局"),
    }
    reports = [report(agency_id="a", requests=requests(new=10)), report(agency_id="b", requests=None),
               report(agency_id="c", requests=requests(new=30, carried_over=0, granted=20, partly=6, not_held=4,
                                                        carried_forward=0))]
    table = key_figure_table(reports, agencies)
    assert table.agency_id.tolist() == ["a", "b", "c"]
    assert str(table.requests_received.dtype) == "Int64" and pd.isna(table.requests_received[1])
    provinces = region_summary(table, "province").set_index("province")
    assert provinces.loc["浙江省", "agencies"] == 2
    assert provinces.loc["浙江省", "requests_received_total"] == 10  # 乙局 gives no figure: not counted as 0
    assert provinces.loc["浙江省", "requests_received_reported"] == 1
    assert provinces.loc["福建省", "requests_received_median"] == 30
    cities = region_summary(table, "city")
    assert cities.city.tolist() == ["台州市", "嘉兴市", "福州市"] and pd.isna(cities.requests_received_total[0])


def test_citations_name_agency_report_year_pages_source_and_version() -> None:
    r = report(source={"url": "https://www.pinghu.gov.cn/art/2022/1/14/art_1.html"}, title="平湖市民政局2021年政府信息公开工作年度报告")
    entry = AgencyEntry(id=r.agency.id, name="平湖市民政局", province="浙江省")
    version = data_version([r])
    assert len(version) == 12 and version == data_version([r]) and version != data_version([report(year=2022)])
    text = cite_report(r, entry, "https://example.org/agencies/x/2021/", version)
    assert text == ("平湖市民政局：《平湖市民政局2021年政府信息公开工作年度报告》（2021 年度），成文日期 2022-01-14，"
                    "原文：https://www.pinghu.gov.cn/art/2022/1/14/art_1.html，nianbao 政府信息公开年报数据整理，"
                    f"数据版本 {version}，https://example.org/agencies/x/2021/。")
    agency = cite_agency(entry, [r, report(year=2022)], "https://example.org/agencies/x/", version)
    assert agency.startswith("平湖市民政局：政府信息公开工作年度报告（2021—2022 年度），原文：https://www.pinghu.gov.cn/")
