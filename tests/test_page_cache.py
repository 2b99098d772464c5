"""An agency's pages kept from the last build into the same folder (render/page_cache.py): a second build
renders none, a changed record renders only its agency's, a page changed on disk is rendered again, and
what is kept is the same bytes as a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nianbao.dataset import load_dataset
from nianbao.render import docs as D
from nianbao.render import pages, shards

FIXTURES = Path(__file__).parent / "fixtures" / "records"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def records(root: Path) -> Path:
    shutil.copytree(FIXTURES, root / "data" / "records", ignore=shutil.ignore_patterns("agencies.yaml"))
    shutil.copyfile(FIXTURES / "agencies.yaml", root / "data" / "agencies.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root / "data" / "records"


def _build(docs: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """build_docs as `nianbao build` calls it; the agencies whose report pages it rendered."""
    rendered: list[str] = []
    real = pages.render_report

    def counted(report, *args, **kwargs):
        rendered.append(report.agency.id)
        return real(report, *args, **kwargs)

    monkeypatch.setattr(pages, "render_report", counted)
    D.build_docs(load_dataset(hold_back=False), docs, site_url="https://example.org/", version_token=shards.VERSION_TOKEN)
    monkeypatch.setattr(pages, "render_report", real)
    return sorted(set(rendered))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_agencies_are_kept_and_equal_a_fresh_build(records: Path, root: Path, monkeypatch) -> None:
    docs = root / "build" / "docs"
    agencies = sorted(p.name for p in records.iterdir() if p.is_dir())
    assert _build(docs, monkeypatch) == agencies
    assert _build(docs, monkeypatch) == []  # nothing changed: every agency kept

    record = records / "fujian-pingtan" / "2019.yaml"
    text = record.read_text(encoding="utf-8")
    assert "  licensing:\n    previous_items: null\n    change: null\n    decisions: null\n" in text
    record.write_text(text.replace("  licensing:\n    previous_items: null\n    change: null\n    decisions: null\n",
                                   "  licensing:\n    previous_items: null\n    change: null\n    decisions: 4321\n"),
                      encoding="utf-8")
    assert _build(docs, monkeypatch) == ["fujian-pingtan"]  # the corrected report's agency only
    page = docs / pages.report_path(next(r for r in load_dataset().reports
                                         if r.agency.id == "fujian-pingtan" and r.year == 2019)) / "index.md"
    assert "4,321" in page.read_text(encoding="utf-8")

    other = docs / "agencies" / "henan-pingqiao-minzheng" / "index.md"
    other.write_text(other.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    _build(docs, monkeypatch)
    assert "edited by hand" not in other.read_text(encoding="utf-8")  # a kept page not as left: rendered again

    fresh = root / "build" / "fresh"
    assert _build(fresh, monkeypatch) == agencies  # another folder: its own record, nothing kept
    assert _tree(docs) == _tree(fresh)
