"""/downloads/: the page listing the download files (render/downloads.py writes them) and each agency's
key figures file."""

from __future__ import annotations

from . import compress, esc, front_matter

_LIST = (
    ("reports.csv", "全部数字，长表：每行一个数字，附机构、地区、年度、表、行、列及模板中的中文名称。UTF-8（带 BOM），Excel 可直接打开。"),
    ("key_figures.csv", "每个机构每年一行：新收申请、予以公开、不予公开、公开率、主动公开、行政复议、行政诉讼等主要数字（与比较页相同）；数字为空时，其后的状态列写明未提供、无法识别或不适用。"),
    ("problems.csv", "每份报告的问题：缺失的表、无法识别的数字、不成立的勾稽关系、逾期公布、正文与表格不一致。"),
    ("nianbao.xlsx", "以上三张表的 Excel 文件，中文表头，首行冻结。"),
    ("records.json", "全部记录（JSON），结构见 report.schema.json。"),
    ("report.schema.json", "记录的 JSON Schema。"),
    ("datapackage.json", "Frictionless Data Package：说明每个 CSV 的字段、类型（中英文）。"),
)


def render_downloads_page(agencies: dict[str, tuple[str, str, int]], version: str = "",
                          gz: bool = False) -> str:
    """/downloads/: the files, what each holds, and each agency's key figures (`gz`: the long files gzipped)."""
    names = {name: compress.published(name, gz) for name, _ in _LIST}
    items = "".join(f'<li><a href="{names[name]}" download>{names[name]}</a>：{esc(text)}'
                    f'{compress.NOTE if names[name] != name else ""}</li>' for name, text in _LIST)
    rows = "".join(
        f'<tr><td>{esc(name)}</td><td>{esc(province)}</td>'
        f'<td>{years}</td><td><a href="agencies/{esc(a)}.csv" download>{esc(a)}.csv</a></td></tr>'
        for a, (name, province, years) in agencies.items()
    )
    note = f"<p>数据版本 <code>{esc(version)}</code>。引用数据时请注明版本。</p>" if version else ""
    return (
        front_matter("下载", hide=["toc"]) + "# 下载\n\n<div class=\"nb-page nb-downloads\">"
        "<p>本站的全部数据都可以下载。空白单元格表示报告没有给出这个数字（不是 0）；数字照报告原样，不作修改，"
        "不成立的勾稽关系列在 problems.csv 中。</p>"
        f"{note}<ul>{items}</ul>"
        "<h2 id=\"agencies\">各机构的主要数字</h2>"
        "<table><thead><tr><th>机构</th><th>省级</th><th>年度数</th><th>CSV</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>\n"
    )
