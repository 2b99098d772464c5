"""A reader's path through the sample site, and the charts drawn along it (light, instant navigation, dark)."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser

# For every .nb-chart: its figure JSON and what Plotly drew in its SVG.
CHARTS_JS = """() => Array.from(document.querySelectorAll('.nb-chart')).map(el => {
  const spec = el.nextElementSibling;  // <template class="nb-chart-spec"><script class="nb-chart-data">
  const data = spec && spec.content ? spec.content.querySelector('.nb-chart-data') : null;
  const tick = el.querySelector('.xtick text');
  return {
    label: el.getAttribute('aria-label'),
    figure: data ? data.textContent : null,
    traces: el.querySelectorAll('.main-svg g.trace').length,
    bars: Array.from(el.querySelectorAll('.main-svg g.trace.bars')).map(t =>
      Array.from(t.querySelectorAll('g.point path')).map(p => p.getAttribute('d'))),
    lines: Array.from(el.querySelectorAll('.main-svg g.trace.scatter')).map(t =>
      t.querySelectorAll('.points path.point').length),
    ink: tick ? getComputedStyle(tick).fill : null,
  };
})"""
CHARTS_DRAWN_JS = """() => {
  const els = Array.from(document.querySelectorAll('.nb-chart'));
  return els.length > 0 && els.every(el => el.querySelector('.main-svg g.trace'));
}"""
_BAR = re.compile(r"M[-\d.]+,([-\d.]+)V([-\d.]+)H")


def _agency(dataset, word: str):
    """The sample agency whose name holds `word`, and its years."""
    found = [a for a in dataset.agencies.values() if word in a.name]
    assert len(found) == 1, f"expected one sample agency named …{word}…, got {found}"
    agency = found[0]
    years = sorted(r.year for r in dataset.reports if r.agency.id == agency.id and r.year is not None)
    return agency, years


def _most_reports(dataset):
    counts: dict[str, int] = {}
    for report in dataset.reports:
        counts[report.agency.id] = counts.get(report.agency.id, 0) + 1
    agency_id = max(sorted(counts), key=counts.get)
    return dataset.agencies[agency_id], sorted(r.year for r in dataset.reports if r.agency.id == agency_id)


def assert_charts_drawn(page, years: list[int]) -> list[dict]:
    """Every chart drawn: one SVG trace per series, one bar per year in every bar series, a bar of
    non-zero height exactly where the figure is positive, one marker per year on every line."""
    page.wait_for_function(CHARTS_DRAWN_JS)
    charts = page.evaluate(CHARTS_JS)
    assert charts, "no chart on the page"
    labels = [f"{y}年" for y in years]
    for chart in charts:
        name = chart["label"]
        assert chart["figure"], f"{name}: no figure JSON beside the chart"
        series = json.loads(chart["figure"])["data"]
        assert chart["traces"] == len(series), f"{name}: {chart['traces']} traces drawn for {len(series)} series"
        bars = [s for s in series if s["type"] == "bar"]
        lines = [s for s in series if s["type"] == "scatter"]
        assert len(chart["bars"]) == len(bars) and len(chart["lines"]) == len(lines), name
        for s, paths in zip(bars, chart["bars"], strict=True):
            assert s["x"] == labels, f"{name} / {s['name']}: x is {s['x']}, the agency's years are {labels}"
            assert len(paths) == len(years), f"{name} / {s['name']}: {len(paths)} bars for {len(years)} years"
            heights = [abs(float(a) - float(b)) for a, b in (_BAR.match(d).groups() for d in paths)]
            drawn = [h > 0 for h in heights]
            assert drawn == [bool(v) for v in s["y"]], f"{name} / {s['name']}: bars {heights} for {s['y']}"
        for s, markers in zip(lines, chart["lines"], strict=True):
            assert markers == sum(v is not None for v in s["y"]), f"{name} / {s['name']}: {markers} markers"
    return charts


def expect_heading(page, text: str) -> None:
    page.wait_for_function("t => (document.querySelector('article h1') || {}).textContent?.includes(t)", arg=text)


def test_home_to_region_to_agency_to_report(page, watch, base_url, dataset):
    """A reader clicks from the home page through province, city and county to an agency and its report,
    all by Material's instant navigation (the page is never reloaded)."""
    agency, years = _agency(dataset, "平湖")
    page.goto(base_url)
    assert page.title(), "the home page has no title"
    page.evaluate("window.__nbSamePage = true")  # survives only instant (in-page) navigation
    article = page.locator("article")
    places = [p for p in (agency.province, agency.city, agency.county) if p]
    for place in places:
        article.get_by_role("link", name=place, exact=True).first.click()
        page.wait_for_url(re.compile(re.escape(base_url) + "regions/.+/$"))
        expect_heading(page, place)
    article.get_by_role("link", name=agency.name, exact=True).click()
    page.wait_for_url(f"{base_url}agencies/{agency.id}/")
    expect_heading(page, agency.name)
    article.get_by_role("link", name=f"{years[-1]} 年", exact=True).first.click()
    page.wait_for_url(f"{base_url}agencies/{agency.id}/{years[-1]}/")
    expect_heading(page, f"{years[-1]} 年")
    assert agency.name in page.locator("article h1").inner_text()
    assert page.evaluate("window.__nbSamePage === true"), "the clicks reloaded the page (no instant navigation)"


def test_agency_charts_drawn_light_then_dark(page, base_url, dataset):
    agency, years = _most_reports(dataset)
    assert len(years) > 1, "the sample data should hold an agency with several years"
    page.goto(f"{base_url}agencies/{agency.id}/")
    light = assert_charts_drawn(page, years)
    assert _luminance(light[0]["ink"]) < 0.5, f"light mode draws light text: {light[0]['ink']}"

    page.locator('label[for="__palette_1"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.wait_for_function("ink => document.querySelector('.nb-chart .xtick text') &&"
                           " getComputedStyle(document.querySelector('.nb-chart .xtick text')).fill !== ink",
                           arg=light[0]["ink"])
    dark = assert_charts_drawn(page, years)
    for chart in dark:
        assert _luminance(chart["ink"]) > 0.5, f"{chart['label']}: dark mode draws dark text {chart['ink']}"


def _luminance(css: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_agency_charts_drawn_after_instant_navigation(page, watch, base_url, dataset):
    agency, years = _most_reports(dataset)
    page.goto(f"{base_url}agencies/{agency.id}/")
    assert_charts_drawn(page, years)
    page.evaluate("window.__nbSamePage = true")
    article = page.locator("article")
    article.get_by_role("link", name=f"{years[0]} 年", exact=True).first.click()
    page.wait_for_url(f"{base_url}agencies/{agency.id}/{years[0]}/")
    expect_heading(page, f"{years[0]} 年")
    article.get_by_role("link", name=agency.name, exact=True).first.click()
    page.wait_for_url(f"{base_url}agencies/{agency.id}/")
    # The URL changes before the new content is swapped in: wait for the agency page's own heading
    # (the report page's heading also holds the agency's name), or the report's charts get checked.
    page.wait_for_function("t => (document.querySelector('article h1') || {}).textContent?.trim() === t",
                           arg=agency.name)
    assert page.evaluate("window.__nbSamePage === true"), "the clicks reloaded the page (no instant navigation)"
    page.set_default_timeout(5000)
    assert_charts_drawn(page, years)
    page.locator('label[for="__palette_1"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    assert_charts_drawn(page, years)
    watch.assert_clean()


def test_report_page_lays_out_the_tables_and_draws_its_chart(page, base_url, dataset):
    agency, years = _most_reports(dataset)
    page.goto(f"{base_url}agencies/{agency.id}/{years[-1]}/")
    expect_heading(page, agency.name)
    assert page.locator("article table").count() >= 3, "a report page lays out the template's tables"
    assert page.locator(".nb-chart").count(), "a report page charts that year's outcomes"
    page.wait_for_function(CHARTS_DRAWN_JS)
