"""The three tables as grids of cells, laid out as the template lays them out (header rows included).

A grid is a list of rows; a row is a list of cells (str). Numbers are already formatted by the caller's
`fmt(value, column)`, so one grid can be printed in any layout (layouts.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .. import template as T

Fmt = Callable[[object, str], str]

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def proactive_grid(tpl: str, table: dict, fmt: Fmt, glue: set[str] = frozenset()) -> list[list[str]]:
    """Table 二; rows named in `glue` print their numbers as one run in one cell (a damaged row)."""
    labels = T.PROACTIVE_COLUMN_LABELS_2019 if tpl == "2019" else T.PROACTIVE_COLUMN_LABELS
    grid: list[list[str]] = []
    item = None
    for row in T.PROACTIVE_ROWS[tpl]:
        if row.item != item:
            item = row.item
            grid.append([item])
            grid.append(["信息内容", *(labels[c] for c in row.columns)])
        if row.key in glue:  # plain digits run together, as web text prints them
            grid.append([row.label, "".join(str(table[row.key][c]) for c in row.columns)])
        else:
            grid.append([row.label, *(fmt(table[row.key][c], c) for c in row.columns)])
    return grid


def request_label_cells(tpl: str) -> list[list[str]]:
    """Each row of table 三 as its three label cells: top group, subgroup, item (blank where merged)."""
    out = []
    group = sub = None
    for row in T.REQUEST_ROWS[tpl]:
        if row.group == "三、本年度办理结果" or not row.group:
            top = row.group if row.group and row.group != group else ""
            cells = [top if row.result or row.key == "total_handled" else row.label, "", ""]
            if row.group:
                cells[1] = row.label
            group = row.group or group
            sub = None
        else:
            cells = ["", row.group if row.group != sub else "", row.label]
            sub = row.group
        if not row.group:
            cells = [row.label, "", ""]
        out.append(cells)
    return out


def request_header(split_words: bool = False) -> list[list[str]]:
    """The three header rows of table 三 (merged cells blank); `split_words` breaks 商业企业 → 商业\\n企业."""

    def w(label: str) -> str:
        return label[:2] + "\n" + label[2:] if split_words and len(label) == 4 else label

    six = [w(T.APPLICANT_LABELS[c]) for c in T.APPLICANT_COLUMNS[1:6]]
    return [
        [TABLE3_NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", T.APPLICANT_LABELS["natural_person"], T.APPLICANT_GROUP_LABEL, "", "", "", "", "总计"],
        ["", "", "", "", *six, ""],
    ]


def request_rows(tpl: str, table: dict, fmt: Fmt, blank: set[tuple[str, str]] = frozenset()) -> list[list[str]]:
    """Table 三's rows: three label cells and seven numbers; the cells named in `blank` printed empty."""
    labels = request_label_cells(tpl)
    return [
        [*lab, *("" if (row.key, c) in blank else fmt(table[row.key][c], c) for c in T.APPLICANT_COLUMNS)]
        for lab, row in zip(labels, T.REQUEST_ROWS[tpl], strict=True)
    ]


def appeal_header(split_words: bool = False) -> list[list[str]]:
    def w(label: str) -> str:
        return label[:2] + "\n" + label[2:] if split_words and len(label) == 4 else label

    five = [w(T.APPEAL_COLUMN_LABELS[c]) for c in T.APPEAL_COLUMNS]
    return [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*five, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *five, *five],
    ]


def appeal_values(table: dict, fmt: Fmt) -> list[str]:
    return [fmt(table[g][c], c) for g in T.APPEAL_GROUPS for c in T.APPEAL_COLUMNS]
