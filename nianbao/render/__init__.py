"""Render: records → Markdown pages (pure functions) → MkDocs → a static site.

The helpers here are shared by every page module. Pages are written as Markdown whose body is mostly raw
HTML blocks: Python-Markdown passes those through untouched, so text taken from a report is escaped once,
here, and no Markdown, HTML or template syntax in it can take effect.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

NA = "未提供"  # a figure the report does not give (never shown as 0)

# What esc does, in one pass: html.escape(quote=True), then braces, brackets, backticks and line breaks;
# control characters (and Python-Markdown's own placeholder markers \x02/\x03) never reach a page.
_ESCAPES = {ord(c): html.escape(c, quote=True) for c in "&<>\"'"} | {
    ord("{"): "&#123;", ord("}"): "&#125;", ord("["): "&#91;", ord("]"): "&#93;", ord("`"): "&#96;", ord("\n"): " ",
} | dict.fromkeys(range(0x00, 0x09)) | dict.fromkeys((0x0B, 0x0C)) | dict.fromkeys(range(0x0E, 0x20)) | {0x7F: None}
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")


def esc(text: object) -> str:
    """Text from a report as inert HTML: tags, entities and `{{ }}` / `{% %}` shown literally.

    Braces become entities so that no template engine (a macros plugin, a later generator) can see
    template syntax; square brackets and backticks so that Markdown never sees a link or code span
    even if the text ends up outside an HTML block.
    """
    s = str(text)
    return s.translate(_ESCAPES) if _SPECIAL.search(s) else s  # most text has nothing to escape


def num(value: float | int | None) -> str:
    """A figure as printed on the page: 未提供 for None, thousands separators, amounts as given."""
    if value is None:
        return f'<span class="nb-na">{NA}</span>'
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def signed(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:+,.4f}".rstrip("0").rstrip(".")
    return f"{int(value):+,}"


def json_script(data: Any, css_class: str) -> str:
    """JSON in a `<script type="application/json">` element that its content can never close."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    # No template syntax either ({{, {%, {#): such a pair is always inside a JSON string (an object never
    # opens with a brace), where \u007b is the same character.
    for pair in ("{{", "{%", "{#"):
        text = text.replace(pair, "\\u007b" + pair[1].replace("{", "\\u007b"))
    return f'<script type="application/json" class="{css_class}">{text}</script>'


def link_out(url: str | None) -> str:
    """An address from the data: a link only when it is http(s), else shown as text (never javascript:)."""
    if not url:
        return NA
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="nofollow noopener">{esc(url)}</a>'
    return esc(url)


def href(from_dir: str, to: str) -> str:
    """A relative link between two site paths ("" is the root; directories end in "/").

    Every link is relative, so the site works under any path (a GitHub Pages project site). Site paths
    are plain ASCII segments, so the common prefix is dropped without touching the file system.
    """
    src, dst = from_dir.split("/")[:-1], to.split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    target = "../" * (len(src) - common) + "/".join(dst[common:])
    return html.escape(target or "./", quote=True)


def front_matter(title: str, **meta: Any) -> str:
    """YAML front matter; the title is escaped (Material prints page.meta.title unescaped)."""
    lines = ["---", f"title: {json.dumps(esc(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "\n".join(lines) + "\n---\n\n"
