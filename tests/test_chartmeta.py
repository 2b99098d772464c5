"""The grapher tabs' metadata of a chart (render/chartmeta.py): definitions in the template's words, the
reports that feed the chart with their problems, the version, the licence and the permalink."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nianbao import template as T
from nianbao.analysis import FIGURE_KEYS, key_figures
from nianbao.dataset import load_dataset
from nianbao.render.chartmeta import DEFINITIONS, DERIVED, measure
from nianbao.render.charts import agency_charts, chart_html, report_chart
from nianbao.render.status import summary

FIXTURES = Path(__file__).parent / "fixtures" / "records"


@pytest.fixture(scope="module")
def reports():
    dataset = load_dataset(FIXTURES, FIXTURES / "agencies.yaml")
    return [r for r in dataset.reports if r.agency.id == "fujian-pingtan" and r.year is not None]


def _meta(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" class="nb-chart-meta">(.*?)</script>', html).group(1))


def test_every_key_figure_is_defined_in_the_templates_words():
    assert set(DEFINITIONS) == set(FIGURE_KEYS)
    refused = [r.label for r in T.REQUEST_ROWS["2021"] if r.group == "（三）不予公开"]
    assert len(refused) == 8 and all(label in DEFINITIONS["refused"] for label in refused)
    assert T.TABLE_LABELS["requests"] in DEFINITIONS["granted"] and "（一）予以公开" in DEFINITIONS["granted"]
    assert "第二十条第（五）项" in DEFINITIONS["licensing"] and "处理决定数量" in DEFINITIONS["licensing"]
    assert "（七）总计" in DERIVED["grant_rate"] and measure("grant_rate")["derived"] == DERIVED["grant_rate"]
    assert "derived" not in measure("granted")


def test_an_agency_charts_meta_names_its_reports_problems_version_and_permalink(reports):
    requests = agency_charts(reports)[0]
    here = "agencies/fujian-pingtan/"
    meta = _meta(chart_html(requests, here, "abc123", ""))
    assert [m["key"] for m in meta["measures"]] == ["requests_received", *requests.keys[1:]]
    assert [m["label"] for m in meta["measures"]] == list(requests.header[1:])
    assert [s["year"] for s in meta["sources"]] == [r.year for r in reports]
    assert [s["problems"] for s in meta["sources"]] == [summary(r.problems) for r in reports]
    assert [s["page"] for s in meta["sources"]] == [f"{r.year}/" for r in reports]
    assert all(s["problems_page"] == f"{s['page']}#problems" for s in meta["sources"] if s["problems"])
    assert meta["version"] == "abc123" and meta["licence"] == "CC BY 4.0"
    assert meta["csv"] == "fujian-pingtan-requests.csv" and meta["anchor"] == "fig-requests"
    assert meta["permalink"] == ""  # no site address: the browser names the address the reader is on
    assert 'id="fig-requests"' in chart_html(requests, here)
    site = "https://nianbao.test/site/"
    assert _meta(chart_html(requests, here, "abc123", site))["permalink"] == f"{site}{here}#fig-requests"


def test_a_report_charts_meta_has_its_one_report(reports):
    report = reports[1]
    chart = report_chart(report)
    meta = _meta(chart_html(chart, f"agencies/fujian-pingtan/{report.year}/", "v1"))
    assert [s["page"] for s in meta["sources"]] == ["./"] and meta["sources"][0]["year"] == report.year
    assert len(meta["measures"]) == len(chart.rows) and key_figures(report)["granted"] == chart.rows[0][1][0]
