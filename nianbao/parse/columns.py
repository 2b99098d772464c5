"""Tables whose converter laid the row labels out apart from the figures, and table 二 read from them.

`laid_apart` recognises the layout: a column heading followed directly by figures, with no row label
between. Then no figure beside a label is that row's, and tables 三 and 四 stay null (labels-apart).
Table 二 can still be read by its columns: plain pdftotext writes a table's cells in reading blocks: all labels of a table, then under each column
heading the figures of that column, top to bottom (`本年制发件数 0 1 本年废止件数 0 1 … 本年处理决定数量 10
本年处理决定数量 3 0`). A heading's figures belong to the rows of one 第二十条 item in their order, but only
when their count is that item's number of rows: a blank cell leaves no trace in such text, so any other
count leaves the column null. A heading several items share (本年处理决定数量 for 第(五) and 第(六)项) goes
to the item whose number of rows it matches, or, when every item's heading is there, to the items in order.
A heading left at the foot of a page has its figures on the next page, right after that page's labels
and before any heading there: taken only when it is the one heading without figures and they are the one
run of figures in the table that follows no heading.
"""

from __future__ import annotations

import re
from typing import Any

from .. import template as T
from ..model import Problem
from .numbers import Token, tokens
from .result import make_problem
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
    _moved_across_page(doc, hits, figures, start, end)
    out: dict[str, dict[str, Any]] = {}
    for col in columns:
        owners = [rows for rows in items.values() if col in rows[0].columns]
        for rows, toks in _assign(owners, figures[col]):
            for row, tok in zip(rows, toks, strict=True):
                v = value(tok, col in row.decimal)
                if v is not None:
                    out.setdefault(row.key, {})[col] = v
    return out


_FIGURE_LINES = re.compile(r"(?m)^(?:[ \t]*[-+]?\d+(?:\.\d+)?[ \t]*\n?)+")


def _moved_across_page(doc: Doc, hits: list[tuple[int, int, str]], figures: dict[str, list[list[Token]]],
                       start: int, end: int) -> None:
    """A heading left at the foot of a page with its cells on the next (a row broken across the page):
    when exactly one heading has no figures and exactly one run of figure lines in the table follows no
    heading, and that run stands on a later page before any heading there, the run is the heading's."""
    empty = [(i, col) for i, (_, _, col) in enumerate(hits) if not figures[col][sum(1 for h in hits[:i] if h[2] == col)]]
    taken = {t.start for runs in figures.values() for run in runs for t in run}
    orphans = [m for m in _FIGURE_LINES.finditer(doc.text, start, end) if not any(m.start() <= t < m.end() for t in taken)]
    if len(empty) != 1 or len(orphans) != 1:
        return
    i, col = empty[0]
    run = orphans[0]
    page = doc.text.rfind("\f", hits[i][1], run.start())
    if page < 0 or any(page < h_start < run.start() for h_start, _, _ in hits):
        return
    figures[col][sum(1 for h in hits[:i] if h[2] == col)] = tokens(run.group(), run.start())


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


# Column headings: between a row's label and the first figure after it, they show that the converter laid
# the labels out apart from the figures (plain pdftotext: the labels, then each column's figures).
T2_COLUMN_WORDS = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|本年新制作数量|"
                             r"本年新公开数量|对外公开总数量|上一年项目数量|本年增/减|采购项目数量|采购总金额")
T3_COLUMN_WORDS = re.compile(r"(?:申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益(?:组织)?|法律服务机构)"
                             r"(?:申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益(?:组织)?|法律服务机构|其他|总计)*")


# A figure (not a row number such as `3.补正后…`, nor a count in prose such as `3 件`) right after a heading.
_AFTER_HEADING = re.compile(r"(?:[\s|]|[（(][^）)\n]{0,12}[）)])*[-+]?\d+(?:\.\d+)?(?![\d.])"
                            r"(?!\s*[、．]|\s*(?:件|个|条|项|家|人|次|%|万|元))")


def laid_apart(doc: Doc, start: int, end: int, words: re.Pattern[str]) -> bool:
    """A column heading followed directly by figures, with no row label between: the converter wrote the
    labels apart from the figures (plain pdftotext: the labels, then each column's figures), so no figure
    beside a label can be taken as that row's."""
    return any(_AFTER_HEADING.match(doc.text, span.end) for _, span in doc.finditer(words, start, end))


def labels_apart(doc: Doc, table: str, label: str, offset: int, key: str, row: str) -> Problem:
    message = f"{table}“{label}”的数字不在标签旁：转换后的文字把标签和各栏数字分开排列，无法确定哪个数字属于本行（或本行的某些栏），保留为空"
    return make_problem(doc, "labels-apart", message, offset, table=key, row=row)
