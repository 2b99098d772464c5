"""parse_file / parse_text / parse_lines: text in, a validated Report out.

Load (readers) → locate (title, sections, tables) → read (cells, prose figures, the evidence of who
published it) → one Report. Data problems become `Problem`s in the record; only input with nothing
recognisable raises. The parse stage reads the document alone: which registered agency the report belongs
to is ingest's decision, and the template's identities are checked after parse and corrections
(`nianbao.checks`), so the record's agency id is the one given, else `pending`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from .. import template as T
from ..errors import InputError, NotAReportError
from ..model import Evidence, Problem, Report, Section
from . import agency, meta
from . import spans as S
from .metrics import find_hints, find_metrics
from .sections import Heading, find_headings
from .tables import TableResult, parse_appeals, parse_proactive, parse_requests
from .text import Doc

_ITEM20 = re.compile(r"第二十条第?\(?一\)?项|第二十条")
# Under a found 二、 heading, a table 二 that lost its 第二十条 rows still starts at its header or first row.
_T2_START = re.compile(r"第二十条|信息内容|本年制发件数|本年新制作数量|规章")
_T3_ANCHOR = re.compile(r"勾稽关系|本年(?:度)?新收(?:到)?(?:的)?(?:政府信息公开)?申请")
_REPORT_WORDS = ("政府信息公开", "信息公开", "依申请公开", "主动公开")
PENDING_ID = "pending"  # the agency id of a record whose agency ingest has not decided yet


def parse_file(path: str | Path, **kw: Any) -> Report:
    return parse_document(path, **kw)[0]


def parse_document(path: str | Path, **kw: Any) -> tuple[Report, list[str]]:
    """parse_file, and the normalised lines its spans count in (what ingest stores for the source view)."""
    from ..readers import read_document
    from .text import normalised

    path = Path(path)
    doc = read_document(path)
    data = path.read_bytes()
    report = parse_lines(doc.lines, path=path, properties=doc.properties, **kw)
    report.source.sha256 = hashlib.sha256(data).hexdigest()
    report.source.encoding = doc.encoding
    report.source.format = doc.format
    report.source.original_name = path.name
    return report, normalised(doc.lines)


def parse_text(text: str, **kw: Any) -> Report:
    from .normalize import normalize_newlines

    return parse_lines(normalize_newlines(text).split("\n"), **kw)


def parse_lines(
    lines: list[str],
    *,
    path: str | Path | None = None,
    agency_id: str | None = None,
    agency_name: str | None = None,
    year: int | None = None,
    properties: dict[str, str] | None = None,
) -> Report:
    """`agency_name`, `agency_id`, `year`: what the user says, stronger than anything the text says.
    `properties`: what the file says about itself (meta tags, document properties; see readers.Document)."""
    where = str(path) if path is not None else "<text>"
    _refuse_non_reports(lines, where)
    doc = Doc(lines)
    problems: list[Problem] = []

    title, title_year, title_line = meta.find_title(doc)
    name, evidence, uncertain = _identify(doc, title, title_line, agency_name, properties or {})
    year = year or meta.find_year(doc, title_year)
    tpl = meta.detect_template(doc, year)
    headings = find_headings(doc)
    by_number = {h.number: h for h in headings}
    published, pub_line, _ = meta.find_published(doc)

    if not name:
        problems.append(Problem(code="agency-missing", severity="error", message="报告中没有找到机关名称（标题和正文都没有）", line=1))
        name = "未知机关"
    if uncertain is not None:
        problems.append(uncertain)
    if year is None:
        problems.append(Problem(code="year-missing", severity="error", message="报告中没有找到报告年度", line=1))
    if published is None:
        problems.append(Problem(code="published-missing", severity="info", message="落款处没有找到成文日期", line=len(doc.lines)))
    if not headings and not any(w in doc.sq for w in ("第二十条", "本年新收", "行政复议")):
        raise NotAReportError("not a 政府信息公开工作年度报告: no section headings and no tables found", where)

    tables: dict[str, TableResult] = {}
    metrics = {}
    figures: dict[str, tuple[int, int]] = {}  # where each prose figure is printed
    if tpl is not None:
        tables = _read_tables(doc, tpl, by_number, figures)
        for t in tables.values():
            problems.extend(t.problems)
        hints_used = tables["proactive"].hints_used if "proactive" in tables else {}
        first_table = min((t.start for t in tables.values() if t.start is not None), default=None)
        metrics = find_metrics(doc, first_table, figures)
        for key, metric in hints_used.items():
            metrics[f"table2.{key}"] = metric
    else:
        metrics = find_metrics(doc, spans=figures)
        if year is not None and year < 2019:
            problems.append(Problem(code="no-template", severity="info", message=f"{year} 年度报告早于 2019 年的全国模板，没有统一表格，只保留正文"))
        else:
            problems.append(Problem(code="template-unknown", severity="error", message="无法判断报告使用的模板（2019 或 2021）：没有年度，也没有模板表头"))

    sections = _sections(doc, headings, tables, pub_line)
    for k in (1, 5, 6):
        if k not in by_number:
            problems.append(Problem(code="section-missing", severity="info", message=f"没有找到第{meta_numeral(k)}部分“{T.SECTION_TITLES[k]}”的标题"))

    return Report.model_validate({
        "agency": {"id": agency_id or PENDING_ID, "name": name, "evidence": [e.model_dump() for e in evidence]},
        "year": year,
        "template": tpl,
        "title": title,
        "published": published,
        "source": {"path": str(path) if path is not None else None},
        "proactive": tables["proactive"].data if "proactive" in tables else None,
        "requests": tables["requests"].data if "requests" in tables else None,
        "appeals": tables["appeals"].data if "appeals" in tables else None,
        "sections": [s.model_dump() for s in sections],
        "metrics": {k: v.model_dump() for k, v in metrics.items()},
        "problems": [p.model_dump() for p in problems],
        # Where each row was read, so that a failed identity (checked later) can point at its line.
        "row_lines": {key: dict(t.row_lines) for key, t in tables.items() if t.data is not None and t.row_lines},
        "spans": _spans(doc, tables, metrics, figures),
    })


def _spans(doc, tables: dict[str, TableResult], metrics: dict, figures: dict[str, tuple[int, int]]) -> dict[str, dict[str, str]]:
    """Where each table row and cell, and each prose figure, was read (parse/spans.py)."""
    out = {key: dict(t.spans) for key, t in tables.items() if t.data is not None and t.spans}
    read = {k: S.encode(doc, *figures[k]) for k in metrics if k in figures}
    if read:
        out["metrics"] = read
    return out


def meta_numeral(k: int) -> str:
    return "一二三四五六"[k - 1]


def _refuse_non_reports(lines: list[str], where: str) -> None:
    head = "\n".join(lines[:2000])[:200000]
    if not head.strip():
        raise InputError("the file holds no text", where)
    if not any(w in head for w in _REPORT_WORDS):
        raise NotAReportError("not a 政府信息公开工作年度报告: the text never mentions 政府信息公开", where)


def _identify(doc: Doc, title: str | None, title_line: int | None, flag: str | None,
              properties: dict[str, str]) -> tuple[str | None, list[Evidence], Problem | None]:
    """The evidence of who published the report, strongest first, and the name it decides (parse/agency.py)."""
    evidence: list[Evidence] = []
    if flag:
        evidence.append(Evidence(source="flag", name=flag, text=f"--agency-name {flag}"))
    declared = agency.property_evidence(properties)
    evidence += [e for e in declared if e.source in agency.TITLE_PROPERTIES]
    named = agency.agency_from_title(title)
    if named:
        evidence.append(Evidence(source="title", name=named, text=title or "", line=title_line))
    signed, signed_line = meta.find_signature(doc)
    if signed:
        evidence.append(Evidence(source="signature", name=signed, text=doc.line_text(signed_line).strip(), line=signed_line))
    evidence += [e for e in declared if e.source in agency.SOURCE_PROPERTIES]
    body_start = _after_title(doc, title_line)
    body_end = doc._line_starts[signed_line - 1] if signed_line else None
    selves = agency.self_references(doc)
    if agency.needs_body(evidence, selves):
        evidence += agency.body_evidence(doc, body_start, body_end)
    return agency.decide(evidence, selves)


def _after_title(doc: Doc, line: int | None) -> int:
    """Where the text after the title starts: after its `…报告` (web text holds the body on the same line)."""
    if not line:
        return 0
    text = doc.lines[line - 1]
    end = text.find("报告")
    return doc._line_starts[line - 1] + (end + 2 if end >= 0 else len(text))


def _read_tables(doc: Doc, tpl: str, h: dict[int, Heading], figures: dict[str, tuple[int, int]]) -> dict[str, TableResult]:
    n = len(doc.text)
    out: dict[str, TableResult] = {}
    sec2 = h[2].start if 2 in h else 0
    t3_anchor = doc.search(_T3_ANCHOR, sec2)
    t3_start = h[3].start if 3 in h else (t3_anchor[1].start if t3_anchor else None)
    item = doc.search(_ITEM20, sec2, t3_start) or (doc.search(_T2_START, h[2].end, t3_start) if 2 in h else None)
    hints = find_hints(doc, figures)
    if item is not None:
        p_end = t3_start if t3_start is not None and t3_start > item[1].start else min(n, item[1].start + 4000)
        out["proactive"] = parse_proactive(doc, tpl, item[1].start, p_end, hints)
    else:
        at = h[2].end if 2 in h else 0
        out["proactive"] = TableResult(None, [Problem(code="table2-missing", severity="error", table="proactive", line=doc.line_of(at),
                                                      message="表二（主动公开政府信息情况）未找到：报告中没有这张表或表格被截断")])
    sec5 = h[5].start if 5 in h else (h[6].start if 6 in h else n)
    r_start = t3_start if t3_start is not None else (out["proactive"].end or sec2)
    r_end = h[4].start if 4 in h and h[4].start > r_start else sec5
    out["requests"] = parse_requests(doc, tpl, r_start, r_end)
    a_start = h[4].start if 4 in h else (out["requests"].end or (h[3].end if 3 in h else r_start))
    out["appeals"] = parse_appeals(doc, a_start, max(a_start, sec5))
    return out


def _sections(doc: Doc, headings: list[Heading], tables: dict[str, TableResult], pub_line: int | None) -> list[Section]:
    cut = sorted((t.start, t.end) for t in tables.values() if t.start is not None and t.end is not None and t.data is not None)
    out = []
    for i, hd in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(doc.text)
        if i + 1 == len(headings):
            end = _signature_start(doc, hd.end, end, pub_line)
        pieces, pos = [], hd.end
        for s, e in cut:
            if e <= pos or s >= end:
                continue
            pieces.append(doc.text[pos:max(pos, s)])
            pos = max(pos, e)
        pieces.append(doc.text[pos:end])
        text = _clean_prose("".join(pieces))
        if hd.number in (2, 3, 4):
            # What is left of a table section besides its table is prose only when it has sentences;
            # header cells (`（本列数据的`, `结果维持…`) are not.
            text = "\n".join(ln for ln in text.split("\n") if "。" in ln or "；" in ln)
        title = re.sub(r"\s+", "", doc.text[hd.start:hd.end]).strip("#*")
        title = re.sub(rf"^[{'一二三四五六'}][、.]", "", title)
        out.append(Section(number=hd.number, title=title or T.SECTION_TITLES[hd.number], text=text, line=hd.line))
    return out


def _signature_start(doc: Doc, start: int, end: int, line: int | None) -> int:
    """Drop the signature block (agency name and date, the date on `line`) after the last section."""
    if line is None:
        return end
    cut = doc._line_starts[line - 1]
    # The agency name usually stands on its own line just above the date.
    for back in (1, 2, 3):
        idx = line - 1 - back
        if idx < 0:
            break
        prev = doc.lines[idx].strip()
        if not prev:
            continue
        if len(prev) <= 30 and "。" not in prev:
            cut = doc._line_starts[idx]
        break
    return max(start, min(end, cut))


_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
_SUBHEAD = re.compile(r"(?<=[。；;！!？?”）)])\s*(?=（[一二三四五六七八九十]{1,3}）|\([一二三四五六七八九十]{1,3}\))")


def _clean_prose(text: str) -> str:
    # Web text that lost its line breaks: start a paragraph at each （一） sub-heading after a sentence.
    text = "\n".join(_SUBHEAD.sub("\n", ln) if len(ln) > 300 else ln for ln in text.split("\n"))
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    lines = [re.sub(r"^#+\s*", "", ln) for ln in lines]
    # Markdown emphasis from the converter (`**（一）加强组织领导。**`) is decoration, not text.
    lines = [_EMPHASIS.sub(r"\1", ln).replace("**", "") for ln in lines]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()
