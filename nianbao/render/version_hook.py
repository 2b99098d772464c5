"""MkDocs hook (every build's generated mkdocs.yml names it), as MkDocs writes each page:

- put the data version where a page cites shards.VERSION_TOKEN, when the build gives the version
  (NIANBAO_DATA_VERSION). Shard jobs build without it and `assemble` stamps the assembled site instead
  (shards.stamp_version);
- drop the indentation and blank lines of the theme's own markup around the page's article (Material's
  templates leave ~3 KB of them on every page, a tenth of a report page). The article is left as it is,
  and the theme's markup holds no `<pre>` or `<textarea>` whose spaces would matter.
"""

from __future__ import annotations

import os
import re

from nianbao.render.shards import VERSION_ENV, VERSION_TOKEN

_INDENT = re.compile(r"\n\s+")


def compact_theme(output: str) -> str:
    start, end = output.find("<article"), output.rfind("</article>")
    if start < 0 or end < start:
        return output
    return _INDENT.sub("\n", output[:start]) + output[start:end] + _INDENT.sub("\n", output[end:])


def on_post_page(output: str, page, config) -> str:
    version = os.environ.get(VERSION_ENV)
    return compact_theme(output.replace(VERSION_TOKEN, version) if version else output)
