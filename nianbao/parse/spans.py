"""Where each figure was read: spans of the normalised text (parse.text.Doc), as the record keeps them.

A span is written `line:start-end` (1-based line; 0-based character offsets in that line, end excluded)
or `line:start-line:end` when it runs over lines: web text that is one line long is located by its
characters, not by its line. A table row's entry is the row's span (its label and figures), then one
span per template column, comma-separated (no space, so YAML keeps an entry on one line); `-` where the
cell has no span of its own (a glued run of digits, a blank cell): there the row's span is where it was
read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .numbers import tokens
from .text import Doc

_ONE = re.compile(r"^(\d+):(\d+)-(?:(\d+):)?(\d+)$")


@dataclass(frozen=True)
class Located:
    """A decoded span: from (line, column) to (end_line, end_column), end excluded."""

    line: int
    start: int
    end_line: int
    end: int

    def text(self) -> str:
        return f"{self.line}:{self.start}-{self.end}" if self.end_line == self.line else f"{self.line}:{self.start}-{self.end_line}:{self.end}"


def encode(doc: Doc, start: int, end: int) -> str:
    line, end_line = doc.line_of(start), doc.line_of(max(start, end - 1))
    col = start - doc._line_starts[line - 1]
    end_col = end - doc._line_starts[end_line - 1]
    return Located(line, col, end_line, end_col).text()


def decode(entry: str) -> list[Located | None]:
    """The spans of a record entry: the row's (or the figure's) first, then each column's (None for `-`)."""
    out: list[Located | None] = []
    for piece in entry.split(","):
        m = _ONE.match(piece)
        out.append(Located(int(m[1]), int(m[2]), int(m[3] or m[1]), int(m[4])) if m else None)
    return out


def _same(token_value: float, value: Any) -> bool:
    return isinstance(value, (int, float)) and abs(float(token_value) - float(value)) < 1e-6


def row_spans(doc: Doc, start: int, end: int, values: dict[str, Any]) -> tuple[tuple[int, int], dict[str, tuple[int, int]]]:
    """A row read from text[start:end] (its label first): the row's span (to its last figure), and each
    read cell's own span when the figures printed there are the row's read values one by one, in order."""
    while start < end and doc.text[start].isspace():
        start += 1  # a zone that starts after its header words starts at a line break
    toks = tokens(doc.text[start:end], start)
    row = (start, toks[-1].end if toks else end)
    filled = [(c, v) for c, v in values.items() if v is not None]
    if filled and len(toks) == len(filled) and all(_same(t.value(), v) for t, (_, v) in zip(toks, filled, strict=True)):
        return row, {c: (t.start, t.end) for t, (c, _) in zip(toks, filled, strict=True)}
    return row, {}


def entry(doc: Doc, row: tuple[int, int], cells: dict[str, tuple[int, int]], columns: tuple[str, ...] | list[str]) -> str:
    """A row's record entry: its span, then one per column (`-` without its own)."""
    parts = [encode(doc, *row)]
    if cells:
        parts += [encode(doc, *cells[c]) if c in cells else "-" for c in columns]
    return ",".join(parts)
