"""The same report in other layouts, encodings and headings parses to the same figures."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao import template as T
from nianbao.errors import NianbaoError
from nianbao.parse import parse_file, parse_text

from . import layouts
from .conftest import SAMPLES


def _tables(report) -> dict:
    d = report.to_data()
    return {k: d[k] for k in ("proactive", "requests", "appeals")}


def _requests(report) -> dict[str, tuple]:
    return {k: tuple(v.values()) for k, v in report.to_data()["requests"].items()}


@pytest.fixture(scope="module")
def frame_report():
    return parse_file(layouts.FRAME)


@pytest.mark.parametrize("layout", layouts.LAYOUTS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_table3_layouts(layout: str, seed: int) -> None:
    values = layouts.consistent_table(random.Random(seed))
    report = parse_text(layouts.frame_with_table3(layouts.render_table3(values, layout)))
    got = _requests(report)
    if layout == "glued":
        # Without separators a row is read only when the arithmetic leaves one cut; never another number.
        for key, cells in got.items():
            assert cells == values[key] or cells == (None,) * 7, key
        ambiguous = {p.row for p in report.problems if p.code == "cells-ambiguous"}
        assert ambiguous == {k for k, c in got.items() if c == (None,) * 7}
    else:
        assert got == values
    assert report.agency.name == "中卫市民政局"


def test_glued_zero_rows_always_read() -> None:
    values = {k: (0,) * 7 for k in T.request_row_keys("2021")}
    values["granted"] = (12, 0, 0, 3, 0, 0, 15)
    report = parse_text(layouts.frame_with_table3(layouts.render_table3(values, "glued")))
    assert _requests(report)["not_handled_repeat"] == (0,) * 7


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encodings_and_line_endings(tmp_path: Path, frame_report, encoding: str, newline: str) -> None:
    text = layouts.FRAME.read_text(encoding="utf-8").replace("\n", newline)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(encoding))
    report = parse_file(path)
    assert _tables(report) == _tables(frame_report)
    assert report.agency.name == frame_report.agency.name
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_headings_renamed_and_sections_reordered(frame_report) -> None:
    text = layouts.rename_headings(layouts.swap_sections_5_6(layouts.FRAME.read_text(encoding="utf-8")))
    report = parse_text(text)
    assert _tables(report) == _tables(frame_report)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 6, 5]
    five = next(s for s in report.sections if s.number == 5)
    assert five.text.startswith("（一）存在问题及不足")


def test_fullwidth_digits_separators_and_units() -> None:
    text = layouts.FRAME.read_text(encoding="utf-8")
    text = text.replace("行政许可\t10\t\t", "行政许可\t２，７８８\t\t").replace("行政事业性收费\t0\t\t", "行政事业性收费\t１２．５ 万元\t\t")
    report = parse_text(text)
    assert report.proactive.licensing.decisions == 2788
    assert report.proactive.fees.amount_10k_yuan == pytest.approx(12.5)


def test_chinese_numeral_date() -> None:
    text = layouts.FRAME.read_text(encoding="utf-8") + "\n\n中卫市民政局\n二〇二二年一月十四日\n"
    report = parse_text(text)
    assert report.published.isoformat() == "2022-01-14"


def test_same_report_in_every_sample_layout_gives_same_numbers() -> None:
    """平潭 2021 (glued web text) and a tab-separated print of its own figures agree."""
    glued = parse_file(SAMPLES / "fujian-pingtan_2021.txt")
    values = {k: tuple(v.values()) for k, v in glued.to_data()["requests"].items()}
    for layout in ("tabs", "pipes", "cell-per-line", "spaces"):
        report = parse_text(layouts.frame_with_table3(layouts.render_table3(values, layout)))
        assert _requests(report) == values, layout


# Property tests --------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from([
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "第二十条第（一）项", "规章",
    "行政规范性文件", "行政许可", "本年新收政府信息公开申请数量", "予以公开", "（七）总计", "结转下年度继续办理",
    "行政复议", "结果维持", "总计", "\t", "\n", " ", "|", "0", "1", "23", "640020470", "-5", "21.5 万元", "，", "。",
    "二〇二二年一月十四日", "2021年政府信息公开工作年度报告", "１２", "\u3000", "[bookmark: x]", "#", "**",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=60))
def test_parse_never_raises_anything_but_its_own_error(parts: list[str]) -> None:
    try:
        report = parse_text("".join(parts))
    except NianbaoError:
        return
    assert report.schema_ == "nianbao.report/1"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.sampled_from(layouts.LAYOUTS))
def test_generated_tables_parse_back(seed: int, layout: str) -> None:
    values = layouts.consistent_table(random.Random(seed), scale=random.Random(seed).choice([3, 30, 300]))
    report = parse_text(layouts.frame_with_table3(layouts.render_table3(values, layout)))
    got = _requests(report)
    for key, cells in got.items():
        if layout == "glued":
            assert cells in (values[key], (None,) * 7), key
        else:
            assert cells == values[key], key


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 120), min_size=6, max_size=6))
def test_a_split_is_returned_only_when_it_is_the_only_one(cells: list[int]) -> None:
    from nianbao.parse.numbers import cell_candidates, int_splits, tokens

    row = (*cells, sum(cells))
    run = "".join(map(str, row))
    every = [c for c in int_splits(run, 7) if c[6] == sum(c[:6])]
    got = cell_candidates(tokens(run), 7, lambda c: c[6] == sum(c[:6]))
    assert sorted(set(every)) == got
    assert row in got


@pytest.mark.parametrize(("title", "name"), [
    ("2021年度北京市民政局政府信息公开工作年度报告", "北京市民政局"),
    ("北京市民政局关于2021年政府信息公开工作年度报告", "北京市民政局"),
    ("# 北京市民政局 2021 年度政府信息公开工作 年度报告", "北京市民政局"),
    ("2021年全区政府信息公开工作年度报告", "延庆区民政局"),  # no name in the title: the signature's
])
def test_title_variants(title: str, name: str) -> None:
    body = layouts.FRAME.read_text(encoding="utf-8").split("\n", 5)[5]
    report = parse_text(f"{title}\n\n{body}\n\n延庆区民政局\n2022-01-20\n")
    assert report.agency.name == name
    assert report.year == 2021
    assert report.published.isoformat() == "2022-01-20"


def test_positional_row_with_blank_cells() -> None:
    values = layouts.consistent_table(random.Random(7))
    text = layouts.render_table3(values, "tabs").replace("\t0\t", "\t\t")  # blanks where zeros were
    report = parse_text(layouts.frame_with_table3(text))
    for key, cells in _requests(report).items():
        expected = tuple(v if v else None for v in values[key][:6]) + (values[key][6] or None,)
        assert tuple(c or None for c in cells) == expected, key


def test_table4_without_heading_after_table3() -> None:
    """A lone row of 15 numbers after table 三 (heading lost) is table 四, not more cells of 三."""
    text = layouts.FRAME.read_text(encoding="utf-8")
    cut = text.index("四、政府信息公开行政复议")
    row = text.index("0\t" * 14 + "0")
    text = text[:cut] + text[row:].replace("0\t" * 14 + "0", "1\t0\t0\t0\t1" + "\t0" * 10, 1)
    report = parse_text(text)
    assert tuple(report.requests.carried_forward.model_dump().values()) == (0,) * 7
    assert report.appeals.review.upheld == 1 and report.appeals.review.total == 1
    assert any(p.code == "table4-heading-missing" for p in report.problems)


def test_label_wrapped_around_its_numbers() -> None:
    """PDF text without ruling lines wraps a label's tail below its numbers."""
    text = layouts.FRAME.read_text(encoding="utf-8")
    text = text.replace("\t\t2. 其他法律行政法规禁止公开\t\t0\t0\t0\t0\t0\t0\t0",
                        "\t\t2. 其他法律行政法规\t\t3\t0\t0\t0\t0\t0\t3\n禁止公开")
    report = parse_text(text)
    assert tuple(report.requests.refused_prohibited.model_dump().values()) == (3, 0, 0, 0, 0, 0, 3)
    assert report.requests.refused_security.total == 0


@pytest.mark.parametrize(("row", "expected"), [
    ("行政规范性文件\t1\t\t4", (1, None, 4)),  # an inner blank: the cells kept their places
    ("行政规范性文件\t7\t\t", (7, None, None)),  # one digit cannot be three glued cells
    ("行政规范性文件\t8855698\t\t", (None, None, None)),  # glued and padded, or one number: not decided
])
def test_table2_delimited_row_with_blanks(row: str, expected: tuple) -> None:
    text = layouts.FRAME.read_text(encoding="utf-8").replace("行政规范性文件\t1\t1\t4", row)
    report = parse_text(text)
    assert tuple(report.proactive.normative_documents.model_dump().values()) == expected
    ambiguous = [p for p in report.problems if p.code == "cells-ambiguous" and p.row == "normative_documents"]
    assert bool(ambiguous) == (expected == (None, None, None))


def test_page_numbers_between_rows_are_not_cells() -> None:
    values = layouts.consistent_table(random.Random(11))
    lines = layouts.render_table3(values, "cell-per-line").split("\n")
    # A page break inside the table, after a row's first cells, as PDF-to-text converters leave it.
    at = next(i for i, ln in enumerate(lines) if "重复申请" in ln) + 3
    lines[at:at] = ["", "- 7 -", "", "3 / 12", ""]
    report = parse_text(layouts.frame_with_table3("\n".join(lines)))
    assert _requests(report) == values


def test_table2_without_its_item_rows(frame_report) -> None:
    """Some converters drop the 第二十条第（X）项 rows; the table is still found under its heading."""
    import re

    text = re.sub(r"第二十条第（[一五六八]）项\t\t\t\n", "", layouts.FRAME.read_text(encoding="utf-8"))
    assert "第二十条" not in text
    assert parse_text(text).proactive == frame_report.proactive


def test_failed_identity_points_at_its_row_line() -> None:
    from nianbao.checks import check_report

    text = layouts.FRAME.read_text(encoding="utf-8").replace(
        "(一) 予以公开\t\t0\t0\t0\t0\t0\t0\t0", "(一) 予以公开\t\t2\t0\t0\t0\t0\t0\t2", 1)
    report = parse_text(text)
    assert not any(p.code.startswith("identity-") for p in report.problems)  # the parse does not check
    report = check_report(report)  # the checks find the row's line in the record's row_lines
    failed = [p for p in report.problems if p.code == "identity-column-total"]
    assert {p.column for p in failed} == {"natural_person", "total"}
    total_line = next(i for i, ln in enumerate(text.split("\n"), 1) if ln.startswith("(七) 总计"))
    assert {p.line for p in failed} == {total_line}
    assert all(p.left == 0 and p.right == 2 for p in failed)
