"""A page of table 三 in plain pdftotext whose figures wrapped inside narrow cells, or whose reading order
is lost in part of a band: every reading the fragments allow, kept only where the arithmetic leaves them.

A figure too wide for its cell is printed on two lines (705 as 70 over 5); plain pdftotext writes each
piece on its own line, so a page has more figure lines than cells. The pieces of a page are read as in
blocks.py, band after band (a band: h rows across the seven columns), each band's columns filled by
groups, with three more freedoms:
- a wrapped cell: its first piece, then its rest. In a group read down (one block, column by column), the
  rest follows its first piece; in a group read across (a run of blocks, row by row), a row's first pieces
  come first, then the rests of the row's wrapped cells, left to right (the rest line below them);
- a group read across may be a run of blocks (one cell a block, as pdftotext writes a band whose cells
  are set apart);
- (only when a page reads no other way) one group per page whose pieces are its cells in unknown order
  (pdftotext mixed that part of the band): no wrapped cell in it, and only the arithmetic places them.
A reading is kept when every row adds up (总计 = the six applicant columns) and every column is printed
as a narrow cell prints it: the first pieces of its wrapped figures all have the same number of digits
(the cell's width), no figure printed whole and no rest is wider than that, a first piece never starts
with 0. The page gives the cells every kept reading agrees on (blocks.agreed); more readings than
MAX_READINGS, or more work than MAX_WORK part-bands (a page that tiles no way can take long to say so),
is no reading. Each freedom only adds readings, so it can leave a cell null, never give a
figure no reading gives: what is kept holds whichever reading the page is.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator
from functools import cache

COLUMNS = 7
MAX_READINGS = 512
MAX_BAG = 2000  # orders a group of unknown order may have (a group of more is not taken for one)
MAX_PARTS = 50000  # groups or part-bands from one place: more is no reading
MAX_WORK = 40000  # part-bands made for one page (沭阳's first page takes 15,111): more is no reading
MAX_RUN_ROWS = 4  # rows of a run of one-cell blocks, or of a group of unknown order

# A cell: (value, digits of its first piece when wrapped else 0, digits of the whole figure)
Cell = tuple[int, int, int]
Band = tuple[tuple[Cell, ...], ...]


class _TooMany(Exception):
    pass


def _cell(head: str, rest: str | None) -> Cell | None:
    if rest is None:
        return None if len(head) > 1 and head.startswith("0") else (int(head), 0, len(head))
    if head.startswith("0"):
        return None
    return (int(head + rest), len(head), len(head) + len(rest))


def _down(pieces: tuple[str, ...], h: int, w: int, joins: int) -> Iterator[tuple[tuple[Cell, ...], ...]]:
    """A group read column by column: each cell its first piece, then maybe its rest."""
    cells = h * w
    extra = len(pieces) - cells
    if extra < 0 or extra > joins:
        return
    for wrapped in itertools.combinations(range(cells), extra):
        out: list[Cell] = []
        k = 0
        for i in range(cells):
            cell = _cell(pieces[k], pieces[k + 1] if i in wrapped else None)
            if cell is None:
                break
            out.append(cell)
            k += 2 if i in wrapped else 1
        else:
            grid = tuple(tuple(out[c * h + r] for c in range(w)) for r in range(h))
            if all(_fits([row[c] for row in grid]) for c in range(w)):
                yield grid


def _across(pieces: tuple[str, ...], h: int, w: int, joins: int) -> Iterator[tuple[tuple[Cell, ...], ...]]:
    """A group read row by row: a row's first pieces, then the rests of its wrapped cells, left to right."""
    extra = len(pieces) - h * w
    if extra < 0 or extra > joins:
        return

    def rows(k: int, r: int, left: int) -> Iterator[list[tuple[Cell, ...]]]:
        if r == h:
            if k == len(pieces) and left == 0:
                yield []
            return
        heads = pieces[k:k + w]
        if len(heads) < w:
            return
        for n in range(min(w, left) + 1):
            rests = pieces[k + w:k + w + n]
            if len(rests) < n:
                return
            for wrapped in itertools.combinations(range(w), n):
                by_col = dict(zip(wrapped, rests, strict=True))
                row = [_cell(heads[c], by_col.get(c)) for c in range(w)]
                if all(row):
                    for rest in rows(k + w + n, r + 1, left - n):
                        yield [tuple(row), *rest]  # type: ignore[arg-type]

    for grid in rows(0, 0, extra):
        if all(_fits([row[c] for row in grid]) for c in range(w)):
            yield tuple(grid)


def _bag(pieces: tuple[str, ...], h: int, w: int) -> Iterator[tuple[tuple[Cell, ...], ...]]:
    """A group whose pieces are its cells in any order (no wrapped cell)."""
    if len(pieces) != h * w or any(len(p) > 1 and p.startswith("0") for p in pieces):
        return
    counts = Counter(pieces)
    if math.factorial(len(pieces)) // math.prod(map(math.factorial, counts.values())) > MAX_BAG:
        return  # a group of so many orders is not taken for one

    def orders(left: int) -> Iterator[tuple[str, ...]]:
        if not left:
            yield ()
            return
        for p in sorted(counts):
            if counts[p]:
                counts[p] -= 1
                yield from ((p, *rest) for rest in orders(left - 1))
                counts[p] += 1

    for order in orders(len(pieces)):
        yield tuple(tuple((int(p), 0, len(p)) for p in order[r * w:(r + 1) * w]) for r in range(h))


def _fits(column: list[Cell]) -> bool:
    """A column as a narrow cell prints it: one width for every wrapped figure's first piece, and nothing
    printed whole or as a rest wider than that."""
    widths = {head for _, head, _ in column if head}
    if not widths:
        return True
    if len(widths) > 1:
        return False
    width = widths.pop()
    return all((digits <= width) if not head else (digits - head <= width) for _, head, digits in column)


def readings(blocks: list[tuple[str, ...]], rows: int, bags: bool = False) -> set[tuple[tuple[int, ...], ...]] | None:
    """Every table of `rows` × 7 the pieces give whose rows add up and whose columns print as narrow
    cells do; None when there are more than MAX_READINGS. `bags`: allow one group of unknown order."""
    n = len(blocks)
    joins = sum(map(len, blocks)) - rows * COLUMNS
    if joins < 0:
        return set()
    flat = [tuple(b) for b in blocks]
    work = [0]  # part-bands made: more than MAX_WORK is no reading

    @cache
    def groups(i: int, h: int, width: int, left: int, bag: bool) -> tuple[tuple[Band, int, int, bool], ...]:
        """(cells of a group h rows high, next block, joins used, a bag used) for each group from block i."""
        out: set[tuple[Band, int, int, bool]] = set()
        for w in range(1, width + 1):
            for down in _down(flat[i], h, w, left) if h > 1 and w > 1 else ():
                out.add((down, i + 1, len(flat[i]) - h * w, False))
            for grid in _across(flat[i], h, w, left):
                out.add((grid, i + 1, len(flat[i]) - h * w, False))
            pieces: tuple[str, ...] = ()
            for j in range(i + 1, n + 1 if h <= MAX_RUN_ROWS else i):
                pieces += flat[j - 1]
                if len(pieces) > h * w:
                    break
                if len(pieces) < h * w:
                    continue
                if h > 1 and j > i + 1 and all(len(b) == 1 for b in flat[i:j]):
                    # One cell a block, read across (a wrapped cell keeps its rest in its own block).
                    out.update((grid, j, 0, False) for grid in _across(pieces, h, w, 0))
                if bag:
                    out.update((grid, j, 0, True) for grid in _bag(pieces, h, w))
            if len(out) > MAX_PARTS:
                raise _TooMany
        return tuple(out)

    @cache
    def bands(i: int, h: int, c: int, left: int, bag: bool) -> tuple[tuple[Band, int, int, bool], ...]:
        """(cells of columns c… of a band h rows high, next block, joins used, a bag used)."""
        if c == COLUMNS:
            return (((),) * h, i, 0, False),
        if i == n:
            return ()
        out = set()
        for grid, j, used, bagged in groups(i, h, COLUMNS - c, left, bag):
            for rest, k, more, bagged2 in bands(j, h, c + len(grid[0]), left - used, bag and not bagged):
                work[0] += 1
                if work[0] > MAX_WORK:
                    raise _TooMany
                band = tuple(a + b for a, b in zip(grid, rest, strict=True))
                if c == 0 and not all(row[-1][0] == sum(v for v, _, _ in row[:-1]) for row in band):
                    continue  # a whole band: every row adds up
                out.add((band, k, used + more, bagged or bagged2))
                if len(out) > MAX_PARTS:
                    raise _TooMany
        return tuple(out)

    @cache
    def place(i: int, r: int, left: int, bag: bool) -> frozenset[Band]:
        if r == rows:
            return frozenset({()}) if i == n and left == 0 else frozenset()
        out: set[Band] = set()
        for h in range(1, rows - r + 1):
            for band, j, used, bagged in bands(i, h, 0, left, bag):
                for rest in place(j, r + h, left - used, bag and not bagged):
                    out.add(band + rest)
                    if len(out) > MAX_READINGS:
                        raise _TooMany
        return frozenset(out)

    try:
        found = place(0, 0, joins, bags)
    except _TooMany:
        return None

    kept = {grid for grid in found if all(_fits([row[c] for row in grid]) for c in range(COLUMNS))}
    return {tuple(tuple(v for v, _, _ in row) for row in grid) for grid in kept}
