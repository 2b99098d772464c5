"""Figures wrapped inside narrow cells in plain pdftotext (parse/tiles.py via blocks.page_readings): a page's
pieces give the cells every reading agrees on, and a missing, extra or altered piece gives null, never
another number."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.parse.blocks import agreed, page_readings

from .layouts import consistent_table


def _pieces(value: int, width: int) -> list[str]:
    """A figure as a cell `width` digits wide prints it: one line, or its first `width` digits over the rest."""
    text = str(value)
    return [text] if len(text) <= width else [text[:width], text[width:]]


def _print_page(rows: list[tuple[int, ...]], widths: list[int], rng: random.Random) -> list[tuple[str, ...]]:
    """The rows as plain pdftotext writes them (as 沭阳's pages): bands of 1-3 rows; in a band the first
    columns may be one block read across (a row's first pieces, then the rests of its wrapped cells) or
    one cell a block read across; the other columns one block each (a cell's pieces one after another)."""
    out: list[tuple[str, ...]] = []
    r = 0
    while r < len(rows):
        band = rows[r:r + rng.randint(1, 3)]
        r += len(band)
        wide = rng.choice([1, 1, 2, 4])
        if wide > 1:
            if rng.random() < 0.3 and len(band) > 1 and all(len(_pieces(row[c], widths[c])) == 1
                                                             for row in band for c in range(wide)):
                out += [(str(row[c]),) for row in band for c in range(wide)]
            else:
                block: list[str] = []
                for row in band:
                    cells = [_pieces(row[c], widths[c]) for c in range(wide)]
                    block += [p[0] for p in cells] + [p[1] for p in cells if len(p) > 1]
                out.append(tuple(block))
        for c in range(wide if wide > 1 else 0, 7):
            out.append(tuple(piece for row in band for piece in _pieces(row[c], widths[c])))
    return out


def test_shuyang_first_rows_wrapped_in_narrow_cells():
    # 沭阳 table 三's first four rows as plain pdftotext writes them: 705, 290, 713, 294 and 101 wrapped
    # in cells two digits wide; the first four columns one block read across.
    rows = [(705, 3, 0, 0, 5, 0, 713), (36, 0, 0, 0, 0, 0, 36), (290, 1, 0, 0, 3, 0, 294), (99, 0, 0, 0, 2, 0, 101)]
    blocks = [("70", "3", "0", "0", "5", "36", "0", "0", "0", "29", "1", "0", "0", "0", "99", "0", "0", "0"),
              ("5", "0", "3", "2"), ("0", "0", "0", "0"), ("71", "3", "36", "29", "4", "10", "1")]
    grids = page_readings(blocks, 4)
    assert grids and all(v is None or v == want for row, truth in zip(agreed(sorted(grids)), rows, strict=True)
                         for v, want in zip(row, truth, strict=True))
    assert tuple(rows) in grids
    # Without its rest, 705's cell is 70: the row no longer adds up to 713 and no reading is left.
    assert not page_readings([blocks[0][:4] + blocks[0][5:], *blocks[1:]], 4)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10**6), damage=st.sampled_from(["none", "drop", "stray", "alter"]))
def test_generated_wrapped_pages_give_their_cells_or_null(seed: int, damage: str):
    rng = random.Random(seed)
    rows = list(consistent_table(rng, scale=rng.choice([30, 300, 3000])).values())[: rng.randint(1, 5)]
    # Each column's width in digits; a figure wraps to two lines at most (wider ones widen the column).
    widths = [max(rng.choice([2, 3, 9]), -(-max(len(str(row[c])) for row in rows) // 2)) for c in range(7)]
    blocks = _print_page(rows, widths, rng)
    wrapped = sum(map(len, blocks)) - 7 * len(rows)
    if not 0 < wrapped <= 6:
        return  # no figure wrapped (test_blocks.py), or more than a page may wrap (blocks.MAX_WRAPS)
    if damage == "drop":  # a piece lost
        i = rng.randrange(len(blocks))
        blocks[i] = blocks[i][:-1] if rng.random() < 0.5 else blocks[i][1:]
    elif damage == "stray":  # a figure of another table among the blocks
        blocks.insert(rng.randint(0, len(blocks)), (str(rng.randint(1, 9)),))
    elif damage == "alter":  # a piece misread: one digit more
        i = rng.randrange(len(blocks))
        j = rng.randrange(len(blocks[i]))
        blocks[i] = (*blocks[i][:j], blocks[i][j] + "1", *blocks[i][j + 1:])
    blocks = [b for b in blocks if b]
    grids = page_readings(blocks, len(rows))
    if damage == "none":
        assert tuple(rows) in grids
    if not grids:
        return
    kept = agreed(sorted(grids))
    assert all(v is None or v == want for row, truth in zip(kept, rows, strict=True) for v, want in zip(row, truth, strict=True))
