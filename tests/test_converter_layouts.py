"""Converter layouts of table 三 in small, exact cases: figures wrapped in narrow cells, labels laid out
apart from their figures, damaged labels. The whole converter matrix is in test_converters.py."""

from __future__ import annotations

import random

from nianbao import template as T
from nianbao.parse import parse_text

from .layouts import consistent_table, frame_with_table3, render_table3


def _table(seed: int = 7) -> dict[str, tuple[int, ...]]:
    values = consistent_table(random.Random(seed), scale=300)
    values["granted"] = (290, 1, 0, 0, 3, 0, 294)
    return values


def _with_row(values, key: str, printed: str) -> str:
    """Table 三 in the `spaces` layout with one row printed as given (its label kept)."""
    text = render_table3(values, "spaces")
    row = next(r for r in T.REQUEST_ROWS["2021"] if r.key == key)
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if row.label in line)
    lines[i] = lines[i].split(row.label)[0] + row.label + "  " + printed
    return frame_with_table3("\n".join(lines))


def _cells(report, key: str) -> tuple:
    return tuple(getattr(report.requests, key).model_dump().values())


def test_figure_wrapped_in_reading_order_is_joined():
    """pdftotext -raw and pypdfium2: 290 printed as 29 over 0, 294 as 29 over 4."""
    values = _table()
    report = parse_text(_with_row(values, "granted", "29\n0\n1 0 0 3 0 29\n4"))
    assert _cells(report, "granted") == (290, 1, 0, 0, 3, 0, 294)


def test_figure_wrapped_below_its_row_is_joined():
    """pdfplumber and pdftotext -layout: the row's line, then a line with the rest of the wide figures."""
    values = _table()
    report = parse_text(_with_row(values, "granted", "29 1 0 0 3 0 29\n0 4"))
    assert _cells(report, "granted") == (290, 1, 0, 0, 3, 0, 294)


def test_figure_wrapped_below_a_wrapped_label_is_joined():
    """pdfplumber: the rest of 101 comes after a line of the group label the row sits in (理结果)."""
    values = _table()
    values["partly_granted"] = (99, 0, 0, 0, 2, 0, 101)
    report = parse_text(_with_row(values, "partly_granted", "99 0 0 0 2 0 10\n理结果\n1\n只计这一情形，不计其他情形）"))
    assert _cells(report, "partly_granted") == (99, 0, 0, 0, 2, 0, 101)


def test_wrapped_figures_that_join_more_than_one_way_stay_null():
    """`10 10 0 0 0 0 11` over `1 1` is 101|10|…|111 or 10|101|…|111: the row total admits both."""
    values = _table()
    values["granted"] = (101, 10, 0, 0, 0, 0, 111)
    text = _with_row(values, "granted", "10 10 0 0 0 0 11\n1 1")
    # Without the column totals (its (七) 总计 row printed with no figures) nothing decides between them.
    row = next(r for r in T.REQUEST_ROWS["2021"] if r.key == "total_handled")
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if line.strip().startswith(row.label))
    lines[i] = row.label
    report = parse_text("\n".join(lines))
    assert _cells(report, "granted") == (None,) * 7
    assert any(p.code == "cells-ambiguous" and p.row == "granted" for p in report.problems)


def _apart(rows: list[tuple[int, ...]]) -> str:
    """Plain pdftotext: every label, then each column heading with that column's figures, one a line."""
    labels = "\n".join(r.label for r in T.REQUEST_ROWS["2021"])
    columns = "\n\n".join(f"{T.APPLICANT_LABELS[c]}\n" + "\n".join(str(row[i]) for row in rows if row[i] is not None)
                          for i, c in enumerate(T.APPLICANT_COLUMNS))
    return f"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n申请人情况\n{labels}\n\n{columns}"


def test_labels_laid_out_apart_from_their_figures_are_never_paired():
    """Nothing is read by adjacency to a label: the figures are placed by their blocks (a column of all
    the rows under each heading), and a column with a blank cell (one figure fewer) leaves all null."""
    n = len(T.REQUEST_ROWS["2021"])
    rows = [(i, 1, 0, 0, 0, 0, i + 1) for i in range(n)]
    report = parse_text(frame_with_table3(_apart(rows)))
    got = [tuple(r.values()) for r in report.requests.model_dump().values()]
    assert got == rows
    assert any(p.code == "read-from-blocks" for p in report.problems)
    rows[3] = (3, None, 0, 0, 0, 0, 3)
    report = parse_text(frame_with_table3(_apart(rows)))
    assert report.requests is None or all(v is None for row in report.requests.model_dump().values()
                                          for v in row.values())
    assert any(p.code == "labels-apart" for p in report.problems)


def test_damaged_label_read_only_when_uniquely_close():
    values = _table()
    # 禁止 read as 止 and 法规 lost: three characters off, closest to one label only.
    text = _with_row(values, "refused_prohibited", " ".join(map(str, values["refused_prohibited"])))
    damaged = parse_text(text.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"))
    assert _cells(damaged, "refused_prohibited") == values["refused_prohibited"]
    assert [p.row for p in damaged.problems if p.code == "label-approximate"] == ["refused_prohibited"]
    # Damaged beyond recognition: the row is missing, its figures are nobody's.
    lost = parse_text(text.replace("2.其他法律行政法规禁止公开", "2.其他止公"))
    assert _cells(lost, "refused_prohibited") == (None,) * 7
    assert any(p.code == "row-missing" and p.row == "refused_prohibited" for p in lost.problems)
    assert _cells(lost, "refused_state_secret") in (values["refused_state_secret"], (None,) * 7)
