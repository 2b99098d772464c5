"""Figures stated in prose, each with the sentence it comes from and its line.

Only a number printed in the sentence becomes a figure (`未收到申请` states no number, so no figure).
"""

from __future__ import annotations

import re

from ..model import Metric
from .numbers import parse_number
from .text import Doc

_NUM = r"(\d[\d,]*)"

_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "proactive_items": [
        re.compile(rf"主动公开[^。;!?]{{0,30}}?(?:政府)?信息(?:共|合计|总计)?{_NUM}条"),
        re.compile(rf"(?:共|累计|全年|合计)(?:主动)?(?:公开|公布|发布)(?:各类)?政府信息(?:共)?{_NUM}条"),
    ],
    "requests_received": [
        re.compile(rf"(?:收到|受理|接收|新收)[^。;!?,，]{{0,20}}?(?:(?:政府信息)?公开申请|依申请公开(?:事项|申请)?)(?:共|合计)?{_NUM}(?:件|个|份)"),
        re.compile(rf"(?:收到|受理|接收|新收)(?:各类|依申请公开)?(?:共|合计)?{_NUM}(?:件|个|份)(?:政府信息公开|依申请公开)?申请"),
    ],
}

# Table 二 figures the prose may state; used only to resolve a digit run the table leaves ambiguous.
_HINTS: dict[tuple[str, str], re.Pattern[str]] = {
    ("normative_documents", "in_force"): re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件(?:共)?{_NUM}件"),
    ("normative_documents", "issued"): re.compile(rf"(?:本年度?|全年)?(?:制发|印发|出台)(?:的)?(?:行政)?规范性文件(?:共)?{_NUM}件"),
    ("normative_documents", "repealed"): re.compile(rf"废止(?:的)?(?:行政)?规范性文件(?:共)?{_NUM}件"),
}


def _sentence(doc: Doc, start: int, end: int) -> tuple[str, int]:
    text = doc.text
    left = max(text.rfind(ch, 0, start) for ch in "。；;!?！？\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；;!?！？\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    quote = re.sub(r"\s+", " ", text[left:right]).replace("**", "").strip()
    if len(quote) > 200:
        quote = text[max(left, start - 80): min(right, end + 40)].strip()
    return quote, doc.line_of(start)


def _note_span(doc: Doc, m: re.Match[str], key: str, spans: dict[str, tuple[int, int]] | None) -> None:
    """Where the figure (the pattern's group 1, matched in the squeezed text) is printed."""
    if spans is not None:
        figure = doc.span(m.start(1), m.end(1))
        spans[key] = (figure.start, figure.end)


def find_metrics(doc: Doc, end: int | None = None, spans: dict[str, tuple[int, int]] | None = None) -> dict[str, Metric]:
    """Prose figures before `end` (the tables), first statement of each kind; `spans` (if given) gets
    where each figure is printed (text offsets)."""
    out: dict[str, Metric] = {}
    for key, patterns in _PATTERNS.items():
        best = None
        for pat in patterns:
            hit = doc.search(pat, 0, end)
            if hit and (best is None or hit[1].start < best[1].start):
                best = hit
        if best:
            m, span = best
            quote, line = _sentence(doc, span.start, span.end)
            out[key] = Metric(value=parse_number(m.group(1)), quote=quote, line=line)
            _note_span(doc, m, key, spans)
    return out


def find_hints(doc: Doc, spans: dict[str, tuple[int, int]] | None = None) -> dict[tuple[str, str], Metric]:
    out: dict[tuple[str, str], Metric] = {}
    for key, pat in _HINTS.items():
        hit = doc.search(pat)
        if hit:
            m, span = hit
            quote, line = _sentence(doc, span.start, span.end)
            out[key] = Metric(value=parse_number(m.group(1)), quote=quote, line=line)
            _note_span(doc, m, "table2." + ".".join(key), spans)
    return out
