"""The sample reports committed under data/raw/, under the names they were published with.

data/raw keeps each report as `<agency-id>/<year>.<ext>`, its original name in `<year>.source.yaml`.
Tests and scripts that want the reports as published (a record carries its file's original name) use a
folder of copies named that way, made from the repository alone:

    .venv/bin/python scripts/samples.py DEST     # DEST/fujian-pingtan_2020.txt, …
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"


def committed(raw: Path = RAW) -> dict[str, Path]:
    """Original name → the committed raw file, checked against the sha256 its source.yaml records."""
    out: dict[str, Path] = {}
    for meta_path in sorted(raw.glob("*/*.source.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        year = meta_path.name.removesuffix(".source.yaml")
        path = meta_path.with_name(f"{year}.{meta['format']}")
        if hashlib.sha256(path.read_bytes()).hexdigest() != meta["sha256"]:
            raise ValueError(f"{path}: its bytes do not match the sha256 in {meta_path.name}")
        if meta["original_name"] in out:
            raise ValueError(f"{meta_path}: original name {meta['original_name']} is also {out[meta['original_name']]}")
        out[meta["original_name"]] = path
    return out


def sample_dir(dest: Path, raw: Path = RAW) -> Path:
    """`dest` holding a copy of every committed sample under its original name, and nothing else."""
    files = committed(raw)
    dest.mkdir(parents=True, exist_ok=True)
    for stale in dest.iterdir():
        if stale.name not in files:
            stale.unlink()
    for name, path in files.items():
        data, target = path.read_bytes(), dest / name
        if not target.exists() or target.read_bytes() != data:
            part = target.with_name(f".{name}.{os.getpid()}")
            part.write_bytes(data)
            part.replace(target)
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(f"{len(committed())} sample reports in {sample_dir(Path(sys.argv[1]))}")
