"""The downloads re-read with pandas equal the records; the data package validates; output is deterministic."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Package
from openpyxl import load_workbook

from nianbao.analysis import FIGURE_KEYS, key_figures
from nianbao.checks import check_dataset
from nianbao.dataset import Dataset, load_dataset
from nianbao.model import Report
from nianbao.registry import AgencyEntry
from nianbao.render.downloads import write_downloads
from nianbao.render.status import figure_state

from .handmade import report, requests, row

HOSTILE = '<script>alert("x")</script>局'


def _dataset() -> Dataset:
    broken = requests()
    broken["total_handled"] = row(20, 1, 0, 0, 0, 0)
    broken["granted"]["research"] = None
    broken["granted"]["total"] = None
    reports = [
        report(agency_id="a-minzheng", name="甲市民政局", year=2020, published=dt.date(2021, 1, 20),
               requests=requests("2019", carried_forward=2)),
        report(agency_id="a-minzheng", name="甲市民政局", requests=broken, appeals=None),
        report(agency_id="b-zhengfu", name=HOSTILE, published=dt.date(2022, 4, 1), proactive=None),
    ]
    agencies = {
        "a-minzheng": AgencyEntry(id="a-minzheng", name="甲市民政局", province="浙江省", city="嘉兴市", kind="民政局"),
        "b-zhengfu": AgencyEntry(id="b-zhengfu", name=HOSTILE, province="福建省", kind="人民政府"),
    }
    return Dataset(reports=reports, agencies=agencies)


def _cell(r: Report, table: str, row_: str, column: str):
    return getattr(getattr(getattr(r, table), row_), column)


def _assert_equal_to_records(out: Path, dataset: Dataset) -> None:
    checked = {(r.agency.id, r.year): r for r in check_dataset(dataset)}
    long = pd.read_csv(out / "reports.csv", encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                       dtype={"template": str})
    cells = 0
    for rec in long.itertuples(index=False):
        stated = _cell(checked[(rec.agency_id, rec.year)], rec.table, rec.row, rec.column)
        assert (stated is None and pd.isna(rec.value)) or stated == rec.value, rec
        cells += 1
    expected = sum(len(type(getattr(table, key)).model_fields)
                   for r in checked.values() if r.template
                   for table in (r.proactive, r.requests, r.appeals) if table is not None
                   for key in type(table).model_fields)
    assert cells == expected > 0
    figures = pd.read_csv(out / "key_figures.csv", encoding="utf-8-sig")
    assert len(figures) == len(checked)
    for rec in figures.to_dict("records"):
        want = key_figures(checked[(rec["agency_id"], rec["year"])])
        for key in FIGURE_KEYS:
            if want[key] is None:
                assert pd.isna(rec[key]), key
                assert rec[f"{key}_state"] == figure_state(checked[(rec["agency_id"], rec["year"])], key), key
            else:
                assert rec[key] == pytest.approx(want[key], abs=1e-6), key
                assert pd.isna(rec[f"{key}_state"]), key
    problems = pd.read_csv(out / "problems.csv", encoding="utf-8-sig")
    assert len(problems) == sum(len(r.problems) for r in checked.values())
    records = json.loads((out / "records.json").read_text(encoding="utf-8"))
    assert records == [r.to_data() for r in sorted(checked.values(), key=lambda r: (r.agency.id, r.year))]
    assert [Report.model_validate(d) for d in records]  # as the schema describes them
    for agency_id in {r.agency.id for r in checked.values()}:
        per = pd.read_csv(out / "agencies" / f"{agency_id}.csv", encoding="utf-8-sig")
        assert set(per.agency_id) == {agency_id}


def test_downloads_equal_the_hand_made_records(tmp_path: Path) -> None:
    dataset = _dataset()
    written = write_downloads(dataset, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written if p.parent.name != "charts")
    assert names == ["agencies/a-minzheng.csv", "agencies/b-zhengfu.csv", "datapackage.json", "index.md",
                     "key_figures.csv", "nianbao.xlsx", "problems.csv", "records.json", "report.schema.json", "reports.csv"]
    assert (tmp_path / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    _assert_equal_to_records(tmp_path, dataset)
    problems = pd.read_csv(tmp_path / "problems.csv", encoding="utf-8-sig")
    codes = set(problems.code)
    assert {"identity-column-total", "late-publication"} <= codes  # the checks run before writing
    failure = problems[(problems.code == "identity-column-total") & (problems.column == "natural_person")].iloc[0]
    assert (failure.left, failure.right) == (20, 9)
    granted = pd.read_csv(tmp_path / "reports.csv", encoding="utf-8-sig")
    cell = granted[(granted.agency_id == "a-minzheng") & (granted.year == 2021) & (granted.row == "granted") & (granted.column == "research")]
    assert cell.value.isna().all() and len(cell) == 1  # None stays empty, never 0


def test_xlsx_has_chinese_headers_and_frozen_rows(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path)
    book = load_workbook(tmp_path / "nianbao.xlsx", read_only=False)
    assert book.sheetnames == ["reports", "key_figures", "problems"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    assert [c.value for c in book["reports"][1]][:3] == ["机构代码", "机构名称", "省级"]
    assert [c.value for c in book["key_figures"][1]][-2:] == ["诉讼被纠正", "诉讼被纠正（状态）"]
    sheet = pd.read_excel(tmp_path / "nianbao.xlsx", sheet_name="reports")
    csv = pd.read_csv(tmp_path / "reports.csv", encoding="utf-8-sig")
    assert len(sheet) == len(csv)
    assert sheet["数值"].fillna(-1).tolist() == csv["value"].fillna(-1).tolist()


def test_data_package_is_valid(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"] if not r["path"].startswith("charts/")}
    assert paths == {"reports.csv", "key_figures.csv", "problems.csv", "agencies/a-minzheng.csv", "agencies/b-zhengfu.csv"}
    value = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "value")
    assert value["type"] == "number" and "数值" in value["description"] and "not zero" in value["description"]
    result = Package(str(tmp_path / "datapackage.json")).validate()
    assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])


def test_downloads_are_deterministic(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path / "one")
    write_downloads(_dataset(), tmp_path / "two")
    for path in sorted((tmp_path / "one").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes(), path.name


def test_downloads_page_escapes_names(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path)
    page = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="reports.csv"' in page and 'href="agencies/b-zhengfu.csv"' in page


def test_downloads_of_the_sample_data_equal_the_records(tmp_path: Path) -> None:
    dataset = load_dataset()
    assert len(dataset.reports) == 11, dataset.errors
    write_downloads(dataset, tmp_path)
    _assert_equal_to_records(tmp_path, dataset)
    assert Package(str(tmp_path / "datapackage.json")).validate().valid


def test_an_empty_key_figure_says_which_of_the_three_states_it_is(tmp_path: Path) -> None:
    write_downloads(load_dataset(), tmp_path)
    figures = pd.read_csv(tmp_path / "key_figures.csv", encoding="utf-8-sig").set_index(["agency_id", "year"])
    states = {
        ("fujian-fuzhou-pingtan-guanweihui", 2020, "licensing"): "无法识别",  # printed 396442278, several readings
        ("ningxia-zhongwei-minzheng", 2021, "grant_rate"): "不适用",  # no request handled: no denominator
        ("zhejiang-jiaxing-pinghu-minzheng", 2021, "requests_received"): "未提供",  # table 三 is missing
    }
    for (agency_id, year, key), state in states.items():
        row = figures.loc[(agency_id, year)]
        assert pd.isna(row[key]) and row[f"{key}_state"] == state, (agency_id, year, key)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = next(r for r in package["resources"] if r["path"] == "key_figures.csv")["schema"]["fields"]
    state = next(f for f in fields if f["name"] == "licensing_state")
    assert state["constraints"] == {"enum": ["未提供", "无法识别", "不适用"]} and state["type"] == "string"
    assert {f["name"] for f in fields} >= {f"{k}_state" for k in FIGURE_KEYS}


def test_long_sheets_are_left_out_of_the_workbook_and_the_workbook_is_cached(tmp_path: Path) -> None:
    from nianbao.render.downloads import tables, xlsx_bytes

    _, frames = tables(_dataset())
    out = tmp_path / "small.xlsx"
    out.write_bytes(xlsx_bytes(frames, max_rows=50))
    book = load_workbook(out)
    assert book.sheetnames == ["key_figures", "problems", "说明"]
    assert "reports.csv" in book["说明"]["A2"].value
    cache = tmp_path / "cache"
    write_downloads(_dataset(), tmp_path / "one", cache_dir=cache)
    (cached,) = cache.glob("nianbao-*.xlsx")
    assert cached.read_bytes() == (tmp_path / "one" / "nianbao.xlsx").read_bytes()
    write_downloads(_dataset(), tmp_path / "two", cache_dir=cache)
    assert list(cache.glob("nianbao-*.xlsx")) == [cached]
    changed = _dataset()
    changed.reports[0] = report(agency_id="a-minzheng", name="甲市民政局", year=2020, published=dt.date(2021, 1, 2),
                                requests=requests("2019", new=11, granted=7))  # one figure changes
    write_downloads(changed, tmp_path / "three", cache_dir=cache)
    (newer,) = cache.glob("nianbao-*.xlsx")
    assert newer != cached


def test_the_downloads_name_the_version_every_citation_names(tmp_path: Path) -> None:
    from nianbao.citation import dataset_version

    dataset = _dataset()
    write_downloads(dataset, tmp_path)
    version = dataset_version(dataset)
    assert json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    assert f"<code>{version}</code>" in (tmp_path / "index.md").read_text(encoding="utf-8")


def test_a_long_table_too_big_for_the_workbook_is_streamed_to_the_same_csv(tmp_path: Path, monkeypatch) -> None:
    """Past XLSX_MAX_ROWS, reports.csv is written a few reports at a time: same bytes, same data package,
    and the workbook names it instead of holding it."""
    from nianbao.render import downloads
    from nianbao.tidy import tidy

    dataset = load_dataset()  # the sample records (9), plus the hand-made ones with a hostile name
    hand = _dataset()
    dataset = Dataset(reports=dataset.reports + hand.reports, agencies={**dataset.agencies, **hand.agencies})
    write_downloads(dataset, tmp_path / "whole", cache_dir=tmp_path / "c1")
    reports, _ = downloads.tables(dataset, long=False)
    assert downloads.long_rows(reports) == len(tidy(reports, dataset.agencies)) > 50
    piece = tmp_path / "pieces.csv"
    rows = downloads.write_long_csv(reports, dataset.agencies, piece, chunk=2)
    assert piece.read_bytes() == (tmp_path / "whole" / "reports.csv").read_bytes()
    assert rows == downloads.long_rows(reports)
    lines = [r.model_dump_json(by_alias=True) for r in reports]  # compact, one a line
    whole = ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")
    assert (tmp_path / "whole" / "records.json").read_bytes() == whole  # written a record at a time
    assert json.loads(whole.decode("utf-8")) == [r.to_data() for r in reports]
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 50)
    monkeypatch.setattr(downloads, "LONG_CHUNK", 3)
    write_downloads(dataset, tmp_path / "streamed", cache_dir=tmp_path / "c2")
    streamed = tmp_path / "streamed"
    for name in ("key_figures.csv", "problems.csv"):
        assert (streamed / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    # A site that large publishes its two long files gzipped (render/compress.py): the same bytes inside,
    # the same bytes for the same data (no time in the header), named so on the page and in the package.
    for name in ("reports.csv", "records.json"):
        assert not (streamed / name).exists()
        assert gzip.decompress((streamed / f"{name}.gz").read_bytes()) == (tmp_path / "whole" / name).read_bytes(), name
    again = tmp_path / "again"
    write_downloads(dataset, again, cache_dir=tmp_path / "c3")
    assert (again / "reports.csv.gz").read_bytes() == (streamed / "reports.csv.gz").read_bytes()
    package = json.loads((streamed / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][0]["path"] == "reports.csv.gz"
    # Its agency and chart CSVs share their kind's schema file instead of repeating it (still validated below).
    shared = {r["schema"] for r in package["resources"] if r["path"].startswith(("agencies/", "charts/"))}
    assert shared and all(isinstance(s, str) and (streamed / s).is_file() for s in shared)
    assert len(shared) < sum(r["path"].startswith(("agencies/", "charts/")) for r in package["resources"])
    assert Package(str(streamed / "datapackage.json")).validate().valid
    page = (streamed / "index.md").read_text(encoding="utf-8")
    assert 'href="reports.csv.gz"' in page and 'href="records.json.gz"' in page and 'href="reports.csv"' not in page
    book = load_workbook(streamed / "nianbao.xlsx")
    assert "reports" not in book.sheetnames and "请下载 reports.csv.gz" in book["说明"]["A2"].value
    for name in ("reports.csv", "records.json"):  # what the records check below reads
        (streamed / name).write_bytes(gzip.decompress((streamed / f"{name}.gz").read_bytes()))
    _assert_equal_to_records(streamed, dataset)


@pytest.mark.parametrize("amount", [1.5, 3.0, 0.1 + 0.2, 12345678.25, 0.0, None, 1e-7])
def test_reports_csv_streamed_prints_amounts_as_pandas_does(tmp_path: Path, amount) -> None:
    """The streamed reports.csv formats every figure as the DataFrame path does (amounts included)."""
    from nianbao.render import downloads
    from nianbao.tidy import tidy

    dataset = load_dataset()
    reports = [r for r in dataset.reports if r.proactive is not None and r.template == "2021"]
    changed = reports[0].model_copy(deep=True)
    changed.proactive.fees.amount_10k_yuan = amount
    reports = sorted([changed, *reports[1:]], key=lambda r: (r.agency.id, r.year or 0))
    rows = downloads.write_long_csv(reports, dataset.agencies, tmp_path / "r.csv", chunk=1)
    assert (tmp_path / "r.csv").read_bytes() == downloads.csv_bytes(tidy(reports, dataset.agencies))
    assert rows == downloads.long_rows(reports)


def test_downloads_are_readable_by_everyone_the_umask_allows(tmp_path: Path) -> None:
    """Written through temp files (made 0600) and renamed into the site: they get open()'s usual mode."""
    import os

    from nianbao.cache import FILE_MODE

    write_downloads(load_dataset(), tmp_path, cache_dir=tmp_path / "cache")
    files = [p for p in tmp_path.rglob("*") if p.is_file() and "cache" not in p.parts]
    assert files and {p.stat().st_mode & 0o777 for p in files} == {FILE_MODE}
    assert 0o666 & ~os.umask(os.umask(0o022)) == FILE_MODE
