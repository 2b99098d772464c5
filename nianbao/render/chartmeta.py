"""What a chart's grapher tabs say besides its figure (assets/grapher.js): the `nb-chart-meta` JSON.

Each measure's definition as the national template words it (nianbao.template), how a derived rate is
computed, the reports that feed the chart with their problems, the data version, the licence, the CSV's
name and the view's permanent address. The explorer builds the same JSON in the browser; the keys are
the Chart DOM contract (grapher.js reads them, and nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import template as T
from ..analysis import BY_KEY
from ..citation import SITE_NAME

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
LICENCE_NOTE = "记录与图表数据以 CC BY 4.0 发布（须注明来源）；报告原文属各发布机关"

_T2, _T3, _T4 = (f"表「{T.TABLE_LABELS[t]}」" for t in ("proactive", "requests", "appeals"))
_ROWS = {row.key: row for row in T.REQUEST_ROWS["2021"] + T.REQUEST_ROWS["2019"]}


def _row(key: str, column: str = "总计") -> str:
    row = _ROWS[key]
    return f"{_T3}中「{row.group}{row.label}」行的“{column}”列" if row.group else f"{_T3}中「{row.label}」行的“{column}”列"


def _group(group: str, template: str = "2021") -> str:
    rows = [r.label for r in T.REQUEST_ROWS[template] if r.group == group]
    return (f"{_T3}中「{group}」下 {len(rows)} 行（{'；'.join(rows)}）“总计”列之和；"
            "其中一行未提供，合计即为未提供（不当作 0）")


def _appeals(groups: tuple[str, ...], column: str) -> str:
    names = "与".join(f"「{T.APPEAL_GROUP_LABELS[g]}」" for g in groups)
    return f"{_T4}中{names}的“{T.APPEAL_COLUMN_LABELS[column]}”" + ("之和" if len(groups) > 1 else "")


def _decisions(row: str) -> str:
    item = next(r for r in T.PROACTIVE_ROWS["2021"] if r.key == row)
    return (f"{_T2}中「{item.item} {item.label}」的“{T.PROACTIVE_COLUMN_LABELS['decisions']}”"
            f"（2019 年版称“{T.PROACTIVE_COLUMN_LABELS_2019['decisions']}”）")


DEFINITIONS: dict[str, str] = {
    "requests_received": _row("new_received"),
    "granted": _row("granted"),
    "partly_granted": _row("partly_granted"),
    "refused": _group("（三）不予公开"),
    "unavailable": _group("（四）无法提供"),
    "not_handled": _group("（五）不予处理"),
    "other_handling": (f"2019 年版{_T3}中「（六）其他处理」行的“总计”列；2021 年版为"
                       + _group("（六）其他处理").removeprefix(_T3 + "中")),
    "total_handled": _row("total_handled"),
    "carried_forward": _row("carried_forward"),
    "grant_rate": "予以公开 ÷ 办理总计",
    "proactive_items": "报告正文写明的主动公开政府信息条数（如“主动公开政府信息 N 条”），不是表格中的数字",
    "licensing": _decisions("licensing"),
    "penalties": _decisions("penalty"),
    "reconsiderations": _appeals(("review",), "total"),
    "lawsuits": _appeals(("litigation_direct", "litigation_after_review"), "total"),
    "lawsuits_lost": _appeals(("litigation_direct", "litigation_after_review"), "corrected"),
}
# How a rate is derived: only where both figures are known and the denominator is not 0 (analysis.rate).
DERIVED: dict[str, str] = {
    "grant_rate": f"公开率 = 予以公开 ÷ 办理总计（{_ROWS['total_handled'].label}）；两个数字都已给出且办理总计不为 0 "
                  "时才计算，否则为未提供",
}


def measure(key: str) -> dict:
    """One measure as the sources tab lists it: its column header, unit, definition and, for a rate, how."""
    figure = BY_KEY[key]
    out = {"key": key, "label": figure.label, "unit": figure.unit, "definition": DEFINITIONS[key]}
    if key in DERIVED:
        out["derived"] = DERIVED[key]
    return out


@dataclass(frozen=True)
class Feed:
    """A report that feeds a chart: its year, its page on the site, its source, its problems."""

    year: int
    page: str  # the report page's site path (agencies/<id>/<year>/)
    source: str  # the address it was published at, else its file
    problems: str  # status.summary of its problems ("" for none)


def chart_meta(*, title: str, unit: str, keys: tuple[str, ...], feeds: tuple[Feed, ...], agency: str,
               csv: str, here: str, anchor: str, version: str, site_url: str, link) -> dict:
    """The `nb-chart-meta` JSON of one chart on the page `here` (`link(here, path)` makes a relative link).

    The permalink is absolute when the site's address is known; else "" and grapher.js uses the address
    the reader is on (never an invented host)."""
    return {
        "title": title, "subject": agency, "unit": unit, "site": SITE_NAME,
        "measures": [measure(k) for k in keys],
        "sources": [{"report": f"{agency} {f.year} 年政府信息公开工作年度报告", "year": f.year,
                     "page": link(here, f.page), "url": f.source if f.source.startswith(("http://", "https://")) else "",
                     "file": "" if f.source.startswith(("http://", "https://")) else f.source,
                     "problems": f.problems, "problems_page": link(here, f.page) + "#problems" if f.problems else ""}
                    for f in feeds],
        "version": version, "licence": LICENCE, "licence_url": LICENCE_URL, "licence_note": LICENCE_NOTE,
        "csv": csv, "anchor": anchor,
        "permalink": f"{site_url}{here}#{anchor}" if site_url else "",
    }
