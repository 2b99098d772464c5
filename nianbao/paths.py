"""Every path the project uses, and nothing else. Imports nothing from the package."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("NIANBAO_ROOT", Path(__file__).resolve().parent.parent))

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


def raw_path(agency_id: str, year: int, ext: str) -> Path:
    return RAW / agency_id / f"{year}.{ext.lstrip('.')}"


def source_meta_path(agency_id: str, year: int) -> Path:
    return RAW / agency_id / f"{year}.source.yaml"


def record_path(agency_id: str, year: int) -> Path:
    return RECORDS / agency_id / f"{year}.yaml"


def correction_path(agency_id: str, year: int) -> Path:
    return CORRECTIONS / agency_id / f"{year}.yaml"
