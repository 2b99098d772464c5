"""Table 四 as plain pdftotext writes it when a page break splits its column headings.

The headings of table 四 stand one character a line (结 / 果 / 维 / 持). When the table is cut by a page
break, the first characters of each heading stay on the first page and the rest of the heading (果维持,
未审结, 计) is written on the next page right above its figure. Such a figure is labelled: the heading's
rest is the end of exactly one of the five headings (they all end in a different character, and the
whole rest must match). Five labelled figures, each heading once, are one group; a run of unlabelled
figures is a group only when it holds five figures, and then gives what its arithmetic proves
(blocks.group_cells). The groups are taken in the table's order only when exactly three are found.
"""

from __future__ import annotations

import re

from .. import template as T
from .blocks import group_cells
from .numbers import Token, tokens
from .text import Doc

_FIGURE = re.compile(r"[ \t\u3000\f]*\d{1,9}[ \t\u3000]*")  # a page's first line starts with its form feed
_ONE_CHAR = re.compile(r"[ \t\u3000\f]*([\u4e00-\u9fff])[ \t\u3000]*")
_PAGE_NUMBER = re.compile(r"[ \t\u3000]*[—－-]\s*\d{1,3}\s*[—－-][ \t\u3000]*")


def _column(rest: str) -> str | None:
    """The column whose heading ends with `rest` (its start on the page before), when exactly one does; a
    whole heading right above a figure says nothing (pdftotext writes headings before their figures)."""
    found = [c for c, label in T.APPEAL_COLUMN_LABELS.items() if rest and label != rest and label.endswith(rest)]
    return found[0] if len(found) == 1 else None


def _figures(doc: Doc, start: int, end: int) -> list[tuple[str | None, Token]]:
    """(column or None, figure) of each figure line between two offsets: the column when the one-character
    lines right above the figure (blank lines aside) are the rest of one heading."""
    out: list[tuple[str | None, Token]] = []
    rest = ""
    pos = start
    for line in doc.text[start:end].split("\n"):
        if line.startswith("\f"):
            rest = ""  # a new page: what stands above a figure here is on this page
        if _FIGURE.fullmatch(line):
            out.append((_column(rest), tokens(line, pos, stop_at_text=False)[0]))
            rest = ""
        elif (char := _ONE_CHAR.fullmatch(line)) is not None:
            rest += char.group(1)
        elif line.strip() and not _PAGE_NUMBER.fullmatch(line):
            rest = ""
        pos += len(line) + 1
    return out


def read_split(doc: Doc, start: int, end: int) -> tuple[dict[str, dict[str, int | None]], list[Token], set[str]] | None:
    """Table 四's three groups from labelled figures (each heading once) and runs of five unlabelled ones,
    in the table's order, and the groups read from labels; None unless exactly three groups are found,
    every figure in one, and a page break stands before the labelled ones."""
    figures = _figures(doc, start, end)
    sets: list[tuple[bool, list[tuple[str | None, Token]]]] = []  # (labelled, its figures)
    for column, tok in figures:
        labelled = column is not None
        last = sets[-1] if sets else None
        if last is None or last[0] != labelled or (labelled and column in {c for c, _ in last[1]}):
            sets.append((labelled, []))
        sets[-1][1].append((column, tok))
    if len(sets) != len(T.APPEAL_GROUPS) or not any(labelled for labelled, _ in sets):
        return None
    first = min(tok.start for labelled, cells in sets if labelled for _, tok in cells)
    if "\f" not in doc.text[start:first]:
        return None  # no page break before them: the headings were not split
    data: dict[str, dict[str, int | None]] = {}
    for group, (labelled, cells) in zip(T.APPEAL_GROUPS, sets, strict=True):
        if len(cells) != len(T.APPEAL_COLUMNS):
            return None
        if labelled:
            data[group] = {c: int(tok.value()) for c, tok in cells if c is not None}
            data[group] = {c: data[group][c] for c in T.APPEAL_COLUMNS}
        else:
            values = [int(tok.value()) for _, tok in cells]
            data[group] = dict(zip(T.APPEAL_COLUMNS, group_cells(values), strict=True))
    return data, [tok for _, tok in figures], {g for g, (labelled, _) in zip(T.APPEAL_GROUPS, sets, strict=True) if labelled}
