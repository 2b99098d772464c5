"""Build DOCX, PDF and HTML test documents from reports, the way agencies publish them.

Each report (the parse of a text sample committed under data/raw) is written into a document shaped like the
national template: title, preamble, the sections as headings with their prose, tables 二, 三 and 四 as real
tables with the template's merged cells (申请人情况 and 法人或其他组织 spanning columns, 三、本年度办理结果
spanning rows), signature and date. A cell the record does not give (None) stays blank.

- DOCX: python-docx.
- PDF: those DOCX printed by LibreOffice (`soffice --headless --convert-to pdf`), all in one run.
- HTML: a government web page with site navigation, breadcrumb and footer around the report, `<table>`
  markup with rowspan/colspan; once as UTF-8 with `<meta charset>`, once as GB18030 with no charset.

Usage: python scripts/make_documents.py OUTDIR [SAMPLE.txt ...]   (default: every sample report)
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from nianbao import template as T
from nianbao.model import Report

# The samples committed under data/raw, copied there under their published names (scripts/samples.py).
SAMPLES = Path(os.environ.get("NIANBAO_SAMPLES", Path(__file__).resolve().parents[1] / "build" / "samples"))
NUMERALS = "一二三四五六"
RESULTS = "三、本年度办理结果"
FORMATS = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "html-gb18030": ".gb18030.html"}


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


Grid = list[list[Cell]]  # each row lists the cells that start in it, left to right


def _numbers(table, key: str, columns) -> list[Cell]:
    """The cells of one record row as printed: blank where the record has None, 21.584 not 21.5840."""
    values = getattr(table, key) if table is not None else None
    cells = [getattr(values, c) if values is not None else None for c in columns]
    return [Cell("" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v)) for v in cells]


# The template's tables as grids ----------------------------------------------------------------------


def proactive_grid(report: Report) -> Grid:
    tpl = report.template or "2021"
    labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
    rows: Grid = []
    item = None
    for spec in T.PROACTIVE_ROWS[tpl]:
        width = len(spec.columns)
        if spec.item != item:
            item = spec.item
            rows.append([Cell(item, 4)])
            header = [Cell("信息内容")] + [Cell(labels[c]) for c in spec.columns]
            header[-1].colspan = 4 - width
            rows.append(header)
        row = [Cell(spec.label), *_numbers(report.proactive, spec.key, spec.columns)]
        row[-1].colspan = 4 - width
        rows.append(row)
    return rows


def requests_grid(report: Report) -> Grid:
    tpl = report.template or "2021"
    rows: Grid = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), Cell("申请人情况", 7)],
        [Cell("自然人", 1, 2), Cell(T.APPLICANT_GROUP_LABEL, 5), Cell("总计", 1, 2)],
        [Cell(T.APPLICANT_LABELS[c]) for c in T.APPLICANT_COLUMNS[1:6]],
    ]
    specs = T.REQUEST_ROWS[tpl]
    results = [s for s in specs if s.group == RESULTS or s.result]
    groups = Counter(s.group for s in specs if s.group and s.group != RESULTS)
    seen_groups: set[str] = set()
    for spec in specs:
        numbers = _numbers(report.requests, spec.key, T.APPLICANT_COLUMNS)
        labels: list[Cell] = []
        if spec is results[0]:
            labels.append(Cell(RESULTS, 1, len(results)))
        if not spec.group:
            labels.append(Cell(spec.label, 3))
        elif spec.group == RESULTS:
            labels.append(Cell(spec.label, 2))
        else:
            if spec.group not in seen_groups:
                seen_groups.add(spec.group)
                labels.append(Cell(spec.group, 1, groups[spec.group]))
            labels.append(Cell(spec.label))
        rows.append(labels + numbers)
    return rows


def appeals_grid(report: Report) -> Grid:
    columns = [Cell(T.APPEAL_COLUMN_LABELS[c]) for c in T.APPEAL_COLUMNS]
    rows: Grid = [
        [Cell("行政复议", 5), Cell("行政诉讼", 10)],
        [Cell(c.text, 1, 2) for c in columns] + [Cell("未经复议直接起诉", 5), Cell("复议后起诉", 5)],
        [Cell(c.text) for c in columns] * 2,
        [],
    ]
    for group in T.APPEAL_GROUPS:
        rows[3].extend(_numbers(report.appeals, group, T.APPEAL_COLUMNS))
    return rows


TABLES = {2: ("proactive", proactive_grid), 3: ("requests", requests_grid), 4: ("appeals", appeals_grid)}
# Column widths in cm as the template prints them (A4, 15.6 cm of text width); header rows repeated on a new page.
WIDTHS = {2: [4.5, 3.7, 3.7, 3.7], 3: [1.6, 2.2, 4.0] + [1.1] * 7, 4: [1.04] * 15}
HEADER_ROWS = {2: 0, 3: 3, 4: 0}


def place(grid: Grid):
    """(row, column, cell) for every cell that starts somewhere, on the grid."""
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            occupied.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            yield r, c, cell
            c += cell.colspan


# The document's content, in order ------------------------------------------------------------------


@dataclass
class Content:
    title: list[str]
    preamble: list[str]
    sections: list[tuple[int, str, list[str], Grid | None]]  # number, heading, paragraphs, table
    signature: list[str]


def content_of(report: Report, source_lines: list[str] | None = None) -> Content:
    title = [report.title] if report.title else [report.agency.name, f"{report.year}年政府信息公开工作年度报告"]
    preamble: list[str] = []
    if source_lines and report.sections and report.sections[0].line:
        for line in source_lines[: report.sections[0].line - 1]:
            text = line.strip().lstrip("#").strip()
            is_title = "年度报告" in text and len(text) <= 40
            if text and "\t" not in line and text not in title and not is_title:
                preamble.append(text.replace("**", ""))
    sections = []
    by_number = {s.number: s for s in report.sections}
    for number in range(1, 7):
        section = by_number.get(number)
        heading = f"{NUMERALS[number - 1]}、{section.title if section else T.SECTION_TITLES[number]}"
        # Markdown emphasis is the converter's, not the agency's; a table section holds its table only (its
        # text in the sample is the converter's remains of that table).
        paragraphs = [p.strip().replace("**", "") for p in section.text.split("\n") if p.strip()] if section else []
        table = None
        if number in TABLES and getattr(report, TABLES[number][0]) is not None:
            table, paragraphs = TABLES[number][1](report), []
        if section is not None or table is not None:
            sections.append((number, heading, paragraphs, table))
    signature = []
    if report.published:
        date = f"{report.published.year}年{report.published.month}月{report.published.day}日"
        last = sections[-1][2] if sections else []
        if not any(date in p for p in last[-3:]):
            signature = [report.agency.name, date]
    return Content(title, preamble, sections, signature)


# Writers ----------------------------------------------------------------------------------------------


def write_docx(content: Content, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.7)
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    _page_number_footer(section)
    for line in content.title:
        document.add_heading(line, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    prose = [document.add_paragraph(line) for line in content.preamble]
    for number, heading, paragraphs, grid in content.sections:
        document.add_heading(heading, level=1)
        if grid is not None:
            _docx_table(document, grid, WIDTHS[number], HEADER_ROWS[number])
        prose += [document.add_paragraph(text) for text in paragraphs]
    for paragraph in prose:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(21)
    for line in content.signature:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _save_atomic(path, document.save)


def _page_number_footer(section) -> None:
    """`— N —` centred at the foot of every page, as government documents print it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    paragraph.add_run(" —")


def _docx_table(document, grid: Grid, widths: list[float], header_rows: int) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    table = document.add_table(rows=len(grid), cols=max(c + cell.colspan for _, c, cell in place(grid)))
    table.style = "Table Grid"
    table.autofit = False
    for j, column in enumerate(table.columns):  # set before merging: a merged cell adds up its widths
        column.width = Cm(widths[j])
        for cell in column.cells:
            cell.width = Cm(widths[j])
    for row in table.rows[:header_rows]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for r, c, cell in place(grid):
        target = table.cell(r, c)
        if cell.colspan > 1 or cell.rowspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text


_CHROME_TOP = """<div class="top-bar"><a href="/">无障碍</a> | <a href="/old">长者模式</a> | 登录 注册</div>
<div class="header"><img src="/logo.png" alt="人民政府门户网站"><div class="site-name">人民政府门户网站</div><form class="search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="main"><div class="sidebar"><h3>信息公开目录</h3><ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>政府信息公开年报</li></ul></div>
<div class="article">"""
_CHROME_BOTTOM = """<div class="share">分享到：微信 微博 | 【打印本页】【关闭窗口】</div></div></div>
<div class="footer"><p>主办单位：人民政府办公室</p><p>网站标识码：6400000001 ICP备案号：宁ICP备05001234号</p><p>版权所有 © 人民政府 联系电话：0955-7012345</p></div>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>"""


def page_html(content: Content, meta_charset: bool) -> str:
    title = "".join(content.title)
    parts = ["<!DOCTYPE html>", "<html><head>"]
    if meta_charset:
        parts.append('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')
    parts += [f"<title>{html.escape(title)}_政府信息公开</title>", "<style>td{border:1px solid #000}</style>",
              "</head><body>", _CHROME_TOP]
    parts += [f'<h1 class="article-title">{html.escape(line)}</h1>' for line in content.title]
    parts.append('<div class="info">发布时间：2022-01-14 来源：本站 浏览次数：<span id="hits">128</span></div>')
    parts.append('<div class="TRS_Editor" id="zoom">')
    parts += [f"<p>{html.escape(line)}</p>" for line in content.preamble]
    for _number, heading, paragraphs, grid in content.sections:
        parts.append(f"<p><strong>{html.escape(heading)}</strong></p>")
        if grid is not None:
            parts.append(_html_table(grid))
        parts += [f'<p style="text-indent:2em">{html.escape(text)}</p>' for text in paragraphs]
    parts += [f'<p style="text-align:right">{html.escape(line)}</p>' for line in content.signature]
    parts += ["</div>", _CHROME_BOTTOM, "</body></html>", ""]
    return "\n".join(parts)


def _html_table(grid: Grid) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0"><tbody>']
    for row in grid:
        cells = []
        for cell in row:
            span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            )
            cells.append(f"<td{span}><p>{html.escape(cell.text)}</p></td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _save_atomic(path: Path, save) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_bytes(path: Path, data: bytes) -> None:
    _save_atomic(path, lambda tmp: Path(tmp).write_bytes(data))


# Building --------------------------------------------------------------------------------------------


def write_documents(report: Report, outdir: Path, stem: str, source_lines: list[str] | None = None) -> list[Path]:
    """The DOCX and both HTML pages of one report; returns the DOCX path first."""
    content = content_of(report, source_lines)
    docx_path = outdir / f"{stem}.docx"
    write_docx(content, docx_path)
    _write_bytes(outdir / f"{stem}.html", page_html(content, True).encode("utf-8"))
    _write_bytes(outdir / f"{stem}.gb18030.html", page_html(content, False).encode("gb18030"))
    return [docx_path]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def print_pdfs(docx_paths: list[Path], outdir: Path) -> list[Path]:
    """Print DOCX files to PDF with LibreOffice in one run (its own profile, so it never meets a user's)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as work:
        printed = Path(work) / "out"
        cmd = [binary, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(printed), *map(str, docx_paths)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        missing = [p.name for p in docx_paths if not (printed / f"{p.stem}.pdf").exists()]
        if missing:
            raise RuntimeError(f"LibreOffice did not print {', '.join(missing)}")
        for p in docx_paths:  # moved into place whole, never half-written
            _write_bytes(outdir / f"{p.stem}.pdf", (printed / f"{p.stem}.pdf").read_bytes())
    return [outdir / f"{p.stem}.pdf" for p in docx_paths]


def build_all(samples: list[Path], outdir: Path, pdf: bool = True) -> dict[str, Report]:
    """Parse each text sample and write its documents into outdir; returns the reports by file stem."""
    from nianbao.parse import parse_file

    reports: dict[str, Report] = {}
    docx_paths: list[Path] = []
    for sample in samples:
        report = parse_file(sample)
        lines = sample.read_text(encoding="utf-8").split("\n")
        docx_paths += write_documents(report, outdir, sample.stem, lines)
        reports[sample.stem] = report
    if pdf and docx_paths:
        print_pdfs(docx_paths, outdir)
    return reports


def table_cells(report: Report) -> dict[str, int | float | None]:
    """Every cell of tables 二, 三 and 四 by its dotted path (None where the record gives no number)."""
    tables = {t: getattr(report, t) for t in ("proactive", "requests", "appeals")}
    data = {t: v.model_dump() for t, v in tables.items() if v is not None}
    return {f"{t}.{row}.{col}": cell for t, rows in data.items() for row, cols in rows.items() for col, cell in cols.items()}


def compare(outdir: Path, reports: dict[str, Report], parse=None) -> dict[str, tuple[int, int]]:
    """Per format: (table cells the text samples give, of those the documents' records give alike)."""
    from nianbao.parse import parse_file

    parse = parse or parse_file
    totals: dict[str, tuple[int, int]] = {}
    for fmt, suffix in FORMATS.items():
        want = got = 0
        for stem, report in reports.items():
            if (outdir / f"{stem}{suffix}").exists():
                given = {k: v for k, v in table_cells(report).items() if v is not None}
                actual = parse(outdir / f"{stem}{suffix}")
                read = table_cells(actual) if actual.template == report.template else {}
                want, got = want + len(given), got + sum(1 for k, v in given.items() if read.get(k) == v)
        totals[fmt] = (want, got)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("samples", nargs="*", type=Path)
    parser.add_argument("--no-pdf", action="store_true", help="skip printing the DOCX files to PDF")
    parser.add_argument("--compare", action="store_true", help="parse the documents and report the cells read")
    args = parser.parse_args(argv)
    if not args.samples and "NIANBAO_SAMPLES" not in os.environ:
        from samples import sample_dir  # scripts/ is on sys.path when this file runs as a script

        sample_dir(SAMPLES)
    samples = args.samples or sorted([*SAMPLES.glob("*.txt"), *SAMPLES.glob("*.md")])
    reports = build_all(samples, args.outdir, pdf=not args.no_pdf)
    print(f"wrote documents for {len(samples)} reports into {args.outdir}")
    if args.compare:
        for fmt, (want, got) in compare(args.outdir, reports).items():
            print(f"{fmt:13} {got}/{want} table cells read ({100 * got / max(want, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
