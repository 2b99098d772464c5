"""Measurements for scripts/bench.py: process-tree memory, the built site's sizes, search in Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import statistics
import threading
import time
from pathlib import Path

# Memory: RSS of the whole process tree, sampled ---------------------------------------------------------


class TreeRss(threading.Thread):
    """Samples the summed RSS of this process and all its descendants (Linux /proc) every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self._halt = threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._halt.wait(0.2):
            parents: dict[int, int] = {}
            rss: dict[int, int] = {}
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as fh:
                        fields = fh.read().rsplit(b")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
                rss[int(entry.name)] = int(fields[21]) * page
            tree, frontier = {os.getpid()}, [os.getpid()]
            while frontier:
                pid = frontier.pop()
                kids = [p for p, pp in parents.items() if pp == pid and p not in tree]
                tree.update(kids)
                frontier += kids
            self.peak = max(self.peak, sum(rss.get(p, 0) for p in tree))

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def site_figures(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"))
    sizes = {p: p.stat().st_size for p in pages}
    reports = [s for p, s in sizes.items()  # not the source views beside them (src.html)
               if p.name == "index.html" and p.parent.name.isdigit() and p.parent.parent.parent.name == "agencies"]
    index = site / "pagefind"
    largest = max(sizes, key=sizes.get) if sizes else None
    return {
        "pages": len(pages),
        "site_mb": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20,
        "median_report_page_kb": statistics.median(reports) / 1024 if reports else None,
        "largest_page": [str(largest.relative_to(site)), sizes[largest] / 1024] if largest else None,
        "search_index_mb": sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 2**20
        if index.exists() else None,
    }


# Search in a real browser ----------------------------------------------------------------------------------


def search_in_browser(site: Path) -> dict:
    """Serve the site on 127.0.0.1 and, in headless Chromium with a cold cache, type a query into the header
    search: time to the first result, and bytes of /pagefind/ fetched. Queries, in turn until one finds
    something: an agency's county, its full name, a template term (the prose is not indexed: render/
    pages.py); the misses are reported."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"error": "playwright is not installed"}
    if not Path("/usr/bin/chromium").exists():
        return {"error": "no /usr/bin/chromium"}
    import yaml

    agencies = yaml.load((site.parent.parent / "data" / "agencies.yaml").read_text(encoding="utf-8"),
                         Loader=yaml.CSafeLoader)
    agency = agencies[len(agencies) // 2]
    queries = [agency["county"], agency["name"], "行政复议"]
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    misses = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            for query in queries:
                result = _query(browser, base, query)
                if result.get("first_result") is not None:
                    break
                misses.append(query)
            result["recall"] = _recall(browser, base, agencies[:: max(1, len(agencies) // 10)][:10])
            browser.close()
    except Exception as exc:  # the browser run must not hide the other figures
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
    finally:
        server.shutdown()
    if result.get("first_result") is None:
        return {"error": f"no query found anything: {misses}"}
    result["expected"] = agency["name"]
    result["misses"] = misses
    return result


def _recall(browser, base: str, agencies: list[dict]) -> dict:
    """Does a search for an agency's full name list that agency among the first results? (warm cache)"""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base, wait_until="load")
    box = page.wait_for_selector(".pagefind-ui__search-input", timeout=20000)
    missed = []
    for agency in agencies:
        box.fill(agency["name"])
        page.wait_for_function(
            """(q) => /未找到|找到|No results|results/.test(document.querySelector('.pagefind-ui__message')?.textContent || '')
                   && (document.querySelector('.pagefind-ui__message')?.textContent || '').includes(q)""",
            arg=agency["name"], timeout=20000,
        )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # the result list renders after the count message
        titles = page.locator(".pagefind-ui__result:not(:has(.nb-words))").all_inner_texts()[:5]  # not a bucket's page of words
        if not any(agency["name"] in t for t in titles):
            missed.append(agency["name"])
    context.close()
    return {"queries": len(agencies), "found": len(agencies) - len(missed), "missed": missed}


def _query(browser, base: str, query: str) -> dict:
    context = browser.new_context()  # a cold cache for each query
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
    page.goto(base, wait_until="load")
    box = page.wait_for_selector(".pagefind-ui__search-input", timeout=20000)
    start = time.perf_counter()
    box.fill(query)
    # Done when the first result shows its title (not Pagefind's ". . ." placeholder while its fragment
    # loads), or when the message says nothing was found (not "searching…").
    page.wait_for_function(
        """() => (document.querySelector('.pagefind-ui__result-link')?.textContent || '').trim()
              || /未找到|No results/.test(document.querySelector('.pagefind-ui__message')?.textContent || '')""",
        timeout=20000,
    )
    took = time.perf_counter() - start
    links = page.locator(".pagefind-ui__result:not(:has(.nb-words)) .pagefind-ui__result-link")
    first = links.first.inner_text().strip()[:80] if links.count() else None
    page.wait_for_load_state("networkidle")
    bodies = [(r.url, len(r.body())) for r in responses if r.ok]
    context.close()
    code = sum(n for url, n in bodies if url.endswith((".js", ".css")))
    return {"query": query, "first_result": first, "first_results_s": took,
            "index_kb": (sum(n for _, n in bodies) - code) / 1024, "ui_code_kb": code / 1024,
            "requests": len(bodies), "note": "uncompressed bodies (the test server does not gzip)"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a page closed mid-transfer (the browser context ends) is not an error here
