"""Table 三 as converters that rebuild a PDF page line by line print it (parse/stacked.py): each row's
figures on their own line above or below the label's first line, or on it, labels wrapped in their cells,
the rest of a wide figure on a line below. Generated tables with their arithmetic holding are read whole;
a missing, extra or altered line gives the figures or null with a problem, never another number."""

from __future__ import annotations

import random

import pytest

from nianbao import template as T
from nianbao.parse import parse_text
from nianbao.parse.stacked import line_figures

from .conftest import SAMPLE_FILES
from .layouts import consistent_table, frame_with_table3

HEADER = ["| （本列数据的勾稽关系为：第一项加第二项 |     | 申请人情况     |     |     |     |",
          "| ------------------- | --- | --------- | --- | --- | --- |",
          "| 之和，等于第三项加第四项之和）     |     | 自 法人或其他组织 |     |     | 总   |"]


def _cells(figures: list[str]) -> str:
    """Seven figures in the four wide columns markitdown makes of the table (two figures to a cell)."""
    pairs = [" ".join(figures[i:i + 2]) for i in range(0, 6, 2)]
    return " | ".join([*pairs, figures[6]])


def _row(rng: random.Random, label: str, values: tuple[int, ...] | None) -> list[str]:
    """One template row in one of the shapes markitdown prints: L, l F or F l (and l alone when blank),
    its label wrapped after nine characters, a wide figure's last digit on a line below its figures."""
    head, tail = label[:9], label[9:]
    if values is None:
        return [f"|     | {head} |     |     |     |     |", *([tail] if tail else [])]
    figures = [str(v) for v in values]
    rest: list[str] = []
    wide = [i for i, f in enumerate(figures) if len(f) > 1]
    if wide and rng.random() < 0.4:
        i = rng.choice(wide)
        rest = [f"|     |     | {figures[i][-1]} |     |"]
        figures[i] = figures[i][:-1]
    shape = rng.choice(["L", "lF", "Fl"])
    line = f"|     |     | {_cells(figures)} |"
    if shape == "L":
        return [f"|     | {head} | {_cells(figures)} |", *rest, *([tail] if tail else [])]
    if shape == "lF":
        return [f"|     | {head} |     |     |     |     |", line, *rest, *([tail] if tail else [])]
    return [line, *rest, head, *([tail] if tail else [])]


def markitdown_table(values: dict[str, tuple[int, ...] | None], rng: random.Random) -> list[str]:
    lines = list(HEADER)
    for row in T.REQUEST_ROWS["2021"]:
        lines += _row(rng, row.label, values[row.key])
    return lines


def _read(lines: list[str]) -> dict[str, tuple[int | None, ...]]:
    report = parse_text(frame_with_table3("\n".join(lines)))
    out = {key: tuple(getattr(report.requests, key).model_dump().values()) for key in (r.key for r in T.REQUEST_ROWS["2021"])}
    for key, got in out.items():
        if None in got:
            assert any(p.row == key or (p.table == "requests" and p.row is None) for p in report.problems), key
    return out


@pytest.mark.parametrize("seed", range(20))
def test_rows_apart_from_their_labels_are_read_by_the_page_order(seed):
    rng = random.Random(seed)
    values = consistent_table(rng, scale=rng.choice([9, 30, 300]))
    got = _read(markitdown_table(values, rng))
    assert got == values


@pytest.mark.parametrize("seed", range(10))
def test_blank_rows_stay_null_and_the_others_are_read_or_null(seed):
    """Rows the source left blank: null, never a neighbour's figures."""
    rng = random.Random(seed)
    values = consistent_table(rng)
    blank = set(rng.sample(sorted(values), 3))
    got = _read(markitdown_table({k: None if k in blank else v for k, v in values.items()}, rng))
    for key, row in values.items():
        assert got[key] == (None,) * 7 if key in blank else got[key] in (row, (None,) * 7), key


def _mutated(lines: list[str], rng: random.Random, how: str, where: list[int] | None = None) -> list[str]:
    """The lines with one of them (of `where`, the table's body by default) dropped, repeated, or with one
    digit of a line of figures altered."""
    body = list(range(len(HEADER), len(lines))) if where is None else where
    out = list(lines)
    if how == "drop":
        del out[rng.choice(body)]
    elif how == "repeat":
        i = rng.choice(body)
        out.insert(i, out[i])
    elif how == "alter":
        i = rng.choice([j for j in body if line_figures(out[j])])
        digits = [k for k, ch in enumerate(out[i]) if ch.isdigit()]
        k = rng.choice(digits)
        out[i] = out[i][:k] + str((int(out[i][k]) + rng.randint(1, 9)) % 10) + out[i][k + 1:]
    return out


@pytest.mark.parametrize("how", ["drop", "repeat", "alter"])
@pytest.mark.parametrize("seed", range(25))
def test_a_missing_extra_or_altered_line_gives_the_figures_or_null(seed, how):
    rng = random.Random(1000 + seed)
    values = consistent_table(rng)
    lines = _mutated(markitdown_table(values, rng), rng, how)
    got = _read(lines)
    for key, row in values.items():
        assert got[key] in (row, (None,) * 7) or (how == "alter" and _agrees(got[key], row)), (key, got[key], row)


def _agrees(got: tuple[int | None, ...], row: tuple[int, ...]) -> bool:
    """Only cells of the row's own figures, some null (an altered figure leaves the others proven)."""
    return all(g is None or g == r for g, r in zip(got, row, strict=True))


# Table 二: each item (第二十条第（X）项) cut into rows the same way, its rows as wide as its columns ------------

NINGXIA = SAMPLE_FILES[0].parent / "ningxia-zhongwei-minzheng_2021.txt"


def _table2_row(rng: random.Random, label: str, figures: list[str] | None) -> list[str]:
    if figures is None:
        return [f"| {label} |     |"]
    cells = " | ".join(figures)
    bare = len(figures) == 1 and rng.random() < 0.5  # markitdown writes a lone figure as a line of its own
    line = figures[0] if bare else f"|     | {cells} |"
    shape = rng.choice(["L", "lF", "Fl"])
    if shape == "L":
        return [f"| {label} | {cells} |"]
    return [label, line] if shape == "lF" else [line, label]


def table2_values(rng: random.Random) -> dict[str, list[str] | None]:
    def count() -> str:
        return str(rng.choice([0, rng.randint(0, 40), rng.randint(100, 3000)]))

    out: dict[str, list[str] | None] = {}
    for row in T.PROACTIVE_ROWS["2021"]:
        out[row.key] = [f"{rng.randint(0, 30000)}.{rng.randint(0, 9999)}" if c in row.decimal else count() for c in row.columns]
    return out


def table2_text(values: dict[str, list[str] | None], rng: random.Random, apart: str | None = None) -> list[str]:
    """Table 二 as markitdown prints it; the item `apart` with its headings on lines of their own (信息内容,
    then each column's heading), a line of its first row's figures right under them."""
    lines: list[str] = []
    for row in T.PROACTIVE_ROWS["2021"]:
        headings = [T.PROACTIVE_COLUMN_LABELS[c] for c in row.columns]
        if row.item != _item_of(lines):
            if row.item == apart:
                lines += [row.item, "信息内容", *headings]
                if values[row.key] is not None:
                    lines += [f"|     | {' | '.join(values[row.key])} |", row.label]  # type: ignore[arg-type]
                    continue
            else:
                lines += [row.item, "| 信息内容 | " + " | ".join(headings) + " |", "| --- | " + " | ".join("---" for _ in row.columns) + " |"]
        lines += _table2_row(rng, row.label, values[row.key])
    return lines


def column_order_item(values: dict[str, list[str] | None], item: str) -> list[str]:
    """One item as plain pdftotext prints it: its labels, then each column's heading and figures."""
    rows = [r for r in T.PROACTIVE_ROWS["2021"] if r.item == item]
    lines = [item, "信息内容", *(r.label for r in rows)]
    for j, column in enumerate(rows[0].columns):
        lines += [T.PROACTIVE_COLUMN_LABELS[column], *(values[r.key][j] for r in rows if values[r.key])]  # type: ignore[index]
    return lines


def _item_of(lines: list[str]) -> str | None:
    return next((line for line in reversed(lines) if line.startswith("第二十条")), None)


def _read_table2(lines: list[str]) -> dict[str, tuple[object, ...]]:
    text = NINGXIA.read_text(encoding="utf-8")
    start = text.index("\n", text.index("二、主动公开政府信息情况")) + 1
    report = parse_text(text[:start] + "\n".join(lines) + "\n\n" + text[text.index("三、收到和处理政府信息公开申请情况"):])
    out = {row.key: tuple(getattr(report.proactive, row.key).model_dump().values()) for row in T.PROACTIVE_ROWS["2021"]}
    for key, got in out.items():
        if None in got:
            assert any(p.row == key for p in report.problems), key
    return out


def _expected(values: dict[str, list[str] | None]) -> dict[str, tuple[object, ...]]:
    return {key: tuple((float(v) if "." in v else int(v)) for v in figures) if figures else (None,) * len(
        next(r for r in T.PROACTIVE_ROWS["2021"] if r.key == key).columns) for key, figures in values.items()}


@pytest.mark.parametrize("seed", range(20))
def test_table2_rows_apart_from_their_labels_are_read_by_the_page_order(seed):
    rng = random.Random(seed)
    values = table2_values(rng)
    assert _read_table2(table2_text(values, rng)) == _expected(values)


@pytest.mark.parametrize("how", ["drop", "repeat", "blank"])
@pytest.mark.parametrize("seed", range(25))
def test_table2_a_missing_extra_or_blank_row_gives_the_figures_or_null(seed, how):
    rng = random.Random(2000 + seed)
    values = table2_values(rng)
    if how == "blank":
        values[rng.choice(sorted(values))] = None
    lines = table2_text(values, rng)
    figure_lines = [i for i, line in enumerate(lines) if any(ch.isdigit() for ch in line) and not line.startswith("第二十条")]
    got = _read_table2(_mutated(lines, rng, how, figure_lines))
    for key, row in _expected(values).items():
        assert got[key] in (row, (None,) * len(row)), (key, got[key], row)


ITEMS = sorted({r.item for r in T.PROACTIVE_ROWS["2021"]})


def _laid_apart(lines: list[str]) -> bool:
    from nianbao.parse.columns import T2_COLUMN_WORDS, laid_apart
    from nianbao.parse.text import Doc

    doc = Doc(lines)
    return laid_apart(doc, 0, len(doc.text), T2_COLUMN_WORDS)


@pytest.mark.parametrize("how", ["whole", "drop", "repeat", "blank"])
@pytest.mark.parametrize("seed", range(20))
def test_table2_an_item_with_its_headings_apart_leaves_the_others_read(seed, how):
    """乌苏 2021 and 平潭 2020 under markitdown: one item's headings on lines of their own, a figure right under
    them, so the table looks laid apart. Every item whose own stretch holds its own headings, once, above its
    labels, and no other item's, still keeps the page's order: read whole; damaged, the figures or null."""
    rng = random.Random(4000 + seed)
    values = table2_values(rng)
    apart = rng.choice(ITEMS)
    if how == "blank":
        values[rng.choice([r.key for r in T.PROACTIVE_ROWS["2021"] if r.item != apart])] = None
    lines = table2_text(values, rng, apart)
    assert _laid_apart(lines)
    if how in ("drop", "repeat"):
        lines = _mutated(lines, rng, how, [i for i, line in enumerate(lines) if any(ch.isdigit() for ch in line) and not line.startswith("第二十条")])
    got = _read_table2(lines)
    for key, row in _expected(values).items():
        assert got[key] == row if how == "whole" else got[key] in (row, (None,) * len(row)), (key, got[key], row)


@pytest.mark.parametrize("seed", range(20))
def test_table2_an_item_in_column_order_is_never_read_by_row_order(seed):
    """One item as plain pdftotext prints it (its labels, then each column's heading and figures), the others
    in the page's order: that item's rows are their figures or null, never another row's; the others are read."""
    rng = random.Random(5000 + seed)
    values = table2_values(rng)
    item = rng.choice(ITEMS)
    lines = table2_text(values, rng)
    first = lines.index(item)
    last = next((i for i in range(first + 1, len(lines)) if lines[i].startswith("第二十条")), len(lines))
    lines[first:last] = column_order_item(values, item)
    got = _read_table2(lines)
    for row in T.PROACTIVE_ROWS["2021"]:
        want = _expected(values)[row.key]
        assert got[row.key] in (want, (None,) * len(want)) if row.item == item else got[row.key] == want, (row.key, got[row.key], want)


# Table 三 filled only in its 总计 column (椒江's shape) -------------------------------------------------

TOTAL_HEADER = ["| （本列数据的勾稽关系为：第一项加第二项 |     | 申请人情况     |     |     |     |",
                "| ------------------- | --- | --------- | --- | --- | --- |",
                "| 之和，等于第三项加第四项之和）     |     | 自 法人或其他组织 |     |     | 总   |",
                "|                     |     | 然 商       | 科 社 | 法 其 | 计   |"]


def totals_table(values: dict[str, int], rng: random.Random) -> list[str]:
    lines = list(TOTAL_HEADER)
    for row in T.REQUEST_ROWS["2021"]:
        head, tail = row.label[:9], row.label[9:]
        shape = rng.choice(["L", "lF", "Fl"])
        if shape == "L":
            lines += [f"|     | {head} |     |     |     | {values[row.key]}   |"]
        else:
            lines += [head, str(values[row.key])] if shape == "lF" else [str(values[row.key]), head]
        lines += [tail] if tail else []
    return lines


def _read_totals(lines: list[str]) -> dict[str, tuple[int | None, ...]]:
    report = parse_text(frame_with_table3("\n".join(lines)))
    out = {r.key: tuple(getattr(report.requests, r.key).model_dump().values()) for r in T.REQUEST_ROWS["2021"]}
    for key, got in out.items():
        if got[6] is None:
            assert any(p.row == key for p in report.problems), key
    return out


@pytest.mark.parametrize("how", ["whole", "drop", "repeat"])
@pytest.mark.parametrize("seed", range(20))
def test_a_table_of_totals_only_reads_the_totals_on_their_labels_lines(seed, how):
    """The figure on a label's line, under the header's 总计: that row's 总计; a figure alone on its line
    says neither its row nor its column: null. Never another row's figure, never an applicant column."""
    rng = random.Random(3000 + seed)
    values = {r.key: rng.choice([0, rng.randint(1, 40)]) for r in T.REQUEST_ROWS["2021"]}
    lines = totals_table(values, rng)
    on_label_line = {r.key for r in T.REQUEST_ROWS["2021"] if f"| {r.label[:9]} |" in "\n".join(lines)}
    got = _read_totals(_mutated(lines, rng, how, list(range(len(TOTAL_HEADER), len(lines)))))
    for key, value in values.items():
        assert got[key][:6] == (None,) * 6, key
        assert got[key][6] in (value, None), (key, got[key], value)
        if how == "whole":
            assert (got[key][6] is not None) == (key in on_label_line), key
