"""What a chart page costs a first-time visitor, measured in Chromium: bytes transferred, assets included.

    python scripts/page_weight.py build/site [agencies/<id>/] [--gzip]

The site is served from 127.0.0.1, with gzip for text files when `--gzip` is given (as GitHub Pages
and most static hosts serve them), else uncompressed. A cold cache; the page is done when every chart
is drawn and the network is idle. The count is Chromium's own (CDP Network.loadingFinished
encodedDataLength: bodies as sent plus headers).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import sys
import threading
from pathlib import Path

COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".xml")
CHROMIUM = "/usr/bin/chromium"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; text ones gzipped when the server is told to and the browser accepts it."""

    gzip_text = False

    def send_head(self):  # noqa: ANN201 (the stdlib's signature)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.gzip_text and path.suffix in COMPRESSED and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a page closed mid-transfer is not an error here


def serve(site: Path, gzip_text: bool) -> _Server:
    handler = type("Handler", (_Handler,), {"gzip_text": gzip_text})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def first_visit(browser, url: str) -> dict:
    """Open `url` in a fresh context (cold cache) and count what Chromium transferred until every chart
    is drawn and the network is idle: total bytes, and bytes and requests per resource."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url, wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.nb-chart')].every(e => e.querySelector('.main-svg'))",
                           timeout=30_000)
    page.wait_for_load_state("networkidle")
    per_url = {urls.get(rid, rid): n for rid, n in sizes.items()}
    context.close()
    return {"url": url, "bytes": sum(per_url.values()), "requests": len(per_url),
            "largest": sorted(per_url.items(), key=lambda kv: -kv[1])[:5]}


def chart_page_first_visit(site: Path, path: str | None = None, gzip_text: bool = True) -> dict:
    """The first visit of an agency page of the built `site` (the first one with charts, unless `path`)."""
    from playwright.sync_api import sync_playwright

    if path is None:
        path = next((p.parent.relative_to(site).as_posix() + "/" for p in sorted(site.glob("agencies/*/index.html"))
                     if 'class="nb-chart"' in p.read_text(encoding="utf-8")), None)
        if path is None:
            raise FileNotFoundError(f"{site}: no agency page with a chart")
    server = serve(site, gzip_text)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                result = first_visit(browser, f"http://127.0.0.1:{server.server_address[1]}/{path}")
            finally:
                browser.close()
    finally:
        server.shutdown()
    return {**result, "gzip": gzip_text, "kb": result["bytes"] / 1024}


def chart_page_weight(site: Path) -> dict:
    """For the benchmark: the first visit of the built site's first agency page with charts, served
    gzipped; {"error": …} instead of raising (the browser run must not hide the other figures)."""
    try:
        return chart_page_first_visit(site, gzip_text=True)
    except Exception as exc:  # noqa: BLE001 (reported, not raised)
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("site", type=Path)
    p.add_argument("path", nargs="?", help="the page, relative to the site (default: the first agency page with charts)")
    p.add_argument("--gzip", action="store_true", help="serve text files gzipped, as static hosts do")
    args = p.parse_args(argv)
    print(json.dumps(chart_page_first_visit(args.site, args.path, args.gzip), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
