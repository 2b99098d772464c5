"""The engine that turns build/docs into HTML: MkDocs (the default) or Zensical, Material for MkDocs'
successor by the same authors, which reads the same mkdocs.yml. Pagefind indexes either's
HTML (the pages mark what it indexes themselves). Zensical builds in one process: shards, shard jobs
and `--jobs` are MkDocs'.

MkDocs is used only as "Markdown and assets in, HTML out" (`mkdocs_build`, `site.run_serve`): moving to
another generator replaces those two functions and mkdocs.yml, nothing else.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import os
import subprocess
import sys
from pathlib import Path

import yaml

from ..errors import InputError
from ..model import Report
from . import shards
from .settings import mkdocs_config, mkdocs_yml

ENGINES = ("mkdocs", "zensical")
CONFIG_NAME = "zensical.generated.yml"
PACKAGE_DIR = Path(__file__).resolve().parent
OVERRIDES = PACKAGE_DIR / "overrides"  # theme templates (the Chinese 404 page)


def check_engine(engine: str, sharded: bool) -> None:
    if engine == "zensical" and importlib.util.find_spec("zensical") is None:
        raise InputError("--engine zensical: zensical is not installed (pip install 'nianbao[zensical]')")
    if engine == "zensical" and sharded:
        raise InputError("--engine zensical builds in one process: --shard and --jobs N > 1 are MkDocs' only")


def zensical_build(site_url: str, docs: Path, site_dir: Path, epoch: str) -> None:
    """`zensical build --strict` of docs into site_dir with the project's mkdocs.yml. Zensical
    wants docs_dir inside the folder of its config file: the config is written beside docs."""
    root = docs.parent
    conf = {k: v for k, v in mkdocs_config().items() if k not in ("watch", "INHERIT")}
    conf["docs_dir"] = os.path.relpath(docs, root)
    conf["site_dir"] = os.path.relpath(site_dir, root)
    conf["theme"] = {**(conf.get("theme") or {}), "custom_dir": str(OVERRIDES)}
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


def mkdocs_config_file(site_url: str, docs: Path, site_dir: Path) -> Path:
    """The project's mkdocs.yml, inherited by a generated one that only says where this build reads and writes."""
    config = {"INHERIT": str(mkdocs_yml()), "docs_dir": str(docs), "site_dir": str(site_dir), "watch": [],
              "theme": {"custom_dir": str(OVERRIDES)}, "hooks": [str(PACKAGE_DIR / "version_hook.py")]}
    if site_url:
        config["site_url"] = site_url
    path = site_dir.parent / "mkdocs.generated.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


def build_epoch(reports: list[Report]) -> str:
    """MkDocs dates the sitemap with the build time; pin it to the data (latest publication date)."""
    dates = [r.published for r in reports if r.published] or [dt.date(2019, 1, 1)]
    return str(int(dt.datetime.combine(max(dates), dt.time(), dt.UTC).timestamp()))


def mkdocs_logging(level: int) -> None:
    """MkDocs logs through `logging`; without a handler its messages would be silent (serve)."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_nianbao", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler._nianbao = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)
    for handler in logger.handlers:
        handler.setLevel(level)


def mkdocs_build(site_url: str, docs: Path, site_dir: Path, epoch: str) -> None:
    """`mkdocs build --strict` in its own process (its memory is not added to the records'); its
    warnings go to stderr and any warning fails the build loudly."""
    config = mkdocs_config_file(site_url, docs, site_dir)
    # Not --quiet: it hides warnings from the strict-mode counter as well as from the terminal.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
    proc = subprocess.run(cmd, env={**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}, stderr=subprocess.PIPE, text=True)
    shown = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("INFO")]
    if shown:
        print("\n".join(shown), file=sys.stderr)
    if proc.returncode != 0:
        last = (shown or ["no message"])[-1]
        raise InputError(f"mkdocs build failed: {last}", mkdocs_yml())


def nav_pages() -> list[str]:
    return shards.nav_pages(mkdocs_config().get("nav"))
