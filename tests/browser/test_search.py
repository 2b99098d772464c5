"""Pagefind search in the header: an agency, a place and a phrase from prose each find the right page first."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

RESULT = ".nb-search .pagefind-ui__result-link"


def _agency_page(dataset, word: str) -> str:
    found = [a.id for a in dataset.agencies.values() if word in a.name]
    assert len(found) == 1, f"expected one sample agency named …{word}…, got {found}"
    return f"agencies/{found[0]}/"


def _report_page(dataset, phrase: str) -> str:
    found = [r for r in dataset.reports if any(phrase in s.text for s in r.sections)]
    assert len(found) == 1, f"expected one sample report whose prose says {phrase}, got {len(found)}"
    return f"agencies/{found[0].agency.id}/{found[0].year}/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("平湖", lambda d: _agency_page(d, "平湖")),  # an agency
        ("中卫", lambda d: _agency_page(d, "中卫")),  # a place
        ("最低生活保障", lambda d: _report_page(d, "最低生活保障")),  # a phrase from one report's prose
    ],
    ids=["agency", "place", "prose"],
)
def test_header_search_finds_the_right_page_first(page, watch, base_url, dataset, query, expected):
    page.goto(base_url + "methodology/")
    box = page.locator(".md-header .nb-search input")
    box.fill(query)
    page.wait_for_selector(RESULT)
    first = page.locator(RESULT).first
    assert first.get_attribute("href").split("#")[0] == f"/nianbao/{expected(dataset)}"
    assert query in first.inner_text() or query in page.locator(".nb-search .pagefind-ui__result").first.inner_text()
    first.click()  # the result's address resolves under the project path
    page.wait_for_url(base_url + expected(dataset) + "**")
    page.wait_for_function("q => document.querySelector('article')?.innerText.includes(q)", arg=query)
