"""`nianbao build --engine zensical` against the default MkDocs: the sample site's pages are the same pages,
with the same links, figures and chart data, and Pagefind indexes the same pages in both."""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from lxml import html

from tests.test_site_build import REPO, _build, _make_root

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                                 reason="zensical is not installed (pip install -e '.[zensical]')")]


def _page(path: Path) -> tuple[list[str], int, list[str]]:
    """(the links of the page's content, its figures, its charts' data)."""
    root = html.parse(str(path)).getroot()
    content = (root.xpath("//article") or [root])[0]
    return (sorted(set(content.xpath(".//a/@href"))), len(content.xpath('.//figure[contains(@class, "nb-figure")]')),
            [s.text for s in content.xpath('.//script[contains(@class, "nb-chart-data")]')])


def _indexed(site: Path) -> list[str]:
    out = []
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        out.append(json.loads(data[data.index(b"{"):])["url"])
    return sorted(out)


def test_zensical_builds_the_same_pages_links_and_figures_as_mkdocs(tmp_path):
    root = _make_root(tmp_path / "engines")
    for path in sorted((REPO / "data" / "records").glob("*/*.yaml")):
        target = root / "data" / "records" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    _build(root, "--build-dir", str(tmp_path / "mk"))
    _build(root, "--engine", "zensical", "--build-dir", str(tmp_path / "zen"))
    mk, zen = tmp_path / "mk" / "site", tmp_path / "zen" / "site"
    pages = sorted(p.relative_to(mk).as_posix() for p in mk.rglob("*.html"))
    assert pages == sorted(p.relative_to(zen).as_posix() for p in zen.rglob("*.html"))
    assert len(pages) > 50
    figures = 0
    for rel in pages:
        if rel == "404.html":  # its link home is "/" in one, "/." in the other
            continue
        assert _page(mk / rel) == _page(zen / rel), rel
        figures += _page(mk / rel)[1]
    assert figures > 10
    assert _indexed(mk) == _indexed(zen) and len(_indexed(mk)) > 15
