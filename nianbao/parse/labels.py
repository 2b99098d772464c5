"""Row labels a converter damaged: look-alike characters (OCR reads 禁 as 止, 沭 as 沐) and dropped ones.

A label the row patterns miss is looked for approximately, between the rows found around it: the stretch
of text closest to the template's label (fewest characters changed, dropped or added) is taken only when
few characters differ, the stretch is closer to this label than to any other label of the table, and no
other stretch is as close. Otherwise the row stays missing.
"""

from __future__ import annotations

import re

from .text import Doc, Span

MIN_LENGTH = 6  # shorter labels (其他, 重复申请) are too easily another word
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])")
_FOLD = str.maketrans({"（": "(", "）": ")", "，": ",", "、": ",", "“": '"', "”": '"'})


def core(label: str) -> str:
    """The label without its numbering, punctuation folded, no spaces and no digits (the alpha view)."""
    text = _NUMBERING.sub("", label.strip())
    return re.sub(r"[\s\d]", "", text.translate(_FOLD))


def distance(a: str, b: str) -> int:
    """Edit distance (substitutions, deletions and insertions each count 1)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _best_stretches(text: str, label: str) -> tuple[int, list[tuple[int, int]]]:
    """The least edit distance of any stretch of text to the label, and the (start, end) of those stretches."""
    n = len(label)
    # cost[j] and origin[j]: the best alignment of the whole label ending at text position j.
    prev = list(range(n + 1))
    prev_origin = [0] * (n + 1)
    best, ends = n + 1, []
    for j, ch in enumerate(text, 1):
        cur, origin = [0], [j]
        for i in range(1, n + 1):
            options = ((prev[i - 1] + (label[i - 1] != ch), prev_origin[i - 1]),
                       (prev[i] + 1, prev_origin[i]),
                       (cur[i - 1] + 1, origin[i - 1]))
            cost, start = min(options)
            cur.append(cost)
            origin.append(start)
        if cur[n] < best:
            best, ends = cur[n], [(origin[n], j)]
        elif cur[n] == best:
            ends.append((origin[n], j))
        prev, prev_origin = cur, origin
    return best, ends


def find_approximate(doc: Doc, label: str, others: list[str], start: int, end: int) -> tuple[Span, str] | None:
    """The span (text offsets) and printed text of a damaged label between two offsets, or None."""
    want = core(label)
    if len(want) < MIN_LENGTH or end <= start:
        return None
    text, _ = doc.view("alpha")
    a, b = doc.sq_pos(start, "alpha"), doc.sq_pos(end, "alpha")
    region = text[a:b]
    if not region or len(region) > 4000:
        return None
    best, stretches = _best_stretches(region, want)
    if not 1 <= best <= max(1, len(want) // 4):
        return None
    # Overlapping stretches of one match count once; two apart are two candidates.
    starts = {s for s, _ in stretches}
    first = min(stretches)
    if any(s >= first[1] for s in starts):
        return None
    printed = region[first[0]:first[1]]
    if any(distance(printed, core(o)) <= best for o in others if core(o) != want):
        return None
    span = doc.span(a + first[0], a + first[1], "alpha")
    return span, doc.text[span.start:span.end]
