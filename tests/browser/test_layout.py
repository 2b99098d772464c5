"""Every kind of page on a 375 px phone, and axe-core's accessibility audit of each kind of page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}

# Every table that is wider than the screen, and the box that scrolls it (or null).
WIDE_TABLES_JS = """() => Array.from(document.querySelectorAll('article table'))
  .filter(t => t.getBoundingClientRect().width > window.innerWidth)
  .map(t => {
    let box = t.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    if (!box || box === document.body) return {table: t.innerText.slice(0, 40), box: null};
    const before = box.scrollLeft;
    box.scrollLeft = 80;
    const moved = box.scrollLeft !== before;
    box.scrollLeft = before;
    const r = box.getBoundingClientRect();
    return {table: t.innerText.slice(0, 40), box: box.className, left: r.left, right: r.right, moved};
  })"""


@pytest.fixture(scope="module")
def kinds(site_dir, dataset) -> dict[str, str]:
    """One page of each kind, as paths below the site root."""
    counts: dict[str, int] = {}
    for report in dataset.reports:
        counts[report.agency.id] = counts.get(report.agency.id, 0) + 1
    agency_id = max(sorted(counts), key=counts.get)
    year = max(r.year for r in dataset.reports if r.agency.id == agency_id)
    region = next(p.parent.relative_to(site_dir).as_posix() + "/"
                  for p in sorted(site_dir.glob("regions/**/index.html"), key=lambda p: -len(p.parts))
                  if f"agencies/{agency_id}/" in p.read_text(encoding="utf-8"))
    return {
        "home": "", "regions": "regions/", "region": region, "agency": f"agencies/{agency_id}/",
        "report": f"agencies/{agency_id}/{year}/", "compare": "compare/", "quality": "quality/",
        "downloads": "downloads/", "methodology": "methodology/", "explore": "explore/", "summary": "explore/summary/",
    }


def test_no_page_scrolls_sideways_on_a_phone(new_page, base_url, kinds):
    page = new_page(**PHONE)
    wide_seen = 0
    for kind, path in kinds.items():
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        if page.locator(".nb-chart").count():
            page.wait_for_function("() => [...document.querySelectorAll('.nb-chart')].every(e => e.querySelector('.main-svg'))")
        width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{kind} page ({path}) is {width[0]} px wide on a {width[1]} px screen"
        for wide in page.evaluate(WIDE_TABLES_JS):
            wide_seen += 1
            assert wide["box"] is not None, f"{kind} page: a wide table does not scroll inside itself: {wide}"
            assert wide["moved"] and wide["left"] >= 0 and wide["right"] <= PHONE["width"], f"{kind} page: {wide}"
    assert wide_seen, "no table was wider than the phone: the scrolling check checked nothing"


def test_header_search_results_fit_on_a_phone(new_page, base_url):
    page = new_page(**PHONE)
    page.goto(base_url)
    page.locator(".md-header .nb-search input").fill("平湖")
    page.wait_for_selector(".md-header .pagefind-ui__result-link")
    box = page.locator(".md-header .pagefind-ui__drawer").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


AXE_PAGES = ["home", "region", "agency", "report", "compare", "methodology", "explore", "summary"]


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator(".nb-chart").count():
        page.wait_for_function("() => [...document.querySelectorAll('.nb-chart')].every(e => e.querySelector('.main-svg'))")
    page.wait_for_selector(".nb-search input")  # the search box is part of every page


def run_axe(page, axe_source) -> list[dict]:
    """axe-core's serious and critical violations on the page (every rule axe runs by default)."""
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert len(result["passes"]) > 10, "axe-core checked (almost) nothing"
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} element(s)):\n"
        + "\n".join(f"    {' '.join(n['target'])}: {n['any'][0]['message'] if n['any'] else n['html'][:120]}"
                    for n in v["nodes"][:6])
        for v in violations
    )


@pytest.mark.parametrize(("kind", "dark"), [(k, False) for k in AXE_PAGES] + [("home", True), ("report", True), ("summary", True)],
                         ids=[*AXE_PAGES, "home-dark", "report-dark", "summary-dark"])
def test_no_serious_accessibility_violation(new_page, base_url, kinds, axe_source, kind, dark):
    page = new_page(dark=dark)
    _open(page, base_url + kinds[kind])
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if dark else "default")
    serious = run_axe(page, axe_source)
    assert not serious, f"{kind} page ({kinds[kind]}){' in dark mode' if dark else ''}:\n" + _describe(serious)
