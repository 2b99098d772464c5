"""Search by name on a site of agencies whose names Pagefind's Chinese segmentation splits.

The browser cuts a query with Intl.Segmenter, which splits rare names into single characters (额济纳旗 →
额|济|纳|旗) that Pagefind's indexer never made words of; in an index of more than one chunk such a query
found nothing. A site of hand-made agencies (tests/fixtures/search_agencies.yaml: 额济纳旗, 拉孜县,
乳源瑶族自治县, 克山县, 酉阳土家族苗族自治县 beside neighbours of the same city and kind) and a few hundred
synthetic ones (so the index has many chunks) is built and indexed; Pagefind's own search API, in
Chromium, must rank the agency's page first for its full name, for its county and for the county
without its suffix (额济纳旗 → 额济纳), ahead of its report pages and its neighbours. Through the header
search (site.js, which cuts a query's Chinese into pairs end to end), a whole name finds its own agency
first, also when another agency's name ends it (清城区民政局 and 城区民政局).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nianbao.render.regions import short_place
from nianbao.synth.places import make_agencies
from tests.browser.conftest import build_site, make_root
from tests.handmade import report

pytestmark = pytest.mark.browser

AGENCIES = yaml.safe_load((Path(__file__).parents[1] / "fixtures" / "search_agencies.yaml").read_text(encoding="utf-8"))
SYNTHETIC = 300  # enough agencies for an index of several chunks
RARE = ["nmg-ejina-minzheng", "xizang-lazi-minzheng", "guangdong-ruyuan-minzheng", "heilongjiang-keshan-gov",
        "chongqing-youyang-minzheng"]
PROJECT = "search-names"
SEARCH_JS = """async ([bundle, base, query]) => {
  const pagefind = await import(bundle + 'pagefind.js');
  await pagefind.options({baseUrl: base});
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  return data.map(d => d.url);
}"""


def _synthetic() -> list[dict]:
    """Synthetic agencies, none sharing a name, id or county with the hand-made ones."""
    taken = {a["id"] for a in AGENCIES} | {a["name"] for a in AGENCIES} | {a.get("county") for a in AGENCIES}
    out = []
    for a in make_agencies(SYNTHETIC):
        if not taken & {a.id, a.name, a.county}:
            out.append({"id": a.id, "name": a.name, "province": a.province, "city": a.city, "county": a.county, "kind": a.kind})
    return out


def _records(agencies: list[dict]) -> dict[str, dict]:
    """Two years per hand-made agency, one per synthetic one, each report's prose naming the agency and
    its place, as real reports do."""
    out = {}
    for a in agencies:
        for year in (2021, 2022) if a in AGENCIES else (2022,):
            prose = (f"{year}年，{a['name']}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                     f"推进{a.get('county') or a['city']}政务公开工作。")
            sections = [{"number": 1, "title": "总体情况", "text": prose}]
            out[f"{a['id']}/{year}"] = report(a["id"], a["name"], year, sections=sections).to_data()
    return out


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, server) -> str:
    agencies = AGENCIES + _synthetic()
    root = make_root(tmp_path_factory.mktemp("names") / "root", _records(agencies), agencies)
    site = build_site(root, server.url(PROJECT))
    assert len(list((site / "pagefind" / "index").iterdir())) > 1, "the index should have several chunks"
    return server.mount(PROJECT, site)


@pytest.fixture(scope="module")
def search(site_url, page):
    base = site_url
    page.goto(base)

    def run(query: str) -> list[str]:
        urls = page.evaluate(SEARCH_JS, [base + "pagefind/", f"/{PROJECT}/", query])
        return [u.removeprefix(f"/{PROJECT}/").split("#")[0] for u in urls]

    return run


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("agency_id", RARE)
def test_full_name_finds_the_agency_page_first(search, agency_id):
    agency = next(a for a in AGENCIES if a["id"] == agency_id)
    found = search(agency["name"])
    assert found and found[0] == f"agencies/{agency_id}/", (agency["name"], found)


@pytest.mark.parametrize("agency_id", RARE)
def test_county_name_finds_the_agency_page_first(search, agency_id):
    agency = next(a for a in AGENCIES if a["id"] == agency_id)
    for query in dict.fromkeys([agency["county"], short_place(agency["county"])]):
        found = search(query)
        assert found and found[0] == f"agencies/{agency_id}/", (query, found)


@pytest.mark.parametrize(("query", "agency_id"), [("平湖", "zhejiang-pinghu-minzheng"), ("中卫", "ningxia-zhongwei-minzheng")])
def test_short_names_still_find_their_agency_first(search, query, agency_id):
    assert search(query)[0] == f"agencies/{agency_id}/"


def _header_search(page, base: str, query: str) -> list[str]:
    """The header search's results (site.js and Pagefind's UI), as page paths below the site."""
    page.goto(base + "methodology/")
    page.locator(".md-header .nb-search input").fill(query)
    page.wait_for_function("q => (document.querySelector('.nb-search .pagefind-ui__message')?.textContent || '').includes(q)", arg=query)
    page.wait_for_function("document.querySelectorAll('.nb-search .pagefind-ui__result-link').length > 0")
    hrefs = page.locator(".nb-search .pagefind-ui__result-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [h.removeprefix(f"/{PROJECT}/").split("#")[0] for h in hrefs]


def test_a_whole_name_finds_its_own_agency_not_the_one_it_ends(site_url, page):
    """城区民政局, in 清远市, holds every piece ICU cuts 清城区民政局 into (清|城区|民政局): its pages came first."""
    found = _header_search(page, site_url, "清城区民政局")
    assert found[0] == "agencies/guangdong-qingcheng-minzheng/", found
    assert all(p.startswith("agencies/guangdong-qingcheng-minzheng/") for p in found), found  # its reports next


def test_a_name_that_ends_another_finds_its_own_agency_first(site_url, page):
    found = _header_search(page, site_url, "城区民政局")
    assert found[0] == "agencies/guangdong-chengqu-minzheng/", found
