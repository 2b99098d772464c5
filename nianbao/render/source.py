"""Every figure to its source: the source view of a report, and the links from its page to it.

Each report's source view lies beside its page: `agencies/<agency-id>/<year>/src.html`, so the ~200
links of a report page are short (`src.html#r-granted-total`, not a path up and down the site). It
holds the normalised text the parser read, one `<p>` per line (`#L<n>`), and every span the record keeps
(`spans`, parse/spans.py) marked with its own anchor (`#r3-7`: table 三's 3rd row, 7th column; `#r3` for
the row; `#m-<key>` for a prose figure; tables p, r, a = 二, 三, 四; see `anchor`). A link's target is highlighted by CSS
`:target`, without JavaScript. The raw file is published beside it as downloaded (`<year>.<ext>`, its
sha256 shown) when the site's settings let it (render/publish.py).

The source view is a plain HTML file, not a MkDocs page: at 10,000 reports the texts are the site's
largest pages, and a theme around each would double MkDocs' work and every view's weight. Pagefind
indexes only pages with data-pagefind-body, which it has not (nor does the report page index the prose: pages.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath

from .. import template as T
from ..model import Problem, Report
from ..parse.spans import Located, decode
from ..source_text import raw_file, source_lines
from . import NA, esc, href, link_out, publish

TABLE_IDS = {"proactive": "p", "requests": "r", "appeals": "a", "metrics": "m"}
STYLESHEET = "assets/nianbao/source.css"
VIEW = "src.html"  # the view's name in the report's folder


def source_dir(report: Report) -> str:
    """The report's folder on the site (its page's): the view and the raw file lie there."""
    return f"agencies/{report.agency.id}/{report.year}/"


# Formats a browser or MkDocs never runs or renders: published under their own name. Any other (HTML, whose
# scripts would run on this site, Markdown, which MkDocs would make a page) gets `.txt` after its name.
INERT = frozenset({"txt", "pdf", "docx", "doc", "wps", "rtf", "odt", "xls", "xlsx"})


def raw_name(report: Report) -> str:
    """The published raw file's name: the stored one (`<year>.<ext>`), `.txt` added unless it is inert."""
    name = PurePosixPath(report.source.path or "").name
    return name if PurePosixPath(name).suffix.lower().lstrip(".") in INERT else f"{name}.txt"


@dataclass(frozen=True)
class View:
    """A report's published source view: its span anchors (a place's anchor → the id that marks it), the
    raw file's name beside it ("" when the site does not publish it) and, then, why not."""

    anchors: dict[str, str] = field(default_factory=dict)
    raw: str = ""
    withheld: str = ""


def write_source(out, report: Report, agency_name: str) -> View | None:
    """Write the report's source view (and its raw file, when the site publishes it: render/publish.py)
    through the site's writer (site.DocsWriter); None (nothing written) when its text is not at hand."""
    lines = source_lines(report) if report.year is not None else None
    if lines is None:
        return None
    folder = source_dir(report)
    raw = raw_file(report)
    withheld = publish.withheld(report, raw)
    if raw is not None and not withheld:
        out.copy(raw, folder + raw_name(report))
    view = View(raw="" if withheld else raw_name(report), withheld=withheld)
    page, anchors = render_source(report, agency_name, lines, view)
    out.write(folder + VIEW, page)
    return View(anchors, view.raw, view.withheld)


def _columns(template: str | None, table: str, row: str) -> tuple[str, ...]:
    if table == "requests":
        return T.APPLICANT_COLUMNS
    if table == "appeals":
        return T.APPEAL_COLUMNS
    if table == "proactive" and template:
        return next((tuple(r.columns) for r in T.PROACTIVE_ROWS[template] if r.key == row), ())
    return ()


def _rows(template: str | None, table: str) -> list[str]:
    tpl = template or "2021"
    if table == "requests":
        return [r.key for r in T.REQUEST_ROWS[tpl]]
    if table == "appeals":
        return list(T.APPEAL_GROUPS)
    return [r.key for r in T.PROACTIVE_ROWS[tpl]] if table == "proactive" else []


@cache
def _numbers(template: str | None, table: str) -> dict[str, tuple[int, dict[str, int]]]:
    """Each row of a table → its number in the template and its columns' numbers (from 1), once per
    template and table: a report page asks for ~200 anchors."""
    return {row: (i, {c: j for j, c in enumerate(_columns(template, table, row), 1)})
            for i, row in enumerate(_rows(template, table), 1)}


def anchor(report: Report, table: str, row: str, column: str | None = None) -> str:
    """A place's id in the source view: the table's letter, the row's number in the template and the
    column's (`r3-7`: table 三, its 3rd row, 7th column, 总计); a prose figure's key (`m-<key>`). Short
    because a report page links ~200 of them: `#r-refused_state_secret-natural_person` would cost 3 KB."""
    t = TABLE_IDS[table]
    numbered = _numbers(report.template, table).get(row)
    if numbered is None:
        return f"{t}-{row}" + (f"-{column}" if column else "")
    number, columns = numbered
    place = f"{t}{number}"
    return place + (f"-{columns[column]}" if column in columns else f"-{column}" if column else "")


_LAST_TARGETS: list = [None, {}]  # the last report's: asked for by its source view, then by its page


def targets(report: Report) -> dict[tuple[str, str, str | None], tuple[str, Located]]:
    """Every recorded span by (table, row or metric key, column or None): its anchor and place (not to be
    changed by the caller)."""
    if _LAST_TARGETS[0] is report:
        return _LAST_TARGETS[1]
    out: dict[tuple[str, str, str | None], tuple[str, Located]] = {}
    for table, rows in report.spans.items():
        for row, text in rows.items():
            first, *cells = decode(text)
            if first is not None:
                out[(table, row, None)] = (anchor(report, table, row), first)
            for column, at in zip(_columns(report.template, table, row), cells, strict=False):
                if at is not None:
                    out[(table, row, column)] = (anchor(report, table, row, column), at)
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
    """Links from a report page (`here`) to the places of its source view (`view`, what write_source
    gives); no links when it has no source view (None). `base` is the view's address, `raw` the raw
    file's ("" when not published, `withheld` saying why)."""

    def __init__(self, report: Report, here: str, view: View | None = None):
        folder = source_dir(report)
        self.base = href(here, folder + VIEW) if view is not None else ""
        self.raw = href(here, folder + view.raw) if view is not None and view.raw else ""
        self.withheld = view.withheld if view is not None else ""
        self.places = targets(report) if view is not None else {}
        self.anchors = view.anchors if view is not None else {}

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
        # No title and no class: ~200 links a page, each would repeat them (site.css styles `td > a`); a
        # note above the tables says what they do.
        return f'<a href="{link}">{value_html}</a>' if link else value_html

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


def _marks(lines: Sequence[str], places: dict[tuple[str, str, str | None], tuple[str, Located]]
           ) -> tuple[list[tuple[int, int, str]], dict[str, str]]:
    """(start, end, anchor) in text offsets, nested, and each place's anchor → the id that marks it:
    places with the same span share one mark (table 四's three groups read from one run); a span crossing
    another one is left out (its line anchor still leads there)."""
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for anchor, at in places.values():
        if at.line > len(lines) or at.end_line > len(lines):
            continue
        s, e = starts[at.line - 1] + at.start, starts[at.end_line - 1] + at.end
        if at.start >= len(lines[at.line - 1]) and at.line < len(lines):
            s = starts[at.line]  # a span from a line's end starts on the next line
        if e > s:
            spans.append((s, e, anchor))
    spans.sort(key=lambda x: (x[0], -x[1], x[2]))
    kept: list[tuple[int, int, str]] = []
    ids: dict[str, str] = {}
    open_ends: list[int] = []
    for s, e, anchor in spans:
        if kept and kept[-1][:2] == (s, e):
            ids[anchor] = kept[-1][2]
            continue
        while open_ends and open_ends[-1] <= s:
            open_ends.pop()
        if open_ends and e > open_ends[-1]:
            continue  # crosses the span it starts in
        kept.append((s, e, anchor))
        ids[anchor] = anchor
        open_ends.append(e)
    return kept, ids


_BARE = re.compile(r"[A-Za-z0-9_.-]+")


def _id(anchor: str) -> str:
    """` id=…`, unquoted when HTML allows it (every anchor the template makes): views are the largest files."""
    return f" id={anchor}" if _BARE.fullmatch(anchor) else f' id="{esc(anchor)}"'


def text_html(lines: Sequence[str], marks: Sequence[tuple[int, int, str]]) -> str:
    """The lines as `<p id=L<n>>` (the end tag is implied), each mark (_marks) a `<mark id=…>`, closed at
    a line's end and opened again (without the id) on the next: nothing heavier per line or figure, since
    at 10,000 reports the views are a third of the site."""
    events: dict[int, list[tuple[int, str]]] = {}
    for s, e, anchor in marks:
        events.setdefault(s, []).append((1, f"<mark{_id(anchor)}>"))
        events.setdefault(e, []).append((0, "</mark>"))
    out, pos, depth = [], 0, 0
    keys, i = sorted(events), 0  # each line takes the offsets up to its end (a line's range follows the last's)
    for n, line in enumerate(lines, 1):
        piece = [f"<p id=L{n}>" + "<mark>" * depth]
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
        piece.append(esc(line[last - pos:]) + "</mark>" * depth)
        out.append("".join(piece))
        pos += len(line) + 1
    return "".join(out)


# The palette the reader chose on the site (Material keeps it in localStorage under the site root's path +
# ".__palette"): the view follows it; without a choice (or without JavaScript) it follows the system.
PALETTE_JS = ('try{var p=JSON.parse(localStorage.getItem(new URL("{root}",location).pathname+".__palette"));'
              'if(p&&p.color&&p.color.scheme)document.documentElement.dataset.scheme=p.color.scheme}catch(e){}')


def render_source(report: Report, agency_name: str, lines: Sequence[str], view: View | None = None
                  ) -> tuple[str, dict[str, str]]:
    """The source view page of one report (standalone HTML; every link relative), and each place's anchor
    → the id that marks it there. `view` says whether the raw file is published beside it."""
    view = view or View(raw=raw_name(report))
    marks, ids = _marks(lines, targets(report))
    here = source_dir(report)
    root = href(here, "")
    title = f"{agency_name} {report.year} 年报告原文"
    s = report.source
    shown = esc(s.original_name or raw_name(report))
    if view.raw:
        raw = f'<a href="{esc(view.raw)}" download>{shown}</a>（{esc(s.format or "")}，按下载时原样发布）'
    else:
        raw = f"{shown}（{esc(s.format or '')}，{esc(view.withheld)}）"
    facts = [("原始文件", raw), ("SHA-256", f"<code>{esc(s.sha256)}</code>" if s.sha256 else NA), *provenance_facts(report)]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)}</title><link rel="icon" href="data:,">'  # no icon request (it would be /favicon.ico)
        f'<link rel="stylesheet" href="{href(here, STYLESHEET)}"><script>{PALETTE_JS.replace("{root}", root)}</script></head>'
        f'<body><header class="top"><nav aria-label="所在位置"><a href="{root}">首页</a> › '
        f'<a href="../">{esc(agency_name)}</a> › <a href="./">{report.year} 年报告</a> › 原文</nav></header>'
        f'<main><h1>{esc(title)}</h1><dl class="facts">{dl}</dl>'
        '<p class="note">下面是 nianbao 读取的文本（转换并规范化空白和全角数字后），左侧是行号。报告页上的每个数字都链接到这里读取它的位置，'
        '目标以黄色标出；浅色底纹是读取过的数字和行。</p>'
        f'<div class="src">{text_html(lines, marks)}</div></main></body></html>\n'
    ), ids
