"""Downloads safe to open: text that a spreadsheet would take for a formula is text in every CSV (a leading
quote, as OWASP advises) and a string cell in the workbook; numbers, negative ones included, stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nianbao.dataset import Dataset
from nianbao.model import Problem
from nianbao.registry import AgencyEntry
from nianbao.render import downloads
from nianbao.render.downloads import write_downloads
from nianbao.render.spreadsheet import FORMULA_START, inert_text

from .handmade import proactive, report, requests

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(1)", "\t=1+2", "\r=1+2"]


def _dataset() -> Dataset:
    hostile = report(agency_id="c-zhengfu", name="=1+2", year=2020, requests=requests("2019"),
                     proactive=proactive("2019"))
    hostile.proactive.licensing.change = -185  # 本年增/减: a negative number, not a formula
    hostile.problems.append(Problem(code="cells-ambiguous", severity="warning", message="@SUM(A1:A9)",
                                    table="requests", row="granted", text="=1+2"))
    agencies = {"c-zhengfu": AgencyEntry(id="c-zhengfu", name="=1+2", province="+福建省", city="-福州市",
                                         kind="@人民政府")}
    return Dataset(reports=[hostile], agencies=agencies)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_starts_like_a_formula_gets_a_quote(text: str) -> None:
    assert inert_text(text) == "'" + text
    assert inert_text("平湖市民政局") == "平湖市民政局"


def test_no_csv_field_starts_a_formula_and_numbers_stay_numbers(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path, cache_dir=tmp_path / "cache")
    files = [tmp_path / n for n in ("reports.csv", "key_figures.csv", "problems.csv", "agencies/c-zhengfu.csv")]
    for path in files:
        rows = _csv(path)
        assert rows, path
        for row in rows:
            for column, value in row.items():
                if column not in ("value", "left", "right"):
                    assert not value.startswith(FORMULA_START), (path.name, column, value)
    long = _csv(tmp_path / "reports.csv")
    assert {r["agency_name"] for r in long} == {"'=1+2"}
    assert {(r["province"], r["city"], r["kind"]) for r in long} == {("'+福建省", "'-福州市", "'@人民政府")}
    change = next(r for r in long if (r["row"], r["column"]) == ("licensing", "change"))
    assert change["value"] == "-185"  # a number: no quote
    problem = next(r for r in _csv(tmp_path / "problems.csv") if r["code"] == "cells-ambiguous")
    assert (problem["text"], problem["message"]) == ("'=1+2", "'@SUM(A1:A9)")


def test_the_same_bytes_when_reports_csv_is_streamed(tmp_path: Path) -> None:
    dataset = _dataset()
    reports, _ = downloads.tables(dataset, long=False)
    downloads.write_long_csv(reports, dataset.agencies, tmp_path / "streamed.csv", chunk=1)
    write_downloads(dataset, tmp_path / "whole", cache_dir=tmp_path / "cache")
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "whole" / "reports.csv").read_bytes()


def test_the_workbook_has_no_formula_cell(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path, cache_dir=tmp_path / "cache")
    book = load_workbook(tmp_path / "nianbao.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    names = [c for c in cells if c.value == "=1+2"]
    assert len(names) > 3  # the agency name on every row and the problem's text
    assert all(c.data_type == "s" and c.quotePrefix for c in names)
    sheet = book["reports"]
    header = [c.value for c in sheet[1]]
    change = next(row for row in sheet.iter_rows(min_row=2)
                  if (row[header.index("行")].value, row[header.index("列")].value) == ("licensing", "change"))
    value = change[header.index("数值")]
    assert (value.value, value.data_type, value.quotePrefix) == (-185, "n", False)
    first = write_downloads(_dataset(), tmp_path / "again", cache_dir=tmp_path / "cache2")
    assert (tmp_path / "again" / "nianbao.xlsx").read_bytes() == (tmp_path / "nianbao.xlsx").read_bytes()
    assert first


_KILLED_MID_WORKBOOK = """
import os, signal, sys
import pandas as pd
from openpyxl.worksheet import _write_only
from nianbao.render.spreadsheet import workbook

append, rows = _write_only.WriteOnlyWorksheet.append, []
def append_then_die(self, row):
    append(self, row)
    rows.append(1)
    if len(rows) > 2000:  # the sheet's temporary file holds rows by now
        os.kill(os.getpid(), signal.SIGKILL)
_write_only.WriteOnlyWorksheet.append = append_then_die
workbook({"t": pd.DataFrame({"value": range(10_000)})}, {"value": "数值"})
"""


def test_a_killed_workbook_leaves_its_temporary_files_under_build_only(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import pandas as pd

    from nianbao import paths
    from nianbao.render.spreadsheet import workbook

    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(system_tmp), "NIANBAO_ROOT": str(tmp_path / "root")}
    done = subprocess.run([sys.executable, "-c", _KILLED_MID_WORKBOOK], env=env, capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr
    assert list(system_tmp.iterdir()) == []
    [left] = (tmp_path / "root/build/tmp").iterdir()  # the killed process's own folder, its sheet inside
    assert left.name.startswith("xlsx-") and [p.name[:9] for p in left.iterdir()] == ["openpyxl."]
    # The next workbook made under that root removes it, and its own folder when done.
    paths_build = paths.BUILD
    try:
        paths.BUILD = tmp_path / "root/build"
        workbook({"t": pd.DataFrame({"value": [1]})}, {"value": "数值"})
    finally:
        paths.BUILD = paths_build
    assert list((tmp_path / "root/build/tmp").iterdir()) == []
