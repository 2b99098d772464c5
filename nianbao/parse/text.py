"""The document as the parser sees it: cleaned text, line numbers, and a squeezed copy for label search.

Converters break labels across lines and pad them with spaces (`无正当理由大量反复申 请`), so labels
are searched in a copy with all whitespace and Markdown decoration removed and punctuation made
half-width; `Doc.span()` maps a match there back to offsets in the real text, where numbers are read
with their separators intact.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .normalize import clean_line

# 1:1 punctuation folding for label search (length-preserving, so offsets map back exactly).
_FOLD = str.maketrans({
    "（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "．": ".", "【": "[", "】": "]",
    "〈": "<", "〉": ">", "《": "<", "》": ">", "＂": '"', "“": '"', "”": '"', "‘": "'", "’": "'",
    "﹙": "(", "﹚": ")", "〔": "(", "〕": ")", "［": "[", "］": "]", "／": "/", "\u3001": "、",
})
_DROP = set(" \t\n\r\f\v|*#>`_\u3000\xa0")
_KEPT_RUN = re.compile("[^" + re.escape("".join(sorted(_DROP))) + "]+")  # a stretch of characters the squeeze keeps

CJK = re.compile(r"[\u3400-\u9fff]")

# A Markdown table's delimiter row (|---|---|), and digits glued to a word in the header row above it.
_MD_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$")
_HEADER_DIGITS = re.compile(r"(?<=[^\d\s|.,:(（\-])\d+")


def _placeholders_dropped(lines: list[str]) -> list[str]:
    """Header rows of Markdown tables without the digits of placeholder names (`| 数据1 | 数据2 |`, which a
    converter writes where the real header was lost): a header is never a figure. Digits standing alone in
    a header cell stay (a converter may have made the first data row the header)."""
    out = list(lines)
    for i in range(1, len(out)):
        if "-" in out[i] and "|" in out[i - 1] and _MD_DELIMITER.match(out[i]):
            out[i - 1] = _HEADER_DIGITS.sub("", out[i - 1])
    return out


def _squeezed(text: str, kept_run: re.Pattern[str]) -> tuple[str, list[int]]:
    """The text without the characters `kept_run` does not match, and each kept character's offset in it
    (the runs are found by the regex engine: a Python loop per character cost a fifth of parsing)."""
    runs = [m.span() for m in kept_run.finditer(text)]
    offsets: list[int] = []
    for start, end in runs:
        offsets.extend(range(start, end))
    return "".join(text[start:end] for start, end in runs), offsets


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def normalised(lines: list[str]) -> list[str]:
    """The lines as the parser reads them (and a record's spans count in them)."""
    return _placeholders_dropped([clean_line(line) for line in lines])


class Doc:
    def __init__(self, lines: list[str]):
        self.lines = normalised(lines)
        self.text = "\n".join(self.lines)
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        self._line_starts = starts
        # Markdown delimiter rows are no text: a label a converter broke around one (`确认 | 0 |` / `| --- |` /
        # `或重新出具…`) reads whole. Blanked, not removed, so offsets still map back.
        bare = "\n".join(" " * len(line) if _MD_DELIMITER.match(line) else line for line in self.lines)
        self.sq, self._sq_map = _squeezed(bare.translate(_FOLD), _KEPT_RUN)
        self._alpha: tuple[str, list[int]] | None = None

    def _view(self, view: str) -> tuple[str, list[int]]:
        if view == "sq":
            return self.sq, self._sq_map
        if self._alpha is None:
            # Labels wrapped around their own numbers (`其他法律行政法规\t0\t0…\n禁止公开`) read whole
            # once the digits are gone too.
            digits = "".join(sorted(ch for ch in set(self.sq) if ch.isdigit()))  # str.isdigit's: ① and ² too
            if not digits:
                self._alpha = self.sq, self._sq_map
            else:
                alpha, keep = _squeezed(self.sq, re.compile(f"[^{re.escape(digits)}]+"))
                self._alpha = alpha, [self._sq_map[j] for j in keep]
        return self._alpha

    def view(self, view: str) -> tuple[str, list[int]]:
        """A squeezed view's text and the text offset of each of its characters."""
        return self._view(view)

    def line_of(self, offset: int) -> int:
        """1-based line number of a text offset."""
        return bisect.bisect_right(self._line_starts, max(0, offset)) if self.text else 1

    def line_start(self, line: int) -> int:
        """The text offset of a 1-based line's first character."""
        return self._line_starts[min(max(line, 1), len(self._line_starts)) - 1]

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def sq_pos(self, offset: int, view: str = "sq") -> int:
        """The squeezed position of the first kept character at or after a text offset."""
        return bisect.bisect_left(self._view(view)[1], offset)

    def span(self, sq_start: int, sq_end: int, view: str = "sq") -> Span:
        """Text offsets of a squeezed match [sq_start, sq_end)."""
        mapping = self._view(view)[1]
        if sq_start >= len(mapping):
            return Span(len(self.text), len(self.text))
        start = mapping[sq_start]
        end = mapping[sq_end - 1] + 1 if sq_end > sq_start else start
        return Span(start, end)

    def finditer(
        self, pattern: re.Pattern[str], start: int = 0, end: int | None = None, view: str = "sq"
    ) -> Iterator[tuple[re.Match[str], Span]]:
        """Matches of a pattern in a squeezed view between two *text* offsets.

        Views: `sq` drops whitespace and Markdown decoration; `alpha` drops the digits too.
        """
        text, _ = self._view(view)
        sq_start = self.sq_pos(start, view)
        sq_end = self.sq_pos(end, view) if end is not None else len(text)
        for m in pattern.finditer(text, sq_start, sq_end):
            yield m, self.span(m.start(), m.end(), view)

    def search(
        self, pattern: re.Pattern[str], start: int = 0, end: int | None = None, view: str = "sq"
    ) -> tuple[re.Match[str], Span] | None:
        return next(self.finditer(pattern, start, end, view), None)
