"""A section's prose as the report's own paragraphs.

The record keeps a section's text as the converter gave it (its lines are the source's lines, which the
problems and prose figures point at), so paragraphs are made here, when the page is drawn:

- a line break is a paragraph break only where the report starts a new one: after a sentence ends
  (。！？；：), before a numbered item (一、 （一） (1) 1. ①), or after a heading (a short numbered line
  without a full stop, as 「（一）主动公开政府信息情况」); any other break is the converter wrapping a line
  (a PDF page or column ending mid-sentence) and the two lines are joined;
- a very long line (web text that lost its line breaks: 平潭 2020 is one line) is cut before each numbered
  item that follows a sentence's end or a heading.
"""

from __future__ import annotations

import re

from . import esc

_CN = "一二三四五六七八九十"
# A numbered item: 一、 （一） (一) （1） (1) 1. 1、 1． ①…⑳ (1. not followed by a digit: 91.93 is a number).
MARKER = (rf"(?:[（(]\s*[{_CN}]{{1,3}}\s*[）)]|[{_CN}]{{1,3}}、|[（(]\s*\d{{1,2}}\s*[）)]"
          r"|(?<!\d)\d{1,2}\s*[.．、](?!\d)|[\u2460-\u2473])")
_STARTS_ITEM = re.compile(rf"^[\s*]*{MARKER}")  # after Markdown emphasis (**（一）…**) too
_ITEM_INSIDE = re.compile(MARKER)
_SENTENCE_END = "。！？；：!?;:"
_CLOSING = "”’」』\"'*"
HEADING_MAX = 30  # characters: a numbered line this short without a full stop is a heading
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _ends_sentence(text: str) -> bool:
    last = text.rstrip().rstrip(_CLOSING)[-1:]
    return bool(last) and last in _SENTENCE_END


def _is_heading(text: str) -> bool:
    """A numbered line that is a title: short, and no sentence in it ends."""
    t = text.strip()
    return bool(_STARTS_ITEM.match(t)) and len(t) <= HEADING_MAX and not any(c in t for c in "。！？；")


def _cut_items(line: str) -> list[str]:
    """`line` cut before each numbered item that starts after a sentence's end or after a heading."""
    pieces, start = [], 0
    for m in _ITEM_INSIDE.finditer(line):
        at = m.start()
        if at == start:
            continue
        before = line[start:at]
        if _ends_sentence(before) or _is_heading(before):
            pieces.append(before.strip())
            start = at
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def _join(left: str, right: str) -> str:
    """Two pieces of one wrapped sentence: no space between Chinese characters, one between Latin words."""
    if _CJK.match(left[-1:]) or _CJK.match(right[:1]):
        return left + right
    return f"{left} {right}"


def paragraphs(text: str) -> list[str]:
    """The section's paragraphs (see the module's doc)."""
    out: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        for piece in _cut_items(line):
            new = not out or _ends_sentence(out[-1]) or _is_heading(out[-1]) or bool(_STARTS_ITEM.match(piece))
            if new:
                out.append(piece)
            else:
                out[-1] = _join(out[-1], piece)
    return out


def prose_html(text: str) -> str:
    """The paragraphs as `<p>`, a heading line as a `<p class="nb-subhead">` (no blank line: one HTML block)."""
    return "".join(f'<p class="nb-subhead">{esc(p)}</p>' if _is_heading(p) else f"<p>{esc(p)}</p>" for p in paragraphs(text))
