"""The raw-file setting (`extra.nianbao` in mkdocs.yml, render/publish.py): on or off, a cap per file and a
budget for all, the largest left out first, each left-out file said plainly where it would be linked."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from nianbao import paths
from nianbao.dataset import load_dataset
from nianbao.errors import InputError
from nianbao.render import publish
from nianbao.render.publish import RawPolicy, read_policy, withheld
from nianbao.source_text import raw_file

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(root: Path) -> list:
    shutil.copytree(REPO / "data", root / "data")
    return [r for r in load_dataset(cache=False).reports if r.year is not None]


def test_the_defaults_and_a_wrong_value_named() -> None:
    assert read_policy({}) == RawPolicy(publish_raw=True, raw_max_mb=5.0, raw_budget_mb=100.0)
    assert read_policy({"extra": {"nianbao": {"publish_raw": False, "raw_budget_mb": 50}}}) == RawPolicy(False, 5.0, 50.0)
    for bad in ({"publish_raw": "no"}, {"raw_max_mb": "5 MB"}, {"raw_budget_mb": -1}, {"raw_max_mb": True}):
        with pytest.raises(InputError, match=f"extra.nianbao.{next(iter(bad))}: expected") as err:
            read_policy({"extra": {"nianbao": bad}})
        assert "mkdocs.yml" in str(err.value)


def test_the_budget_leaves_the_largest_files_out_first(store: list) -> None:
    sizes = {r.source.path: raw_file(r).stat().st_size for r in store}
    budget = sum(sorted(sizes.values())[:6]) + 1  # room for the six smallest, not the seventh
    rules = RawPolicy(raw_budget_mb=budget / publish.MB)
    kept = {r.source.path for r in store if not withheld(r, raw_file(r), rules)}
    assert len(kept) == 6 and max(sizes[k] for k in kept) <= min(sizes[k] for k in sizes if k not in kept)
    left = next(r for r in store if r.source.path not in kept)
    assert "合计不超过" in withheld(left, raw_file(left), rules)


def test_a_file_over_the_cap_is_not_published(store: list) -> None:
    biggest = max(store, key=lambda r: raw_file(r).stat().st_size)
    size = raw_file(biggest).stat().st_size
    rules = RawPolicy(raw_max_mb=(size - 1) / publish.MB)
    assert f"超过本站单个原始文件 {rules.raw_max_mb:g} MB 的上限" in withheld(biggest, raw_file(biggest), rules)
    assert all(not withheld(r, raw_file(r), rules) for r in store if r is not biggest)
    assert "publish_raw: false" in withheld(biggest, raw_file(biggest), RawPolicy(publish_raw=False))


def test_the_report_page_says_when_its_raw_file_is_not_published(store: list) -> None:
    from nianbao.registry import AgencyEntry
    from nianbao.render.pages import render_report
    from nianbao.render.source import View

    report = next(r for r in store if r.agency.id == "ningxia-zhongwei-minzheng")
    agency = AgencyEntry(id=report.agency.id, name=report.agency.name)
    shown, _ = render_report(report, agency, [], source=View({}, raw="2021.txt"))
    hidden, _ = render_report(report, agency, [], source=View({}, withheld="本站不发布原始文件（设置 publish_raw: false）"))
    facts = [lxml.html.fromstring(p.split("---\n", 2)[2]).xpath("//h2[@id='source']/following-sibling::dl")[0]
             for p in (shown, hidden)]
    assert facts[0].xpath(".//a[@download]/@href") == ["2021.txt"]
    assert not facts[1].xpath(".//a[@download]")
    text = facts[1].text_content()
    assert "本站不发布原始文件" in text and report.source.sha256 in text and "查看原文文本" in text
    assert paths.RAW.is_dir()
