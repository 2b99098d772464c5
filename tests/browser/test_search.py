"""Pagefind search in the header: an agency and a place find the right page first; the prose is not
indexed (render/pages.py: it was two thirds of what a query downloads, SCALING.md), so a phrase only the
prose holds finds nothing."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

RESULT = ".nb-search .pagefind-ui__result-link"


def _agency_page(dataset, word: str) -> str:
    found = [a.id for a in dataset.agencies.values() if word in a.name]
    assert len(found) == 1, f"expected one sample agency named …{word}…, got {found}"
    return f"agencies/{found[0]}/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("平湖", lambda d: _agency_page(d, "平湖")),  # an agency
        ("中卫", lambda d: _agency_page(d, "中卫")),  # a place
    ],
    ids=["agency", "place"],
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


def test_a_phrase_only_the_prose_holds_is_not_found(page, watch, base_url, dataset):
    phrase = "最低生活保障"
    assert any(phrase in s.text for r in dataset.reports for s in r.sections)  # the sample prose says it
    page.goto(base_url + "methodology/")
    page.locator(".md-header .nb-search input").fill(phrase)
    page.wait_for_function("q => (document.querySelector('.nb-search .pagefind-ui__message')?.textContent || '').includes('未找到 ' + q)", arg=phrase)


# As journalists type ------------------------------------------------------------------------------------

TEMPLATE_TERMS = ["行政复议", "不予公开", "依申请公开", "主动公开", "行政诉讼"]
PINGTAN = "fujian-fuzhou-pingtan-guanweihui"


def _results(page, base_url: str, query: str) -> list[dict]:
    """The header search's results for `query`: each result's page path (below the site's), its excerpt's
    text, the marked runs of its excerpt, its tags and the smallest font size of its text."""
    page.goto(base_url + "methodology/")
    page.locator(".md-header .nb-search input").fill(query)
    page.wait_for_selector(RESULT)
    page.wait_for_function("document.querySelectorAll('.nb-search .pagefind-ui__result-excerpt').length > 0")
    return page.evaluate("""(prefix) => Array.from(document.querySelectorAll('.nb-search .pagefind-ui__result')).map(r => {
      const excerpt = r.querySelector('.pagefind-ui__result-excerpt');
      const sizes = Array.from(r.querySelectorAll('*')).filter(e => e.childNodes.length && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize));
      return {path: new URL(r.querySelector('.pagefind-ui__result-link').href).pathname.replace(prefix, ''),
              excerpt: excerpt ? excerpt.textContent : '', marks: excerpt ? Array.from(excerpt.querySelectorAll('mark')).map(m => m.textContent) : [],
              tags: Array.from(r.querySelectorAll('.pagefind-ui__result-tag')).map(t => t.textContent.trim()), font: Math.min(...sizes)};
    })""", urlsplit(base_url).path)


@pytest.fixture(scope="module")
def split_url(site_dir, server, tmp_path_factory) -> str:
    """The sample site with its search index in buckets of at most 4 pages (render/search.py): what a
    site of tens of thousands of reports gets, every query merging the buckets' indexes in the browser."""
    import shutil

    from nianbao.render import search

    site = tmp_path_factory.mktemp("split") / "site"
    shutil.copytree(site_dir, site)
    search.index_site(site, per_index=4)
    assert len(json.loads((site / "pagefind" / search.MANIFEST).read_text(encoding="utf-8"))["merge"]) >= 3
    return server.mount("nianbao-split", site)


@pytest.fixture(params=["one index", "split index"])
def searcher(request, page, watch, base_url):
    url = base_url if request.param == "one index" else request.getfixturevalue("split_url")
    return lambda query: _results(page, url, query)


@pytest.mark.parametrize("term", TEMPLATE_TERMS)
def test_template_terms_are_found_and_marked_whole(searcher, term):
    found = searcher(term)
    first = found[0]
    assert first["path"].startswith("agencies/") and first["path"].count("/") == 3, first  # a report page
    assert term in first["excerpt"] and term in first["marks"], first


@pytest.mark.parametrize(("term", "figure"), [("行政复议", "reconsiderations"), ("不予公开", "refused"), ("行政诉讼", "lawsuits")])
def test_a_template_term_lists_first_the_reports_where_it_happened(searcher, dataset, term, figure):
    from nianbao.analysis import key_figures

    had = {f"agencies/{r.agency.id}/{r.year}/" for r in dataset.reports if key_figures(r)[figure]}
    assert had, f"the sample reports should include one with {figure}"
    assert searcher(term)[0]["path"] in had


@pytest.mark.parametrize("query", ["平潭 2022", "平潭综合实验区 2021年", "平潭综合实验区管委会 2019"])
def test_name_and_year_find_that_report_first(searcher, query):
    year = next(w for w in query.replace("年", "").split() if w.isdigit())
    first = searcher(query)[0]
    assert first["path"] == f"agencies/{PINGTAN}/{year}/", first
    assert "年度报告" in first["tags"][0] and year in " ".join(first["tags"]), first


def test_a_bare_name_lists_the_agency_then_its_reports(searcher, dataset):
    found = [r["path"] for r in searcher("平潭")]
    reports = {f"agencies/{PINGTAN}/{r.year}/" for r in dataset.reports if r.agency.id == PINGTAN}
    assert found[0] == f"agencies/{PINGTAN}/"
    assert set(found[1:1 + len(reports)]) == reports, found


def test_results_are_readable_and_say_their_kind_and_year(searcher):
    found = searcher("平潭")
    assert all(r["font"] >= 14 for r in found), [r["font"] for r in found]
    assert "机构" in found[0]["tags"][0]
    assert all(any("年度报告" in t for t in r["tags"]) and any(t.endswith(r["path"].split("/")[-2]) for t in r["tags"]) for r in found[1:])


def test_the_page_of_words_is_never_shown(page, watch, split_url):
    """Each bucket's page of words (render/search.py) matches any query made of names' pieces: its results
    are hidden, and a query that found only them (two places no page names together) says 未找到."""
    page.goto(split_url + "methodology/")
    page.locator(".md-header .nb-search input").fill("平潭 中卫")
    page.wait_for_function("document.querySelector('.nb-search .pagefind-ui__message')?.textContent.includes('未找到')")
    page.wait_for_selector(".nb-search .pagefind-ui__result .nb-words", state="attached")  # found (drawn after the count)
    assert page.locator(".nb-search .pagefind-ui__result:visible").count() == 0  # and hidden
    assert "未找到" in page.locator(".nb-search .pagefind-ui__message").inner_text()
    page.locator(".md-header .nb-search input").fill("平潭")
    page.wait_for_selector(RESULT)
    page.wait_for_function("document.querySelectorAll('.nb-search .pagefind-ui__result-excerpt').length > 0")
    assert all("nb-search-words" not in (a.get_attribute("href") or "") for a in page.locator(f"{RESULT}:visible").all())


@pytest.mark.parametrize("where", ["methodology/", ""], ids=["page", "home page with its own search box"])
def test_the_count_leaves_out_the_pages_of_words_and_each_bucket_counts_once(page, watch, split_url, dataset, where):
    """平潭 is found on its agency page and its reports: the message counts those, not the buckets' pages of
    words that also hold 平潭 (each bucket's, hidden), and not twice on a page with two search boxes
    (each merged the buckets' indexes into the one Pagefind both use)."""
    pages = 1 + sum(r.agency.id == PINGTAN for r in dataset.reports)
    page.goto(split_url + where)
    page.locator(".md-header .nb-search input").fill("平潭")
    message = page.locator(".nb-search .pagefind-ui__message")
    page.wait_for_function("n => (document.querySelector('.nb-search .pagefind-ui__message')?.textContent || '').startsWith('找到 ' + n + ' 个')",
                           arg=pages, timeout=10000)
    assert message.inner_text().startswith(f"找到 {pages} 个"), message.inner_text()
    if where == "":
        home = page.locator(".nb-search-home input")
        home.fill("平潭")
        page.wait_for_function("n => (document.querySelector('.nb-search-home .pagefind-ui__message')?.textContent || '').startsWith('找到 ' + n + ' 个')",
                               arg=pages, timeout=10000)
