"""The source view of a report: every recorded span marked on the text it was read from, anchors that the
report page's links name, and the raw file published as downloaded."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from nianbao.model import Problem
from nianbao.parse import parse_file
from nianbao.parse.spans import decode
from nianbao.parse.text import Doc
from nianbao.readers import read_document
from nianbao.render.report_tables import proactive_table
from nianbao.render.source import SourceLinks, View, anchor, render_source

from .conftest import SAMPLE_FILES


def _view(path: Path):
    report = parse_file(path)
    report.agency.id, report.source.path = "test-agency", f"data/raw/test-agency/{report.year}{path.suffix}"
    lines = Doc(read_document(path).lines).lines
    page, anchors = render_source(report, "测试机关", lines)
    return report, lines, lxml.html.fromstring(page), anchors


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_mark_holds_the_text_it_was_read_from(path: Path) -> None:
    report, lines, doc, anchors = _view(path)
    assert [el.get("id") for el in doc.xpath("//div[@class='src']/p")] == [f"L{n}" for n in range(1, len(lines) + 1)]
    # The text is the normalised text, line for line (marks split at line ends only).
    assert [el.text_content() for el in doc.xpath("//div[@class='src']/p")] == lines
    assert anchors, "every sample report has figures located"
    for mark_id in set(anchors.values()):
        (mark,) = doc.xpath(f"//mark[@id='{mark_id}']")
        assert mark.text_content().strip(), mark_id
    checked = 0
    for table, rows in report.spans.items():
        for row, entry in rows.items():
            at, place = decode(entry)[0], anchor(report, table, row)
            if at is not None and at.line == at.end_line and place in anchors:
                assert doc.get_element_by_id(anchors[place]).text_content() == lines[at.line - 1][at.start:at.end]
                checked += 1
    assert checked, "no row's mark was checked"


def test_anchors_are_short_and_name_the_template_place(sample_files: list[Path]) -> None:
    """~200 links a report page: `r3-7` is table 三's 3rd row (予以公开), 7th column (总计)."""
    report = parse_file(next(p for p in sample_files if p.stem == "ningxia-zhongwei-minzheng_2021"))
    assert anchor(report, "requests", "granted", "total") == "r3-7"
    assert anchor(report, "requests", "granted") == "r3"
    assert anchor(report, "appeals", "litigation_after_review", "total") == "a3-5"
    assert anchor(report, "proactive", "licensing", "decisions") == "p3-1"  # 2021's 许可 row has one column
    assert anchor(report, "metrics", "requests_received") == "m-requests_received"


def test_unreadable_run_links_to_its_characters(sample_files: list[Path]) -> None:
    """平潭 2020 is one line: its unreadable 行政许可 run is marked alone (not with the next row's run), and
    the report page's 无法识别 cell links there, naming the character, not only 第 1 行."""
    path = next(p for p in sample_files if p.stem == "fujian-pingtan_2020")
    report, lines, doc, anchors = _view(path)
    assert doc.get_element_by_id(anchor(report, "proactive", "licensing")).text_content() == "行政许可396442278"
    assert doc.get_element_by_id(anchor(report, "proactive", "other_services")).text_content() == "其他对外管理服务事项107105"
    here = f"agencies/{report.agency.id}/{report.year}/"
    html = proactive_table(report, {}, SourceLinks(report, here, View(anchors)))
    cell = lxml.html.fromstring(html).xpath("//tr[th='行政许可']/td")[0]
    (link,) = cell.xpath("a[@class='nb-printed']")
    assert link.get("href") == f"src.html#{anchor(report, 'proactive', 'licensing')}"  # the view lies beside the page
    assert "396442278" in link.text_content() and "原文第 1 行第 4691 字" in link.text_content()
    assert lines[0][4690:4703] == "行政许可396442278"


def test_problem_points_at_its_cell_not_line_one(sample_files: list[Path]) -> None:
    path = next(p for p in sample_files if p.stem == "fujian-pingtan_2020")
    report, _, _, anchors = _view(path)
    links = SourceLinks(report, f"agencies/{report.agency.id}/{report.year}/", View(anchors))
    failed = Problem(code="identity-column-total", message="…", line=1, table="requests", row="total_handled", column="total")
    where = links.problem_where(failed)
    assert f"#{anchor(report, 'requests', 'total_handled')}\"" in where and "原文第 1 行第 " in where
    unplaced = Problem(code="published-missing", message="…", line=2)
    assert "#L2" in links.problem_where(unplaced)
    assert SourceLinks(report, "x/", None).problem_where(failed) == "（原文第 1 行）"  # no source view: no link
