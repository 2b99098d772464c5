"""Plain pdftotext's reading blocks (parse/blocks.py): a page's figures are placed only when the blocks
tile its rows one way, a wide block's reading order decided by the row totals."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao import template as T
from nianbao.parse import parse_text
from nianbao.parse.blocks import agreed, group_cells, read_page, readings, tilings

from .conftest import SAMPLE_FILES
from .layouts import consistent_table


def test_a_wide_block_is_read_the_way_the_row_totals_allow():
    # Two rows; the first four columns came as one block, then one block per column (as pdftotext writes
    # the top of table 三). Read row by row the totals add up; column by column they do not.
    rows = [(21, 3, 0, 0, 0, 0, 24), (4, 0, 1, 0, 0, 0, 5)]
    wide = tuple(v for row in rows for v in row[:4])
    blocks = [wide] + [tuple(row[c] for row in rows) for c in range(4, 7)]
    assert len(tilings(blocks, 2)) == 2
    assert read_page(blocks, 2) == tuple(rows)


def test_a_count_that_does_not_fit_is_never_guessed_around():
    rows = [(1, 0, 0, 0, 0, 0, 1), (2, 0, 0, 0, 0, 0, 2)]
    singles = [(v,) for row in rows for v in row]
    assert read_page(singles, 2) == tuple(rows)
    # A blank cell leaves no trace: thirteen figures for fourteen cells tile no way.
    assert read_page(singles[:5] + singles[6:], 2) is None
    # A stray figure after the page's cells: no tiling either.
    assert read_page([*singles, (7,)], 2) is None


def test_several_readings_with_different_figures_stay_null():
    # One row of singles or the same figures as one block of seven: the same table, so one reading...
    row = (3, 0, 0, 0, 0, 0, 3)
    assert read_page([row], 1) == (row,)
    # ...but a block four columns wide read across or down gives two tables that both add up.
    wide = [(1, 0, 0, 1, 1, 0, 0, 1), (0, 0), (0, 0), (2, 2)]
    assert len(tilings(wide, 2)) == 2
    assert read_page(wide, 2) is None


def _as_blocks(rows: list[tuple[int, ...]], rng: random.Random) -> list[tuple[int, ...]]:
    """The rows as plain pdftotext writes them: bands of 1-4 rows; in each band the first columns may be
    one wide block (read across, or down as another converter might), the rest one block a column."""
    out, r = [], 0
    while r < len(rows):
        band = rows[r:r + rng.randint(1, 4)]
        r += len(band)
        wide = rng.choice([1, 1, 2, 4])
        if wide > 1:
            down = rng.random() < 0.3
            cells = [(a, b) for b in range(wide) for a in range(len(band))] if down else \
                    [(a, b) for a in range(len(band)) for b in range(wide)]
            out.append(tuple(band[a][b] for a, b in cells))
        for c in range(wide if wide > 1 else 0, 7):
            out.append(tuple(row[c] for row in band))
    return out


def test_cells_every_reading_agrees_on_are_kept_the_others_null():
    # 平潭 2020's second page of table 三 as plain pdftotext writes it: the first three rows' first four
    # columns are one block that reads across or down, and the report breaks its own (七) 总计, so no
    # column identity chooses. Both readings put 4 in the row's total; they disagree on 自然人 and 科研机构.
    rows = [(0,) * 7, (0,) * 7, (4, 0, 0, 0, 0, 0, 4)]
    blocks = [tuple(v for row in rows for v in row[:4])] + [tuple(row[c] for row in rows) for c in range(4, 7)]
    grids = sorted(readings(blocks, 3))
    assert len(grids) == 2 and read_page(blocks, 3) is None
    assert agreed(grids) == ((0,) * 7, (0,) * 7, (None, 0, None, 0, 0, 0, 4))


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6), damage=st.sampled_from(["none", "drop", "stray", "alter"]))
def test_generated_pages_give_their_table_or_nothing(seed: int, damage: str):
    rng = random.Random(seed)
    rows = list(consistent_table(rng, scale=rng.choice([3, 30, 300])).values())[: rng.randint(1, 12)]
    blocks = _as_blocks(rows, rng)
    if damage == "drop":  # a blank cell: one figure fewer
        i = rng.randrange(len(blocks))
        blocks[i] = blocks[i][1:]
        blocks = [b for b in blocks if b]
    elif damage == "stray":  # a figure of another table among the blocks
        blocks.insert(rng.randint(0, len(blocks)), (rng.randint(0, 9),))
    elif damage == "alter":  # a figure misread (one digit more)
        i = rng.randrange(len(blocks))
        j = rng.randrange(len(blocks[i]))
        blocks[i] = (*blocks[i][:j], blocks[i][j] * 10 + 1, *blocks[i][j + 1:])
    got = read_page(blocks, len(rows))
    assert got is None or got == tuple(rows)
    # The cells all readings agree on are the table's, whichever reading it is.
    grids = readings(blocks, len(rows))
    if grids:
        kept = agreed(sorted(grids))
        assert all(v is None or v == want for row, truth in zip(kept, rows, strict=True)
                   for v, want in zip(row, truth, strict=True))
    if damage != "none":
        assert got is None and not grids


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6), pending_apart=st.booleans(), damage=st.sampled_from(["none", "drop", "stray"]))
def test_a_table_4_group_gives_what_its_arithmetic_proves(seed: int, pending_apart: bool, damage: str):
    # A group's four results and their total, in whatever order plain pdftotext writes them; the 尚未审结
    # figure may have been found apart (before table 四's title).
    rng = random.Random(seed)
    results = [rng.choice([0, 0, 1, 2, 12, 300]) for _ in range(4)]
    if rng.random() < 0.3:
        results = [results[0]] * 4
    cells = (*results, sum(results))
    values = list(cells[:3] + cells[4:]) if pending_apart else list(cells)
    rng.shuffle(values)
    pending = cells[3] if pending_apart else None
    if damage == "drop":
        values.pop(rng.randrange(len(values)))
    elif damage == "stray":
        values.insert(rng.randint(0, len(values)), rng.randint(0, 9))
    got = group_cells(values, pending)
    if damage != "none":
        assert got == (None,) * 5
        return
    assert got[4] == cells[4]  # the total is the figure that is the sum of the others
    assert got[3] == (cells[3] if pending_apart or len(set(results)) == 1 else None)
    # The results only when they are equal: nothing tells unequal ones apart.
    assert got[:3] == (cells[:3] if len(set(results[:3 if pending_apart else 4])) == 1 else (None,) * 3)


def test_a_group_whose_arithmetic_fails_stays_null():
    # 洪泽's 行政复议 group as printed: 10, 0, 0, 0, 1 (no figure is the sum of the others).
    assert group_cells([10, 0, 0, 0, 1]) == (None,) * 5
    assert group_cells([0, 0, 0, 0], pending=5) == (None,) * 5
    assert group_cells([1, 2, 0, 3, 0]) == (None, None, None, None, 3)
    assert group_cells([0, 0, 0, 0], pending=0) == (0,) * 5


# Table 四 as plain pdftotext prints it: each group's name, its headings one character a line, its figures ---

NINGXIA = SAMPLE_FILES[0].parent / "ningxia-zhongwei-minzheng_2021.txt"
_NAMES = {"review": "行政复议", "litigation_direct": "行政诉讼\n未经复议直接起诉", "litigation_after_review": "复议后起诉"}


def _group(name: str, cells: tuple[int, ...], layout: str, rng: random.Random) -> list[str]:
    """One group. grid: the four result headings as a grid read across (结 结 其 尚 / 果 果 他 未 / …), the four
    figures right under it in the same block; apart: each heading and each figure a block of its own, the
    figures in any order (the order pdftotext gives blocks says nothing about columns)."""
    headings = [T.APPEAL_COLUMN_LABELS[c] for c in T.APPEAL_COLUMNS[:4]]
    figures = [str(v) for v in cells[:4]]
    if layout in ("grid", "grid-swapped", "grid-gap"):
        order = [1, 0, 2, 3] if layout == "grid-swapped" else [0, 1, 2, 3]
        grid = [headings[j][k] for k in range(4) for j in order]
        cut = rng.randint(1, 3)
        row = [" ".join(figures[:cut]), *figures[cut:]]
        if layout == "grid-gap":
            row.insert(rng.randint(1, len(row) - 1), "")
        return [name, *grid, *row, "", "总", "计", "", str(cells[4]), ""]
    lines = [name]
    for heading in headings:
        lines += [*heading, ""]
    values = [*figures, str(cells[4])]
    rng.shuffle(values)
    return [*lines, "总", "计", "", *(line for v in values for line in (v, ""))]


def _read_table4(groups: list[str]) -> dict[str, tuple[int | None, ...]]:
    text = NINGXIA.read_text(encoding="utf-8")
    start = text.index("四、政府信息公开行政复议")
    body = "\n".join(["四、政府信息公开行政复议、行政诉讼情况", *groups])
    report = parse_text(text[:start] + body + "\n" + text[text.index("五、政府信息公开存在的主要问题"):])
    out = {g: tuple(getattr(report.appeals, g).model_dump().values()) for g in T.APPEAL_GROUPS}
    for g, got in out.items():
        if None in got:
            assert any(p.row == g for p in report.problems), g
    return out


@pytest.mark.parametrize("seed", range(40))
def test_a_table_4_group_under_a_grid_of_its_headings_is_read_in_the_grids_order(seed):
    """平潭 2021/2022 under plain pdftotext: the grid spells the four headings in the template's order, so the
    block lists one height left to right, and the four figures under it are the results in that order. A
    grid in another order, a blank line inside the figures, or figures each a block of their own prove no
    order: the total (the figure that is the sum of the others) and equal results only."""
    rng = random.Random(seed)
    layouts = {g: rng.choice(["grid", "grid-swapped", "grid-gap", "apart"]) for g in T.APPEAL_GROUPS}
    truth = {}
    groups: list[str] = []
    for g in T.APPEAL_GROUPS:
        results = [rng.choice([0, 0, 1, 2, 12, 300]) for _ in range(4)]
        truth[g] = (*results, sum(results))
        groups += _group(_NAMES[g], truth[g], layouts[g], rng)
    got = _read_table4(groups)
    for g in T.APPEAL_GROUPS:
        assert got[g][4] == truth[g][4], g
        if layouts[g] == "grid":
            assert got[g] == truth[g], g
        else:
            same = len(set(truth[g][:4])) == 1
            assert got[g] == (truth[g] if same else (None,) * 4 + truth[g][4:]), (g, layouts[g], got[g], truth[g])
