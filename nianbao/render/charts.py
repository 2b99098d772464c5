"""Charts of the key figures (nianbao.analysis): compact Plotly figure JSON, their data table and CSV.

Figures are plain dicts in Plotly's figure schema (no template: the site script applies the light or
dark one in the browser). Building the dicts directly keeps rendering cheap at 10,000 reports; the
tests check them against plotly's own validator. A figure the report does not give is None: a gap in
the chart and 未提供 in its table, never 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis import BY_KEY, key_figures
from ..model import Report
from . import esc, json_script, num

# One colour per figure, readable on the light and the dark background (granted green … refused red).
COLORS = {
    "requests_received": "#7f8c8d", "granted": "#2e9d5b", "partly_granted": "#9bd37a", "refused": "#e53935",
    "unavailable": "#fb8c00", "not_handled": "#8e6bbf", "other_handling": "#c2a26b", "carried_forward": "#3f88c5",
    "proactive_items": "#3f88c5", "licensing": "#2e9d5b", "penalties": "#e53935", "reconsiderations": "#fb8c00",
    "lawsuits": "#8e6bbf",
}
OUTCOMES = ("granted", "partly_granted", "refused", "unavailable", "not_handled", "other_handling", "carried_forward")


def _label(key: str) -> str:
    return BY_KEY[key].label


@dataclass(frozen=True)
class Chart:
    """One chart: its figure JSON, its data as rows (the text equivalent and the CSV), its CSV name."""

    name: str  # file stem of the CSV, ASCII
    title: str
    figure: dict
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | int | None, ...]], ...]
    # The CSV's address when it is another chart's (relative to the page; no file of its own), else None.
    csv: str | None = None


def _bars(x: list[str], series: Sequence[str], values: dict[str, list], *, stack: bool, unit: str = "件") -> dict:
    data = [
        {
            "type": "bar",
            "name": _label(key),
            "x": x,
            "y": values[key],
            "marker": {"color": COLORS[key]},
            "hovertemplate": f"%{{x}} {_label(key)}：%{{y}} {unit}<extra></extra>",
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
    ("decisions", "行政许可和行政处罚决定（件）", ("licensing", "penalties"), False, "件"),
    ("appeals", "行政复议和行政诉讼（件）", ("reconsiderations", "lawsuits"), False, "件"),
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
                "name": _label("requests_received"),
                "x": x,
                "y": [f["requests_received"] for f in figs],
                "line": {"color": COLORS["requests_received"]},
                "hovertemplate": f"%{{x}} {_label('requests_received')}：%{{y}} 件<extra></extra>",
            })
            series = ("requests_received", *series)
        rows = tuple((label, tuple(f[k] for k in series)) for label, f in zip(x, figs, strict=True))
        charts.append(Chart(name, title, figure, ("年份", *(_label(k) for k in series)), rows))
    return charts


def report_chart(report: Report) -> Chart | None:
    """That year's outcomes: how the requests were handled."""
    figs = key_figures(report)
    if all(figs[k] is None for k in OUTCOMES):
        return None
    labels = [_label(k) for k in OUTCOMES]
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
    rows = tuple((_label(k), (figs[k],)) for k in OUTCOMES)
    # Its data are a row of the agency page's requests chart, whose CSV (every year) it links to: one file
    # per agency instead of one more per report (tens of thousands at scale).
    return Chart("outcomes", f"{report.year}年申请办理结果（件）", figure, ("办理结果", "件数"), rows, csv="../requests.csv")


def chart_csv(chart: Chart) -> str:
    """The chart's data as CSV (UTF-8 with BOM, so Excel opens it); an empty cell is a missing figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(chart.header)
    for label, values in chart.rows:
        writer.writerow([label, *("" if v is None else v for v in values)])
    return "\ufeff" + out.getvalue()


def _csv_link(chart: Chart) -> str:
    if chart.csv is None:
        return f'<a href="{chart.name}.csv" download>下载数据（CSV）</a>'
    return f'<a href="{esc(chart.csv)}" download>下载数据（CSV，各年度）</a>'


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
        f'<figcaption>{esc(chart.title)}{note} · {_csv_link(chart)}</figcaption>'
        f'<div class="nb-chart" role="img" aria-label="{esc(chart.title)}（数据见下表）"></div>'
        # In a <template>: Material's instant navigation re-creates every inline <script> of the page
        # without its type, which would run the JSON as JavaScript; a template's content is never touched.
        f"<template class=\"nb-chart-spec\">{json_script(chart.figure, 'nb-chart-data')}</template>"
        f"<details><summary>数据表：{esc(chart.title)}</summary>"
        f'<div class="nb-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>'
        f"</figure>"
    )

