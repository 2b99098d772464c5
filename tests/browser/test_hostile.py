"""A report whose agency name, place and prose carry script, HTML, Markdown links and template syntax,
built into a site of its own: its pages run nothing and show the text exactly as the report printed it."""

from __future__ import annotations

import pytest

from .conftest import build_site, make_root

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
TEMPLATE = "{{ 7*7 }}"
HOSTILE = f"{SCRIPT}{IMG}{LINK}{TEMPLATE}"
NAME = f"{HOSTILE}测试局"
AGENCY_ID = "test-hostile"

PROSE = (
    f"{HOSTILE}第一段。\n\n"
    "</div></div></article><script>alert(2)</script>{% raw %}{% if 1 %}是{% endif %}\n"
    '<a href="javascript:alert(3)">链接</a> <svg onload=alert(4)> `code` **粗体** <!-- 注释 -->\n\n'
    "&lt;script&gt;alert(5)&lt;/script&gt; ]]> </script>"
)

# No element may carry an event handler or a javascript: URL (Pagefind's own form's `javascript:void(0);`
# aside), and no injected image, frame, object or script may exist.
INJECTED_JS = """() => {
  const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'poster'];
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.getAttributeNames()) {
      const v = el.getAttribute(a) || '';
      if (a.startsWith('on')) out.push(el.tagName + ' ' + a);
      if (URL_ATTRS.includes(a) && /^\\s*javascript:(?!void\\(0\\);?$)/i.test(v)) out.push(el.tagName + ' ' + a + '=' + v);
    }
  }
  for (const el of document.querySelectorAll('img[src="x"], iframe, object, embed, svg[onload]')) out.push(el.outerHTML);
  for (const s of document.querySelectorAll('script')) {
    if (s.type !== 'application/json' && /alert\\(/.test(s.textContent)) out.push('script: ' + s.textContent.slice(0, 80));
  }
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, server, dataset):
    """The sample report with the most prose, re-labelled as the hostile agency, in a site of its own."""
    base = max(dataset.reports, key=lambda r: sum(len(s.text) for s in r.sections))
    data = base.to_data()
    data["agency"] = {"id": AGENCY_ID, "name": NAME}
    data["title"] = f"</title>{SCRIPT}{TEMPLATE}年度报告"
    data["source"] = {**data["source"], "url": "javascript:alert(6)", "path": f"data/raw/{AGENCY_ID}/{base.year}.txt"}
    data["sections"] = [{**s, "title": f"{s['title']}{SCRIPT}", "text": PROSE} for s in data["sections"]][:3]
    data["metrics"] = {k: {**m, "quote": f"{IMG}{m['quote']}"} for k, m in data["metrics"].items()}
    data["problems"] = [{**p, "message": f"{p['message']}{SCRIPT}", "text": "{{ config }}"} for p in data["problems"]]
    agency = {
        "id": AGENCY_ID, "name": NAME, "province": "浙江省", "city": "嘉兴市", "county": f"<b>平湖</b>{TEMPLATE}",
        "kind": "<i>局</i>", "website": "javascript:alert(7)",
    }
    root = make_root(tmp_path_factory.mktemp("hostile") / "root",
                     records={f"{AGENCY_ID}/{base.year}": data}, agencies=[agency])
    site = build_site(root, server.url("hostile"))
    return server.mount("hostile", site), site, base.year


def _pages(site, year: int) -> list[str]:
    region = next(p.parent.relative_to(site).as_posix() + "/"
                  for p in sorted(site.glob("regions/**/index.html"), key=lambda p: -len(p.parts))
                  if f"agencies/{AGENCY_ID}/" in p.read_text(encoding="utf-8"))
    return ["", region, f"agencies/{AGENCY_ID}/", f"agencies/{AGENCY_ID}/{year}/", "compare/", "quality/",
            "downloads/"]


def test_hostile_text_is_shown_and_never_run(page, watch, hostile_site):
    base_url, site, year = hostile_site
    for path in _pages(site, year):
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)  # an injected onerror fires once the broken image fails
        injected = page.evaluate(INJECTED_JS)
        assert not injected, f"{path or 'home'}: injected markup is live: {injected}"
        text = page.locator("article").inner_text()
        if path.startswith("agencies/"):
            assert NAME in text, f"{path}: the agency name is not shown literally"
            assert f"{7 * 7}测试局" not in text
        if path.endswith(f"{year}/"):
            for piece in (SCRIPT, IMG, LINK, TEMPLATE, "{% raw %}", '<a href="javascript:alert(3)">链接</a>',
                          "**粗体**", "&lt;script&gt;alert(5)&lt;/script&gt;", "</div></div></article>"):
                assert piece in text, f"{path}: {piece!r} is not shown literally"
            assert SCRIPT in page.title() and TEMPLATE in page.title(), page.title()
    assert not watch.dialogs and not watch.console_all, watch.dialogs + watch.console_all


def test_hostile_pages_reached_by_instant_navigation_run_nothing(page, watch, hostile_site):
    """Material's instant navigation re-creates the inline scripts of each page it swaps in: none may be
    made of report text."""
    base_url, _, year = hostile_site
    page.goto(base_url)
    page.evaluate("window.__nbSamePage = true")
    page.locator(f'article a[href$="agencies/{AGENCY_ID}/{year}/"]').first.click()
    page.wait_for_url(f"{base_url}agencies/{AGENCY_ID}/{year}/")
    page.wait_for_function("t => document.querySelector('article h1')?.textContent.includes(t)", arg=SCRIPT)
    page.locator(f'article a[href$="agencies/{AGENCY_ID}/"]').first.click()  # instant nav makes hrefs absolute
    page.wait_for_url(f"{base_url}agencies/{AGENCY_ID}/")
    page.wait_for_function("t => document.querySelector('article h1')?.textContent === t", arg=NAME)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__nbSamePage === true"), "the clicks reloaded the page (no instant navigation)"
    assert not page.evaluate(INJECTED_JS)
    assert not watch.dialogs and not [m for m in watch.console_all if "alert" in m or "49" in m], watch.console_all


def test_hostile_text_in_search_results_runs_nothing(page, watch, hostile_site):
    base_url, _, _ = hostile_site
    page.goto(base_url)
    page.locator(".md-header .nb-search input").fill("测试局")
    page.wait_for_selector(".nb-search .pagefind-ui__result-link")
    page.wait_for_timeout(300)
    assert not page.evaluate(INJECTED_JS)
    assert "测试局" in page.locator(".nb-search .pagefind-ui__results").inner_text()
    assert not watch.dialogs and not watch.console_all, watch.dialogs + watch.console_all


def test_the_watch_sees_a_script_that_runs(browser, server, tmp_path):
    """The detectors above, on a page that does run its payloads (so a clean hostile page means something)."""
    from .conftest import Watch, watch_page

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f"<!doctype html><html><body><p>{IMG}</p><a href=\"javascript:alert(3)\">x</a>"
        "<script>console.log('ran')</script></body></html>", encoding="utf-8")
    url = server.mount("hostile-selftest", site)
    watch = Watch()
    context = browser.new_context()
    try:
        page = context.new_page()
        watch_page(page, watch)
        page.goto(url)
        page.wait_for_function("() => document.querySelector('img').complete")
        page.wait_for_timeout(200)
        injected = page.evaluate(INJECTED_JS)
    finally:
        context.close()
    assert watch.dialogs == ["alert: 1"]
    assert any("ran" in m for m in watch.console_all)
    assert any("onerror" in i for i in injected) and any("javascript:alert(3)" in i for i in injected)
