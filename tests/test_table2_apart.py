"""Table 二 in plain pdftotext (parse/columns.py): each column heading, then its figures; a heading left at
the foot of a page takes the one run of figures that follows no heading on the next page, and nothing else."""

from __future__ import annotations

from nianbao.parse import parse_text

from .layouts import FRAME

# 乌苏 2021's table 二 as plain pdftotext writes it from the sample printed to PDF: the 第（五）项 heading
# 本年处理决定数量 stays at the foot of page 1 (its page number —1— after it), 行政许可's 2788 comes on
# page 2 right after the labels.
WUSU = """第二十条第（一）项
信息内容
规章
行政规范性文件
第二十条第（五）项
信息内容

本年制发件数
0
0

本年废止件数
0
0

本年处理决定数量

—1—

现行有效件数
0
0

\f行政许可
第二十条第（六）项
信息内容
行政处罚
行政强制
第二十条第（八）项
信息内容
行政事业性收费

2788
本年处理决定数量
0
0
本年收费金额（单位：万元）
0
"""


def _report(table2: str):
    text = FRAME.read_text(encoding="utf-8")
    start = text.index("\n", text.index("二、主动公开政府信息情况")) + 1
    end = text.index("三、收到和处理政府信息公开申请情况")
    return parse_text(text[:start] + "\n" + table2 + "\n" + text[end:])


def _cells(report) -> dict[str, object]:
    return {f"{row}.{col}": v for row, cols in report.proactive.model_dump().items() for col, v in cols.items()}


def test_a_heading_at_the_foot_of_a_page_takes_the_run_on_the_next():
    cells = _cells(_report(WUSU))
    assert cells["licensing.decisions"] == 2788
    assert cells["penalty.decisions"] == 0 and cells["coercion.decisions"] == 0
    assert cells["rules.issued"] == 0 and cells["normative_documents.in_force"] == 0


def test_a_moved_run_is_taken_only_when_nothing_else_can_be_it():
    variants = {
        # no page break between the heading and the run: the run is not a moved cell
        "same page": WUSU.replace("\f", ""),
        # two runs that follow no heading: either may be the moved one
        "two runs": WUSU.replace("行政强制\n", "行政强制\n\n5\n\n"),
        # two headings without figures: the run may be either's
        "two empty": WUSU.replace("本年废止件数\n0\n0\n", "本年废止件数\n"),
        # a heading with its figures before the run on the new page: the run is not the page's first
        "after a heading": WUSU.replace("现行有效件数\n0\n0\n\n\f行政许可", "\f现行有效件数\n0\n0\n\n行政许可"),
    }
    for name, text in variants.items():
        cells = _cells(_report(text))
        assert cells["licensing.decisions"] is None, name
        assert all(v in (None, 0) for k, v in cells.items() if k != "fees.amount_10k_yuan"), name
