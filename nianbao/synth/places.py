"""Synthetic agencies over real divisions: province → city → county, with ASCII ids.

The divisions come from the gazetteer table the cpca package ships (adcodes.csv, read directly so
nothing heavy is imported); a small built-in list stands in when cpca is not installed.
"""

from __future__ import annotations

import csv
import importlib.util
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# (province, city, county): real divisions, used when cpca is absent.
_BUILTIN = (
    ("浙江省", "嘉兴市", "平湖市"), ("浙江省", "台州市", "椒江区"), ("浙江省", "杭州市", "西湖区"),
    ("宁夏回族自治区", "中卫市", "沙坡头区"), ("河南省", "信阳市", "平桥区"), ("河南省", "郑州市", "金水区"),
    ("新疆维吾尔自治区", "塔城地区", "乌苏市"), ("福建省", "福州市", "平潭县"), ("江苏省", "苏州市", "昆山市"),
    ("广东省", "广州市", "天河区"), ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "江夏区"),
    ("山东省", "青岛市", "黄岛区"), ("湖南省", "长沙市", "岳麓区"), ("云南省", "大理白族自治州", "大理市"),
    ("甘肃省", "兰州市", "城关区"), ("河北省", "保定市", "涿州市"), ("吉林省", "长春市", "南关区"),
)

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


@lru_cache(maxsize=1)
def divisions() -> tuple[tuple[str, str, str], ...]:
    """Every county-level division as (province, city, county), sorted by code."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        return _BUILTIN
    table = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not table.exists():
        return _BUILTIN
    names: dict[str, str] = {}
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names[row["adcode"][:6]] = row["name"]
    out = []
    for code in sorted(names):
        if code.endswith("00") or names[code] in ("市辖区", "县"):
            continue
        province = names.get(code[:2] + "0000")
        city = names.get(code[:4] + "00")
        if province is None:
            continue
        if city in (None, "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            city = province
        out.append((province, city, names[code]))
    return tuple(out) or _BUILTIN


def _ascii(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(p for p in lazy_pinyin(name) if p.isascii() and p.isalnum()).lower() or "x"


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def make_agencies(n: int, seed: int = 0) -> list[SynthAgency]:
    """`n` agencies spread over the divisions (a deterministic sample for `seed`), unique names and ids."""
    rng = random.Random(f"agencies:{seed}")
    divs = divisions()
    picks = rng.sample(range(len(divs)), k=min(n, len(divs)))
    while len(picks) < n:
        picks.append(rng.randrange(len(divs)))
    seen_names: set[str] = set()
    seen_ids: set[str] = set()
    pinyin: dict[str, str] = {}
    out = []
    for i, d in enumerate(picks):
        province, city, county = divs[d]
        kind, kind_id, department = KINDS[0] if i % 4 == 0 else rng.choice(KINDS)
        name = county + kind
        if name in seen_names:
            name = city + county + kind
        while name in seen_names:
            kind, kind_id, department = rng.choice(KINDS)
            name = city + county + kind
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
