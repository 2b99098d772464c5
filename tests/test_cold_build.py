"""A cold build (empty build/cache, as a fresh CI checkout) takes each source view's text from the store
(`<year>.text.txt`, written at ingest) and never runs a reader on a raw file; with `publish_raw: false`
it opens no raw file at all. A record ingested before texts were stored falls back to its raw file, and
the build says so once."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

from nianbao import paths

REPO = Path(__file__).resolve().parent.parent

_opened: list[str] | None = None  # while a test listens: every file the process opens


def _listen(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | Path):
        _opened.append(str(args[0]))


sys.addaudithook(_listen)  # an audit hook cannot be removed: it records only while _opened is a list


def _store_copy(root: Path, publish_raw: bool = True) -> Path:
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "    publish_raw: true\n" in text
    (root / "mkdocs.yml").write_text(text.replace("    publish_raw: true\n", f"    publish_raw: {str(publish_raw).lower()}\n"),
                                     encoding="utf-8")
    return root


def _cold_build(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Path]:
    """build_docs from the store into build/docs with no cache; the raw files it opened, and docs."""
    global _opened
    import nianbao.readers
    from nianbao.dataset import load_dataset
    from nianbao.render.site import build_docs

    def no_reader(*args, **kwargs):
        raise AssertionError(f"a reader ran on {args[0]}")

    monkeypatch.setattr(nianbao.readers, "read_document", no_reader)
    assert not (root / "build" / "cache").exists()
    docs = root / "build" / "docs"
    _opened = []
    try:
        build_docs(load_dataset(cache=False), docs)
        opened = list(_opened)
    finally:
        _opened = None
    raws = {str(root / r.source.path) for r in load_dataset(cache=False).reports}
    return sorted({p for p in opened if p in raws}), docs


def test_a_cold_build_opens_no_raw_file_when_none_is_published(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_copy(root, publish_raw=False)
    opened, docs = _cold_build(root, monkeypatch)
    assert opened == []
    views = sorted(docs.glob("agencies/*/*/src.html"))
    assert len(views) == len(list(paths.RAW.glob("*/*.text.txt"))) == 11  # every sample's view, from its text
    assert not [p for p in docs.glob("agencies/*/*/*") if p.name[:4].isdigit()]  # no raw file published
    view = (docs / "agencies/ningxia-zhongwei-minzheng/2021/src.html").read_text(encoding="utf-8")
    assert "本站不发布原始文件（设置 publish_raw: false）" in view and 'download>' not in view
    page = (docs / "agencies/ningxia-zhongwei-minzheng/2021/index.md").read_text(encoding="utf-8")
    assert "本站不发布原始文件" in page and "用下面的 SHA-256 核对" in page
    assert "a85d0285b9081d875f9c00e74448a6676a37e3d8ce4d14fcb722d24348f85db5" in page  # the sha256 still shown


def test_a_cold_build_copies_raw_files_without_reading_them(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_copy(root)
    opened, docs = _cold_build(root, monkeypatch)  # no reader ran (_cold_build's no_reader)
    published = sorted(docs.glob("agencies/*/*/20[0-9][0-9].*"))
    assert len(published) == len(opened) == 11  # each opened once, to be copied as it is
    for path in published:
        meta = (paths.RAW / path.parent.parent.name / f"{path.parent.name}.source.yaml").read_text(encoding="utf-8")
        assert f"sha256: {hashlib.sha256(path.read_bytes()).hexdigest()}" in meta
    page = (docs / "agencies/ningxia-zhongwei-minzheng/2021/index.md").read_text(encoding="utf-8")
    assert '<a href="2021.txt" download>' in page and 'href="src.html#r3-7"' in page


def test_an_older_record_without_stored_text_reads_its_raw_file_once_said(root: Path, capsys) -> None:
    """Records ingested before texts were stored: their views come from the raw file, the build says so once."""
    from nianbao import source_text
    from nianbao.dataset import load_dataset
    from nianbao.render.site import build_docs

    _store_copy(root)
    for text in paths.RAW.glob("fujian-*/*.text.txt"):
        text.unlink()
    monkeypatch_told = source_text._told
    source_text._told = False
    try:
        build_docs(load_dataset(cache=False), root / "build" / "docs")
    finally:
        source_text._told = monkeypatch_told
    said = [line for line in capsys.readouterr().err.splitlines() if "ingested before their text was stored" in line]
    assert len(said) == 1, said
    view = (root / "build/docs/agencies/fujian-fuzhou-pingtan-guanweihui/2020/src.html").read_text(encoding="utf-8")
    assert "<mark id=p3>行政许可396442278</mark>" in view
