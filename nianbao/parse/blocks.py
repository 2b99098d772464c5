"""Tables 三 and 四 as plain pdftotext writes them: the labels first, then the figures in reading blocks.

Without -layout, pdftotext writes every cell on its own line: a page's row labels, the column headings,
then the figures in *blocks* (runs of figure lines between blank lines). A block is a rectangle of the
table: one column of a band of rows (`1 0 10`: three rows of one column), one cell, or several columns
of a band. Read block by block, the page's rows fall into bands: a band of h rows is a run of blocks,
each h rows high, that together are seven columns wide; the bands follow each other down the page.

Which rows a page holds is known from where their labels stand (the labels of a page come before its
figures). The page's figures are placed only when the blocks tile those rows in ways that all give the
same table, where a block several columns wide may be read row by row or column by column and the
template's row totals (总计 = the six applicant columns) must decide between readings; where a page
still reads several ways, the column identities over all the pages must leave one choice; failing that
(a report may break its own column totals), the cells on which all its readings agree are proven whatever
the reading, and the others stay null with a cells-ambiguous problem. A page whose blocks tile no way
stays null with its problem: a blank cell
leaves no trace in such text, so a count that does not fit is never guessed around. Two shapes need no
tiling: a page of zeros only (every cell 0, whatever the order), and a page whose figures are one block
right under the 总计 heading, one per row (the applicant columns blank). A row broken across a page
break moves to the page with its cells only when both pages' counts say so (_page_rows). A page with a
few more figures than cells has figures wrapped in narrow cells: tiles.py reads it (page_readings).

Table 四 in such text keeps its groups (行政复议, 未经复议直接起诉, 复议后起诉), but the order of the
figures inside a group follows the headings' shapes, not the columns. So a group gives only what its
figures prove whatever their order (group_cells): the total is the figure that is the sum of the others
(each group's 总计 = its four results), the results only when all four are equal. The 尚未审结 cell of
the last group often lands, with its heading, right before table 四's title; it is taken for the one
group printed without that heading, and nowhere else.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from functools import cache

from .. import template as T
from . import tiles
from .numbers import Token, tokens
from .text import CJK, Doc

COLUMNS = 7
MAX_READINGS = 64  # distinct tables a page may tile to before it counts as ambiguous
MAX_WRAPS = 6  # figures wrapped in their cells on one page
_FIGURE_LINE = re.compile(r"[ \t\u3000]*\d{1,9}[ \t\u3000]*")
_FIGURES_LINE = re.compile(r"[ \t\u3000]*\d{1,9}(?:[ \t\u3000]+\d{1,9})*[ \t\u3000]*")  # `12 0`: cells side by side

Grid = tuple[tuple[int, ...], ...]


def figure_blocks(doc: Doc, start: int, end: int, line: re.Pattern[str] = _FIGURE_LINE) -> list[list[Token]]:
    """The runs of lines holding one figure each (or as `line` says) between two offsets (a page number
    such as `—3—` is not a figure line, and any other line ends a run)."""
    out: list[list[Token]] = []
    run: list[Token] = []
    pos = start
    for text in doc.text[start:end].split("\n"):
        if line.fullmatch(text):
            run += tokens(text, pos, stop_at_text=False)
        elif run:
            out.append(run)
            run = []
        pos += len(text) + 1
    if run:
        out.append(run)
    return out


def tilings(blocks: list[tuple[int, ...]], rows: int, columns: int = COLUMNS) -> set[Grid] | None:
    """Every table of `rows` × `columns` the blocks tile to, band after band; None when there are more
    than MAX_READINGS (too many to call any of them the reading)."""
    n = len(blocks)
    too_many = False

    @cache
    def place(i: int, r: int) -> frozenset[Grid]:
        nonlocal too_many
        if r == rows:
            return frozenset({()}) if i == n else frozenset()
        out: set[Grid] = set()
        for h in range(1, rows - r + 1):
            for band, j in _bands(blocks, i, h, columns):
                for rest in place(j, r + h):
                    out.add(band + rest)
                    if len(out) > MAX_READINGS:
                        too_many = True
                        return frozenset()
        return frozenset(out)

    found = place(0, 0)
    return None if too_many else set(found)


def _bands(blocks: list[tuple[int, ...]], i: int, h: int, columns: int):
    """(band, next block index) for each way the blocks from i make one band h rows high."""
    widths: list[int] = []
    j = i
    while j < len(blocks) and sum(widths) < columns:
        size = len(blocks[j])
        if size % h:
            return
        widths.append(size // h)
        j += 1
    if sum(widths) != columns:
        return
    chosen = blocks[i:j]
    wide = [k for k, w in enumerate(widths) if w > 1 and h > 1]
    for orders in itertools.product((False, True), repeat=len(wide)):
        by_column = dict(zip(wide, orders, strict=True))
        band = [[0] * columns for _ in range(h)]
        c = 0
        for k, (values, w) in enumerate(zip(chosen, widths, strict=True)):
            for idx, v in enumerate(values):
                a, b = (idx % h, idx // h) if by_column.get(k, w == 1) else (idx // w, idx % w)
                band[a][c + b] = v
            c += w
        yield tuple(tuple(row) for row in band), j


def rows_add_up(grid: Grid) -> bool:
    return all(row[-1] == sum(row[:-1]) for row in grid)


def readings(values: list[tuple[int, ...]], rows: int) -> set[Grid]:
    """The tables a page's blocks give for its rows whose every row adds up to its total."""
    if sum(map(len, values)) != rows * COLUMNS:
        return set()
    if not any(v for block in values for v in block):
        # Every figure 0: whatever order the blocks are in, every cell is 0.
        return {((0,) * COLUMNS,) * rows}
    return {g for g in tilings(values, rows) or () if rows_add_up(g)}


def read_page(values: list[tuple[int, ...]], rows: int) -> Grid | None:
    """The one table a page's blocks give for its rows, or None."""
    fitting = readings(values, rows)
    return next(iter(fitting)) if len(fitting) == 1 else None


def pages(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each page (form feeds) between two offsets."""
    bounds = sorted({start} | {start + m.end() for m in re.finditer("\f", doc.text[start:end])})
    return list(zip(bounds, [*bounds[1:], end], strict=True))


def agreed(grids: list[Grid]) -> tuple[tuple[int | None, ...], ...]:
    """The cells that have one value in every reading (None where the readings differ): whichever
    reading is the table, those cells are proven."""
    return tuple(tuple(cells[0] if len(set(cells)) == 1 else None for cells in zip(*rows, strict=True))
                 for rows in zip(*grids, strict=True))


def read_requests(doc: Doc, order: list[str], found: dict[str, tuple[int, int]], start: int, end: int,
                  consistent: Callable[[dict[str, tuple[int, ...]]], bool]) -> tuple[dict[str, tuple[int | None, ...]], set[str]]:
    """({row key: its seven cells}, rows with cells no reading decides) for the rows of each page whose
    blocks tile them one way (see above). `order`: every row key of the template, in order; `found`: where
    each row's label starts; `consistent`: the template's column identities over rows, which choose between
    a page's readings only when exactly one choice over all pages passes them. Where no choice or several
    pass (a report may break its own column totals), a page with several readings gives the cells on which
    all its readings agree, the others None (the second set names their rows)."""
    if any(k not in found for k in order):
        return {}, set()
    fixed: dict[str, tuple[int, ...]] = {}
    open_pages: list[tuple[list[str], list[Grid]]] = []
    for (first, after), texts in _page_rows(doc, order, found, start, end):
        values = [tuple(int(t) for t in b) for b in texts]
        if sum(map(len, values)) == after - first:
            fixed.update((k, (None,) * (COLUMNS - 1) + (v,)) for k, v in zip(order[first:after], values[0], strict=True))
            continue
        grids = page_readings(texts, after - first)
        keys = order[first:after]
        if len(grids) == 1:
            fixed.update(zip(keys, next(iter(grids)), strict=True))
        elif grids:
            open_pages.append((keys, sorted(grids)))
    undecided: set[str] = set()
    chosen = _choose(fixed, open_pages, consistent) if open_pages else {}
    fixed.update(chosen)
    for keys, grids in open_pages if not chosen else ():
        for key, cells in zip(keys, agreed(grids), strict=True):
            if any(v is not None for v in cells):
                fixed[key] = cells
                undecided |= {key} if None in cells else set()
    return fixed, undecided


def page_readings(texts: list[tuple[str, ...]], rows: int) -> set[Grid]:
    """The readings of a page's figure blocks (as printed) for its rows whose every row adds up: the
    blocks as whole cells (readings) when there are as many figures as cells; with more, figures wrapped
    in their cells, maybe with the order lost in part of a band (tiles.py), first without, then with one
    group of unknown order."""
    values = [tuple(int(t) for t in b) for b in texts]
    if sum(map(len, values)) == rows * COLUMNS:
        return readings(values, rows)
    for bags in (False, True):
        found = tiles.readings(texts, rows, bags)
        if found is None:
            return set()
        if found:
            return found
    return set()


def _page_rows(doc: Doc, order: list[str], found: dict[str, tuple[int, int]], start: int, end: int):
    """((first row, row after), figure blocks as printed) of each page whose figures are as many as its
    rows' cells, or as many as its rows in one block right under the 总计 heading (the applicant columns
    blank), or a few more than its cells (figures wrapped in their cells, at most MAX_WRAPS) when no page
    of the table has fewer figures than cells.
    A page's rows are those whose labels start on it; the last of them may have its cells on the next
    page (a row broken across the page), or the next page's first label may stand on this one's cells
    (a label printed with its group), but only when both pages say so: one page one row short and the
    other one row over. Any other count leaves the page unread (a blank cell leaves no trace)."""
    spans = []
    for p_start, p_end in pages(doc, start, end):
        labelled = [i for i, k in enumerate(order) if p_start <= found[k][0] < p_end]
        if not labelled:
            continue
        # Table 四's headings may stand on the same page, a stray figure of theirs with them.
        stop = doc.search(_T4_WORDS, p_start, p_end)
        runs = figure_blocks(doc, p_start, stop[1].start if stop else p_end)
        values = [tuple(t.text for t in b) for b in runs]
        count = sum(map(len, values))
        # One block right under the 总计 heading: the page fills only that column (椒江's shape).
        totals = len(runs) == 1 and _UNDER_TOTAL.search(doc.text, max(0, runs[0][0].start - 16), runs[0][0].start)
        spans.append([labelled[0], labelled[-1] + 1, count if totals else count / COLUMNS, values])
    for page, nxt in itertools.pairwise(spans):
        first, after, rows, _ = page
        if nxt[0] != after:
            continue
        for shift in (-1, 1):  # this page's last row to the next, or the next page's first row to this
            if rows == after - first + shift and nxt[2] == nxt[1] - nxt[0] - shift:
                page[1] += shift
                nxt[0] += shift
    short = any(rows < after - first for first, after, rows, _ in spans)
    return [((first, after), values) for first, after, rows, values in spans
            if rows == after - first or (not short and 0 < round(rows * COLUMNS) - (after - first) * COLUMNS <= MAX_WRAPS)]


def _choose(fixed: dict[str, tuple[int, ...]], open_pages: list[tuple[list[str], list[Grid]]],
            consistent: Callable[[dict[str, tuple[int, ...]]], bool]) -> dict[str, tuple[int, ...]]:
    """The readings of the pages with several, when exactly one choice passes the column identities."""
    if math.prod(len(g) for _, g in open_pages) > MAX_READINGS ** 2:
        return {}
    passing = []
    for choice in itertools.product(*(grids for _, grids in open_pages)):
        trial = dict(fixed)
        for (keys, _), grid in zip(open_pages, choice, strict=True):
            trial.update(zip(keys, grid, strict=True))
        if consistent(trial):
            passing.append(trial)
            if len(passing) > 1:
                return {}
    return passing[0] if passing else {}


_UNDER_TOTAL = re.compile(r"总\s*计\s*$")
_T4_WORDS = re.compile(r"尚未审结|结果维持|结果纠正|其他结果|直接起诉|复议后起诉|行政复议")
# Under a group's name, its column headings one character a line (结 / 果 / 维 / 持 …).
_ONE_CHAR_LINES = re.compile(r"(?:[^\S\n]*\n)+(?:[^\S\n]*[\u4e00-\u9fff][^\S\n]*\n){4}")
_GROUPS = {key: re.compile(rf"(?m)^[ \t]*(?:{name})[ \t]*$") for key, name in
           (("review", "行政复议"), ("litigation_direct", "(?:行政诉讼)?未经复议直接起诉"), ("litigation_after_review", "复议后起诉"))}


def read_appeals(doc: Doc, start: int, end: int) -> tuple[dict[str, dict[str, int | None]], list[Token], set[str]] | None:
    """Table 四's groups as plain pdftotext writes them: each group's name, its headings one character a
    line, then its figures; a group's cells as far as group_cells proves them. The one group printed
    without its 尚未审结 heading takes the heading's stray figure found right before table 四's title
    (pdftotext moves that cell there). A group's results under a grid of its headings are read in the
    grid's order (_under_grid; the third item: those groups). None unless all three groups are found in
    order, with figures after each."""
    hits = []
    pos = start
    for key, pattern in _GROUPS.items():
        hit = pattern.search(doc.text, pos, end)
        if hit is None:
            return None
        hits.append((key, hit.end()))
        pos = hit.end()
    if not all(_ONE_CHAR_LINES.match(doc.text, g_start) for _, g_start in hits):
        return None
    spans = [(key, g_start, _GROUPS[hits[i + 1][0]].search(doc.text, g_start, end).start() if i + 1 < len(hits) else end)
             for i, (key, g_start) in enumerate(hits)]
    stray = _STRAY_PENDING.search(doc.text[max(0, start - 200):start])
    without = [key for key, g_start, g_end in spans if not _PENDING_HEADING.search(doc.text, g_start, g_end)]
    data: dict[str, dict[str, int | None]] = {}
    seen: list[Token] = []
    gridded: set[str] = set()
    for key, g_start, g_end in spans:
        figures = [t for b in figure_blocks(doc, g_start, g_end, _FIGURES_LINE) for t in b]
        if not figures:
            return None
        seen += figures
        pending = int(stray.group(1)) if stray and without == [key] else None
        values = [int(t.value()) for t in figures]
        cells = group_cells(values, pending)
        under = _under_grid(doc, g_start, g_end, values, cells)
        if under:
            gridded.add(key)
        data[key] = dict(zip(T.APPEAL_COLUMNS, under or cells, strict=True))
    return data, seen, gridded


_RESULTS = [T.APPEAL_COLUMN_LABELS[c] for c in T.APPEAL_COLUMNS[:4]]


def _under_grid(doc: Doc, start: int, end: int, values: list[int], cells: tuple[int | None, ...]) -> tuple[int, ...] | None:
    """A group whose four result headings stand one character a line as a grid read across (结 结 其 尚 /
    果 果 他 未 / …): the block lists what stands at one height left to right, one item per column, as the
    headings spelled in the template's order prove. Its four figures right under the grid, in the same
    block (no blank line), are then the results in that order, when they are the group's figures other
    than its proven total and add up to it. None for any other group."""
    if cells[4] is None or None not in cells[:4]:
        return None
    lines = doc.text[start:end].lstrip("\n").split("\n")
    chars = list(itertools.takewhile(lambda line: len(line.strip()) == 1 and CJK.match(line.strip()), lines))
    row = list(itertools.takewhile(lambda line: line.strip() and not CJK.search(line), lines[len(chars):]))
    figures = [t for line in row for t in tokens(line, 0, stop_at_text=False)]
    if len(chars) != 4 * len(_RESULTS) or ["".join(c.strip() for c in chars[j::4]) for j in range(4)] != _RESULTS:
        return None
    results = [int(t.value()) for t in figures if not t.is_decimal and t.sign > 0 and not t.unit]
    if len(results) != 4 or len(figures) != 4 or sum(results) != cells[4] or sorted([*results, cells[4]]) != sorted(values):
        return None
    return (*results, cells[4])


def group_cells(values: list[int], pending: int | None = None) -> tuple[int | None, ...]:
    """A table 四 group's five cells (结果维持, 结果纠正, 其他结果, 尚未审结, 总计) from its figures in any
    order: the total is the figure that equals the sum of the others (the template's arithmetic), the
    four results only when they are equal (no order to tell them apart). With `pending` known from
    elsewhere, the figures are the other four cells. Each cell None that this does not prove, all five
    when the count is not the group's or no figure is the sum of the others."""
    cells: list[int | None] = [None] * 5
    if len(values) != (5 if pending is None else 4):
        return tuple(cells)
    whole = sum(values) + (pending or 0)
    if not any(2 * v == whole for v in values):
        return tuple(cells)
    total = whole // 2
    rest = list(values)
    rest.remove(total)
    cells[4] = total
    if pending is not None:
        cells[3] = pending
    if len(set(rest)) == 1:
        cells[:len(rest)] = rest
    return tuple(cells)


_PENDING_HEADING = re.compile(r"(?m)^[ \t]*尚[ \t]*$")
# 尚 / 未 / 审 / 结, one a line, and its figure, then only 总计 headings before table 四's title.
_STRAY_PENDING = re.compile(r"(?:^|\n)[ \t]*尚[ \t]*\n[ \t]*未[ \t]*\n[ \t]*审[ \t]*\n[ \t]*结[ \t]*\n"
                            r"[ \t]*(\d{1,9})[ \t]*\n(?:\s*总[ \t]*\n[ \t]*计[ \t]*\n)*\s*\Z")
