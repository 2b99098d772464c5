"""The six sections: find their headings however they are printed, and cut the text between them.

Headings vary (`## 一、总体情况`, `一、总体工作情况`, `# 收到和处理…`, `存在的主要问题 及改进情况`, typos such as
`行政法复议`, glued to the text before and after them), reports carry a table of contents before the
body, and some repeat a heading. A heading is a candidate when it is numbered with its own Chinese
numeral (`三、`) or stands alone on a short line; candidates with no text of their own (contents
entries) are dropped, and the longest chain of candidates in section order is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import CJK, Doc

NUMERALS = "一二三四五六"

_KEYWORDS = {
    1: r"(?:政府信息公开)?(?:工作)?总体(?:工作)?情况",
    2: r"主动公开政府信息(?:的)?情况",
    3: r"收到和处理政府信息公开申请(?:的)?情况",
    4: r"(?:因?政府信息公开(?:申请)?)?(?:提起)?行政法?复议[、,和及与]?(?:提起)?行政诉讼(?:的)?情况",
    5: r"(?:政府信息公开(?:工作)?)?存在(?:的)?(?:主要)?问题(?:及|和|与)?(?:改进(?:情况|措施)?)?",
    6: r"其他需要报告的事项",
}

# Numbered: `三、收到和处理…` anywhere (web text glues headings to their neighbours).
_NUMBERED = {
    k: re.compile(rf"{NUMERALS[k - 1]}[、.]{_KEYWORDS[k]}")
    for k in _KEYWORDS
}
# Unnumbered: the keyword alone on a short line (after Markdown decoration), e.g. `## 主动公开政府信息情况`.
_ALONE = {k: re.compile(rf"^(?:政府信息公开(?:工作)?)?{_KEYWORDS[k]}(?:情况)?$") for k in _KEYWORDS}
_LINE_DECOR = re.compile(r"^[#>*\s\-]+|[*\s]+$")


@dataclass
class Heading:
    number: int
    start: int  # text offset of the heading
    end: int  # text offset where its body starts
    line: int
    numbered: bool = False


def find_headings(doc: Doc) -> list[Heading]:
    cands = _candidates(doc)
    # Contents entries have (almost) no text of their own before the next candidate.
    kept = []
    for i, h in enumerate(cands):
        nxt = cands[i + 1].start if i + 1 < len(cands) else len(doc.text)
        if len(CJK.findall(doc.text, h.end, nxt)) >= 4 or _has_digits(doc.text[h.end:nxt]) or i + 1 == len(cands):
            kept.append(h)
    chain = _longest_chain(kept)
    # A section printed out of order (六 before 五) is still a section when it carries its own numeral.
    have = {h.number for h in chain}
    for h in kept:
        if h.number not in have and h.numbered:
            chain.append(h)
            have.add(h.number)
    return sorted(chain, key=lambda h: h.start)


def _has_digits(s: str) -> bool:
    return sum(ch.isdigit() for ch in s) >= 3


def _candidates(doc: Doc) -> list[Heading]:
    found: dict[int, Heading] = {}
    for k, pat in _NUMBERED.items():
        for _m, span in doc.finditer(pat):
            found.setdefault(span.start, Heading(k, span.start, span.end, doc.line_of(span.start), True))
    offset = 0
    for i, line in enumerate(doc.lines):
        stripped = _LINE_DECOR.sub("", line)
        if 0 < len(stripped) <= 40 and "。" not in stripped:
            squeezed = re.sub(r"\s+", "", stripped)
            squeezed = re.sub(rf"^[{NUMERALS}][、.]", "", squeezed)
            for k, pat in _ALONE.items():
                if pat.match(squeezed):
                    start = offset + (len(line) - len(line.lstrip(" #>*\t")))
                    if not any(start <= s < offset + len(line) + 1 for s in found):
                        found[start] = Heading(k, start, offset + len(line), i + 1)
                    break
        offset += len(line) + 1
    return [found[s] for s in sorted(found)]


def _longest_chain(cands: list[Heading]) -> list[Heading]:
    """Longest subsequence with strictly increasing section numbers; ties keep the earliest start."""
    if not cands:
        return []
    best: list[list[Heading]] = []
    for i, h in enumerate(cands):
        chain = [h]
        for j in range(i):
            prev = best[j]
            if prev[-1].number >= h.number:
                continue
            longer = len(prev) + 1 > len(chain)
            # On a tie, the chain that starts later wins: the body, not a contents page before it.
            later = len(prev) + 1 == len(chain) and len(chain) > 1 and prev[0].start > chain[0].start
            if longer or later:
                chain = [*prev, h]
        best.append(chain)
    longest = max(len(c) for c in best)
    options = [c for c in best if len(c) == longest]
    return max(options, key=lambda c: (c[0].start, -c[-1].start))
