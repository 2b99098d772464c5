"""Markdown and text files: what they say about themselves (YAML front matter) and the raw HTML tables they
hold, laid out as the HTML reader lays out a page's tables."""

from __future__ import annotations

import re

from . import table_block
from .html import table_grid

_FRONT_MATTER_KEY = re.compile(r"^(title)\s*:\s*(.*?)\s*$")


def front_matter(lines: list[str]) -> list[tuple[str, str]]:
    """The title a Markdown file's YAML front matter gives (`---` / `title: …` / `---`, as `pandoc -s` and
    site generators write it), as the `md-title` property."""
    if not lines or lines[0].strip() != "---":
        return []
    out = []
    for line in lines[1:50]:
        if line.strip() in ("---", "..."):
            return out
        m = _FRONT_MATTER_KEY.match(line)
        if m:
            out.append((f"md-{m.group(1)}", m.group(2).strip("\"'")))
    return []  # never closed: not front matter


_TABLE_OPEN = re.compile(r"<table[\s>]", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def embedded_tables(lines: list[str]) -> list[str]:
    """Markdown lines with each raw HTML `<table>…</table>` (pandoc's Markdown of a table with merged cells,
    OCR tools' Markdown) laid out as the HTML reader lays out a page's table: a row per line, cells by tabs,
    rowspan and colspan expanded, a blank cell kept at its place. Other lines are kept as they are."""
    import lxml.html
    from lxml.etree import ParserError

    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_OPEN.search(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        end = next((j for j in range(i, len(lines)) if _TABLE_CLOSE.search(lines[j])), None)
        if end is None:  # never closed: left as printed
            out.extend(lines[i:])
            break
        try:
            table = lxml.html.fragment_fromstring("\n".join(lines[i:end + 1]), create_parent="div").find(".//table")
        except (ParserError, ValueError):
            table = None
        out.extend(table_block(table_grid(table)) if table is not None else lines[i:end + 1])
        i = end + 1
    return out
