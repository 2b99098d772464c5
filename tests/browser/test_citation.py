"""Citations that work: no invented host on any page, a Chinese 404 page with the search."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_no_page_names_a_placeholder_host(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 20
    found = [p.relative_to(site_dir).as_posix() for p in pages if "example.org" in p.read_text(encoding="utf-8")]
    assert not found, f"pages naming example.org: {found}"


def test_citation_names_the_page_address(page, base_url, dataset):
    report = next(r for r in dataset.reports if r.year is not None)
    page.goto(base_url + f"agencies/{report.agency.id}/{report.year}/")
    assert f"{base_url}agencies/{report.agency.id}/{report.year}/" in page.locator(".nb-cite").inner_text()


def test_404_page_is_chinese_with_search(page, base_url):
    page.goto(base_url + "404.html")
    assert page.locator("article h1").inner_text() == "页面不存在（404）"
    box = page.locator("article .nb-search-home input")
    box.wait_for()
    box.fill("平潭")
    page.locator("article .pagefind-ui__result").first.wait_for()
    assert page.locator("article a", has_text="回到首页").count() == 1
