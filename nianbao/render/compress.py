"""The downloads kept small when the site is large (GitHub Pages publishes at most 1 GB).

At 10,000 reports reports.csv is ~370 MB and records.json ~150 MB: half of what Pages allows a whole
site. Past the size where reports.csv no longer fits the workbook (the downloads stream it then), both
are published gzipped (`reports.csv.gz`, `records.json.gz`, about a fifteenth of the bytes; pandas, R and
every archive tool read them as they are), and the data package's 10,000 agency and chart CSVs name a
schema file their kind shares instead of repeating it (40 MB of datapackage.json). A small site keeps
them plain. Deterministic: no time or file name in the gzip header, schema files named by their content.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path

LONG_FILES = ("reports.csv", "records.json")
# gzip's own default: at 10,000 reports reports.csv (371 MB) compresses as small as at 9 (24.3 MB) in 2.4 s, not 3.4
GZIP_LEVEL = 6
NOTE = "（gzip 压缩：解压即得同名文件；pandas.read_csv 可直接读取）"


def published(name: str, gz: bool) -> str:
    """The name a long file is published under."""
    return f"{name}.gz" if gz and name in LONG_FILES else name


def gzip_in_place(path: Path) -> Path:
    """`path` replaced by `path.gz` (written under a temporary name, renamed when complete)."""
    target = path.with_name(path.name + ".gz")
    tmp = path.with_name(f".{target.name}.tmp")
    with open(path, "rb") as src, open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as out:
        shutil.copyfileobj(src, out, 1 << 20)
    os.chmod(tmp, os.stat(path).st_mode & 0o777)
    os.replace(tmp, target)
    path.unlink()
    return target


def shared_schemas(package: dict) -> dict[str, bytes]:
    """Each agency's and chart's CSV resource of `package` refers to its schema's file
    (`schemas/<hash>.json`, one per kind) instead of holding it; the files to write."""
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}  # a schema's compact JSON (the C encoder's; indent=2 is pure Python) → its file
    for resource in package["resources"]:
        if resource["path"].startswith(("agencies/", "charts/")) and isinstance(resource.get("schema"), dict):
            key = json.dumps(resource["schema"], ensure_ascii=False, sort_keys=True)
            if key not in names:
                text = (json.dumps(resource["schema"], ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
                names[key] = f"schemas/{hashlib.sha256(text).hexdigest()[:12]}.json"
                files[names[key]] = text
            resource["schema"] = names[key]
    return files
