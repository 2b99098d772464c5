"""Records → one long pandas DataFrame: one row per figure of tables 二, 三 and 四.

`value` is NaN where the record has None (missing is not zero); labels are the template's Chinese.
A missing table contributes no rows (there are no cells to list); its absence is a problem of the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from . import template as T
from .model import Report
from .registry import AgencyEntry

COLUMNS = ("agency_id", "agency_name", "province", "city", "county", "kind", "year", "template",
           "table", "row", "column", "value", "row_label", "column_label")


def _cells(report: Report) -> Iterator[tuple[str, str, str, Any, str, str]]:
    """(table, row, column, value, row_label, column_label) in the template's order."""
    tpl = report.template
    if tpl is None:
        return
    if report.proactive is not None:
        labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
        for row in T.PROACTIVE_ROWS[tpl]:
            cells = getattr(report.proactive, row.key)
            for col in row.columns:
                yield "proactive", row.key, col, getattr(cells, col), row.label, labels[col]
    if report.requests is not None:
        for row in T.REQUEST_ROWS[tpl]:
            cells = getattr(report.requests, row.key)
            label = row.label if not row.group or row.group.startswith("三、") else f"{row.group}{row.label}"
            for col in T.APPLICANT_COLUMNS:
                yield "requests", row.key, col, getattr(cells, col), label, T.APPLICANT_LABELS[col]
    if report.appeals is not None:
        for group in T.APPEAL_GROUPS:
            cells = getattr(report.appeals, group)
            for col in T.APPEAL_COLUMNS:
                yield "appeals", group, col, getattr(cells, col), T.APPEAL_GROUP_LABELS[group], T.APPEAL_COLUMN_LABELS[col]


def agency_fields(report: Report, agencies: Mapping[str, AgencyEntry]) -> dict[str, Any]:
    entry = agencies.get(report.agency.id)
    return {
        "agency_id": report.agency.id,
        "agency_name": entry.name if entry else report.agency.name,
        "province": entry.province if entry else None,
        "city": entry.city if entry else None,
        "county": entry.county if entry else None,
        "kind": entry.kind if entry else None,
        "year": report.year,
        "template": report.template,
    }


def tidy(reports: Iterable[Report], agencies: Mapping[str, AgencyEntry] | None = None) -> pd.DataFrame:
    """The long table of every figure; rows in (agency, year, template order), deterministic."""
    rows: list[tuple] = []
    for report in sorted(reports, key=lambda r: (r.agency.id, r.year or 0)):
        head = tuple(agency_fields(report, agencies or {}).values())
        for table, row, col, value, row_label, col_label in _cells(report):
            rows.append((*head, table, row, col, value, row_label, col_label))
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame


def tidy_dataset(dataset: Any) -> pd.DataFrame:
    return tidy(dataset.reports, dataset.agencies)
