"""`nianbao build` and `nianbao serve`: the site's Markdown written into build/docs (render/docs.py), turned
into HTML by the engine (render/engines.py; MkDocs on shards side by side with `--jobs`: render/shards.py;
shard jobs: render/shardjobs.py), then indexed with Pagefind.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Absolute imports: `serve` also loads this file as a MkDocs hook module (outside the package).
from nianbao import paths, store
from nianbao.dataset import load_dataset
from nianbao.fsck import store_faults
from nianbao.render import engines, release, search, shards
from nianbao.render.docs import build_docs
from nianbao.render.settings import mkdocs_yml as _mkdocs_yml
from nianbao.render.settings import resolve_repository as _resolve_repository
from nianbao.render.settings import resolve_site_url as _resolve_site_url


@contextmanager
def _timed(times: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    times[stage] = time.perf_counter() - start


def run_build(args: argparse.Namespace) -> int:
    """`nianbao build [--only REGION] [--site-url URL] [--no-search] [--jobs N] [--render-jobs N]`.

    The pages are rendered in this process by default: at 10,000 reports, two forked renderers saved
    ~4 s of wall time but cost ~2-5 s more CPU (copy-on-write of the shared records), while the
    MkDocs shards already keep both cores busy (SCALING.md)."""
    times: dict[str, float] = {}
    if getattr(args, "plan", False):  # the jobs of a sharded build, for a CI matrix (render/shardjobs.py)
        from nianbao.render import shardjobs

        print(json.dumps(shardjobs.plan_jobs(args.shards)))
        return 0
    site_url = _resolve_site_url(args)
    if not site_url:
        print("nianbao: warning: no site address (--site-url, NIANBAO_SITE_URL or site_url in mkdocs.yml): "
              "citations name each page's path on the site", file=sys.stderr)
    with _timed(times, "load"), store.locked(shared=True):  # an ingest in progress finishes first
        dataset = load_dataset(hold_back=False)
        faults = [] if getattr(args, "no_store_check", False) else store_faults(dataset)
        dataset = dataset.standing_corrected()
    if faults:  # a record without its raw file or agency would be published unchecked, or under regions/unknown
        for fault in faults:
            print(f"nianbao: {fault}", file=sys.stderr)
        print(f"nianbao: the store has {len(faults)} fault{'s' if len(faults) > 1 else ''}: nothing built "
              "(`nianbao check --store` lists them again)", file=sys.stderr)
        return 2
    for error in dataset.errors:
        print(f"nianbao: skipped a record: {error}", file=sys.stderr)
    build_dir = Path(args.build_dir).resolve() if getattr(args, "build_dir", None) else paths.BUILD
    if getattr(args, "shard", None) and not getattr(args, "build_dir", None) and not args.shard.startswith("all/"):
        build_dir = paths.BUILD / f"shard-{args.shard.split('/')[0]}"
    docs, site_dir = build_dir / "docs", build_dir / "site"
    epoch = engines.build_epoch(dataset.reports)
    engine = getattr(args, "engine", None) or "mkdocs"
    engines.check_engine(engine, bool(getattr(args, "shard", None)) or (getattr(args, "jobs", 0) or 0) > 1)
    if getattr(args, "shard", None):  # one job of a sharded build, or all of them (render/shardjobs.py)
        from nianbao.render import shardjobs

        held = [dataset]
        del dataset  # shardjobs lets go of it once the pages are written, before MkDocs runs
        return shardjobs.run_build(args.shard, getattr(args, "only", None), held, build_dir, site_url, epoch,
                                   None if args.no_search else search.index_site)
    state = shards.ShardBuild(site_dir, epoch, 1 if engine == "zensical" else getattr(args, "jobs", 0) or 0,
                              lambda d, o: engines.mkdocs_config_file(site_url, d, o), engines.nav_pages(), _mkdocs_yml())
    try:
        with _timed(times, "render"):
            stats = build_docs(dataset, docs, only=getattr(args, "only", None), site_url=site_url,
                               shared=not getattr(args, "no_shared", False),
                               on_units=state.start if state.jobs != 1 else None,
                               render_jobs=max(1, getattr(args, "render_jobs", 1) or 1), repository=_resolve_repository(),
                               version_token=shards.VERSION_TOKEN)
        del dataset  # the records are not needed while MkDocs runs
        release.release_memory()
        with _timed(times, "mkdocs"):
            if state.groups:  # MkDocs on the shards (the others already started by build_docs' on_units hook)
                state.finish(docs)
            elif engine == "zensical":  # it runs no MkDocs hook
                engines.zensical_build(site_url, docs, site_dir, epoch)
                shards.stamp_version(site_dir, stats.version)
            else:
                engines.mkdocs_build(site_url, docs, site_dir, epoch)
    finally:
        state.stop()  # a failure while shards run leaves no MkDocs behind
    if not getattr(args, "no_search", False):
        release.release_memory()  # Pagefind's index is the build's largest process: leave it what this one freed
        with _timed(times, "search"):
            search.index_site(site_dir)
    release.finish_removals()
    stats.times = times
    total = sum(times.values())
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in times.items())
    print(f"built {stats.pages} pages ({stats.agencies} agencies, {stats.reports} reports) into "
          f"{site_dir} in {total:.1f}s: {stages}", file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """`nianbao serve`: MkDocs' live-reload server; a change in content/ or data/ regenerates build/docs."""
    from mkdocs.commands.serve import serve

    site_url = _resolve_site_url(args)
    build_docs(load_dataset(), paths.BUILD_DOCS, site_url=site_url, repository=_resolve_repository())
    os.environ["NIANBAO_SERVE"] = "1"
    engines.mkdocs_logging(logging.INFO)
    serve(str(_mkdocs_yml()),
          dev_addr=args.dev_addr, docs_dir=str(paths.BUILD_DOCS), hooks=[__file__],
          watch=[str(paths.CONTENT), str(paths.DATA)])
    return 0


def on_pre_build(config, **kwargs) -> None:
    """MkDocs hook, used by `serve` only: regenerate build/docs before each rebuild (unchanged files stay)."""
    if os.environ.get("NIANBAO_SERVE"):
        build_docs(load_dataset(), paths.BUILD_DOCS, site_url=config.site_url or "", repository=_resolve_repository())
