"""Figures wrapped inside narrow cells, joined again only where the arithmetic leaves one way.

A PDF table with narrow columns prints a figure too wide for its cell on two lines (705 as 70 over 5).
Converters give the pieces in two shapes: in reading order, the rest of the figure on the next line
(`70\\n5\\n3 0 0 5 0 71\\n3`: pdftotext -raw, pypdfium2), or the row's line of figures followed by a line
holding the rest of the wide ones (`29 1 0 0 3 0 29\\n0 4`: pdfplumber, pdftotext -layout). Every way to
join the pieces into the row's cells is a candidate; the table keeps one only when it is the only one the
row total (and then the column totals and the balance) admits, as with figures glued together.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from .numbers import Token

MAX_JOINS = 6
MAX_PLACINGS = 20000  # ways to place the pieces of wrapped figures; more is no reading


def _valid(text: str) -> bool:
    return text == "0" or not text.startswith("0")


def _line_numbers(zone: str, zone_start: int, toks: list[Token]) -> list[int]:
    return [zone.count("\n", 0, t.start - zone_start) for t in toks]


def join_candidates(zone: str, zone_start: int, toks: list[Token], k: int,
                    accept: Callable[[tuple[int, ...]], bool]) -> list[tuple[int, ...]]:
    """Readings of a row of k cells whose figures may have wrapped onto further lines."""
    if len(toks) <= k or any(t.is_decimal or t.sign < 0 or t.unit for t in toks):
        return []
    lines = _line_numbers(zone, zone_start, toks)
    out: set[tuple[int, ...]] = set()
    # Reading order: a figure continues on the next line, so a piece joins the one just before it.
    breaks = [i for i in range(len(toks) - 1) if lines[i + 1] != lines[i]]
    need = len(toks) - k
    if need <= min(len(breaks), MAX_JOINS):
        for joined in itertools.combinations(breaks, need):
            texts: list[str] = []
            for i, t in enumerate(toks):
                if i - 1 in joined:
                    texts[-1] += t.text
                else:
                    texts.append(t.text)
            _add(out, texts, accept)
    # A line of the row's k figures, then lines with the rest of the wide ones, left to right.
    first = [i for i, line in enumerate(lines) if line == lines[0]]
    rest = toks[len(first):]
    if len(first) == k and 0 < len(rest) <= MAX_JOINS:
        groups = [list(g) for _, g in itertools.groupby(rest, key=lambda t: lines[toks.index(t)])]
        if math.prod(math.comb(k, len(g)) for g in groups) > MAX_PLACINGS:
            return sorted(out)
        choices = [itertools.combinations(range(k), len(g)) for g in groups]
        for placing in itertools.product(*choices):
            texts = [t.text for t in toks[:k]]
            for group, cells in zip(groups, placing, strict=True):
                for t, c in zip(group, cells, strict=True):
                    texts[c] += t.text
            _add(out, texts, accept)
    return sorted(out)


def _add(out: set[tuple[int, ...]], texts: list[str], accept: Callable[[tuple[int, ...]], bool]) -> None:
    if all(_valid(t) for t in texts):
        cells = tuple(int(t) for t in texts)
        if accept(cells):
            out.add(cells)
