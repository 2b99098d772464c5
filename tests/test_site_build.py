"""The whole site built from the fixture records in a temporary root: pages, links, charts, safety, determinism."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "records"
SITE_URL = "https://example.org/nianbao/"

pytestmark = pytest.mark.slow


def _make_root(root: Path, with_records: bool = True) -> Path:
    (root / "data" / "records").mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    if with_records:
        for path in FIXTURES.glob("*/*.yaml"):
            target = root / "data" / "records" / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        shutil.copyfile(FIXTURES / "agencies.yaml", root / "data" / "agencies.yaml")
    return root


def _build(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    env.pop("NIANBAO_SITE_URL", None)
    cmd = [sys.executable, "-m", "nianbao.cli", "build", "--site-url", SITE_URL, "--no-store-check", *args]  # no raw files
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = _make_root(tmp_path_factory.mktemp("site"))
    proc = _build(root)
    assert "WARNING" not in proc.stderr
    return root / "build" / "site"


@pytest.fixture(scope="module")
def fixture_records() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*/*.yaml"))]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.attrs.extend((tag, k, v) for k, v in a.items())
        self.tags.append((tag, a))
        for key in ("href", "src"):
            if key in a and tag in ("a", "link", "script", "img"):
                self.refs.append(a[key])
        if tag == "script":
            self._script, self._text = a, ""

    def handle_data(self, data):
        if self._script is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, self._text))
            self._script = None


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_agency_and_report_has_its_page(site, fixture_records):
    for record in fixture_records:
        agency, year = record["agency"]["id"], record["year"]
        assert (site / "agencies" / agency / "index.html").exists()
        assert (site / "agencies" / agency / str(year) / "index.html").exists()
    for page in ("index.html", "regions/index.html", "compare/index.html", "quality/index.html",
                 "downloads/index.html", "methodology/index.html", "regions/zhejiangsheng/jiaxingshi/pinghushi/index.html"):
        assert (site / page).exists(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<strong>7</strong> 个机构" in home and "<strong>10</strong> 份报告" in home


def test_every_internal_link_and_asset_resolves(site):
    """Links are relative, so the site works under the project path of SITE_URL (GitHub Pages)."""
    base = urlparse(SITE_URL).path
    broken = []
    for html_file in sorted(site.rglob("*.html")):
        page_url = "/" + html_file.relative_to(site).as_posix()
        page_url = base.rstrip("/") + page_url
        for ref in _parse(html_file).refs:
            url = urlparse(urljoin(f"https://example.org{page_url}", ref))
            if url.scheme not in ("http", "https") or url.netloc != "example.org" or not ref or ref.startswith("#"):
                continue
            assert url.path.startswith(base), f"{html_file}: {ref} leaves the site's path"
            target = site / unquote(url.path[len(base):])
            if url.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(site)} → {ref}")
    assert not broken, broken[:20]


def test_no_request_leaves_the_site(site):
    for html_file in sorted(site.rglob("*.html")):
        page = _parse(html_file)
        for tag, a in page.tags:
            fetched = [a.get("src", "")]
            if tag == "link" and a.get("rel") not in ("canonical", "alternate", "prev", "next"):
                fetched.append(a.get("href", ""))
            for value in fetched:
                assert not urlparse(value).netloc, f"{html_file}: {tag} {value}"
    assert (site / "assets" / "nianbao" / "plotly.min.js").stat().st_size > 1_000_000
    for page in ("index.html", "agencies/fujian-pingtan/index.html"):
        assert "plotly.min.js" not in (site / page).read_text(encoding="utf-8")  # loaded on demand only


def test_the_site_ships_plotlys_basic_bundle_which_draws_every_chart(site):
    """Plotly's basic bundle (1.2 MB, not the full 4.8 MB) when node_modules has it, as `make site` installs;
    every trace the pages and the compare script draw is of a type it holds."""
    from nianbao.render.plotlyjs import BASIC, TRACE_TYPES

    bundle = site / "assets" / "nianbao" / "plotly.min.js"
    assert (REPO / BASIC).is_file(), "`make site` (npm install) installs the basic bundle"
    assert bundle.read_bytes() == (REPO / BASIC).read_bytes() and bundle.stat().st_size < 1_500_000
    types = set()
    for html_file in site.glob("agencies/**/index.html"):
        for attrs, text in _parse(html_file).scripts:
            if "nb-chart-data" in attrs.get("class", ""):
                types |= {trace["type"] for trace in json.loads(text)["data"]}
    scripts = " ".join(text for p in (site / "assets" / "nianbao").glob("*.js") if p != bundle
                       and "Plotly.react" in (text := p.read_text(encoding="utf-8")))  # traces written in the script
    # A trace literal: `{ type: "bar", x: …` or `{ type: "scatter", name: …, mode: …` (not a DOM element's
    # `{ type: "checkbox", name: …}` nor an axis's `{ type: "category", automargin: …`).
    types |= set(re.findall(r'\{\s*type: "(\w+)",\s*[^{}]*?\b(?:mode|x):', scripts))
    assert {"bar", "scatter"} <= types <= TRACE_TYPES


def test_chart_data_equal_the_records_numbers(site, fixture_records):
    page = _parse(site / "agencies" / "fujian-pingtan" / "index.html")
    figures = [json.loads(text) for attrs, text in page.scripts if "nb-chart-data" in attrs.get("class", "")]
    assert len(figures) == 4
    # Inside a <template>: Material's instant navigation re-creates inline scripts without their type.
    html_text = (site / "agencies" / "fujian-pingtan" / "index.html").read_text(encoding="utf-8")
    assert html_text.count('<template class="nb-chart-spec"><script type="application/json" class="nb-chart-data">') == 4
    records = sorted((r for r in fixture_records if r["agency"]["id"] == "fujian-pingtan"), key=lambda r: r["year"])
    traces = {t["name"]: t["y"] for t in figures[0]["data"]}
    assert traces["予以公开"] == [r["requests"]["granted"]["total"] for r in records]
    assert traces["部分公开"] == [r["requests"]["partly_granted"]["total"] for r in records]
    assert traces["新收申请"] == [r["requests"]["new_received"]["total"] for r in records]
    assert {t["name"]: t["y"] for t in figures[3]["data"]}["行政复议"] == [r["appeals"]["review"]["total"] for r in records]
    csv_text = (site / "downloads" / "charts" / "fujian-pingtan-requests.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[1].startswith(f"2019年,{records[0]['requests']['new_received']['total']},")
    report = _parse(site / "agencies" / "fujian-pingtan" / "2020" / "index.html")
    outcome = next(json.loads(t) for a, t in report.scripts if "nb-chart-data" in a.get("class", ""))
    assert outcome["data"][0]["x"][0] == records[1]["requests"]["granted"]["total"]
    # The report's chart links to the agency's requests CSV (every year), which holds its numbers.
    report_html = (site / "agencies" / "fujian-pingtan" / "2020" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../../downloads/charts/fujian-pingtan-requests.csv" download>' in report_html
    assert not (site / "agencies" / "fujian-pingtan" / "2020" / "outcomes.csv").exists()
    row = next(line.split(",") for line in csv_text.splitlines() if line.startswith("2020年,"))
    assert [int(v) if v else None for v in row[2:9]] == outcome["data"][0]["x"]


def test_hostile_record_renders_as_text(site):
    for page in ("agencies/test-hostile/index.html", "agencies/test-hostile/2021/index.html", "regions/zhejiangsheng/jiaxingshi/index.html"):
        html_text = (site / page).read_text(encoding="utf-8")
        parsed = _parse(site / page)
        for attrs, text in parsed.scripts:
            if attrs.get("type") == "application/json":  # data (a chart's names and sources), never run
                assert "<" not in text and "{{" not in text and json.loads(text), (page, attrs)
            else:
                assert "alert" not in text, (page, attrs)
        assert not [a for a in parsed.attrs if a[1].startswith("on")], page
        assert not [a for a in parsed.attrs if a[1] in ("href", "src") and a[2].lower().startswith("javascript")]
        assert "{{ 7*7 }}" not in html_text and "49测试局" not in html_text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text or "&lt;b&gt;平湖&lt;/b&gt;" in html_text
    title = (site / "agencies/test-hostile/2021/index.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
    assert "<" not in title


def test_numbers_stay_out_of_the_search_index_and_text_stays_in(site):
    html_text = (site / "agencies" / "zhejiang-pinghu-minzheng" / "2021" / "index.html").read_text(encoding="utf-8")
    assert html_text.count("data-pagefind-body") == 1
    assert 'class="nb-scroll" data-pagefind-ignore><table class="nb-tpl">' in html_text
    assert "最低生活保障" in html_text
    assert (site / "pagefind" / "pagefind-entry.json").exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert "zh" in entry["languages"] and entry["languages"]["zh"]["page_count"] == 17  # agencies + reports


def test_pagefind_is_given_every_page_that_asks_to_be_indexed(site):
    """Pagefind is given only the pages search.plan_buckets lists: every page with data-pagefind-body must be there."""
    from nianbao.render.search import plan_buckets

    bodies = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
              if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    given = {rel for bucket in plan_buckets(site) for rel in bucket}
    assert len(bodies) == 17 and set(bodies) <= given, sorted(set(bodies) - given)
    assert not [rel for rel in bodies if not rel.startswith("agencies/")]


def _assert_same_tree(site: Path, again: Path) -> None:
    def differences(cmp) -> list[str]:
        out = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            out += differences(sub)
        return out

    assert not differences(filecmp.dircmp(site, again))
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert all((site / n).read_bytes() == (again / n).read_bytes() for n in names)


def test_two_builds_are_byte_identical(site, tmp_path):
    root = _make_root(tmp_path / "again")
    _build(root)
    _assert_same_tree(site, root / "build" / "site")


def test_parallel_shard_build_equals_one_process(tmp_path):
    """--jobs 2 and 3 (MkDocs on shards side by side, assembled, one sitemap and one search index) write
    the same bytes as --jobs 1, for the fixtures plus the sample records (some agencies unregistered)."""
    root = _make_root(tmp_path / "shards")
    for path in sorted((REPO / "data" / "records").glob("*/*.yaml")):
        target = root / "data" / "records" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    _build(root, "--jobs", "1")
    one = tmp_path / "one"
    shutil.copytree(root / "build" / "site", one)
    for jobs in (("2",), ("3",), ("2", "--render-jobs", "2")):  # pages rendered in one process, or in two
        proc = _build(root, "--jobs", *jobs)
        assert "WARNING" not in proc.stderr
        site = root / "build" / "site"
        _assert_same_tree(one, site)
        assert not (root / "build" / "shards").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == sum(1 for _ in (root / "build" / "docs").rglob("*.md"))
    assert (site / "pagefind" / "pagefind-entry.json").exists()


def test_empty_data_builds_a_site_that_says_so(tmp_path):
    root = _make_root(tmp_path / "empty", with_records=False)
    _build(root, "--no-search")
    home = (root / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "还没有任何报告" in home and "<strong>0</strong> 份报告" in home


def test_only_one_region_builds_its_shard(tmp_path):
    root = _make_root(tmp_path / "shard")
    _build(root, "--only", "浙江省", "--no-search")
    agencies = sorted(p.name for p in (root / "build" / "site" / "agencies").iterdir())
    assert agencies == ["test-hostile", "zhejiang-jiaojiang-minzheng", "zhejiang-pinghu-minzheng"]
    regions = root / "build" / "site" / "regions"
    assert (regions / "zhejiangsheng" / "taizhoushi" / "jiaojiangqu" / "index.html").exists()
    assert not (regions / "fujiansheng").exists()
    assert "福建省" in (regions / "index.html").read_text(encoding="utf-8")  # shared pages cover the whole site
    # A shard for a parallel job: its own build dir, the expensive shared pages left to another job.
    _build(root, "--only", "福建省", "--no-search", "--no-shared", "--build-dir", str(tmp_path / "fj"))
    fj = tmp_path / "fj" / "site"
    assert sorted(p.name for p in (fj / "agencies").iterdir()) == ["fujian-pingtan"]
    assert "这一页正在制作中" in (fj / "compare" / "index.html").read_text(encoding="utf-8")
    assert "这一页正在制作中" not in (root / "build" / "site" / "compare" / "index.html").read_text(encoding="utf-8")
    pages = (fj / "agencies" / "fujian-pingtan", root / "build" / "site" / "agencies" / "zhejiang-pinghu-minzheng")
    nav = [(page / "index.html").read_text(encoding="utf-8").split('<nav class="md-tabs"')[1].split("</nav>")[0]
           for page in pages]
    assert nav[0] == nav[1]  # every shard renders the same navigation, so assembled pages agree
    proc = subprocess.run([sys.executable, "-m", "nianbao.cli", "build", "--only", "火星", "--no-store-check"], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "NIANBAO_ROOT": str(root)})
    assert proc.returncode == 2 and "火星" in proc.stderr


def test_a_mkdocs_warning_fails_the_build_loudly(tmp_path):
    """No content/ means no methodology page for the nav: strict mode must stop the build, saying why."""
    root = tmp_path / "broken"
    (root / "data" / "records").mkdir(parents=True)
    proc = subprocess.run([sys.executable, "-m", "nianbao.cli", "build", "--no-search"], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "NIANBAO_ROOT": str(root)})
    assert proc.returncode == 2
    assert "methodology.md" in proc.stderr and "mkdocs build failed" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "nianbao.cli", "build", "--no-search", "--jobs", "2"], capture_output=True,
                          text=True, cwd=REPO, env={**os.environ, "NIANBAO_ROOT": str(root)})
    assert proc.returncode == 2  # every shard is strict too
    assert "methodology.md" in proc.stderr and "mkdocs build failed" in proc.stderr
