"""Readers: DOCX, PDF and HTML into lines, and the sample reports as documents read back to the text's figures.

The documents are built in the test session by scripts/make_documents.py with real tools: python-docx
writes the DOCX, LibreOffice prints them to PDF, and the HTML pages wrap the report in a site's chrome.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from nianbao.errors import InputError
from nianbao.readers import read_document, sniff_format

from .conftest import REPO, SAMPLE_FILES, SAMPLES, load_script

SAMPLE_STEMS = [p.stem for p in SAMPLE_FILES]
FORMATS = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "html-gb18030": ".gb18030.html"}
PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$")


make_documents = load_script("make_documents")


@pytest.fixture(scope="session")
def documents(tmp_path_factory, sample_files):
    """Every sample as DOCX, PDF and HTML (UTF-8 with meta charset, GB18030 without), and its text record."""
    outdir = tmp_path_factory.mktemp("documents")
    have_soffice = make_documents.soffice() is not None
    if not have_soffice and os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is missing: `make test` installs libreoffice-writer-nogui")
    try:
        reports = make_documents.build_all(sample_files, outdir, pdf=have_soffice)
    except NotImplementedError as exc:
        pytest.skip(f"the parser is not finished, so the samples have no records to build documents from ({exc})")
    return outdir, reports


def _hand_report():
    """中卫市民政局 2021 as a record made by hand (the figures as printed, prose from the sample's lines),
    so that the reader-level tests need no parser."""
    from nianbao import template as T
    from nianbao.model import Report

    lines = (SAMPLES / "ningxia-zhongwei-minzheng_2021.txt").read_text(encoding="utf-8").split("\n")
    starts = {n: lines.index(f"{num}、{title}") for n, num, title in (
        (1, "一", "总体情况"), (2, "二", "主动公开政府信息情况"), (3, "三", "收到和处理政府信息公开申请情况"),
        (4, "四", "政府信息公开行政复议、行政诉讼情况"), (5, "五", "政府信息公开存在的主要问题及改进情况"),
        (6, "六", "其他需要报告的事项"))}
    ends = [*list(starts.values())[1:], len(lines)]
    sections = [
        {"number": n, "title": lines[i][2:], "line": i + 1,
         "text": "\n".join(x for x in lines[i + 1 : end] if x.strip() and "\t" not in x)}
        for (n, i), end in zip(starts.items(), ends, strict=True)
    ]
    zeros = dict.fromkeys(T.APPLICANT_COLUMNS, 0)
    report = Report.model_validate({
        "agency": {"id": "ningxia-zhongwei-minzheng", "name": "中卫市民政局"}, "year": 2021, "template": "2021",
        "title": "中卫市民政局2021年政府信息公开工作年度报告",
        "proactive": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
                      "normative_documents": {"issued": 1, "repealed": 1, "in_force": 4},
                      "licensing": {"decisions": 10}, "penalty": {"decisions": 3}, "coercion": {"decisions": 0},
                      "fees": {"amount_10k_yuan": 0.0}},
        "requests": {r.key: dict(zeros) for r in T.REQUEST_ROWS["2021"]},
        "appeals": {g: dict.fromkeys(T.APPEAL_COLUMNS, 0) for g in T.APPEAL_GROUPS},
        "sections": sections, "published": "2022-01-20",
    })
    return report, lines


@pytest.fixture(scope="session")
def hand_documents(tmp_path_factory):
    """The hand-made record of 中卫市民政局 2021 as DOCX, PDF and HTML (stem `ningxia`)."""
    outdir = tmp_path_factory.mktemp("hand-documents")
    report, lines = _hand_report()
    docx_paths = make_documents.write_documents(report, outdir, "ningxia", lines)
    if make_documents.soffice() is not None:
        make_documents.print_pdfs(docx_paths, outdir)
    elif os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is missing: `make test` installs libreoffice-writer-nogui")
    return outdir, {"ningxia": report}


def _document(documents, stem: str, fmt: str) -> Path:
    outdir, _ = documents
    path = outdir / f"{stem}{FORMATS[fmt]}"
    if fmt == "pdf" and not path.exists():
        pytest.skip("LibreOffice (soffice) is not installed, so no PDF was printed")
    return path


@functools.cache
def _parsed(path: Path):
    """A document's record, parsed once per session (the share test reads the same files again)."""
    from nianbao.parse import parse_file

    return parse_file(path)


def _table_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if "\t" in line]


# The samples, each format ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_document_parses_to_the_text_samples_figures(documents, stem, fmt):
    expected = documents[1][stem]
    actual = _parsed(_document(documents, stem, fmt))
    assert actual.source.format == ("html" if fmt.startswith("html") else fmt)
    assert (actual.year, actual.template, actual.agency.name) == (
        expected.year,
        expected.template,
        expected.agency.name,
    )
    assert actual.published == expected.published
    for table in ("proactive", "requests", "appeals"):
        want, got = getattr(expected, table), getattr(actual, table)
        assert (got.model_dump() if got else None) == (want.model_dump() if want else None), table


def test_hand_record_tables_are_the_same_lines_in_every_format(hand_documents):
    reference = _table_lines(read_document(_document(hand_documents, "ningxia", "docx")).lines)
    # Each cell once, where it starts: no empty fields for merged cells (第二十条第（一）项 spans the row).
    assert reference[:3] == ["信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t0", "行政规范性文件\t1\t1\t4"]
    assert "三、本年度办理结果\t（一）予以公开\t0\t0\t0\t0\t0\t0\t0" in reference
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0" in reference
    for fmt in ("pdf", "html", "html-gb18030"):
        assert _table_lines(read_document(_document(hand_documents, "ningxia", fmt)).lines) == reference, fmt


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_table_rows_are_the_same_lines_in_every_format(documents, stem):
    """DOCX grid, PDF ruling lines and HTML rowspan/colspan give one and the same tab-separated rows."""
    reference = _table_lines(read_document(_document(documents, stem, "docx")).lines)
    assert len(reference) >= 10
    for fmt in ("pdf", "html", "html-gb18030"):
        assert _table_lines(read_document(_document(documents, stem, fmt)).lines) == reference, fmt


def test_share_of_table_cells_read(documents):
    outdir, reports = documents
    if not any(outdir.glob("*.pdf")):
        pytest.skip("LibreOffice (soffice) is not installed, so no PDF was printed")
    shares = make_documents.compare(outdir, reports, parse=_parsed)
    for fmt, (want, got) in shares.items():
        assert want > 1000 and got == want, f"{fmt}: {got}/{want} cells"


# DOCX ------------------------------------------------------------------------------------------------


def _save(document, path: Path) -> Path:
    document.save(path)
    return path


def test_docx_merged_cells_on_the_grid_in_body_order(tmp_path):
    document = docx.Document()
    document.add_heading("三、收到和处理政府信息公开申请情况", level=1)
    document.add_paragraph("表前的段落。")
    table = document.add_table(rows=4, cols=5)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "项目"
    table.cell(0, 2).merge(table.cell(0, 4)).text = "申请人情况"
    table.cell(1, 2).text = "自然人"
    merged = table.cell(1, 3).merge(table.cell(1, 4))
    merged.text = "法人或"
    merged.add_paragraph("其他组织")
    table.cell(2, 0).merge(table.cell(3, 0)).text = "三、本年度办理结果"
    for r, label, numbers in ((2, "（一）予以公开", "123"), (3, "（二）部分公开", "456")):
        table.cell(r, 1).text = label
        for j, n in enumerate(numbers):
            table.cell(r, 2 + j).text = n
    document.add_paragraph("表后的段落，\t含制表符。")
    lines = read_document(_save(document, tmp_path / "merged.docx")).lines
    assert lines == [
        "三、收到和处理政府信息公开申请情况",
        "表前的段落。",
        "",
        "项目\t申请人情况",  # each cell once, where it starts: merged cells add no empty fields
        "自然人\t法人或 其他组织",
        "三、本年度办理结果\t（一）予以公开\t1\t2\t3",
        "（二）部分公开\t4\t5\t6",
        "",
        "表后的段落， 含制表符。",
    ]


def test_docx_hairline_grid_column_is_folded(tmp_path):
    """Word and LibreOffice leave a grid column a few twips wide where two column edges nearly meet."""
    from docx.shared import Twips

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "行政复议"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "行政诉讼"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "总计"
    table.cell(1, 2).text = "未经复议直接起诉"
    for j, width in enumerate((2000, 20, 2000)):
        table.columns[j].width = Twips(width)
    lines = read_document(_save(document, tmp_path / "hairline.docx")).lines
    assert lines == ["", "行政复议\t行政诉讼", "总计\t未经复议直接起诉", ""]


def test_docx_frame_table_is_read_as_the_blocks_it_holds(tmp_path):
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "二、主动公开政府信息情况"
    inner = frame.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "行政许可", (0, 1): "10", (1, 0): "行政处罚", (1, 1): "3"}.items():
        inner.cell(r, c).text = text
    lines = read_document(_save(document, tmp_path / "frame.docx")).lines
    assert [line for line in lines if line] == ["二、主动公开政府信息情况", "行政许可\t10", "行政处罚\t3"]


def test_docx_content_controls_tracked_deletions_and_text_box_fallbacks(tmp_path):
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    document = docx.Document()
    body = document.element.body
    body.insert(0, parse_xml(
        f"<w:sdt {ns}><w:sdtContent><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    ))
    body.insert(1, parse_xml(
        f"<w:p {ns}><w:r><w:t>收到申请</w:t></w:r><w:del><w:r><w:delText>99</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>12</w:t></w:r></w:ins><w:r><w:t>件。</w:t></w:r>"
        "<w:r><mc:AlternateContent><mc:Choice><w:t>（框）</w:t></mc:Choice>"
        "<mc:Fallback><w:t>（框）</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    ))
    lines = read_document(_save(document, tmp_path / "controls.docx")).lines
    assert lines == ["一、总体情况", "收到申请12件。（框）"]


def test_docx_automatic_numbering_is_printed_as_word_and_libreoffice_print_it(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        + "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                  "</w:lvl>" for i, (fmt, text) in enumerate(levels))
        + "</w:abstractNum>"
    ))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    items = [("总体情况", 0), ("主动公开", 1), ("依申请公开", 1), ("条目", 2), ("条目", 2), ("主动公开政府信息情况", 0)]
    items += [("其他", 1)] + [(f"第{i}节", 0) for i in range(9)]
    for text, level in items:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
        ))
    expected = ["一、总体情况", "（一）主动公开", "（二）依申请公开", "1.条目", "2.条目", "二、主动公开政府信息情况",
                "（一）其他"] + [f"{n}、第{i}节" for i, n in enumerate("三四五六七八九十")] + ["十一、第8节"]
    path = _save(document, tmp_path / "numbered.docx")
    assert read_document(path).lines == expected
    if make_documents.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    (pdf,) = make_documents.print_pdfs([path], tmp_path)
    assert [line.replace("、 ", "、") for line in read_document(pdf).lines] == expected


# PDF -------------------------------------------------------------------------------------------------


def test_pdf_page_footers_dropped_and_table_continued_across_pages(hand_documents):
    import pdfplumber

    path = _document(hand_documents, "ningxia", "pdf")
    with pdfplumber.open(path) as pdf:
        printed = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
        header_pages = sum(
            1 for page in pdf.pages for t in page.extract_tables() if t and t[0][0] and "勾稽关系" in t[0][0]
        )
    assert "— 3 —" in printed  # the footer is really there, on every page
    assert header_pages >= 2  # table 三 runs over a page break with its header repeated
    lines = read_document(path).lines
    assert not [line for line in lines if PAGE_NUMBER.match(line)]
    assert sum(1 for line in lines if "勾稽关系" in line) == 1
    rows = _table_lines(lines)
    first, last = rows.index(next(r for r in rows if "勾稽关系" in r)), rows.index(
        next(r for r in rows if r.startswith("四、结转下年度继续办理"))
    )
    assert last - first == 3 + 2 + 21 + 1  # header rows, 一/二, the 21 result rows, (七) 总计: one table


def test_pdf_row_cut_by_page_breaks_is_one_row(tmp_path):
    if make_documents.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    document = docx.Document()
    for i in range(20):
        document.add_paragraph(f"第{i}段。")
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    long_label = "其他对外管理服务事项，" + "说明文字" * 200  # taller than a page: cut twice
    for r, row in enumerate((("项目", "数量", "备注"), ("行政许可", "10", "甲"), (long_label, "7", "乙"), ("行政处罚", "3", "丙"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    (pdf,) = make_documents.print_pdfs([_save(document, tmp_path / "cut.docx")], tmp_path)
    assert _table_lines(read_document(pdf).lines) == [
        "项目\t数量\t备注", "行政许可\t10\t甲", f"{long_label}\t7\t乙", "行政处罚\t3\t丙"
    ]


def test_pdf_table_continued_with_column_edges_the_first_page_did_not_draw():
    """Only the header rows fit at the foot of page 1, where the label columns are one merged cell: page 2
    draws their edges. The table takes both pages' edges; the repeated header is dropped."""
    from nianbao.readers.pdf import _assemble, _Line, _Page, _Table

    header = ["（本列数据的勾稽关系）", "申请人情况", None]
    page1 = _Page(600, 800, [_Line("三、收到和处理政府信息公开申请情况", 600, 612, 71, 300, 12),
                             _Table(640, [header], [71.0, 292.0, 324.0], 500.0)])
    repeated = ["（本列数据的勾稽关系）", None, None, "申请人情况", None]
    rows = [repeated, ["一、本年新收", None, None, "3", "3"], ["三、本年度办理结果", "（一）予以公开", None, "1", "1"],
            ["", "（三）不予公开", "1.属于国家秘密", "0", "0"]]
    page2 = _Page(600, 800, [_Table(72, rows, [71.0, 116.0, 179.0, 292.0, 324.0], 500.0),
                             _Line("— 2 —", 780, 790, 280, 320, 10)])
    assert _assemble([page1, page2]) == [
        "三、收到和处理政府信息公开申请情况", "",
        "（本列数据的勾稽关系）\t申请人情况",
        "一、本年新收\t3\t3",
        "三、本年度办理结果\t（一）予以公开\t1\t1",
        "\t（三）不予公开\t1.属于国家秘密\t0\t0", "",
        "— 2 —",
    ]


def test_pdf_wrapped_prose_lines_join_into_paragraphs(hand_documents):
    lines = read_document(_document(hand_documents, "ningxia", "pdf")).lines
    assert any(line.startswith("（二）依申请公开政府信息办理情况") for line in lines)
    long = [line for line in lines if "\t" not in line and len(line) > 120]
    assert len(long) >= 10  # paragraphs far wider than one printed line


# HTML ------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>{meta}<title>年报</title><script>var nav = "首页";</script></head>
<body><div class="header"><ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li><li>互动交流</li></ul>
<div class="crumb">当前位置：首页 &gt; 政府信息公开年报</div></div>
<div class="main"><div class="left"><ul><li>政府信息公开指南</li><li>政府信息公开制度</li></ul></div>
<div class="right"><h1>平湖市民政局2021年政府信息公开工作年度报告</h1><div class="info">发布日期：2022-01-14</div>
<div id="content"><p>一、总体情况</p><p>本年度我局主动公开政府信息<b>361</b>条。<br>第二行</p>
<p>二、主动公开政府信息情况</p>
<table><tbody><tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td rowspan="2">规章</td><td>1</td><td>2</td><td>3</td></tr><tr><td>4</td><td>5</td><td>6</td></tr>
</tbody></table><p>三、收到和处理政府信息公开申请情况</p></div></div></div>
<div class="footer">网站标识码：3304820001 版权所有</div><script>document.write("统计")</script></body></html>
"""


def test_html_report_body_without_site_chrome(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(meta='<meta charset="utf-8">').encode("utf-8"))
    doc = read_document(path)
    assert (doc.format, doc.encoding) == ("html", "utf-8")
    assert doc.lines == [
        "平湖市民政局2021年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度我局主动公开政府信息361条。",
        "第二行",
        "二、主动公开政府信息情况",
        "",
        "第二十条第（一）项",
        "规章\t1\t2\t3",
        "4\t5\t6",
        "",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_html_title_from_the_page_title_and_link_tables_ignored(tmp_path):
    page = (
        PAGE.format(meta="")
        .replace("<title>年报</title>", "<title>平湖市民政局2021年政府信息公开工作年度报告_平湖市人民政府</title>")
        .replace("<h1>平湖市民政局2021年政府信息公开工作年度报告</h1>", "")
        .replace('<div class="footer">', "<table><tr><td>相关链接</td><td>2022-01-14</td></tr>"
                 "<tr><td>平湖市民政局2020年年报</td><td>2021-01-20</td></tr></table><div class=\"footer\">")
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("utf-8"))
    lines = read_document(path).lines
    assert lines[:2] == ["平湖市民政局2021年政府信息公开工作年度报告", "一、总体情况"]
    assert lines[-1] == "三、收到和处理政府信息公开申请情况"
    assert not [line for line in lines if "相关链接" in line or "首页" in line or "网站标识码" in line]


def test_html_prose_only_report_found_by_its_chinese_text(tmp_path):
    """A report before 2019 has no template tables or numbered headings: the densest text block is the body."""
    page = (
        "<html><head><title>x</title></head><body><div class='nav'><a>首页</a><a>政务公开</a><a>互动交流</a></div>"
        "<div class='wrap'><div class='side'><p>信息公开指南</p><p>信息公开制度</p></div><div class='con'>"
        "<h2>某某局2017年政府信息公开工作年度报告</h2><p>本报告由某某局根据条例要求编制。</p>"
        "<p>全年主动公开政府信息一百二十条，其中规范性文件三件。</p></div></div>"
        "<div class='foot'>版权所有：某某局 网站标识码1234</div></body></html>"
    )
    path = tmp_path / "old.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path).lines == [
        "某某局2017年政府信息公开工作年度报告", "本报告由某某局根据条例要求编制。", "全年主动公开政府信息一百二十条，其中规范性文件三件。"
    ]


@pytest.mark.parametrize(
    ("meta", "encoding", "expected"),
    [
        ("", "gb18030", "gb18030"),  # no charset: detected
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk", "gb18030"),
        ('<meta charset="utf-8">', "gb18030", "gb18030"),  # a wrong label: detected all the same
    ],
)
def test_html_chinese_encodings(tmp_path, meta, encoding, expected):
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.format(meta=meta).replace("平湖市", "喆湖市").encode(encoding))
    doc = read_document(path)
    assert doc.encoding == expected
    assert doc.lines[0] == "喆湖市民政局2021年政府信息公开工作年度报告"
    assert "规章\t1\t2\t3" in doc.lines


# Sniffing ----------------------------------------------------------------------------------------------


def test_format_from_content_not_extension(hand_documents, tmp_path):
    for fmt, name in (("docx", "report.txt"), ("html", "report.dat"), ("pdf", "report.docx")):
        source = _document(hand_documents, "ningxia", fmt)
        target = tmp_path / name
        shutil.copy(source, target)
        assert read_document(target).format == fmt
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, Path("a.doc")) == "doc"


def test_text_files_do_not_load_the_document_libraries():
    code = (
        "import sys; from nianbao.readers import read_document; "
        f"read_document({str(SAMPLES / 'ningxia-zhongwei-minzheng_2021.txt')!r}); "
        "print(sorted(m for m in ('docx', 'pdfplumber', 'lxml.html') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


# Damaged and unreadable files ------------------------------------------------------------------------


def _damaged(hand_documents, tmp_path) -> dict[str, tuple[Path, str]]:
    """Each damaged file, and a phrase its error must contain."""
    docx_bytes = _document(hand_documents, "ningxia", "docx").read_bytes()
    pdf_bytes = _document(hand_documents, "ningxia", "pdf").read_bytes()
    html_bytes = _document(hand_documents, "ningxia", "html").read_bytes()
    def zip_with(name: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, "<root/>")
        return buffer.getvalue()

    other_zip = io.BytesIO(zip_with("xl/workbook.xml"))
    files = {
        "truncated.docx": (docx_bytes[: len(docx_bytes) // 2], "corrupt or truncated DOCX"),
        "spreadsheet.docx": (other_zip.getvalue(), "an Excel workbook"),
        "other.docx": (zip_with("content.xml"), "not a Word document"),
        "report.ofd": (zip_with("OFD.xml"), "an OFD document"),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Office binary file"),
        "report.rtf": (b"{\\rtf1\\ansi \\u24180?}", "an RTF file"),
        "truncated.pdf": (pdf_bytes[: len(pdf_bytes) // 3], "PDF"),
        "garbage.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 40, "corrupt or truncated PDF"),
        "truncated.html": (html_bytes[: len(html_bytes) // 2], "cut short"),
        "binary.html": (b"<html>" + bytes(range(256)) * 40 + b"</html>", "not text"),
    }
    out = {}
    for name, (data, phrase) in files.items():
        (tmp_path / name).write_bytes(data)
        out[name] = (tmp_path / name, phrase)
    return out


def test_damaged_files_are_refused_with_a_clear_message(hand_documents, tmp_path):
    for name, (path, phrase) in _damaged(hand_documents, tmp_path).items():
        with pytest.raises(InputError) as info:
            read_document(path)
        message = str(info.value)
        assert str(path) in message and phrase in message and "\n" not in message, (name, message)


def test_scanned_pdf_is_refused(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(image).rectangle((100, 100, 1100, 300), outline="black", width=4)
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=150)  # what a scanner writes: one image per page, no text
    with pytest.raises(InputError, match="scanned PDF with no text layer; OCR is not supported"):
        read_document(path)


def test_password_protected_pdf_is_refused(hand_documents, tmp_path):
    binary = make_documents.soffice()
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"x"}}'
    subprocess.run(
        [binary, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         f"pdf:writer_pdf_Export:{options}", "--outdir", str(tmp_path), str(_document(hand_documents, "ningxia", "docx"))],
        check=True, capture_output=True, timeout=300,
    )
    with pytest.raises(InputError, match="password-protected"):
        read_document(tmp_path / "ningxia.pdf")


def test_cli_exits_2_with_one_line_for_damaged_files(hand_documents, tmp_path):
    damaged = _damaged(hand_documents, tmp_path)
    scan = tmp_path / "scan.pdf"
    from PIL import Image

    Image.new("L", (600, 800), 255).save(scan, "PDF")
    for path in [p for p, _ in damaged.values()] + [scan]:
        result = subprocess.run(
            [sys.executable, "-m", "nianbao.cli", "parse", str(path)], capture_output=True, text=True, cwd=REPO
        )
        assert result.returncode == 2, (path.name, result.stderr)
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
