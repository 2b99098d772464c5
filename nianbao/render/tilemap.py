"""A tile map of the provinces: one square each, in its rough geographic place, coloured by a figure.

No outline of the country or of any province is drawn (publishing an outline map of China requires an
approved map). Each tile links to its region page; a table beside it says the same in words.
"""

from __future__ import annotations

from . import esc, href, num
from .regions import short_place

# (column, row) on a 7 × 8 grid, west → east, north → south.
TILES: dict[str, tuple[int, int]] = {
    "黑龙江": (6, 0),
    "内蒙古": (3, 1), "北京": (4, 1), "辽宁": (5, 1), "吉林": (6, 1),
    "新疆": (0, 2), "宁夏": (2, 2), "山西": (3, 2), "河北": (4, 2), "天津": (5, 2),
    "青海": (0, 3), "甘肃": (1, 3), "陕西": (2, 3), "河南": (3, 3), "山东": (4, 3),
    "西藏": (0, 4), "四川": (1, 4), "重庆": (2, 4), "湖北": (3, 4), "安徽": (4, 4), "江苏": (5, 4),
    "云南": (1, 5), "贵州": (2, 5), "湖南": (3, 5), "江西": (4, 5), "浙江": (5, 5), "上海": (6, 5),
    "广西": (2, 6), "广东": (3, 6), "福建": (4, 6), "台湾": (6, 6),
    "海南": (2, 7), "澳门": (3, 7), "香港": (4, 7),
}
COLUMNS, ROWS = 7, 8
BINS = 5


def tile_of(province: str) -> str | None:
    """The tile of a province's full name (浙江省 → 浙江, 宁夏回族自治区 → 宁夏), None when it has none."""
    short = short_place(province)
    return short if short in TILES else None


def bins(values: list[float]) -> list[float]:
    """The upper bounds of BINS equal steps from 0 to the largest value (none when there is no value)."""
    top = max(values, default=0)
    return [top * (i + 1) / BINS for i in range(BINS)] if top > 0 else []


def bin_of(value: float | None, bounds: list[float]) -> int:
    """0 for no figure; 1 for 0 and the lowest step … BINS for the highest."""
    if value is None:
        return 0
    return next((i + 1 for i, b in enumerate(bounds) if value <= b), 1 if not bounds else BINS)


def tiles_html(here: str, values: dict[str, tuple[float | None, int, int]], links: dict[str, str], caption: str) -> str:
    """The grid: `values` maps a province's full name to (total, agencies giving it, agencies reporting);
    `links` maps it to its region page's site path."""
    bounds = bins([v for v, _, _ in values.values() if v is not None])
    full = {tile_of(p): p for p in {*values, *links} if tile_of(p)}
    cells = []
    for short, (col, row) in sorted(TILES.items(), key=lambda t: (t[1][1], t[1][0])):
        province = full.get(short)
        value, given, reported = values.get(province, (None, 0, 0)) if province else (None, 0, 0)
        shown = num(value) if value is not None else "无数据"
        label = f"{short}：{'无数据' if value is None else num(value)}" + (f"（{reported} 个机构中 {given} 个给出）" if reported else "")
        style = f"grid-column:{col + 1};grid-row:{row + 1}"
        inner = f'<span>{esc(short)}</span><span class="nb-tile-value">{shown if value is not None else "–"}</span>'
        cls = f"nb-tile nb-tile-{bin_of(value, bounds)}"
        attrs = f'class="{cls}" style="{style}" data-province="{esc(province or short)}" title="{esc(label)}"'
        if province and province in links:
            cells.append(f'<a {attrs} href="{href(here, links[province])}" aria-label="{esc(label)}">{inner}</a>')
        else:
            cells.append(f'<span {attrs} aria-hidden="true">{inner}</span>')
    legend = "".join(f'<li><span class="nb-tile nb-tile-{i + 1}"></span>≤ {num(round(b, 2))}</li>' for i, b in enumerate(bounds))
    return (f'<figure class="nb-tilemap"><figcaption>{esc(caption)}</figcaption><div class="nb-tiles">{"".join(cells)}</div>'
            f'<ul class="nb-legend"><li><span class="nb-tile nb-tile-0"></span>无数据</li>{legend}</ul></figure>')


def table_html(here: str, values: dict[str, tuple[float | None, int, int]], links: dict[str, str], caption: str) -> str:
    """The map as a table: every province with a figure or agencies, its total and how many agencies count."""
    rows = []
    for province in sorted(values, key=lambda p: (-(values[p][0] or -1), p)):
        value, given, reported = values[province]
        name = f'<a href="{href(here, links[province])}">{esc(province)}</a>' if province in links else esc(province)
        rows.append(f'<tr><th scope="row">{name}</th><td>{num(value)}</td><td>{given}</td><td>{reported}</td></tr>')
    return (f'<div class="nb-scroll"><table class="nb-list nb-tile-table"><caption>{esc(caption)}</caption>'
            '<thead><tr><th scope="col">省级地区</th><th scope="col">合计</th><th scope="col">给出此数的机构</th>'
            f'<th scope="col">有报告的机构</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
