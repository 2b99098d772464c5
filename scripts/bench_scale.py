"""Measurements for scripts/bench.py from the scale issue (#16): the synthetic corpus beside the sample
reports (prose, tables, indexed characters), shard jobs assembled, the time to publish one correction,
and the Zensical engine on the same pages. Each runs `nianbao` in its own process, as a user would."""

from __future__ import annotations

import filecmp
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "build" / "bench"
PY = sys.executable
REPORT_URL = re.compile(r"/agencies/[^/]+/\d{4}/$")


def _nianbao(root: Path, *args: str, timeout: float | None = None) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    start = time.perf_counter()
    proc = subprocess.run([PY, "-m", "nianbao.cli", *args], env=env, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - start, proc


def _failed(what: str, proc: subprocess.CompletedProcess) -> dict:
    return {"error": f"{what} failed: {(proc.stderr.strip().splitlines() or ['no message'])[-1][:200]}"}


def indexed_chars(site: Path) -> dict:
    """Characters Pagefind indexed per report page (its fragments' content, without the spaces and
    zero-width spaces it puts between words): the median and the range."""
    counts = []
    # Bucket 0's fragments in pagefind/fragment, the other buckets' in pagefind/<k>/fragment (render/search.py).
    for fragment in sorted((site / "pagefind").glob("**/fragment/*")):
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{"):])
        if REPORT_URL.search(page["url"]):
            counts.append(len("".join(page["content"].replace("\u200b", "").split())))
    if not counts:
        return {"median": None, "pages": 0}
    return {"median": statistics.median(counts), "min": min(counts), "max": max(counts), "pages": len(counts)}


def sample_figures() -> dict:
    """The sample reports (data/records of this repository) measured as the synthetic ones: their
    profile, and the characters their report pages index in a site built from them now."""
    from nianbao.synth import measure
    from nianbao.synth.profile import read_records

    out = {"profile": measure(read_records(REPO / "data" / "records"))}
    build = BENCH / "samples"
    _, proc = _nianbao(REPO, "build", "--build-dir", str(build))
    out["indexed"] = indexed_chars(build / "site") if proc.returncode == 0 else _failed("sample site build", proc)
    return out


def synthetic_profile(root: Path, limit: int = 400) -> dict:
    """The synthetic records' profile (`limit` of them, evenly spaced: reading YAML is slow)."""
    from nianbao.synth import measure
    from nianbao.synth.profile import read_records

    return measure(read_records(root / "data" / "records", limit))


def same_tree(a: Path, b: Path) -> bool:
    def differences(cmp: filecmp.dircmp) -> list[str]:
        out = cmp.left_only + cmp.right_only + cmp.funny_files
        out += [f for f in cmp.common_files if not filecmp.cmp(Path(cmp.left, f), Path(cmp.right, f), shallow=False)]
        for sub in cmp.subdirs.values():
            out += differences(sub)
        return out

    return not differences(filecmp.dircmp(a, b))


def shard_jobs(root: Path, n: int = 3) -> dict:
    """The CI matrix on this machine: `build --shard K/N` for each K in its own process and folder, then
    `assemble`; is the site the bytes `nianbao build` wrote (root/build/site), search included?"""
    work = BENCH / f"jobs-{root.name}"
    if work.exists():
        shutil.rmtree(work)
    dirs, times = [work / f"shard-{k}" for k in range(n)], []
    for k, d in enumerate(dirs):
        took, proc = _nianbao(root, "build", "--shard", f"{k}/{n}", "--build-dir", str(d), "--no-search")
        if proc.returncode != 0:
            return _failed(f"shard job {k}/{n}", proc)
        times.append(took)
    took, proc = _nianbao(root, "assemble", *map(str, dirs), "--site", str(work / "site"))
    if proc.returncode != 0:
        return _failed("assemble", proc)
    out = {"shards": n, "job_s": times, "assemble_s": took, "identical": same_tree(root / "build" / "site", work / "site")}
    shutil.rmtree(work)
    return out


def _a_correction(root: Path) -> tuple[str, int, int] | None:
    """(agency id, year, a corrected 行政许可 count) for the first record that states one."""
    import yaml

    for path in sorted((root / "data" / "records").glob("*/*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        value = ((data.get("proactive") or {}).get("licensing") or {}).get("decisions")
        if isinstance(value, int):
            return path.parent.name, int(path.stem), value + 1
    return None


def correction(root: Path, n: int) -> dict:
    """Publishing one correction: the site built as `--shard all/N` once (cold), then a corrections file
    written and timed from there to a rebuilt site: `nianbao ingest` of its report (corrections applied to
    the cached parse), `nianbao build --shard all/N` (only the shards whose pages changed, then assembled
    and indexed)."""
    took_cold, proc = _nianbao(root, "build", "--shard", f"all/{n}")
    if proc.returncode != 0:
        return _failed("sharded build", proc)
    pick = _a_correction(root)
    if pick is None:
        return {"error": "no record states a 行政许可 count to correct"}
    agency, year, value = pick
    path = root / "data" / "corrections" / agency / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    path.write_text(f"- path: proactive.licensing.decisions\n  value: {value}\n  reason: 基准测试的更正（合成数据）\n",
                    encoding="utf-8")
    ingest_s, proc = _nianbao(root, "ingest", str(root / "data" / "raw" / agency / f"{year}.txt"))
    if proc.returncode != 0:
        return _failed("ingest of the corrected report", proc)
    build_s, proc = _nianbao(root, "build", "--shard", f"all/{n}")
    total = time.perf_counter() - start
    if proc.returncode != 0:
        return _failed("sharded rebuild", proc)
    page = root / "build" / "site" / "agencies" / agency / str(year) / "index.html"
    shown = page.exists() and "基准测试的更正" in page.read_text(encoding="utf-8")
    built = proc.stderr.split("built ")[-1].split(" into")[0] if "built " in proc.stderr else "?"
    return {"shards": n, "cold_s": took_cold, "ingest_s": ingest_s, "build_s": build_s, "total_s": total,
            "shards_built": built, "correction_shown": shown, "report": f"{agency}/{year}"}


def zensical(root: Path, timeout: float) -> dict:
    """`nianbao build --engine zensical` of the same records (its own build folder), timed."""
    import importlib.util

    if importlib.util.find_spec("zensical") is None:
        return {"error": "zensical is not installed (pip install -e '.[zensical]')"}
    build = root / "build-zensical"
    try:
        took, proc = _nianbao(root, "build", "--engine", "zensical", "--build-dir", str(build), timeout=timeout)
    except subprocess.TimeoutExpired:
        shutil.rmtree(build, ignore_errors=True)
        return {"error": f"zensical build did not finish in {timeout:.0f}s"}
    if proc.returncode != 0:
        return _failed("zensical build", proc)
    out = {"s": took, "pages": sum(1 for _ in (build / "site").rglob("*.html"))}
    shutil.rmtree(build, ignore_errors=True)
    return out
