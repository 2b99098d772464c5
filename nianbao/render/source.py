"""Every figure to its source: the source view of a report, and the links from its page to it.

Each report's raw file is published as downloaded at `sources/<agency-id>/<year>/<year>.<ext>` (its
sha256 shown), beside a source view (`sources/<agency-id>/<year>/index.html`): the normalised text the
parser read, one element per line (`#L<n>`), and every span the record keeps (`spans`, parse/spans.py)
marked with its own anchor (`#r-<row>-<column>`, `#r-<row>` for a row, `#m-<key>` for a prose figure;
tables p, r, a = 二, 三, 四). A link's target is highlighted by CSS `:target`, without JavaScript.

The source view is a plain HTML file, not a MkDocs page: at 10,000 reports the texts are the site's
largest pages, and a theme around each would double MkDocs' work and every view's weight. It lies
outside agencies/, so Pagefind never indexes it (the report page indexes the prose already).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import PurePosixPath

from .. import template as T
from ..model import Problem, Report
from ..parse.spans import Located, decode
from . import NA, esc, href, link_out
from .source_text import raw_file, source_lines

TABLE_IDS = {"proactive": "p", "requests": "r", "appeals": "a", "metrics": "m"}
STYLESHEET = "assets/nianbao/source.css"



def source_dir(report: Report) -> str:
    return f"sources/{report.agency.id}/{report.year}/"


# Formats a browser or MkDocs never runs or renders: published under their own name. Any other (HTML, whose
# scripts would run on this site, Markdown, which MkDocs would make a page) gets `.txt` after its name.
INERT = frozenset({"txt", "pdf", "docx", "doc", "wps", "rtf", "odt", "xls", "xlsx"})


def raw_name(report: Report) -> str:
    """The published raw file's name: the stored one (`<year>.<ext>`), `.txt` added unless it is inert."""
    name = PurePosixPath(report.source.path or "").name
    return name if PurePosixPath(name).suffix.lower().lstrip(".") in INERT else f"{name}.txt"


def write_source(out, report: Report, agency_name: str) -> dict[str, str] | None:
    """Publish the report's raw file and its source view through the site's writer (site.DocsWriter);
    the view's span anchors, or None (nothing written) when the raw file is not in the store or unreadable."""
    raw = raw_file(report)
    lines = source_lines(report) if raw is not None and report.year is not None else None
    if lines is None:
        return None
    folder = source_dir(report)
    out.copy(raw, folder + raw_name(report))
    page, anchors = render_source(report, agency_name, lines)
    out.write(folder + "index.html", page)
    return anchors


def _columns(report: Report, table: str, row: str) -> tuple[str, ...]:
    if table == "requests":
        return T.APPLICANT_COLUMNS
    if table == "appeals":
        return T.APPEAL_COLUMNS
    if table == "proactive" and report.template:
        return next((tuple(r.columns) for r in T.PROACTIVE_ROWS[report.template] if r.key == row), ())
    return ()


_LAST_TARGETS: list = [None, {}]  # the last report's: asked for by its source view, then by its page


def targets(report: Report) -> dict[tuple[str, str, str | None], tuple[str, Located]]:
    """Every recorded span by (table, row or metric key, column or None): its anchor and place (not to be
    changed by the caller)."""
    if _LAST_TARGETS[0] is report:
        return _LAST_TARGETS[1]
    out: dict[tuple[str, str, str | None], tuple[str, Located]] = {}
    for table, rows in report.spans.items():
        t = TABLE_IDS[table]
        for row, text in rows.items():
            first, *cells = decode(text)
            if first is not None:
                out[(table, row, None)] = (f"{t}-{row}", first)
            for column, at in zip(_columns(report, table, row), cells, strict=False):
                if at is not None:
                    out[(table, row, column)] = (f"{t}-{row}-{column}", at)
    _LAST_TARGETS[:] = [report, out]
    return out


def when(retrieved: dt.date | None) -> str:
    """When the file was downloaded, as shown: a date, or a moment in UTC; 未提供 when nobody said."""
    if retrieved is None:
        return NA
    if isinstance(retrieved, dt.datetime):
        return retrieved.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return retrieved.isoformat()


PAGE_META = (("SiteName", "网站"), ("ColumnName", "栏目"), ("ArticleTitle", "网页标题"), ("PubDate", "网页发布时间"),
             ("ContentSource", "信息来源"))


def provenance_facts(report: Report) -> list[tuple[str, str]]:
    """原始地址, the page it was found on (when known), 获取日期: shown on the report page and the source view."""
    s = report.source
    facts = [("原始地址", link_out(s.url))]
    if s.page_url:
        facts.append(("所在网页", link_out(s.page_url)))
    tags = s.page_meta or {}
    # What the page says of itself (the meta tags 《政府网站发展指引》 requires), when it was fetched.
    facts += [(label, esc(tags[key])) for key, label in PAGE_META if tags.get(key)]
    return [*facts, ("获取日期", esc(when(s.retrieved)))]


def where(at: Located) -> str:
    """`原文第 12 行`, with the character where the line is long (one-line web text)."""
    return f"原文第 {at.line} 行" + (f"第 {at.start + 1} 字" if at.start else "")


class SourceLinks:
    """Links from a report page (`here`) to the places of its source view, whose element ids are `anchors`
    (what write_source gives); no links when it has no source view (None)."""

    def __init__(self, report: Report, here: str, anchors: Mapping[str, str] | None = None):
        self.base = href(here, source_dir(report)) if anchors is not None else ""
        self.places = targets(report) if anchors is not None else {}
        self.anchors = anchors or {}

    def find(self, table: str | None, row: str | None, column: str | None = None) -> tuple[str, Located] | None:
        """The anchor of a cell's place (its row's when it has none of its own; its line's when the view
        could not mark it) and the place."""
        if not table or not row:
            return None
        found = self.places.get((table, row, column)) or self.places.get((table, row, None))
        if found is None:
            return None
        return self.anchors.get(found[0], f"L{found[1].line}"), found[1]

    def href(self, table: str | None, row: str | None, column: str | None = None) -> str:
        found = self.find(table, row, column)
        return f"{self.base}#{found[0]}" if found else ""

    def line(self, line: int | None) -> str:
        return f"{self.base}#L{line}" if self.base and line else ""

    def figure(self, value_html: str, table: str, row: str, column: str | None = None) -> str:
        """A figure linked to where it was read (the row's place when the cell has none of its own)."""
        link = self.href(table, row, column)
        # No title: ~180 links a page, each would repeat it; a note above the tables says what they do.
        return f'<a class="nb-src" href="{link}">{value_html}</a>' if link else value_html

    def problem_where(self, p: Problem) -> str:
        """A problem's place: its cell's or row's span when the record has one, else its line."""
        found = self.find(p.table, p.row, p.column)
        if found:
            return f'（<a href="{self.base}#{found[0]}">{where(found[1])}</a>）'
        if p.line:
            link = self.line(p.line)
            text = f"原文第 {p.line} 行"
            return f'（<a href="{link}">{text}</a>）' if link else f"（{text}）"
        return ""


# The source view ----------------------------------------------------------------------------------------


def _marks(lines: Sequence[str], places: dict[tuple[str, str, str | None], tuple[str, Located]],
           report: Report | None = None) -> tuple[list[tuple[int, int, str, str]], dict[str, str]]:
    """(start, end, anchor, title) in text offsets, nested, and each place's anchor → the id that marks it:
    places with the same span share one mark (table 四's three groups read from one run); a span crossing
    another one is left out (its line anchor still leads there)."""
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for (table, row, column), (anchor, at) in places.items():
        if at.line > len(lines) or at.end_line > len(lines):
            continue
        s, e = starts[at.line - 1] + at.start, starts[at.end_line - 1] + at.end
        if at.start >= len(lines[at.line - 1]) and at.line < len(lines):
            s = starts[at.line]  # a span from a line's end starts on the next line
        if e > s:
            spans.append((s, e, anchor, _title(report, table, row, column)))
    spans.sort(key=lambda x: (x[0], -x[1], x[2]))
    kept: list[tuple[int, int, str, str]] = []
    ids: dict[str, str] = {}
    open_ends: list[int] = []
    for s, e, anchor, title in spans:
        if kept and kept[-1][:2] == (s, e):
            ids[anchor] = kept[-1][2]
            continue
        while open_ends and open_ends[-1] <= s:
            open_ends.pop()
        if open_ends and e > open_ends[-1]:
            continue  # crosses the span it starts in
        kept.append((s, e, anchor, title))
        ids[anchor] = anchor
        open_ends.append(e)
    return kept, ids


def _title(report: Report | None, table: str, row: str, column: str | None) -> str:
    """What was read there, in the template's words (`表三 予以公开·自然人`)."""
    if table == "metrics":
        return "正文中的数字"
    tpl = (report.template if report else None) or "2021"
    rows, columns = _labels(tpl, table)
    text = f"表{T.TABLE_LABELS[table][0]} {rows.get(row, row)}"
    return text + (f"·{columns.get(column, column)}" if column else "")


@cache
def _labels(tpl: str, table: str) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """A table's row and column labels in a template."""
    if table == "requests":
        return {r.key: r.label for r in T.REQUEST_ROWS[tpl]}, T.APPLICANT_LABELS
    if table == "appeals":
        return T.APPEAL_GROUP_LABELS, T.APPEAL_COLUMN_LABELS
    rows = {r.key: r.label for r in T.PROACTIVE_ROWS[tpl]}
    return rows, T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS


def text_html(lines: Sequence[str], marks: Sequence[tuple[int, int, str, str]]) -> str:
    """The lines as `<div id="L<n>">`, each mark (_marks) a `<span class="f" id=…>` (split at line ends)."""
    events: dict[int, list[tuple[int, str]]] = {}
    for s, e, anchor, title in marks:
        events.setdefault(s, []).append((1, f'<span class="f" id="{esc(anchor)}" title="{esc(title)}">'))
        events.setdefault(e, []).append((0, "</span>"))
    out, pos, depth = [], 0, 0
    keys, i = sorted(events), 0  # each line takes the offsets up to its end (a line's range follows the last's)
    for n, line in enumerate(lines, 1):
        piece = [f'<div class="l" id="L{n}">' + '<span class="f">' * depth]
        j = bisect.bisect_right(keys, pos + len(line), i)
        cuts, i = keys[i:j], j
        last = pos
        for k in cuts:
            piece.append(esc(line[last - pos:k - pos]))
            for kind, tag in sorted(events[k], key=lambda ev: ev[0]):  # closings first; openings outer first
                if kind == 0 and depth:
                    depth -= 1
                    piece.append(tag)
                elif kind == 1 and k < pos + len(line) + (1 if n < len(lines) else 0):
                    depth += 1
                    piece.append(tag)
            del events[k]
            last = k
        piece.append(esc(line[last - pos:]) + "</span>" * depth + "</div>")
        out.append("".join(piece))
        pos += len(line) + 1
    return "".join(out)


def render_source(report: Report, agency_name: str, lines: Sequence[str]) -> tuple[str, dict[str, str]]:
    """The source view page of one report (standalone HTML; every link relative), and each place's anchor
    → the id that marks it there."""
    marks, ids = _marks(lines, targets(report), report)
    here = source_dir(report)
    root = href(here, "")
    page = href(here, f"agencies/{report.agency.id}/{report.year}/")
    title = f"{agency_name} {report.year} 年报告原文"
    s = report.source
    name = raw_name(report)
    facts = [
        ("原始文件", f'<a href="{esc(name)}" download>{esc(s.original_name or name)}</a>（{esc(s.format or "")}，按下载时原样发布）'),
        ("SHA-256", f"<code>{esc(s.sha256)}</code>" if s.sha256 else NA),
        *provenance_facts(report),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)}</title><link rel="icon" href="data:,">'  # no icon request (it would be /favicon.ico)
        f'<link rel="stylesheet" href="{href(here, STYLESHEET)}"></head>'
        f'<body><header class="top"><nav aria-label="所在位置"><a href="{root}">首页</a> › '
        f'<a href="{href(here, f"agencies/{report.agency.id}/")}">{esc(agency_name)}</a> › <a href="{page}">{report.year} 年报告</a> › 原文</nav></header>'
        f'<main><h1>{esc(title)}</h1><dl class="facts">{dl}</dl>'
        '<p class="note">下面是 nianbao 读取的文本（转换并规范化空白和全角数字后），左侧是行号。报告页上的每个数字都链接到这里读取它的位置，'
        '目标以黄色标出；浅色底纹是读取过的数字和行。</p>'
        f'<div class="src">{text_html(lines, marks)}</div></main></body></html>\n'
    ), ids

