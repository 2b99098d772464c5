"""Key figures from the records, and the charts built on them: compact Plotly figure JSON plus CSV.

Figures are plain dicts in Plotly's figure schema (no template: the site script applies the light or
dark one in the browser). Building the dicts directly keeps rendering cheap at 10,000 reports; the
tests check them against plotly's own validator. A sum is None when any of its parts is None: a
figure the report does not give is never counted as 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Report
from . import esc, json_script, num


def _cell(report: Report, table: str, row: str, column: str) -> float | int | None:
    data = getattr(report, table)
    if data is None:
        return None
    row_data = getattr(data, row, None)
    return None if row_data is None else getattr(row_data, column, None)


def _sum(values: Sequence[float | int | None]) -> float | int | None:
    if not values or any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def _requests(*rows: str) -> Callable[[Report], float | int | None]:
    return lambda r: _sum([_cell(r, "requests", row, "total") for row in rows])


def _prefixed(prefix: str) -> Callable[[Report], float | int | None]:
    def get(r: Report) -> float | int | None:
        if r.requests is None:
            return None
        return _sum([getattr(r.requests, k).total for k in type(r.requests).model_fields if k.startswith(prefix)])

    return get


def _other_handling(r: Report) -> float | int | None:
    if r.requests is None:
        return None
    if r.template == "2019":
        return _cell(r, "requests", "other_handling", "total")
    return _requests("other_no_correction", "other_unpaid_fee", "other_other")(r)


def _metric(key: str) -> Callable[[Report], float | int | None]:
    return lambda r: r.metrics[key].value if key in r.metrics else None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    get: Callable[[Report], float | int | None]


KEY_FIGURES: tuple[Figure, ...] = (
    Figure("received", "本年新收申请", _requests("new_received")),
    Figure("carried_over", "上年结转", _requests("carried_over")),
    Figure("granted", "予以公开", _requests("granted")),
    Figure("partly_granted", "部分公开", _requests("partly_granted")),
    Figure("refused", "不予公开", _prefixed("refused_")),
    Figure("unavailable", "无法提供", _prefixed("unavailable_")),
    Figure("not_handled", "不予处理", _prefixed("not_handled_")),
    Figure("other", "其他处理", _other_handling),
    Figure("carried_forward", "结转下年度", _requests("carried_forward")),
    Figure("proactive_items", "主动公开政府信息（条）", _metric("proactive_items")),
    Figure("licensing", "行政许可决定", lambda r: _cell(r, "proactive", "licensing", "decisions")),
    Figure("penalty", "行政处罚决定", lambda r: _cell(r, "proactive", "penalty", "decisions")),
    Figure("review", "行政复议", lambda r: _cell(r, "appeals", "review", "total")),
    Figure(
        "litigation",
        "行政诉讼",
        lambda r: _sum([_cell(r, "appeals", g, "total") for g in ("litigation_direct", "litigation_after_review")]),
    ),
)
FIGURES = {f.key: f for f in KEY_FIGURES}
# One colour per figure, readable on the light and the dark background (granted green … refused red).
COLORS = {
    "received": "#7f8c8d", "granted": "#2e9d5b", "partly_granted": "#9bd37a", "refused": "#e53935",
    "unavailable": "#fb8c00", "not_handled": "#8e6bbf", "other": "#c2a26b", "carried_forward": "#3f88c5",
    "proactive_items": "#3f88c5", "licensing": "#2e9d5b", "penalty": "#e53935", "review": "#fb8c00", "litigation": "#8e6bbf",
}
OUTCOMES = ("granted", "partly_granted", "refused", "unavailable", "not_handled", "other", "carried_forward")


def key_figures(report: Report) -> dict[str, float | int | None]:
    return {f.key: f.get(report) for f in KEY_FIGURES}


@dataclass(frozen=True)
class Chart:
    """One chart: its figure JSON, its data as rows (the text equivalent and the CSV), its CSV name."""

    name: str  # file stem of the CSV, ASCII
    title: str
    figure: dict
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | int | None, ...]], ...]


def _bars(x: list[str], series: Sequence[str], values: dict[str, list], *, stack: bool, unit: str = "件") -> dict:
    data = [
        {
            "type": "bar",
            "name": FIGURES[key].label,
            "x": x,
            "y": values[key],
            "marker": {"color": COLORS[key]},
            "hovertemplate": f"%{{x}} {FIGURES[key].label}：%{{y}} {unit}<extra></extra>",
        }
        for key in series
    ]
    layout = {
        "barmode": "stack" if stack else "group",
        "xaxis": {"type": "category"},
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero"},
        "showlegend": len(series) > 1,
    }
    return {"data": data, "layout": layout}


_AGENCY_CHARTS = (
    ("requests", "收到的申请及办理结果（件）", OUTCOMES, True, "件"),
    ("proactive", "主动公开政府信息（条）", ("proactive_items",), False, "条"),
    ("decisions", "行政许可和行政处罚决定（件）", ("licensing", "penalty"), False, "件"),
    ("appeals", "行政复议和行政诉讼（件）", ("review", "litigation"), False, "件"),
)


def agency_charts(reports: Sequence[Report]) -> list[Chart]:
    """The agency page's charts, one bar per year; a chart whose figures are all missing is left out."""
    years = [r for r in reports if r.year is not None]
    x = [f"{r.year}年" for r in years]
    figs = [key_figures(r) for r in years]
    charts = []
    for name, title, series, stack, unit in _AGENCY_CHARTS:
        values = {k: [f[k] for f in figs] for k in series}
        if all(v is None for k in series for v in values[k]):
            continue
        figure = _bars(x, series, values, stack=stack, unit=unit)
        if name == "requests":
            figure["data"].insert(0, {
                "type": "scatter",
                "mode": "lines+markers",
                "name": FIGURES["received"].label,
                "x": x,
                "y": [f["received"] for f in figs],
                "line": {"color": COLORS["received"]},
                "hovertemplate": "%{x} 本年新收申请：%{y} 件<extra></extra>",
            })
            series = ("received", *series)
        rows = tuple((label, tuple(f[k] for k in series)) for label, f in zip(x, figs, strict=True))
        charts.append(Chart(name, title, figure, ("年份", *(FIGURES[k].label for k in series)), rows))
    return charts


def report_chart(report: Report) -> Chart | None:
    """That year's outcomes: how the requests were handled."""
    figs = key_figures(report)
    if all(figs[k] is None for k in OUTCOMES):
        return None
    labels = [FIGURES[k].label for k in OUTCOMES]
    figure = {
        "data": [{
            "type": "bar",
            "orientation": "h",
            "x": [figs[k] for k in OUTCOMES],
            "y": labels,
            "marker": {"color": [COLORS[k] for k in OUTCOMES]},
            "hovertemplate": "%{y}：%{x} 件<extra></extra>",
        }],
        "layout": {"yaxis": {"autorange": "reversed", "type": "category"}, "xaxis": {"title": {"text": "件"}, "rangemode": "tozero"}},
    }
    rows = tuple((FIGURES[k].label, (figs[k],)) for k in OUTCOMES)
    return Chart("outcomes", f"{report.year}年申请办理结果（件）", figure, ("办理结果", "件数"), rows)


def chart_csv(chart: Chart) -> str:
    """The chart's data as CSV (UTF-8 with BOM, so Excel opens it); an empty cell is a missing figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(chart.header)
    for label, values in chart.rows:
        writer.writerow([label, *("" if v is None else v for v in values)])
    return "\ufeff" + out.getvalue()


def chart_html(chart: Chart) -> str:
    """The chart element, its JSON, its text equivalent (a data table) and the link to its CSV."""
    head = "".join(f"<th>{esc(h)}</th>" for h in chart.header)
    body = "".join(
        f"<tr><th>{esc(label)}</th>{''.join(f'<td>{num(v)}</td>' for v in values)}</tr>" for label, values in chart.rows
    )
    missing = sum(v is None for _, values in chart.rows for v in values)
    note = f"（{missing} 个数字报告未提供，图中留空）" if missing else ""
    return (
        f'<figure class="nb-figure" data-pagefind-ignore>'
        f'<figcaption>{esc(chart.title)}{note} · <a href="{chart.name}.csv" download>下载数据（CSV）</a></figcaption>'
        f'<div class="nb-chart" role="img" aria-label="{esc(chart.title)}（数据见下表）"></div>'
        f"{json_script(chart.figure, 'nb-chart-data')}"
        f"<details><summary>数据表：{esc(chart.title)}</summary>"
        f'<div class="nb-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>'
        f"</figure>"
    )

