"""The agency charts' data as files of the downloads' data package: downloads/charts/<agency>-<chart>.csv.

Each holds the chart's table (a row per year) with the agency's id, the unit, each year's source and the
data version, and is a resource of datapackage.json, so it validates like the other downloads.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Report
from .charts import EXTRA_COLUMNS, Chart, agency_charts, chart_csv


def all_agency_charts(reports: Iterable[Report]) -> list[Chart]:
    """Every agency's charts, agencies in id order (the reports are in record order)."""
    by_agency: dict[str, list[Report]] = {}
    for report in reports:
        if report.year is not None:
            by_agency.setdefault(report.agency.id, []).append(report)
    return [chart for agency_id in sorted(by_agency) for chart in agency_charts(by_agency[agency_id])]


def chart_files(charts: Iterable[Chart], version: str) -> dict[str, bytes]:
    """Path under downloads/ → the CSV's bytes."""
    return {chart.file: chart_csv(chart, version).encode("utf-8") for chart in charts}


def _fields(chart: Chart) -> list[dict]:
    figures = [{"name": h, "type": "number" if chart.unit not in ("件", "条") else "integer", "title": h}
               for h in chart.header[1:]]
    described = {"机构代码": "agency id", "单位": "unit of the figures", "来源": "the report's source (address or file)",
                 "数据版本": "data version"}
    return ([{"name": chart.header[0], "type": "string", "title": chart.header[0]}] + figures
            + [{"name": c, "type": "string", "title": c, "description": f"{c} / {described[c]}"} for c in EXTRA_COLUMNS])


def chart_resources(charts: Iterable[Chart]) -> list[dict]:
    """The data package's resources for the chart CSVs (an empty cell is a figure the report does not give)."""
    return [{
        "name": f"chart-{chart.agency}-{chart.name}", "path": chart.file, "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "title": chart.title, "description": f"{chart.title}：{chart.agency} 的图表数据 / chart data of {chart.agency}",
        "schema": {"fields": _fields(chart), "missingValues": [""]},
    } for chart in charts]
