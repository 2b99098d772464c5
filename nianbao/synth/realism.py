"""Blank cells and glued rows as often as in the real reports (nianbao.synth.profile measures both).

- Glued rows: a row of table 二 whose numbers are printed as one run of digits that more than one split
  fits (fujian-pingtan's web text); the parser must leave its cells empty and say `cells-ambiguous`.
- Blank cells: cells of table 三 printed empty (zhejiang-jiaojiang prints only the 总计 column); the record
  holds null there, since a blank is not a 0 the report states.

A report draws either with the probability that makes the corpus's share, in expectation, the profile's:
glued rows over all rows, blank cells (glued ones included) over all cells of the tables present.
Web text (the glued layout) has no cell boundaries to leave blank and glues its rows on its own, as often
as its numbers happen to split more than one way; the line layouts make up the rest.
"""

from __future__ import annotations

import random

from .. import template as T
from .numbers import count_free_splits

GLUE_WIDTH = 3  # rows of three integer columns: the parser's tests cover their runs in every line layout
_GLUED_LAYOUT_SHARE = 0.2  # the glued layout's weight among layouts (report.AgencyHistory)
# What web text reaches by itself, per template (glued rows, blank cells), as measured on this generator's
# glued-layout reports: the 2019 template's table 二 has eight multi-column rows, the 2021 template's two.
_WEB_TEXT_OWN = {"2019": (0.118, 0.059), "2021": (0.023, 0.012)}


def _rest(tpl: str, share: float, which: int) -> float:
    """The share the line layouts must reach so that the whole corpus reaches `share`."""
    f = _GLUED_LAYOUT_SHARE
    return max(0.0, share - f * _WEB_TEXT_OWN[tpl][which]) / (1 - f)


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
    share = _rest(tpl, profile["glued_row_share"], 0) * _rows(tpl) / len(keys)
    return keys if rng.random() < min(1.0, share) else []


def blank_cells(rng: random.Random, tpl: str, layout: str, profile: dict, glued: int) -> set[tuple[str, str]]:
    """The cells of table 三 this report leaves blank: the six applicant columns of every row (only 总计
    printed, as zhejiang-jiaojiang), or none. `glued`: the report's glued rows (blank in the record already)."""
    if layout == "glued":
        return set()
    cells = {(row, col) for row in T.request_row_keys(tpl) for col in T.APPLICANT_COLUMNS[:6]}
    want = _rest(tpl, profile["blank_cell_share"], 1) * _cells(tpl) - glued * GLUE_WIDTH
    return cells if rng.random() < max(0.0, want) / len(cells) else set()
