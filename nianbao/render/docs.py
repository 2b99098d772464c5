"""The site as Markdown: every page of the site (or of one shard) and its assets, written into build/docs
from the records and content/ (`build_docs`); `render/site.py` then runs the engine and Pagefind on it."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nianbao import paths
from nianbao.checks import check_dataset, check_reports, remember_checked
from nianbao.citation import dataset_version
from nianbao.dataset import Dataset
from nianbao.errors import InputError
from nianbao.model import Report
from nianbao.registry import AgencyEntry
from nianbao.render import pages, shards, source
from nianbao.render.docs_writer import DocsWriter
from nianbao.render.page_cache import PageCache
from nianbao.render.plotlyjs import plotly_bundle
from nianbao.render.regions import Region, find_region, place_names, region_tree, render_region
from nianbao.render.settings import render_about

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS = PACKAGE_DIR / "assets"
INTRO_PAGE = "home.md"  # content/home.md is the home page's text, not a page of its own
ABOUT_PAGE = "about.md"  # content/about.md: its link to the issue tracker depends on the repository's address
SHARED_SECTIONS = ("compare", "explore", "quality", "downloads")  # built by nianbao.render.<name> when it exists


@dataclass
class BuildStats:
    pages: int = 0
    reports: int = 0
    agencies: int = 0
    version: str = ""  # the data version the agency and report pages cite (shards.stamp_version)
    times: dict[str, float] = field(default_factory=dict)


def site_agencies(dataset: Dataset) -> dict[str, AgencyEntry]:
    """The registry, plus an entry (no region) for every agency that has reports but is not registered."""
    out = dict(dataset.agencies)
    for report in dataset.reports:
        if report.agency.id not in out:
            out[report.agency.id] = AgencyEntry(id=report.agency.id, name=report.agency.name)
    return dict(sorted(out.items()))


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
    cited = version_token or version
    kept = PageCache(out, f"{site_url}\0{cited}")
    todo, stats.agencies, stats.reports = _unchanged_kept(kept, todo, by_agency, tree)
    job = (by_agency, tree, site_url, cited)
    if render_jobs > 1:  # the pages rendered by the forked processes are not recorded: rendered again next time
        weight = {a: 1 + len(by_agency.get(a, [])) for a, _ in todo}
        results = shards.fork_render(out, todo, lambda item: weight[item[0]], render_jobs,
                                     lambda writer, items: _render_agencies(writer, items, *job))
        stats.agencies, stats.reports = (stats.agencies + sum(r[0] for r in results), stats.reports + sum(r[1] for r in results))
    else:
        n_agencies, n_reports = _render_agencies(out, todo, *job, kept=kept)
        stats.agencies, stats.reports = stats.agencies + n_agencies, stats.reports + n_reports
    kept.save()
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


def _dated(by_agency: dict[str, list[Report]], agency_id: str) -> list[Report]:
    return [r for r in by_agency.get(agency_id, []) if r.year is not None]


def _unchanged_kept(kept: PageCache, todo: list[tuple[str, AgencyEntry]], by_agency: dict[str, list[Report]],
                    tree: Region) -> tuple[list[tuple[str, AgencyEntry]], int, int]:
    """The agencies whose pages the last build left as they must be now are kept (page_cache.py): the
    others, to render, and (agencies, reports) kept."""
    rest, n_agencies, n_reports = [], 0, 0
    for agency_id, agency in todo:
        reports = _dated(by_agency, agency_id)
        if kept.keep(agency_id, kept.digest(agency, reports, _region_links(tree, agency))):
            n_agencies, n_reports = n_agencies + 1, n_reports + len(reports)
        else:
            rest.append((agency_id, agency))
    return rest, n_agencies, n_reports


def _render_agencies(out: DocsWriter, todo: list[tuple[str, AgencyEntry]], by_agency: dict[str, list[Report]],
                     tree: Region, site_url: str, version: str, kept: PageCache | None = None) -> tuple[int, int]:
    """Each agency's page and its reports' pages; (agencies, reports) written. Each agency's files are
    recorded in `kept` when given."""
    n_reports = 0
    for agency_id, agency in todo:
        reports = _dated(by_agency, agency_id)
        links = _region_links(tree, agency)
        out.log = [] if kept is not None else None
        _write_page(out, pages.agency_path(agency_id), *pages.render_agency(agency, reports, links, site_url, version))
        for report in reports:
            anchors = source.write_source(out, report, agency.name)
            _write_page(out, pages.report_path(report), *pages.render_report(report, agency, links, site_url, version, anchors))
        if kept is not None:
            kept.record(agency_id, out.log)
        n_reports += len(reports)
    out.log = None
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
