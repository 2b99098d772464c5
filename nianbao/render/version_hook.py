"""MkDocs hook (every build's generated mkdocs.yml names it): put the data version where a page cites
shards.VERSION_TOKEN, as MkDocs writes the page, when the build gives the version (NIANBAO_DATA_VERSION).
Shard jobs build without it and `assemble` stamps the assembled site instead (shards.stamp_version)."""

from __future__ import annotations

import os

from nianbao.render.shards import VERSION_ENV, VERSION_TOKEN


def on_post_page(output: str, page, config) -> str:
    version = os.environ.get(VERSION_ENV)
    return output.replace(VERSION_TOKEN, version) if version else output
