"""The figures of scripts/bench.py beside their targets (issue 7): summary for result.json, and the printout."""

from __future__ import annotations

# key: (target text, test) — printed beside each figure
TARGETS = {
    "parse_reports_per_s": ("≥ 400 reports/s", lambda v: v >= 400),
    "build_over_floor": ("≤ 0.8 × floor (issue 16)", lambda v: v <= 0.8),
    "generator_share": ("≤ 15 % of CPU", lambda v: v <= 0.15),
    "pages_per_s_ratio": ("10k within 15 % of 1k", lambda v: v >= 0.85),
    "median_report_page_kb": ("≤ 40 KB, same at 1k and 10k", lambda v: v <= 40),
    "site_mb": ("< 1024 MB", lambda v: v < 1024),
    "peak_rss_mb": ("≤ 2048 MB", lambda v: v <= 2048),
    "search_query_kb": ("≤ 300 KB", lambda v: v <= 300),
    "search_first_results_s": ("< 1 s", lambda v: v < 1),
    "chart_page_first_visit_kb": ("≤ 1536 KB (gzipped, assets included)", lambda v: v <= 1536),
    "explorer_province_view_kb": ("≤ 500 KB", lambda v: v <= 500),
    "correction_rebuild_over_build": ("< 0.25 × the full build", lambda v: v < 0.25),
    "shard_jobs_identical": ("true", lambda v: v is True),
}


# Report ------------------------------------------------------------------------------------------------------


def _fmt(key: str, value, unit: str = "", reason: str = "") -> str:
    if value is None:
        return f"  {key:<24} n/a ({reason or 'not measured'})"
    target = TARGETS.get(key)
    mark = ""
    if target:
        mark = f"   target {target[0]}: {'met' if target[1](value) else 'MISSED'}"
    shown = f"{value:.3f}" if isinstance(value, float) and value < 10 else f"{value:,.0f}" if isinstance(value, float) else str(value)
    return f"  {key:<24} {shown} {unit}{mark}"


def summarize(runs: dict[int, dict], incremental: dict | None, samples: dict | None = None) -> dict:
    big = runs[max(runs)]
    small = runs[min(runs)] if len(runs) > 1 else None
    res: dict = {"reports": big["reports"], "sizes": sorted(runs), "notes": {}}
    notes = res["notes"]

    def pages_per_s(run: dict | None) -> float | None:
        if run and "site" in run and run["build"].get("wall_s"):
            return run["site"]["pages"] / run["build"]["wall_s"]
        return None

    build, site, floor = big["build"], big.get("site", {}), big.get("floor", {})
    res["parse_reports_per_s"] = big["parse"]["reports_per_s"]
    res["build_s"] = build.get("wall_s")
    res["floor_s"] = floor.get("wall_s")
    res["build_over_floor"] = res["build_s"] / res["floor_s"] if res["build_s"] and res["floor_s"] else None
    cpu = build.get("cpu", {})
    gen = sum(v for k, v in cpu.items() if k not in ("mkdocs build", "search index"))
    res["generator_share"] = gen / build["cpu_s"] if build.get("cpu_s") else None
    res["record_cache_s"] = big.get("record_cache_s")  # YAML → JSON cache, once per changed record, before the build
    res["floor_s_small"] = (small or {}).get("floor", {}).get("wall_s")
    res["build_s_small"] = (small or {}).get("build", {}).get("wall_s")
    res["pages_per_s_1000"] = pages_per_s(small)
    res["pages_per_s_10000"] = pages_per_s(big)
    res["median_report_page_kb"] = site.get("median_report_page_kb")
    res["median_report_page_kb_small"] = (small or {}).get("site", {}).get("median_report_page_kb")
    res["site_mb"] = site.get("site_mb")
    res["peak_rss_mb"] = big.get("peak_rss_mb")
    search = big.get("search", {})
    res["search_query_kb"] = search.get("index_kb")
    res["search_first_results_s"] = search.get("first_results_s")
    res["chart_page_first_visit_kb"] = big.get("chart_page", {}).get("kb")
    explorer = big.get("explorer", {})
    res["explorer_province_view_kb"] = explorer.get("view_kb")  # index + parts of the largest province's view
    res["explorer"] = explorer
    res["load_average"] = {n: r.get("load_average") for n, r in runs.items()}
    res["stages"] = {k: {"s": v, "share": v / build["wall_s"]} for k, v in build.get("times", {}).items()}
    res["site"] = site
    res["search"] = search
    res["incremental"] = incremental
    _scale_figures(res, runs, samples or {})
    for key, err in (("build_s", build.get("error")), ("floor_s", floor.get("error")),
                     ("search_query_kb", search.get("error")),
                     ("chart_page_first_visit_kb", big.get("chart_page", {}).get("error"))):
        if err:
            notes[key] = err
    if "error" in build:
        notes.setdefault("search_query_kb", "no site was built")
    if small is None:
        notes["pages_per_s_1000"] = "no small run (--small 0)"
    return res


def _scale_figures(res: dict, runs: dict[int, dict], samples: dict) -> None:
    """The scale issue's (#16) keys: indexed characters beside the samples', shard jobs, correction, Zensical."""
    big, small = runs[max(runs)], runs[min(runs)]
    notes = res["notes"]
    res["report_page_indexed_chars_median"] = ((big.get("realism") or {}).get("indexed") or {}).get("median")
    res["sample_report_page_indexed_chars_median"] = (samples.get("indexed") or {}).get("median")
    res["realism"] = {"synthetic": {n: r.get("realism") for n, r in runs.items()}, "samples": samples}
    jobs = small.get("shard_jobs") or {}
    res["shard_jobs_identical"] = jobs.get("identical")
    res["shard_jobs"] = {"reports": small["reports"], **jobs}
    if "error" in jobs or not jobs:
        notes["shard_jobs_identical"] = jobs.get("error", "not measured")
    fix = big.get("correction") or {}
    res["correction"] = fix
    res["correction_rebuild_s"] = fix.get("total_s")
    res["correction_rebuild_over_build"] = (fix["total_s"] / res["build_s"]) if fix.get("total_s") and res.get("build_s") else None
    if "error" in fix or not fix:
        notes["correction_rebuild_s"] = notes["correction_rebuild_over_build"] = fix.get("error", "not measured")
    measured = [(n, r["zensical"]) for n, r in sorted(runs.items()) if "zensical" in r]
    zen = measured[-1] if measured else None
    res["zensical_s"] = zen[1].get("s") if zen else None
    res["zensical"] = {n: z for n, z in measured}
    if zen is None:
        notes["zensical_s"] = "not run at any size (--zensical-max)"
    elif "error" in zen[1]:
        notes["zensical_s"] = zen[1]["error"]
    else:
        notes["zensical_s"] = f"at {zen[0]} reports, against the MkDocs build's {runs[zen[0]]['build']['wall_s']:.1f}s"


def _print_realism(res: dict) -> None:
    samples = (res.get("realism") or {}).get("samples") or {}
    prof = samples.get("profile")
    if not prof:
        return
    print("\n  synthetic corpus beside the sample reports (median characters of prose per section; share of reports "
          "with each table; blank cells; glued rows; indexed characters per report page):")
    rows = [("samples", prof, samples.get("indexed") or {})]
    rows += [(f"synthetic {n}", r["profile"], r["indexed"]) for n, r in sorted(res["realism"]["synthetic"].items()) if r]
    for name, p, ix in rows:
        med, tab = p["section_chars_median"], p["table_present"]
        print(f"    {name:<16} 一 {med['1']:>6.0f}  五 {med['5']:>5.0f}  六 {med['6']:>4.0f}  | tables 二 {tab['proactive']:.0%} "
              f"三 {tab['requests']:.0%} 四 {tab['appeals']:.0%} | blank {p['blank_cell_share']:.1%} glued "
              f"{p['glued_row_share']:.1%} | indexed {ix.get('median') or 0:,.0f} ({ix.get('min', 0):,}–{ix.get('max', 0):,}) "
              f"over {p['reports']} records")


def print_result(res: dict, runs: dict[int, dict]) -> None:
    print("\n== result ==")
    for n, run in sorted(runs.items()):
        b = run["build"]
        if "error" in b:
            print(f"  [{n}] build: n/a ({b['error']})")
            continue
        print(f"  [{n}] build {b['wall_s']:.1f}s; stages:")
        for stage, t in b["times"].items():
            print(f"        {stage:<14} {t:7.1f}s  {t / b['wall_s']:5.1%}  cpu {b['cpu'].get(stage, 0):6.1f}s  "
                  f"max RSS so far {b.get('maxrss_mb', {}).get(stage, 0):5.0f} MB")
        for stage in (s for s in b["cpu"] if s not in b["times"]):  # CPU of ours inside the tools' stages
            print(f"        {stage:<14} (within mkdocs build and search index)  cpu {b['cpu'][stage]:6.1f}s")
        missing = [s for s in ("load records", "tidy", "render pages", "charts", "mkdocs build", "search index")
                   if s not in b["times"]]
        for stage in missing:
            print(f"        {stage:<14} n/a (no such stage in the build)")
        s = run.get("site", {})
        if s:
            print(f"        {s['pages']} pages, site {s['site_mb']:.0f} MB, median report page "
                  f"{s['median_report_page_kb'] or 0:.1f} KB, largest {s['largest_page']}, "
                  f"search index {s['search_index_mb'] or 0:.1f} MB on disk")
    notes = res["notes"]
    print("  load average at start/end of each run (2 cores shared with other work): "
          + ", ".join(f"[{n}] {a:.1f}/{b:.1f}" for n, (a, b) in ((n, r["load_average"]) for n, r in sorted(runs.items()))))
    print()
    for key, unit in (("reports", ""), ("parse_reports_per_s", "reports/s"), ("build_s", "s"), ("floor_s", "s"),
                      ("build_over_floor", "×"), ("generator_share", "of build CPU"),
                      ("pages_per_s_1000", "pages/s"), ("pages_per_s_10000", "pages/s"),
                      ("median_report_page_kb", "KB"), ("site_mb", "MB"), ("peak_rss_mb", "MB"),
                      ("search_query_kb", "KB"), ("search_first_results_s", "s"), ("chart_page_first_visit_kb", "KB"),
                      ("explorer_province_view_kb", "KB"),
                      ("report_page_indexed_chars_median", "characters"),
                      ("sample_report_page_indexed_chars_median", "characters"), ("shard_jobs_identical", ""),
                      ("correction_rebuild_s", "s"), ("correction_rebuild_over_build", "×"), ("zensical_s", "s")):
        print(_fmt(key, res.get(key), unit, notes.get(key, "")))
    _print_realism(res)
    fix = res.get("correction") or {}
    if "total_s" in fix:
        print(f"  correction of {fix['report']} on --shard all/{fix['shards']} (cold {fix['cold_s']:.1f}s): ingest "
              f"{fix['ingest_s']:.1f}s + build {fix['build_s']:.1f}s (shards built: {fix['shards_built']}); shown on "
              f"its page: {fix['correction_shown']}")
    if res["pages_per_s_1000"] and res["pages_per_s_10000"]:
        print(_fmt("pages_per_s_ratio", res["pages_per_s_10000"] / res["pages_per_s_1000"], "(10k / 1k)"))
    search = res.get("search") or {}
    if "query" in search:
        print(f"  search: query {search['query']!r} → first result {search['first_result']!r}; UI code "
              f"{search['ui_code_kb']:.0f} KB besides the index; queries that found nothing: {search['misses']}")
        recall = search.get("recall") or {}
        if recall:
            print(f"  search recall: {recall['found']} of {recall['queries']} agencies found by their full name "
                  f"among the first 5 results; missed: {recall['missed']}")
    inc = res.get("incremental")
    if inc:
        print("  incremental ingest: " + ", ".join(
            f"{k} {v['s']:.1f}s ({v['parsed']} of {v['files']} parsed)" if "s" in v else f"{k} n/a ({v['error']})"
            for k, v in inc.items()))
