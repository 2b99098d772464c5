"""The search index in buckets (render/search.py): real Pagefind runs over small sites of agency and report
pages, split, merged by the browser's manifest, re-indexed only where pages changed."""

from __future__ import annotations

import filecmp
import gzip
import json
import shutil
from pathlib import Path

import pytest

from nianbao.errors import InputError
from nianbao.render import search

VERSION = "384a5baaa5ee"


def _page(title: str, text: str, version: str = VERSION) -> str:
    return (f'<!doctype html><html lang="zh"><head><title>{title}</title></head><body><main data-pagefind-body>'
            f'<h1>{title}</h1><p>{text}</p><p class="nb-terms" aria-hidden="true">{title.split()[0]} 民政</p></main><div data-pagefind-ignore="all"><p>nianbao 政府信息公开年报数据整理，'
            f'数据版本 {version}，本站</p></div></body></html>')


def _site(root: Path, agencies: int = 12) -> Path:
    """Agency pages with two reports each, as the build lays them out under agencies/; a page outside."""
    site = root / "site"
    for i in range(agencies):
        unit = site / "agencies" / f"agency-{i:02d}"
        unit.mkdir(parents=True)
        (unit / "index.html").write_text(_page(f"第{i}号民政局", f"机构 agency{i} 的页面"), encoding="utf-8")
        for year in (2021, 2022):
            (unit / str(year)).mkdir()
            (unit / str(year) / "index.html").write_text(
                _page(f"第{i}号民政局 {year} 年度报告", f"本年度收到行政复议 report{i}y{year} 申请"), encoding="utf-8")
    (site / "about").mkdir()
    (site / "about" / "index.html").write_text(_page("关于", "not indexed"), encoding="utf-8")
    return site


def _fragments(bundle: Path) -> list[dict]:
    out = []
    for path in sorted(bundle.glob("fragment/*")):
        data = gzip.decompress(path.read_bytes())
        out.append(json.loads(data[data.index(b"{"):]))
    return out


def _urls_by_bucket(site: Path) -> list[set[str]]:
    """Each bucket's pages, without the page of words every bucket of several holds."""
    bundle = site / search.BUNDLE
    merge = json.loads((bundle / search.MANIFEST).read_text(encoding="utf-8"))["merge"]
    found = [{f["url"] for f in _fragments(bundle / d)} for d in ["", *merge]]
    assert all((f"/{search.WORDS_PAGE}/" in urls) == bool(merge) for urls in found)
    return [urls - {f"/{search.WORDS_PAGE}/"} for urls in found]


def test_the_pages_are_split_into_buckets_each_agency_whole(tmp_path):
    site = _site(tmp_path)
    assert search.index_site(site, per_index=10) == [0, 1, 2, 3]  # 36 pages, 10 a bucket
    buckets = _urls_by_bucket(site)
    assert len(buckets) == 4 and all(buckets)
    every = [u for b in buckets for u in b]
    assert len(every) == len(set(every)) == 36  # each page in one bucket, the page outside agencies/ in none
    for i in range(12):  # an agency's page and its reports share a bucket
        assert sum(f"/agencies/agency-{i:02d}/" in b for b in buckets) == 1
        k = search.unit_bucket(site, f"agencies/agency-{i:02d}", per_index=10)
        unit = f"/agencies/agency-{i:02d}/"
        assert {unit, f"{unit}2021/", f"{unit}2022/"} <= buckets[k]
    bundle = site / search.BUNDLE
    assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind.js").is_file()
    for k in range(1, 4):  # the other buckets: their index only, Pagefind's scripts come from bucket 0's
        names = sorted(p.name for p in (bundle / str(k)).iterdir())
        assert "pagefind-entry.json" in names and any(n.endswith(".pf_meta") for n in names), names
        assert not [n for n in names if n.endswith((".js", ".css")) or n.startswith("wasm")], names
        entry = json.loads((bundle / str(k) / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["zh"]["page_count"] == len(buckets[k]) + 1  # and the page of words


def test_every_bucket_knows_every_name(tmp_path):
    """Each bucket indexes, at weight 0, every word of every page's search-terms line (Pagefind drops from
    a query the words its index lacks: "平潭" would find every page of words starting with 平)."""
    site = _site(tmp_path)
    for i in (3, 7):
        page = site / "agencies" / f"agency-{i:02d}" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</h1>", f'</h1><p class="nb-terms">潭{i} 平潭{i}</p>'),
                        encoding="utf-8")
    words = search.vocabulary(site, [p for b in search.plan_buckets(site, 10) for p in b])
    assert {"平潭3", "平潭7", "潭3", "潭7", "第3号民政局", "民政"} <= set(words) and len(words) == len(set(words))
    search.index_site(site, per_index=10)
    for bundle in [site / "pagefind", *sorted(p for p in (site / "pagefind").iterdir() if p.name.isdigit())]:
        words = next(f for f in _fragments(bundle) if f["url"] == f"/{search.WORDS_PAGE}/")
        assert {"平潭3", "潭3", "平潭7"} <= set(words["content"].replace("\u200b", "").split()), words["content"]


def test_one_bucket_when_the_site_is_small(tmp_path):
    site = _site(tmp_path, agencies=3)
    assert search.index_site(site) == [0]
    assert json.loads((site / "pagefind" / search.MANIFEST).read_text(encoding="utf-8")) == {"merge": []}
    assert len(_urls_by_bucket(site)[0]) == 9


def test_a_correction_reindexes_only_its_agencys_bucket(tmp_path):
    site = _site(tmp_path)
    assert search.index_site(site, per_index=10) == [0, 1, 2, 3]
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert search.index_site(site, per_index=10) == []  # nothing changed: every bucket linked in again
    for page in (site / "agencies").rglob("index.html"):  # a correction changes the data version every page cites
        page.write_text(page.read_text(encoding="utf-8").replace(VERSION, "0123456789ab"), encoding="utf-8")
    page = site / "agencies" / "agency-05" / "2022" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("report5y2022", "corrected5"), encoding="utf-8")
    k = search.unit_bucket(site, "agencies/agency-05", per_index=10)
    assert search.index_site(site, per_index=10) == [k]
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    bucket = f"pagefind/{k}/" if k else "pagefind/"
    changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    assert changed and all(rel.startswith(bucket) and (k or rel.count("/") == 2) for rel in changed), changed
    texts = [f["content"] for f in _fragments(site / "pagefind" / (str(k) if k else ""))]
    assert any("corrected5" in t for t in texts) and not any("report5y2022" in t for t in texts)


def test_the_same_pages_give_the_same_bytes(tmp_path):
    one = _site(tmp_path / "one")
    other = tmp_path / "other" / "site"
    shutil.copytree(one, other)
    search.index_site(one, per_index=10)
    search.index_site(other, per_index=10, cache=tmp_path / "elsewhere")
    cmp = filecmp.dircmp(one / "pagefind", other / "pagefind")
    stack, diffs = [cmp], []
    while stack:
        c = stack.pop()
        diffs += c.left_only + c.right_only + c.diff_files
        stack += c.subdirs.values()
    assert not diffs


def test_a_site_without_indexed_pages_fails_loudly(tmp_path):
    (tmp_path / "site" / "about").mkdir(parents=True)
    with pytest.raises(InputError, match="nothing to index: no page under agencies/"):
        search.index_site(tmp_path / "site")
