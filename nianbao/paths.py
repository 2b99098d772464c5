"""Every path the project uses, and nothing else. Imports nothing from the package.

nianbao works on a project folder, like mkdocs: the one given by `--root` or NIANBAO_ROOT, else the
nearest folder holding a `nianbao.yml` or `mkdocs.yml` from the current one up, never the folder the
package is installed in. The CLI decides once at start (`set_root`); everything else reads `paths.X`
when it runs, never `from .paths import X`, so that it sees the project the CLI chose.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKERS = ("nianbao.yml", "mkdocs.yml")  # a folder holding one of these is a project


def find_root(start: Path | None = None) -> Path | None:
    """The nearest project folder from `start` (default: the current folder) up, or None."""
    here = (start or Path.cwd()).absolute()
    return next((d for d in (here, *here.parents) if any((d / m).is_file() for m in MARKERS)), None)


def set_root(root: Path) -> None:
    """Point every path below at the project in `root`."""
    global ROOT, DATA, RAW, RECORDS, CORRECTIONS, SCHEMA_DIR, SCHEMA, AGENCIES
    global CONTENT, BUILD, BUILD_DOCS, BUILD_SITE, BUILD_CACHE, BUILD_BENCH, MKDOCS_YML
    ROOT = Path(root).absolute()
    DATA = ROOT / "data"
    RAW = DATA / "raw"
    RECORDS = DATA / "records"
    CORRECTIONS = DATA / "corrections"
    SCHEMA_DIR = DATA / "schema"
    SCHEMA = SCHEMA_DIR / "report.schema.json"
    AGENCIES = DATA / "agencies.yaml"
    CONTENT = ROOT / "content"
    BUILD = ROOT / "build"
    BUILD_DOCS = BUILD / "docs"
    BUILD_SITE = BUILD / "site"
    BUILD_CACHE = BUILD / "cache"
    BUILD_BENCH = BUILD / "bench"
    MKDOCS_YML = ROOT / "mkdocs.yml"


# Until the CLI says otherwise: NIANBAO_ROOT, else the project around the current folder, else the folder.
set_root(Path(os.environ["NIANBAO_ROOT"]) if os.environ.get("NIANBAO_ROOT") else find_root() or Path.cwd())


def raw_path(agency_id: str, year: int, ext: str) -> Path:
    return RAW / agency_id / f"{year}.{ext.lstrip('.')}"


def source_meta_path(agency_id: str, year: int) -> Path:
    return RAW / agency_id / f"{year}.source.yaml"


def text_path(agency_id: str, year: int) -> Path:
    """The normalised text the record was read from (stored at ingest, for the source view)."""
    return RAW / agency_id / f"{year}.text.txt"


def record_path(agency_id: str, year: int) -> Path:
    return RECORDS / agency_id / f"{year}.yaml"


def correction_path(agency_id: str, year: int) -> Path:
    return CORRECTIONS / agency_id / f"{year}.yaml"
