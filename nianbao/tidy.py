"""Records → one long pandas DataFrame: one row per figure of tables 二, 三 and 四.

`value` is NaN where the record has None (missing is not zero); labels are the template's Chinese.
A missing table contributes no rows (there are no cells to list); its absence is a problem of the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from . import template as T
from .model import Report, record_order
from .registry import AgencyEntry

COLUMNS = ("agency_id", "agency_name", "province", "city", "county", "kind", "year", "template",
           "table", "row", "column", "value", "row_label", "column_label")


def _layout(tpl: str, table: str) -> list[tuple[str, str, str, str, str]]:
    """(table, row, column, row_label, column_label) of every cell of one table, in the template's order."""
    out = []
    if table == "proactive":
        labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
        for row in T.PROACTIVE_ROWS[tpl]:
            out += [("proactive", row.key, col, row.label, labels[col]) for col in row.columns]
    elif table == "requests":
        for row in T.REQUEST_ROWS[tpl]:
            label = row.label if not row.group or row.group.startswith("三、") else f"{row.group}{row.label}"
            out += [("requests", row.key, col, label, T.APPLICANT_LABELS[col]) for col in T.APPLICANT_COLUMNS]
    else:
        for group in T.APPEAL_GROUPS:
            out += [("appeals", group, col, T.APPEAL_GROUP_LABELS[group], T.APPEAL_COLUMN_LABELS[col])
                    for col in T.APPEAL_COLUMNS]
    return out


LAYOUTS = {(tpl, table): _layout(tpl, table) for tpl in T.TEMPLATES for table in ("proactive", "requests", "appeals")}
TABLES = ("proactive", "requests", "appeals")


def cell_values(model: Any, layout: list[tuple[str, str, str, str, str]]) -> list[Any]:
    rows = {key: getattr(model, key).__dict__ for key in type(model).model_fields}
    return [rows[row][col] for _, row, col, _, _ in layout]


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


def report_tables(reports: Iterable[Report]) -> Iterator[tuple[Report, Any, list[tuple[str, str, str, str, str]]]]:
    """(report, table model, its layout) of every table the reports hold, in the long table's order:
    reports by (agency, year), tables in TABLES order; a report without a template has no cells."""
    for report in sorted(reports, key=record_order):
        if report.template is None:
            continue
        for table in TABLES:
            model = getattr(report, table)
            if model is not None:
                yield report, model, LAYOUTS[(report.template, table)]


def tidy(reports: Iterable[Report], agencies: Mapping[str, AgencyEntry] | None = None) -> pd.DataFrame:
    """The long table of every figure; rows in (agency, year, template order), deterministic."""
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    cell_keys = ("table", "row", "column", "row_label", "column_label")
    for report, model, layout in report_tables(reports):
        for key, value in agency_fields(report, agencies or {}).items():
            columns[key].extend([value] * len(layout))
        for i, key in enumerate(cell_keys):
            columns[key].extend(cell[i] for cell in layout)
        columns["value"].extend(cell_values(model, layout))
    frame = pd.DataFrame(columns, columns=list(COLUMNS))
    for key in COLUMNS:  # an empty table's text columns would read as numbers (its data package too)
        if key not in ("year", "value") and frame[key].dtype == "float64":
            frame[key] = frame[key].astype(object)
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame


def tidy_dataset(dataset: Any) -> pd.DataFrame:
    return tidy(dataset.reports, dataset.agencies)
