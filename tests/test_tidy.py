"""Records → the long table: one row per cell of tables 二, 三 and 四, None as NaN, the template's labels."""

from __future__ import annotations

import math

import pandas as pd

from nianbao import template as T
from nianbao.dataset import load_dataset
from nianbao.registry import AgencyEntry
from nianbao.tidy import COLUMNS, tidy

from .handmade import report, requests

AGENCIES = {"zhejiang-jiaxing-pinghu-minzheng": AgencyEntry(
    id="zhejiang-jiaxing-pinghu-minzheng", name="平湖市民政局", province="浙江省", city="嘉兴市", county="平湖市", kind="民政局")}


def _value(r, table: str, row: str, column: str):
    return getattr(getattr(getattr(r, table), row), column)


def test_one_row_per_cell_with_labels_and_region() -> None:
    r = report()
    frame = tidy([r], AGENCIES)
    assert tuple(frame.columns) == COLUMNS
    n_proactive = sum(len(row.columns) for row in T.PROACTIVE_ROWS["2021"])
    assert len(frame) == n_proactive + len(T.REQUEST_ROWS["2021"]) * 7 + 15
    granted = frame[(frame.row == "granted") & (frame.column == "total")].iloc[0]
    assert (granted.value, granted.row_label, granted.column_label) == (6, "（一）予以公开", "总计")
    refused = frame[(frame.row == "refused_process") & (frame.column == "natural_person")].iloc[0]
    assert refused.row_label == "（三）不予公开6.属于四类过程性信息" and refused.column_label == "自然人"
    fees = frame[(frame.row == "fees")].iloc[0]
    assert fees.value == 21.584 and fees.column_label == "本年收费金额（单位：万元）"
    assert set(frame.province) == {"浙江省"} and set(frame.kind) == {"民政局"} and set(frame.year) == {2021}


def test_none_is_nan_never_zero_and_missing_tables_have_no_rows() -> None:
    req = requests()
    req["granted"]["commercial"] = None
    frame = tidy([report(requests=req, appeals=None)], AGENCIES)
    cell = frame[(frame.row == "granted") & (frame.column == "commercial")].value.iloc[0]
    assert math.isnan(cell)
    assert "appeals" not in set(frame.table)
    assert frame.value.isna().sum() == 1 and (frame.value == 0).sum() > 100
    # An agency the registry does not know keeps the record's name; its region is empty.
    other = tidy([report(agency_id="x", name="某局")], AGENCIES)
    assert set(other.agency_name) == {"某局"} and other.province.isna().all()


def test_sample_records_round_trip_every_cell() -> None:
    dataset = load_dataset()
    frame = tidy(dataset.reports, dataset.agencies)
    by_key = {(r.agency.id, r.year): r for r in dataset.reports}
    assert len(by_key) == 11 and frame.agency_id.nunique() == 8
    for row in frame.itertuples(index=False):
        stated = _value(by_key[(row.agency_id, row.year)], row.table, row.row, row.column)
        assert (stated is None and pd.isna(row.value)) or stated == row.value
    # 平潭 2020's (七) 总计 as printed (it breaks the column sum, and stays as printed).
    pt = frame[(frame.agency_id == "fujian-fuzhou-pingtan-guanweihui") & (frame.year == 2020)
               & (frame.row == "total_handled") & (frame.column == "total")]
    assert pt.value.tolist() == [21]


def test_an_empty_table_keeps_its_text_columns_text() -> None:
    frame = tidy([], AGENCIES)
    assert len(frame) == 0 and tuple(frame.columns) == COLUMNS
    assert str(frame["year"].dtype) == "Int64" and str(frame["value"].dtype) == "float64"
    assert all(not pd.api.types.is_numeric_dtype(frame[c]) for c in COLUMNS if c not in ("year", "value"))
