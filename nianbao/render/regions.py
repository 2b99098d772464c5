"""Regions: province → city → county from the registry, their ASCII slugs (pinyin), and their pages.

A region page lists the regions under it and the agencies placed directly at its level, so no page
grows with the size of the whole country.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

from ..registry import AgencyEntry
from . import esc, front_matter, href
from .charts import key_figures
from .status import figure_html

UNKNOWN = "未注明地区"
UNKNOWN_SLUG = "unknown"


def place_names(agency: AgencyEntry) -> tuple[str, ...]:
    """The agency's place, outermost first; an agency without a province sits under 未注明地区."""
    names = tuple(n for n in (agency.province, agency.city, agency.county) if n)
    return names if agency.province else (UNKNOWN, *names)


# The 55 minorities as they appear in autonomous places' names (乳源瑶族自治县, 酉阳土家族苗族自治县), longest first.
_NATIONALITY_TEXT = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
)
_NATIONALITIES = sorted(_NATIONALITY_TEXT.split(), key=len, reverse=True)
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "县", "区", "旗", "盟", "州")


def short_place(name: str) -> str:
    """A place without its administrative suffix, as people search for it: 额济纳旗 → 额济纳,
    酉阳土家族苗族自治县 → 酉阳, 宁夏回族自治区 → 宁夏; the name itself when that would leave one character."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                while True:
                    nation = next((n for n in _NATIONALITIES if stem.endswith(n + "族") and len(stem) > len(n) + 2), None)
                    if nation is None:
                        break
                    stem = stem[: -len(nation) - 1]
            return stem if len(stem) >= 2 else name
    return name


def _pinyin(name: str, style: Style) -> str:
    out = "".join(p for p in lazy_pinyin(name, style=style) if p.isascii()).lower()
    return "".join(c for c in out if c.isalnum()) or "x" + hashlib.sha1(name.encode()).hexdigest()[:8]


def slugs_for(names: Iterable[str]) -> dict[str, str]:
    """Sibling names → slugs: plain pinyin; tone numbers where two siblings sound alike (山西/陕西);
    a short hash of the name as the last resort. Each slug depends only on the set of siblings."""
    names = sorted(set(names))
    plain = {n: (UNKNOWN_SLUG if n == UNKNOWN else _pinyin(n, Style.NORMAL)) for n in names}
    out = {}
    for n in names:
        if sum(1 for s in plain.values() if s == plain[n]) == 1:
            out[n] = plain[n]
            continue
        toned = _pinyin(n, Style.TONE3)
        clash = sum(1 for m in names if plain[m] == plain[n] and _pinyin(m, Style.TONE3) == toned)
        out[n] = toned if clash == 1 else f"{toned}-{hashlib.sha1(n.encode()).hexdigest()[:6]}"
    return out


@dataclass
class Region:
    names: tuple[str, ...]  # () is the root (all regions)
    path: str  # site path, "regions/zhejiang/jiaxing/"
    children: dict[str, Region] = field(default_factory=dict)
    agencies: list[str] = field(default_factory=list)  # agency ids placed at this level

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else "全部地区"

    def count(self) -> int:
        return len(self.agencies) + sum(c.count() for c in self.children.values())

    def walk(self) -> Iterable[Region]:
        yield self
        for key in sorted(self.children):
            yield from self.children[key].walk()


def region_tree(agencies: dict[str, AgencyEntry]) -> Region:
    """The tree of regions holding the agencies; every list sorted, so pages come out the same."""
    root = Region((), "regions/")
    by_parent: dict[tuple[str, ...], set[str]] = {}
    for agency in agencies.values():
        names = place_names(agency)
        for i, name in enumerate(names):
            by_parent.setdefault(names[:i], set()).add(name)
    slugs = {parent: slugs_for(children) for parent, children in by_parent.items()}
    for agency_id in sorted(agencies):
        node = root
        names = place_names(agencies[agency_id])
        for i, name in enumerate(names):
            if name not in node.children:
                node.children[name] = Region(names[: i + 1], f"{node.path}{slugs[names[:i]][name]}/")
            node = node.children[name]
        node.agencies.append(agency_id)
    return root


def find_region(root: Region, query: str) -> Region | None:
    """A province or city by its name or slug (`--only 浙江省`, `--only zhejiangsheng/jiaxingshi`)."""
    query = query.strip().strip("/")
    for region in root.walk():
        if region.names and len(region.names) <= 2 and (
            region.name == query or region.path.removeprefix("regions/").strip("/") == query
        ):
            return region
    return None


def breadcrumbs(root: Region, names: tuple[str, ...], from_dir: str) -> str:
    """地区 › 浙江省 › 嘉兴市 as links."""
    parts = [f'<a href="{href(from_dir, root.path)}">地区</a>']
    node = root
    for name in names:
        node = node.children[name]
        parts.append(f'<a href="{href(from_dir, node.path)}">{esc(name)}</a>')
    return '<nav class="nb-crumbs" aria-label="所在地区">' + " › ".join(parts) + "</nav>"


def render_region(region: Region, root: Region, agencies: dict[str, AgencyEntry], latest: dict) -> str:
    """One region page: its sub-regions with counts, then its agencies with their latest key figures.

    `latest` maps agency id → its latest Report (or is missing the id when it has none).
    """
    here = region.path
    out = [front_matter(region.name if region.names else "地区", hide=["toc"])]
    out.append('<div class="nb-page nb-wide">')
    if region.names:
        out.append(breadcrumbs(root, region.names[:-1], here))
    out.append(f'<h1 data-pagefind-meta="title">{esc(region.name)}</h1>')
    out.append(f"<p>共 {region.count()} 个机构。</p>")
    if region.children:
        items = "".join(
            f'<li><a href="{href(here, c.path)}">{esc(c.name)}</a>（{c.count()} 个机构）</li>'
            for _, c in sorted(region.children.items())
        )
        out.append(f'<h2 id="subregions">下级地区</h2><ul class="nb-regions">{items}</ul>')
    listed = _listed(region)
    if listed:
        whole = len(listed) == region.count()
        out.append(f'<h2 id="agencies">{"本地区机构" if whole else "本级机构"}</h2>')
        if not whole:
            out.append(f"<p>下级地区的机构见各地区页面（共 {region.count()} 个）。</p>")
        out.append(agency_table(here, listed, agencies, latest))
    if not region.children and not region.agencies:
        out.append("<p>还没有任何报告。</p>")
    out.append("</div>")
    return out[0] + "\n".join(out[1:]) + "\n"


LIST_LIMIT = 200  # a region page lists every agency below it up to this many, else only its own level


def _listed(region: Region) -> list[tuple[str, str]]:
    """(agency id, its place below this region): the whole subtree when small, else this level only."""
    if region.count() > LIST_LIMIT:
        return [(a, "") for a in region.agencies]
    out = []
    for node in region.walk():
        below = "".join(node.names[len(region.names):])
        out.extend((a, below) for a in node.agencies)
    return out


def agency_table(here: str, listed: list[tuple[str, str]], agencies: dict[str, AgencyEntry], latest: dict) -> str:
    """Agencies with their latest year's key figures (names are indexed; the numbers are not)."""
    rows = []
    for agency_id, place in listed:
        agency, report = agencies[agency_id], latest.get(agency_id)
        figs = key_figures(report) if report else {}
        cells = "".join(f'<td data-pagefind-ignore>{figure_html(report, k, figs.get(k)) if report else ""}</td>' for k in ("requests_received", "granted", "refused"))
        year = f"{report.year}" if report else "暂无报告"
        rows.append(
            f'<tr><th scope="row"><a href="{href(here, f"agencies/{agency_id}/")}">{esc(agency.name)}</a></th>'
            f"<td>{esc(place)}</td><td>{esc(agency.kind or '')}</td><td data-pagefind-ignore>{year}</td>{cells}</tr>"
        )
    return (
        '<div class="nb-scroll"><table class="nb-list"><thead><tr><th>机构</th><th>地区</th><th>类别</th><th>最新年度</th>'
        f"<th>新收申请</th><th>予以公开</th><th>不予公开</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
