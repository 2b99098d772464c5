"""Assemble build/docs from the records and content/, run MkDocs, then index the site with Pagefind.

MkDocs is used only as "Markdown and assets in, HTML out" (`_mkdocs_build`, `run_serve`): moving to
another generator replaces those two functions and mkdocs.yml, nothing else.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import datetime as dt
import filecmp
import gc
import importlib
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Absolute imports: `serve` also loads this file as a MkDocs hook module (outside the package).
from nianbao import paths, store
from nianbao.checks import check_dataset, check_reports, remember_checked
from nianbao.citation import dataset_version
from nianbao.dataset import Dataset, load_dataset
from nianbao.errors import InputError
from nianbao.fsck import store_faults
from nianbao.model import Report
from nianbao.registry import AgencyEntry
from nianbao.render import engines, pages, search, shards, source
from nianbao.render.plotlyjs import plotly_bundle
from nianbao.render.regions import Region, find_region, place_names, region_tree, render_region
from nianbao.render.settings import mkdocs_config as _mkdocs_config
from nianbao.render.settings import mkdocs_yml as _mkdocs_yml
from nianbao.render.settings import render_about
from nianbao.render.settings import resolve_repository as _resolve_repository
from nianbao.render.settings import resolve_site_url as _resolve_site_url

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS = PACKAGE_DIR / "assets"
INTRO_PAGE = "home.md"  # content/home.md is the home page's text, not a page of its own
ABOUT_PAGE = "about.md"  # content/about.md: its link to the issue tracker depends on the repository's address
OVERRIDES = PACKAGE_DIR / "overrides"  # theme templates (the Chinese 404 page)
SHARED_SECTIONS = ("compare", "explore", "quality", "downloads")  # built by nianbao.render.<name> when it exists


@dataclass
class BuildStats:
    pages: int = 0
    reports: int = 0
    agencies: int = 0
    version: str = ""  # the data version the agency and report pages cite (shards.stamp_version)
    times: dict[str, float] = field(default_factory=dict)


# Reading -------------------------------------------------------------------------------------------------


def site_agencies(dataset: Dataset) -> dict[str, AgencyEntry]:
    """The registry, plus an entry (no region) for every agency that has reports but is not registered."""
    out = dict(dataset.agencies)
    for report in dataset.reports:
        if report.agency.id not in out:
            out[report.agency.id] = AgencyEntry(id=report.agency.id, name=report.agency.name)
    return dict(sorted(out.items()))


# Writing build/docs ----------------------------------------------------------------------------------------


class DocsWriter:
    """Writes files under build/docs only when their content changed (so `serve` does not loop and an
    unchanged page keeps its file), each through a temp file and a rename; removes what was not written."""

    def __init__(self, root: Path):
        self.root = root
        self.written: set[Path] = set()
        self._dirs: set[Path] = set()  # made (or found) already: one mkdir per folder, not per file

    def _folder(self, path: Path) -> None:
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        self.written.add(path)
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                return
        except FileNotFoundError:  # a new file: written in place (a broken one differs next time, and is replaced)
            self._folder(path)
            with suppress(FileExistsError), open(path, "xb") as fh:
                fh.write(data)
                return
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def copy(self, src: Path, rel: str) -> None:
        path = self.root / rel
        self.written.add(path)
        if path.exists() and filecmp.cmp(path, src, shallow=False):  # compared in blocks: downloads are large
            return
        self._folder(path)
        tmp = path.with_name(f".{path.name}.tmp")
        shutil.copyfile(src, tmp)
        os.replace(tmp, path)

    def move(self, src: Path, rel: str) -> None:
        """Like copy, for a file made to be moved (on the same file system): renamed into place, not copied
        (the downloads run to hundreds of MB); left where it is when the file there is the same."""
        path = self.root / rel
        self.written.add(path)
        if path.exists() and filecmp.cmp(path, src, shallow=False):
            return
        self._folder(path)
        os.replace(src, path)

    def prune(self, only: Callable[[str], bool] | None = None) -> None:
        """Remove what was not written (of the files `only` selects by relative path, if given), then the
        folders left empty; the tree is listed without a stat per file."""
        self._dirs.clear()  # a folder left empty goes too
        for top, _subdirs, files in os.walk(self.root, topdown=False):
            rel = os.path.relpath(top, self.root)
            prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            for name in files:
                if (only is None or only(prefix + name)) and Path(top, name) not in self.written:
                    os.unlink(os.path.join(top, name))
            if rel != "." and (only is None or only(prefix[:-1])) and not os.listdir(top):
                os.rmdir(top)


def _region_links(tree: Region, agency: AgencyEntry) -> list[tuple[str, str]]:
    node, out = tree, []
    for name in place_names(agency):
        node = node.children[name]
        out.append((name, node.path))
    return out


def _selected(tree: Region, only: str | None) -> tuple[set[str] | None, list[Region]]:
    """Agency ids and region pages of a shard (`--only`), or (None, all regions) for the whole site."""
    if not only:
        return None, list(tree.walk())
    region = find_region(tree, only)
    if region is None:
        raise InputError(f"--only {only}: no province or city of that name or slug")
    ancestors, node = [tree], tree
    for name in region.names[:-1]:
        node = node.children[name]
        ancestors.append(node)
    subtree = list(region.walk())
    ids = {a for r in subtree for a in r.agencies}
    return ids, ancestors + subtree


def build_docs(
    dataset: Dataset, docs: Path, *, only: str | None = None, site_url: str = "", shared: bool = True,
    on_units: Callable[[Path, int], None] | None = None, render_jobs: int = 1, repository: str = "",
    version_token: str = "",
) -> BuildStats:
    """Write every page of the site (or of one shard) as Markdown, with its assets, into `docs`.

    A shard (`only`) holds its region's agency, report and region pages plus the pages every shard
    shares (home, regions index, content/); with `shared=False` the compare, quality and downloads pages
    are stubs, for one other job to build once. Shards are assembled by copying their sites together,
    the full-shared one last, then running Pagefind once over the whole.

    `on_units(docs, pages)` is called once the agency, report and region pages are written (and stale
    ones removed), before the home and shared pages: `build --jobs` starts MkDocs on them meanwhile.
    With `render_jobs` > 1 the agency and report pages are rendered by that many processes (forked).
    With `version_token` the agency and report pages cite it instead of the data version, which the build
    puts in their HTML after MkDocs (shards.stamp_version): a correction then changes only the pages that
    show its figures, and only their shards are built again.
    """
    stats = BuildStats()
    out = DocsWriter(docs)
    for src in sorted(paths.CONTENT.rglob("*")) if paths.CONTENT.exists() else []:
        rel = src.relative_to(paths.CONTENT).as_posix()
        if src.is_file() and rel == ABOUT_PAGE:
            out.write(rel, render_about(src.read_text(encoding="utf-8"), repository))
        elif src.is_file() and rel != INTRO_PAGE:
            out.copy(src, rel)
    for src in sorted(ASSETS.iterdir()):
        out.copy(src, f"assets/nianbao/{src.name}")
    bundle, warning = plotly_bundle()
    if warning:
        print(warning, file=sys.stderr)
    out.copy(bundle, "assets/nianbao/plotly.min.js")

    agencies = site_agencies(dataset)
    tree = region_tree(agencies)
    ids, regions = _selected(tree, only)
    # The checks run again (across years too), so every page shows the same problems as the quality
    # page, whatever the records held when they were written; a shard checks only its own reports.
    if ids is None:  # the whole site: checked once; compare, quality, downloads and the version reuse it
        dataset = dataclasses.replace(dataset, reports=check_dataset(dataset))
        remember_checked(dataset, dataset.reports)
        version = dataset_version(dataset)
    else:
        version = dataset_version(dataset)  # of every record, checked: the same in every shard
        mine = [r for r in dataset.reports if r.agency.id in ids]
        checked = {id(r): c for r, c in zip(mine, check_reports(mine, {a: e.kind for a, e in dataset.agencies.items()}), strict=True)}
        dataset = dataclasses.replace(dataset, reports=[checked.get(id(r), r) for r in dataset.reports])
    by_agency = dataset.by_agency()
    latest = {a: [r for r in rs if r.year is not None][-1] for a, rs in by_agency.items() if any(r.year for r in rs)}

    intro_path = paths.CONTENT / INTRO_PAGE
    intro = intro_path.read_text(encoding="utf-8") if intro_path.exists() else "# 政府信息公开工作年度报告"
    provinces = [(r.name, r.path, r.count()) for _, r in sorted(tree.children.items())]
    todo = [(a, e) for a, e in agencies.items() if ids is None or a in ids]
    stats.version = version
    if version_token:  # the MkDocs processes started from here on stamp the pages (render/version_hook.py)
        os.environ[shards.VERSION_ENV] = version
    job = (by_agency, tree, site_url, version_token or version)
    if render_jobs > 1:
        weight = {a: 1 + len(by_agency.get(a, [])) for a, _ in todo}
        results = shards.fork_render(out, todo, lambda item: weight[item[0]], render_jobs,
                                     lambda writer, items: _render_agencies(writer, items, *job))
        stats.agencies, stats.reports = (sum(r[0] for r in results), sum(r[1] for r in results))
    else:
        stats.agencies, stats.reports = _render_agencies(out, todo, *job)
    for region in regions:
        out.write(f"{region.path}index.md", render_region(region, tree, agencies, latest))
    if on_units is not None:
        out.prune(only=lambda rel: shards.unit_of(rel) is not None)
        on_units(docs, sum(1 for p in out.written if p.suffix == ".md"))
    out.write("index.md", pages.render_home(intro, dataset.reports, agencies, provinces))
    _write_shared(out, dataset, full=shared or only is None)

    out.prune()
    stats.pages = sum(1 for p in out.written if p.suffix == ".md")
    return stats


def _render_agencies(out: DocsWriter, todo: list[tuple[str, AgencyEntry]], by_agency: dict[str, list[Report]],
                     tree: Region, site_url: str, version: str) -> tuple[int, int]:
    """Each agency's page and its reports' pages; (agencies, reports) written."""
    n_reports = 0
    for agency_id, agency in todo:
        reports = [r for r in by_agency.get(agency_id, []) if r.year is not None]
        links = _region_links(tree, agency)
        _write_page(out, pages.agency_path(agency_id), *pages.render_agency(agency, reports, links, site_url, version))
        for report in reports:
            anchors = source.write_source(out, report, agency.name)
            _write_page(out, pages.report_path(report), *pages.render_report(report, agency, links, site_url, version, anchors))
        n_reports += len(reports)
    return len(todo), n_reports


def _write_page(out: DocsWriter, path: str, markdown: str, charts: list) -> None:
    """A page (its charts' CSVs are in the downloads' data package: nianbao.render.chartfiles)."""
    out.write(f"{path}index.md", markdown)


def _write_shared(out: DocsWriter, dataset: Dataset, full: bool = True) -> None:
    """compare/, quality/ and downloads/ from their modules (stubs when not `full` or not there yet)."""
    for section in SHARED_SECTIONS:
        module = f"nianbao.render.{section}"
        if not full or importlib.util.find_spec(module) is None:
            out.write(f"{section}/index.md", pages.render_placeholder(section))
        elif section == "downloads":
            # Staged, then copied only where changed: an unchanged download keeps its file (and `serve`
            # does not see a change it made itself).
            with tempfile.TemporaryDirectory(dir=out.root.parent, prefix=".downloads-") as staging:
                importlib.import_module(module).write_downloads(dataset, Path(staging))
                for src in sorted(Path(staging).rglob("*")):
                    if src.is_file():
                        out.move(src, f"downloads/{src.relative_to(staging).as_posix()}")
            if not (out.root / "downloads" / "index.md").exists():
                out.write("downloads/index.md", pages.render_placeholder(section))
        elif hasattr(importlib.import_module(module), f"{section}_pages"):  # a section of several pages
            for rel, text in getattr(importlib.import_module(module), f"{section}_pages")(dataset).items():
                out.write(rel, text)
        else:
            out.write(f"{section}/index.md", getattr(importlib.import_module(module), f"render_{section}")(dataset))


# MkDocs and Pagefind ------------------------------------------------------------------------------------------


def _mkdocs_config_file(site_url: str, docs: Path, site_dir: Path) -> Path:
    """The project's mkdocs.yml, inherited by a generated one that only says where this build reads and writes."""
    config = {"INHERIT": str(_mkdocs_yml()), "docs_dir": str(docs), "site_dir": str(site_dir), "watch": [],
              "theme": {"custom_dir": str(OVERRIDES)}, "hooks": [str(PACKAGE_DIR / "version_hook.py")]}
    if site_url:
        config["site_url"] = site_url
    path = site_dir.parent / "mkdocs.generated.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


def _build_epoch(reports: list[Report]) -> str:
    """MkDocs dates the sitemap with the build time; pin it to the data (latest publication date)."""
    dates = [r.published for r in reports if r.published] or [dt.date(2019, 1, 1)]
    return str(int(dt.datetime.combine(max(dates), dt.time(), dt.UTC).timestamp()))


def _mkdocs_logging(level: int) -> None:
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


def _mkdocs_build(site_url: str, docs: Path, site_dir: Path, epoch: str) -> None:
    """`mkdocs build --strict` in its own process (its memory is not added to the records'); its
    warnings go to stderr and any warning fails the build loudly."""
    config = _mkdocs_config_file(site_url, docs, site_dir)
    # Not --quiet: it hides warnings from the strict-mode counter as well as from the terminal.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
    proc = subprocess.run(cmd, env={**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}, stderr=subprocess.PIPE, text=True)
    shown = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("INFO")]
    if shown:
        print("\n".join(shown), file=sys.stderr)
    if proc.returncode != 0:
        last = (shown or ["no message"])[-1]
        raise InputError(f"mkdocs build failed: {last}", _mkdocs_yml())


def _zensical_build(site_url: str, docs: Path, site_dir: Path, epoch: str) -> None:
    engines.zensical_build(_mkdocs_config(), OVERRIDES, site_url, docs, site_dir, epoch)


def _release_memory() -> None:
    """Collect garbage and give the freed heap back to the system (glibc keeps it otherwise), so the
    processes started next (MkDocs, Pagefind) have it."""
    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _nav_pages() -> list[str]:
    return shards.nav_pages(_mkdocs_config().get("nav"))


def _mkdocs_parallel(state: shards.ShardBuild, docs: Path) -> None:
    """MkDocs on the shards (the others already started by build_docs' on_units hook), assembled."""
    state.finish(docs)


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
    epoch = _build_epoch(dataset.reports)
    engine = getattr(args, "engine", None) or "mkdocs"
    engines.check_engine(engine, bool(getattr(args, "shard", None)) or (getattr(args, "jobs", 0) or 0) > 1)
    if getattr(args, "shard", None):  # one job of a sharded build, or all of them (render/shardjobs.py)
        from nianbao.render import shardjobs

        if getattr(args, "only", None):
            raise InputError("--shard builds shards of the whole site: --only REGION is a build of its own")

        def render(d: Path, on_units: Callable, data: Dataset = dataset) -> BuildStats:
            return build_docs(data, d, site_url=site_url, on_units=on_units, repository=_resolve_repository(),
                              version_token=shards.VERSION_TOKEN)

        return shardjobs.run_jobs(args.shard, build_dir, render, lambda d, o: _mkdocs_config_file(site_url, d, o),
                                  _nav_pages(), epoch, _mkdocs_yml(), None if args.no_search else search.index_site)
    state = shards.ShardBuild(site_dir, epoch, 1 if engine == "zensical" else getattr(args, "jobs", 0) or 0,
                              lambda d, o: _mkdocs_config_file(site_url, d, o), _nav_pages(), _mkdocs_yml())
    try:
        with _timed(times, "render"):
            stats = build_docs(dataset, docs, only=getattr(args, "only", None), site_url=site_url,
                               shared=not getattr(args, "no_shared", False),
                               on_units=state.start if state.jobs != 1 else None,
                               render_jobs=max(1, getattr(args, "render_jobs", 1) or 1), repository=_resolve_repository(),
                               version_token=shards.VERSION_TOKEN)
        del dataset  # the records are not needed while MkDocs runs
        _release_memory()
        with _timed(times, "mkdocs"):
            if state.groups:
                _mkdocs_parallel(state, docs)
            elif engine == "zensical":  # it runs no MkDocs hook
                _zensical_build(site_url, docs, site_dir, epoch)
                shards.stamp_version(site_dir, stats.version)
            else:
                _mkdocs_build(site_url, docs, site_dir, epoch)
    finally:
        state.stop()  # a failure while shards run leaves no MkDocs behind
    if not getattr(args, "no_search", False):
        _release_memory()  # Pagefind's index is the build's largest process: leave it what this one freed
        with _timed(times, "search"):
            search.index_site(site_dir)
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
    _mkdocs_logging(logging.INFO)
    serve(str(_mkdocs_yml()),
          dev_addr=args.dev_addr, docs_dir=str(paths.BUILD_DOCS), hooks=[__file__],
          watch=[str(paths.CONTENT), str(paths.DATA)])
    return 0


def on_pre_build(config, **kwargs) -> None:
    """MkDocs hook, used by `serve` only: regenerate build/docs before each rebuild (unchanged files stay)."""
    if os.environ.get("NIANBAO_SERVE"):
        build_docs(load_dataset(), paths.BUILD_DOCS, site_url=config.site_url or "", repository=_resolve_repository())
