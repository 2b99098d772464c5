"""Split build/docs into shards that MkDocs builds side by side, and assemble their sites into one.

A shard's unit is one agency's pages (`agencies/<id>/…`) or one province's region pages
(`regions/<province>/…`): pages that no navigation lists, so their HTML does not depend on which other
pages are built with them. Shard 0 (the primary) also holds every other file: the pages in the nav,
content/, the downloads. The other shards get the same assets and a stub of each nav page (MkDocs'
strict mode needs the pages the nav names; their HTML is thrown away). Units are balanced over the
shards by size, largest first, so the shards finish at about the same time.

The assembled site is the one a single `mkdocs build` writes, byte for byte: the units' directories
move into the primary's site, and the sitemap (the only page listing every other) is merged from the
shards' sitemaps in MkDocs' own page order.
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import InputError
from .release import put_in_place

UNIT_ROOTS = ("agencies", "regions")
NAV_STUB = "# -\n"
PAGE_WEIGHT = 40_000  # bytes of Markdown that cost MkDocs about as much as rendering one more page
_URL = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)


def unit_of(rel: str) -> str | None:
    """The unit a docs file belongs to (`agencies/<id>`, `regions/<province>`), or None (the primary's)."""
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] in UNIT_ROOTS:
        return f"{parts[0]}/{parts[1]}"
    return None


def _files(docs: Path) -> list[str]:
    """Every file under docs (relative, "/"-separated, sorted), listed without a stat per file."""
    out = []
    for top, _dirs, files in os.walk(docs):
        rel = os.path.relpath(top, docs)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        out.extend(prefix + name for name in files)
    return sorted(out)


def _weight(docs: Path, rel: str) -> int:
    return (docs / rel).stat().st_size + PAGE_WEIGHT if rel.endswith(".md") else 0


VERSION_TOKEN = "NBDATAVERSIONTOKEN"  # cited by the agency and report pages until stamp_version replaces it
VERSION_ENV = "NIANBAO_DATA_VERSION"  # the version MkDocs' hook (render/version_hook.py) puts in its place


def stamp_version(site: Path, version: str) -> None:
    """Put the data version where the agency and report pages' HTML cites VERSION_TOKEN. Each changed
    file is replaced, not written into (it may be a link to a shard job's file)."""
    token, real = VERSION_TOKEN.encode(), version.encode()
    for top, _dirs, files in os.walk(site / UNIT_ROOTS[0]):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(top, name)
            with open(path, "rb") as fh:
                data = fh.read()
            if token in data:
                tmp = f"{path}.stamp"
                with open(tmp, "wb") as fh:
                    fh.write(data.replace(token, real))
                os.replace(tmp, path)


def own_files_under(docs: Path, unit: str) -> list[str]:
    """The files of one unit (`agencies/<id>`), relative to docs."""
    return [f"{unit}/{rel}" for rel in _files(docs / unit)]


def own_files(docs: Path) -> list[str]:
    """The primary's files outside every unit (nav pages, content, assets, downloads)."""
    return [rel for rel in _files(docs) if unit_of(rel) is None]


def plan(docs: Path, shards: int, reserve: float = 0.0) -> tuple[list[str], list[list[str]]]:
    """(the primary's own files, the units of each shard); deterministic for the same docs. `reserve`:
    the share of the units' weight the primary is counted as already having (work it does first)."""
    own: list[str] = []
    units: dict[str, int] = {}
    load = [0] * shards
    for rel in _files(docs):
        unit = unit_of(rel)
        if unit is None:
            own.append(rel)
            load[0] += _weight(docs, rel)
        else:
            units[unit] = units.get(unit, 0) + _weight(docs, rel)
    load[0] += int(reserve * sum(units.values()))
    groups: list[list[str]] = [[] for _ in range(shards)]
    for unit, weight in sorted(units.items(), key=lambda kv: (-kv[1], kv[0])):
        k = min(range(shards), key=lambda i: (load[i], i))
        groups[k].append(unit)
        load[k] += weight
    return own, [sorted(g) for g in groups]


def stable_plan(docs: Path, shards: int) -> list[list[str]]:
    """The units of each shard job, each unit by a hash of its name: a unit stays in its shard whatever
    the others hold (a plan balanced by size moves units when one page grows, and every shard would be
    built again). Shard 0 gets none: it holds the shared pages, which every correction changes."""
    units = sorted({u for rel in _files(docs) if (u := unit_of(rel)) is not None})
    if shards == 1:
        return [units]
    groups: list[list[str]] = [[] for _ in range(shards)]
    for unit in units:
        groups[1 + zlib.crc32(unit.encode("utf-8")) % (shards - 1)].append(unit)
    return groups


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def write_shard_docs(docs: Path, out: Path, own: list[str], units: list[str], nav_pages: list[str], primary: bool) -> None:
    """One shard's docs in out (a fresh folder): its own files hard-linked from docs, each of its units
    a link to the unit's folder in docs (MkDocs follows them: one link per agency, not one per file)."""
    if out.exists():
        shutil.rmtree(out)  # a link to a folder is removed, not followed
    out.mkdir(parents=True)
    for rel in own:
        if primary or rel.startswith("assets/"):
            _link(docs / rel, out / rel)
    if not primary:
        for rel in nav_pages:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(NAV_STUB, encoding="utf-8")
    for unit in units:
        (out / unit).parent.mkdir(parents=True, exist_ok=True)
        os.symlink((docs / unit).resolve(), out / unit, target_is_directory=True)


def nav_pages(nav) -> list[str]:
    """Every Markdown file named in an mkdocs.yml nav."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") and "://" not in nav else []
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in nav_pages(v)]
    if isinstance(nav, list):
        return [p for v in nav for p in nav_pages(v)]
    return []


def _walk_key(rel: str) -> tuple:
    """Where os.walk (folders sorted, top-down) and MkDocs (index or README first) meet a file: a folder's
    files before its subfolders', in name order."""
    *folders, name = rel.split("/")
    return (*((1, f) for f in folders), (0, os.path.splitext(name)[0] not in ("index", "README"), name))


def page_order_of(pages: list[str]) -> list[str]:
    """Directory URLs of Markdown pages (paths relative to docs) in MkDocs' order."""
    out = []
    for path in sorted((p for p in pages if p.endswith(".md")), key=_walk_key):
        url = path[: -len("index.md")] if path.rsplit("/", 1)[-1] == "index.md" else path[:-3] + "/"
        out.append(quote(url))
    return out


def page_order(docs: Path) -> list[str]:
    """Directory URLs of docs' Markdown pages in MkDocs' order."""
    return page_order_of(_files(docs))


def merge_sitemaps(order: list[str], primary: Path, others: list[Path]) -> None:
    """Write primary/sitemap.xml (and .gz) listing every shard's pages in the order of one build (`order`:
    page_order's URLs). The files are replaced, not written into (they may be links to a shard's)."""
    main = primary / "sitemap.xml"
    if not main.exists():
        return
    text = main.read_text(encoding="utf-8")
    first = list(_URL.finditer(text))
    if not first:
        return
    blocks: dict[str, str] = {}
    for source in [main, *(o / "sitemap.xml" for o in others)]:
        if source.exists():
            for m in _URL.finditer(source.read_text(encoding="utf-8")):
                blocks.setdefault(_LOC.search(m.group(0)).group(1).strip(), m.group(0))
    base = min(blocks, key=len)  # the home page's address: every other page's starts with it
    ordered = [blocks.pop(base + url) for url in order if base + url in blocks]
    ordered += [blocks[k] for k in sorted(blocks)]  # none expected: pages MkDocs found but docs has not
    merged = text[: first[0].start()] + "".join(ordered) + text[first[-1].end():]
    main.unlink()
    main.write_text(merged, encoding="utf-8")
    gz = primary / "sitemap.xml.gz"
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little") if gz.exists() else 0
    gz.unlink(missing_ok=True)
    with open(gz, "wb") as fh, gzip.GzipFile(fileobj=fh, filename=str(gz), mode="wb", mtime=mtime) as z:
        z.write(merged.encode("utf-8"))


def assemble(docs: Path, shard_sites: list[Path], groups: list[list[str]], site_dir: Path) -> None:
    """Move each shard's units into the primary's site, merge the sitemaps, and put it at site_dir."""
    primary = shard_sites[0]
    for site, units in zip(shard_sites[1:], groups[1:], strict=True):
        for unit in units:
            src, dst = site / unit, primary / unit
            if src.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
    merge_sitemaps(page_order(docs), primary, shard_sites[1:])
    put_in_place(primary, site_dir)


# Running the shards --------------------------------------------------------------------------------------------


def start_mkdocs(config: Path, epoch: str, log: Path) -> subprocess.Popen:
    """`mkdocs build --strict` of one shard's generated config, its messages into log."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as err:
        return subprocess.Popen(cmd, env=env, stderr=err)


def wait_mkdocs(procs: list[subprocess.Popen], logs: list[Path], mkdocs_yml: Path) -> None:
    """Wait for every MkDocs process; show their warnings; one failing fails the build."""
    codes = [p.wait() for p in procs]
    shown = [line for log in logs if log.exists() for line in log.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("INFO")]
    if shown:
        print("\n".join(shown), file=sys.stderr)
    if any(codes):
        raise InputError(f"mkdocs build failed: {(shown or ['no message'])[-1]}", mkdocs_yml)

PRIMARY_RESERVE = 0.15  # the primary shard starts after the home and shared pages are made: give it less


@dataclass
class ShardBuild:
    """`build --jobs`: MkDocs on shards of build/docs side by side. The shards other than the primary
    start as soon as their pages are written (`start`, build_docs' on_units hook), while the home and
    shared pages are still being made; `finish` starts the primary, waits for all and assembles them:
    the same bytes as one MkDocs process. Every shard runs `--strict`; one failing fails the build."""

    site_dir: Path
    epoch: str
    jobs: int
    config: Callable[[Path, Path], Path]  # (docs, site) -> the generated mkdocs.yml of one shard
    nav: list[str]
    mkdocs_yml: Path
    groups: list[list[str]] = field(default_factory=list)
    procs: list[subprocess.Popen | None] = field(default_factory=list)

    @property
    def work(self) -> Path:
        return self.site_dir.parent / "shards"

    def start(self, docs: Path, pages: int) -> None:
        jobs = self.jobs if self.jobs > 0 else max(1, min(os.cpu_count() or 1, pages // 500))
        if jobs < 2:
            return
        _, self.groups = plan(docs, jobs, reserve=PRIMARY_RESERVE)
        self.procs = [None] * jobs
        for k in range(1, jobs):
            self._launch(docs, k, own_files(docs))

    def _launch(self, docs: Path, k: int, own: list[str]) -> None:
        shard_docs, shard_site = self.work / str(k) / "docs", self.work / str(k) / "site"
        write_shard_docs(docs, shard_docs, own, self.groups[k], self.nav, primary=k == 0)
        self.procs[k] = start_mkdocs(self.config(shard_docs, shard_site), self.epoch, self.work / str(k) / "mkdocs.log")

    def finish(self, docs: Path) -> None:
        self._launch(docs, 0, own_files(docs))
        wait_mkdocs([p for p in self.procs if p is not None],
                    [self.work / str(k) / "mkdocs.log" for k in range(len(self.procs))], self.mkdocs_yml)
        assemble(docs, [self.work / str(k) / "site" for k in range(len(self.procs))], self.groups, self.site_dir)
        shutil.rmtree(self.work)

    def stop(self) -> None:
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()


# Rendering in several processes ---------------------------------------------------------------------------------


def _fork_child(send, writer, render, items) -> None:
    try:
        result = render(writer, items)
        send.send(([str(p) for p in writer.written], result))
    except BaseException as exc:  # reported to the parent, which fails the build with it
        send.send(f"{type(exc).__name__}: {exc}")
    finally:
        send.close()


def fork_render(out, items: list, weight: Callable[[Any], int], jobs: int, render: Callable[[Any, list], Any]) -> list:
    """render(writer, items) over `jobs` groups of items balanced by weight, in forked processes (they
    share the parent's records); the files they write are added to out.written. Results in group order."""
    groups: list[list] = [[] for _ in range(jobs)]
    load = [0] * jobs
    for item in sorted(items, key=lambda i: -weight(i)):  # stable: equal weights keep the items' order
        k = min(range(jobs), key=lambda i: (load[i], i))
        groups[k].append(item)
        load[k] += weight(item)
    ctx = multiprocessing.get_context("fork")
    children = []
    for group in groups[1:]:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_fork_child, args=(send, type(out)(out.root), render, group))
        proc.start()
        send.close()
        children.append((proc, recv))
    failure = None
    try:
        results = [render(out, groups[0])]
    except BaseException:
        for proc, _ in children:  # nothing left behind
            proc.kill()
            proc.join()
        raise
    for proc, recv in children:
        try:
            got = recv.recv()
        except EOFError:
            got = "the process ended without a result"
        proc.join()
        if isinstance(got, str) or proc.exitcode:
            failure = failure or str(got)
            continue
        written, result = got
        out.written.update(Path(p) for p in written)
        results.append(result)
    if failure:
        raise InputError(f"rendering pages failed: {failure}")
    return results
