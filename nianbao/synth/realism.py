"""Blank cells and glued rows as often as in the real reports (nianbao.synth.profile measures both).

- Glued rows: a row of table 二 whose numbers are printed as one run of digits that more than one split
  fits (fujian-pingtan's web text); the parser must leave its cells empty and say `cells-ambiguous`.
- Blank cells: cells of table 三 printed empty (zhejiang-jiaojiang prints only the 总计 column); the record
  holds null there, since a blank is not a 0 the report states.

A report draws either with the probability that makes the corpus's share, in expectation, the profile's:
glued rows over all rows, blank cells (glued ones included) over all cells of the tables present.
Web text (the glued layout) has no cell boundaries to leave blank (the other layouts make up for it) and
glues its rows on its own, about as often as the profile asks.
"""

from __future__ import annotations

import random

from .. import template as T
from .numbers import count_free_splits

GLUE_WIDTH = 3  # rows of three integer columns: the parser's tests cover their runs in every line layout
_GLUED_LAYOUT_SHARE = 0.2  # the glued layout's weight among layouts (report.AgencyHistory)


def _rows(tpl: str) -> int:
    return len(T.PROACTIVE_ROWS[tpl]) + len(T.request_row_keys(tpl)) + len(T.APPEAL_GROUPS)


def _cells(tpl: str) -> int:
    proactive = sum(len(r.columns) for r in T.PROACTIVE_ROWS[tpl])
    return proactive + len(T.request_row_keys(tpl)) * len(T.APPLICANT_COLUMNS) + len(T.APPEAL_GROUPS) * len(T.APPEAL_COLUMNS)


def gluable(tpl: str) -> list[str]:
    return [r.key for r in T.PROACTIVE_ROWS[tpl] if len(r.columns) == GLUE_WIDTH and not r.decimal]


def ambiguous_values(rng: random.Random) -> tuple[int, ...]:
    """Three counts whose digits run together fit more than one split (12|34|567 or 1|234|567 …)."""
    while True:
        values = (rng.randint(10, 99), rng.randint(10, 99), rng.randint(100, 999))
        if count_free_splits("".join(map(str, values)), "i" * GLUE_WIDTH) > 1:
            return values


def glued_rows(rng: random.Random, tpl: str, layout: str, profile: dict) -> list[str]:
    """The rows of table 二 this report prints run together (each then given ambiguous values)."""
    if layout == "glued":
        return []
    keys = gluable(tpl)
    share = profile["glued_row_share"] * _rows(tpl) / len(keys)  # web text glues about as often on its own
    return keys if rng.random() < min(1.0, share) else []


def blank_cells(rng: random.Random, tpl: str, layout: str, profile: dict, glued: int) -> set[tuple[str, str]]:
    """The cells of table 三 this report leaves blank: the six applicant columns of every row (only 总计
    printed, as zhejiang-jiaojiang), or none. `glued`: the report's glued rows (blank in the record already)."""
    if layout == "glued":
        return set()
    cells = {(row, col) for row in T.request_row_keys(tpl) for col in T.APPLICANT_COLUMNS[:6]}
    want = profile["blank_cell_share"] * _cells(tpl) / (1 - _GLUED_LAYOUT_SHARE) - glued * GLUE_WIDTH
    return cells if rng.random() < max(0.0, want) / len(cells) else set()
