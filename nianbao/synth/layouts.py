"""Print a synthetic report in each layout of FORMAT.md, as converters deliver real ones.

- markdown: Markdown headings, tab-separated tables (zhejiang-pinghu, henan-pingqiao)
- plain:    plain headings, tab-separated tables, table 三's header over three lines (ningxia-zhongwei)
- cells:    one cell per line behind a tab, full-width padding, header words broken (xinjiang-wusu)
- glued:    web text: the whole report on one line, no separators between cells (fujian-pingtan)
- pipe:     Markdown pipe tables
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import template as T
from .grids import TABLE3_NOTE, appeal_header, request_header

LAYOUTS = ("markdown", "plain", "cells", "glued", "pipe")
MARKER = "【合成数据 synthetic】"
NUMERALS = "一二三四五六"


@dataclass
class Draft:
    layout: str
    title: str
    signature: str
    preamble: list[str]
    sections: dict[int, list[str]]  # prose of sections 1, 5, 6
    proactive: list[list[str]]  # table 二 grid
    requests: list[list[str]] | None  # table 三 rows: three label cells + seven numbers; None = cut
    appeals: list[str] | None  # table 四's fifteen numbers; None = absent (heading too)
    date: str | None
    heading_levels: tuple[int, ...] = (2, 2, 2, 2, 2, 2)
    shift_row: int | None = None  # a row of table 三 printed shifted left (henan-pingqiao)
    split_words: bool = False
    spaced_runs: set[int] = field(default_factory=set)  # glued: rows of table 三 printed with spaces
    spaced_appeals: bool = False


def heading(n: int) -> str:
    return f"{NUMERALS[n - 1]}、{T.SECTION_TITLES[n]}"


def render(d: Draft) -> str:
    return {"markdown": _lines, "plain": _lines, "pipe": _lines, "cells": _lines, "glued": _glued}[d.layout](d)


# Line layouts -------------------------------------------------------------------------------------------


def _lines(d: Draft) -> str:
    md = d.layout in ("markdown", "pipe")
    out = [MARKER, ""]
    if d.layout == "plain":
        out += [d.signature, "", d.title.removeprefix(d.signature), ""]
    elif d.layout == "cells":
        cut = len(d.title) - 6
        out += [d.title[:cut], d.title[cut:], ""]
    else:
        out += ["# " + d.title if md else d.title, ""]
    for p in d.preamble:
        out += [p, ""]
    for n in range(1, 7):
        if n == 4 and d.appeals is None:
            continue
        title = heading(n)
        out += [("#" * d.heading_levels[n - 1] + " " + title) if md else title, ""]
        if n in d.sections:
            for p in d.sections[n]:
                out += [p, ""] if d.layout != "cells" else [p]
        elif n == 2:
            out += _table(d, d.proactive) + [""]
        elif n == 3:
            out += _requests(d) + [""]
        else:
            out += _table(d, appeal_header(d.split_words) + [d.appeals]) + [""]
    out += ["", d.signature]
    if d.date:
        out += ["", d.date] if d.layout != "cells" else [" " * 31 + d.date]
    return "\n".join(out) + "\n"


def _requests(d: Draft) -> list[str]:
    if d.requests is None:  # cut to its first header cell, as zhejiang-pinghu
        return [TABLE3_NOTE[:18] + "\t申请人情况", "-------------------------\t-------", "", ""]
    rows = []
    for i, row in enumerate(d.requests):
        labels, values = row[:3], row[3:]
        if d.layout == "plain" and not labels[1] and not labels[2]:
            labels = labels[:1]
        elif d.layout == "markdown" and not labels[2]:
            labels = labels[:2]
        elif d.layout == "cells":
            labels = labels[: max(i for i, c in enumerate(labels) if c) + 1]
        if i == d.shift_row:
            labels = [c for c in labels if c]
        rows.append(labels + values)
    return _table(d, request_header(d.split_words) + rows)


def _table(d: Draft, grid: list[list[str]]) -> list[str]:
    if d.layout == "pipe":
        width = max(len(r) for r in grid)
        lines = []
        for i, row in enumerate(grid):
            cells = [c.replace("\n", "") for c in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        return lines
    if d.layout == "cells":
        lines = []
        for row in grid:
            last = max((i for i, c in enumerate(row) if c), default=-1)
            lines += ["\t" + c for c in row[: last + 1]] + [""]
        return lines
    return ["\t".join(row).rstrip("\t") if len(row) > 4 else "\t".join(row + [""] * (4 - len(row))) for row in grid]


# Web text -----------------------------------------------------------------------------------------------


def _glued(d: Draft) -> str:
    parts = [d.title, " ", *d.preamble]
    for n in range(1, 7):
        if n == 4 and d.appeals is None:
            continue
        parts.append(heading(n))
        if n in d.sections:
            parts += d.sections[n]
        elif n == 2:
            parts.append(" " + "".join("".join(row) for row in d.proactive))
        elif n == 3:
            parts.append(_glued_requests(d))
        else:
            head = "".join(c.replace("\n", "") for row in appeal_header() for c in row)
            parts.append(head + (" ".join(d.appeals) if d.spaced_appeals else "".join(d.appeals)) + " ")
    return MARKER + "\n" + "".join(parts) + "\n"


def _glued_requests(d: Draft) -> str:
    if d.requests is None:
        return TABLE3_NOTE[:18]
    head = "".join(c for row in request_header() for c in row)
    body = []
    for i, row in enumerate(d.requests):
        values = row[3:]
        body.append("".join(row[:3]) + (" ".join(values) if i in d.spaced_runs else "".join(values)))
    return head + "".join(body)
