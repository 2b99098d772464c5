"""The HTTP client of `nianbao fetch` against a server on 127.0.0.1: redirects, retries, robots.txt,
limits, and the cache that makes a re-run (or the rest of an interrupted run) download nothing."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from nianbao import paths
from nianbao.fetch import fetch_sites
from nianbao.fetch.client import Client, FetchError
from nianbao.fetch.crawl import Settings, Site
from nianbao.ingest import Options, ingest_files

from .fetch_site import COLUMN, SITES, Server, serve

REPORT = COLUMN + "202302/t20230220_80629.htm"
PAGE = (200, {"Content-Type": "text/html; charset=utf-8"}, (SITES / "zfxxgknb/202302/t20230220_80629.htm").read_bytes())


def _server(pages: dict, **kw):
    server = Server(pages=pages, **kw)
    httpd = serve(server)
    return server, httpd


@pytest.fixture
def site():
    robots = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    server, httpd = _server({
        "/robots.txt": robots, REPORT: PAGE,
        "/loop": (302, {"Location": "/loop2"}, b""), "/loop2": (302, {"Location": "/loop"}, b""),
        "/to-private": (301, {"Location": "/private/page.htm"}, b""),
        "/down": (503, {"Content-Type": "text/html"}, b"busy"),
        "/stream.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF" + b"0" * 5000),
    }, no_length={"/stream.pdf"})
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def client(tmp_path: Path):
    client = Client(tmp_path / "cache", delay=0, backoff=0, retries=2, timeout=10)
    yield client
    client.close()


def test_redirect_loops_and_redirects_into_forbidden_paths_are_refused(site, client):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(site.url + "/loop", limit=10_000)
    with pytest.raises(FetchError, match="robots.txt forbids"):
        client.get(site.url + "/to-private", limit=10_000)
    with pytest.raises(FetchError, match="robots.txt forbids"):
        client.get(site.url + "/private/page.htm", limit=10_000)
    assert "/private/page.htm" in site.paths()  # reached by the redirect only, and its body not used
    assert site.paths().count("/private/page.htm") == 1


def test_a_server_error_is_retried_then_named(site, client):
    with pytest.raises(FetchError, match="HTTP 503"):
        client.get(site.url + "/down", limit=10_000)
    assert site.count("/down") == 3  # the request and its 2 retries


def test_a_body_without_length_is_cut_at_the_limit(site, client):
    with pytest.raises(FetchError, match="more than a download may be"):
        client.get(site.url + "/stream.pdf", limit=4096)
    assert len(client.get(site.url + "/stream.pdf", limit=8192).body) == 5004


def test_the_cache_answers_304s_and_a_body_cut_short_is_downloaded_again(site, client, tmp_path):
    first = client.get(site.url + REPORT, limit=2**23)
    again = client.get(site.url + REPORT, limit=2**23)
    assert first.downloaded and not again.downloaded and again.body == first.body
    assert again.retrieved == first.retrieved and again.status == 200  # when and how these bytes came
    assert [h.status for h in site.hits if h.path == REPORT] == [200, 304]
    body = client._paths(site.url + REPORT)[1]
    body.write_bytes(body.read_bytes()[:1000])  # a crash while writing it
    third = client.get(site.url + REPORT, limit=2**23)
    assert third.downloaded and third.body == first.body
    assert "If-None-Match" not in site.hits[-1].headers


def test_robots_txt_unreachable_forbids_and_missing_allows(tmp_path):
    for robots, allowed in (((500, {}, b""), False), ((404, {}, b""), True)):
        server, httpd = _server({"/robots.txt": robots, REPORT: PAGE})
        client = Client(tmp_path / "cache", delay=0, backoff=0, retries=1)
        try:
            assert client.allowed(server.url + REPORT) is allowed
        finally:
            client.close()
            httpd.shutdown()
            httpd.server_close()


def test_crawl_delay_in_robots_txt_is_obeyed(tmp_path, monkeypatch):
    import nianbao.fetch.client as client_module

    waits: list[float] = []
    monkeypatch.setattr(client_module, "_sleep", waits.append)
    server, httpd = _server({"/robots.txt": (200, {}, b"User-agent: nianbao\nCrawl-delay: 5\n"), REPORT: PAGE})
    client = Client(tmp_path / "cache", delay=1, backoff=0)
    try:
        client.get(server.url + REPORT, limit=2**23)
        client.get(server.url + REPORT, limit=2**23)
    finally:
        client.close()
        httpd.shutdown()
        httpd.server_close()
    assert len(waits) == 2 and all(4 < w <= 5 for w in waits)


def test_an_interrupted_run_resumes(site, tmp_path, monkeypatch):
    """A run stopped after downloading a report but before ingesting it: the next run gets a 304 for the
    page, takes the cached bytes and ingests them."""
    monkeypatch.setenv("NIANBAO_ROOT", str(tmp_path / "project"))
    importlib.reload(paths)
    try:
        client = Client(paths.BUILD / "fetch" / "cache", delay=0, backoff=0)
        client.get(site.url + REPORT, limit=2**23)  # the first run's download, then it stopped
        downloads = client.downloaded
        (found,) = fetch_sites([Site(url=site.url + REPORT)], client, Settings())
        client.close()
        assert found.status == "new" and found.key.endswith("/2022")
        assert client.downloaded == downloads and [h.status for h in site.hits if h.path == REPORT] == [200, 304]
        where = paths.source_meta_path(*found.key.split("/"))
        written = where.read_text(encoding="utf-8")
        assert "page_url:" in written and "SiteIDCode" in written
        # A later plain `nianbao ingest` of the same bytes keeps what fetch recorded.
        (outcome,) = ingest_files([next(where.parent.glob("2022.htm*"))], Options(jobs=1))
        def kept(text: str) -> dict:
            return {k: v for k, v in yaml.safe_load(text).items() if k != "original_name"}  # the raw copy's name

        assert outcome.status != "refused" and kept(where.read_text(encoding="utf-8")) == kept(written)
    finally:
        monkeypatch.undo()
        importlib.reload(paths)
