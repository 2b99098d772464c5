"""Key figures per agency and year, year over year, a Chinese summary, and regional totals and medians.

A figure built from a missing cell is missing (None/NA), never a smaller number; a rate is computed
only where its denominator is known and non-zero; a change only against a known figure of the year
immediately before.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .checks import CHECK_CODES
from .checks import sum_known as _sum
from .model import Report, record_order
from .registry import AgencyEntry
from .tidy import agency_fields


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # the column header on the page and in the downloads
    english: str
    unit: str = "件"
    rate: bool = False
    phrase: str = ""  # how the summary names it (依申请公开申请 74 件)


FIGURES: tuple[Figure, ...] = (
    Figure("requests_received", "新收申请", "New requests received (表三 一、本年新收, 总计)", phrase="依申请公开申请"),
    Figure("granted", "予以公开", "Requests granted in full", phrase="予以公开的申请"),
    Figure("partly_granted", "部分公开", "Requests granted in part", phrase="部分公开的申请"),
    Figure("refused", "不予公开", "Requests refused (sum of the eight grounds)", phrase="不予公开的申请"),
    Figure("unavailable", "无法提供", "Information unavailable (sum of three grounds)", phrase="无法提供的申请"),
    Figure("not_handled", "不予处理", "Requests not handled (sum of five grounds)", phrase="不予处理的申请"),
    Figure("other_handling", "其他处理", "Other handling", phrase="其他处理的申请"),
    Figure("total_handled", "办理总计", "Requests handled in total ((七) 总计)", phrase="办结的申请"),
    Figure("carried_forward", "结转下年", "Requests carried forward to next year", phrase="结转下年度的申请"),
    Figure("grant_rate", "公开率", "Share granted in full: granted / total handled", unit="", rate=True),
    Figure("proactive_items", "主动公开（条）", "Items proactively disclosed, as stated in the prose", "条",
           phrase="主动公开政府信息"),
    Figure("licensing", "行政许可决定", "Administrative licensing decisions (表二)", phrase="行政许可决定"),
    Figure("penalties", "行政处罚决定", "Administrative penalty decisions (表二)", phrase="行政处罚决定"),
    Figure("reconsiderations", "行政复议", "Administrative reconsiderations (表四 总计)", phrase="行政复议"),
    Figure("lawsuits", "行政诉讼", "Lawsuits, direct and after reconsideration", phrase="行政诉讼"),
    Figure("lawsuits_lost", "诉讼被纠正", "Lawsuits whose result corrected the agency", phrase="被纠正的行政诉讼"),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)
BY_KEY = {f.key: f for f in FIGURES}
COUNT_KEYS = tuple(f.key for f in FIGURES if not f.rate)
ID_COLUMNS = ("agency_id", "agency_name", "province", "city", "county", "kind", "year", "template")




def _totals(report: Report, prefix: str) -> int | None:
    rows = [k for k in type(report.requests).model_fields if k.startswith(prefix)]
    return _sum(getattr(report.requests, k).total for k in rows) if rows else None


def _cell(obj: object | None, *path: str) -> int | float | None:
    for key in path:
        if obj is None:
            return None
        obj = getattr(obj, key, None)
    return obj  # type: ignore[return-value]


def rate(part: int | float | None, whole: int | float | None) -> float | None:
    """part / whole, only where both are known and the denominator is non-zero."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


_FIGURES: dict[int, tuple[weakref.ref, dict[str, int | float | None]]] = {}


def key_figures(report: Report) -> dict[str, int | float | None]:
    """The figures of one report, in FIGURES order; None where the report does not give them.

    A page build asks for them about seven times per report (charts, year over year, regions, compare,
    downloads): they are kept while the report object lives (records are not changed once loaded and
    checked; a changed record is a new object). A copy is returned, so a caller may change it."""
    key = id(report)
    kept = _FIGURES.get(key)
    if kept is None or kept[0]() is not report:
        kept = (weakref.ref(report, lambda _, key=key: _FIGURES.pop(key, None)), _key_figures(report))
        _FIGURES[key] = kept
    return dict(kept[1])


def _key_figures(report: Report) -> dict[str, int | float | None]:
    req, app = report.requests, report.appeals
    out: dict[str, int | float | None] = dict.fromkeys(FIGURE_KEYS)
    if req is not None:
        out.update(
            requests_received=req.new_received.total, granted=req.granted.total, partly_granted=req.partly_granted.total,
            refused=_totals(report, "refused_"), unavailable=_totals(report, "unavailable_"),
            not_handled=_totals(report, "not_handled_"),
            other_handling=_totals(report, "other_"), total_handled=req.total_handled.total,
            carried_forward=req.carried_forward.total,
        )
        out["grant_rate"] = rate(out["granted"], out["total_handled"])
    metric = report.metrics.get("proactive_items")
    out["proactive_items"] = metric.value if metric else None
    out["licensing"] = _cell(report.proactive, "licensing", "decisions")
    out["penalties"] = _cell(report.proactive, "penalty", "decisions")
    if app is not None:
        out["reconsiderations"] = app.review.total
        out["lawsuits"] = _sum((app.litigation_direct.total, app.litigation_after_review.total))
        out["lawsuits_lost"] = _sum((app.litigation_direct.corrected, app.litigation_after_review.corrected))
    return out


def key_figure_table(reports: Iterable[Report], agencies: Mapping[str, AgencyEntry] | None = None) -> pd.DataFrame:
    """One row per agency and year: who, the number of problems and failed checks, the key figures."""
    rows = []
    for r in sorted(reports, key=record_order):
        fails = sum(1 for p in r.problems if p.code in CHECK_CODES)
        rows.append({**agency_fields(r, agencies or {}), "problems": len(r.problems), "failed_checks": fails,
                     **key_figures(r)})
    columns = [*ID_COLUMNS, "problems", "failed_checks", *FIGURE_KEYS]
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int64")
    for key in ("problems", "failed_checks", *FIGURE_KEYS):
        frame[key] = _numbers([r[key] for r in rows])
    return frame


def _numbers(values: list) -> pd.api.extensions.ExtensionArray:
    """Nullable integers when every known value is an int, else nullable floats: None stays NA."""
    if all(v is None or isinstance(v, int) for v in values):
        return pd.array(values, dtype="Int64")
    return pd.array([None if v is None else float(v) for v in values], dtype="Float64")


# Year over year -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    figure: str
    year: int
    value: int | float | None
    previous: int | float | None  # the figure for year-1, None when that report or figure is missing
    change: int | float | None
    pct_change: float | None  # change / previous, only where previous is known and non-zero


def year_over_year(reports: Sequence[Report]) -> list[Change]:
    """For one agency: every key figure per year, with its change against the year immediately before."""
    by_year = {r.year: key_figures(r) for r in reports if r.year is not None}
    out = []
    for fig in FIGURES:
        for year in sorted(by_year):
            value = by_year[year][fig.key]
            before = by_year.get(year - 1, {}).get(fig.key)
            change = value - before if value is not None and before is not None else None
            pct = None if fig.rate else rate(change, before)
            out.append(Change(fig.key, year, value, before, change, pct))
    return out


def summary_zh(reports: Sequence[Report], limit: int = 3) -> str:
    """The biggest changes of the latest year in words: 依申请公开申请 74 件，比上年增加 54 件。"""
    years = sorted(r.year for r in reports if r.year is not None)
    if not years or years[-1] - 1 not in years:
        return ""
    latest = [c for c in year_over_year(reports) if c.year == years[-1] and c.change is not None]
    counts = [c for c in latest if not BY_KEY[c.figure].rate and BY_KEY[c.figure].phrase]
    # Requests received lead; the rest by relative change, small bases damped so 1 → 4 does not outrank 20 → 74.
    ranked = sorted(counts, key=lambda c: (c.figure != "requests_received", -abs(c.change) / max(abs(c.previous), 10),
                                           FIGURE_KEYS.index(c.figure)))
    parts = []
    for c in ranked[:limit]:
        fig = BY_KEY[c.figure]
        if c.change == 0:
            trend = "与上年持平"
        else:
            trend = f"比上年{'增加' if c.change > 0 else '减少'} {_n(abs(c.change))} {fig.unit}"
            if c.pct_change is not None:
                trend += f"（{c.pct_change:+.0%}）"
        parts.append(f"{fig.phrase} {_n(c.value)} {fig.unit}，{trend}")
    return f"{years[-1]} 年" + "；".join(parts) + "。" if parts else ""


def _n(value: int | float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


# Regions ------------------------------------------------------------------------------------------------


def region_summary(figures: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per province or city: agencies, and for each count figure the total and median of the known values.

    A total adds only the figures the reports give; `<figure>_reported` says how many agencies gave one.
    """
    known = figures.dropna(subset=[level])
    if known.empty:
        return pd.DataFrame()
    groups = known.groupby(level, sort=True)
    stats = groups[list(COUNT_KEYS)].agg(["count", "sum", "median"])
    out = pd.DataFrame({level: stats.index, "agencies": groups["agency_id"].nunique().to_numpy()})
    if level == "city":
        out["province"] = groups["province"].first().to_numpy()  # the first known province of the city
    for key in COUNT_KEYS:
        count = stats[(key, "count")].to_numpy()
        out[f"{key}_reported"] = count
        # A sum over no known figure is unknown, not 0.
        out[f"{key}_total"] = pd.array(stats[(key, "sum")].where(count > 0).to_numpy(), dtype="Float64")
        out[f"{key}_median"] = pd.array(stats[(key, "median")].to_numpy(), dtype="Float64")
    return out
