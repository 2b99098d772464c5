"""Table 三 rows that give only their 总计 in text without cell separators (台州市椒江区: the six applicant
columns blank, one figure after the label).

One figure after a label says nothing of its column by itself, so it is read as the 总计 only in a table
whose every row has one figure or none (requests.py), and only where the layout proves the column:
- one cell a line (LibreOffice's text export): the label's line, then exactly six empty lines (the blank
  cells), then the figure alone on its line: the seventh cell;
- text laid out by position (pdftotext -layout): the figure stands under the 总计 heading of the table's
  header, the heading nearest above it that names the columns (然 商 科 社 法 其 计, one character of each
  column heading on one line), closer to 计 than to any other column's character.
Anything else stays as it was (null, with its problem).
"""

from __future__ import annotations

import re

from .cells import MD_DELIMITER_ROW
from .numbers import Token
from .text import Doc

# The header line of -layout text with one character of each column heading (自然人 … 总计 written down).
_HEADER = re.compile(r"然\s+商\s+科\s+社\s+法\s+其\s+计")
_BLANK = re.compile(r"[ \t\u3000]*")
TOLERANCE = 2  # characters a right-aligned or centred figure may stand off its heading


def lone_total(doc: Doc, label: tuple[int, int], figure: Token) -> int | None:
    """The 总计 of a row whose one figure `figure` follows its label (start, end offsets), when the layout
    proves the column."""
    if figure.is_decimal or figure.sign < 0:
        return None
    value = int(figure.value())
    if _seventh_cell(doc, label[1], figure):
        return value
    return value if _under_total(doc, label[0], figure) else None


def _seventh_cell(doc: Doc, label_end: int, figure: Token) -> bool:
    line_start = doc.text.rfind("\n", 0, label_end) + 1
    fig_line_start = doc.text.rfind("\n", 0, figure.start) + 1
    lines = doc.text[line_start:fig_line_start].split("\n")[1:-1]  # between the label's line and the figure's
    fig_end = doc.text.find("\n", figure.start)
    fig_line = doc.text[fig_line_start:fig_end if fig_end >= 0 else len(doc.text)]
    return (len(lines) == 6 and all(_BLANK.fullmatch(ln) for ln in lines)
            and fig_line.strip() == doc.text[figure.start:figure.end])


def _under_total(doc: Doc, label_start: int, figure: Token) -> bool:
    line_start = doc.text.rfind("\n", 0, figure.start) + 1
    if line_start > label_start or not doc.text[:figure.start].endswith("  "):
        return False  # the figure is not on the line the label starts on, or not set apart by layout spaces
    column = figure.start - line_start
    header = None
    for m in _HEADER.finditer(doc.text, 0, line_start):
        header = m
    if header is None:
        return False
    head_start = doc.text.rfind("\n", 0, header.start()) + 1
    positions = [header.start() + i - head_start for i, ch in enumerate(header.group()) if not ch.isspace()]
    nearest = min(range(len(positions)), key=lambda i: abs(positions[i] - column))
    distances = sorted(abs(p - column) for p in positions)
    return nearest == len(positions) - 1 and distances[0] <= TOLERANCE and distances[0] < distances[1]


def grid_total_column(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(cells a row has, index of the 总计 cell) in the Markdown header rows between start and end (a
    table's header above its first row label): the one column whose header cells, read down, are 总计
    (`| 总 |` over `| 计 |`, or `| 总计 |`), and the last one. None when there is no such column."""
    columns: dict[int, list[str]] = {}
    for number in range(doc.line_of(start), doc.line_of(end)):
        line = doc.line_text(number).strip()
        if line.startswith("|") and not MD_DELIMITER_ROW.match(line):
            cells = line.strip("|").split("|")
            for j, cell in enumerate(cells):
                columns.setdefault(len(cells), [""] * len(cells))[j] += "".join(cell.split())
    found = [(n, j) for n, heads in columns.items() for j, head in enumerate(heads) if head == "总计" and j == n - 1]
    return found[0] if len(found) == 1 else None
