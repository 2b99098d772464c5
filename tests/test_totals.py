"""Table 三 rows that give only their 总计 in text without separators (台州市椒江区's shape): read as the
总计 only where the layout proves the column (parse/totals.py), else null. The converter matrix runs the
椒江 sample through every converter (test_converters.py); these are the exact cases."""

from __future__ import annotations

from nianbao import template as T
from nianbao.parse import parse_text

from .layouts import frame_with_table3

ROWS = T.REQUEST_ROWS["2021"]
HEADER = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）  申请人情况\n"
          "                       自  法人或其他组织           总\n"
          "                       然  商  科  社   法   其   计\n"
          "                       人  业  研  会   律   他\n")


def _totals(report) -> list:
    return [getattr(report.requests, r.key).total for r in ROWS] if report.requests else [None] * len(ROWS)


def _applicants_blank(report) -> bool:
    return all(v is None for r in ROWS for k, v in getattr(report.requests, r.key).model_dump().items() if k != "total")


def test_one_cell_a_line_with_six_blank_cells_before_the_figure():
    """LibreOffice's text export: each cell on its line, a blank cell an empty line."""
    table = "\n".join(f"{r.label}\n" + "\n" * 6 + f"{i}" for i, r in enumerate(ROWS))
    report = parse_text(frame_with_table3(table))
    assert _totals(report) == list(range(len(ROWS)))
    assert _applicants_blank(report)
    assert any(p.code == "applicant-columns-blank" for p in report.problems)
    # Five empty lines: the figure is the sixth cell (其他), not the 总计; nothing is read.
    table = "\n".join(f"{r.label}\n" + "\n" * 5 + f"{i}" for i, r in enumerate(ROWS))
    assert all(v is None for v in _totals(parse_text(frame_with_table3(table))))


def _laid_out(column: int) -> str:
    return HEADER + "\n".join(f"{r.label}".ljust(column) + f"{i}" for i, r in enumerate(ROWS))


def test_a_figure_under_the_total_heading_in_layout_text():
    """pdftotext -layout: the figure stands under 计 of the header line 然 商 科 社 法 其 计."""
    column = HEADER.split("\n")[2].index("计")
    report = parse_text(frame_with_table3(_laid_out(column)))
    assert _totals(report) == list(range(len(ROWS)))
    assert _applicants_blank(report)
    # Under 其 (the 其他 column) it is not the 总计: null, never moved.
    report = parse_text(frame_with_table3(_laid_out(HEADER.split("\n")[2].index("其"))))
    assert all(v is None for v in _totals(report))


def test_a_lone_figure_in_a_table_of_full_rows_is_not_a_total():
    """Where other rows print their seven cells, one figure under 计 is likely the rest of a wrapped figure."""
    column = HEADER.split("\n")[2].index("计")
    lines = _laid_out(column).split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith(ROWS[0].label))
    lines[i] = ROWS[0].label + "  1  0  0  0  0  0  1"
    report = parse_text(frame_with_table3("\n".join(lines)))
    assert report.requests.carried_over.total is None


def test_plain_pdftotext_one_block_under_the_total_heading():
    """Plain pdftotext: the labels, the column headings one character a line, then one block of figures
    right under 总 / 计, as many as the rows: the 总计 column. One figure fewer: nothing is read."""
    labels = "\n".join(r.label for r in ROWS)
    headings = "申请人情况\n自\n法人或其他组织\n然\n商\n科\n社\n人\n业\n研\n会\n法\n律\n服\n务\n机\n构\n其\n他\n总\n计"
    figures = "\n".join(str(i) for i in range(len(ROWS)))
    table = f"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n{labels}\n{headings}\n{figures}"
    report = parse_text(frame_with_table3(table))
    assert _totals(report) == list(range(len(ROWS)))
    assert _applicants_blank(report)
    table = table.rsplit("\n", 1)[0]
    assert all(v is None for v in _totals(parse_text(frame_with_table3(table))))
