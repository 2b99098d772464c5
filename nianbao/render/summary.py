"""/explore/summary/: the aggregates (nianbao.aggregates) as a page and as CSV files.

Every total says how many agencies it counts: "合计（N 个有报告的机构中 M 个给出）". The province tile map
(nianbao.render.tilemap) shows one figure per province, chosen by year and measure (assets/tilemap.js
recolours it from the JSON on the page; without JavaScript the latest year's new requests show).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from ..aggregates import appeals_outcomes, ranking, refusal_grounds, totals
from ..measures import BY_ID
from . import esc, front_matter, href, json_script, num
from .explore_data import HERE as EXPLORE
from .tilemap import table_html, tiles_html

HERE = f"{EXPLORE}summary/"
TITLE = "汇总"
MAP_MEASURES = ("r.new_received", "r.granted", "s.refused", "s.unavailable", "a.review.total", "a.litigation_direct.total")
KEY_MEASURES = ("r.new_received", "r.granted", "r.partly_granted", "s.refused", "s.unavailable", "s.not_handled",
                "r.total_handled", "a.review.total", "a.litigation_direct.total", "a.litigation_after_review.total")
RANKED = ("r.new_received", "s.refused", "r.refused_internal")
TOP = 10


def summary_measures() -> list[str]:
    """The measures the page needs (the values frame is built for these only)."""
    wanted = {*MAP_MEASURES, *KEY_MEASURES, *RANKED}
    wanted |= {m for m in BY_ID if m.startswith(("r.refused_", "r.unavailable_", "r.not_handled_", "a."))}
    return sorted(wanted)


def _n(value) -> str:
    return num(None if value is None or pd.isna(value) else (int(value) if float(value).is_integer() else float(value)))


def _counted(total, given: int, reported: int) -> str:
    """A total with the agencies it counts; never a bare sum over the figures that happen to be given."""
    if reported == 0:
        return ""
    note = "全部给出" if given == reported else f"{reported} 个机构中 {given} 个给出"
    return f'{_n(total)}<span class="nb-change">（{note}）</span>'


def _csv(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    frame.to_csv(out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return "\ufeff" + out.getvalue()


def _table(caption: str, head: list[str], rows: list[list[str]], first_is_head: bool = True) -> str:
    heads = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join((f'<th scope="row">{c}</th>' if i == 0 and first_is_head else f"<td>{c}</td>")
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="nb-scroll"><table class="nb-list"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>")


def _over_years(frame: pd.DataFrame, measures: list[str], years: list[int], caption: str) -> str:
    cells = {(r.measure, r.year): _counted(r.total, r.given, r.reported) for r in frame.itertuples()}
    rows = [[esc(BY_ID[m].label), *(cells.get((m, y), "") for y in years)] for m in measures]
    return _table(caption, ["指标", *(f"{y} 年" for y in years)], rows)


def _regions(frame: pd.DataFrame, level: str, year: int, links: dict[str, str]) -> str:
    rows = []
    frame = frame[(frame["year"] == year) & frame["measure"].isin(KEY_MEASURES[:6])]
    keys = ("province",) if level == "province" else ("province", "city")
    places: dict[tuple, dict[str, dict]] = {}
    for r in frame.to_dict("records"):  # rows as dicts: a groupby with a frame per place costs more than the page
        places.setdefault(tuple(r[k] for k in keys), {})[r["measure"]] = r
    for names, by in sorted(places.items()):
        name = " ".join(esc(n) for n in names)
        if names[0] in links and level == "province":
            name = f'<a href="{href(HERE, links[names[0]])}">{name}</a>'
        cells = [(_counted(by[m]["total"], by[m]["given"], by[m]["reported"])
                  + f'<br><span class="nb-small">中位数 {_n(by[m]["median"])}</span>' if m in by else "") for m in KEY_MEASURES[:6]]
        rows.append([name, str(max(int(r["reported"]) for r in by.values())), *cells])
    label = "省级地区" if level == "province" else "地级地区"
    return _table(f"{year} 年各{label}：合计与中位数", [label, "有报告的机构", *(BY_ID[m].label for m in KEY_MEASURES[:6])], rows)


def _rankings(values: pd.DataFrame, year: int) -> str:
    out = []
    for m in RANKED:
        ranked = ranking(values, m, year)
        rows = [[str(r.rank), f'<a href="{href(HERE, f"agencies/{r.agency_id}/")}">{esc(r.agency_name)}</a>',
                 esc(" ".join(x for x in (r.province, r.city) if isinstance(x, str))), _n(r.value)]
                for r in ranked.head(TOP).itertuples()]
        note = f"；另有 {ranked.attrs['unranked']} 个机构的报告未给出此数，不参加排名" if ranked.attrs["unranked"] else ""
        out.append(_table(f"{year} 年 {BY_ID[m].label}：前 {TOP} 名（共 {len(ranked)} 个机构给出{note}）",
                          ["名次", "机构", "地区", BY_ID[m].label], rows))
    return "".join(out)


def _appeals(frame: pd.DataFrame) -> str:
    rows = []
    for r in frame.itertuples():
        rate = "不适用" if pd.isna(r.corrected_rate) else f"{r.corrected_rate:.1%}"
        rows.append([f"{r.year} 年 {esc(r.label)}", *(_counted(getattr(r, k), getattr(r, f"{k}_given"), r.reported)
                                                      for k in ("upheld", "corrected", "other", "pending", "total")),
                     f'{rate}<span class="nb-change">（{r.rate_given} 个机构）</span>'])
    return _table("行政复议和行政诉讼的结果（诉讼含直接起诉和复议后起诉）",
                  ["年度", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "纠正率"], rows)


def _map_data(province: pd.DataFrame) -> dict:
    """{year: {measure: {province: [total or null, given, reported]}}} for the tile map's script."""
    out: dict = {}
    for r in province[province["measure"].isin(MAP_MEASURES)].itertuples():
        total = None if pd.isna(r.total) else (int(r.total) if float(r.total).is_integer() else float(r.total))
        out.setdefault(str(r.year), {}).setdefault(r.measure, {})[r.province] = [total, int(r.given), int(r.reported)]
    return out


def summary_pages(values: pd.DataFrame, links: dict[str, str]) -> dict[str, str]:
    """The summary page and its CSVs; `links` maps a province's name to its region page."""
    head = front_matter(TITLE, hide=["toc", "navigation"]) + f"# {TITLE}\n\n"
    if values.empty:
        return {f"{HERE}index.md": head + "还没有可以汇总的报告。\n"}
    years = sorted(int(y) for y in values["year"].unique())
    latest = years[-1]
    country, province, city = (totals(values, level) for level in ("country", "province", "city"))
    grounds, appeals = refusal_grounds(values), appeals_outcomes(values)
    map_data = _map_data(province)
    default = {p: tuple(v) for p, v in map_data.get(str(latest), {}).get(MAP_MEASURES[0], {}).items()}
    caption = f"{latest} 年 {BY_ID[MAP_MEASURES[0]].label}：各省合计"
    selects = ('<div class="nb-controls nb-map-controls" hidden><label>年度 <select name="year">'
               + "".join(f'<option value="{y}"{" selected" if y == latest else ""}>{y}</option>' for y in years)
               + '</select></label><label>指标 <select name="measure">'
               + "".join(f'<option value="{m}">{esc(BY_ID[m].label)}</option>' for m in MAP_MEASURES) + "</select></label></div>")
    labels = {m: BY_ID[m].label for m in MAP_MEASURES}
    files = {"totals-country.csv": country, "totals-province.csv": province, "totals-city.csv": city,
             "refusal-grounds.csv": grounds, "appeals.csv": appeals}
    downloads = " · ".join(f'<a href="{name}" download>{name}</a>' for name in files)
    refusal_ids = list(dict.fromkeys(grounds["measure"]))
    body = (
        f'<div class="nb-page nb-summary nb-wide" data-pagefind-ignore data-root="{href(HERE, "")}">'
        "<p>按年度、地区汇总各机构报告的数字。每个合计都写明它加了多少个机构：“3 个机构中 2 个给出”表示该地区当年有 3 个机构的报告，"
        "其中 2 个给出了这个数字，合计只是这 2 个的和，不是全地区的总数。模板没有的项目不计入。"
        f'选择机构逐个比较见<a href="{href(HERE, EXPLORE)}">数据浏览</a>。</p>'
        f'<h2 id="map">各省地图</h2><p>每个方块是一个省级地区，大致按地理位置排列（不是地图，不画边界）；颜色越深数字越大；点击进入该地区页面。</p>'
        f"{selects}<div class=\"nb-map\">{tiles_html(HERE, default, links, caption)}"
        f"{table_html(HERE, default, links, caption)}</div>"
        f"<template class=\"nb-map-spec\">{json_script({'data': map_data, 'labels': labels, 'links': {p: href(HERE, path) for p, path in links.items()}}, 'nb-map-data')}</template>"
        f'<h2 id="country">全国各年度合计</h2>{_over_years(country, list(KEY_MEASURES), years, "各年度合计（括号内为给出此数的机构数）")}'
        f'<h2 id="provinces">各省合计与中位数</h2>{_regions(province, "province", latest, links)}'
        + "".join(f"<details><summary>{y} 年各省级地区</summary>{_regions(province, 'province', y, links)}</details>"
                  for y in reversed(years[:-1]))
        + f'<details><summary>各地级地区（{latest} 年）</summary>{_regions(city, "city", latest, links)}</details>'
        f'<h2 id="rankings">排名</h2>{_rankings(values, latest)}'
        f'<h2 id="grounds">不予公开、无法提供、不予处理的理由</h2>{_over_years(grounds, refusal_ids, years, "各理由各年度合计")}'
        f'<h2 id="appeals">行政复议和行政诉讼</h2><p>纠正率＝结果纠正 ÷（结果维持＋结果纠正＋其他结果），'
        f"只计三项都给出的机构，括号内为这些机构的个数；尚未审结的不计。</p>{_appeals(appeals)}"
        f'<h2 id="downloads">下载</h2><p>{downloads}</p>'
        f'<link rel="stylesheet" href="{href(HERE, "assets/nianbao/explore.css")}">'
        f'<script src="{href(HERE, "assets/nianbao/tilemap.js")}"></script></div>\n'
    )
    out = {f"{HERE}index.md": head + body}
    for name, frame in files.items():
        out[f"{HERE}{name}"] = _csv(frame)
    return out
