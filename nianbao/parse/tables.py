"""Tables 二, 三 and 四, found by their labels and shapes, never by line numbers; this module reads
table 二 (主动公开政府信息情况) and gives the parser the readers of all three (requests.py, appeals.py).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from .. import template as T
from ..model import Problem
from . import spans as S
from . import stacked
from .appeals import parse_appeals
from .cells import figures_either_side, stray_figure_rows
from .columns import T2_COLUMN_WORDS, labels_apart, laid_apart, read_by_columns
from .numbers import Token, cell_candidates, tokens
from .requests import parse_requests
from .result import TableResult, make_problem, printed_text
from .text import Doc

__all__ = ["TableResult", "parse_appeals", "parse_proactive", "parse_requests"]

_PROACTIVE_KEYS: dict[str, str] = {
    "rules": r"规章",
    "normative_documents": r"(?:行政)?规范性文件",
    "licensing": r"行政许可",
    "other_services": r"其他对外管理服务事项",
    "penalty": r"行政处罚",
    "coercion": r"行政强制",
    "fees": r"行政事业性收费",
    "procurement": r"政府集中采购",
}
_PROACTIVE_PATTERNS = {k: re.compile(v) for k, v in _PROACTIVE_KEYS.items()}
_ITEM = re.compile(r"第二十条第?\(?[一二三四五六七八九十]+\)?项")
_ITEM_HEADER = re.compile(_ITEM.pattern + "|信息内容")


# Table 二 ------------------------------------------------------------------------------------------


def parse_proactive(doc: Doc, tpl: str, start: int, end: int, hints: dict[tuple[str, str], Any]) -> TableResult:
    rows = T.PROACTIVE_ROWS[tpl]
    found: dict[str, tuple[int, int]] = {}
    for row in rows:
        hit = doc.search(_PROACTIVE_PATTERNS[row.key], start, end)
        if hit:
            found[row.key] = (hit[1].start, hit[1].end)
    if not found:
        return TableResult(None, [make_problem(doc, "table2-missing", "表二（主动公开政府信息情况）未找到", start, table="proactive")])
    stops = sorted({s for s, _ in found.values()} | {m[1].start for m in doc.finditer(_ITEM_HEADER, start, end)} | {end})
    data: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    used: dict[str, Any] = {}
    spans: dict[str, str] = {}
    last = start
    apart = laid_apart(doc, start, end, T2_COLUMN_WORDS)
    by_column = read_by_columns(doc, tpl, start, end, _value) if apart else {}
    stray = stray_figure_rows(doc, start, end, min(s for s, _ in found.values()))
    ordered = _read_items_by_row_order(doc, tpl, rows, found, start, end, own_headings=apart)
    for row in rows:
        cells: dict[str, Any] = {c: None for c in row.columns}
        data[row.key] = cells
        if row.key not in found:
            problems.append(make_problem(doc, "row-missing", f"表二“{row.label}”行未找到", start, table="proactive", row=row.key))
            continue
        lstart, lend = found[row.key]
        zend = next(s for s in stops if s > lstart)
        last = max(last, zend)
        if row.key in ordered:
            figures = ordered[row.key]
            values, problem = None, None
            if figures is _UNREAD:
                problem = make_problem(doc, "cells-ambiguous", f"表二“{row.label}”的数字行与标签分开排列，本项不能唯一切分成行（有一行数字缺少、多出或损坏），无法确定哪一行数字属于本行，保留为空",
                                       lend, table="proactive", row=row.key)
            elif figures:
                values = {c: _value(t, c in row.decimal) for c, t in zip(row.columns, figures, strict=True)}
        elif apart:
            values = dict(by_column.get(row.key, {}))
            problem = None if len(values) == len(row.columns) else labels_apart(doc, "表二", row.label, lend, "proactive", row.key)
        else:
            values, problem = _read_proactive_row(doc, row, (lstart, lend), zend, hints, stray)
        if problem:
            problems.append(problem)
        if values is not None:
            for col in values.pop("_hints", ()):
                used[f"{row.key}.{col}"] = hints[(row.key, col)]
            cells.update(values)
        spans[row.key] = S.entry(doc, *S.row_spans(doc, lstart, zend, cells), row.columns)
        blank = [c for c in row.columns if cells[c] is None]
        if blank and not problem:
            problems.append(make_problem(doc, "cells-blank", f"表二“{row.label}”未填写：{'、'.join(_col_label(tpl, c) for c in blank)}",
                                     lend, severity="info", table="proactive", row=row.key))
    lines = {k: doc.line_of(s0) for k, (s0, _) in found.items()}
    return TableResult(data, problems, start, last, used, lines, spans)


_NEXT_TABLES = re.compile(r"收到和处理|勾稽关系|申请人情况|行政复议|行政诉讼")
_UNREAD: list[Token] = []  # a row of an item read by row order that no cut reads


def _read_items_by_row_order(doc: Doc, tpl: str, rows, found: dict[str, tuple[int, int]], start: int, end: int,
                             own_headings: bool = False) -> dict[str, Any]:
    """{row key: its figures (None: blank)} of the items of table 二 whose figure lines stand apart from
    their labels in the page's order (stacked.py), each item between its 第二十条第（X）项 and the next; a
    row of such an item that no single cut reads maps to _UNREAD (null with cells-ambiguous).
    With `own_headings` (the table has labels apart from figures somewhere), only the items whose stretch
    proves it keeps the page's order are read: each of its column headings printed once, above its
    first row label, and no other item's heading in it (plain pdftotext mixes the items' columns)."""
    heads = sorted(m[1].start for m in doc.finditer(_ITEM, start, end))
    out: dict[str, Any] = {}
    for lo, hi in itertools.pairwise([*heads, end]):
        after = doc.search(_NEXT_TABLES, lo, hi)  # the last item ends where table 三 or 四 begins
        hi = after[1].start if after else hi
        item = [r for r in rows if r.key in found and lo <= found[r.key][0] < hi]
        if not item or len({len(r.columns) for r in item}) != 1:
            continue
        keys = [r.key for r in item]
        if own_headings and not _own_headings_first(doc, tpl, rows, item, found, lo, hi):
            continue
        read = stacked.read_item(doc, keys, found, lo, hi, len(item[0].columns), on_their_lines=own_headings)
        if read is not None:
            out.update({k: read.get(k, _UNREAD) for k in keys})
    return out


def _own_headings_first(doc: Doc, tpl: str, rows, item, found: dict[str, tuple[int, int]], lo: int, hi: int) -> bool:
    """Between lo and hi, the item's column headings each once and all above its first row label, and no
    heading of another item's columns."""
    own = {_col_label(tpl, c).split("（")[0] for c in item[0].columns}  # 本年收费金额（单位：万元）: its words
    first = min(found[r.key][0] for r in item)
    for label in {_col_label(tpl, c).split("（")[0] for r in rows for c in r.columns}:
        hits = [m[1].start for m in doc.finditer(re.compile(re.escape(label)), lo, hi)]
        if label in own and (len(hits) != 1 or hits[0] > first):
            return False
        if label not in own and hits:
            return False
    return True


def _col_label(tpl: str, col: str) -> str:
    labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
    return labels.get(col, col)


def _read_proactive_row(doc: Doc, row: T.ProactiveRow, label: tuple[int, int], zend: int,
                        hints: dict[tuple[str, str], Any], stray: bool = False):
    zstart = label[1]
    zone = doc.text[zstart:zend]
    toks = tokens(zone, zstart)
    cols = row.columns
    n = len(cols)
    first_line = zone.split("\n", 1)[0]
    if toks and stray and figures_either_side(doc, label, toks[0].start):
        printed = printed_text(doc, toks[0].start, toks[-1].end)
        return None, make_problem(doc, "cells-ambiguous", f"表二“{row.label}”的标签上下两行都印有数字，无法确定“{printed}”属于哪一行，保留为空",
                                  zstart, table="proactive", row=row.key, text=printed)
    if len(toks) == n:
        return _assign(doc, row, toks), None
    if len(toks) < n and ("\t" in first_line or "|" in first_line):
        # Delimited cells: position tells the column; a blank cell is null.
        parts = re.split(r"\t|\|", first_line)[1:]
        values: dict[str, Any] = {}
        line_toks = tokens(first_line, zstart, stop_at_text=False)
        filled = [i for i, p in enumerate(parts[:n]) if tokens(p, 0, False)]
        # Only the leading cells filled, with digits enough for all n: a converter may have glued the
        # row into its first cells and padded the rest, so position proves nothing (ambiguous below).
        glueable = filled == list(range(len(filled))) and sum(len(t.text) for t in line_toks) >= n
        if len(parts) >= n and all(len(tokens(p, 0, False)) <= 1 for p in parts[:n]) and not glueable:
            it = iter(line_toks)
            for col, part in zip(cols, parts[:n], strict=True):
                values[col] = _value(next(it), col in row.decimal) if tokens(part, 0, False) else None
            return values, None
    if not toks:
        return None, None
    printed = printed_text(doc, zstart, toks[-1].end if toks else zend)
    if len(toks) < n and not any(t.is_decimal for t in toks):
        # Glued cells: keep a cut only when it is the only one (also given what the prose states).
        known = {i: hints[(row.key, c)].value for i, c in enumerate(cols) if (row.key, c) in hints}
        cands = cell_candidates(toks, n, lambda cells: True)
        if cands and len(cands) == 1:
            return dict(zip(cols, cands[0], strict=True)), None
        if cands and known:
            fit = [c for c in cands if all(c[i] == v for i, v in known.items())]
            if len(fit) == 1:
                used = [cols[i] for i in sorted(known)]
                return {**dict(zip(cols, fit[0], strict=True)), "_hints": used}, None
    return None, make_problem(
        doc, "cells-ambiguous",
        f"表二“{row.label}”的数字“{printed}”无法唯一拆分为{n}栏（本表没有可用于拆分的勾稽关系），保留为空",
        zstart, table="proactive", row=row.key, text=printed,
    )


def _assign(doc: Doc, row: T.ProactiveRow, toks: list[Token]) -> dict[str, Any]:
    return {col: _value(t, col in row.decimal) for col, t in zip(row.columns, toks, strict=True)}


def _value(t: Token, decimal: bool) -> Any:
    v = t.value()
    if t.unit == "元" and decimal and isinstance(v, (int, float)):
        return v  # 采购总金额 is in yuan already
    if not decimal and isinstance(v, float):
        return None
    return float(v) if decimal else v
