"""The explorer's Done-when, end to end: "which 民政局 in 浙江 refused most on 三类内部事务 grounds, 2021–2024",
answered by clicking as a journalist would, shared as a link and as a CSV, without leaving the site.

A synthetic site (nianbao.synth): six 浙江 民政局, other 浙江 agencies, 民政局 and others in other provinces,
2020–2024, with the generator's true tables. Some 浙江 民政局 figures are made missing (a blank cell, a cut
table 三, a year without a report) or unreadable (printed, not read); one agency gives the figure in no chosen
year. The ranking the page shows must be the one these records give: per agency, the sum over the years
that give the figure and how many do; 未提供 (never 0) where none does, ranked last.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from nianbao.synth.places import agencies_of, make_agencies
from nianbao.synth.records import registry_entries, truth_records
from tests.browser.conftest import build_site, make_root
from tests.browser.explore_steps import TABLE_JS, change, open_empty, ready

pytestmark = pytest.mark.browser

PROJECT = "question"
YEARS = range(2020, 2025)
ASKED = [2021, 2022, 2023, 2024]
ROW = "refused_internal"  # 表三 （三）不予公开 5.属于三类内部事务信息


def _add_refused_internal(record: dict, extra: int) -> None:
    """`extra` more requests refused as 三类内部事务, received this year from natural persons: the row, 办理
    总计 and 新收 grow alike, so the table's arithmetic still holds (no check fails because of the test)."""
    req = record["requests"]
    for row in (ROW, "total_handled", "new_received"):
        for col in ("natural_person", "total"):
            req[row][col] += extra


@pytest.fixture(scope="module")
def question(tmp_path_factory, server):
    zhejiang = agencies_of("浙江省", "民政局", 6)
    others = [a for a in make_agencies(20, seed=4) if not (a.province == "浙江省" and a.kind == "民政局")]
    others += agencies_of("江苏省", "民政局", 2)
    agencies = zhejiang + others
    records = truth_records(agencies, YEARS, seed=4)
    for k, agency in enumerate(zhejiang):  # figures that differ, so that the ranking means something
        for year in YEARS:
            record = records[f"{agency.id}/{year}"]
            if record["requests"] is not None:
                _add_refused_internal(record, (k * 7 + year) % 9 + 2 * k)
    a, b, c, d, e, _ = (z.id for z in zhejiang)
    records[f"{a}/2022"]["requests"][ROW]["total"] = None  # a blank cell: 未提供
    records[f"{b}/2023"]["requests"][ROW]["total"] = None  # printed but not read: 无法识别
    records[f"{b}/2023"]["problems"].append({"code": "cells-ambiguous", "severity": "warning", "table": "requests",
                                             "row": ROW, "column": "total", "text": "1 2", "line": 80,
                                             "message": "合成数据：无法确定数字的分隔"})
    records[f"{c}/2021"]["requests"] = None  # table 三 cut
    records[f"{c}/2021"]["problems"].append({"code": "table3-missing", "severity": "error", "table": "requests",
                                             "message": "合成数据：表三缺失"})
    del records[f"{d}/2024"]  # no report that year
    for year in ASKED:  # gives the figure in none of the years asked
        records[f"{e}/{year}"]["requests"][ROW]["total"] = None
    root = make_root(tmp_path_factory.mktemp("question") / "root", records, registry_entries(agencies))
    site = build_site(root, server.url(PROJECT))
    server.mount(PROJECT, site)
    return {"base": server.url(PROJECT), "zhejiang": zhejiang, "agencies": agencies, "records": records}


def _expected(question) -> list[tuple[str, int | None, int, list[int]]]:
    """(agency name, total or None, years that give it, years with a report), most refusals first, the
    agencies without the figure last, as the records say (a tie in the order they were added: by id)."""
    out = []
    for agency in question["zhejiang"]:
        given, reported = [], []
        for year in ASKED:
            record = question["records"].get(f"{agency.id}/{year}")
            if record is None:
                continue
            reported.append(year)
            value = (record["requests"] or {}).get(ROW, {}).get("total")
            if value is not None:
                given.append(value)
        out.append((agency.id, agency.name, sum(given) if given else None, len(given), reported))
    return [r[1:] for r in sorted(out, key=lambda r: (r[2] is None, -(r[2] or 0), r[0]))]


def test_which_minzheng_in_zhejiang_refused_most_on_internal_affairs_2021_2024(question, new_page):
    page = new_page()
    form = open_empty(page, question["base"] + "explore/")  # start from nothing
    # A kind alone searches every province's names (names.json): an agency listed from there can be picked too.
    form.locator("select[name=kind]").select_option(label="民政局")
    jiangsu = next(a for a in question["agencies"] if a.province == "江苏省" and a.kind == "民政局")
    box = form.locator(".nb-x-candidates label", has_text=jiangsu.name).locator("input")
    assert box.get_attribute("value").startswith("#")  # its id is read with its province's list, when picked
    change(page, box.check)
    assert form.locator(".nb-x-chosen li").all_inner_texts() == [f"{jiangsu.name} ×"] and jiangsu.id in page.url
    change(page, lambda: page.locator(".nb-x-remove").first.click())
    # 浙江 → 民政局 → all of them, in one click.
    form.locator("select[name=province]").select_option(label="浙江省")
    form.locator("select[name=kind]").select_option(label="民政局")
    expect(form.locator(".nb-x-found")).to_have_text("找到 6 个机构。")
    change(page, lambda: form.get_by_role("button", name="加入所列全部机构").click())
    assert sorted(form.locator(".nb-x-chosen li").all_inner_texts()) == sorted(f"{a.name} ×" for a in question["zhejiang"])
    for year in ASKED:
        change(page, lambda y=year: form.get_by_label(str(y), exact=True).check())
    group = form.locator("details.nb-x-group", has=page.locator("summary", has_text="表三"))
    if group.get_attribute("open") is None:  # open when the default view had one of its measures
        group.locator("summary").click()
    change(page, lambda: form.locator("label", has_text="三类内部事务").locator("input").check())
    change(page, lambda: form.get_by_label("一个机构（所选年度合计）").check())
    header = page.locator("table.nb-x-table th button", has_text="三类内部事务")
    change(page, header.click)
    change(page, header.click)  # most first
    assert urlsplit(page.url).query.endswith("&m=r.refused_internal&v=table&g=total&s=r.refused_internal&o=desc")

    table = page.evaluate(TABLE_JS)
    want = _expected(question)
    assert [r[0] for r in table] == [w[0] for w in want], (table, want)
    for row, (name, total, given, reported) in zip(table, want, strict=True):
        assert row[2] == "、".join(map(str, reported)), name  # the years with a report
        if total is None:
            assert row[3].startswith("未提供"), (name, row)  # not 0
        else:
            shown = f"{total:,}" + (f"（{len(ASKED)} 年中 {given} 年）" if given < len(ASKED) else "")
            assert row[3] == shown or row[3].startswith(shown + " "), (name, row)  # and its check mark
    assert "!有警告" in next(r for r in table if r[0] == question["zhejiang"][1].name)[3]  # its unreadable year
    assert "⚠核对未通过" in next(r for r in table if r[0] == question["zhejiang"][2].name)[3]  # its cut table 三

    # Shared as a link: the page's own link to this view, opened in a fresh browser context.
    link = page.get_by_role("link", name="本视图的链接")
    assert link.get_attribute("href") == page.url
    pasted = new_page()
    pasted.goto(link.get_attribute("href"))
    ready(pasted)
    assert pasted.evaluate(TABLE_JS) == table

    # Shared as a CSV: the header, then exactly the table's rows and figures.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载此表（CSV）").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    label = page.locator("table.nb-x-table th button", has_text="三类内部事务").inner_text()
    assert rows[0] == ["机构", "机构代码", "地区", "年份", f"{label}（件）", f"{label}：给出年数", "核对", "数据版本", "许可", "网址"]
    assert [r[0] for r in rows[1:]] == [r[0] for r in table] and [r[3] for r in rows[1:]] == [r[2] for r in table]
    assert [r[4] for r in rows[1:]] == ["未提供" if w[1] is None else str(w[1]) for w in want]
    assert [r[5] for r in rows[1:]] == [f"{w[2]}/{len(ASKED)}" for w in want]
    assert {r[-1] for r in rows[1:]} == {page.url}

    # As a chart: one bar per agency, its total; none for the agency without the figure (a mark says why).
    change(page, lambda: form.get_by_label("图表").check())
    page.wait_for_selector(".nb-x-result figure.nb-figure .nb-chart .main-svg")
    spec = json.loads(page.locator(".nb-x-result template.nb-chart-spec").evaluate(
        "t => t.content.querySelector('.nb-chart-data').textContent"))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 1 and bars[0]["x"] == [w[0] for w in want] and bars[0]["y"] == [w[1] for w in want]
    marks = [t for t in spec["data"] if t.get("meta") == "marks"]
    assert dict(zip(marks[0]["x"], marks[0]["customdata"], strict=True))[want[-1][0]] == "未提供"
    assert page.locator(".nb-x-result figcaption").inner_text().startswith("2021–2024 年合计")
