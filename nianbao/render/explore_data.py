"""The explorer's data, in parts: a small index (regions, kinds, years, measures, and every part's size), the
agencies per province, a name list for finding an agency anywhere, and the values split twice, per province
and measure and per measure over all provinces, so that a view loads only the parts it needs
(assets/explore-data.js picks the cheaper split for the agencies and measures chosen).

Agencies are numbered province by province (the index's provinces in order, each holding `count` agencies
from `first`); `a/<province slug>.json` lists one province's as `[id, name, city, kind, years]` (and the
sizes of its per-measure parts, in the measures' order), and
`names.json` every agency's `[name, city, kind]` in that numbering (loaded only to search all provinces).
A cell is `[agency number, year, value, check]`: value a number, null (未提供), "u:<printed text>" (无法识别)
or "x:<why>" (不适用); check 0 (none), 1 (a warning) or 2 (failed), for the cell's table and row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..measures import GROUPS, MEASURES, NOT_APPLICABLE, UNREADABLE, Measure, report_values
from ..model import Report, record_order
from ..registry import AgencyEntry
from .regions import UNKNOWN, Region, place_names

HERE = "explore/"
DATA = f"{HERE}data/"
INDEX = f"{DATA}index.json"
NAMES = f"{DATA}names.json"
CHECK = {"": 0, "warn": 1, "fail": 2}


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def province_slug(tree: Region, province: str) -> str:
    return tree.children[province].path.rstrip("/").rsplit("/", 1)[-1]


def part_path(kind: str, key: str) -> str:
    """A part's site path: ("p", "<province slug>/<measure id>"), ("m", "<measure id>") or ("a", "<province slug>")."""
    return f"{DATA}{kind}/{key}.json"


@dataclass
class Parts:
    index: dict
    files: dict[str, str]  # site path → JSON text


def _agency_rows(agencies: Mapping[str, AgencyEntry], years_of: dict[str, list[int]], tree: Region) -> tuple[list, dict]:
    """Every agency as [id, name, province, city, kind, years], numbered province by province."""
    provinces = sorted(tree.children)
    cities = sorted({(place_names(a)[0], place_names(a)[1]) for a in agencies.values() if len(place_names(a)) > 1})
    kinds = sorted({a.kind for a in agencies.values() if a.kind})
    p_idx, c_idx, k_idx = ({v: i for i, v in enumerate(seq)} for seq in (provinces, cities, kinds))
    rows = []
    for agency_id in sorted(agencies, key=lambda a: (p_idx[place_names(agencies[a])[0]], a)):
        a, names = agencies[agency_id], place_names(agencies[agency_id])
        rows.append([agency_id, a.name, p_idx[names[0]], c_idx.get(tuple(names[:2]), -1), k_idx.get(a.kind, -1),
                     years_of.get(agency_id, [])])
    counts = [sum(1 for r in rows if r[2] == i) for i in range(len(provinces))]
    firsts = [sum(counts[:i]) for i in range(len(provinces))]
    meta = {
        "provinces": [[p, province_slug(tree, p), tree.children[p].path, firsts[i], counts[i]] for i, p in enumerate(provinces)],
        "cities": [[c, p_idx[p]] for p, c in cities],
        "kinds": kinds,
        "unknown": UNKNOWN,
    }
    return rows, meta


def _measure_meta(m: Measure) -> dict:
    return {"id": m.id, "label": m.label, "group": m.group, "unit": m.unit, "rate": m.rate,
            "definition": m.definition, "templates": list(m.templates)}


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def explore_parts(reports: list[Report], agencies: Mapping[str, AgencyEntry], tree: Region, version: str) -> Parts:
    """The index and every part, from checked reports; deterministic."""
    reports = sorted((r for r in reports if r.year is not None and r.template is not None), key=record_order)
    every = dict(agencies)
    for r in reports:  # a report's agency missing from the registry still has its row (as region pages do)
        every.setdefault(r.agency.id, AgencyEntry(id=r.agency.id, name=r.agency.name))
    years_of: dict[str, list[int]] = {}
    for r in reports:
        years_of.setdefault(r.agency.id, []).append(r.year)
    rows, meta = _agency_rows(every, years_of, tree)
    index_of = {row[0]: i for i, row in enumerate(rows)}
    by_province: dict[tuple[int, str], list] = {}
    by_measure: dict[str, list] = {m.id: [] for m in MEASURES}
    for report in reports:
        i = index_of[report.agency.id]
        province = rows[i][2]
        for measure, value in report_values(report):
            cell = [i, report.year, _cell(measure, value), CHECK[value.check]]
            by_province.setdefault((province, measure.id), []).append(cell)
            by_measure[measure.id].append(cell)
    # Sizes in the measures' order (0: no such part), as lists: the index is read by every view.
    files: dict[str, str] = {}
    order = {m.id: i for i, m in enumerate(MEASURES)}
    sizes: dict[str, object] = {"measure": [0] * len(MEASURES), "agencies": {}}
    province_sizes: dict[str, list[int]] = {}  # in the province's agency list: read with it, not by every view
    for (province, mid), cells in sorted(by_province.items()):
        slug = meta["provinces"][province][1]
        files[part_path("p", f"{slug}/{mid}")] = text = dumps({"cells": {mid: cells}})
        province_sizes.setdefault(slug, [0] * len(MEASURES))[order[mid]] = _size(text)
    for mid, cells in by_measure.items():
        if cells:
            files[part_path("m", mid)] = text = dumps({"cells": {mid: cells}})
            sizes["measure"][order[mid]] = _size(text)
    for _, slug, _, first, count in meta["provinces"]:
        own = [[r[0], r[1], r[3], r[4], r[5]] for r in rows[first:first + count]]
        files[part_path("a", slug)] = text = dumps({"agencies": own, "sizes": province_sizes.get(slug, [0] * len(MEASURES))})
        sizes["agencies"][slug] = _size(text)
    files[NAMES] = text = dumps({"names": [[r[1], r[3], r[4]] for r in rows]})
    sizes["names"] = _size(text)
    index = {
        "version": version, "years": sorted({r.year for r in reports}), "groups": list(GROUPS),
        "measures": [_measure_meta(m) for m in MEASURES], "sizes": sizes, **meta,
    }
    files[INDEX] = dumps(index)
    return Parts(index, files)


def _cell(measure: Measure, value) -> object:
    if value.state == "":
        v = value.value
        if measure.rate:
            return round(float(v), 6)
        return int(v) if isinstance(v, float) and v.is_integer() else v
    if value.state == UNREADABLE:
        return f"u:{value.note}"
    if value.state == NOT_APPLICABLE:
        return f"x:{value.note}"
    return None


def guessed_provinces(index: dict, agency_id: str) -> list[str]:
    """The provinces an agency's id names (its first word is its province's name in pinyin, as the
    registry makes ids): where explore-data.js looks for the agency before it reads every province."""
    head = agency_id.split("-", 1)[0]
    return [p[1] for p in index["provinces"] if head and p[1].startswith(head)]


def agency_files(index: dict, agency_ids: Iterable[str], agencies_in: Callable[[str], set[str]]) -> list[str]:
    """The provinces whose agency lists a view reads to find its agencies (`agencies_in(slug)`: the ids in one)."""
    slugs: list[str] = []
    missing = []
    for a in agency_ids:
        guess = guessed_provinces(index, a)
        for s in guess:
            if s not in slugs:
                slugs.append(s)
        if not any(a in agencies_in(s) for s in guess):
            missing.append(a)
    if missing:  # not where its id says: every province's list
        slugs += [p[1] for p in index["provinces"] if p[1] not in slugs]
    return slugs


def view_files(index: dict, agency_ids: list[str], measure_ids: list[str],
               province_list: Callable[[str], dict]) -> list[str]:
    """The files a view needs, as explore-data.js chooses them: the index, the agency lists of the chosen
    agencies' provinces (`province_list(slug)`: one, read), and the values per province and measure or
    per measure, whichever is smaller."""
    def agencies_in(slug: str) -> set[str]:
        return {row[0] for row in province_list(slug)["agencies"]}

    looked = agency_files(index, agency_ids, agencies_in)
    slugs = sorted({s for s in looked if set(agency_ids) & agencies_in(s)})
    order = {m["id"]: i for i, m in enumerate(index["measures"])}
    per_province = [(part_path("p", f"{s}/{m}"), province_list(s)["sizes"][order[m]]) for s in slugs for m in measure_ids]
    per_measure = [(part_path("m", m), index["sizes"]["measure"][order[m]]) for m in measure_ids]
    cost = [sum(n for _, n in parts if n) for parts in (per_province, per_measure)]
    chosen = per_province if cost[0] <= cost[1] else per_measure
    return [INDEX, *(part_path("a", s) for s in looked), *(p for p, n in chosen if n)]


def province_lists(read: Callable[[str], str]) -> Callable[[str], dict]:
    """`province_list` for view_files from the written files (`read(site path)` → text)."""
    cache: dict[str, dict] = {}

    def province_list(slug: str) -> dict:
        if slug not in cache:
            cache[slug] = json.loads(read(part_path("a", slug)))
        return cache[slug]

    return province_list
