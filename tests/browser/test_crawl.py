"""Walk the whole sample site, served under a project path as GitHub Pages serves it: every internal
link, image, script, stylesheet and download resolves, and every `#fragment` names an element."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

pytestmark = pytest.mark.browser

# (element, attribute) pairs whose URL the browser fetches or follows.
REFERENCES = [
    ("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"),
    ("video", "src"), ("audio", "src"), ("form", "action"),
]
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
# Loaded by the site's own script (search and charts), so no HTML names them.
SCRIPT_LOADED = ["assets/nianbao/plotly.min.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css",
                 "pagefind/pagefind.js"]


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def crawl(base_url: str, seeds: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Breadth-first over every page below base_url. Returns {broken url: [pages referring to it]} and the
    set of pages seen. A reference to another host is not fetched; one to this host outside base_url is
    broken (it would leave the project path on GitHub Pages), as is any `javascript:` URL."""
    host = urlsplit(base_url).netloc
    queue = deque(seeds)
    status: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    refs: dict[str, list[str]] = {}
    fragments: list[tuple[str, str, str]] = []  # (page, target, fragment)
    broken: dict[str, list[str]] = {}

    def refer(page: str, raw: str) -> None:
        raw = raw.strip()
        if raw.lower().startswith("javascript:"):
            broken.setdefault(f"javascript URL {raw!r}", []).append(page)
            return
        url, fragment = urldefrag(urljoin(page, raw))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != host:
            return  # mailto:, data:, other sites: not ours to check offline
        refs.setdefault(url, []).append(page)
        if fragment:
            fragments.append((page, url, unquote(fragment)))
        if url not in status:
            status[url] = -1
            queue.append(url)

    for seed in seeds:
        status[seed] = -1
    while queue:
        url = queue.popleft()
        if not url.startswith(base_url):
            status[url] = 404
            continue
        code, kind, body = _fetch(url)
        status[url] = code
        if code != 200 or not body:
            continue
        if kind == "text/html":
            doc = lxml.html.fromstring(body, base_url=url)
            ids[url] = {el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id")}
            ids[url] |= {el.get("name") for el in doc.iter("a") if el.get("name")}
            for tag, attr in REFERENCES:
                for el in doc.iter(tag):
                    if el.get(attr) is not None:
                        refer(url, el.get(attr))
            for el in doc.iter("img", "source"):
                for candidate in (el.get("srcset") or "").split(","):
                    if candidate.strip():
                        refer(url, candidate.split()[0])
        elif kind == "text/css":
            for ref in CSS_URL.findall(body.decode("utf-8", "replace")):
                if not ref.startswith("data:"):
                    refer(url, ref)
        elif url.endswith("sitemap.xml"):
            for loc in lxml.etree.fromstring(body).iter("{*}loc"):
                refer(url, loc.text)

    for url, code in status.items():
        if code != 200:
            broken.setdefault(f"{code} {url}", []).extend(refs.get(url, ["(seed)"]))
    for page, target, fragment in fragments:
        if status.get(target) == 200 and target in ids and fragment not in ids[target]:
            broken.setdefault(f"no #{fragment} on {target}", []).append(page)
    pages = {u for u in ids}
    return broken, pages


def test_every_internal_reference_resolves(site_dir, base_url):
    built = sorted(p.relative_to(site_dir).parent.as_posix() for p in site_dir.rglob("index.html"))
    seeds = [base_url, base_url + "sitemap.xml", base_url + "404.html"]
    seeds += [base_url + path for path in SCRIPT_LOADED]
    seeds += [base_url + ("" if rel == "." else rel + "/") for rel in built]
    broken, pages = crawl(base_url, list(dict.fromkeys(seeds)))
    lines = [f"{what}  (from {', '.join(sorted(set(where))[:3])})" for what, where in sorted(broken.items())]
    assert not broken, f"{len(broken)} broken reference(s):\n" + "\n".join(lines)
    assert len(pages) >= len(built), "the crawler saw fewer pages than were built"


def test_no_hidden_files_in_the_site(site_dir):
    """actions/upload-pages-artifact (v4 on) leaves out files whose name starts with a dot: none may be needed."""
    hidden = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob(".*"))
    assert not hidden, hidden


def test_the_crawler_reports_what_is_broken(tmp_path, server):
    """The crawler itself, on a tiny site with one of each kind of breakage (so a green crawl means something)."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><body id="top"><a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#nowhere">frag</a>'
        '<a href="missing/">page</a><img src="img.png"><script src="/elsewhere.js"></script>'
        '<link rel="stylesheet" href="s.css"><a href="javascript:alert(1)">js</a>'
        '<a href="https://example.org/">external</a></body></html>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<html><body><p id="here">x</p></body></html>', encoding="utf-8")
    (site / "s.css").write_text("body{background:url(bg.png)}", encoding="utf-8")
    base = server.mount("crawler-selftest", site)
    broken, pages = crawl(base, [base])
    assert sorted(broken) == sorted([
        f"no #nowhere on {base}a/", f"404 {base}missing/", f"404 {base}img.png",
        f"404 {base.split('/crawler-selftest/')[0]}/elsewhere.js", f"404 {base}bg.png",
        "javascript URL 'javascript:alert(1)'",
    ])
    assert pages == {base, base + "a/"}
