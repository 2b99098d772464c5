"""PDF → lines: tables from pdfplumber's table finder (ruling lines), the text around them, in reading order.

Per page, the blocks (text lines and tables) are ordered top to bottom. A table that runs on from the
foot of one page to the head of the next is one table: a repeated header row is dropped, and a row that the
page break cut in two is joined again. Page numbers (`— 3 —`, `- 3 -`, `第3页`) and running headers or
footers repeated on most pages are dropped. Wrapped prose lines are joined into their paragraph; in text
outside ruled tables a wide gap between words becomes a tab, as a column gap.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import Document, cell_text, properties, table_block
from .limits import DecodedTooLarge, bounded_pdf_streams, check_pdf_chars, check_pdf_pages

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－─~～\s]*\d{1,4}[-—–－─~～\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)
# Lines that start a heading or a numbered item: never joined to the line before them.
_ITEM_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))")
_LIST_MARK_GAP = re.compile(r"^((?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]|[\u2460-\u2473]))[ \t]+")
_DIGIT = re.compile(r"\d")
_MARGIN = 0.08  # top and bottom share of the page where running headers and footers live


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


@dataclass
class _Table:
    top: float
    rows: list[list[str | None]]
    xs: list[float]  # left edge of each grid column
    right: float = 0.0


@dataclass
class _Page:
    width: float
    height: float
    blocks: list[_Line | _Table] = field(default_factory=list)


def read_pdf(data: bytes, path: str | Path) -> Document:
    info: dict = {}
    pages = _read_pages(data, path, info)
    _drop_running_lines(pages)
    lines = _assemble(pages)
    return Document(lines=lines, format="pdf", encoding=None, properties=info)


def _read_pages(data: bytes, path: str | Path, info: dict[str, str]) -> list[_Page]:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[_Page] = []
    chars = images = 0
    try:
        with bounded_pdf_streams(), pdfplumber.open(io.BytesIO(data)) as pdf:
            check_pdf_pages(pdf.doc, path)
            if not pdf.pages:
                raise InputError("the PDF has no pages (corrupt or truncated file)", path)
            info.update(_document_info(pdf.metadata))
            for page in pdf.pages:
                check_pdf_chars(chars + len(page.chars), path)  # before the costly work on them
                page = page.dedupe_chars()
                chars += len(page.chars)
                images += len(page.images)
                pages.append(_read_page(page))
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged files
        causes = [exc, *[a for a in exc.args if isinstance(a, BaseException)]]  # pdfplumber wraps pdfminer's
        if too_large := next((c for c in causes if isinstance(c, DecodedTooLarge)), None):
            raise InputError(str(too_large), path) from None
        name = " ".join(type(c).__name__ for c in causes)
        if "Password" in name or "Encrypt" in name:
            raise InputError("the PDF is password-protected; save an unprotected copy", path) from None
        detail = next((str(c).strip().splitlines()[0][:120] for c in causes if str(c).strip()), name)
        raise InputError(f"corrupt or truncated PDF file ({detail})", path) from None
    if chars == 0:
        what = "scanned PDF with no text layer" if images else "PDF with no text layer"
        raise InputError(f"{what}; OCR is not supported", path)
    return pages


def _document_info(metadata: dict) -> dict[str, str]:
    """The document information dictionary's title and author (text strings; other values are skipped)."""
    pairs = []
    for key in ("Title", "Author"):
        value = metadata.get(key)
        if isinstance(value, bytes):
            from pdfminer.utils import decode_text

            value = decode_text(value)
        pairs.append((f"pdf-{key.lower()}", value if isinstance(value, str) else None))
    return properties(pairs)


def _read_page(page) -> _Page:
    out = _Page(width=float(page.width), height=float(page.height))
    tables = page.find_tables()
    rest = page
    for table in tables:
        # None where a merged cell spans over the position, as the other readers give it.
        rows = [[None if c is None else cell_text(c, wrapped=True) for c in row] for row in table.extract()]
        width = max((len(r.cells) for r in table.rows), default=0)
        xs = [min((r.cells[j][0] for r in table.rows if j < len(r.cells) and r.cells[j]), default=0.0)
              for j in range(width)]
        out.blocks.append(_Table(float(table.bbox[1]), rows, [float(x) for x in xs], float(table.bbox[2])))
        rest = rest.outside_bbox(table.bbox)
    for line in rest.extract_text_lines(return_chars=True):
        text = _line_text(line["chars"])
        if text:
            sizes = sorted(float(c.get("size", 10)) for c in line["chars"])
            out.blocks.append(
                _Line(text, float(line["top"]), float(line["bottom"]), float(line["x0"]), float(line["x1"]),
                      sizes[len(sizes) // 2])
            )
    out.blocks.sort(key=lambda b: b.top)
    return out


def _line_text(chars: list[dict]) -> str:
    """A line's text from its characters: a gap of about a letter is a space, a wide gap a tab."""
    parts: list[str] = []
    prev = None
    for ch in sorted(chars, key=lambda c: c["x0"]):
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            size = max(float(prev.get("size", 10)), 1.0)
            if gap > 1.5 * size:
                parts.append("\t")
            elif gap > 0.3 * size and not ch["text"].isspace() and not prev["text"].isspace():
                parts.append(" ")
        parts.append(ch["text"])
        prev = ch
    text = re.sub(r"[ \u3000]*\t[ \u3000\t]*", "\t", re.sub(r"[ \u00a0]+", " ", "".join(parts))).strip()
    return _LIST_MARK_GAP.sub(r"\1", text)  # a list number's tab stop is not a column gap


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers anywhere in the margins and headers/footers printed on most pages."""
    seen: Counter[str] = Counter()
    for page in pages:
        for text in {b.text for b in page.blocks if isinstance(b, _Line) and _in_margin(b, page)}:
            seen[text] += 1
    repeated = {t for t, n in seen.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.6)}
    for page in pages:
        page.blocks = [
            b
            for b in page.blocks
            if not (
                isinstance(b, _Line)
                and (_PAGE_NUMBER.match(b.text) and (_in_margin(b, page) or not b.text.strip().isdigit())
                     or (b.text in repeated and _in_margin(b, page)))
            )
        ]


def _in_margin(line: _Line, page: _Page) -> bool:
    return line.bottom <= page.height * _MARGIN or line.top >= page.height * (1 - _MARGIN)


def _assemble(pages: list[_Page]) -> list[str]:
    lines: list[str] = []
    open_table: _Table | None = None  # the last table, while nothing but a page break follows it
    tables: list[_Table] = []
    prev_line: _Line | None = None
    right = _right_edge(pages)
    for page in pages:
        for i, block in enumerate(page.blocks):
            if isinstance(block, _Table):
                # nothing above it on the page but a running header
                at_head = all(isinstance(b, _Line) and _in_margin(b, page) for b in page.blocks[:i])
                columns = _column_map(open_table, block) if at_head and open_table is not None else None
                if open_table is not None and columns is not None:
                    _extend(open_table.rows, _remap(block.rows, columns, len(open_table.xs)))
                else:
                    open_table = _Table(block.top, [list(r) for r in block.rows], block.xs, block.right)
                    tables.append(open_table)
                    lines.append(_table_marker(len(tables) - 1))
                prev_line = None
                continue
            if not _in_margin(block, page):
                open_table = None
            if prev_line is not None and _joins(prev_line, block, right):
                lines[-1] += ("" if _cjk_boundary(lines[-1], block.text) else " ") + block.text
            else:
                lines.append(block.text)
            prev_line = block
    out: list[str] = []
    for line in lines:
        index = _marker_index(line)
        out.extend(table_block(tables[index].rows) if index is not None else [line])
    return out


def _right_edge(pages: list[_Page]) -> float:
    edges = [b.x1 for p in pages for b in p.blocks if isinstance(b, _Line) and len(b.text) > 15]
    return max(edges) if edges else 0.0


def _joins(prev: _Line, line: _Line, right: float) -> bool:
    """A wrapped line: the one before it ran to the right margin, and this one does not start an item."""
    if "\t" in prev.text or "\t" in line.text or _ITEM_START.match(line.text):
        return False
    if prev.x1 < right - 2.2 * prev.size:
        return False
    gap = line.top - prev.bottom
    return gap < 0 or gap <= 1.2 * prev.size or line.top < prev.top  # next page: top is smaller


def _cjk_boundary(left: str, right: str) -> bool:
    return bool(left) and bool(right) and (not left[-1].isascii() or not right[0].isascii())


def _column_map(table: _Table, fragment: _Table) -> list[int] | None:
    """Where each column of a table at the head of a page sits in the table that ended the page before;
    None when the two are not one frame (then it is a new table). Each fragment shows only the column edges
    its own rows draw, so the table takes the union of both; its rows are spread over any new columns."""
    if not fragment.rows or not fragment.xs or not table.xs:
        return None
    if abs(table.xs[0] - fragment.xs[0]) > 3.0 or abs(table.right - fragment.right) > 3.0:
        return None
    union: list[float] = []
    for x in sorted(table.xs + fragment.xs):
        if not union or x - union[-1] > 3.0:
            union.append(x)

    def index(x: float) -> int:
        return min(range(len(union)), key=lambda j: abs(union[j] - x))

    if len(union) > len(table.xs):
        table.rows = _remap(table.rows, [index(x) for x in table.xs], len(union))
        table.xs = union
    return [index(x) for x in fragment.xs]


def _remap(rows: list[list[str | None]], columns: list[int], width: int) -> list[list[str | None]]:
    out = []
    for row in rows:
        cells: list[str | None] = [None] * width  # columns the fragment lacks are spanned over
        for j, text in enumerate(row):
            if j < len(columns):
                cells[columns[j]] = text
        out.append(cells)
    return out


def _extend(table: list[list[str | None]], rows: list[list[str | None]]) -> None:
    """Append a table's continuation: without a repeated header, joining a row cut by the page break."""
    repeat = 0
    while repeat < min(len(rows), len(table)) and _same_row(rows[repeat], table[repeat]) and any(rows[repeat]):
        repeat += 1
    rows = rows[repeat:]
    # The row cut in two: the last row, or in a header without figures, the cells that reach down to it.
    owners = [len(table) - 1] * len(table[-1]) if table else []
    if rows and table and not _is_row_remainder(table[-1], rows[0]) and not any(
            _DIGIT.search(c or "") for c in (*rows[0], *table[-1])):
        owners = _owners(table)
    if rows and table and _is_row_remainder([table[i][j] if i is not None else None for j, i in enumerate(owners)], rows[0]):
        for j, text in enumerate(rows[0]):
            if text:
                i = owners[j]
                table[i][j] = table[i][j] + ("" if _cjk_boundary(table[i][j], text) else " ") + text
        rows = rows[1:]
    if rows and table:
        # A cell merged downwards and cut by the page is drawn again, empty, at the top of the next page:
        # it is the same cell, spanned over (None), not a blank cell of the row.
        rows[0] = [None if not text and j < len(table[-1]) and table[-1][j] is None else text
                   for j, text in enumerate(rows[0])]
    table.extend(list(r) for r in rows)


def _owners(table: list[list[str | None]]) -> list[int | None]:
    """For each column of the table's last row, the row whose cell stands there: the last row itself, or the
    row above whose cell is merged down into it; None for a column no cell owns. Only a None at the head of
    its row is proven merged down (a None after a cell may be that cell merged across)."""
    owners: list[int | None] = []
    for j in range(len(table[-1])):
        i = len(table) - 1
        while i > 0 and all(c is None for c in table[i][:j + 1]) and j < len(table[i - 1]):
            i -= 1
        owners.append(i if table[i][j] is not None else None)
    return owners


def _same_row(a: list[str | None], b: list[str | None]) -> bool:
    return [c or "" for c in a] == [c or "" for c in b]


def _is_row_remainder(last: list[str | None], first: list[str | None]) -> bool:
    """The top of a row cut by a page break: its text sits only under cells of the row above that have
    text, and it has fewer filled cells (numbers are printed at the top of a cell, so they stay above)."""
    filled = [j for j, t in enumerate(first) if t]
    return bool(filled) and all(last[j] for j in filled) and len(filled) < sum(1 for t in last if t)


def _table_marker(index: int) -> str:
    return f"\x00table:{index}"


def _marker_index(line: str) -> int | None:
    return int(line[7:]) if line.startswith("\x00table:") else None
