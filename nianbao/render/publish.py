"""Which raw files the site publishes beside their source views: `extra.nianbao` in mkdocs.yml.

    extra:
      nianbao:
        publish_raw: true     # false: no raw file is published (the source views and sha256 still are)
        raw_max_mb: 5         # a raw file larger than this is not published
        raw_budget_mb: 100    # all published raw files together stay under this: the largest are left out first

GitHub Pages publishes at most 1 GB. At 10,000 reports the pages, source views, downloads and search
index take ~860 MB of it, and real reports are PDFs of 0.1–20 MB (a scanned one more), so the raw files
of a large corpus cannot all be published there: the defaults keep them under 100 MB whatever the
corpus, leaving out the largest first (a text or small PDF report is kept; a 30 MB scan is not), and a report
whose file is left out says so on its page and its source view, with the sha256 to check a copy from
the original address. A site hosted elsewhere can raise the budget or publish every file.

The choice depends only on the store's raw files (their sizes), never on the order pages are written,
so every shard of a build makes the same one.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..errors import InputError
from ..model import Report
from .settings import mkdocs_config, mkdocs_yml

_RAW_NAME = re.compile(r"^\d{4}\.[A-Za-z0-9]+$")  # data/raw/<agency-id>/<year>.<ext> (fsck's rule)
MB = 1024 * 1024


@dataclass(frozen=True)
class RawPolicy:
    publish_raw: bool = True
    raw_max_mb: float = 5.0
    raw_budget_mb: float = 100.0


DEFAULTS = asdict(RawPolicy())

def read_policy(config: dict) -> RawPolicy:
    """`extra.nianbao` of a mkdocs.yml (as loaded), validated: a wrong value is an error naming the file."""
    given = ((config.get("extra") or {}).get("nianbao") or {})
    if not isinstance(given, dict):
        raise InputError("extra.nianbao: expected a mapping (publish_raw, raw_max_mb, raw_budget_mb)", mkdocs_yml())
    out = dict(DEFAULTS)
    for key, value in given.items():
        if key not in DEFAULTS:
            continue  # other helpers' settings may live here too
        if key == "publish_raw" and not isinstance(value, bool):
            raise InputError(f"extra.nianbao.publish_raw: expected true or false, got {value!r}", mkdocs_yml())
        if key != "publish_raw" and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            raise InputError(f"extra.nianbao.{key}: expected a number of megabytes ≥ 0, got {value!r}", mkdocs_yml())
        out[key] = value if key == "publish_raw" else float(value)
    return RawPolicy(**out)


def policy() -> RawPolicy:
    path = mkdocs_yml()
    return _policy(str(path), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _policy(_path: str, _mtime: int) -> RawPolicy:
    return read_policy(mkdocs_config())


def _store_sizes(raw_root: Path) -> dict[str, int]:
    """Every raw file of the store (`<agency-id>/<year>.<ext>` → bytes), listed without opening any."""
    out: dict[str, int] = {}
    if not raw_root.is_dir():
        return out
    with os.scandir(raw_root) as agencies:
        for agency in agencies:
            if not agency.is_dir() or agency.name.startswith("."):
                continue
            with os.scandir(agency.path) as files:
                for f in files:
                    if _RAW_NAME.match(f.name) and f.is_file():
                        out[f"{agency.name}/{f.name}"] = f.stat().st_size
    return out


@lru_cache(maxsize=4)
def _within_budget(raw_root: str, rules: RawPolicy) -> frozenset[str]:
    """The raw files the budget lets through: the smallest first, while their sum fits."""
    sizes = _store_sizes(Path(raw_root))
    kept, total = set(), 0
    budget, cap = rules.raw_budget_mb * MB, rules.raw_max_mb * MB
    for name, size in sorted(sizes.items(), key=lambda kv: (kv[1], kv[0])):
        if size > cap:
            continue
        if total + size > budget:
            break
        kept.add(name)
        total += size
    return frozenset(kept)


def withheld(report: Report, raw: Path | None, rules: RawPolicy | None = None) -> str:
    """Why the report's raw file is not published, in the page's words; "" when it is."""
    rules = rules or policy()
    if raw is None:
        return "原始文件不在本站的存储中"
    if not rules.publish_raw:
        return "本站不发布原始文件（设置 publish_raw: false）"
    size = raw.stat().st_size
    if size > rules.raw_max_mb * MB:
        return f"文件 {size / MB:.1f} MB，超过本站单个原始文件 {rules.raw_max_mb:g} MB 的上限，未在本站发布"
    if f"{raw.parent.name}/{raw.name}" not in _within_budget(str(paths.RAW), rules):
        return f"本站原始文件合计不超过 {rules.raw_budget_mb:g} MB（先不发布最大的文件），这个文件未在本站发布"
    return ""
