"""A 375 px phone and a browser without JavaScript: the figures stay reachable and readable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _pingtan(dataset) -> str:
    (found,) = [a.id for a in dataset.agencies.values() if "平潭" in a.name]
    return found


def test_compare_figures_are_reachable_on_a_phone_with_the_name_kept_in_view(new_page, base_url):
    page = new_page(**PHONE)
    page.goto(base_url + "compare/")
    table = page.locator("table.nb-compare-table")
    box = page.locator(".nb-scroll", has=table)
    assert page.locator(".nb-swipe").first.is_visible()  # says the table scrolls sideways
    first = page.locator("table.nb-compare-table thead th").filter(has_text="新收申请")
    right = first.bounding_box()["x"] + first.bounding_box()["width"]
    assert right <= PHONE["width"], f"新收申请 starts off-screen ({right} px)"
    # Scrolled to its end, the last figure column is on screen and the name column is still there.
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    last = page.locator("table.nb-compare-table thead th").last
    lb = last.bounding_box()
    assert lb["x"] >= 0 and lb["x"] + lb["width"] <= PHONE["width"] + 1, lb
    name = page.locator("table.nb-compare-table tbody th").first.bounding_box()
    assert name["x"] >= 0 and name["x"] < 40, f"the name column scrolled away: {name}"


def test_report_table_three_keeps_its_labels_readable_on_a_phone(new_page, base_url, dataset):
    page = new_page(**PHONE)
    page.goto(base_url + f"agencies/{_pingtan(dataset)}/2021/")
    widths = page.locator("#t3 + .nb-scroll table tbody th[scope=row]").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and min(widths) >= 120, f"row labels squeezed to {min(widths)} px"
    # The 2020 report (a 4,000-character section and nine problems) was 13,548 px tall on a phone.
    page.goto(base_url + f"agencies/{_pingtan(dataset)}/2020/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 13548 / 2, height
    # A folded section unfolds (a checkbox and its label: no JavaScript needed).
    prose = page.locator("#s1 ~ .nb-long").first
    folded = prose.bounding_box()["height"]
    page.locator("label[for=more-s1]").click()
    assert prose.bounding_box()["height"] > 2 * folded


@pytest.fixture
def no_js_page(browser, watch):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def test_without_javascript_every_chart_shows_its_table_and_dead_controls_are_hidden(no_js_page, base_url, dataset):
    page = no_js_page
    agency = _pingtan(dataset)
    for path in (f"agencies/{agency}/", f"agencies/{agency}/2020/"):
        page.goto(base_url + path)
        figures = page.locator(".nb-figure")
        assert figures.count() >= 1
        for i in range(figures.count()):
            figure = figures.nth(i)
            assert not figure.locator(".nb-chart").is_visible(), f"{path}: an empty chart frame is shown"
            table = figure.locator("table")
            assert table.is_visible() and table.bounding_box()["height"] > 60, f"{path}: chart {i}'s table is hidden"
    page.goto(base_url + "compare/")
    assert not page.locator(".nb-controls").is_visible() and not page.locator(".nb-compare-chart").is_visible()
    assert page.locator("table.nb-compare-table button").count() == 0  # no sort button that cannot sort
    assert page.locator("table.nb-compare-table tbody tr").first.is_visible()
    page.goto(base_url + "quality/")
    assert not page.locator(".nb-controls").is_visible() and page.locator("table.nb-quality-table button").count() == 0


def test_sort_buttons_are_made_when_javascript_runs(page, base_url):
    page.goto(base_url + "compare/")
    page.locator("table.nb-compare-table thead button.nb-sort").first.wait_for()
    page.locator("table.nb-compare-table thead button.nb-sort", has_text="新收申请").click()
    assert page.locator("table.nb-compare-table thead th[aria-sort]").count() == 1
