"""`make bench`: parse throughput and build cost on a synthetic corpus, at two sizes, against targets.

    python scripts/bench.py [--reports 10000] [--years 5] [--small 1000] [--no-browser]

For each size: write the corpus (nianbao.synth) into a scratch root under build/bench/, parse it on all
cores into records, run the real `nianbao build` there (NIANBAO_ROOT) timing each stage, then the floor:
one plain `mkdocs build` of the same generated Markdown with the same theme and navigation. At the large
size, a headless Chromium queries the served site. Figures go to build/bench/result.json; a figure that
cannot be measured prints `n/a (reason)`, never an estimate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import bench_scale
from bench_explorer import province_view
from bench_measure import TreeRss, search_in_browser, site_figures
from bench_report import print_result, summarize
from page_weight import chart_page_weight

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BENCH = REPO / "build" / "bench"
PY = sys.executable



# Parse: raw → parse_file → record YAML, on all cores ----------------------------------------------------

_NAMES: dict[str, str] = {}


def _init_worker(agencies_yaml: str) -> None:
    import yaml

    for a in yaml.load(Path(agencies_yaml).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
        _NAMES[a["id"]] = a["name"]


def _parse_one(job: tuple[str, str]) -> tuple[float, float]:
    """Parse one raw report and write its record and its normalised text (the source view's) as ingest
    does; returns the seconds parsing took and the seconds checking and writing took."""
    import yaml

    from nianbao.cache import write_atomic
    from nianbao.parse import parse_document
    from nianbao.source_text import encode_lines

    raw, record = job
    agency_id, year = Path(raw).parent.name, int(Path(raw).stem)
    start = time.perf_counter()
    report, lines = parse_document(raw, agency_id=agency_id, agency_name=_NAMES[agency_id], year=year)
    took = time.perf_counter() - start
    write_atomic(Path(raw).with_name(f"{year}.text.txt"), encode_lines(lines))  # so no build reads the raw file again
    report.source.path = f"data/raw/{agency_id}/{year}.txt"
    try:
        from nianbao.checks import check_report
    except ImportError:
        pass
    else:
        report = check_report(report)
    data = yaml.dump(report.to_data(), allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper)
    write_atomic(Path(record), data.encode("utf-8"))
    return took, time.perf_counter() - start - took


def _parse_only(raw: str) -> float:
    from nianbao.parse import parse_file

    agency_id = Path(raw).parent.name
    start = time.perf_counter()
    parse_file(raw, agency_id=agency_id, agency_name=_NAMES[agency_id], year=int(Path(raw).stem))
    return time.perf_counter() - start


def parse_corpus(root: Path, corpus: Path) -> dict:
    """Two passes on all cores: parse_file alone (the parse throughput), then parse, check and write each
    record as ingest does (what filling data/records costs)."""
    data = root / "data"
    raws = [str(p) for p in sorted(corpus.glob("raw/*/*.txt")) if not p.name.endswith(".text.txt")]  # not the stored texts
    jobs = [(r, str(data / "records" / Path(r).parent.name / f"{Path(r).stem}.yaml")) for r in raws]
    workers = os.cpu_count() or 1
    init = {"initializer": _init_worker, "initargs": (str(data / "agencies.yaml"),)}
    with ProcessPoolExecutor(workers, **init) as pool:
        list(pool.map(_init_done, range(workers)))  # start the workers before the clock
        start = time.perf_counter()
        parse_s = sum(pool.map(_parse_only, raws, chunksize=32))
        parse_wall = time.perf_counter() - start
        start = time.perf_counter()
        spent = list(pool.map(_parse_one, jobs, chunksize=32))
        records_wall = time.perf_counter() - start
    return {"reports": len(raws), "workers": workers, "reports_per_s": len(raws) / parse_wall,
            "parse_file_ms": 1000 * parse_s / len(raws), "records_per_s": len(raws) / records_wall,
            "write_record_ms": 1000 * sum(w for _, w in spent) / len(raws)}


def _init_done(_: int) -> int:
    time.sleep(0.2)  # so each worker takes one
    return os.getpid()


# Build: the real `nianbao build` in a child process, its stages timed -------------------------------------


def build_child() -> None:
    """Run in the child (NIANBAO_ROOT set): wrap the build's stage functions with timers, run the build."""
    import importlib
    import importlib.util
    import resource

    # Imported first so that modules importing `tidy` by name get the timed one.
    tidy_mod = importlib.import_module("nianbao.tidy") if importlib.util.find_spec("nianbao.tidy") else None
    from nianbao.render import docs, engines, pages, search, shards, site

    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rss: dict[str, float] = {}  # the largest process's high-water mark (MB) when the stage ended

    def cpu_self() -> float:
        s = resource.getrusage(resource.RUSAGE_SELF)
        return s.ru_utime + s.ru_stime

    def cpu_now() -> float:
        c = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cpu_self() + c.ru_utime + c.ru_stime

    tools = ("mkdocs build", "search index")  # their processes' CPU; what this process does meanwhile is ours

    def timed(owner, name: str, stage: str) -> None:
        fn = getattr(owner, name, None)
        if fn is None:
            return

        def wrapper(*a, **kw):
            t, c, own = time.perf_counter(), cpu_now(), cpu_self()
            try:
                return fn(*a, **kw)
            finally:
                times[stage] = times.get(stage, 0.0) + time.perf_counter() - t
                spent, mine = cpu_now() - c, cpu_self() - own
                if stage in tools:  # shards split and assembled, Pagefind started: generator work
                    cpu[stage] = cpu.get(stage, 0.0) + spent - mine
                    cpu["shard assembly"] = cpu.get("shard assembly", 0.0) + mine
                else:
                    cpu[stage] = cpu.get(stage, 0.0) + spent
                rss[stage] = max(rss.get(stage, 0.0), _maxrss_mb())

        setattr(owner, name, wrapper)

    timed(site, "load_dataset", "load records")
    if tidy_mod is not None:
        timed(tidy_mod, "tidy", "tidy")
    timed(site, "build_docs", "render pages")
    timed(docs, "_write_shared", "shared pages")
    for name in ("agency_charts", "report_chart", "chart_html"):
        timed(pages, name, "charts")
    timed(engines, "mkdocs_build", "mkdocs build")
    timed(shards.ShardBuild, "finish", "mkdocs build")  # --jobs: MkDocs on shards side by side
    timed(search, "index_site", "search index")
    start, c0 = time.perf_counter(), cpu_now()
    code = site.run_build(argparse.Namespace(only=None, site_url=None, no_search=False))
    wall, total_cpu = time.perf_counter() - start, cpu_now() - c0
    for inner in ("charts", "tidy", "shared pages"):  # they run inside page rendering: report them apart
        if inner in times and "render pages" in times:
            times["render pages"] -= times[inner]
            cpu["render pages"] -= cpu[inner]
    print(json.dumps({"code": code, "wall_s": wall, "times": times, "cpu": cpu, "cpu_s": total_cpu,
                      "maxrss_mb": rss}))


def _maxrss_mb() -> float:
    import resource

    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def run_build(root: Path) -> dict:
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    proc = subprocess.run([PY, __file__, "--child-build"], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"nianbao build failed: {tail[:200]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def warm_record_cache(root: Path) -> float:
    """What `nianbao build` does once after records change: YAML read on all cores into the JSON cache."""
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    start = time.perf_counter()
    subprocess.run([PY, "-c", "from nianbao.dataset import load_dataset; load_dataset()"], env=env, check=True)
    return time.perf_counter() - start


def run_floor(root: Path) -> dict:
    """Plain `mkdocs build` of build/docs with the site's own mkdocs.yml (theme, nav), paths made absolute."""
    import yaml

    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    config["docs_dir"] = str(root / "build" / "docs")
    config["site_dir"] = str(root / "build" / "floor-site")
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(REPO / theme["custom_dir"])
    config.pop("watch", None)
    yml = root / "floor-mkdocs.yml"
    yml.write_text(yaml.dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run([PY, "-m", "mkdocs", "build", "-q", "-f", str(yml)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"error": f"mkdocs build failed: {(proc.stderr.strip().splitlines() or ['?'])[-1][:200]}"}
    return {"wall_s": wall}


# One size ------------------------------------------------------------------------------------------------


def bench_size(reports: int, years: int, seed: int, realistic: bool = True) -> dict:
    from nianbao.synth import load_profile, write_corpus

    agencies = max(1, reports // years)
    root = BENCH / f"root-{reports}"
    corpus = BENCH / ("corpus" if reports >= 10000 else f"corpus-{reports}")
    print(f"\n== {agencies * years} reports ({agencies} agencies × {years} years) ==", flush=True)
    out: dict = {"reports": agencies * years}
    t = time.perf_counter()
    summary = write_corpus(corpus, agencies, tuple(range(2024 - years, 2024)), seed,
                           profile=load_profile() if realistic else None)
    out["generate_s"] = time.perf_counter() - t
    print(f"corpus: {summary['reports']} reports, {summary['bytes'] / 2**20:.0f} MB in {out['generate_s']:.1f}s "
          f"→ {corpus.relative_to(REPO)}")
    _fresh_root(root, corpus)
    out["parse"] = parse_corpus(root, corpus)
    pr = out["parse"]
    print(f"parse: {pr['reports_per_s']:.0f} reports/s on {pr['workers']} cores ({pr['parse_file_ms']:.1f} ms per "
          f"report); with check + record write {pr['records_per_s']:.0f} reports/s "
          f"({pr['write_record_ms']:.1f} ms more per report); load average {os.getloadavg()[0]:.1f}", flush=True)
    out["record_cache_s"] = warm_record_cache(root)
    print(f"record cache: every record read from YAML once into build/cache/records in "
          f"{out['record_cache_s']:.1f}s (a build then reads JSON; a changed record is read again)", flush=True)
    out["build"] = run_build(root)
    if "error" not in out["build"]:
        out["site"] = site_figures(root / "build" / "site")
        out["explorer"] = province_view(root / "build" / "site")
        out["floor"] = run_floor(root)
    return out


def _fresh_root(root: Path, corpus: Path) -> None:
    import shutil

    if root.exists():
        shutil.rmtree(root)
    (root / "data").mkdir(parents=True)
    shutil.copyfile(corpus / "agencies.yaml", root / "data" / "agencies.yaml")
    (root / "data" / "raw").symlink_to(corpus / "raw")
    if (REPO / "content").exists():
        shutil.copytree(REPO / "content", root / "content")
    (root / "SYNTHETIC").write_text("合成数据 synthetic: a benchmark root, not real data\n", encoding="utf-8")


# Incremental ingest (records cached by sha256 of the raw file) -----------------------------------------------


def ingest_child(folder: str) -> None:
    from nianbao.ingest import Options, ingest_files

    start = time.perf_counter()
    outcomes = ingest_files([Path(folder)], Options(replace=True))  # a changed report replaces its old source
    print(json.dumps({"s": time.perf_counter() - start, "files": len(outcomes),
                      "parsed": sum(o.parsed for o in outcomes),
                      "refused": sum(o.status == "refused" for o in outcomes)}))


def bench_incremental(corpus: Path) -> dict:
    """`nianbao ingest` of the corpus cold, again unchanged, and after one report changed."""
    import shutil

    root = BENCH / "root-ingest"
    if root.exists():
        shutil.rmtree(root)
    (root / "data").mkdir(parents=True)
    shutil.copyfile(corpus / "agencies.yaml", root / "data" / "agencies.yaml")
    src = root / "src"
    shutil.copytree(corpus / "raw", src, ignore=shutil.ignore_patterns("*.text.txt"))  # the reports, not their stored texts
    env = {**os.environ, "NIANBAO_ROOT": str(root)}

    def ingest() -> dict:
        proc = subprocess.run([PY, __file__, "--child-ingest", str(src)], env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
        return json.loads(proc.stdout.strip().splitlines()[-1])

    out = {"cold": ingest(), "unchanged": ingest()}
    changed = sorted(src.glob("*/*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（修订）\n", encoding="utf-8")
    out["one_changed"] = ingest()
    return out


def scale_extras(run: dict, root: Path, small: bool, large: bool, zensical: bool) -> None:
    """After the build was measured (outside its memory figure): the synthetic records' profile and
    indexed characters; at the small size the shard jobs assembled; at the large one the time to publish
    a correction; Zensical on the same records where asked."""
    run["realism"] = {"profile": bench_scale.synthetic_profile(root), "indexed": bench_scale.indexed_chars(root / "build" / "site")}
    if small:
        print("shard jobs: each `build --shard K/3` in its own process and folder, then `assemble`", flush=True)
        run["shard_jobs"] = bench_scale.shard_jobs(root)
    if zensical:
        print("zensical: `build --engine zensical` of the same records", flush=True)
        run["zensical"] = bench_scale.zensical(root, timeout=max(600.0, 4 * run["build"]["wall_s"]))
    if large:
        n = 8 if run["reports"] >= 5000 else 4
        print(f"correction: `build --shard all/{n}`, then one corrections file → ingest → rebuilt site", flush=True)
        run["correction"] = bench_scale.correction(root, n)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reports", type=int, default=10000, help="size of the large run (default 10,000)")
    p.add_argument("--years", type=int, default=5, help="years per agency (default 5: 2019-2023)")
    p.add_argument("--small", type=int, default=1000, help="size of the small run (0: none)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium search measurement")
    p.add_argument("--no-incremental", action="store_true", help="skip the incremental ingest measurement")
    p.add_argument("--short-prose", action="store_true",
                   help="the old synthetic prose (~850 indexed characters a report page), not the samples' lengths")
    p.add_argument("--zensical-max", type=int, default=1000,
                   help="time `--engine zensical` at sizes up to this many reports (default 1,000; 0: never)")
    p.add_argument("--child-build", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--child-ingest", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_build:
        build_child()
        return 0
    if args.child_ingest:
        ingest_child(args.child_ingest)
        return 0
    BENCH.mkdir(parents=True, exist_ok=True)
    sizes = sorted({n for n in (args.small, args.reports) if n > 0})
    runs: dict[int, dict] = {}
    for n in sizes:
        meter = TreeRss()
        meter.start()
        load0 = os.getloadavg()[0]
        runs[n] = bench_size(n, args.years, args.seed, realistic=not args.short_prose)
        runs[n]["load_average"] = [load0, os.getloadavg()[0]]
        runs[n]["peak_rss_mb"] = meter.stop() / 2**20  # parse, build and floor; not the browser
        if n == sizes[-1] and not args.no_browser and "site" in runs[n]:
            runs[n]["search"] = search_in_browser(BENCH / f"root-{n}" / "build" / "site")
            runs[n]["chart_page"] = chart_page_weight(BENCH / f"root-{n}" / "build" / "site")
        if "site" in runs[n]:
            scale_extras(runs[n], BENCH / f"root-{n}", small=n == sizes[0], large=n == sizes[-1],
                         zensical=n <= args.zensical_max)
    incremental = None
    if not args.no_incremental:
        small_corpus = BENCH / ("corpus" if sizes[0] >= 10000 else f"corpus-{sizes[0]}")
        print(f"\n== incremental ingest of {sizes[0]} reports ==", flush=True)
        incremental = bench_incremental(small_corpus)
    print("\n== the sample reports (data/records), measured as the synthetic ones ==", flush=True)
    res = summarize(runs, incremental, bench_scale.sample_figures())
    print_result(res, runs)
    out = BENCH / "result.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    print(f"\nwritten {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
