"""Aggregates with missing figures: a total says how many agencies it counts; measures' states and checks;
the explorer's data parts and the parts a view needs."""

from __future__ import annotations

import json

import pandas as pd

from nianbao.aggregates import appeals_outcomes, ranking, refusal_grounds, totals, values_frame
from nianbao.checks import check_reports
from nianbao.measures import BY_ID, MEASURES, NA, NOT_APPLICABLE, UNREADABLE, report_values
from nianbao.model import Problem
from nianbao.registry import AgencyEntry
from nianbao.render.explore_data import explore_parts, guessed_provinces, province_lists, view_files
from nianbao.render.regions import region_tree

from .handmade import appeals, report, requests

AGENCIES = {
    "a": AgencyEntry(id="a", name="甲民政局", province="浙江省", city="嘉兴市", kind="民政局"),
    "b": AgencyEntry(id="b", name="乙民政局", province="浙江省", city="台州市", kind="民政局"),
    "c": AgencyEntry(id="c", name="丙民政局", province="浙江省", city="台州市", kind="民政局"),
    "d": AgencyEntry(id="d", name="丁人民政府", province="福建省", city="福州市", kind="人民政府"),
}


def _reports() -> list:
    internal = requests(new=10)
    internal["refused_internal"] = {**internal["refused_internal"], "natural_person": 2, "total": 2}
    internal["granted"] = {**internal["granted"], "natural_person": 4, "total": 5}  # 6 → 5: (七) 总计 no longer adds up
    return [
        report(agency_id="a", name="甲民政局", requests=internal),
        report(agency_id="b", name="乙民政局", requests=None,  # table 三 missing: every row 未提供
               problems=[Problem(code="table3-missing", severity="error", message="表三缺失", table="requests")]),
        report(agency_id="c", name="丙民政局", requests=requests(new=30, carried_over=0, granted=20, partly=6, not_held=4,
                                                           carried_forward=0), appeals=appeals(review=(2, 1, 1, 3))),
        report(agency_id="d", name="丁人民政府", year=2020, requests=requests("2019", new=5, carried_over=0, granted=3,
                                                                        partly=1, not_held=1, carried_forward=0)),
    ]


def test_province_total_counts_its_agencies_and_never_takes_missing_as_zero() -> None:
    values = values_frame(_reports(), AGENCIES)
    province = totals(values, "province").set_index(["year", "province", "measure"])
    zj = province.loc[(2021, "浙江省", "r.new_received")]
    assert (zj["reported"], zj["given"], zj["total"], zj["complete"]) == (3, 2, 40, False)  # 乙 gives none
    assert zj["median"] == 20
    assert province.loc[(2021, "浙江省", "r.refused_internal"), "total"] == 2
    # A figure no agency gives is unknown, not 0.
    none = values[values["agency_id"] == "b"]
    assert pd.isna(totals(none, "province").set_index("measure").loc["r.granted", "total"])
    city = totals(values, "city").set_index(["year", "province", "city", "measure"])
    assert city.loc[(2021, "浙江省", "台州市", "r.new_received"), ["reported", "given"]].tolist() == [2, 1]
    # A 2019 report is not counted as withholding a row only the 2021 template asks for.
    country = totals(values).set_index(["year", "measure"])
    assert (2020, "r.other_no_correction") not in country.index
    assert country.loc[(2020, "r.other_handling"), "reported"] == 1


def test_ranking_skips_agencies_without_the_figure_and_says_how_many() -> None:
    ranked = ranking(values_frame(_reports(), AGENCIES), "r.new_received", 2021)
    assert ranked["agency_id"].tolist() == ["c", "a"] and ranked["rank"].tolist() == [1, 2]
    assert ranked.attrs["unranked"] == 1
    fj = ranking(values_frame(_reports(), AGENCIES), "r.new_received", 2021, within={"province": "福建省"})
    assert fj.empty


def test_refusal_grounds_and_appeal_outcomes_with_their_counts() -> None:
    values = values_frame(_reports(), AGENCIES)
    grounds = refusal_grounds(values).set_index(["year", "measure"])
    internal = grounds.loc[(2021, "r.refused_internal")]
    assert (internal["group"], internal["total"], internal["given"], internal["reported"]) == ("不予公开", 2, 2, 3)
    assert grounds.loc[(2021, "r.unavailable_not_held"), "total"] == 1 + 4
    outcomes = appeals_outcomes(values).set_index(["year", "group"])
    review = outcomes.loc[(2021, "review")]
    # 甲 and 乙 (1 upheld, 1 corrected each), 丙 (2, 1, 1, pending 3): corrected ÷ concluded, pending left out.
    assert review["corrected"] == 3 and review["pending"] == 3 and review["rate_given"] == 3
    assert review["corrected_rate"] == 3 / (2 + 2 + 4)
    assert outcomes.index.get_level_values("group").tolist()[:2] == ["review", "litigation"]


def test_measure_states_and_checks() -> None:
    cut = report(agency_id="a", requests=None, problems=[
        Problem(code="table3-missing", severity="error", message="表三缺失", table="requests"),
        Problem(code="cells-ambiguous", severity="warning", message="无法拆分", table="appeals", row="review",
                column="total", text="3 1 1", line=40),
    ])
    got = dict(report_values(cut))
    assert got[BY_ID["r.granted"]].state == NA and got[BY_ID["r.granted"]].check == "fail"
    assert got[BY_ID["d.grant_rate"]].state == NA
    assert got[BY_ID["a.review.upheld"]].check == "warn" and got[BY_ID["a.review.upheld"]].value == 1
    old = dict(report_values(report(year=2020, requests=requests("2019", new=0, carried_over=0, granted=0, partly=0,
                                                                    not_held=0, carried_forward=0))))
    assert old[BY_ID["p.rules.issued"]].state == NOT_APPLICABLE  # the 2019 template has no such column
    assert old[BY_ID["d.grant_rate"]].state == NOT_APPLICABLE and old[BY_ID["d.grant_rate"]].note == "分母为 0"
    assert old[BY_ID["r.granted"]].value == 0
    unread = report(appeals={**appeals(), "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": None}},
                    problems=[Problem(code="cells-ambiguous", message="x", table="appeals", row="review", column="total",
                                      text="2 2", line=40)])
    value = dict(report_values(unread))[BY_ID["a.review.total"]]
    assert value.state == UNREADABLE and "2 2" in value.note
    assert {m.group for m in MEASURES} == {"表二", "表三", "表四", "比率"}


def test_explore_parts_split_per_province_and_per_measure() -> None:
    reports = check_reports(_reports(), {})
    parts = explore_parts(reports, AGENCIES, region_tree(AGENCIES), "v1")
    index = json.loads(parts.files["explore/data/index.json"])
    assert "agencies" not in index  # the agencies come per province: the index stays small
    assert [[p[0], *p[3:]] for p in index["provinces"]] == [["浙江省", 0, 3], ["福建省", 3, 1]]  # [name, …, first, count]
    zj_agencies = json.loads(parts.files["explore/data/a/zhejiangsheng.json"])["agencies"]
    assert [row[:2] for row in zj_agencies] == [["a", "甲民政局"], ["b", "乙民政局"], ["c", "丙民政局"]]
    assert json.loads(parts.files["explore/data/a/fujiansheng.json"])["agencies"][0][0] == "d"
    zj_granted = len(parts.files["explore/data/p/zhejiangsheng/r.granted.json"].encode())  # its size, with its list
    assert json.loads(parts.files["explore/data/a/zhejiangsheng.json"])["sizes"][[m.id for m in MEASURES].index("r.granted")] == zj_granted
    names = json.loads(parts.files["explore/data/names.json"])["names"]
    assert [n[0] for n in names] == ["甲民政局", "乙民政局", "丙民政局", "丁人民政府"]
    assert names[0][2] == index["kinds"].index("民政局")  # [name, city, kind]: to find an agency in any province
    granted = json.loads(parts.files["explore/data/m/r.granted.json"])["cells"]["r.granted"]
    assert [0, 2021, 5, 2] in granted  # 甲's 予以公开, its table failing the balance check
    zj = json.loads(parts.files["explore/data/p/zhejiangsheng/r.granted.json"])["cells"]
    assert [c for c in zj["r.granted"] if c[0] == 1] == [[1, 2021, None, 2]]  # 乙: 未提供, table 三 missing
    assert all(c[0] != 3 for cells in zj.values() for c in cells)  # 福建's agency is not in 浙江's part
    # A view of two 浙江 agencies and two measures reads the index, the province lists the ids may be in (none
    # names its province here: every one), and 浙江's two parts or the two measures'.
    lists = province_lists(parts.files.__getitem__)
    need = view_files(index, ["a", "c"], ["r.granted", "s.refused"], lists)
    assert need[:3] == ["explore/data/index.json", "explore/data/a/zhejiangsheng.json", "explore/data/a/fujiansheng.json"]
    sizes = {p: len(t.encode()) for p, t in parts.files.items()}
    assert sum(sizes[p] for p in need[3:]) == min(
        sizes["explore/data/p/zhejiangsheng/r.granted.json"] + sizes["explore/data/p/zhejiangsheng/s.refused.json"],
        sizes["explore/data/m/r.granted.json"] + sizes["explore/data/m/s.refused.json"])
    # An id that names its province is looked for there only.
    assert guessed_provinces(index, "zhejiang-jiaxing-pinghu-minzheng") == ["zhejiangsheng"]
