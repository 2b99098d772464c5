"""The site's search index: Pagefind, one index per bucket of agencies, merged in the browser.

Pagefind holds every page it indexes in memory until it writes its index: 3.7 GB for one run over the
12,000 pages of 10,000 realistic reports with their prose, 0.86 GB without it (SCALING.md). The indexed pages (agency and report pages,
all under agencies/) are therefore split into buckets of at most about PAGES_PER_INDEX pages, cut from
the agency folders in the order of a hash of their names (an agency's page and its reports share a
bucket; a correction moves no page), and Pagefind indexes one bucket after another: the build's peak is
one bucket's, whatever the size of the site. Bucket 0 is written to site/pagefind/ with Pagefind's
scripts; bucket k to site/pagefind/k/ (its index only), listed in site/pagefind/nb-indexes.json, which
the site script (site.js) hands to Pagefind's UI as `mergeIndex`: one query searches every bucket.

Each bucket's index is kept beside the site (`<site>/../search-index/<k>/`) with a digest of what it
was made from (its pages' paths and bytes, the data version left out: every page cites it, Pagefind
ignores it): a bucket whose pages did not change is linked into the site again, not indexed again, so a
correction re-indexes only its agency's bucket. The output depends on the pages alone, so a site
assembled from shard jobs gets the same bytes as the one-machine build (tests/test_shard_jobs.py).
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import InputError
from .shardjobs import link_tree

BUNDLE = "pagefind"  # the site folder of Pagefind's scripts and bucket 0's index
MANIFEST = "nb-indexes.json"  # in BUNDLE: the other buckets' folders, relative to it
CACHE = "search-index"  # beside the site: each bucket's index and its digest
INDEXED_ROOT = "agencies"  # every page with data-pagefind-body is under it (tests/test_site_build.py)
# Pagefind's peak resident memory, measured on realistic pages whose prose is not indexed (pages.py;
# SCALING.md): 472 MB for 6,000 pages, 860 MB for 12,000 (10,000 reports), so ~0.065 MB a page (it was
# 0.31 with the prose): ~1.1 GB for a bucket of 15,000. Each further bucket adds a chunk of index a
# query word, and its page of words, to a query's download: fewer, larger buckets fetch less.
PAGES_PER_INDEX = 15000
INDEX_PARTS = ("pagefind-entry.json", "index", "fragment", "filter")  # a merged bucket's files (+ *.pf_meta)
_TERMS = re.compile(rb'<p class="nb-terms"[^>]*>([^<]*)</p>')
# Pagefind leaves out of a query the words its index does not hold: a bucket without 平潭's pages has no
# word 潭, and would answer "平潭" with every page that has a word starting with 平, ranked among the
# right bucket's results. So every bucket also indexes one page holding every word of every page's
# search-terms line, at weight 0: each bucket then knows every name's pieces, and answers only with
# pages that hold them all. site.js hides that page's results (always last: they score 0).
WORDS_PAGE = "nb-search-words"
_VERSION = re.compile(rb"\xe6\x95\xb0\xe6\x8d\xae\xe7\x89\x88\xe6\x9c\xac ([0-9a-f]{8,64})")  # 数据版本 <digest>


def indexed_pages(site: Path) -> dict[str, list[str]]:
    """The pages Pagefind may index, by agency folder: {"agencies/<id>": [relative HTML paths]}."""
    units: dict[str, list[str]] = {}
    root = site / INDEXED_ROOT
    for top, dirs, files in os.walk(root):
        dirs.sort()
        rel = Path(top).relative_to(site).as_posix()
        parts = rel.split("/")
        if len(parts) >= 2:
            units.setdefault("/".join(parts[:2]), []).extend(f"{rel}/{f}" for f in sorted(files) if f == "index.html")
    return {u: pages for u, pages in sorted(units.items()) if pages}


def bucket_count(pages: int, per_index: int = PAGES_PER_INDEX) -> int:
    return max(1, math.ceil(pages / per_index))


def _unit_key(unit: str) -> bytes:
    return hashlib.sha256(unit.encode()).digest()


def plan_buckets(site: Path, per_index: int = PAGES_PER_INDEX) -> list[list[str]]:
    """The buckets' pages (relative HTML paths), bucket 0 first: the agency folders in the order of a hash
    of their names, cut into runs of about equal numbers of pages, at most `per_index` each but for an
    agency's last pages. A correction moves no page (a new agency moves the cuts: the buckets
    whose pages changed are indexed again)."""
    units = sorted(indexed_pages(site).items(), key=lambda item: _unit_key(item[0]))
    total = sum(len(p) for _, p in units)
    n = bucket_count(total, per_index)
    buckets: list[list[str]] = [[]]
    done = 0
    for _unit, pages in units:
        if done >= len(buckets) * total / n and buckets[-1]:
            buckets.append([])
        buckets[-1].extend(pages)
        done += len(pages)
    return buckets


def vocabulary(site: Path, pages: list[str]) -> list[str]:
    """Every word of the pages' search-terms lines (terms.py: names, places, template terms and their
    pieces), each once, sorted."""
    words: set[str] = set()
    for rel in pages:
        for line in _TERMS.findall((site / rel).read_bytes()):
            words.update(html.unescape(line.decode("utf-8")).split())
    return sorted(words)


def _words_page(words: list[str]) -> str:
    """The page of words every bucket indexes (weight 0: it scores nothing, so it comes last)."""
    line = " ".join(html.escape(w) for w in words)
    return (f'<!doctype html><html lang="zh"><head><title>{WORDS_PAGE}</title></head><body><main data-pagefind-body>'
            f'<p data-pagefind-weight="0">{line}</p></main></body></html>\n')


def _data_version(site: Path, pages: list[str]) -> bytes | None:
    """The data version the pages cite (the same in all of them), or None."""
    for rel in pages[:1]:
        found = _VERSION.search((site / rel).read_bytes())
        return found.group(1) if found else None
    return None


def _digest(site: Path, pages: list[str], k: int, n: int, version: bytes | None, words: str) -> str:
    h = hashlib.sha256(f"pagefind {importlib.metadata.version('pagefind')}\0{k}/{n}\n{words}".encode())
    for rel in pages:
        data = (site / rel).read_bytes()
        h.update(f"{rel}\0".encode() + (data.replace(version, b"") if version else data) + b"\0")
    return h.hexdigest()


def _pagefind(site: Path, pages: list[str], out: Path, stage: Path, words: str) -> None:
    """Pagefind over these pages only (linked into `stage` under their own paths: their URLs) and the
    words page, indexed into `out`."""
    for d in (stage, out):
        if d.exists():
            shutil.rmtree(d)
    (stage / WORDS_PAGE).mkdir(parents=True)
    if words:
        (stage / WORDS_PAGE / "index.html").write_text(words, encoding="utf-8")
    for rel in pages:
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / rel, stage / rel)
        except OSError:
            shutil.copy2(site / rel, stage / rel)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(stage), "--output-path", str(out), "--silent"]
    try:
        subprocess.run(cmd, check=True)
    finally:
        shutil.rmtree(stage)


def index_site(site: Path, per_index: int = PAGES_PER_INDEX, cache: Path | None = None) -> list[int]:
    """Index the site's pages, bucket by bucket (only those whose pages changed since the index kept in
    `cache` was made); put every bucket's index in the site. The buckets indexed anew."""
    site = Path(site)
    cache = cache or site.parent / CACHE
    buckets = plan_buckets(site, per_index)
    if not buckets[0]:
        raise InputError(f"nothing to index: no page under {INDEXED_ROOT}/ (build the site with reports, or --no-search)", site)
    every = [p for b in buckets for p in b]
    version = _data_version(site, every)
    known = vocabulary(site, every) if len(buckets) > 1 else []  # one index holds every word already
    words = _words_page(known) if known else ""
    indexed = []
    for k, pages in enumerate(buckets):
        where = cache / str(k)
        digest = _digest(site, pages, k, len(buckets), version, words)
        stamp = where / "digest"
        if not (stamp.exists() and stamp.read_text(encoding="utf-8") == digest and (where / "out").is_dir()):
            stamp.unlink(missing_ok=True)
            _pagefind(site, pages, where / "out", cache / "stage", words)
            stamp.write_text(digest, encoding="utf-8")
            indexed.append(k)
    for stale in cache.iterdir() if cache.is_dir() else []:
        if stale.name.isdigit() and int(stale.name) >= len(buckets):
            shutil.rmtree(stale)
    _put_in_site(site, cache, len(buckets))
    return indexed


def unit_bucket(site: Path, unit: str, per_index: int = PAGES_PER_INDEX) -> int:
    """The bucket an agency folder (`agencies/<id>`) is indexed in, in this site's plan (site/pagefind/k/)."""
    for k, pages in enumerate(plan_buckets(site, per_index)):
        if any(p.startswith(f"{unit}/") for p in pages):
            return k
    raise KeyError(f"{unit}: no indexed page in {site}")


def _put_in_site(site: Path, cache: Path, n: int) -> None:
    """site/pagefind/ = bucket 0's output (scripts and index); site/pagefind/k/ = bucket k's index."""
    bundle = site / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    link_tree(cache / "0" / "out", bundle)
    for k in range(1, n):
        link_tree(cache / str(k) / "out", bundle / str(k))
        for name in sorted(os.listdir(bundle / str(k))):  # Pagefind's scripts: loaded from bucket 0's only
            if not (name in INDEX_PARTS or name.endswith(".pf_meta")):
                path = bundle / str(k) / name
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    manifest = {"merge": [f"{k}/" for k in range(1, n)]}
    (bundle / MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
