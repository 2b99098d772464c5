"""Table 三 (收到和处理政府信息公开申请情况): rows found by their labels, cells read from the text after them.

Each row is anchored on its label (searched in the squeezed text, so broken and padded labels match);
the numbers between a label and the next one are the row's cells, read from the real text with their
separators. Where a converter glued cells into one digit run, a cut is kept only when the template's
arithmetic leaves exactly one (row totals, then column totals and the balance across rows); otherwise
the cells stay null and a problem keeps the run as printed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from .. import template as T
from ..model import Problem
from . import blocks, stacked, totals
from . import cells as C
from . import spans as S
from .columns import T3_COLUMN_WORDS, labels_apart, laid_apart
from .labels import find_approximate
from .numbers import Token, cell_candidates, tokens
from .result import TableResult, make_problem, printed_text
from .text import Doc
from .wraps import join_candidates

# Row keys → the distinctive part of their label (squeezed, punctuation folded).
_REQUEST_KEYS: dict[str, str] = {
    # A distinctive core, then the rest of the label optional piece by piece: a label wrapped in its
    # cell still matches (the digit-free view joins it across its own numbers).
    "new_received": r"本年(?:度)?新收(?:到)?(?:的)?(?:政府信息公开)?(?:申请)?(?:数量|数|件数)?",
    "carried_over": r"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:数量|数|件数)?",
    "granted": r"予以公开",
    "partly_granted": r"部分公开(?:\([^)]{0,40}\))?",
    "refused_state_secret": r"(?:属于)?国家秘密",
    "refused_prohibited": r"(?:其他)?法律行政法规(?:禁止)?(?:公开)?",
    "refused_security": r"(?:危及)?[\"']?三安全(?:一稳定)?[\"']?",
    "refused_third_party": r"(?:保护)?第三方(?:合法)?(?:权益)?",
    "refused_internal": r"(?:属于)?三类内部(?:事务)?(?:信息)?",
    "refused_process": r"(?:属于)?四类过程(?:性)?(?:信息)?",
    "refused_enforcement_file": r"(?:属于)?行政执法案卷",
    "refused_query": r"(?:属于)?行政查询(?:事项)?",
    "unavailable_not_held": r"(?:本机关)?不掌握(?:相关)?(?:政府)?(?:信息)?",
    "unavailable_needs_creation": r"(?:没有现成(?:信息)?(?:需要)?(?:另行)?(?:制作)?|需要?另行制作)",
    "unavailable_unclear": r"(?:补正后(?:申请)?(?:内容)?(?:仍)?(?:不明确)?|申请内容仍不明确)",
    "not_handled_complaint": r"信访举报(?:投诉)?(?:类)?(?:申请)?",
    "not_handled_repeat": r"重复申请",
    "not_handled_publication": r"(?:要求)?提供公开出版物",
    "not_handled_excessive": r"(?:无正当理由)?大量反复?(?:申请)?",  # 复 may be cut off by a page break
    "not_handled_confirmation": r"(?:要求行政机关)?确认或(?:重新)?(?:出具)?(?:已获取)?(?:信息)?",
    "other_handling": r"其他处理",
    "other_no_correction": r"(?:申请人无正当理由(?:逾期)?|无正当理由逾期)(?:不补正)?[,、]?(?:行政机关)?(?:不再处理其?(?:政府信息公开)?申请)?",
    "other_unpaid_fee": r"(?:申请人)?逾期未按收费通知(?:要求)?(?:缴纳费用)?[,、]?(?:行政机关)?(?:不再处理其?(?:政府信息公开)?申请)?",
    "other_other": r"其他(?!处理)",
    "total_handled": r"(?:\(七\))?总计",
    "carried_forward": r"结转下年度?(?:继续)?(?:办理)?",
}
_REQUEST_PATTERNS = {k: re.compile(v) for k, v in _REQUEST_KEYS.items()}

_T3_START = re.compile(r"勾稽关系|申请人情况|本年(?:度)?新收")

# Table 三 ------------------------------------------------------------------------------------------


def parse_requests(doc: Doc, tpl: str, start: int, end: int) -> TableResult:
    rows = T.REQUEST_ROWS[tpl]
    anchor = doc.search(_T3_START, start, end)
    if anchor is None:
        return TableResult(None, [make_problem(doc, "table3-missing", "表三（收到和处理政府信息公开申请情况）未找到：报告中没有这张表或表格被截断", start, severity="error", table="requests")])
    pos = anchor[1].start
    found: dict[str, tuple[int, int]] = {}
    for row in rows:
        hit = doc.search(_REQUEST_PATTERNS[row.key], pos, end, view="alpha")
        if hit:
            found[row.key] = (hit[1].start, hit[1].end)
            pos = hit[1].end
    approximate = _approximate_labels(doc, rows, found, anchor[1].start, end)
    if len(found) < 3:
        return TableResult(None, [make_problem(doc, "table3-missing", "表三（收到和处理政府信息公开申请情况）的行未找到：表格被截断或缺失", anchor[1].start, severity="error", table="requests", text=printed_text(doc, anchor[1].start, min(end, anchor[1].start + 120)))])
    order = [r.key for r in rows if r.key in found]
    problems: list[Problem] = [
        make_problem(doc, "label-approximate", f"表三“{label}”行的标签印作“{printed}”（转换或识别损坏了文字），按与之唯一最接近的模板标签读取", found[key][0], severity="info", table="requests", row=key, text=printed)
        for key, label, printed in approximate
    ]
    cands: dict[str, Any] = {}
    zones: dict[str, tuple[int, int, list[Token]]] = {}
    fields: dict[str, list[str] | None] = {}
    table_end = anchor[1].start
    either: set[str] = set()  # rows whose figures may be those printed above or below the label
    stray = C.stray_figure_rows(doc, anchor[1].start, end, min(s for s, _ in found.values()))
    for i, key in enumerate(order):
        # From the label's start: a wrapped label has its row's numbers inside it.
        lend = found[key][0]
        zend = found[order[i + 1]][0] if i + 1 < len(order) else end
        zone = doc.text[lend:zend]
        toks = tokens(zone, lend)
        if len(toks) > 7:
            # More numbers than cells: a blank line after the row's first number ends the row (what
            # follows, e.g. table 四 with its heading lost, is another table).
            gap = re.search(r"\n[ \t\u3000]*\n", zone[toks[0].start - lend:])
            if gap:
                zend = toks[0].start + gap.start()
                zone = doc.text[lend:zend]
                toks = tokens(zone, lend)
            whole = C.later_whole_row(doc, toks[0].start, zend, 7)
            if whole is not None:  # a whole row of figures below the row's own: the next row's, above its label
                zend = whole
                zone = doc.text[lend:zend]
                toks = tokens(zone, lend)
        zones[key] = (lend, zend, toks)
        if toks and stray and C.figures_either_side(doc, found[key], toks[0].start):
            either.add(key)
        fields[key] = C.row_fields(zone.split("\n", 1)[0]) if toks else None
        table_end = max(table_end, toks[-1].end if toks else lend)
    # Rows are read by cell position only when every delimited row has the table's seven cells: a converter
    # that lost a separator somewhere has lost track of where the blank cells were.
    delimited = [f for f in fields.values() if f is not None]
    by_position = all(C.fit(f, 7) is not None for f in delimited)
    only_total = bool(delimited) and not by_position and all(C.lone_last(f, 7) is not None for f in delimited)
    apart = set(order) if laid_apart(doc, anchor[1].start, end, T3_COLUMN_WORDS) else set()
    results = T.result_row_keys(tpl)
    placed, undecided = blocks.read_requests(doc, [r.key for r in rows], found, anchor[1].start, end,
                                             lambda trial: _columns_ok(trial, results)) if apart else ({}, set())
    keys = [r.key for r in rows]
    ordered = stacked.read_rows(doc, keys, found, anchor[1].start, end, _row_ok) if not placed else None
    only_totals = stacked.read_totals(doc, keys, found, anchor[1].start, end) if not placed and ordered is None else None
    if only_totals is not None:
        ordered = {}
        placed.update((k, (None,) * 6 + (v,)) for k, v in only_totals.items())
        problems.append(make_problem(doc, "read-by-row-order", f"表三只填了“总计”一栏，数字与行标签分开排列（如 markitdown 转换的 PDF 表格）：{len(only_totals)} 行的数字与标签在同一行、位于表头“总计”之下，按总计读取；单独成行的数字无法确定属于哪一行", anchor[1].start, severity="info", table="requests"))
    elif ordered is not None:
        problems.append(make_problem(doc, "read-by-row-order", "表三的数字行与行标签分开排列（如 markitdown 转换的 PDF 表格），但各行按页面上的上下次序排列：每行是一个标签、紧挨着它的一行 7 个数字（或没有数字）和折到下面的数字余下部分；只读取全表各种分法都一致的行", anchor[1].start, severity="info", table="requests"))
        for key, value in ordered.items():
            if isinstance(value, tuple):
                placed[key] = value
                undecided |= {key} if None in value else set()
            elif value is None:
                placed[key] = (None,) * 7
    elif placed:
        problems.append(make_problem(doc, "read-from-blocks", f"表三的标签和数字分开排列（不带 -layout 的 pdftotext）：{len(placed)} 行按数字块的位置读取：每页的数字块只有一种排法且各行总计与分栏相符（几种排法都相符时只取各种排法一致的格），或一页只有紧接“总计”表头的一列数字、个数正好是该页的行数", anchor[1].start, severity="info", table="requests"))
    for key in order:
        lend, zend, toks = zones[key]
        if key in placed:
            cands[key] = Positional(placed[key]) if None in placed[key] else [placed[key]]
            continue
        if ordered is not None:
            cands[key] = ordered.get(key)
            continue
        if key in apart:
            continue
        if key in either:  # the figure row above the label or the one below: the column identities decide
            above = tokens(doc.line_text(C.line_above(doc, doc.line_of(found[key][0]))), 0, stop_at_text=False)
            below = _row_candidates(doc.text[lend:zend], lend, toks, fields[key], False, False)
            whole = len(above) == 7 and not any(t.is_decimal for t in above)
            upper = [tuple(int(t.value()) for t in above)] if whole else []
            cands[key] = sorted({r for r in [*upper, *(below if isinstance(below, list) else [])] if _row_ok(r)})
            continue
        cands[key] = _row_candidates(doc.text[lend:zend], lend, toks, fields[key], by_position, only_total)
    blank = {k for k, v in (ordered or {}).items() if v is None}  # rows the source left blank, read by row order
    lone = _lone_totals(doc, order, zones, fields, cands, found, apart | either | (set(order) if ordered is not None else set())) | {k for k, v in placed.items() if None in v} - undecided - blank
    data: dict[str, dict[str, Any]] = {}
    resolved = _resolve(tpl, cands)
    for row in rows:
        cells = {c: None for c in T.APPLICANT_COLUMNS}
        data[row.key] = cells
        if row.key not in found:
            problems.append(make_problem(doc, "row-missing", f"表三“{row.group + row.label if row.group else row.label}”行未找到", anchor[1].start, table="requests", row=row.key))
            continue
        lend, zend, toks = zones[row.key]
        value = resolved.get(row.key)
        if isinstance(value, tuple):
            cells.update(zip(T.APPLICANT_COLUMNS, value, strict=True))
        elif isinstance(value, Positional):
            cells.update(zip(T.APPLICANT_COLUMNS, value.cells, strict=True))
            blank = [T.APPLICANT_LABELS[c] for c, v in cells.items() if v is None]
            if row.key in undecided:
                problems.append(make_problem(doc, "cells-ambiguous", f"表三“{row.label}”的数字块有几种排法，各行总计都相符而这几栏不一致：{'、'.join(blank)}（保留为空）", lend, table="requests", row=row.key))
            elif not only_total and row.key not in lone:
                problems.append(make_problem(doc, "cells-blank", f"表三“{row.label}”未填写：{'、'.join(blank)}（记为未提供，而不是 0）", lend, severity="info", table="requests", row=row.key))
        elif row.key in apart:
            problems.append(labels_apart(doc, "表三", row.label, lend, "requests", row.key))
        elif ordered is not None and row.key not in ordered:
            problems.append(make_problem(doc, "cells-ambiguous", f"表三“{row.label}”的数字行与标签分开排列，全表不能唯一切分成行（有标签未找到，或有一行数字缺少、多出或损坏），无法确定哪一行数字属于本行，保留为空", lend, table="requests", row=row.key))
        elif toks:
            printed = printed_text(doc, toks[0].start, toks[-1].end)
            why = "可拆分方式不止一种" if cands.get(row.key) else "与本行合计对不上任何拆分"
            if C.has_blank_cell(fields[row.key]):
                why = "有空白单元格，但本表各行的栏数不一致，无法确定空白所在的栏"
            if row.key in either:
                why = "标签上下两行都印有数字，本表的勾稽关系也不能确定哪一行属于本行"
            problems.append(make_problem(doc, "cells-ambiguous", f"表三“{row.label}”的数字“{printed}”无法唯一拆分为7栏（{why}），保留为空", lend, table="requests", row=row.key, text=printed))
        else:
            problems.append(make_problem(doc, "cells-blank", f"表三“{row.label}”行没有数字", lend, severity="info", table="requests", row=row.key))
    if only_total or lone:
        rows_total = [k for k, v in resolved.items() if isinstance(v, Positional) and (only_total or k in lone)]
        problems.append(make_problem(doc, "applicant-columns-blank", f"表三有 {len(rows_total)} 行只填了“总计”，申请人分栏为空（记为未提供，而不是 0）", zones[rows_total[0]][0], severity="info", table="requests"))
    one_row = _other_handling_one_row(doc, tpl, found, end)
    if one_row:
        problems.append(one_row)
    lines = {k: doc.line_of(s0) for k, (s0, _) in found.items()}
    spans = {k: S.entry(doc, *S.row_spans(doc, zones[k][0], zones[k][1], data[k]), T.APPLICANT_COLUMNS) for k in order}
    return TableResult(data, problems, anchor[1].start, table_end, row_lines=lines, spans=spans)


def _lone_totals(doc: Doc, order: list[str], zones, fields, cands: dict[str, Any], found, apart: set[str]) -> set[str]:
    """Rows with one figure and no cell separators whose layout proves the figure is the 总计 (totals.py):
    read as the 总计 alone, the applicant columns blank. Only in a table whose every row has one figure
    or none: where other rows have several, a lone figure is more likely a piece of a wrapped one."""
    lone: set[str] = set()
    if any(len(zones[k][2]) > 1 for k in order):
        return lone
    for key in order:
        toks = zones[key][2]
        if key in apart or cands.get(key) or len(toks) != 1 or fields[key] is not None:
            continue
        value = totals.lone_total(doc, found[key], toks[0])
        if value is not None:
            cands[key] = Positional((None,) * 6 + (value,))
            lone.add(key)
    return lone


_OTHER_HANDLING = re.compile(r"其他处理")
_OTHER_2021 = ("other_no_correction", "other_unpaid_fee", "other_other")


def _other_handling_one_row(doc: Doc, tpl: str, found: dict[str, tuple[int, int]], end: int) -> Problem | None:
    """A 2021 report that prints the 2019 template's single (六) 其他处理 row: its figures cannot be put in
    the three rows the 2021 template splits it into, so they are kept as printed in a problem."""
    if tpl != "2021" or any(k in found for k in _OTHER_2021) or "not_handled_confirmation" not in found:
        return None
    stop = found["total_handled"][0] if "total_handled" in found else end
    hit = doc.search(_OTHER_HANDLING, found["not_handled_confirmation"][1], stop)
    if hit is None:
        return None
    toks = tokens(doc.text[hit[1].end:stop], hit[1].end)
    if not toks:
        return None
    printed = printed_text(doc, toks[0].start, toks[-1].end)
    return make_problem(doc, "other-handling-one-row", f"表三按 2021 年模板应分三行填写“（六）其他处理”，报告只印了一行：“{printed}”；无法分到三行，三行记为未提供",
                        hit[1].start, table="requests", row="other_other", text=printed)


def _approximate_labels(doc: Doc, rows, found: dict[str, tuple[int, int]], start: int, end: int) -> list[tuple[str, str, str]]:
    """Rows whose label the patterns missed, found approximately between the rows around them (labels.py).
    Adds them to `found`; returns (key, template label, printed text) of each."""
    labels = [r.label for r in rows]
    out = []
    for i, row in enumerate(rows):
        if row.key in found:
            continue
        before = [found[r.key][1] for r in rows[:i] if r.key in found]
        after = [found[r.key][0] for r in rows[i + 1:] if r.key in found]
        lo, hi = (before[-1] if before else start), (after[0] if after else end)
        hit = find_approximate(doc, row.label, labels, lo, hi)
        if hit:
            span, printed = hit
            found[row.key] = (span.start, span.end)
            out.append((row.key, row.label, re.sub(r"\s+", "", printed)))
    return out


def _row_ok(cells: tuple[int, ...]) -> bool:
    return all(c >= 0 for c in cells) and cells[6] == sum(cells[:6])


def _row_candidates(zone: str, zone_start: int, toks: list[Token], fields: list[str] | None,
                    by_position: bool, only_total: bool) -> list[tuple[int, ...]] | Positional | None:
    if not toks:
        return None
    below = _wrapped(zone, zone_start, toks) if len(toks) >= 7 else None
    if below is not None:
        # Seven figures on the row's line and digits alone on a line below: figures too wide for their
        # cells wrapped (111 printed as 11 over 1), so the seven are not the row's figures as they stand.
        return join_candidates(zone, zone_start, _first_line(zone, zone_start, toks) + below, 7, _row_ok) or None
    if len(toks) == 7:
        return [tuple(int(t.value()) if not t.is_decimal else -1 for t in toks)]
    if len(toks) > 7:
        # Extra numbers (a shifted or duplicated cell, or a figure wrapped in its cell): any 7 in a row
        # that add up, or the pieces joined so that they add up, if all agree.
        windows = {tuple(int(t.value()) for t in toks[i:i + 7]) for i in range(len(toks) - 6)}
        ok = {w for w in windows if _row_ok(w)} | set(join_candidates(zone, zone_start, toks, 7, _row_ok))
        return sorted(ok) or None
    if only_total:
        # Every row of the table has one figure, in its last field after blank ones: the 总计 column,
        # the only one such reports fill (the applicant columns stay null, not 0).
        return Positional((None,) * 6 + (C.lone_last(fields, 7),))
    cells = C.positional(fields, 7) if by_position else None
    if cells is not None:
        return Positional(cells)
    if C.has_blank_cell(fields):
        return None  # blank cells between the figures: they were never glued, so no cut is a reading
    return cell_candidates(toks, 7, _row_ok)


def _wrapped(zone: str, zone_start: int, toks: list[Token]) -> list[Token] | None:
    """The figures of the lines of digits alone below a row's line of seven or more figures (the rest of
    figures wrapped in their cells; a wrapped label may stand between), or None when there are none."""
    lines = zone.split("\n")
    first = zone.count("\n", 0, toks[0].start - zone_start)
    if len(tokens(lines[first], 0, stop_at_text=False)) < 7:
        return None
    below: list[Token] = []
    offset = zone_start + sum(len(line) + 1 for line in lines[:first + 1])
    for line in lines[first + 1:]:
        if _DIGITS_ONLY.match(line):
            pieces = tokens(line, offset, stop_at_text=False)
            if len(pieces) >= 7:
                break  # a line of a whole row is the next row's figures (printed above its label)
            below += pieces
        offset += len(line) + 1
    return below or None


def _first_line(zone: str, zone_start: int, toks: list[Token]) -> list[Token]:
    line = zone.count("\n", 0, toks[0].start - zone_start)
    return [t for t in toks if zone.count("\n", 0, t.start - zone_start) == line]


_DIGITS_ONLY = re.compile(r"^[\d \t]*\d[\d \t]*$")


@dataclass(frozen=True)
class Positional:
    """A delimited row read by cell position: blank cells are null, not 0."""

    cells: tuple[int | None, ...]


def _resolve(tpl: str, cands: dict[str, Any]) -> dict[str, Any]:
    """Fix each row to one reading: unique rows directly; the rest by the column identities."""
    out: dict[str, Any] = {}
    open_rows = []
    for key, c in cands.items():
        if isinstance(c, Positional):
            out[key] = c
        elif c and len(c) == 1:
            out[key] = c[0]
        elif c:
            open_rows.append(key)
    if not open_rows:
        return out
    results = T.result_row_keys(tpl)
    space = 1
    for key in open_rows:
        space *= len(cands[key])
    if space > 200000:
        return out
    solutions = []
    for combo in itertools.product(*(cands[k] for k in open_rows)):
        trial = {**out, **dict(zip(open_rows, combo, strict=True))}
        if _columns_ok(trial, results):
            solutions.append(combo)
            if len(solutions) > 1:  # candidates are distinct, so two combinations are two readings
                return out
    if len(solutions) == 1:
        out.update(dict(zip(open_rows, solutions[0], strict=True)))
    return out


def _columns_ok(rows: dict[str, Any], results: tuple[str, ...]) -> bool:
    """Column totals and the balance, evaluated only where every part is known."""
    def get(k: str) -> tuple[int, ...] | None:
        v = rows.get(k)
        return v if isinstance(v, tuple) else None

    checked = False
    parts = [get(k) for k in results]
    total = get("total_handled")
    if total is not None and all(p is not None for p in parts):
        checked = True
        for c in range(7):
            if total[c] != sum(p[c] for p in parts):  # type: ignore[index]
                return False
    new, carried, fwd = get("new_received"), get("carried_over"), get("carried_forward")
    if None not in (new, carried, total, fwd):
        checked = True
        for c in range(7):
            if new[c] + carried[c] != total[c] + fwd[c]:  # type: ignore[index]
                return False
    return checked
