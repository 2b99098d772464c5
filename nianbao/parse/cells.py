"""Delimited table rows read by cell position.

The readers write a DOCX, PDF or HTML table row as its cells separated by tabs, each cell once where it
starts, so an empty field is a blank cell of the source at its own column; Markdown rows separate cells
with pipes. A blank cell is null (whether it means 0 is the source's business) and never moves its
neighbours: the figures of a row are taken by position only when the row has exactly the table's number
of fields after its label. Converter text with padding tabs may have more fields than cells: extra blank
fields at the end are padding.
"""

from __future__ import annotations

import re

from .numbers import tokens
from .text import CJK

# A printed dash or slash in a cell says "nothing here", like a blank: never a number.
_BLANK = re.compile(r"^[\s\-—–/\\－]*$")


def row_fields(line: str) -> list[str] | None:
    """The stripped fields after a row's label (the line starts at the label); None for an undelimited line."""
    if "|" in line:
        pieces = line.split("|")
        if line.rstrip().endswith("|"):
            pieces = pieces[:-1]  # the closing pipe of a Markdown row
    elif "\t" in line:
        pieces = line.split("\t")
    else:
        return None
    return ["" if _BLANK.match(p) else p.strip() for p in pieces[1:]]


def line_fields(line: str) -> list[str] | None:
    """The fields of a delimited line that has no label (a row of figures only)."""
    if "|" in line:
        return row_fields(line if line.lstrip().startswith("|") else "|" + line)
    return row_fields("\t" + line) if "\t" in line else None


def fit(fields: list[str], n: int) -> list[str] | None:
    """Exactly n fields, trailing blank padding removed; None when the row has another number of cells."""
    fields = list(fields)
    while len(fields) > n and not fields[-1]:
        fields.pop()
    return fields if len(fields) == n else None


def field_value(field: str) -> int | None | bool:
    """A field's integer, None when blank, False when it is not one plain non-negative integer."""
    if not field:
        return None
    toks = tokens(field, 0, stop_at_text=False)
    if len(toks) != 1 or toks[0].is_decimal or toks[0].sign < 0 or CJK.search(field):
        return False
    return int(toks[0].value())


def positional(fields: list[str] | None, n: int) -> tuple[int | None, ...] | None:
    """The n cells of a row with blank cells, by position; None unless the row has exactly n cells, some
    blank, some filled, and each filled one a single integer."""
    fitted = fit(fields, n) if fields is not None else None
    if fitted is None or all(fitted) or not any(fitted):
        return None
    values = [field_value(f) for f in fitted]
    if any(v is False for v in values):
        return None
    return tuple(values)  # type: ignore[arg-type]


def has_blank_cell(fields: list[str] | None) -> bool:
    """A delimited row with a blank cell between or after its figures (so its figures are not glued)."""
    if not fields:
        return False
    filled = [i for i, f in enumerate(fields) if f]
    return bool(filled) and any(not f for f in fields[filled[0]:])


def lone_last(fields: list[str] | None, n: int) -> int | None:
    """The figure of a row whose only figure is its last field after at least n - 2 blank ones: the table's
    right-hand column (总计) in converter text that lost track of the blank cells. None otherwise."""
    if fields is None:
        return None
    fields = list(fields)
    while fields and not fields[-1]:
        fields.pop()
    if len(fields) < n - 1 or any(fields[:-1]):
        return None
    value = field_value(fields[-1])
    return value if isinstance(value, int) and not isinstance(value, bool) else None


MD_DELIMITER_ROW = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")


def figure_row(line: str) -> bool:
    """A delimited line of two or more figures and no label text at all (`|     | 1   | 1   | 4   |`): a row's
    figures printed apart from its label."""
    return ("|" in line or "\t" in line) and not CJK.search(line) and len(tokens(line, 0, stop_at_text=False)) >= 2


def line_above(doc, line: int) -> int:
    """The nearest line above with text, Markdown delimiter rows skipped (0 when there is none)."""
    above = line - 1
    while above > 0 and (not doc.line_text(above).strip() or MD_DELIMITER_ROW.match(doc.line_text(above))):
        above -= 1
    return above


def stray_figure_rows(doc, start: int, end: int, first_label: int) -> bool:
    """A figure row of the table (start to end) stands under no label alone on its line: before the first
    row label, under another figure row, or under a row that has its own figures. Then figure rows are not
    each printed below their label (markitdown's PDF tables put some above)."""
    first = doc.line_of(first_label)
    for number in range(doc.line_of(start), doc.line_of(end) + 1):
        if figure_row(doc.line_text(number)):
            above = line_above(doc, number)
            if above < first or tokens(doc.line_text(above), 0, stop_at_text=False):
                return True
    return False


def figures_either_side(doc, label: tuple[int, int], first_figure: int) -> bool:
    """In a table with stray figure rows: the label's own line has no figure, the figures after it are a
    figure row on a later line, and the line above the label is a figure row too. Whether the label belongs
    to the figures above it or below is not printed: neither is read."""
    line = doc.line_of(label[0])
    if doc.line_of(first_figure) <= doc.line_of(label[1]) or not figure_row(doc.line_text(doc.line_of(first_figure))):
        return False
    return figure_row(doc.line_text(line_above(doc, line)))


def later_whole_row(doc, first_figure: int, end: int, n: int) -> int | None:
    """The offset of the first figure row of n or more figures on a line after the first figure's, before
    end; None when there is none."""
    for number in range(doc.line_of(first_figure) + 1, doc.line_of(end) + 1):
        line = doc.line_text(number)
        if figure_row(line) and len(tokens(line, 0, stop_at_text=False)) >= n:
            start = doc.line_start(number)
            return start if start < end else None
    return None
