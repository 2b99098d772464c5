"""Shard jobs: the site built as N jobs that need not share a machine, then assembled into one.

`nianbao build --plan --shards N` prints the jobs (JSON, a CI matrix). `nianbao build --shard K/N
--build-dir D` writes the pages (all of them for shard 0, which holds the home, compare, quality and
download pages; only the agency and region pages for the others), makes the same plan every other job
makes (each unit by a hash of its name: `shards.stable_plan`; shard 0 holds the shared pages and no
unit), and builds its own shard with MkDocs
into D/site, naming its units and pages in D/shard.json. `nianbao assemble D0 D1 …` puts the units into
shard 0's site, merges the sitemaps in one MkDocs build's page order and runs Pagefind once over the
whole: the same bytes as `nianbao build` (tests/test_shard_jobs.py).

`--shard all/N` runs every job in this process, writing the pages once, into build/shards/<K>/, and
assembles them into build/site. A shard whose files did not change since it was last built (the same
paths, sizes and modification times: build/docs keeps an unchanged page's file) is not built again, so
publishing a correction rebuilds shard 0 and the shards holding its agency and its province.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..dataset import Dataset
from ..errors import InputError
from . import engines, release, shards
from .settings import mkdocs_yml, resolve_repository

MANIFEST = "shard.json"
KEEP_IN_OTHERS = ("sitemap.xml",)  # besides the units: what assemble reads from a shard other than 0


class UnitsWritten(Exception):
    """Raised by a shard job's on_units hook (shards other than 0): the pages it needs are written."""


def parse_shard(text: str) -> tuple[int | None, int]:
    """"K/N" → (K, N); "all/N" → (None, N)."""
    k, _, n = text.partition("/")
    if not n.isdigit() or int(n) < 1 or not (k == "all" or (k.isdigit() and int(k) < int(n))):
        raise InputError(f"--shard {text}: expected K/N with 0 ≤ K < N (e.g. 1/4), or all/N")
    return (None if k == "all" else int(k)), int(n)


def plan_jobs(n: int, build_dir: str = "build") -> list[dict]:
    """The jobs of an N-shard build, as a CI matrix lists them."""
    return [{"shard": f"{k}/{n}", "build_dir": f"{build_dir}/shard-{k}",
             "command": f"nianbao build --shard {k}/{n} --build-dir {build_dir}/shard-{k} --no-search"}
            for k in range(n)]


def _digest(docs: Path, files: list[str], config: Path) -> str:
    """What a shard's site is made from: its files' paths, sizes and modification times, and its config."""
    h = hashlib.sha256(config.read_bytes())
    for rel in files:
        st = os.stat(docs / rel)
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@dataclass
class ShardJobs:
    """Shard jobs k of n (`only`: one job; None: all of them) over the pages in docs."""

    docs: Path
    n: int
    only: int | None
    out: Callable[[int], Path]  # the folder of shard k's job
    config: Callable[[Path, Path], Path]  # (docs, site) -> the generated mkdocs.yml of one shard
    nav: list[str]
    epoch: str
    mkdocs_yml: Path
    groups: list[list[str]] | None = None
    version: str = ""  # the data version: shard 0's manifest carries it to assemble

    def on_units(self, docs: Path, _pages: int) -> None:
        """build_docs' hook: the units are written; plan the shards. A job of a shard other than 0 needs
        nothing more (UnitsWritten ends build_docs)."""
        self.groups = shards.stable_plan(docs, self.n)
        if self.only not in (None, 0):
            raise UnitsWritten

    def run(self) -> list[int]:
        """Build the shards of this job whose files changed, side by side; the shards built."""
        os.environ.pop(shards.VERSION_ENV, None)  # a shard's pages keep the token: assemble stamps them
        own = shards.own_files(self.docs)
        ks = range(self.n) if self.only is None else [self.only]
        started, logs, built = [], [], []
        for k in ks:
            out, units = self.out(k), self.groups[k]
            mine = [r for r in own if k == 0 or r.startswith("assets/")]
            files = mine + [r for unit in units for r in shards.own_files_under(self.docs, unit)]
            config = self.config(out / "shard-docs", out / "site")
            digest = _digest(self.docs, files, config)
            manifest = out / MANIFEST
            if (out / "site").is_dir() and manifest.exists() and json.loads(manifest.read_text("utf-8"))["digest"] == digest:
                if k == 0:  # the pages are the same, the version they cite may not be
                    manifest.write_text(json.dumps({**json.loads(manifest.read_text("utf-8")), "version": self.version},
                                                   ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
                continue
            manifest.unlink(missing_ok=True)
            shards.write_shard_docs(self.docs, out / "shard-docs", own, units, self.nav, primary=k == 0)
            started.append(shards.start_mkdocs(config, self.epoch, out / "mkdocs.log"))
            logs.append(out / "mkdocs.log")
            pages = [r for r in files if r.endswith(".md")]
            built.append((k, {"shard": k, "shards": self.n, "units": units, "pages": pages, "digest": digest,
                              **({"version": self.version} if k == 0 else {})}))
            if len(started) >= (os.cpu_count() or 1):  # no more MkDocs at once than cores
                shards.wait_mkdocs(started, logs, self.mkdocs_yml)
                started, logs = [], []
        shards.wait_mkdocs(started, logs, self.mkdocs_yml)
        for k, manifest in built:
            out = self.out(k)
            if k:
                _keep_only(out / "site", [*manifest["units"], *KEEP_IN_OTHERS])
            shutil.rmtree(out / "shard-docs")
            (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        return [k for k, _ in built]


def _keep_only(site: Path, keep: list[str]) -> None:
    """Remove from a shard's site what assemble does not take from it (the nav stubs' pages, the assets)."""
    tops = {rel.split("/")[0] for rel in keep}
    for top in os.listdir(site):
        path = site / top
        if top not in tops:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        elif path.is_dir():
            wanted = {rel.split("/", 1)[1].split("/")[0] for rel in keep if rel.startswith(top + "/")}
            for name in os.listdir(path):
                if name not in wanted:
                    shutil.rmtree(path / name) if (path / name).is_dir() else (path / name).unlink()


def link_tree(src: Path, dst: Path) -> None:
    """A copy of src at dst, its files hard links where the file system allows (shard sites stay as
    they are: a later correction reuses the unchanged ones)."""
    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, copy_function=link, dirs_exist_ok=True)


def assemble(dirs: list[Path], site_dir: Path) -> None:
    """Join the shard jobs' folders into site_dir (search not included: run_assemble adds it)."""
    manifests = {}
    for d in dirs:
        path = d / MANIFEST
        if not path.exists():
            raise InputError("not a shard job's folder (no shard.json): build it with `nianbao build --shard K/N`", d)
        m = json.loads(path.read_text(encoding="utf-8"))
        if m["shard"] in manifests:
            raise InputError(f"shard {m['shard']} given twice", d)
        manifests[m["shard"]] = (d, m)
    n = {m["shards"] for _, m in manifests.values()}
    missing = sorted(set(range(max(n))) - set(manifests)) if len(n) == 1 else []
    if len(n) != 1 or missing:
        raise InputError(f"the shard jobs do not make one site: shards of {sorted(n)} jobs, missing {missing}", dirs[0])
    tmp = site_dir.with_name(f".{site_dir.name}.assembling")
    if tmp.exists():
        shutil.rmtree(tmp)
    link_tree(manifests[0][0] / "site", tmp)
    for k in range(1, max(n)):
        d, m = manifests[k]
        for unit in m["units"]:
            if (d / "site" / unit).exists():
                link_tree(d / "site" / unit, tmp / unit)
    order = shards.page_order_of([p for _, m in manifests.values() for p in m["pages"]])
    shards.merge_sitemaps(order, tmp, [manifests[k][0] / "site" for k in range(1, max(n))])
    shards.stamp_version(tmp, manifests[0][1]["version"])
    release.put_in_place(tmp, site_dir)


def run_jobs(shard: str, build_dir: Path, render: Callable[[Path, Callable], object], config: Callable[[Path, Path], Path],
             nav: list[str], epoch: str, mkdocs_yml: Path, search: Callable[[Path], None] | None) -> int:
    """`nianbao build --shard K/N` (into build_dir) or `--shard all/N` (build_dir/shard-jobs/<K>, assembled
    into build_dir/site). `render(docs, on_units)` writes the pages (site.build_docs)."""
    k, n = parse_shard(shard)
    docs = build_dir / "docs"
    jobs = ShardJobs(docs, n, k, (lambda j: build_dir / "shard-jobs" / str(j)) if k is None else (lambda j: build_dir),
                     config, nav, epoch, mkdocs_yml)
    with contextlib.suppress(UnitsWritten):
        jobs.version = render(docs, jobs.on_units).version
    built = jobs.run()
    where = build_dir
    if k is None:
        where = build_dir / "site"
        assemble([jobs.out(j) for j in range(n)], where)
        if search is not None:
            search(where)
        release.finish_removals()
    print(f"shard{'s' if k is None else ''} {shard}: built {', '.join(map(str, built)) or 'none (unchanged)'} "
          f"into {where}", file=sys.stderr)
    return 0


def run_build(shard: str, only: str | None, held: list[Dataset], build_dir: Path, site_url: str, epoch: str,
              search: Callable[[Path], None] | None) -> int:
    """`nianbao build --shard K/N` or `--shard all/N`: the pages written by docs.build_docs, then run_jobs.
    `held` holds the dataset alone: it is let go once the pages are written (at 10,000 reports the parent
    held ~1 GB while every MkDocs shard ran)."""
    from .docs import build_docs

    if only:
        raise InputError("--shard builds shards of the whole site: --only REGION is a build of its own")

    def render(docs: Path, on_units: Callable) -> object:
        dataset = held.pop()
        try:
            return build_docs(dataset, docs, site_url=site_url, on_units=on_units, repository=resolve_repository(),
                              version_token=shards.VERSION_TOKEN)
        finally:
            del dataset
            release.release_memory()

    return run_jobs(shard, build_dir, render, lambda d, o: engines.mkdocs_config_file(site_url, d, o),
                    engines.nav_pages(), epoch, mkdocs_yml(), search)


def run_assemble(dirs: list[Path], site_dir: Path, search: Callable[[Path], None] | None) -> int:
    """`nianbao assemble DIR…`: the shard jobs' folders into one site, then its search index."""
    assemble(dirs, site_dir)
    if search is not None:
        search(site_dir)
    release.finish_removals()
    print(f"assembled {len(dirs)} shards into {site_dir}", file=sys.stderr)
    return 0
