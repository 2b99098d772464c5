"""The identities of FORMAT.md on hand-made tables that break each one, and on the real 平潭 2020 report."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nianbao.checks import CHECK_CODES, check_report, deadline, is_local_government, run_check
from nianbao.model import Metric, Problem

from .conftest import REPO, SAMPLES
from .handmade import appeals, report, requests, row

DEPT = "民政局"


def codes(r) -> list[str]:
    return [p.code for p in r.problems if p.code in CHECK_CODES]


def test_a_table_whose_arithmetic_holds_passes_every_check() -> None:
    for year in (2020, 2021):
        assert codes(check_report(report(year=year, published=dt.date(year + 1, 1, 10)), kind=DEPT)) == []


def test_row_total_broken() -> None:
    req = requests()
    req["granted"]["total"] = 7  # the six columns add up to 6
    checked = check_report(report(requests=req), kind=DEPT)
    p = next(p for p in checked.problems if p.code == "identity-row-total")
    assert (p.table, p.row, p.column, p.left, p.right, p.severity) == ("requests", "granted", "total", 7, 6, "error")
    assert "报告为 7" in p.message and "之和为 6" in p.message
    # The broken total also breaks the 总计 column's sum: both are reported, nothing is repaired.
    assert set(codes(checked)) == {"identity-row-total", "identity-column-total"}
    assert checked.requests.granted.total == 7


def test_column_total_broken() -> None:
    req = requests()
    req["total_handled"] = row(20, 1, 0, 0, 0, 0)  # the result rows give 9 natural persons
    checked = check_report(report(requests=req), kind=DEPT)
    by_column = {p.column: p for p in checked.problems if p.code == "identity-column-total"}
    assert sorted(by_column) == ["natural_person", "total"]
    assert (by_column["natural_person"].left, by_column["natural_person"].right) == (20, 9)
    assert by_column["natural_person"].message == "表三（七）总计·自然人：报告为 20，各项办理结果之和为 9"


def test_balance_broken() -> None:
    req = requests()
    req["carried_forward"] = row(5, 0, 0, 0, 0, 0)
    checked = check_report(report(requests=req), kind=DEPT)
    assert codes(checked) == ["identity-balance", "identity-balance"]
    p = checked.problems[-1]
    assert (p.column, p.left, p.right) == ("total", 12, 15)


def test_appeals_total_broken() -> None:
    app = appeals()
    app["litigation_direct"]["total"] = 5
    checked = check_report(report(appeals=app), kind=DEPT)
    (p,) = [p for p in checked.problems if p.code in CHECK_CODES]
    assert (p.code, p.table, p.row, p.left, p.right) == ("identity-appeals-total", "appeals", "litigation_direct", 5, 2)


def test_none_cells_are_not_evaluated() -> None:
    req = requests()
    req["granted"]["commercial"] = None  # row sum unknown, column sum unknown for 商业企业
    req["carried_forward"]["total"] = None
    app = appeals()
    app["review"]["pending"] = None
    checked = check_report(report(requests=req, appeals=app), kind=DEPT)
    assert codes(checked) == []
    # A None is never read as 0: the same table with 0 in place of None fails.
    req["granted"]["commercial"] = 0
    assert "identity-row-total" in codes(check_report(report(requests=req), kind=DEPT))


def test_missing_tables_are_not_checked() -> None:
    r = report(requests=None, appeals=None, proactive=None)
    assert codes(check_report(r, kind=DEPT)) == []


def test_carry_over_across_years() -> None:
    before = report(year=2020, published=dt.date(2021, 1, 20), requests=requests("2019", carried_forward=2))
    now = report(year=2021)
    assert codes(check_report(now, before, kind=DEPT)) == []
    now_broken = report(year=2021, requests=requests(new=9, carried_over=3))
    checked = check_report(now_broken, before, kind=DEPT)
    ps = [p for p in checked.problems if p.code == "identity-carry-over"]
    assert [(p.column, p.left, p.right) for p in ps] == [("natural_person", 3, 2), ("total", 3, 2)]
    # Only the same agency's report for the year before counts.
    assert codes(check_report(now_broken, before.model_copy(update={"year": 2019}), kind=DEPT)) == []
    assert codes(check_report(now_broken, kind=DEPT)) == []


def test_prose_against_tables() -> None:
    said = {"requests_received": Metric(value=11, quote="共收到政府信息公开申请11件", line=7),
            "normative_documents_in_force": Metric(value=12, quote="现行有效规范性文件12件", line=9)}
    checked = check_report(report(metrics=said), kind=DEPT)
    (p,) = [p for p in checked.problems if p.code in CHECK_CODES]
    assert (p.code, p.left, p.right, p.line, p.text) == ("prose-mismatch", 11, 10, 7, "共收到政府信息公开申请11件")
    said["requests_received"] = Metric(value=10, quote="收到申请10件", line=7)
    assert codes(check_report(report(metrics=said), kind=DEPT)) == []
    said["normative_documents_in_force"] = Metric(value=13, quote="现行有效规范性文件13件", line=9)
    (p,) = [p for p in check_report(report(metrics=said), kind=DEPT).problems if p.code in CHECK_CODES]
    assert (p.table, p.row, p.column, p.left, p.right) == ("proactive", "normative_documents", "in_force", 13, 12)


def test_timeliness() -> None:
    assert deadline(2021, False) == dt.date(2022, 1, 31) and deadline(2021, True) == dt.date(2022, 3, 31)
    assert is_local_government("平潭综合实验区管委会") and is_local_government("某县人民政府")
    assert not is_local_government("平湖市民政局") and is_local_government("平湖市民政局", "人民政府")
    late_dept = report(published=dt.date(2022, 2, 1))
    (p,) = [p for p in check_report(late_dept, kind=DEPT).problems if p.code in CHECK_CODES]
    assert (p.code, p.severity) == ("late-publication", "warning") and "2022-01-31" in p.message
    gov = report(agency_id="nowhere-zhengfu", name="某县人民政府", published=dt.date(2022, 3, 31))
    assert codes(check_report(gov, kind=None)) == []
    assert codes(check_report(report(agency_id="nowhere-zhengfu", name="某县人民政府", published=dt.date(2022, 4, 1)), kind=None)) == ["late-publication"]
    undated = check_report(report(published=None), kind=DEPT)
    assert [p.code for p in undated.problems] == ["published-missing"]
    assert undated.problems[0].severity == "info"


def test_checks_replace_their_own_problems_and_keep_the_parsers() -> None:
    parse_problem = Problem(code="cells-ambiguous", message="…", line=3)
    stale = Problem(code="identity-balance", severity="error", message="old")
    checked = check_report(report(problems=[parse_problem, stale]), kind=DEPT)
    assert checked.problems == [parse_problem]
    again = check_report(check_report(report(published=dt.date(2022, 5, 1)), kind=DEPT), kind=DEPT)
    assert codes(again) == ["late-publication"]


def test_real_pingtan_2020_column_total_failure() -> None:
    from nianbao.parse import parse_file

    checked = check_report(parse_file(SAMPLES / "fujian-pingtan_2020.txt"), kind="管理委员会")
    ps = {(p.code, p.column): p for p in checked.problems if p.code in CHECK_CODES}
    assert ("identity-column-total", "total") in ps
    p = ps[("identity-column-total", "total")]
    assert (p.left, p.right) == (21, 27)
    assert p.message == "表三（七）总计·总计：报告为 21，各项办理结果之和为 27"
    assert checked.requests.total_handled.total == 21  # shown, not repaired


def _write(path: Path, r) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(r.to_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_run_check_on_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "a" / "2021.yaml"
    _write(good, report())
    assert run_check([str(tmp_path)]) == 0
    req = requests()
    req["total_handled"] = row(20, 1, 0, 0, 0, 0)
    _write(tmp_path / "b" / "2021.yaml", report(agency_id="b", requests=req))
    assert run_check([str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "b/2021 表三 total_handled/natural_person: stated 20 ≠ computed 9 (identity-column-total)" in out
    assert not any(line.startswith("zhejiang") for line in out)


def test_run_check_across_years_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "x" / "2020.yaml", report(agency_id="x", year=2020, published=dt.date(2021, 1, 5),
                                                requests=requests("2019", carried_forward=2)))
    _write(tmp_path / "x" / "2021.yaml", report(agency_id="x", requests=requests(new=9, carried_over=3)))
    (tmp_path / "broken.yaml").write_text("agency: [", encoding="utf-8")
    assert run_check([str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "x/2021 表三 carried_over/total: stated 3 ≠ computed 2 (identity-carry-over)" in captured.out
    assert "broken.yaml" in captured.err
    assert run_check([str(tmp_path / "broken.yaml")]) == 2
    assert run_check([str(tmp_path / "nothing-here")]) == 2


def test_cli_check_on_raw_samples() -> None:
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", "check", *map(str, sorted(SAMPLES.glob("fujian-*.txt")))],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "fujian-fuzhou-pingtan-guanweihui/2020 表三 total_handled/total: stated 21 ≠ computed 27 (identity-column-total)" in done.stdout


def test_check_dataset_follows_changes_to_the_dataset() -> None:
    from nianbao.checks import check_dataset
    from nianbao.dataset import Dataset
    from nianbao.registry import AgencyEntry

    dataset = Dataset(reports=[report()], agencies={})
    assert codes(check_dataset(dataset)[0]) == []
    assert check_dataset(dataset)[0] is check_dataset(dataset)[0]  # computed once
    dataset.reports[0] = report(published=dt.date(2022, 3, 1))
    assert codes(check_dataset(dataset)[0]) == ["late-publication"]
    entry = AgencyEntry(id="zhejiang-jiaxing-pinghu-minzheng", name="平湖市民政局", kind="人民政府")
    dataset.agencies[entry.id] = entry  # the registry now says it is a local government: due 31 March
    assert codes(check_dataset(dataset)[0]) == []


def test_every_check_code_is_described() -> None:
    from nianbao.checks import CHECK_DESCRIPTIONS

    assert set(CHECK_CODES) | {"published-missing"} == set(CHECK_DESCRIPTIONS)
