"""How to cite a report or an agency's data: agency, report, year, page address, source address, data version.

Plain text (the page escapes it). The data version is a digest of the records themselves, so the same
data always gives the same version and any change to a figure gives a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import suppress

from .model import Report, record_order
from .registry import AgencyEntry

SITE_NAME = "nianbao 政府信息公开年报数据"


def data_version(reports: Iterable[Report]) -> str:
    """A short digest of every record, in (agency, year) order: the version a citation names."""
    return version_of_lines(record_line(r) for r in sorted(reports, key=record_order))


def record_line(report: Report) -> str:
    """One record as one line of compact JSON (UTF-8, Chinese unescaped), as records.json holds it."""
    return report.model_dump_json(by_alias=True)


def version_of_lines(lines: Iterable[str]) -> str:
    """The version of records already serialised one per line (compact JSON, Chinese unescaped)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:12]


def _name(report: Report | None, agency: AgencyEntry | None) -> str:
    if agency is not None:
        return agency.name
    return report.agency.name if report is not None else ""


def cite_report(report: Report, agency_entry: AgencyEntry | None, page_url: str, data_version: str) -> str:
    name = _name(report, agency_entry)
    year = f"{report.year} 年度" if report.year is not None else "年度未知"
    title = report.title or f"{name}{report.year or ''}年政府信息公开工作年度报告"
    parts = [f"{name}：《{title}》（{year}）"]
    if report.published is not None:
        parts.append(f"成文日期 {report.published.isoformat()}")
    if report.source.url:
        parts.append(f"原文：{report.source.url}")
    parts.append(f"{SITE_NAME}整理，数据版本 {data_version}，{page_url}")
    return "，".join(parts) + "。"


def cite_agency(agency_entry: AgencyEntry, reports: Iterable[Report], page_url: str, data_version: str) -> str:
    years = sorted({r.year for r in reports if r.year is not None})
    span = (f"{years[0]}—{years[-1]} 年度" if len(years) > 1 else f"{years[0]} 年度") if years else "无年度报告"
    sources = [r.source.url for r in sorted(reports, key=lambda r: r.year or 0) if r.source.url]
    parts = [f"{agency_entry.name}：政府信息公开工作年度报告（{span}）"]
    if sources:
        parts.append("原文：" + "；".join(sources))
    parts.append(f"{SITE_NAME}整理，数据版本 {data_version}，{page_url}")
    return "，".join(parts) + "。"


def dataset_version(dataset) -> str:
    """The version of a whole Dataset as every page and download names it (its records, checked). Kept on
    the dataset while it holds the same checked reports (the pages, compare, explore and the downloads ask)."""
    reports = _checked_in_order(dataset)
    key = tuple(map(id, reports))
    cached = getattr(dataset, "_version", None)
    if cached is not None and cached[0] == key:
        return cached[2]
    version = version_of_lines(record_line(r) for r in reports)
    with suppress(AttributeError):  # a frozen or slotted dataset: no cache
        dataset._version = (key, tuple(reports), version)  # the reports kept: their ids cannot be reused
    return version


def record_lines(dataset) -> Iterator[str]:
    """Every checked record of a Dataset as one line of compact JSON, in (agency, year) order: what
    records.json holds and the data version digests. Made one at a time, never all kept: at 10,000
    reports the lines hold ~200 MB, for ~1 s of CPU to make them again."""
    return (record_line(r) for r in _checked_in_order(dataset))


def _checked_in_order(dataset) -> list[Report]:
    from .checks import check_dataset

    return sorted(check_dataset(dataset), key=record_order)
