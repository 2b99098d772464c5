"""More converters × every sample report (tests/converters_more.py): LibreOffice's and pandoc's HTML, poppler's
pdftohtml, markitdown's and pandoc's Markdown, a web crawler's text. Each gives the clean text's figures or
null with a problem, never another number; the agency is the clean text's, or the report says
agency-uncertain. The share of cells each converter reaches is printed."""

from __future__ import annotations

import hashlib
import os
import random

import pytest

from nianbao import template as T
from nianbao.parse import parse_file, parse_text
from nianbao.readers import read_document

from .conftest import REPO, SAMPLE_FILES
from .converters import cells_read, print_shares
from .converters_more import CONVERTERS, convert, missing_tool
from .layouts import consistent_table, frame_with_table3
from .test_converters import _cells, printed  # noqa: F401 (the documents fixture)

# Floors measured on the samples (the share of printed cells read); a fall below is a regression.
FLOORS = {"soffice-html": 1.0, "pdftohtml": 0.98, "markitdown-docx": 1.0, "markitdown-pdf": 0.992,
          "markitdown-html": 1.0, "html2text": 1.0, "pandoc-gfm": 1.0, "pandoc-md": 1.0, "pandoc-html": 1.0, "pandoc-strict": 1.0, "pandoc-page": 1.0,
          "crawler-text": 0.98, "crawler-tabs": 1.0}
_SHARES: dict[str, list[int]] = {}
_CONVERTERS_DIGEST = hashlib.sha256((REPO / "tests" / "converters_more.py").read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("converter", CONVERTERS)
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_more_converters_give_the_figures_or_null(printed, converter, sample):  # noqa: F811
    missing = missing_tool(converter)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing: `make test` installs it")
        pytest.skip(f"{missing} is not installed (`make test` installs it)")
    clean = parse_file(sample)
    report = parse_file(convert(converter, printed, sample.stem, printed.parent / f"more-{_CONVERTERS_DIGEST}"))
    got = _cells(report) if report.template == clean.template else {}
    read, given = cells_read(_cells(clean), got, report, f"{converter} {sample.stem}")
    share = _SHARES.setdefault(converter, [0, 0])
    share[0] += read
    share[1] += given
    refused = any(p.code in ("agency-uncertain", "agency-missing") for p in report.problems)
    assert report.agency.name == clean.agency.name or refused, (
        f"{converter} {sample.stem}: filed under {report.agency.name}, not {clean.agency.name}")


def test_share_of_cells_each_more_converter_reaches(printed, capsys):  # noqa: F811
    print_shares(_SHARES, FLOORS, capsys)


# The kinds of damage these converters showed, in small exact cases ------------------------------------

NINGXIA = SAMPLE_FILES[0].parent / "ningxia-zhongwei-minzheng_2021.txt"


def _with_table2(block: str) -> str:
    """The 中卫 2021 sample with its table 二 items (一) printed as given."""
    lines = NINGXIA.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("第二十条第（一）项"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第二十条第（五）项"))
    return "\n".join([*lines[:start + 1], block, *lines[end:]])


def test_figures_between_labels_are_read_by_the_page_order():
    """markitdown's PDF tables: a row of figures above 规章 and one below it, no label in either row. The
    lines keep the page's order, so the first row of figures (no label above it in the item) is 规章's and
    the second 行政规范性文件's (stacked.py)."""
    report = parse_text(_with_table2("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| --- | --- | --- | --- |\n"
                                     "|      | 0 | 0 | 0 |\n规章\n|     | 1 | 1 | 4 |\n| --- | --- | --- | --- |\n行政规范性文件"))
    assert report.proactive.rules.model_dump() == {"issued": 0, "repealed": 0, "in_force": 0}
    assert report.proactive.normative_documents.model_dump() == {"issued": 1, "repealed": 1, "in_force": 4}


def test_one_row_of_figures_between_two_labels_is_read_by_neither():
    """One row of figures between 规章 and 行政规范性文件: it is 规章's (the other row blank) or
    行政规范性文件's (规章 blank); nothing on the page tells, so neither is read."""
    report = parse_text(_with_table2("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| --- | --- | --- | --- |\n"
                                     "规章\n|     | 1 | 1 | 4 |\n行政规范性文件"))
    assert report.proactive.rules.model_dump() == {"issued": None, "repealed": None, "in_force": None}
    assert report.proactive.normative_documents.in_force is None
    assert {p.row for p in report.problems if p.code == "cells-ambiguous"} >= {"rules", "normative_documents"}


def test_figures_below_a_label_alone_are_still_its_own():
    """A label on its line and its figures on the next, with no figure row above the label: read."""
    report = parse_text(_with_table2("信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\n\t0\t0\t0\n"
                                     "行政规范性文件\n\t1\t1\t4"))
    assert report.proactive.normative_documents.model_dump() == {"issued": 1, "repealed": 1, "in_force": 4}


def test_a_body_naming_only_a_kind_of_zone_is_refused():
    """pandoc drops a DOCX's Title: the body of 平潭 2021 says only 实验区 (not 平潭综合实验区)."""
    text = SAMPLE_FILES[0].parent.joinpath("fujian-pingtan_2021.txt").read_text(encoding="utf-8")
    body = text[text.index("一、"):].replace("平潭综合实验区", "实验区")
    report = parse_text(body)
    assert report.agency.name != "平潭综合实验区管委会"
    assert any(p.code == "agency-uncertain" for p in report.problems), report.agency


def test_a_phrase_ending_in_the_whole_county_is_no_place():
    """`推动全县信息公开工作` and `县政府`: not 推动全县人民政府."""
    report = parse_text(_with_table2("信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
                                     "行政规范性文件\t1\t1\t4").replace(
        "中卫市民政局", "").replace("一、总体情况", "一、总体情况\n推动全县信息公开工作。围绕县政府中心工作，推动全县政务公开。"))
    assert "推动" not in report.agency.name


def test_front_matter_title_names_the_agency(tmp_path):
    """`pandoc -s -t markdown` keeps a DOCX's Title only in its YAML front matter."""
    text = NINGXIA.read_text(encoding="utf-8").replace("中卫市民政局", "本局")
    path = tmp_path / "report.md"
    path.write_text("---\ntitle: 中卫市民政局2021年政府信息公开工作年度报告\n---\n\n" + text, encoding="utf-8")
    report = parse_file(path)
    assert report.agency.name == "中卫市民政局"
    assert report.agency.evidence[0].source == "md-title"


def test_pdftohtml_runs_of_one_line_are_one_line(printed):  # noqa: F811
    """pdftohtml -s places each run of text apart (the title's digits in another font, a table row's cells):
    runs on one line are read as one line, and the outline it appends is not read as text."""
    if missing_tool("pdftohtml"):
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    stem = "jiangsu-shuyang-zhengfu_2025"
    document = read_document(convert("pdftohtml", printed, stem, printed.parent / f"more-{_CONVERTERS_DIGEST}"))
    assert "一、本年新收政府信息公开申请数量 70 3 0 0 5 0 71" in document.lines  # 705 and 713 wrapped: 5 3 below
    assert document.lines[0].startswith("沐阳县人民政府 2025 年")
    assert "Document Outline" not in document.lines
    assert document.lines[-3:] == ["沐阳县人民政府", "2026 年 1 月 23 日", "— 6 —"]  # the signature ends the text


def _figures_above_labels(values: dict[str, tuple[int, ...]]) -> str:
    """Table 三 as markitdown prints a PDF's: each row's figures in a label-less row, its label below."""
    out = ["| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | 申请人情况 |", "| --- | --- | --- |"]
    for row in T.REQUEST_ROWS["2021"]:
        out += ["|     |     | " + " | ".join(map(str, values[row.key])) + " |", "| --- | --- | --- |", row.label]
    return "\n".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_figures_above_their_labels_give_the_figures_or_null(seed):
    """Rows of figures between labels: a row is read (from above or below) only where the column
    identities leave one reading; every other cell is null with a problem, never another row's figure."""
    values = consistent_table(random.Random(seed))
    report = parse_text(frame_with_table3(_figures_above_labels(values)))
    for key, row in values.items():
        got = tuple(getattr(report.requests, key).model_dump().values())
        assert got in (row, (None,) * 7), (key, got, row)
        if got != row:
            assert any(p.row == key for p in report.problems), key


@pytest.mark.parametrize("stem", ["zhejiang-jiaojiang-minzheng_2020", "fujian-pingtan_2022"])
def test_html_tables_inside_markdown_keep_every_cell_at_its_place(stem, tmp_path):
    """Markdown holding the template's tables as raw HTML (rowspan label columns, colspan headers, blank
    cells where the report prints none), as pandoc's markdown_strict and OCR tools write them: the
    figures of the clean text, every blank cell null at its own column."""
    from .test_converters import make_documents

    sample = SAMPLE_FILES[0].parent / f"{stem}.txt"
    clean = parse_file(sample)
    content = make_documents.content_of(clean, sample.read_text(encoding="utf-8").split("\n"))
    parts = [*content.title, ""]
    for _number, heading, paragraphs, grid in content.sections:
        parts += [f"## {heading}", ""]
        if grid is not None:
            parts += [make_documents._html_table(grid), ""]
        parts += [*paragraphs, ""]
    path = tmp_path / f"{stem}.md"
    path.write_text("\n".join([*parts, *content.signature]), encoding="utf-8")
    report = parse_file(path)
    assert _cells(report) == _cells(clean)  # 椒江 2020 fills only 总计 in 表三: its other cells stay null
