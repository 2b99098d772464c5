"""Every figure to its source, in Chromium: a cell's link lands on its highlighted place in the source
view; a printed-but-unreadable cell links to where it is printed; the problems of a one-line report point
at their characters, not at line 1; the raw file is published as downloaded; the view passes axe."""

from __future__ import annotations

import hashlib

import pytest

from nianbao.render.source import anchor

from .test_layout import _describe, run_axe

pytestmark = pytest.mark.browser

HIGHLIGHT_JS = "e => getComputedStyle(e).backgroundColor"


def _report(dataset, word: str, year: int):
    (report,) = [r for r in dataset.reports if word in r.agency.name and r.year == year]
    return report


def _landed(page) -> dict:
    """The element the page's #fragment names: its id, text, background and whether it is on screen."""
    return page.evaluate("""() => { const t = document.querySelector(':target'); if (!t) return null;
        const r = t.getBoundingClientRect();
        return {id: t.id, text: t.textContent, bg: getComputedStyle(t).backgroundColor,
                visible: r.bottom > 0 && r.top < window.innerHeight}; }""")


def _plain_background(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.src > p:not(:target)')).backgroundColor")


def test_a_cell_link_lands_on_its_highlighted_figure(page, base_url, dataset):
    report = _report(dataset, "中卫", 2021)
    page.goto(base_url + f"agencies/{report.agency.id}/2021/")
    row = page.locator("table.nb-tpl tr", has=page.locator("th", has_text="予以公开"))
    link = row.locator("td > a").last  # 总计
    link.click()
    target = anchor(report, "requests", "granted", "total")  # r3-7
    page.wait_for_url(f"**/agencies/{report.agency.id}/2021/src.html#{target}")
    landed = _landed(page)
    assert landed["id"] == target and landed["visible"], landed
    assert landed["text"] == str(report.requests.granted.total)
    assert landed["bg"] != _plain_background(page), "the target is not highlighted"
    # The figure stands on the row of its label in the normalised text.
    line = page.locator(".src > p", has=page.locator(f"#{target}"))
    assert "予以公开" in line.inner_text()


def test_an_unreadable_cell_links_to_where_it_is_printed(page, base_url, dataset):
    report = _report(dataset, "平潭", 2020)
    page.goto(base_url + f"agencies/{report.agency.id}/2020/")
    cell = page.locator("table.nb-tpl tr", has=page.locator("th", has_text="行政许可")).locator("td.nb-unread")
    assert cell.inner_text().startswith("无法识别")
    link = cell.locator("a.nb-printed")
    assert "396442278" in link.inner_text() and "原文第 1 行第 " in link.inner_text()
    link.click()
    page.wait_for_url(f"**#{anchor(report, 'proactive', 'licensing')}")
    landed = _landed(page)
    assert landed["text"] == "行政许可396442278" and landed["visible"], landed
    assert landed["bg"] != _plain_background(page)


def test_problems_of_a_one_line_report_point_at_their_characters(page, base_url, dataset):
    report = _report(dataset, "平潭", 2020)
    page.goto(base_url + f"agencies/{report.agency.id}/2020/")
    items = page.locator("ul.nb-problems li")
    places = items.locator("a[href*='src.html']")
    texts = places.all_inner_texts()
    assert texts, "no problem links to the source view"
    cell_problems = [p for p in report.problems if p.table and p.row]
    assert len(texts) >= len(cell_problems)
    # Every problem of a cell or row names a character, not the whole one-line report.
    assert sum("字" in t for t in texts) >= len(cell_problems), texts
    assert len({t for t in texts if "字" in t}) > 3, "the places are not all the same"
    # The failed 总计 identity lands on the 总计 row, highlighted.
    page.locator("ul.nb-problems li", has_text="（七）总计").locator("a[href*='src.html']").first.click()
    target = anchor(report, "requests", "total_handled")
    page.wait_for_url(f"**#{target}")
    landed = _landed(page)
    assert landed["id"] == target and "总计" in landed["text"][:6] and landed["visible"], landed


def test_raw_file_is_published_as_downloaded(page, base_url, dataset):
    report = _report(dataset, "平潭", 2020)
    page.goto(base_url + f"agencies/{report.agency.id}/2020/src.html")
    link = page.locator("dl.facts a[download]")
    body = page.request.get(base_url + f"agencies/{report.agency.id}/2020/" + link.get_attribute("href")).body()
    assert hashlib.sha256(body).hexdigest() == report.source.sha256
    assert report.source.sha256 in page.locator("dl.facts").inner_text()
    assert "未提供" in page.locator("dl.facts").inner_text()  # 获取日期: the sample does not say


def test_source_views_are_not_in_the_search_index(page, base_url):
    """The views repeat the reports' prose, which the report pages index already."""
    page.goto(base_url)
    urls = page.evaluate("""async (base) => {
      const pagefind = await import(base + 'pagefind/pagefind.js');
      await pagefind.options({baseUrl: new URL(base).pathname});
      const found = await pagefind.search('政府信息公开');
      return Promise.all(found.results.map(r => r.data().then(d => d.url)));
    }""", base_url)
    assert len(urls) > 5, urls
    assert not [u for u in urls if "src.html" in u], urls


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_source_view_is_accessible_and_fits_a_phone(new_page, base_url, dataset, axe_source, dark):
    report = _report(dataset, "平潭", 2020)
    page = new_page(width=375, height=812, dark=dark)
    page.goto(base_url + f"agencies/{report.agency.id}/2020/src.html#{anchor(report, 'proactive', 'licensing')}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert _landed(page)["visible"]
    serious = run_axe(page, axe_source)
    assert not serious, _describe(serious)


@pytest.mark.parametrize("system", ["light", "dark"])
def test_source_view_follows_the_palette_chosen_on_the_site(new_page, base_url, dataset, system):
    """The reader toggles the site's palette (Material keeps it in localStorage); the source view, a page of
    its own, follows that choice whatever the system says."""
    report = _report(dataset, "中卫", 2021)
    page = new_page(width=1000, height=800, dark=system == "dark")
    page.goto(base_url + f"agencies/{report.agency.id}/2021/")
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()  # the other palette
    chosen = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.goto(base_url + f"agencies/{report.agency.id}/2021/src.html")
    view_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark_view = view_bg == "rgb(13, 17, 23)"
    assert chosen == ("default" if system == "dark" else "slate"), chosen
    assert dark_view == (chosen == "slate"), (system, chosen, view_bg, before)
