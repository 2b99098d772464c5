"""Shards: units of the docs tree, a balanced plan, and rendering in forked processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.errors import InputError
from nianbao.render import shards
from nianbao.render.docs_writer import DocsWriter


def test_units_and_a_balanced_deterministic_plan(tmp_path: Path) -> None:
    assert shards.unit_of("agencies/a/2020/index.md") == "agencies/a"
    assert shards.unit_of("regions/zhejiangsheng/index.md") == "regions/zhejiangsheng"
    assert shards.unit_of("regions/index.md") is None and shards.unit_of("compare/2020/index.md") is None
    for i in range(6):
        for year in range(i + 1):
            page = tmp_path / "agencies" / f"a{i}" / str(year) / "index.md"
            page.parent.mkdir(parents=True)
            page.write_text("x" * 100, encoding="utf-8")
    (tmp_path / "index.md").write_text("# home\n", encoding="utf-8")
    own, groups = shards.plan(tmp_path, 2)
    assert own == ["index.md"]
    assert sorted(u for g in groups for u in g) == [f"agencies/a{i}" for i in range(6)]
    sizes = [sum(int(u[-1]) + 1 for u in g) for g in groups]
    assert abs(sizes[0] - sizes[1]) <= 1  # 21 pages split 10/11
    assert shards.plan(tmp_path, 2) == (own, groups)


def _render(writer: DocsWriter, items: list[str]) -> int:
    for item in items:
        if item == "boom":
            raise ValueError("no page for boom")
        writer.write(f"agencies/{item}/index.md", f"# {item}\n")
    return len(items)


def test_fork_render_writes_every_item_once_and_reports_a_child_failure(tmp_path: Path) -> None:
    out = DocsWriter(tmp_path)
    items = [f"a{i}" for i in range(7)]
    results = shards.fork_render(out, items, lambda _: 1, 3, _render)
    assert sum(results) == 7
    assert {p.relative_to(tmp_path).as_posix() for p in out.written} == {f"agencies/{i}/index.md" for i in items}
    assert all((tmp_path / "agencies" / i / "index.md").read_text(encoding="utf-8") == f"# {i}\n" for i in items)
    with pytest.raises(InputError, match="no page for boom"):  # in a child: reported by the parent
        shards.fork_render(DocsWriter(tmp_path / "b"), ["boom", "x", "y", "z"], lambda i: 1 if i == "boom" else 5, 2, _render)
    with pytest.raises(ValueError, match="no page for boom"):  # in the parent, children ended
        shards.fork_render(DocsWriter(tmp_path / "c"), ["boom", "x", "y", "z"], lambda i: 9 if i == "boom" else 1, 2, _render)


def test_stable_plan_keeps_each_unit_in_its_shard_whatever_the_others_hold(tmp_path: Path) -> None:
    for i in range(40):
        page = tmp_path / "agencies" / f"a{i}" / "index.md"
        page.parent.mkdir(parents=True)
        page.write_text("x" * (10 * i), encoding="utf-8")
    (tmp_path / "index.md").write_text("# home\n", encoding="utf-8")
    groups = shards.stable_plan(tmp_path, 4)
    assert groups[0] == []  # shard 0: the shared pages only
    assert sorted(u for g in groups for u in g) == sorted(f"agencies/a{i}" for i in range(40))
    assert all(groups[1:])
    (tmp_path / "agencies" / "a3" / "index.md").write_text("y" * 100_000, encoding="utf-8")  # one grows
    (tmp_path / "agencies" / "a40").mkdir()
    (tmp_path / "agencies" / "a40" / "index.md").write_text("new", encoding="utf-8")  # one is added
    again = shards.stable_plan(tmp_path, 4)
    assert [[u for u in g if u != "agencies/a40"] for g in again] == groups
    assert shards.stable_plan(tmp_path, 1) == [sorted(u for g in again for u in g)]
