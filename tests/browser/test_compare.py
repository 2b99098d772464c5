"""The compare page sorts and filters in the browser; download links hand over files with the right header."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.browser

TABLE = "table.nb-compare-table"
# Visible rows: their data-* attributes and one column's value (data-value where the text is not the number).
ROWS_JS = """([table, column]) => Array.from(document.querySelectorAll(table + ' tbody tr'))
  .filter(r => !r.hidden)
  .map(r => ({agency: r.dataset.agency, year: r.dataset.year, province: r.dataset.province,
              fails: r.dataset.fails, value: column < 0 ? null : (c => c.hasAttribute('data-value') ? c.getAttribute('data-value')
                                                   : c.textContent.trim())(r.children[column])}))"""
REPORTS_CSV_HEADER = ["agency_id", "agency_name", "province", "city", "county", "kind", "year", "template", "table",
                      "row", "column", "value", "row_label", "column_label"]


@pytest.fixture
def compare(page, base_url):
    page.goto(base_url + "compare/")
    if not page.locator(TABLE).count():
        pytest.skip("the compare page has no table yet (issue 4)")
    page.wait_for_selector("[data-nb-filter-root][data-nb-ready]")
    return page


def _rows(page, column: int = -1) -> list[dict]:
    return page.evaluate(ROWS_JS, [TABLE, column])


def _column(page, label: str) -> int:
    heads = page.locator(f"{TABLE} thead th").all_inner_texts()
    return [h.strip() for h in heads].index(label)


def _expected(dataset, year: int, province: str | None = None) -> list[str]:
    ids = [r.agency.id for r in dataset.reports if r.year == year]
    if province:
        ids = [i for i in ids if dataset.agencies[i].province == province]
    return sorted(ids)


def _year(page) -> int:
    """The year the compare page shows (marked in its list of years)."""
    return int(page.locator('.nb-years [aria-current="page"]').inner_text().split()[0])


def _wait_for_year(page, year: int) -> None:
    """After an instant-navigation click the URL changes first: wait for the new page's own year mark."""
    page.wait_for_function(
        "y => (document.querySelector('.nb-years [aria-current=\"page\"]') || {}).textContent?.trim().startsWith(String(y))",
        arg=year)
    page.wait_for_selector("[data-nb-filter-root][data-nb-ready]")


def test_compare_table_filters_by_year_region_and_check(compare, base_url, dataset):
    page = compare
    year = _year(page)
    rows = _rows(page)
    assert sorted(r["agency"] for r in rows) == _expected(dataset, year), "one row per agency for the year"
    assert {r["year"] for r in rows} == {str(year)}
    assert year == max(sorted({r.year for r in dataset.reports}), key=lambda y: len(_expected(dataset, y)))

    other = max((r.year for r in dataset.reports if r.year != year), key=lambda y: len(_expected(dataset, y)))
    page.locator(".nb-years").get_by_role("link", name=f"{other} 年").click()  # each year has its own page
    page.wait_for_url(base_url + f"compare/{other}/")
    _wait_for_year(page, other)
    assert _year(page) == other
    assert sorted(r["agency"] for r in _rows(page)) == _expected(dataset, other)
    page.locator(".nb-years").get_by_role("link", name=f"{year} 年").click()
    page.wait_for_url(base_url + f"compare/{year}/")
    _wait_for_year(page, year)
    assert sorted(r["agency"] for r in _rows(page)) == _expected(dataset, year)

    provinces = sorted({dataset.agencies[a].province for a in _expected(dataset, year)})
    province = max(provinces, key=lambda p: len(_expected(dataset, year, p)))
    page.locator('select[data-filter="province"]').select_option(province)
    filtered = _rows(page)
    assert sorted(r["agency"] for r in filtered) == _expected(dataset, year, province)
    assert 0 < len(filtered) < len(rows), "the province filter should narrow the table"
    page.locator('select[data-filter="province"]').select_option("")
    assert len(_rows(page)) == len(rows)

    page.locator('input[data-filter="fails"]').check()
    failing = _rows(page)
    assert all(r["fails"] == "1" for r in failing)
    assert len(failing) == sum(r["fails"] == "1" for r in rows)


def test_compare_table_sorts_both_ways_with_missing_last(compare):
    page = compare
    label = "新收申请"
    column = _column(page, label)
    button = page.locator(f"{TABLE} thead th").nth(column).get_by_role("button")
    for direction in ("ascending", "descending"):
        button.click()
        assert page.locator(f"{TABLE} thead th").nth(column).get_attribute("aria-sort") == direction
        values = [r["value"] for r in _rows(page, column)]
        given = [float(v) for v in values if v]
        assert len(given) > 1, "too few figures to see an order"
        assert given == sorted(given, reverse=direction == "descending"), f"{direction}: {values}"
        assert values == [v for v in values if v] + [v for v in values if not v], "未提供 must sort last"
    name = page.locator(f"{TABLE} thead th").nth(_column(page, "机构")).get_by_role("button")
    name.click()
    names = [r["agency"] for r in _rows(page)]
    name.click()
    assert [r["agency"] for r in _rows(page)] == names[::-1]


def test_compare_chart_follows_the_table(compare):
    page = compare
    page.wait_for_selector(".nb-compare-chart .main-svg g.trace.bars")
    column = _column(page, page.locator(".nb-compare-figure option:checked").inner_text().strip())
    given = [r for r in _rows(page, column) if r["value"]]
    page.wait_for_function(
        "n => document.querySelectorAll('.nb-compare-chart g.trace.bars g.point').length === n", arg=len(given))


def test_compare_page_works_after_instant_navigation(page, watch, base_url, dataset):
    """Reached from the home page by its tab, without a reload: the table still filters and the chart draws."""
    page.goto(base_url)
    page.evaluate("window.__nbSamePage = true")
    page.locator(".md-tabs").get_by_role("link", name="比较", exact=True).click()
    page.wait_for_url(base_url + "compare/")
    page.wait_for_selector("[data-nb-filter-root][data-nb-ready]")  # the new page swapped in and set up
    page.wait_for_selector(".nb-compare-chart .main-svg g.trace.bars", timeout=5000)
    assert page.evaluate("window.__nbSamePage === true"), "the click reloaded the page (no instant navigation)"
    year = _year(page)
    other = next(r.year for r in dataset.reports if r.year != year)
    page.locator(".nb-years").get_by_role("link", name=f"{other} 年").click()
    page.wait_for_url(base_url + f"compare/{other}/")
    _wait_for_year(page, other)
    page.wait_for_selector(".nb-compare-chart .main-svg g.trace.bars", timeout=5000)
    assert page.evaluate("window.__nbSamePage === true"), "the year link reloaded the page"
    assert sorted(r["agency"] for r in _rows(page)) == _expected(dataset, other)
    watch.assert_clean()


def _download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    with open(download.path(), "rb") as fh:
        return download.suggested_filename, fh.read()


def _header(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV for Excel must start with a UTF-8 BOM"
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_download_links_return_files_with_the_expected_header(page, base_url, dataset):
    page.goto(base_url + "downloads/")
    link = page.locator('article a[href$="reports.csv"]')
    if not link.count():
        pytest.skip("the downloads page has no reports.csv yet (issue 4)")
    name, data = _download(page, link.first)
    assert name == "reports.csv"
    assert _header(data) == REPORTS_CSV_HEADER
    agencies = {row["agency_id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    assert agencies == {r.agency.id for r in dataset.reports}

    agency = dataset.reports[0].agency.id
    page.goto(f"{base_url}agencies/{agency}/")
    name, data = _download(page, page.locator('article a[download][href$=".csv"]').first)
    header = _header(data)
    assert header[0] == "年份" and len(header) > 1, header
