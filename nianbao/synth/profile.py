"""What real reports look like, measured on their records: characters per prose section, tables present or
cut, blank cells and glued rows. The synthetic generator follows a profile measured on the sample reports
(`profile.json` beside this file, written by `python -m nianbao.synth.profile data/records`), and
`make bench` measures the synthetic records the same way, to print the two side by side.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Iterable
from pathlib import Path

PROSE_SECTIONS = (1, 5, 6)  # sections 二, 三, 四 are tables
TABLES = ("proactive", "requests", "appeals")
AMBIGUOUS = "cells-ambiguous"  # a row printed as one run of digits that more than one split fits
PROFILE_FILE = Path(__file__).with_name("profile.json")


def prose_chars(text: str | None) -> int:
    """Characters of a section's text, whitespace not counted (converters differ in their line breaks)."""
    return len("".join((text or "").split()))


def _leaves(table) -> Iterable:
    for row in table.values():
        yield from (row.values() if isinstance(row, dict) else (row,))


def measure(records: Iterable[dict]) -> dict:
    """The profile of records (as `Report.to_data()` or the record YAML holds them)."""
    chars: dict[int, list[int]] = {k: [] for k in PROSE_SECTIONS}
    present = dict.fromkeys(TABLES, 0)
    reports = cells = blank = rows = glued = 0
    for rec in records:
        reports += 1
        sections = {s["number"]: s.get("text") for s in rec.get("sections") or []}
        for k in PROSE_SECTIONS:
            chars[k].append(prose_chars(sections.get(k)))
        for name in TABLES:
            table = rec.get(name)
            if not table:
                continue
            present[name] += 1
            rows += len(table)
            for value in _leaves(table):
                cells += 1
                blank += value is None
        glued += sum(p.get("code") == AMBIGUOUS for p in rec.get("problems") or [])
    if not reports:
        raise ValueError("no records to measure")
    return {
        "reports": reports,
        "section_chars": {str(k): sorted(v) for k, v in chars.items()},
        "section_chars_median": {str(k): statistics.median(v) for k, v in chars.items()},
        "prose_chars_median": statistics.median(sum(c) for c in zip(*chars.values(), strict=True)),
        "table_present": {name: present[name] / reports for name in TABLES},
        "blank_cell_share": blank / cells if cells else 0.0,
        "glued_row_share": glued / rows if rows else 0.0,
    }


def read_records(folder: Path, limit: int | None = None) -> list[dict]:
    """The records under folder (`<agency>/<year>.yaml`), sorted; with `limit`, that many evenly spaced."""
    import yaml

    files = sorted(folder.glob("*/*.yaml"))
    if limit and len(files) > limit:
        step = len(files) / limit
        files = [files[int(i * step)] for i in range(limit)]
    return [yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for f in files]


def load_profile(path: Path = PROFILE_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "data/records")
    profile = measure(read_records(folder))
    PROFILE_FILE.write_text(json.dumps(profile, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"profile of {profile['reports']} records in {folder} written to {PROFILE_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
