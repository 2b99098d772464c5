"""Table 四 (行政复议、行政诉讼): fifteen cells in one row, or three groups of five printed apart."""

from __future__ import annotations

import re

from .. import template as T
from ..model import Problem
from . import blocks, split_headings
from . import cells as C
from . import spans as S
from .numbers import Token, cell_candidates, tokens
from .result import TableResult, make_problem, printed_text
from .text import CJK, Doc

_T4_HEADER = re.compile(r"行政法?复议.{0,12}?(?:行政诉讼|结果维持)")
_T4_HEADER_WORDS = re.compile(r"(?:结果维持|结果纠正|其他结果|尚未审结|总计|直接起诉|复议后起诉|行政诉讼|行政复议)")



# Table 四 ------------------------------------------------------------------------------------------


def _appeals_ok(cells: tuple[int, ...]) -> bool:
    return all(c >= 0 for c in cells) and all(cells[i + 4] == sum(cells[i:i + 4]) for i in (0, 5, 10))


def parse_appeals(doc: Doc, start: int, end: int) -> TableResult:
    spread = blocks.read_appeals(doc, start, end)
    if spread is not None:
        return _from_blocks(doc, spread[0], spread[1], gridded=spread[2])
    split = split_headings.read_split(doc, start, end)
    if split is not None:
        return _from_blocks(doc, *split)
    header = doc.search(_T4_HEADER, start, end)
    toks: list[Token] = []
    inferred = False
    zstart = start
    if header:
        # Skip the header words; the numbers follow the last of them.
        pos = header[1].end
        while True:
            nxt = doc.search(_T4_HEADER_WORDS, pos, end)
            if nxt is None or any(ch.isdigit() for ch in doc.text[pos:nxt[1].start]):
                break
            pos = nxt[1].end
        zstart = pos
        toks = tokens(doc.text[pos:end], pos)
    if not toks:
        # A lone row of 15 numbers with its header lost (converters drop it): the table's shape.
        line_start = start
        for line in doc.text[start:end].split("\n"):
            line_toks = tokens(line, line_start, stop_at_text=False)
            if len(line_toks) == 15 and not CJK.search(line):
                toks, zstart, inferred = line_toks, line_start, True
                break
            line_start += len(line) + 1
    if not toks:
        code_off = header[1].start if header else start
        return TableResult(None, [make_problem(doc, "table4-missing", "表四（行政复议、行政诉讼情况）未找到", code_off, severity="error", table="appeals")])
    problems: list[Problem] = []
    if inferred:
        problems.append(make_problem(doc, "table4-heading-missing", "表四的标题和表头缺失；按表格形状（一行 15 个数字）识别为表四", zstart, severity="info", table="appeals"))
    row = C.positional(C.line_fields(doc.line_text(doc.line_of(toks[0].start))), 15)
    groups = _appeal_groups(doc, header[1].start if header else zstart, end) if len(toks) < 15 and row is None else None
    # Fifteen numbers are the fifteen cells as printed; a row with blank cells is read by position; fewer
    # numbers are glued, cut only where one cut fits.
    if row is not None:
        cands = [row]
    elif groups is not None:
        cands, toks = [tuple(v for _, cells in groups for v in cells)], [t for t, _ in groups]
    elif len(toks) >= 15:
        cands = [tuple(int(t.value()) for t in toks[:15])]
    else:
        cands = cell_candidates(toks, 15, _appeals_ok)
    data = {g: {c: None for c in T.APPEAL_COLUMNS} for g in T.APPEAL_GROUPS}
    if cands and len(cands) == 1:
        it = iter(cands[0])
        for g in T.APPEAL_GROUPS:
            for c in T.APPEAL_COLUMNS:
                data[g][c] = next(it)
        blank = [f"{T.APPEAL_GROUP_LABELS[g]}·{T.APPEAL_COLUMN_LABELS[c]}" for g in T.APPEAL_GROUPS for c in T.APPEAL_COLUMNS if data[g][c] is None]
        if blank:
            problems.append(make_problem(doc, "cells-blank", f"表四未填写：{'、'.join(blank)}（记为未提供，而不是 0）", zstart, severity="info", table="appeals"))
    else:
        printed = printed_text(doc, toks[0].start, toks[-1].end)
        why = "可拆分方式不止一种" if cands else "与各组合计对不上任何拆分"
        problems.append(make_problem(doc, "cells-ambiguous", f"表四的数字“{printed}”无法唯一拆分为15栏（{why}），保留为空", zstart, table="appeals", text=printed))
    last = max(t.end for t in toks[:15])
    line = doc.line_of(toks[0].start)
    row, cells = S.row_spans(doc, zstart, last, {f"{g}.{c}": data[g][c] for g in T.APPEAL_GROUPS for c in T.APPEAL_COLUMNS})
    spans = {g: S.entry(doc, row, {c: cells[f"{g}.{c}"] for c in T.APPEAL_COLUMNS if f"{g}.{c}" in cells}, T.APPEAL_COLUMNS)
             for g in T.APPEAL_GROUPS}
    return TableResult(data, problems, zstart, last, row_lines={g: line for g in T.APPEAL_GROUPS}, spans=spans)


_APPEAL_GROUP_NAMES = {"review": re.compile(r"行政复议"), "litigation_direct": re.compile(r"直接起诉"),
                       "litigation_after_review": re.compile(r"复议后起诉")}


def _appeal_groups(doc: Doc, start: int, end: int) -> list[tuple[Token, tuple[int | None, ...]]] | None:
    """Table 四 printed as three tables, one per group (an OCR or web layout): each group's name, then a
    row of its five cells. None unless all three are found, in order, each with one row of five."""
    out = []
    pos = start
    names = list(_APPEAL_GROUP_NAMES.values())
    for i, pattern in enumerate(names):
        hit = doc.search(pattern, pos, end)
        if hit is None:
            return None
        stop = doc.search(names[i + 1], hit[1].end, end) if i + 1 < len(names) else None
        zend = stop[1].start if stop else end
        rows = [line for line in _lines(doc, hit[1].end, zend) if tokens(line[1], 0, stop_at_text=False)]
        if not rows:
            return None
        offset, text = rows[0]
        toks = tokens(text, offset, stop_at_text=False)
        cells = C.positional(C.line_fields(text), 5)
        if cells is None and len(toks) == 5 and not CJK.search(text):
            cells = tuple(int(t.value()) for t in toks) if not any(t.is_decimal or t.sign < 0 for t in toks) else None
        if cells is None:
            return None
        out.append((toks[0], cells))
        pos = zend
    return out


def _lines(doc: Doc, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, text) of each line between two offsets."""
    out, pos = [], start
    for line in doc.text[start:end].split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _from_blocks(doc: Doc, data: dict[str, dict[str, int | None]], figures: list[Token], labelled: frozenset[str] | set[str] = frozenset(),
                 gridded: frozenset[str] | set[str] = frozenset()) -> TableResult:
    """Table 四 as plain pdftotext writes it (blocks.read_appeals): groups whose figures leave one reading."""
    first = figures[0].start
    problems = []
    for g in T.APPEAL_GROUPS:
        name = T.APPEAL_GROUP_LABELS[g]
        blank = [T.APPEAL_COLUMN_LABELS[c] for c in T.APPEAL_COLUMNS if data[g][c] is None]
        if len(blank) == len(T.APPEAL_COLUMNS):
            problems.append(make_problem(doc, "labels-apart", f"表四“{name}”组的数字在转换后的文字里不按栏排列（不带 -layout 的 pdftotext），个数或合计对不上，保留为空", first, table="appeals", row=g))
        elif g in gridded:
            problems.append(make_problem(doc, "read-from-blocks", f"表四“{name}”组的栏标题逐字竖排，横着读出正是四个结果栏的顺序；其下同一块里的四个数字按这个顺序读取，其和等于总计", first, severity="info", table="appeals", row=g))
        elif g in labelled:
            problems.append(make_problem(doc, "read-from-blocks", f"表四“{name}”组的栏标题被分页切开，每个数字上方是它那一栏标题的后半截，按标题读取", first, severity="info", table="appeals", row=g))
        elif blank:
            problems.append(make_problem(doc, "labels-apart", f"表四“{name}”组的数字在转换后的文字里不按栏排列（不带 -layout 的 pdftotext）：总计是等于其余各数之和的那个数，{'、'.join(blank)}无法分辨，保留为空", first, table="appeals", row=g))
        else:
            problems.append(make_problem(doc, "read-from-blocks", f"表四“{name}”组的数字不按栏排列，但四个结果相同、另一个是其合计，只有一种读法", first, severity="info", table="appeals", row=g))
    line = doc.line_of(first)
    return TableResult(data, problems, first, max(t.end for t in figures), row_lines={g: line for g in T.APPEAL_GROUPS})
