"""Numbers as tables print them, and the splitting of digit runs that lost their separators.

A *token* is a number as printed between separators (tab, space, newline, pipe, a sign). A token may
hold several cells when the converter dropped the separators between them (`640020470`); `splits`
enumerates every way to cut it, and the table code keeps a cut only when the template's arithmetic
leaves exactly one (FORMAT.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .text import CJK

# A number as printed: optional sign, digits with optional thousands separators or decimals.
_TOKEN = re.compile(r"([-+−]?)(?<![\d.])(\d+(?:[.,]\d+)*)(\s*(?:万元|元|万|件|条|个|项|%))?")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# A row number glued to the next label: `2.没有现成…`, `3、其他`.
_NUMBERING_AFTER = re.compile(r"\s*[.、]\s*(?:[\u3400-\u9fff(（]|$)")

MAX_DIGITS = 48  # longer digit runs are not a table row
MAX_CANDIDATES = 20000


@dataclass(frozen=True)
class Token:
    text: str  # as printed, digits only for glued runs (sign and unit removed)
    sign: int  # -1 for a printed minus sign
    start: int  # text offset
    end: int
    unit: str = ""

    @property
    def is_decimal(self) -> bool:
        return "." in self.text

    def value(self) -> int | float:
        return parse_number(self.text, self.sign)


def parse_number(text: str, sign: int = 1) -> int | float:
    clean = text.replace(",", "")
    if "." in clean:
        try:
            return float(Decimal(clean) * sign)
        except InvalidOperation:
            raise ValueError(text) from None
    return int(clean) * sign


def tokens(text: str, offset: int = 0, stop_at_text: bool = True) -> list[Token]:
    """Number tokens of a table zone, in order.

    Stops at the first CJK text that follows a number (the next label or heading) when `stop_at_text`;
    a trailing row number glued to the next label (`…72.没有现成`) is dropped.
    """
    out: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _TOKEN.search(text, pos)
        if not m:
            break
        if stop_at_text and out and CJK.search(text, pos, m.start()):
            break
        body = m.group(2)
        # Row numbering `2.` or `3、` followed by a label (or the end of the zone): not a cell.
        if _NUMBERING_AFTER.match(text, m.end(2)) and not m.group(3):
            if len(body) == 1 or not body.isdigit():
                pos = m.end(2) + 1
                continue
            body = body[:-1]  # the last digit of a glued run is the next row's number
            out.extend(_expand(body, m, offset))
            break
        out.extend(_expand(body, m, offset))
        pos = m.end()
    return out


def _expand(body: str, m: re.Match[str], offset: int) -> list[Token]:
    sign = -1 if m.group(1) in ("-", "−") else 1
    unit = (m.group(3) or "").strip()
    start, end = m.start() + offset, m.start(2) + offset + len(body)
    if "," in body and not _THOUSANDS.match(body):
        # A comma that is not a thousands separator separates cells.
        parts = body.split(",")
        out, pos = [], start
        for i, part in enumerate(parts):
            out.append(Token(part, sign if i == 0 else 1, pos, pos + len(part), unit if i == len(parts) - 1 else ""))
            pos += len(part) + 1
        return out
    return [Token(body.replace(",", ""), sign, start, end, unit)]


def int_splits(run: str, k: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut a digit run into k integers written without leading zeros."""
    if k <= 0 or len(run) < k or not run.isdigit():
        return
    if k == 1:
        if run == "0" or run[0] != "0":
            yield (int(run),)
        return
    if run[0] == "0":
        for rest in int_splits(run[1:], k - 1):
            yield (0, *rest)
        return
    max_len = len(run) - (k - 1)
    for i in range(1, max_len + 1):
        head = int(run[:i])
        for rest in int_splits(run[i:], k - 1):
            yield (head, *rest)


def cell_candidates(
    toks: Sequence[Token], k: int, accept: Callable[[tuple[int, ...]], bool]
) -> list[tuple[int, ...]] | None:
    """All distinct k-tuples the tokens can be read as that `accept` admits.

    Each token holds one or more cells; signs and decimals never split. Returns None when the tokens
    cannot make k integer cells at all, or the run is too long to be a row.
    """
    if not toks or any(t.is_decimal for t in toks):
        return None
    if sum(len(t.text) for t in toks) > MAX_DIGITS or len(toks) > k:
        return None
    if len(toks) == k:
        cells = tuple(int(t.value()) for t in toks)
        return [cells]
    results: set[tuple[int, ...]] = set()
    # Distribute the k cells over the tokens (each ≥ 1, ≤ its digits), then cut each token.
    for counts in _compositions(k, [len(t.text) for t in toks]):
        per_token = []
        for t, c in zip(toks, counts, strict=True):
            if c > 1 and t.sign < 0:
                # A sign belongs to the first cell of the run only.
                opts = [(-s[0], *s[1:]) for s in int_splits(t.text, c)]
            else:
                opts = [tuple(t.sign * v for v in s) for s in int_splits(t.text, c)]
            if not opts:
                break
            per_token.append(opts)
        else:
            for combo in itertools.product(*per_token):
                cells = tuple(itertools.chain.from_iterable(combo))
                if accept(cells):
                    results.add(cells)
                    if len(results) > MAX_CANDIDATES:
                        return sorted(results)
    return sorted(results)


def _compositions(k: int, caps: list[int]) -> Iterator[tuple[int, ...]]:
    if not caps:
        if k == 0:
            yield ()
        return
    first, rest = caps[0], caps[1:]
    for c in range(1, min(first, k - len(rest)) + 1):
        for tail in _compositions(k - c, rest):
            yield (c, *tail)
