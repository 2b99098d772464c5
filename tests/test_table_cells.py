"""Blank cells keep their column: DOCX, HTML and PDF tables with a blank cell in every column position, under
the template's rowspan/colspan label columns, read back cell for cell (blank = null with a problem)."""

from __future__ import annotations

import copy

import pytest

from nianbao import template as T
from nianbao.parse import parse_file

from .conftest import SAMPLES
from .test_readers import make_documents

FORMATS = {"docx": ".docx", "html": ".html", "html-gb18030": ".gb18030.html", "pdf": ".pdf"}


def _blanked(report):
    """The report with blank cells: row i of table 三 blank at column i % 7 (and the reported row
    `258 | 12 | | | 1 | 1 | ` and rows with one figure), table 四 blank at each fifth cell, table 二 in its middle column."""
    report = copy.deepcopy(report)
    for i, key in enumerate(T.request_row_keys(report.template)):
        row = getattr(report.requests, key)
        setattr(row, T.APPLICANT_COLUMNS[i % 7], None)
    first = report.requests.refused_state_secret
    for col, value in zip(T.APPLICANT_COLUMNS, (258, 12, None, None, 1, 1, None), strict=True):
        setattr(first, col, value)
    for key, col in (("refused_security", "natural_person"), ("refused_query", "other")):
        row = getattr(report.requests, key)
        for c in T.APPLICANT_COLUMNS:
            setattr(row, c, 5 if c == col else None)
    for j, group in enumerate(T.APPEAL_GROUPS):
        setattr(getattr(report.appeals, group), T.APPEAL_COLUMNS[(2 * j + 1) % 5], None)
    report.proactive.normative_documents.repealed = None
    return report


@pytest.fixture(scope="module")
def blank_documents(tmp_path_factory):
    from nianbao.parse import parse_file as parse

    sample = SAMPLES / "ningxia-zhongwei-minzheng_2021.txt"
    report = _blanked(parse(sample))
    outdir = tmp_path_factory.mktemp("blank-cells")
    lines = sample.read_text(encoding="utf-8").split("\n")
    docx_paths = make_documents.write_documents(report, outdir, "blank", lines)
    if make_documents.soffice() is not None:
        make_documents.print_pdfs(docx_paths, outdir)
    return outdir, report


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_blank_cells_stay_at_their_column(blank_documents, fmt):
    outdir, expected = blank_documents
    if not (outdir / f"blank{FORMATS[fmt]}").exists():
        pytest.skip("LibreOffice (soffice) is not installed, so no PDF was printed")
    actual = parse_file(outdir / f"blank{FORMATS[fmt]}")
    for table in ("proactive", "requests", "appeals"):
        assert getattr(actual, table).model_dump() == getattr(expected, table).model_dump(), table
    blank_rows = {p.row for p in actual.problems if p.code == "cells-blank" and p.table == "requests"}
    assert blank_rows == set(T.request_row_keys(expected.template))  # every row has a blank: each is named
    row = {p.row: p for p in actual.problems if p.code == "cells-blank"}["refused_state_secret"]
    assert "科研机构、社会公益组织、总计" in row.message
    assert any(p.code == "cells-blank" and p.table == "appeals" for p in actual.problems)
    assert any(p.code == "cells-blank" and p.table == "proactive" for p in actual.problems)
    assert not any(p.code == "cells-ambiguous" for p in actual.problems)


def _html_report(tmp_path, rows: list[tuple[str, str, int]]):
    """A page whose table 三 has the template's header and the given rows (label, figure cells, label span)."""
    zeros = "<td>0</td>" * 7
    body = "".join(f'<tr><td colspan="{span}">{label}</td>{numbers}</tr>' for label, numbers, span in rows)
    body += f'<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>{zeros}</tr>'
    body += f'<tr><td colspan="2">（二）部分公开</td>{zeros}</tr>'
    page = ("<html><head><meta charset='utf-8'><title>某局2021年政府信息公开工作年度报告</title></head><body>"
            "<h1>某局2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本局主动公开信息。</p>"
            "<p>三、收到和处理政府信息公开申请情况</p><table>"
            '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系）</td><td colspan="7">申请人情况</td></tr>'
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>'
            "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
            f"{body}</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    return parse_file(path)


def _cells_of(report, key: str) -> tuple:
    return tuple(getattr(report.requests, key).model_dump().values())


def test_html_row_with_blank_cells_is_read_by_position(tmp_path):
    """The reported page: `258 | 12 | &nbsp; | &nbsp; | 1 | 1 | &nbsp;` under a label spanning two columns."""
    cells = "".join(f"<td>{v}</td>" for v in ("258", "12", "&nbsp;", "&nbsp;", "1", "1", "&nbsp;"))
    lone = "".join(f"<td>{v}</td>" for v in ("7", "&nbsp;", "&nbsp;", "&nbsp;", "&nbsp;", "&nbsp;", "&nbsp;"))
    report = _html_report(tmp_path, [("一、本年新收政府信息公开申请数量", cells, 3), ("二、上年结转政府信息公开申请数量", lone, 3)])
    assert _cells_of(report, "new_received") == (258, 12, None, None, 1, 1, None)
    assert _cells_of(report, "carried_over") == (7, None, None, None, None, None, None)
    assert _cells_of(report, "partly_granted") == (0,) * 7


def test_html_row_with_cells_left_out_has_blanks_at_its_end(tmp_path):
    """A row with fewer <td> than the table is wide: the columns it leaves out are blank, not shifted."""
    short = "".join(f"<td>{v}</td>" for v in ("5", "0", "0", "0", "0"))
    report = _html_report(tmp_path, [("一、本年新收政府信息公开申请数量", short, 3),
                                     ("二、上年结转政府信息公开申请数量", "<td>0</td>" * 7, 3)])
    assert _cells_of(report, "new_received") == (5, 0, 0, 0, 0, None, None)
    assert any(p.code == "cells-blank" and p.row == "new_received" for p in report.problems)


def test_converter_text_that_lost_a_blank_cell_is_not_guessed():
    """Tab text whose rows disagree on their number of cells: a row with blank cells is null, not shifted."""
    from nianbao.parse import parse_text

    sample = (SAMPLES / "ningxia-zhongwei-minzheng_2021.txt").read_text(encoding="utf-8")
    lines = sample.split("\n")
    i = next(i for i, line in enumerate(lines) if "属于国家秘密" in line)
    lines[i] = lines[i].split("属于国家秘密")[0] + "属于国家秘密\t258\t12\t\t1\t1"  # a blank lost: six fields
    report = parse_text("\n".join(lines))
    assert tuple(report.requests.refused_state_secret.model_dump().values()) == (None,) * 7
    assert any(p.code == "cells-ambiguous" and p.row == "refused_state_secret" for p in report.problems)


def test_docx_row_that_leaves_out_grid_columns_has_blank_cells(tmp_path):
    """w:gridBefore / w:gridAfter: a row that starts late or ends early has blank cells there."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from nianbao.readers import read_document

    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for j, text in enumerate(("项目", "自然人", "商业企业", "总计")):
        table.cell(0, j).text = text
    for j, text in enumerate(("（一）予以公开", "3", "0", "3")):
        table.cell(1, j).text = text
    row = table.rows[1]._tr
    row.remove(row.findall(qn("w:tc"))[-1])  # the row ends one grid column early
    props = row.get_or_add_trPr()
    after = OxmlElement("w:gridAfter")
    after.set(qn("w:val"), "1")
    props.append(after)
    path = tmp_path / "grid-after.docx"
    document.save(path)
    lines = read_document(path).lines
    assert "（一）予以公开\t3\t0\t" in lines
