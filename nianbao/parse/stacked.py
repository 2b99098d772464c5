"""Table rows whose figures stand apart from their labels, in a layout that keeps the page's top-to-bottom order.

Converters that rebuild a PDF page from its words line by line (markitdown's PDF tables, which group
pdfplumber's words by their height on the page) write each line of the page where it stands, but a table
row's label and its figures often land on different lines: the figures a hair above the label's first
line (a line of figures only, `|  |  | 0 0 | 0 0 | 0 0 | 0 |`), or on it, and a label wrapped in its cell
continues on the lines after. A figure too wide for its cell wraps: the rest of it (`| 5 |  | 3 |`, or a
bare `1`) stands on a line below the row's figures. Because the lines keep the page's order and a table's
rows do not overlap on the page, each template row is one unbroken stretch of lines: its label, its one
line of seven figures in either order, and the rest of wrapped figures after that line.

So the table reads as a sequence of row labels (l), lines of seven figures without a label (F), labels
with their seven figures on their line (L), and lines of fewer figures (f, the rest of wrapped ones), and
every row is `L f*`, `l F f*`, `F f* l f*`, or `l` alone (a row the source left blank). Every way to cut
the whole sequence into such rows is a reading; a row is read only where all readings give it the same
line (a row the readings disagree on keeps only the cells their figures agree on), its wrapped figures
joined only in the ways its total admits (wraps.py). A line of figures that fits no row (an extra or
broken line, a label the patterns did not find) leaves no reading at all: then only the rows printed on
their label's line are read, the others stay null with their problem. A table without any line of figures
alone is read by its lines elsewhere (requests.py, tables.py).

Table 二 is cut the same way item by item (read_item: a row as wide as its item's columns, a one-column
row's figure often alone on its line). A table 三 filled only in its 总计 column (read_totals) gives each
row one figure: only those on their label's line, in the cell under the header's 总计, are read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import cache

from . import totals
from .numbers import Token, tokens
from .text import CJK, Doc
from .wraps import join_candidates

COLUMNS = 7
MAX_READINGS = 64  # ways to cut a table into rows before it counts as no reading
# A line that begins with a figure and has no text: the cheap sign of a line of figures without a label.
_FIGURES_ALONE = re.compile(r"(?m)^[ \t\u3000|]*[-−]?\d[^\n\u3400-\u9fff]*$")
_DIGIT = re.compile(r"\d")
# A figure alone on its line: the rest of a wrapped one, or a one-column row's figure.
_BARE_FIGURE = re.compile(r"[ \t\u3000]*[-−]?\d[\d,]*(?:\.\d+)?[ \t\u3000]*")


def line_figures(line: str) -> list[Token] | None:
    """The figures of a delimited line (Markdown pipes or tabs), from its cells without label text; None
    for an undelimited line."""
    if "|" in line:
        cells = line.strip().strip("|").split("|")
    elif "\t" in line:
        cells = line.split("\t")
    else:
        return None
    return [t for cell in cells if not CJK.search(cell) for t in tokens(cell, 0, stop_at_text=False)]


def _count(t: Token) -> bool:
    """A figure table 三 can hold: a plain count (not `-1`, `2.5`, `3件`)."""
    return not t.is_decimal and t.sign > 0 and not t.unit


Block = tuple[int, tuple[int, ...]]  # the row's line of figures (item index), and its lines of the rest
Item = tuple[str, str | None, list[Token]]  # (kind, row key, figures)


def read_rows(doc: Doc, order: list[str], found: dict[str, tuple[int, int]], start: int, end: int,
              accept: Callable[[tuple[int, ...]], bool]) -> dict[str, list[tuple[int, ...]] | tuple[int | None, ...] | None] | None:
    """Table 三: {row key: its reading} for the rows of `order` (the template's row keys, those found at
    `found`) in a table from start to end that has lines of seven figures without a label (None for a
    table without: its rows are read by their lines). A reading is a list of the cells its figures may be
    (`accept`: the row's total), cells with None where the cuts of the table disagree, or None for a row
    with no figures in any cut. A key missing from the answer is a row that cannot be read (see cut)."""
    if not _FIGURES_ALONE.search(doc.text, start, end):
        return None
    items = _items(doc, order, found, start, end, COLUMNS, _count)
    if not any(kind == "F" for kind, _, _ in items):
        return None
    out: dict[str, list[tuple[int, ...]] | tuple[int | None, ...] | None] = {}
    for key, blocks in cut(items, order, found).items():
        values = [_cells(items, b, accept) if b is not None else [] for b in blocks]
        if blocks == {None}:
            out[key] = None
        elif len(blocks) == 1:
            out[key] = values[0]
        elif all(len(v) == 1 for v in values):
            out[key] = tuple(c[0] if len(set(c)) == 1 else None for c in zip(*(v[0] for v in values), strict=True))
        else:
            out[key] = (None,) * COLUMNS
    return out


def read_totals(doc: Doc, order: list[str], found: dict[str, tuple[int, int]], start: int, end: int) -> dict[str, int] | None:
    """Table 三 filled only in its 总计 column, its rows apart from their labels: every line of the table
    holds one figure at most, and some stand alone (which row a lone figure is, and in which column, its
    line does not tell). {row key: its 总计} for the rows whose one figure is on their label's line, in the
    Markdown cell under the header's 总计 (the same grid: as many cells); None for any other table."""
    if not _FIGURES_ALONE.search(doc.text, start, end) or not found:
        return None
    items = _items(doc, order, found, start, end, 1, _count)
    if not any(kind == "F" for kind, _, _ in items) or any(kind in "fx" for kind, _, _ in items):
        return None
    first = min(s for s, _ in found.values())
    grid = totals.grid_total_column(doc, start, first)
    if grid is None:
        return None
    out: dict[str, int] = {}
    for kind, key, figures in items:
        line = doc.line_text(doc.line_of(found[key][0])) if kind == "L" and key else ""
        cells = line.strip().strip("|").split("|") if line.lstrip().startswith("|") else []
        if len(cells) == grid[0] and tokens(cells[grid[1]], 0, stop_at_text=False) and not any(
                tokens(c, 0, stop_at_text=False) for c in cells[:grid[1]] if not CJK.search(c)):
            out[key] = int(figures[0].text)  # type: ignore[index]
    return out


def read_item(doc: Doc, order: list[str], found: dict[str, tuple[int, int]], start: int, end: int,
              columns: int, on_their_lines: bool = False) -> dict[str, list[Token] | None] | None:
    """An item of table 二 (its rows in `order`, each `columns` wide) from start to end: {row key: its
    figures, or None for a row with no figures} for the rows every cut gives one line (a key missing is a
    row that cannot be read); None when the item has no line of its figures without a label, unless
    `on_their_lines` (the caller proved the item's stretch keeps the page's order): then an item whose
    rows all stand on their label's line, or are blank, is read as such."""
    if not on_their_lines and not _FIGURES_ALONE.search(doc.text, start, end):
        return None
    items = _items(doc, order, found, start, end, columns, lambda t: True)
    if not any(kind == "F" for kind, _, _ in items) and not (on_their_lines and all(k in "lL" for k, _, _ in items)):
        return None
    out: dict[str, list[Token] | None] = {}
    for key, blocks in cut(items, order, found).items():
        if len(blocks) == 1:
            block = next(iter(blocks))
            if block is None or not block[1]:
                out[key] = items[block[0]][2] if block else None
    return out


def cut(items: list[Item], order: list[str], found: dict[str, tuple[int, int]]) -> dict[str, set[Block | None]]:
    """{row key: the blocks the cuts of the items give it}. When the items make no cut, only the rows
    printed on their label's line with nothing after them in their row: each has its one block."""
    readings = _readings(items) if all(k in found for k in order) else None
    if not readings:
        return {key: {(i, ())} for i, (kind, key, _) in enumerate(items)
                if kind == "L" and key and (i + 1 == len(items) or items[i + 1][0] != "f")}
    return {key: {dict(r)[key] for r in readings} for key in order}


def _items(doc: Doc, order: list[str], found: dict[str, tuple[int, int]], start: int, end: int,
           columns: int, valid: Callable[[Token], bool]) -> list[Item]:
    """The table's lines as items: l, L, F, f (above), and x for a line no row can hold: figures that are
    not `valid`, a label's line with a number of figures other than `columns`, two labels on one line, a
    line of figures with text that is no row's label (a group's name, a label printed again)."""
    labels: dict[int, str | None] = {}
    for key in (k for k in order if k in found):
        number = doc.line_of(found[key][0])
        labels[number] = None if number in labels else key
    items: list[Item] = []
    for number in range(doc.line_of(start), doc.line_of(end) + 1):
        line = doc.line_text(number)
        if number not in labels and not _DIGIT.search(line):
            continue
        figures = line_figures(line)
        bare = figures is None and _BARE_FIGURE.fullmatch(line)
        if bare:
            figures = tokens(line, 0, stop_at_text=False)
        if number in labels:
            key = labels[number]
            if figures is None:  # the figures after the label on an undelimited line
                label_end = found[key][1] if key else doc.line_start(number)
                figures = tokens(line[max(0, label_end - doc.line_start(number)):], 0)
            broken = key is None or not all(map(valid, figures)) or len(figures) not in (0, columns)
            items.append(("x" if broken else "L" if figures else "l", key, figures))
        elif figures:
            broken = not all(map(valid, figures)) or bool(CJK.search(line))
            whole = len(figures) == columns and (not bare or columns == 1)
            items.append(("x" if broken else "F" if whole else "f", None, figures))
    lines = [doc.line_of(found[k][0]) for k in order if k in found]
    if any(a >= b for a, b in itertools.pairwise(lines)):
        items.insert(0, ("x", None, []))  # labels out of order: no row is one stretch of lines
    return items


def _readings(items: list[Item]) -> list[list[tuple[str, Block | None]]] | None:
    """Every cut of the items into rows (see above); None when there are more than MAX_READINGS."""
    n = len(items)

    def rest(i: int) -> tuple[int, tuple[int, ...]]:
        j = i
        while j < n and items[j][0] == "f":
            j += 1
        return j, tuple(range(i, j))

    @cache
    def cut(i: int) -> tuple[tuple[tuple[str, Block | None], ...], ...]:
        if i == n:
            return ((),)
        kind, key, _ = items[i]
        out: list[tuple[tuple[str, Block | None], ...]] = []
        if kind == "L":
            j, tail = rest(i + 1)
            out += [((key, (i, tail)), *r) for r in cut(j)]
        elif kind == "l":
            if i + 1 == n or items[i + 1][0] != "f":
                out += [((key, None), *r) for r in cut(i + 1)]
            if i + 1 < n and items[i + 1][0] == "F":
                j, tail = rest(i + 2)
                out += [((key, (i + 1, tail)), *r) for r in cut(j)]
        elif kind == "F":
            j, tail = rest(i + 1)
            if j < n and items[j][0] == "l":
                k, more = rest(j + 1)
                out += [((items[j][1], (i, tail + more)), *r) for r in cut(k)]
        return tuple(out[:MAX_READINGS + 1])

    found = cut(0)
    return None if len(found) > MAX_READINGS else [list(r) for r in found]  # type: ignore[misc]


def _cells(items: list[Item], block: Block, accept: Callable[[tuple[int, ...]], bool]) -> list[tuple[int, ...]]:
    """The cells a row's line of figures and the rest of its wrapped ones may be, that its total admits."""
    main, tail = block
    if not tail:
        row = tuple(int(t.text) for t in items[main][2])
        return [row] if accept(row) else []
    zone = "\n".join(" ".join(t.text for t in items[i][2]) for i in (main, *tail))
    return join_candidates(zone, 0, tokens(zone, 0, stop_at_text=False), COLUMNS, accept)
