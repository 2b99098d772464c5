"""The arithmetic the template implies (FORMAT.md), as checks: each failure is a Problem, never a fix.

A side with a None in it is not evaluated (missing is not zero): only failures become problems. The
checks return a copy of the report with their problems added; parse problems are kept, earlier check
problems of the same codes are replaced, and no number is ever changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from . import paths
from . import template as T
from .errors import NianbaoError
from .model import Problem, Report, record_order

CHECK_CODES = (
    "identity-row-total",
    "identity-column-total",
    "identity-balance",
    "identity-appeals-total",
    "identity-carry-over",
    "prose-mismatch",
    "late-publication",
)
# What each check's failure means, for the quality page and the methodology page.
CHECK_DESCRIPTIONS = {
    "identity-row-total": "表三某一行的“总计”不等于六类申请人之和。",
    "identity-column-total": "表三“（七）总计”不等于各项办理结果之和。",
    "identity-balance": "表三的勾稽关系不成立：本年新收＋上年结转 ≠ 办理总计＋结转下年度。",
    "identity-appeals-total": "表四某一组的“总计”不等于维持、纠正、其他结果、尚未审结之和。",
    "identity-carry-over": "本年的“上年结转”不等于上一年报告的“结转下年度继续办理”。",
    "prose-mismatch": "正文中写明的数字与表格中的数字不一致。",
    "late-publication": "成文日期晚于条例第四十九条规定的期限（部门 1 月 31 日，地方人民政府 3 月 31 日）。",
    "published-missing": "落款处没有找到成文日期，无法核对是否按时公布。",
}
LOCAL_GOVERNMENT_SUFFIXES = ("人民政府", "管委会", "管理委员会")
PARTS = tuple(c for c in T.APPLICANT_COLUMNS if c != "total")
_TABLE_NAMES = {"proactive": "表二", "requests": "表三", "appeals": "表四"}


# Helpers -------------------------------------------------------------------------------------------


def sum_known(values: Iterable[float | int | None]) -> float | int | None:
    """The sum, or None when any part is missing (a sum over a missing cell is unknown, not smaller)."""
    total: float | int = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _n(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _row_label(tpl: str, key: str) -> str:
    for row in T.REQUEST_ROWS[tpl]:
        if row.key == key:
            label = row.label.split("（区分处理")[0]
            group = row.group if row.group and not row.group.startswith("三、") else ""
            return f"{group}{label}"
    return key


def _failure(code: str, table: str, row: str | None, column: str | None, left, right, where: str, what: str) -> Problem:
    message = f"{_TABLE_NAMES[table]}{where}：报告为 {_n(left)}，{what}为 {_n(right)}"
    return Problem(code=code, severity="error", message=message, table=table, row=row, column=column,
                   left=left, right=right)


# The identities within a report ---------------------------------------------------------------------


def _row_totals(report: Report) -> Iterator[Problem]:
    tpl = report.template
    for key in T.request_row_keys(tpl):
        cells = getattr(report.requests, key)
        stated, parts = cells.total, sum_known(getattr(cells, c) for c in PARTS)
        if stated is not None and parts is not None and stated != parts:
            yield _failure("identity-row-total", "requests", key, "total", stated, parts,
                           f"{_row_label(tpl, key)}·总计", "六类申请人之和")


def _column_totals(report: Report) -> Iterator[Problem]:
    tpl = report.template
    rows = [getattr(report.requests, k) for k in T.result_row_keys(tpl)]
    for col in T.APPLICANT_COLUMNS:
        stated = getattr(report.requests.total_handled, col)
        parts = sum_known(getattr(r, col) for r in rows)
        if stated is not None and parts is not None and stated != parts:
            yield _failure("identity-column-total", "requests", "total_handled", col, stated, parts,
                           f"（七）总计·{T.APPLICANT_LABELS[col]}", "各项办理结果之和")


def _balance(report: Report) -> Iterator[Problem]:
    req = report.requests
    for col in T.APPLICANT_COLUMNS:
        inflow = sum_known((getattr(req.new_received, col), getattr(req.carried_over, col)))
        outflow = sum_known((getattr(req.total_handled, col), getattr(req.carried_forward, col)))
        if inflow is not None and outflow is not None and inflow != outflow:
            yield _failure("identity-balance", "requests", "total_handled", col, inflow, outflow,
                           f"新收+上年结转·{T.APPLICANT_LABELS[col]}", "办理总计+结转下年")


def _appeals_totals(report: Report) -> Iterator[Problem]:
    for group in T.APPEAL_GROUPS:
        cells = getattr(report.appeals, group)
        stated = cells.total
        parts = sum_known(getattr(cells, c) for c in T.APPEAL_COLUMNS if c != "total")
        if stated is not None and parts is not None and stated != parts:
            yield _failure("identity-appeals-total", "appeals", group, "total", stated, parts,
                           f"{T.APPEAL_GROUP_LABELS[group]}·总计", "维持、纠正、其他、未审结之和")


# Across years, prose, timeliness ---------------------------------------------------------------------


def _carry_over(report: Report, previous: Report) -> Iterator[Problem]:
    for col in T.APPLICANT_COLUMNS:
        stated = getattr(report.requests.carried_over, col)
        before = getattr(previous.requests.carried_forward, col)
        if stated is not None and before is not None and stated != before:
            yield _failure("identity-carry-over", "requests", "carried_over", col, stated, before,
                           f"上年结转·{T.APPLICANT_LABELS[col]}", f"{previous.year} 年报告的结转下年度")


def _prose(report: Report) -> Iterator[Problem]:
    for key, metric in sorted(report.metrics.items()):
        if key == "requests_received":
            if report.requests is None:
                continue
            table, row, col, stated = "requests", "new_received", "total", report.requests.new_received.total
            where = "一、本年新收申请·总计"
        else:
            found = _proactive_cell(report, key)
            if found is None:
                continue
            table, row, col, stated = "proactive", *found
            where = f"{row}·{col}"
        if stated is not None and metric.value != stated:
            p = _failure("prose-mismatch", table, row, col, metric.value, stated, where, "表中")
            p.message = f"正文称 {_n(metric.value)}，{_TABLE_NAMES[table]}{where} 为 {_n(stated)}"
            p.line, p.text = metric.line, metric.quote
            yield p


def _proactive_cell(report: Report, key: str) -> tuple[str, str, float | int | None] | None:
    """A metric named `<row>_<column>` (normative_documents_in_force) against its cell in table 二."""
    if report.proactive is None:
        return None
    for row in T.PROACTIVE_ROWS[report.template]:
        for col in row.columns:
            if key == f"{row.key}_{col}":
                return row.key, col, getattr(getattr(report.proactive, row.key), col)
    return None


def is_local_government(name: str, kind: str | None = None) -> bool:
    """条例第四十九条: local governments (人民政府, 管委会) by 31 March; departments by 31 January."""
    return (kind or name or "").endswith(LOCAL_GOVERNMENT_SUFFIXES)


def deadline(year: int, local_government: bool) -> dt.date:
    return dt.date(year + 1, 3, 31) if local_government else dt.date(year + 1, 1, 31)


def _timeliness(report: Report, kind: str | None) -> Iterator[Problem]:
    if report.year is None:
        return
    if report.published is None:
        if not any(p.code == "published-missing" for p in report.problems):
            yield Problem(code="published-missing", severity="info", message="落款处没有找到成文日期，无法核对是否按时公布")
        return
    local = is_local_government(report.agency.name, kind)
    due = deadline(report.year, local)
    if report.published > due:
        rule = "地方人民政府" if local else "政府部门"
        yield Problem(
            code="late-publication", severity="warning",
            message=f"成文日期 {report.published.isoformat()} 晚于{rule}的公布期限 {due.isoformat()}（条例第四十九条）",
            text=report.published.isoformat(),
        )


# The public API --------------------------------------------------------------------------------------


def _agency_kind(agency_id: str) -> str | None:
    try:
        from .registry import load_agencies

        entry = load_agencies().get(agency_id)
    except NianbaoError:
        return None
    return entry.kind if entry else None


def check_report(report: Report, previous: Report | None = None, kind: str | None = None) -> Report:
    """The report with its check problems (re)computed. `previous`: the same agency's report for year-1."""
    found: list[Problem] = []
    if report.template is not None and report.requests is not None:
        found += [*_row_totals(report), *_column_totals(report), *_balance(report)]
        if (previous is not None and previous.requests is not None and previous.template is not None
                and previous.agency.id == report.agency.id and report.year is not None
                and previous.year == report.year - 1):
            found += _carry_over(report, previous)
    if report.appeals is not None:
        found += _appeals_totals(report)
    if report.template is not None:
        found += _prose(report)
    found += _timeliness(report, kind if kind is not None else _agency_kind(report.agency.id))
    kept = [p for p in report.problems if p.code not in CHECK_CODES]
    # A failure points at its source line: the one an earlier check gave it, else its row's (the record's
    # row_lines, from the parser). The checks see records only.
    lines = {(p.code, p.table, p.row, p.column): p.line for p in report.problems if p.code in CHECK_CODES and p.line}
    for p in found:
        if p.line is None:
            p.line = lines.get((p.code, p.table, p.row, p.column)) or report.row_lines.get(p.table or "", {}).get(p.row or "")
    return report.model_copy(update={"problems": kept + found})


def check_reports(reports: Sequence[Report], kinds: dict[str, str | None] | None = None) -> list[Report]:
    """Every report checked, each against its agency's report for the year before when there is one."""
    by_key = {(r.agency.id, r.year): r for r in reports}
    out = []
    for r in reports:
        prev = by_key.get((r.agency.id, r.year - 1)) if r.year is not None else None
        # "" (not None) when the registry gives no kind: the name decides, without reading the registry again.
        kind = (kinds.get(r.agency.id) or "") if kinds is not None else None
        out.append(check_report(r, prev, kind))
    return out


def failures(report: Report) -> list[Problem]:
    return [p for p in report.problems if p.code in CHECK_CODES]


# The command ----------------------------------------------------------------------------------------


def _files(args: Sequence[str]) -> Iterator[Path]:
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.endswith(".source.yaml"))
        else:
            yield path


def _load(path: Path) -> Report:
    from .corrections import unapplied
    from .dataset import load_record

    report = load_record(path)
    why = unapplied(report)
    if why:
        raise NianbaoError(why)
    return report


def _previous_on_disk(report: Report) -> Report | None:
    from .dataset import load_record

    if report.year is None:
        return None
    path = paths.record_path(report.agency.id, report.year - 1)
    try:
        return load_record(path) if path.exists() else None
    except NianbaoError:
        return None


def format_failure(report: Report, p: Problem) -> str:
    where = " ".join(x for x in (_TABLE_NAMES.get(p.table or "", ""), "/".join(x for x in (p.row, p.column) if x)) if x)
    if p.code == "prose-mismatch":
        detail = f"prose {_n(p.left)} ≠ table {_n(p.right)}"
    elif p.left is not None and p.right is not None:
        detail = f"stated {_n(p.left)} ≠ computed {_n(p.right)}"
    else:
        detail = p.message
    return f"{report.key} {where + ': ' if where else ''}{detail} ({p.code})"


def run_check(paths_: Sequence[str] | None = None,
              read_raws: Callable[[list[Path]], Iterable[tuple[Path, Report | str]]] | None = None) -> int:
    """`nianbao check [PATH...]`: print each failure; 1 when any report fails, 2 when nothing could be checked.
    `read_raws` turns raw reports into their records, (path, record or one-line error) each (the CLI gives
    pipeline.read_reports, which reads each file within a time and memory budget); without it every file
    is read as a record."""
    args = list(paths_ or []) or [str(paths.RECORDS)]
    reports: list[Report] = []
    bad = 0
    files = list(_files(args))
    raw = {p for p in files if read_raws is not None and p.suffix not in (".yaml", ".yml")}
    raws = [p for p in files if p in raw]
    for path in files:
        if path in raw:
            continue  # read below, in workers
        try:
            reports.append(_load(path))
        except NianbaoError as exc:
            print(str(exc), file=sys.stderr)
            bad += 1
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            bad += 1
    for _, read in read_raws(raws) if raws else ():
        if isinstance(read, Report):
            reports.append(read)  # a raw report, parsed by the caller's pipeline (the checks see records only)
        else:
            print(read, file=sys.stderr)
            bad += 1
    if not reports:
        if not bad:
            print(f"{' '.join(args)}: no records or reports found", file=sys.stderr)
        return 2
    reports.sort(key=record_order)
    by_key = {(r.agency.id, r.year): r for r in reports}
    failed = 0
    for r in reports:
        prev = by_key.get((r.agency.id, r.year - 1)) if r.year is not None else None
        checked = check_report(r, prev if prev is not None else _previous_on_disk(r))
        found = failures(checked)
        for p in found:
            print(format_failure(checked, p))
        failed += bool(found)
    print(f"{len(reports)} reports checked, {failed} with failures", file=sys.stderr)
    return 1 if failed or bad else 0


def _checked_key(dataset) -> tuple:
    """What check_dataset's result depends on: the report objects and the registry's kinds."""
    return (tuple(map(id, dataset.reports)), tuple((a, e.kind) for a, e in dataset.agencies.items()))


def remember_checked(dataset, checked: Sequence[Report]) -> None:
    """Tell check_dataset that `dataset` holds reports already checked (`checked`, the same objects, as
    check_dataset itself returned them): checking is idempotent, so checking them again would only cost."""
    with contextlib.suppress(AttributeError):
        dataset._checked = (_checked_key(dataset), tuple(dataset.reports), list(checked))


def check_dataset(dataset) -> list[Report]:
    """Every report of a Dataset checked (across years too), with the registry's kinds for timeliness."""
    # compare, quality and the downloads each ask for it: keep the result on the dataset while the same
    # report objects and registry are there. The originals are kept with it, so their ids cannot be reused.
    key = _checked_key(dataset)
    cached = getattr(dataset, "_checked", None)
    if cached is not None and cached[0] == key:
        return list(cached[2])
    kinds = {a: e.kind for a, e in dataset.agencies.items()}
    checked = check_reports(dataset.reports, kinds)
    with contextlib.suppress(AttributeError):  # a frozen or slotted dataset: no cache
        dataset._checked = (key, tuple(dataset.reports), checked)
    return list(checked)
