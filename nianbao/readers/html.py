"""HTML → lines: a saved government page's report body, its tables laid on their grid.

The encoding comes from a `<meta charset>` (or http-equiv) when the page declares one, else the bytes are
tried as UTF-8, then GB18030. The report body is found by its content: the smallest element holding the
report's tables and section headings (一、总体情况 …); the site's navigation, header, footer and scripts
around it are left out. The title (…年度报告) is kept when it sits outside that element.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError
from . import Document, cell_text, lay_out, properties, prose_text, table_block

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_OPEN = re.compile(rb"<html[\s>]", re.IGNORECASE)
_HTML_CLOSE = re.compile(rb"</html\s*>", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_NOT_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
                "select", "button", "input", "textarea", "map")
_BLOCKS = frozenset(
    ("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
     "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "ul")
)
_HEADING = re.compile(
    r"[一二三四五六]\s*[、.．]\s*(?:[^\s]{0,6}总体|主动公开|收到和处理|[^\s]{0,8}行政复议|[^\s]{0,10}存在的?主要问题|其他需要报告)"
)
_TABLE_WORDS = re.compile(r"第二十条|信息内容|本年新收|申请人情况|自然人|行政复议|行政诉讼|行政许可|结果维持")
_TITLE = re.compile(r"(?:政府信息公开|政务公开).{0,12}报告")
_MAX_SPAN = 100
_META_NAMES = ("SiteName", "ColumnName", "ArticleTitle", "PubDate", "ContentSource", "Author", "Url")


def read_html(data: bytes, path: str | Path) -> Document:
    if _HTML_OPEN.search(data[:8192]) and not _HTML_CLOSE.search(data[-65536:]):
        raise InputError("the HTML page is cut short (no closing </html> tag); save the whole page again", path)
    text, encoding = _decode(data, path)
    root, props = _parse(text, path)
    _drop_outline(root)
    _join_positioned_runs(root)
    body = _report_body(root)
    lines: list[str] = []
    _Writer(lines).block(body)
    lines = _tidy(lines)
    title = _outside_title(root, body)
    if title and not any(_same(title[-1], line) for line in lines[:5]):
        lines[:0] = title
    if not any(lines):
        raise InputError("the HTML page has no text", path)
    return Document(lines=lines, format="html", encoding=encoding, properties=props)


# Decoding and parsing -------------------------------------------------------------------------------


def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    from ..parse.normalize import decode_bytes

    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    match = _META_CHARSET.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", errors="ignore").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn"):
            declared = "gb18030"  # the superset: pages labelled GB2312 routinely hold GBK characters
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass  # a wrong label: fall through to detection
    return decode_bytes(data, path)


def _parse(text: str, path: str | Path):
    import lxml.html
    from lxml.etree import Comment, ParserError, ProcessingInstruction

    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise InputError("the HTML page is empty", path)
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise InputError(f"not a readable HTML page ({exc})", path) from None
    page_title = root.findtext(".//title") or ""
    root.set("data-page-title", prose_text(re.split(r"[_|｜]| - | — ", page_title)[0]))
    props = properties([*_meta_tags(root), ("html-title", page_title)])
    for el in list(root.iter(Comment, ProcessingInstruction, *_NOT_CONTENT)):
        if el.getparent() is not None:
            el.drop_tree()
    return root, props


def _meta_tags(root) -> list[tuple[str, str | None]]:
    """The meta tags 《政府网站发展指引》 asks of a government page (SiteName, ColumnName, ArticleTitle,
    PubDate, ContentSource), and Author and Url, under the spelling the guideline gives them."""
    wanted = {name.lower(): name for name in _META_NAMES}
    return [(f"meta:{wanted[name]}", el.get("content")) for el in root.iter("meta")
            if (name := (el.get("name") or "").strip().lower()) in wanted]


# Text placed on the page (poppler's pdftohtml) ------------------------------------------------------

_TOP_LEFT = re.compile(r"position\s*:\s*absolute.*?top\s*:\s*(-?\d+)px.*?left\s*:\s*(-?\d+)px", re.IGNORECASE)
_SAME_LINE_PX = 6  # runs of one printed line differ in top by their fonts' ascent (a digit font, a CJK font)


def _drop_outline(root) -> None:
    """pdftohtml appends the PDF's bookmarks after the last page (`<a name="outline"></a><h1>Document
    Outline</h1><ul>…`): navigation, not text of the report (its headings would come after the signature)."""
    for anchor in list(root.iter("a")):
        if anchor.get("name") != "outline" or anchor.getparent() is None:
            continue
        following = anchor.getnext()
        if following is not None and following.tag == "h1" and (following.text_content() or "").strip() == "Document Outline":
            lists = following.getnext()
            if lists is not None and lists.tag in ("ul", "ol"):
                lists.drop_tree()
            following.drop_tree()


def _join_positioned_runs(root) -> None:
    """pdftohtml -s places every run of text of a PDF page absolutely (`<p style="position:absolute;top:107px;
    left:121px">`): a title set in two fonts is two runs, a table row one run per cell. Runs of one line
    (their tops within a few pixels) become one paragraph, in left-to-right order, separated by spaces as
    pdftotext -layout separates them; runs of several lines (with <br>) stay as they are."""
    for page in {el.getparent() for el in root.iter("p") if _TOP_LEFT.search(el.get("style") or "")}:
        runs = []
        for el in page:
            m = _TOP_LEFT.search(el.get("style") or "") if el.tag == "p" else None
            if m and not any(True for _ in el.iter("br")):
                runs.append((int(m.group(1)), int(m.group(2)), el))
        lines: list[list[tuple[int, int, object]]] = []
        for run in runs:
            line = next((line for line in lines if abs(line[0][0] - run[0]) <= _SAME_LINE_PX), None)
            if line is None:
                lines.append([run])
            else:
                line.append(run)
        for line in lines:
            first = line[0][2]
            texts = [prose_text(el.text_content() or "") for _, _, el in sorted(line, key=lambda r: r[1])]
            for _, _, el in line[1:]:
                el.drop_tree()
            for child in list(first):
                first.remove(child)
            first.text = " ".join(t for t in texts if t)


# Finding the report -----------------------------------------------------------------------------------


def _report_body(root):
    """The smallest element that holds every data table and section heading of the report."""
    body = root.find("body")
    body = body if body is not None else root
    # Tables of the template (not a site's list of related links with dates) and the section headings.
    anchors = [t for t in body.iter("table") if not _is_layout_table(t) and _TABLE_WORDS.search(t.text_content() or "")]
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        if _HEADING.search(own):
            anchors.append(el)
    if len(anchors) < 2:
        return _densest(body)
    common = _ancestors(anchors[0])
    for anchor in anchors[1:]:
        chain = set(_ancestors(anchor))
        common = [el for el in common if el in chain]
    return common[0] if common else body


def _ancestors(el) -> list:
    chain = []
    while el is not None:
        chain.append(el)
        el = el.getparent()
    return chain  # nearest first


def _densest(body):
    """With no headings or tables to go by: the element whose own paragraphs hold the most Chinese text."""
    best, best_score = body, 0
    for el in body.iter("div", "td", "article", "section", "main"):
        score = _cjk(el.text or "") + sum(_cjk(c.text_content() or "") for c in el if _is_paragraph(c))
        if score > best_score:
            best, best_score = el, score
    return best


def _is_paragraph(el) -> bool:
    """A paragraph of text (p, h2, a div holding no blocks), not a container of other blocks."""
    if not isinstance(el.tag, str) or el.tag in ("td", "table", "ul", "ol", "section", "article", "main"):
        return False
    return el.tag != "div" or not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el)


def _outside_title(root, body) -> list[str]:
    """The report's title when the page prints it above the body (…年度报告 in an h1 or a title div),
    with a short line just before it of the same kind (a title set on two lines: the agency, then the rest)."""
    inside = set(body.iter())  # elements, not id()s: lxml proxies of dropped references are recreated
    found = None
    for el in root.iter("h1", "h2", "h3", "h4", "div", "p", "td", "span", "strong"):
        if el in inside:
            break
        if any(isinstance(c.tag, str) and (c.tag in _BLOCKS or c.tag == "table") for c in el):
            continue  # a container (of the body, of a sidebar), not a title
        text = prose_text(el.text_content() or "")
        if _TITLE.search(text) and len(text) <= 80:
            found = el
    if found is None:
        title = root.get("data-page-title", "")
        return [title] if _TITLE.search(title) and len(title) <= 80 else []
    lines = [prose_text(found.text_content() or "")]
    before = found.getprevious()
    if before is not None and before.tag == found.tag:
        text = prose_text(before.text_content() or "")
        if text and len(text) <= 40 and "报告" not in text:
            lines.insert(0, text)
    return lines


def _same(title: str, line: str) -> bool:
    line = line.replace(" ", "")
    return bool(line) and len(line) <= len(title) + 10 and title.replace(" ", "") in line


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _is_layout_table(table) -> bool:
    """A table used to lay out the page (it holds other tables, or a single cell) is read as blocks."""
    if any(True for _ in table.iterdescendants("table")):
        return True
    rows = _rows(table)
    return len(rows) <= 1 and sum(1 for _ in (rows[0] if rows else ())) <= 1


def _rows(table) -> list:
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if isinstance(tr.tag, str) and tr.tag == "tr")
    return rows


# Writing lines ----------------------------------------------------------------------------------------


class _Writer:
    """Walks a subtree: inline text gathers into the current line; a block element or <br> ends it."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.current: list[str] = []

    def flush(self) -> None:
        text = prose_text("".join(self.current))
        if text:
            self.lines.append(text)
        self.current = []

    def block(self, el) -> None:
        self.flush()
        self._children(el)
        self.flush()

    def _children(self, el) -> None:
        if el.text:
            self.current.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self._element(child)
            if child.tail:
                self.current.append(child.tail)

    def _element(self, el) -> None:
        tag = el.tag
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            if _is_layout_table(el):
                for tr in _rows(el):
                    for td in tr:
                        if isinstance(td.tag, str):
                            self.block(td)
            else:
                self.lines.extend(table_block(table_grid(el)))
        elif tag == "pre":
            self.flush()
            self.lines.extend(prose_text(line) for line in (el.text_content() or "").split("\n") if line.strip())
        elif tag in _BLOCKS or tag in ("tr", "td", "th"):
            self.block(el)
        else:
            self._children(el)


def table_grid(table) -> list[list[str | None]]:
    """The table's rows on a grid, rowspan and colspan laid out: None where a cell spans over."""
    cells: list[tuple[int, int, int, str]] = []
    taken: set[tuple[int, int]] = set()
    rows = _rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            colspan = _span(td.get("colspan"))
            rowspan = min(_span(td.get("rowspan")), len(rows) - r)
            cells.append((r, c, colspan, cell_text(_cell_content(td))))
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan
    # A row with fewer cells than the table is wide has blank cells where it has none (not spans).
    width = max((c + span for _, c, span, _ in cells), default=0)
    cells += [(r, c, 1, "") for r in range(len(rows)) for c in range(width) if (r, c) not in taken]
    return lay_out(cells, _narrow_columns(table))


def _narrow_columns(table) -> frozenset[int]:
    """Columns a <col width> makes (almost) zero wide: the rounding of a table pasted from Word."""
    widths: list[str | None] = []
    for col in table.iter("col"):
        widths.extend([col.get("width")] * _span(col.get("span")))
    return frozenset(j for j, w in enumerate(widths) if w is not None and w.strip().rstrip("px").strip() in ("0", "1"))


def _cell_content(td) -> str:
    lines: list[str] = []
    _Writer(lines).block(td)
    return " ".join(lines)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), _MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def _tidy(lines: list[str]) -> list[str]:
    """No runs of blank lines, none at the start or end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
