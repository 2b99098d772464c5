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
from . import NA, esc, href, json_script, num
from .chartmeta import Feed, chart_meta
from .status import NOT_APPLICABLE, UNREADABLE, failures, figure_html, figure_state_text, summary

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
    """One chart: its figure JSON, its data as rows (the text equivalent and the CSV), its CSV name.

    `shown` is each value as the table shows it (a number or its state: 未提供, 无法识别 with the printed
    text, 不适用); `checks` per row the failed identities of that year (HTML, "" when it passes).
    """

    name: str  # file stem of the CSV, ASCII
    title: str
    figure: dict
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | int | None, ...]], ...]
    # The name of the agency's chart whose CSV holds these data when it is not this one's (no file of its own).
    csv: str | None = None
    shown: tuple[tuple[str, ...], ...] = ()
    checks: tuple[str, ...] = ()
    unit: str = "件"
    agency: str = ""  # the agency's id: the CSV is named after it and the chart
    sources: tuple[str, ...] = ()  # per row: the report's source (its address, else its file)
    keys: tuple[str, ...] = ()  # the measures (analysis.FIGURES keys), in the header's order
    agency_name: str = ""
    feeds: tuple[Feed, ...] = ()  # the reports the chart is drawn from

    @property
    def file(self) -> str:
        """The CSV's path in the downloads (the data package): downloads/<file>."""
        return chart_file(self.agency, self.csv or self.name)


def _bars(x: list[str], series: Sequence[str], values: dict[str, list], *, stack: bool, unit: str = "件") -> dict:
    data = [
        {
            "type": "bar",
            "name": _label(key),
            "x": x,
            "y": values[key],
            "marker": {"color": COLORS[key]},
            "hovertemplate": f"%{{x}} {_label(key)}：%{{y}} {unit}<extra></extra>",
            **({} if stack else {"offsetgroup": key}),
        }
        for key in series
    ]
    layout = {
        "barmode": "stack" if stack else "group",
        "xaxis": {"type": "category"},
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero"},
        "showlegend": len(series) > 1,
    }
    if not stack:
        layout["scattermode"] = "group"  # a series' baseline marks sit under its own bars
    return {"data": data, "layout": layout}


# A zero is a short thick line on the baseline (a bar of height 0 draws nothing); a figure that is not a
# number is a thin cross there, its state (未提供, 无法识别 and the printed text, 不适用) in the hover.
_ZERO, _GAP = ("line-ew", 18, 3), ("x-thin", 9, 1.5)
_GREY = "#8a8a8a"


def _marks(x: list[str], key: str, values: list, states: list[str], unit: str, group: str | None) -> dict | None:
    """The baseline marks of one series: where its figure is 0 or not a number; None when there is none."""
    points = [(xi, "0 " + unit if v == 0 else st) for xi, v, st in zip(x, values, states, strict=True) if v is None or v == 0]
    if not points:
        return None
    zero = [text.startswith("0 ") for _, text in points]
    trace = {
        "type": "scatter", "mode": "markers", "name": f"{_label(key)}（0 或未给出）", "meta": "marks", "showlegend": False,
        "x": [p[0] for p in points], "y": [0] * len(points), "customdata": [p[1] for p in points],
        "marker": {
            "symbol": [(_ZERO if z else _GAP)[0] for z in zero], "size": [(_ZERO if z else _GAP)[1] for z in zero],
            "color": COLORS[key],
            "line": {"width": [(_ZERO if z else _GAP)[2] for z in zero], "color": [COLORS[key] if z else _GREY for z in zero]},
        },
        "hovertemplate": f"%{{x}} {_label(key)}：%{{customdata}}<extra></extra>",
        "cliponaxis": False,
    }
    if group:
        trace["offsetgroup"] = group
    return trace


def _stack_marks(x: list[str], series: Sequence[str], values: dict[str, list], states: dict[str, list[str]],
                 unit: str) -> dict | None:
    """A stacked chart's marks, where its column draws nothing: every part 0 or not a number (the hover,
    unified over the column, names a zero part of a drawn column)."""
    points = []
    for i, xi in enumerate(x):
        if any(values[k][i] for k in series):
            continue
        parts = [f"{_label(k)} {'0 ' + unit if values[k][i] == 0 else states[k][i]}" for k in series]
        points.append((xi, "；".join(parts), any(values[k][i] == 0 for k in series)))
    if not points:
        return None
    return {
        "type": "scatter", "mode": "markers", "name": "0 或未给出的数字", "meta": "marks", "showlegend": False,
        "x": [p[0] for p in points], "y": [0] * len(points), "customdata": [p[1] for p in points],
        "marker": {"symbol": [(_ZERO if z else _GAP)[0] for *_, z in points],
                   "size": [(_ZERO if z else _GAP)[1] for *_, z in points], "color": "#555",
                   "line": {"width": [(_ZERO if z else _GAP)[2] for *_, z in points], "color": "#555"}},
        "hovertemplate": "%{customdata}<extra></extra>",
        "cliponaxis": False,
    }


_AGENCY_CHARTS = (
    ("requests", "收到的申请及办理结果（件）", OUTCOMES, True, "件", "requests"),
    ("proactive", "主动公开政府信息（条）", ("proactive_items",), False, "条", None),
    ("decisions", "行政许可和行政处罚决定（件）", ("licensing", "penalties"), False, "件", "proactive"),
    ("appeals", "行政复议和行政诉讼（件）", ("reconsiderations", "lawsuits"), False, "件", "appeals"),
)


def _failed(report: Report, table: str | None) -> list:
    """The failed identities (and prose against table) of one of the report's tables."""
    return [p for p in failures(report.problems) if table and p.table == table and (p.left is not None or p.right is not None)]


def _fail_marks(x: list[str], tops: list[float], fails: list[list], years: list[int]) -> list[dict]:
    """Above each failing year: a link to the report's problems, the identity's two sides on hover."""
    return [
        {"x": xi, "y": top, "yanchor": "bottom", "showarrow": False, "yshift": 2,
         "text": f'<a href="{year}/#problems" style="color:#c62828">⚠ 核对未通过</a>',
         "hovertext": "<br>".join(p.message for p in found), "captureevents": True}
        for xi, top, found, year in zip(x, tops, fails, years, strict=True) if found
    ]


def _check_cell(found: list, year: int) -> str:
    if not found:
        return ""
    return (f'<a class="nb-warn" href="{year}/#problems">⚠ 核对未通过</a>：'
            + "；".join(esc(p.message) for p in found))


def _feeds(reports: Sequence[Report]) -> tuple[Feed, ...]:
    from .pages import report_path  # pages imports this module

    return tuple(Feed(r.year, report_path(r), r.source.url or r.source.path or "", summary(r.problems)) for r in reports)


def agency_charts(reports: Sequence[Report]) -> list[Chart]:
    """The agency page's charts, one bar per year; a chart whose figures are all missing is left out."""
    years = [r for r in reports if r.year is not None]
    x = [f"{r.year}年" for r in years]
    figs = [key_figures(r) for r in years]
    charts = []
    for name, title, series, stack, unit, table in _AGENCY_CHARTS:
        values = {k: [f[k] for f in figs] for k in series}
        if all(v is None for k in series for v in values[k]):
            continue
        figure = _bars(x, series, values, stack=stack, unit=unit)
        keys = ("requests_received", *series) if name == "requests" else series
        states = {k: [figure_state_text(r, k) for r in years] for k in keys}
        if stack:
            marks = [_stack_marks(x, series, values, states, unit)]
            figure["layout"]["hovermode"] = "x unified"
        else:
            marks = [_marks(x, k, values[k], states[k], unit, k) for k in series]
        figure["data"].extend(m for m in marks if m)
        tops = [sum(values[k][i] or 0 for k in series) if stack else max((values[k][i] or 0) for k in series) for i in range(len(x))]
        if name == "requests":
            received = [f["requests_received"] for f in figs]
            figure["data"].insert(0, {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _label("requests_received"),
                "x": x,
                "y": received,
                "line": {"color": COLORS["requests_received"]},
                "hovertemplate": f"%{{x}} {_label('requests_received')}：%{{y}} 件<extra></extra>",
            })
            tops = [max(t, v or 0) for t, v in zip(tops, received, strict=True)]
        fails = [_failed(r, table) for r in years]
        if any(fails):
            figure["layout"]["annotations"] = _fail_marks(x, tops, fails, [r.year for r in years])
        rows = tuple((label, tuple(f[k] for k in keys)) for label, f in zip(x, figs, strict=True))
        shown = tuple(tuple(figure_html(r, k, f[k]) for k in keys) for r, f in zip(years, figs, strict=True))
        checks = tuple(_check_cell(found, r.year) for found, r in zip(fails, years, strict=True))
        charts.append(Chart(name, title, figure, ("年份", *(_label(k) for k in keys)), rows,
                            shown=shown, checks=checks if any(checks) else (), unit=unit, agency=years[0].agency.id,
                            sources=tuple(r.source.url or r.source.path or "" for r in years), keys=keys,
                            agency_name=years[0].agency.name, feeds=_feeds(years)))
    return charts


def report_chart(report: Report) -> Chart | None:
    """That year's outcomes: how the requests were handled."""
    figs = key_figures(report)
    if all(figs[k] is None for k in OUTCOMES):
        return None
    labels = [_label(k) for k in OUTCOMES]
    values = [figs[k] for k in OUTCOMES]
    figure = {
        "data": [{
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": labels,
            "marker": {"color": [COLORS[k] for k in OUTCOMES]},
            "hovertemplate": "%{y}：%{x} 件<extra></extra>",
        }],
        "layout": {"yaxis": {"autorange": "reversed", "type": "category"}, "xaxis": {"title": {"text": "件"}, "rangemode": "tozero"}},
    }
    points = [(label, v, figure_state_text(report, k)) for label, v, k in zip(labels, values, OUTCOMES, strict=True) if not v]
    if points:  # a zero or a missing figure draws no bar: a mark on the baseline says which it is
        zero = [v == 0 for _, v, _ in points]
        figure["data"].append({
            "type": "scatter", "mode": "markers", "name": "0 或未给出的数字", "meta": "marks", "showlegend": False,
            "x": [0] * len(points), "y": [p[0] for p in points], "customdata": ["0 件" if z else p[2] for p, z in zip(points, zero, strict=True)],
            "marker": {"symbol": ["line-ns" if z else _GAP[0] for z in zero], "size": [_ZERO[1] if z else _GAP[1] for z in zero],
                       "color": "#555", "line": {"width": [_ZERO[2] if z else _GAP[2] for z in zero], "color": "#555"}},
            "hovertemplate": "%{y}：%{customdata}<extra></extra>", "cliponaxis": False,
        })
    rows = tuple((_label(k), (figs[k],)) for k in OUTCOMES)
    shown = tuple((figure_html(report, k, figs[k]),) for k in OUTCOMES)
    # Its data are a row of the agency page's requests chart, whose CSV (every year) it links to: one file
    # per agency instead of one more per report (tens of thousands at scale).
    return Chart("outcomes", f"{report.year}年申请办理结果（件）", figure, ("办理结果", "件数"), rows,
                 csv="requests", shown=shown, agency=report.agency.id, keys=OUTCOMES, agency_name=report.agency.name,
                 feeds=_feeds([report]))


CHARTS_DIR = "charts"  # under downloads/: each agency's chart data, resources of the data package
EXTRA_COLUMNS = ("机构代码", "单位", "来源", "数据版本")  # beside the chart's own: who, in what, from where, which data


def chart_file(agency_id: str, chart: str) -> str:
    """A chart's CSV, named after the agency and the chart so a downloaded file says what it holds."""
    return f"{CHARTS_DIR}/{agency_id}-{chart}.csv"


def _text_cell(value: str) -> str:
    """Text that a spreadsheet would run as a formula is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def chart_csv(chart: Chart, version: str = "") -> str:
    """The chart's data as CSV (UTF-8 with BOM, so Excel opens it): the chart's columns, then the agency's
    id, the unit, each year's source and the data version. An empty cell is a missing figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*chart.header, *EXTRA_COLUMNS))
    sources = chart.sources or ("",) * len(chart.rows)
    for (label, values), source in zip(chart.rows, sources, strict=True):
        writer.writerow([label, *("" if v is None else v for v in values), chart.agency, chart.unit,
                         _text_cell(source), version])
    return "\ufeff" + out.getvalue()


def _csv_link(chart: Chart, here: str) -> str:
    link = href(here, f"downloads/{chart.file}")
    return f'<a href="{link}" download>下载数据（CSV{"，各年度" if chart.csv else ""}）</a>'


def _states_note(chart: Chart) -> str:
    """How many figures the chart leaves out, by why: only the ones the report does not give are 未提供."""
    shown = [cell for row in chart.shown for cell in row]
    counts = [(sum(f">{state}<" in cell for cell in shown), text) for state, text in
              ((NA, "报告未提供"), (UNREADABLE, "无法识别"), (NOT_APPLICABLE, "不适用"))]
    parts = [f"{n} 个数字{text}" for n, text in counts if n]
    return f"（{'、'.join(parts)}，图中留空）" if parts else ""


def chart_html(chart: Chart, here: str, version: str = "", site_url: str = "") -> str:
    """The chart element, its JSON and metadata (the grapher tabs'), its text equivalent (a data table)
    and the link to its CSV."""
    anchor = f"fig-{chart.name}"
    meta = chart_meta(title=chart.title, unit=chart.unit, keys=chart.keys, feeds=chart.feeds,
                      agency=chart.agency_name, csv=f"{chart.agency}-{chart.name}.csv", here=here, anchor=anchor,
                      version=version, site_url=site_url, link=href)
    checks = bool(chart.checks)
    head = "".join(f"<th>{esc(h)}</th>" for h in chart.header) + ("<th>核对</th>" if checks else "")
    shown = chart.shown or tuple(tuple(num(v) for v in values) for _, values in chart.rows)
    body = "".join(
        f"<tr><th>{esc(label)}</th>{''.join(f'<td>{cell}</td>' for cell in cells)}"
        + (f'<td class="nb-left">{chart.checks[i]}</td>' if checks else "") + "</tr>"
        for i, ((label, _), cells) in enumerate(zip(chart.rows, shown, strict=True))
    )
    return (
        f'<figure class="nb-figure" id="{anchor}" data-pagefind-ignore>'
        f'<figcaption>{esc(chart.title)}{_states_note(chart)} · {_csv_link(chart, here)}</figcaption>'
        f'<div class="nb-chart" role="img" aria-label="{esc(chart.title)}（数据见下表）"></div>'
        # In a <template>: Material's instant navigation re-creates every inline <script> of the page
        # without its type, which would run the JSON as JavaScript; a template's content is never touched.
        f"<template class=\"nb-chart-spec\">{json_script(chart.figure, 'nb-chart-data')}{json_script(meta, 'nb-chart-meta')}"
        "</template>"
        # Open, so the table is what a reader without JavaScript sees; site.js folds it once the chart is drawn.
        f'<details class="nb-chart-table" open><summary>数据表：{esc(chart.title)}</summary>'
        f'<div class="nb-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>'
        f"</figure>"
    )
