"""The two downloads that grow with every report, gzipped when the site is large.

At 10,000 reports reports.csv is ~370 MB and records.json ~150 MB: half of what GitHub Pages' 1 GB
allows a whole site. Past the size where reports.csv no longer fits the workbook (the downloads stream
it then), both are published gzipped (`reports.csv.gz`, `records.json.gz`, about a fifteenth of the
bytes; pandas, R and every archive tool read them as they are). A small site keeps them plain.
Deterministic: no time or file name in the gzip header, so the same data gives the same bytes.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

LONG_FILES = ("reports.csv", "records.json")
NOTE = "（gzip 压缩：解压即得同名文件；pandas.read_csv 可直接读取）"


def published(name: str, gz: bool) -> str:
    """The name a long file is published under."""
    return f"{name}.gz" if gz and name in LONG_FILES else name


def gzip_in_place(path: Path) -> Path:
    """`path` replaced by `path.gz` (written under a temporary name, renamed when complete)."""
    target = path.with_name(path.name + ".gz")
    tmp = path.with_name(f".{target.name}.tmp")
    with open(path, "rb") as src, open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        shutil.copyfileobj(src, out, 1 << 20)
    os.chmod(tmp, os.stat(path).st_mode & 0o777)
    os.replace(tmp, target)
    path.unlink()
    return target
