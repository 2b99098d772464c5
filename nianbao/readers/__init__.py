"""Read a source file into lines of text: the one shape the parser reads.

Tables come out one row per line with cells separated by tabs, so DOCX, PDF and HTML tables reach the
parser in the same shape as converter text. Each cell is written once, where it starts: a merged cell adds
no empty fields for the columns or rows it spans, so an empty field is always a blank cell of the source,
at its own position, and a row's figures are the fields after its label in order. Prose paragraphs and
headings are lines in document order, and a table has a blank line before and after it. The format is
recognised from the content, not only the extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import limits

MAX_PROPERTY = 300  # characters kept of one document property (a title, an author)

_SPACES = re.compile(r"\s+")
# A line break next to a CJK character (or CJK punctuation) inside a PDF cell is a wrap, not a space.
_DIGIT_WRAP = re.compile(r"(?<=\d)[ \t]*\n\s*(?=\d)")
_CJK_WRAP = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\n\s*|[ \t]*\n\s*(?=[^\x00-\x7f])")


@dataclass
class Document:
    lines: list[str]
    format: str  # txt, md, docx, pdf, html
    encoding: str | None  # of text formats; None for binary containers
    # What the file says about itself, as printed: an HTML page's meta tags and <title> (keys `meta:SiteName`,
    # `html-title`), DOCX core properties (`docx-title`, `docx-author`, `docx-company`), PDF document info
    # (`pdf-title`, `pdf-author`), a Markdown file's front matter title (`md-title`). Empty values are left
    # out. The parser weighs them as evidence.
    properties: dict[str, str] = field(default_factory=dict)


def cell_text(text: str | None, *, wrapped: bool = False) -> str:
    """A table cell's text on one line: whitespace (newlines, tabs, paragraphs) collapsed to single spaces.

    `wrapped`: the newlines are the layout's line wraps (PDF), so a wrap inside Chinese text joins with no space.
    """
    if not text:
        return ""
    if wrapped:
        # A figure wider than its narrow cell wraps (70 / 5): its digits are one number.
        text = _DIGIT_WRAP.sub("", _CJK_WRAP.sub("", text))
    return _SPACES.sub(" ", text).strip()


def prose_text(text: str) -> str:
    """A paragraph's text: tabs and runs of spaces made one space, so prose is never taken for a table row."""
    return _SPACES.sub(" ", text.replace("\t", " ")).strip()


def properties(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Document properties as one-line text, empty ones left out (the first of a repeated key is kept)."""
    out: dict[str, str] = {}
    for key, value in pairs:
        text = prose_text(str(value))[:MAX_PROPERTY] if value is not None else ""
        if text and key not in out:
            out[key] = text
    return out


def row_line(cells: Iterable[str]) -> str:
    return "\t".join(cells)


def lay_out(cells: list[tuple[int, int, int, str]], narrow: frozenset[int] = frozenset()) -> list[list[str | None]]:
    """Rows on the grid from (row, column, colspan, text) of each cell where it starts; None where no cell
    starts. `narrow` grid columns (of almost no width, a writer's rounding of column edges) are folded into
    the column after them, so a cell spans the columns a reader sees."""
    if not cells:
        return []
    width = max(c + span for _, c, span, _ in cells)
    before = [0] * (width + 1)  # visible columns left of each grid column
    for j in range(width):
        before[j + 1] = before[j] + (j not in narrow)
    rows: list[list[str | None]] = [[None] * before[width] for _ in range(max(r for r, *_ in cells) + 1)]
    for r, c, span, text in cells:
        start, end = before[c], before[min(c + span, width)]
        if start >= len(rows[r]) or (end == start and not text):
            continue
        rows[r][start] = f"{rows[r][start]} {text}".strip() if rows[r][start] else text
    return rows


def table_block(rows: list[list[str | None]]) -> list[str]:
    """A table's lines with a blank line before and after.

    A cell is None where a cell to its left or above spans over it: it is not written, so the fields of a
    line are the row's own cells and an empty field is a blank cell. Columns blank in every row at the
    right edge (a writer's spare column) and rows with no text are dropped.
    """
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    width = max(max(j for j, cell in enumerate(row) if cell) + 1 for row in rows)
    return ["", *(row_line(cell for cell in row[:width] if cell is not None) for row in rows), ""]


def sniff_format(data: bytes, path: Path) -> str:
    """The file's format from its first bytes, falling back on the extension for plain text."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and path.suffix.lower() == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    probe = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    lowered = head.lower()
    ext = path.suffix.lower().lstrip(".")
    # A Markdown file may open with raw HTML blocks (`<div class="top-bar">`, as pandoc writes a saved page's
    # chrome): only a whole HTML document makes it a page.
    fragment = ext not in ("md", "markdown") and probe.startswith(b"<") and (
        b"<body" in lowered or b"<table" in lowered or b"<div" in lowered)
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml", b"<!--", b"<meta", b"<head")) or fragment:
        return "html"
    if ext in ("html", "htm", "xhtml", "shtml") and b"<" in head:
        return "html"
    return "md" if ext in ("md", "markdown") else "txt"


def read_document(path: str | Path) -> Document:
    """The file's lines, within the limits of readers/limits.py (InputError past any of them)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path) from None
    if path.is_dir():
        raise InputError("is a folder, not a report file", path)
    if size == 0:
        raise InputError("the file is empty", path)
    with path.open("rb") as f:
        head = f.read(2048)
    fmt = sniff_format(head, path)
    limits.check_file_size(size, fmt, path)
    try:
        document = _read(path.read_bytes(), fmt, path)
    except MemoryError:  # past the memory budget of an ingest worker (nianbao/workers.py)
        raise InputError("reading it needs more memory than one report may take", path) from None
    limits.check_text_length(document.lines, path)
    return document


def _read(data: bytes, fmt: str, path: Path) -> Document:
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, path)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, path)
    if fmt == "html":
        from .html import read_html

        return read_html(data, path)
    if fmt == "doc":
        raise InputError("an old Office binary file (Word .doc or WPS), not .docx; save it as .docx or PDF first", path)
    if fmt == "rtf":
        raise InputError("an RTF file, which is not read; save it as .docx or PDF first", path)
    from ..parse.normalize import decode_bytes

    text, encoding = decode_bytes(data, path)
    lines = text.split("\n")
    from .markdown import embedded_tables, front_matter

    if "<table" in text.lower():  # Markdown (or text saved from it) holding raw HTML tables
        lines = embedded_tables(lines)
    return Document(lines=lines, format=fmt, encoding=encoding, properties=properties(front_matter(lines)))

