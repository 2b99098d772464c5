"""The engine that turns build/docs into HTML: MkDocs (the default, `render/site.py`) or Zensical, Material
for MkDocs' successor by the same authors, which reads the same mkdocs.yml. Pagefind indexes either's
HTML (the pages mark what it indexes themselves). Zensical builds in one process: shards, shard jobs
and `--jobs` are MkDocs'.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import yaml

from ..errors import InputError

ENGINES = ("mkdocs", "zensical")
CONFIG_NAME = "zensical.generated.yml"


def check_engine(engine: str, sharded: bool) -> None:
    if engine == "zensical" and importlib.util.find_spec("zensical") is None:
        raise InputError("--engine zensical: zensical is not installed (pip install 'nianbao[zensical]')")
    if engine == "zensical" and sharded:
        raise InputError("--engine zensical builds in one process: --shard and --jobs N > 1 are MkDocs' only")


def zensical_build(config: dict, overrides: Path, site_url: str, docs: Path, site_dir: Path, epoch: str) -> None:
    """`zensical build --strict` of docs into site_dir with the project's mkdocs.yml (`config`). Zensical
    wants docs_dir inside the folder of its config file: the config is written beside docs."""
    root = docs.parent
    conf = {k: v for k, v in config.items() if k not in ("watch", "INHERIT")}
    conf["docs_dir"] = os.path.relpath(docs, root)
    conf["site_dir"] = os.path.relpath(site_dir, root)
    conf["theme"] = {**(conf.get("theme") or {}), "custom_dir": str(overrides)}
    if site_url:
        conf["site_url"] = site_url
    path = root / CONFIG_NAME
    path.write_text(yaml.safe_dump(conf, allow_unicode=True, sort_keys=True), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    proc = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(path)], cwd=root,
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        last = ([line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()] or ["no message"])[-1]
        raise InputError(f"zensical build failed: {last}", path)
