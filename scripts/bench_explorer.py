"""The explorer's data transfer for a province view: the bytes of the parts (nianbao.render.explore_data)
that explore.js fetches for every agency of the largest province, every year, two measures of table 三.

    python scripts/bench_explorer.py [--reports 10000] [--years 5]   # on the synthetic corpus's true records

scripts/bench.py calls `province_view(site)` on the site it built (the parts as written); run alone, this
builds the parts in memory from nianbao.synth's records (their true figures, without parsing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEASURES = ["r.new_received", "s.refused"]  # the explorer's default measures


def _view(index: dict, read) -> dict:
    """The largest province's view; `read(site path)` → the file's text."""
    from nianbao.render.explore_data import NAMES, part_path, province_lists, view_files

    largest = max(index["provinces"], key=lambda p: (p[4], p[0]))
    slug = largest[1]
    agencies = [row[0] for row in json.loads(read(part_path("a", slug)))["agencies"]]
    files = view_files(index, agencies, MEASURES, province_lists(read))
    sizes = [len(read(f).encode("utf-8")) for f in files]
    return {"province": largest[0], "agencies": len(agencies), "years": len(index["years"]),
            "measures": MEASURES, "files": len(files), "index_kb": sizes[0] / 1024,
            "agencies_kb": len(read(part_path("a", slug)).encode("utf-8")) / 1024,
            "names_kb": len(read(NAMES).encode("utf-8")) / 1024, "view_kb": sum(sizes) / 1024,
            "note": "uncompressed bytes of the index, the province's agency list and the parts the view fetches; "
                    "names_kb: the name list read only to search all provinces"}


def province_view(site: Path) -> dict:
    """On a built site."""
    index_path = site / "explore" / "data" / "index.json"
    if not index_path.exists():
        return {"error": "no explore/data/index.json in the site"}
    index = json.loads(index_path.read_text(encoding="utf-8"))
    return _view(index, lambda rel: (site / rel).read_text(encoding="utf-8"))


def synthetic_view(reports: int, years: int, seed: int = 0) -> dict:
    """On nianbao.synth's records, built in memory."""
    from nianbao.checks import check_reports
    from nianbao.model import Report
    from nianbao.registry import AgencyEntry
    from nianbao.render.explore_data import explore_parts
    from nianbao.render.regions import region_tree
    from nianbao.synth import make_agencies
    from nianbao.synth.records import registry_entries, truth_records

    n = max(1, reports // years)
    made = make_agencies(n, seed)
    agencies = {e["id"]: AgencyEntry(**e) for e in registry_entries(made)}
    records = [Report.model_validate(r) for r in truth_records(made, range(2024 - years, 2024), seed, 0.03).values()]
    records = check_reports(records, {a: e.kind for a, e in agencies.items()})
    parts = explore_parts(records, agencies, region_tree(agencies), "synthetic")
    out = _view(parts.index, parts.files.__getitem__)
    out["reports"] = len(records)
    out["data_mb"] = sum(len(t.encode("utf-8")) for t in parts.files.values()) / 2**20
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reports", type=int, default=10000)
    p.add_argument("--years", type=int, default=5)
    args = p.parse_args()
    print(json.dumps(synthetic_view(args.reports, args.years), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
