"""Table 二 laid out by columns: the row labels first, then each column heading with its figures.

Plain pdftotext writes a table's cells in reading blocks: all labels of a table, then under each column
heading the figures of that column, top to bottom (`本年制发件数 0 1 本年废止件数 0 1 … 本年处理决定数量 10
本年处理决定数量 3 0`). A heading's figures belong to the rows of one 第二十条 item in their order, but only
when their count is that item's number of rows: a blank cell leaves no trace in such text, so any other
count leaves the column null. A heading several items share (本年处理决定数量 for 第(五) and 第(六)项) goes
to the item whose number of rows it matches, or, when every item's heading is there, to the items in order.
"""

from __future__ import annotations

import re
from typing import Any

from .. import template as T
from .numbers import Token, tokens
from .text import Doc

# What may stand between a heading and its first figure: spaces, pipes, a short parenthesis (单位：万元).
_AFTER = re.compile(r"(?:[\s|]|[(（][^)）\n]{0,12}[)）])*(?=[-+]?\d)")


def _heading_pattern(label: str) -> re.Pattern[str]:
    core = re.split(r"[（(]", label)[0]
    return re.compile(re.escape(core))


def read_by_columns(doc: Doc, tpl: str, start: int, end: int, value) -> dict[str, dict[str, Any]]:
    """{row key: {column: value}} of the cells this layout gives for certain; `value(token, decimal)`."""
    labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
    items: dict[str, list[T.ProactiveRow]] = {}
    for row in T.PROACTIVE_ROWS[tpl]:
        items.setdefault(row.item, []).append(row)
    columns = sorted({c for rows in items.values() for c in rows[0].columns})
    # Every heading occurrence in the table, in order, with the figures right after it.
    hits: list[tuple[int, int, str]] = []
    for col in columns:
        hits += [(span.start, span.end, col) for _, span in doc.finditer(_heading_pattern(labels[col]), start, end)]
    hits.sort()
    figures: dict[str, list[list[Token]]] = {c: [] for c in columns}
    for i, (_, h_end, col) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else end
        after = _AFTER.match(doc.text, h_end, stop)
        figures[col].append(tokens(doc.text[after.end():stop], after.end()) if after else [])
    out: dict[str, dict[str, Any]] = {}
    for col in columns:
        owners = [rows for rows in items.values() if col in rows[0].columns]
        for rows, toks in _assign(owners, figures[col]):
            for row, tok in zip(rows, toks, strict=True):
                v = value(tok, col in row.decimal)
                if v is not None:
                    out.setdefault(row.key, {})[col] = v
    return out


def _assign(owners: list[list[T.ProactiveRow]], runs: list[list[Token]]):
    """(rows, figures) pairs: each run of figures to the one item of its size, or all in order."""
    if len(runs) == len(owners) and all(len(r) == len(o) for r, o in zip(runs, owners, strict=True)):
        return list(zip(owners, runs, strict=True))
    pairs = []
    for run in runs:
        fits = [o for o in owners if len(o) == len(run)]
        if run and len(fits) == 1 and sum(1 for r in runs if len(r) == len(run)) == 1:
            pairs.append((fits[0], run))
    return pairs
