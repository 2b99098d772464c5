"""Aggregates a newsroom writes about: totals and medians by year and region, rankings, refusal grounds
over the years, appeals and lawsuits with their outcomes.

Every total carries two counts beside it: `reported`, the agencies of the group with a report on that
year, and `given`, those whose report gives the figure. A total over the figures given is never passed
off as the group's total: `complete` says whether every agency that reported gave it, and a total over no
figure is missing (NA), not 0. A rate is computed over the agencies that give both its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .measures import BY_ID, MEASURES, NOT_APPLICABLE, report_values
from .model import Report, record_order
from .registry import AgencyEntry

VALUE_COLUMNS = ("agency_id", "agency_name", "province", "city", "kind", "year", "measure", "value", "state")
LEVELS = ("country", "province", "city")
REFUSAL_GROUPS = {"不予公开": "r.refused_", "无法提供": "r.unavailable_", "不予处理": "r.not_handled_"}


def values_frame(reports: Iterable[Report], agencies: Mapping[str, AgencyEntry] | None = None,
                 measures: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per report and measure (not rates): its value (NaN when not a number) and state."""
    wanted = [BY_ID[m] for m in measures] if measures is not None else [m for m in MEASURES if not m.rate]
    columns: dict[str, list] = {c: [] for c in VALUE_COLUMNS}
    for report in sorted(reports, key=record_order):
        if report.year is None:
            continue
        entry = (agencies or {}).get(report.agency.id)
        who = (report.agency.id, entry.name if entry else report.agency.name, entry.province if entry else None,
               entry.city if entry else None, entry.kind if entry else None, report.year)
        for measure, value in report_values(report, wanted):
            for key, item in zip(VALUE_COLUMNS, (*who, measure.id, value.value, value.state), strict=True):
                columns[key].append(item)
    frame = pd.DataFrame(columns, columns=list(VALUE_COLUMNS))
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame["year"] = frame["year"].astype("int64")
    return frame


def _asked(values: pd.DataFrame) -> pd.DataFrame:
    """The rows whose template asks for the measure: a 2019 report is not counted as withholding a 2021 row."""
    return values[values["state"] != NOT_APPLICABLE]


def totals(values: pd.DataFrame, level: str = "country") -> pd.DataFrame:
    """Per year, region of `level` (province, city; "country": all) and measure: reported, given, complete,
    total, median, min and max of the figures given."""
    keys = ["year", "measure"] if level == "country" else ["year", level, "measure"]
    if level == "city":
        keys.insert(1, "province")
    rows = _asked(values)
    if level != "country":
        rows = rows.dropna(subset=[level])
    groups = rows.groupby(keys, sort=True, dropna=False)["value"]
    out = groups.agg(reported="size", given="count", total="sum", median="median", min="min", max="max").reset_index()
    out["total"] = out["total"].where(out["given"] > 0)  # a sum over no figure is unknown, not 0
    out["complete"] = out["given"] == out["reported"]
    return out


def ranking(values: pd.DataFrame, measure: str, year: int, *, within: Mapping[str, str] | None = None,
            descending: bool = True) -> pd.DataFrame:
    """The agencies that give `measure` for `year` (within a region or kind if asked), ranked; ties share a
    rank. Agencies that reported without the figure are not ranked: `unranked` counts them."""
    rows = values[(values["measure"] == measure) & (values["year"] == year)]
    for key, want in (within or {}).items():
        rows = rows[rows[key] == want]
    given = rows.dropna(subset=["value"]).copy()
    given["rank"] = given["value"].rank(method="min", ascending=not descending).astype("int64")
    given = given.sort_values(["rank", "agency_id"], kind="stable")
    given.attrs["unranked"] = int(len(rows[rows["state"] != NOT_APPLICABLE]) - len(given))
    return given[["rank", "agency_id", "agency_name", "province", "city", "kind", "value"]].reset_index(drop=True)


def refusal_grounds(values: pd.DataFrame, level: str = "country") -> pd.DataFrame:
    """Per year: every ground of 不予公开 and reason of 无法提供 and 不予处理, with reported and given."""
    out = totals(values[values["measure"].str.startswith(tuple(REFUSAL_GROUPS.values()))], level)
    out["group"] = out["measure"].map(lambda m: next(g for g, p in REFUSAL_GROUPS.items() if m.startswith(p)))
    out["label"] = out["measure"].map(lambda m: BY_ID[m].label)
    return out


APPEAL_GROUPS = {"review": "行政复议", "litigation": "行政诉讼"}
_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def appeals_outcomes(values: pd.DataFrame) -> pd.DataFrame:
    """Per year, 行政复议 and 行政诉讼 (direct and after review together): each outcome's total with reported
    and given, and 纠正率 = corrected ÷ concluded (upheld + corrected + other), over the agencies whose
    report gives all three, which `rate_given` counts."""
    rows = values[values["measure"].str.startswith("a.")].copy()
    rows["group"] = rows["measure"].str.split(".").str[1].map(lambda g: "review" if g == "review" else "litigation")
    rows["outcome"] = rows["measure"].str.split(".").str[2]
    # An agency's litigation figure adds its two groups: missing when either is.
    keys = ["year", "agency_id", "group", "outcome"]
    missing = rows["value"].isna().groupby([rows[k] for k in keys], sort=True).sum()
    per_agency = rows.groupby(keys, sort=True)["value"].sum().where(missing == 0).unstack("outcome")
    out = []
    for (year, group), frame in per_agency.groupby(level=["year", "group"], sort=True):
        row = {"year": int(year), "group": group, "label": APPEAL_GROUPS[group], "reported": len(frame)}
        for outcome in _OUTCOMES:
            column = frame[outcome] if outcome in frame else pd.Series(dtype="float64")
            row[f"{outcome}_given"] = int(column.notna().sum())
            row[outcome] = column.sum() if column.notna().any() else float("nan")
        both = frame.dropna(subset=["upheld", "corrected", "other"])
        concluded = both[["upheld", "corrected", "other"]].to_numpy().sum()
        row["rate_given"] = len(both)
        row["corrected_rate"] = both["corrected"].sum() / concluded if concluded else float("nan")
        out.append(row)
    order = list(APPEAL_GROUPS)
    return pd.DataFrame(out).sort_values(["year", "group"], key=lambda c: c.map(order.index) if c.name == "group" else c,
                                         kind="stable").reset_index(drop=True)
