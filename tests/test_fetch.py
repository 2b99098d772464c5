"""`nianbao fetch` against the fixture site on 127.0.0.1 (tests/fetch_site.py): every report from 2019 on
found, older ones skipped with their reason, reports ingested with their provenance, failures named, a
re-run that downloads nothing (conditional requests, counted at the server), and the politeness rules
seen from the server's side."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from nianbao import paths
from nianbao.dataset import load_record
from nianbao.fetch import fetch_sites
from nianbao.fetch.client import Client
from nianbao.fetch.crawl import Settings, Site
from nianbao.ingest import Options, ingest_files
from nianbao.registry import load_agencies
from nianbao.render.pages import render_report

from .conftest import SAMPLES
from .fetch_site import BIG, COLUMN, GONGAN, SITES, Server, build_site, serve

LIMIT = 2 * 2**20  # the attachment limit of these tests (the big attachment is 3 MB)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from .test_readers import make_documents

    if make_documents.soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: `make test` installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed: the PDF attachment is printed by it")
    server = Server(build_site(tmp_path_factory.mktemp("site")))
    httpd = serve(server)
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def project(root: Path) -> Path:
    return root


def _fetch(sites: list[Site], delay: float = 0.0):
    client = Client(paths.BUILD / "fetch" / "cache", delay=delay, backoff=0.0, retries=2, timeout=10)
    try:
        found = fetch_sites(sites, client, Settings(max_bytes=LIMIT, jobs=1))
    finally:
        client.close()
    return found, client


def _source(key: str) -> dict:
    agency, year = key.split("/")
    return yaml.load(paths.source_meta_path(agency, int(year)).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def test_fetch_the_column_ingests_every_report_since_2019_with_its_provenance(site, project):
    site.hits.clear()
    site.fail_once.add(COLUMN + "202103/t20210305_80595.htm")
    found, client = _fetch([Site(url=site.url + COLUMN)])
    by_year: dict[int, list] = {}
    for f in found:
        by_year.setdefault(f.year, []).append(f)
    # Every report from 2019 on is found; what became of each, and why.
    assert sorted(y for y in by_year if y >= 2019) == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    status = {y: by_year[y][0].status for y in range(2019, 2026)}
    assert status == {2019: "new", 2020: "new", 2021: "new", 2022: "new",
                      2023: "failed", 2024: "failed", 2025: "failed"}
    assert by_year[2023][0].reason == "robots.txt forbids it"
    assert "HTTP 404" in by_year[2025][0].reason
    assert "more than a download may be (2 MB)" in by_year[2024][0].reason and "P020250310big.pdf" in by_year[2024][0].reason
    # Older reports, on both listing pages (the second one in GB2312), are listed and skipped unopened.
    old = [f for f in found if f.year and f.year < 2019]
    assert {f.year for f in old} == {2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018}
    assert all(f.status == "skipped" and f.reason.startswith("old template") for f in old)
    assert "平潭综合实验区地方税务局2013年信息公开年度报告" in {f.title for f in old}  # decoded from GB2312
    assert not any("关于2014年政府信息公开工作要点" in f.title for f in found)  # a letter, not a report
    assert not any(p.startswith(COLUMN + month) for month in ("201901/", "201801/", "201701/") for p in site.paths())
    # Each new report's provenance in source.yaml: the file's address, when, the HTTP answer, the meta tags.
    keys = {y: by_year[y][0].key for y in (2019, 2020, 2021, 2022)}
    assert len(set(keys.values())) == 4 and all(k.endswith(f"/{y}") for y, k in keys.items())
    meta = _source(keys[2022])
    assert meta["url"] == meta["page_url"] == site.url + COLUMN + "202302/t20230220_80629.htm"
    assert meta["retrieved"].endswith("Z") and meta["retrieved"][:4] >= "2026"
    assert meta["http"]["status"] == 200 and meta["http"]["etag"] and meta["http"]["last_modified"]
    assert meta["meta"] == {"SiteName": "平潭综合实验区党工委管委会", "SiteIDCode": "3590000001",
                            "ColumnName": "政府信息公开年报",
                            "ArticleTitle": "平潭综合实验区2022年度政府信息公开工作年度报告",
                            "PubDate": "2023-02-20 15:07"}  # ContentSource is empty on the page
    docx = _source(keys[2021])  # the page says 详见附件: the DOCX attachment is the source
    assert docx["format"] == "docx" and docx["url"].endswith("/202202/P020220208398475263987.docx")
    assert docx["page_url"].endswith("/202202/t20220208_80613.htm")
    assert _source(keys[2019])["url"].endswith("/t20200120_80576_1.htm")  # where the redirect led
    assert _source(keys[2020])["encoding"] == "gb18030"
    record = yaml.load((paths.RECORDS / f"{keys[2022]}.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert record["source"]["url"] == meta["url"] and record["year"] == 2022
    assert record["agency"]["evidence"][0]["source"] == "meta:ArticleTitle"
    # The report page shows where it came from: the address, the page's meta tags, when it was fetched.
    report = load_record(paths.RECORDS / f"{keys[2022]}.yaml")
    assert report.source.page_meta == meta["meta"]
    html, _ = render_report(report, load_agencies()[report.agency.id], [])
    assert f'href="{meta["url"]}"' in html and "平潭综合实验区党工委管委会" in html and "政府信息公开年报" in html
    assert meta["retrieved"][:10] in html and "获取日期" in html
    # Politeness as the server saw it.
    assert site.count("/robots.txt") == 1
    assert not any(p.startswith(COLUMN + "202403/") for p in site.paths())
    assert [h.status for h in site.hits if h.path == COLUMN + "202103/t20210305_80595.htm"] == [500, 200]
    assert all(h.headers["User-Agent"].startswith("nianbao/") and "+http" in h.headers["User-Agent"] for h in site.hits)
    assert site.count(COLUMN + "index_1.htm") == 1  # the TRS pagination (recordCount 20, 10 a page)
    assert site.count(COLUMN + "202503/P020250310big.pdf") == 1 and BIG > LIMIT
    assert len(site.hits) == client.requests + 2  # urllib3's retry of the 500, requests' hop of the 301
    # Requests per report: its page, and one per attachment; none for a report the listing dates before 2019.
    assert {y: by_year[y][0].requests for y in range(2016, 2026) if y != 2023} == {
        2016: 0, 2017: 0, 2018: 0, 2019: 1, 2020: 1, 2021: 3, 2022: 1, 2024: 2, 2025: 1}

    # A second run downloads nothing: every address is asked with its validators and answered 304.
    site.hits.clear()
    again, client = _fetch([Site(url=site.url + COLUMN)])
    assert [(f.url, f.status) for f in again if f.status == "new"] == []
    assert sorted(f.year for f in again if f.status == "unchanged") == [2019, 2020, 2021, 2022]
    assert client.downloaded == 0
    answered = [(h.path, h.status) for h in site.hits if h.status == 200]
    assert answered == [(COLUMN + "202503/P020250310big.pdf", 200)]  # refused again on its Content-Length
    assert {h.status for h in site.hits} == {200, 304, 301, 404}
    assert all("If-None-Match" in h.headers for h in site.hits if h.status == 304)


def test_a_report_page_from_sites_yaml_through_the_cli(site, project, capsys):
    from nianbao.cli import main

    sites = project / "sites.yaml"
    sites.write_text(yaml.safe_dump({"sites": [
        {"url": site.url + GONGAN + "202301/t20230109_80624.htm", "platform": "trs"}]}, allow_unicode=True),
        encoding="utf-8")
    code = main(["--root", str(project), "fetch", "--sites", str(sites), "--delay", "0", "--backoff", "0"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1 reports found: 1 new, 0 unchanged" in out
    (source,) = sorted(paths.RAW.glob("*/2022.source.yaml"))
    meta = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert meta["meta"]["ArticleTitle"] == "平潭综合实验区公安局2022年政府信息公开工作年度报告"
    assert meta["url"].endswith("/t20230109_80624.htm") and meta["http"]["status"] == 200
    assert "gongan" in source.parent.name


def test_from_the_disclosure_root_to_the_column(site, project):
    found, _ = _fetch([Site(url=site.url + "/zwgk/zfxxgk/")])
    assert {f.year for f in found if f.status == "new"} == {2019, 2020, 2021, 2022}


def test_a_store_holding_another_source_holds_the_report_back(site, project):
    """ingest's rule stands: a report whose record has another source (here the sample text of the same
    report) is held with ingest's reason, not replaced and not a crash."""
    (outcome,) = ingest_files([SAMPLES / "fujian-pingtan_2022.txt"], Options(agency_name="平潭综合实验区管委会", jobs=1))
    before = paths.raw_path(*outcome.key.split("/"), "txt").read_bytes()
    found, _ = _fetch([Site(url=site.url + COLUMN + "202302/t20230220_80629.htm")])
    assert [(f.status, f.key) for f in found] == [("held", outcome.key)]
    assert "another source" in found[0].reason or "holds" in found[0].reason, found[0].reason
    assert paths.raw_path(*outcome.key.split("/"), "txt").read_bytes() == before


def test_politeness_delay_between_requests_to_one_host(site, project, monkeypatch):
    import nianbao.fetch.client as client_module

    waits: list[float] = []
    monkeypatch.setattr(client_module, "_sleep", waits.append)
    _, client = _fetch([Site(url=site.url + GONGAN + "202301/t20230109_80624.htm")], delay=1.0)
    assert client.requests == 2  # robots.txt, then the page
    assert len(waits) == 1 and 0.5 < waits[0] <= 1.0


def test_an_attachment_that_does_not_say_its_agency_is_held_until_told(site, project, tmp_path):
    """A department's report attached as a DOCX whose text speaks as the department and names the 管委会
    (agency-uncertain): held with ingest's reason and the page's ArticleTitle as a hint, never a guess;
    `--agency` (or sites.yaml's agency) settles it, and the provenance is still recorded."""
    import docx

    from .fetch_site import _read, report_page
    from .test_identity import GONGAN as DEPARTMENT
    from .test_identity import as_department

    text = as_department((SAMPLES / "fujian-pingtan_2021.txt").read_text(encoding="utf-8"), DEPARTMENT)
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(tmp_path / "dept.docx")
    url = GONGAN + "202201/t20220110_90001.htm"
    site.pages[url] = (200, {"Content-Type": "text/html; charset=utf-8"}, report_page(
        _read(SITES / "zfxxgknb" / "202302" / "t20230220_80629.htm"), "90001", f"{DEPARTMENT}2021年政府信息公开工作年度报告",
        "2022-01-10 09:00", "<p>详见附件。</p>", '<li><a href="./P020220110dept.docx">附件</a></li>').encode("utf-8"))
    site.pages[GONGAN + "202201/P020220110dept.docx"] = (200, {}, (tmp_path / "dept.docx").read_bytes())
    (found,), _ = _fetch([Site(url=site.url + url)])
    assert found.status == "held" and found.reason.startswith("agency uncertain")
    assert f"nianbao fetch {site.url + url} --agency {DEPARTMENT}" in found.reason
    assert not list(paths.RAW.glob("*/2021.*"))
    (found,), client = _fetch([Site(url=site.url + url, agency_name=DEPARTMENT)])
    assert found.status == "new" and client.downloaded == 0  # the cached page and file, asked again (304)
    meta = _source(found.key)
    assert meta["url"].endswith("/P020220110dept.docx") and meta["meta"]["ArticleTitle"].startswith(DEPARTMENT)


def test_pages_without_a_report_are_skipped_with_their_reason(site, project):
    from .fetch_site import _read, report_page

    template = _read(SITES / "zfxxgknb" / "202302" / "t20230220_80629.htm")
    title = "平潭综合实验区{}年度政府信息公开工作年度报告"
    site.pages[COLUMN + "202401/t20240110_90002.htm"] = (200, {}, report_page(
        template, "90002", title.format(2023), "2024-01-10 09:00", "<p>报告正在编制中。</p>").encode("utf-8"))
    site.pages[COLUMN + "202401/t20240110_90003.htm"] = (200, {}, report_page(
        template, "90003", title.format(2023), "2024-01-10 09:00", "<p>详见附件。</p>",
        '<li><a href="./P020240110.wps">附件</a></li>').encode("utf-8"))
    site.pages[COLUMN + "202401/P020240110.wps"] = (200, {}, b"\xd0\xcf\x11\xe0" + b"\0" * 2000)
    found, _ = _fetch([Site(url=site.url + COLUMN + f"202401/t20240110_{n}.htm") for n in (90002, 90003)])
    (wps,) = paths.BUILD.glob("fetch/files/*/P020240110.wps")  # kept, to be converted by hand
    assert wps.read_bytes() == site.pages[COLUMN + "202401/P020240110.wps"][2]
    assert [(f.status, f.reason) for f in found] == [
        ("skipped", "not a report: no report tables on the page and no attachment"),
        ("skipped", f"only WPS attachments, which nianbao does not read (convert to DOCX or PDF: {wps})")]
    assert not paths.RAW.exists() or not any(paths.RAW.iterdir())
