"""data/agencies.yaml → validated AgencyEntry objects; new agencies' ids and regions.

An agency is looked up by name (or alias) in the registry first; a name the registry does not know is
placed with the gazetteer and given an ASCII id by the rule below. Humans edit the registry freely;
ingest only ever adds entries to it.

The id rule: `<province>-<city>-<county>-<kind>`, each part in pinyin without tones or spaces:
- a division's administrative suffix is dropped (省, 市, 区, 县, 旗, 地区, 盟, 自治区/州/县/旗 with the
  peoples named before it, 特别行政区), unless that would leave one character (和县 → hexian);
- a municipality's city repeats its province and is left out (北京市朝阳区 → beijing-chaoyang);
- parts the name does not give are left out (中卫市民政局 → ningxia-zhongwei-minzheng);
- the kind is shortened: 民政局/民政厅 → minzheng, 人民政府 → zhengfu, 管理委员会 → guanweihui, others
  lose their 局/厅 (市场监督管理局 → shichangjianduguanli);
- a name the gazetteer cannot place uses its own pinyin (less the kind) as the place;
- an id another agency already has gets -2, -3, … .
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import paths
from .errors import RegistryError
from .names import canonical
from .yamlsafe import load_yaml


class AgencyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    kind: str | None = Field(default=None, description="民政局, 人民政府, 管理委员会, …")
    website: str | None = None
    aliases: list[str] = Field(default_factory=list, description="Other names the reports use")


HEADER = (
    "# The agencies nianbao knows: id, name, region (province / city / county) and kind.\n"
    "# Edit freely (fix a region, add aliases the reports use); `nianbao ingest` only adds new agencies.\n"
)

_ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|"
    "纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|"
    "鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
_AUTONOMOUS = re.compile(rf"(?:(?:{_ETHNIC})族|维吾尔)*自治(?:区|州|县|旗)$")
_SUFFIX = re.compile(r"(特别行政区|地区|林区|特区|省|市|区|县|旗|盟)$")
KIND_SLUGS = {
    "民政局": "minzheng", "民政厅": "minzheng", "人民政府": "zhengfu", "人民政府办公室": "zhengfuban",
    "人民政府办公厅": "zhengfuban", "管理委员会": "guanweihui",
}
# Readings pypinyin gets wrong for places, and the official romanisation of 陕西 (else it is 山西's).
PINYIN_PLACES = {"陕西": "shaanxi", "朝阳": "chaoyang", "长治": "changzhi", "长宁": "changning", "单县": "shanxian"}

_cache: dict[Path, tuple[tuple[int, int], dict[str, AgencyEntry], dict[str, str]]] = {}


# Load and save ------------------------------------------------------------------------------------


def load_agencies(path: Path | None = None) -> dict[str, AgencyEntry]:
    path = path or paths.AGENCIES
    if not path.exists():
        return {}
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _cache.get(path)
    if hit and hit[0] == stamp:
        return dict(hit[1])
    _cache.pop(path, None)
    data, node = load_yaml(path, RegistryError)
    data = data or []
    if isinstance(data, dict):
        data = data.get("agencies", [])
    if not isinstance(data, list):
        raise RegistryError("expected a list of agencies", path, 1)
    out: dict[str, AgencyEntry] = {}
    names: dict[str, str] = {}
    for i, item in enumerate(data):
        try:
            entry = AgencyEntry.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first["loc"])) or "entry"
            raise RegistryError(f"agency #{i + 1}: {where}: {first['msg']}", path, _item_line(node, i)) from None
        if entry.id in out:
            raise RegistryError(f"agency #{i + 1}: id {entry.id} is used twice", path, _item_line(node, i))
        for name in (entry.name, *entry.aliases):
            if names.get(name, entry.id) != entry.id:
                raise RegistryError(f"agency #{i + 1}: name {name} also belongs to {names[name]}", path, _item_line(node, i))
            names[name] = entry.id
        out[entry.id] = entry
    _cache[path] = (stamp, out, names)
    return dict(out)


def known_names(path: Path | None = None) -> dict[str, str]:
    """Every name and alias in the registry file → its agency id (read-only; cached like load_agencies)."""
    path = path or paths.AGENCIES
    load_agencies(path)
    hit = _cache.get(path)
    return hit[2] if hit else {}


def name_index(agencies: dict[str, AgencyEntry]) -> dict[str, str]:
    """Every name and alias → agency id, for agencies held in memory; also each one's canonical spelling
    (names.canonical: `平潭综合实验区管理委员会` finds `平潭综合实验区管委会`) when no other agency has it."""
    literal = {n: e.id for e in agencies.values() for n in (e.name, *e.aliases)}
    spelled: dict[str, str | None] = {}
    for n, ident in literal.items():
        key = canonical(n)
        spelled[key] = ident if spelled.get(key, ident) == ident else None
    return {**{k: i for k, i in spelled.items() if i is not None and k not in literal}, **literal}


def lookup(name: str, index: dict[str, str]) -> str | None:
    """The id of the registered agency a name is, by name_index: as written, else in canonical spelling."""
    return index.get(name) or index.get(canonical(name))


def save_agencies(agencies: dict[str, AgencyEntry], path: Path | None = None) -> bool:
    """Write the registry sorted by id (atomically); False when the file already says exactly this."""
    from .cache import write_atomic

    return write_atomic(path or paths.AGENCIES, registry_text(agencies))


def registry_text(agencies: dict[str, AgencyEntry]) -> bytes:
    """The registry file's bytes: the header, then the agencies sorted by id."""
    rows = [_entry_data(agencies[k]) for k in sorted(agencies)]
    text = HEADER + (yaml.dump(rows, allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper) if rows else "[]\n")
    return text.encode("utf-8")


def _entry_data(entry: AgencyEntry) -> dict:
    data = entry.model_dump()
    return {k: v for k, v in data.items() if k in ("id", "name") or v not in (None, [])}


def _item_line(node: yaml.Node | None, index: int) -> int | None:
    """1-based line of the index-th item of the registry's list, for error messages."""
    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if k.value == "agencies"), None)
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node.value[index].start_mark.line + 1
    return None


# Lookup and new entries ---------------------------------------------------------------------------


def find_agency(name: str, agencies: dict[str, AgencyEntry]) -> AgencyEntry | None:
    ident = lookup(re.sub(r"\s+", "", name or ""), name_index(agencies))
    return agencies[ident] if ident else None


def new_agency(
    name: str,
    agencies: dict[str, AgencyEntry],
    *,
    agency_id: str | None = None,
    province: str | None = None,
    city: str | None = None,
    county: str | None = None,
    kind: str | None = None,
    infer: bool = True,
) -> AgencyEntry:
    """An entry for an agency the registry does not know: region from the gazetteer (when infer), flags win."""
    from . import gazetteer

    region = gazetteer.resolve(name) if infer else gazetteer.Region()
    entry = AgencyEntry(
        id="x",
        name=name,
        province=province or region.province,
        city=city or region.city,
        county=county or region.county,
        kind=kind or (gazetteer.kind_of(name) if infer else None),
    )
    ident = agency_id or unique_id(make_id(entry), agencies)
    return entry.model_copy(update={"id": ident})


def make_id(entry: AgencyEntry) -> str:
    parts = [entry.province, entry.city if entry.city != entry.province else None, entry.county]
    slugs = [_pinyin(_stem(p)) for p in parts if p]
    if not slugs:
        place = entry.name[: -len(entry.kind)] if entry.kind and entry.name.endswith(entry.kind) else entry.name
        slugs = [_pinyin(place)]
    if entry.kind:
        slugs.append(kind_slug(entry.kind))
    ident = "-".join(s for s in slugs if s)
    return ident or "agency"


def kind_slug(kind: str) -> str:
    if kind in KIND_SLUGS:
        return KIND_SLUGS[kind]
    stem = re.sub(r"[局厅]$", "", kind) or kind
    return _pinyin(stem)


def unique_id(ident: str, agencies: dict[str, AgencyEntry]) -> str:
    n, out = 1, ident
    while out in agencies:
        n += 1
        out = f"{ident}-{n}"
    return out


def agency_for_name(name: str) -> tuple[str, str]:
    """(id, name) for an agency named in a report: the registry's entry when known, else a new id."""
    agencies = load_agencies()
    entry = find_agency(name, agencies) or new_agency(name, agencies)
    return entry.id, entry.name


def _stem(division: str) -> str:
    stem = _AUTONOMOUS.sub("", division)
    if stem == division:
        stem = _SUFFIX.sub("", division)
    return stem if len(stem) >= 2 else division


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    for chinese, latin in PINYIN_PLACES.items():
        text = text.replace(chinese, f" {latin} ")
    return "".join(re.sub(r"[^a-z0-9]+", "", p.lower()) for p in lazy_pinyin(text))
