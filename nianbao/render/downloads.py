"""The downloads: every figure as CSV, Excel and JSON, a Frictionless Data Package, and /downloads/.

Same data, byte-identical files: rows sorted, no timestamps (the xlsx zip and its properties are pinned).
Every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from .. import paths
from ..analysis import BY_KEY, key_figure_table
from ..cache import FILE_MODE
from ..checks import check_dataset
from ..citation import record_lines
from ..model import Report, json_schema_text, record_order
from ..tidy import COLUMNS, LAYOUTS, agency_fields, cell_values, report_tables, tidy
from . import compress
from .chartfiles import all_agency_charts, chart_files, chart_resources
from .downloads_page import render_downloads_page
from .spreadsheet import inert_column, inert_text, workbook
from .status import STATE_SUFFIX, STATES, with_states

PROBLEM_COLUMNS = ("agency_id", "agency_name", "year", "code", "severity", "table", "row", "column",
                   "left", "right", "line", "message", "text")
# A sheet longer than this is left out of the workbook (its CSV has it all): openpyxl writes ~3,000 rows a
# second, and a sheet of hundreds of thousands of rows is of no use in Excel (whose limit is 1,048,576).
XLSX_MAX_ROWS = 100_000
LONG_CHUNK = 500  # reports per piece of reports.csv when it is streamed (it is left out of the workbook)

# Column: (中文, English). The Chinese is the xlsx header; both go into datapackage.json.
FIELDS: dict[str, tuple[str, str]] = {
    "agency_id": ("机构代码", "Agency id (ASCII, stable)"),
    "agency_name": ("机构名称", "Agency name"),
    "province": ("省级", "Province"),
    "city": ("地级", "Prefecture-level city"),
    "county": ("县级", "County-level division"),
    "kind": ("机构类别", "Kind of agency, e.g. 民政局, 人民政府"),
    "year": ("年度", "Year the report covers"),
    "template": ("模板", "National template: 2019 or 2021"),
    "table": ("表", "Table key: proactive (表二), requests (表三), appeals (表四)"),
    "row": ("行", "Row key of the record"),
    "column": ("列", "Column key of the record"),
    "value": ("数值", "The figure as printed; empty where the report does not give it (not zero)"),
    "row_label": ("行名称", "Row label in the template"),
    "column_label": ("列名称", "Column label in the template"),
    "problems": ("问题数", "Number of problems found in the report"),
    "failed_checks": ("未通过的核对", "Number of failed arithmetic and timeliness checks"),
    "code": ("问题代码", "Problem code (kebab-case), explained on the methodology page"),
    "severity": ("严重程度", "error, warning or info"),
    "left": ("报告数", "Identity: the side the report states"),
    "right": ("计算数", "Identity: the side computed from the parts"),
    "line": ("行号", "Line in the source text"),
    "message": ("说明", "What is wrong, in Chinese"),
    "text": ("原文", "The source text as printed"),
    **{f.key: (f.label, f.english) for f in BY_KEY.values()},
    **{f.key + STATE_SUFFIX: (f"{f.label}（状态）", f"Why {f.key} is empty: 未提供 (the report does not give it), "
                              "无法识别 (printed but unreadable), 不适用 (no valid denominator)") for f in BY_KEY.values()},
}
FILES = {
    "reports": ("每份报告的每个数字（长表）", "Every figure of every report, one row per figure (tidy long format)"),
    "key_figures": ("每个机构每年的主要数字", "Key figures per agency and year"),
    "problems": ("每份报告的问题与未通过的核对", "Problems and failed checks of every report"),
}


# Tables ------------------------------------------------------------------------------------------------


def _problems(reports: list[Report], names: dict[str, str]) -> pd.DataFrame:
    rows = [
        {"agency_id": r.agency.id, "agency_name": names.get(r.agency.id, r.agency.name), "year": r.year,
         **{k: getattr(p, k) for k in PROBLEM_COLUMNS[3:]}}
        for r in reports for p in r.problems
    ]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    for key in ("year", "line"):
        frame[key] = pd.array([None if pd.isna(v) else int(v) for v in frame[key]], dtype="Int64")
    for key in ("left", "right"):
        frame[key] = pd.array([None if pd.isna(v) else float(v) for v in frame[key]], dtype="Float64")
    return frame


def tables(dataset, long: bool = True) -> tuple[list[Report], dict[str, pd.DataFrame]]:
    """The checked reports and the three download tables (without `long`, the long table's columns only)."""
    reports = sorted(check_dataset(dataset), key=record_order)
    names = {a: e.name for a, e in dataset.agencies.items()}
    figures = with_states(key_figure_table(reports, dataset.agencies), reports)
    figures["grant_rate"] = figures["grant_rate"].round(6)
    return reports, {"reports": tidy(reports if long else [], dataset.agencies), "key_figures": figures,
                     "problems": _problems(reports, names)}


def long_rows(reports: list[Report]) -> int:
    """Rows the long table (reports.csv) has, without building it."""
    return sum(len(layout) for _, _, layout in report_tables(reports))


def _figure_text(value) -> str:
    """A figure as the CSVs print it: whole numbers without a decimal point, others in full, missing as empty."""
    if value is None or isinstance(value, bool):
        return ""
    number = float(value)
    if number != number:  # NaN
        return ""
    return str(int(number)) if number % 1 == 0 else repr(number)


def _csv_fields(fields) -> str:
    """Fields as one CSV line would hold them, without the line end (quoting is decided field by field)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        ["" if v is None else inert_text(v) if isinstance(v, str) else v for v in fields])
    return buffer.getvalue()[:-1]


def _block_format(layout) -> str:
    """One table's rows as one str.format template: the agency fields as {head}, each figure as {}."""
    def lit(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    return "".join(f"{{head}},{lit(_csv_fields(cell[:3]))},{{}},{lit(_csv_fields(cell[3:]))}\n" for cell in layout)


_BLOCKS = {id(layout): _block_format(layout) for layout in LAYOUTS.values()}  # by layout: report_tables yields them


def write_long_csv(reports: list[Report], agencies, path: Path, digest=None, chunk: int = LONG_CHUNK) -> int:
    """reports.csv streamed from the records, `chunk` reports at a time (the whole table is never in memory):
    the same bytes as csv_bytes(tidy(reports)), made without a DataFrame, each report's agency fields and
    each template cell's keys and labels quoted once. Returns its rows; `digest` (hashlib) is fed the bytes."""
    rows = 0
    with _atomic(path) as fh:
        parts = [_csv_fields(COLUMNS) + "\n"]
        for start in range(0, max(len(reports), 1), chunk):
            head, last = "", None
            for report, model, layout in report_tables(reports[start:start + chunk]):
                if report is not last:
                    head, last = _csv_fields(agency_fields(report, agencies).values()), report
                texts = [str(v) if type(v) is int else _figure_text(v) for v in cell_values(model, layout)]
                parts.append(_BLOCKS[id(layout)].format(*texts, head=head))
                rows += len(layout)
            data = "".join(parts).encode("utf-8-sig" if start == 0 else "utf-8")
            parts = []
            fh.write(data)
            if digest is not None:
                digest.update(data)
    return rows


def write_records_json(lines: Iterable[str], path: Path) -> str:
    """records.json from the records' lines (citation.record_lines), one a line, written as they come
    (none kept); returns their data version."""
    from ..citation import version_of_lines

    with _atomic(path) as fh:
        fh.write(b"[\n")

        def written() -> Iterator[str]:
            for i, line in enumerate(lines):
                fh.write((",\n" + line if i else line).encode("utf-8"))
                yield line

        version = version_of_lines(written())
        fh.write(b"\n]\n")
    return version


@contextmanager
def _atomic(path: Path) -> Iterator[BinaryIO]:
    """A file written under a temporary name, renamed into place when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600: a download is as readable as any other file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _numbers_text(values: pd.Series) -> pd.Series:
    """Figures as printed: whole numbers without a decimal point, others in full, missing as empty."""
    return values.astype("float64").map(_figure_text).astype(object)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return csv_text(frame).encode("utf-8-sig")


def csv_text(frame: pd.DataFrame) -> str:
    """Figures as printed (numbers stay numbers, -185 included); text that starts like a formula made inert."""
    out = frame.copy()
    for col in out.columns:
        if str(out[col].dtype) in ("float64", "Float64"):
            out[col] = _numbers_text(out[col])
        elif str(out[col].dtype) in ("str", "object", "string"):
            out[col] = inert_column(out[col])
    return out.to_csv(index=False, lineterminator="\n")


def split_by_agency(frame: pd.DataFrame, text: str | None = None) -> dict[str, bytes]:
    """One CSV per agency, cut from the whole table's text (rows are sorted by agency; `text`: csv_text(frame)
    when the caller has it), header on each."""
    text = csv_text(frame) if text is None else text
    lines = text.split("\n")
    if len(lines) != len(frame) + 2:  # a field with a line break in it: format each agency on its own
        return {a: csv_bytes(g) for a, g in frame.groupby("agency_id", sort=True)}
    header, body = lines[0], lines[1:-1]
    out: dict[str, list[str]] = {}
    for agency_id, line in zip(frame["agency_id"], body, strict=True):
        out.setdefault(agency_id, []).append(line)
    return {a: ("\n".join([header, *rows]) + "\n").encode("utf-8-sig") for a, rows in sorted(out.items())}


# Excel -------------------------------------------------------------------------------------------------


def xlsx_bytes(sheets: dict[str, pd.DataFrame], max_rows: int = XLSX_MAX_ROWS, rows: dict[str, int] | None = None) -> bytes:
    """Chinese headers and frozen header rows; a table longer than max_rows is named in a 说明 sheet instead
    (`rows` gives the length of a table streamed to its CSV and not in `sheets` in full)."""
    lengths = {name: len(frame) for name, frame in sheets.items()} | (rows or {})
    left_out = [name for name in sheets if lengths[name] > max_rows]
    note = [f"{name} 共 {lengths[name]:,} 行，超过 {max_rows:,} 行，未放入本工作簿：请下载 {compress.published(name + '.csv', True)}。"
            for name in left_out]  # a table that long is a large site's, whose long files are gzipped
    return workbook({n: f for n, f in sheets.items() if n not in left_out}, {c: FIELDS[c][0] for c in FIELDS}, note)


def _cached_xlsx(frames: dict[str, pd.DataFrame], key: str, cache_dir: Path | None, rows: dict[str, int]) -> bytes:
    """The workbook, reused from cache_dir when the same tables made it before (key: the hash of their CSVs)."""
    if cache_dir is None:
        return xlsx_bytes(frames, XLSX_MAX_ROWS, rows)
    path = cache_dir / f"nianbao-{key[:20]}.xlsx"
    if path.exists():
        return path.read_bytes()
    data = xlsx_bytes(frames, XLSX_MAX_ROWS, rows)
    _write(path, data)
    for old in cache_dir.glob("nianbao-*.xlsx"):  # one workbook is kept: the latest data's
        if old != path:
            old.unlink(missing_ok=True)
    return data


# Data package ------------------------------------------------------------------------------------------


def _field_type(series: pd.Series) -> str:
    if str(series.dtype) in ("Int64", "int64"):
        return "integer"
    if str(series.dtype) in ("Float64", "float64"):
        return "number"
    return "string"


def _fields(frame: pd.DataFrame) -> list[dict]:
    fields = [{"name": c, "type": _field_type(frame[c]), "title": FIELDS[c][0],
               "description": f"{FIELDS[c][0]} / {FIELDS[c][1]}"} for c in frame.columns]
    for field in fields:
        if field["name"].endswith(STATE_SUFFIX):
            field["constraints"] = {"enum": list(STATES)}
    return fields


def _resource(name: str, path: str, frame: pd.DataFrame, title: tuple[str, str], fields: list[dict] | None = None) -> dict:
    """A tabular resource; `fields`: _fields(frame), when the caller describes many files of one table."""
    fields = _fields(frame) if fields is None else fields
    return {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig", "title": title[0], "description": f"{title[0]} / {title[1]}",
            "schema": {"fields": fields, "missingValues": [""]}}


def agency_summary(figures: pd.DataFrame) -> dict[str, tuple[str, str, int]]:
    """Each agency of the key figures (id order): its name, province ("" when unknown) and number of years."""
    out: dict[str, tuple[str, str, int]] = {}
    for agency_id, name, province in zip(figures["agency_id"], figures["agency_name"], figures["province"], strict=True):
        known = out.get(agency_id)
        out[agency_id] = (name, province if isinstance(province, str) else "", 1) if known is None else (*known[:2], known[2] + 1)
    return dict(sorted(out.items()))


def datapackage(frames: dict[str, pd.DataFrame], agencies: dict[str, tuple[str, str, int]], version: str,
                gz: bool = False) -> dict:
    """The package: the three tables, then each agency's CSV (the key figures' columns, its rows)."""
    resources = [_resource(name.replace("_", "-"), compress.published(f"{name}.csv", gz), frames[name], FILES[name])
                 for name in FILES]
    fields = _fields(frames["key_figures"])  # every agency's CSV has the key figures' columns
    for agency_id, (name, _, _) in agencies.items():
        resources.append(_resource(f"agency-{agency_id}", f"agencies/{agency_id}.csv", frames["key_figures"],
                                   (f"{name}的主要数字", f"Key figures of {agency_id}"), fields))
    return {"name": "nianbao", "title": "政府信息公开工作年度报告数据 / Government information disclosure annual reports",
            "description": "各机构政府信息公开工作年度报告中的数字，逐项核对。数字为空（不是 0）时，其后的“状态”列说明原因："
                           "未提供、无法识别或不适用。 / "
                           "The figures of agencies' annual reports on government information disclosure, checked. "
                           "An empty figure is not zero: the state column after it says why (未提供 not given, "
                           "无法识别 printed but unreadable, 不适用 no valid denominator).",
            "version": version, "profile": "tabular-data-package",
            # Our records and downloads; the reports themselves are the issuing agencies' (content/about.md).
            "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                          "title": "Creative Commons Attribution 4.0 International"}],
            "resources": resources}


# Writing -----------------------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    with _atomic(path) as fh:
        fh.write(data)


def write_downloads(dataset, out_dir: Path, cache_dir: Path | None = None) -> list[Path]:
    """Write every download (and /downloads/ as index.md) into out_dir; returns the files written.

    The workbook is the slow part: it is cached in cache_dir (by default build/cache/downloads when
    out_dir is under build/), keyed by the content of its tables.
    """
    out_dir = Path(out_dir)
    if cache_dir is None and out_dir.resolve().is_relative_to(paths.BUILD.resolve()):
        cache_dir = paths.BUILD_CACHE / "downloads"
    reports, frames = tables(dataset, long=False)
    figures = frames["key_figures"]
    agencies = agency_summary(figures)
    version = write_records_json(record_lines(dataset), out_dir / "records.json")
    # The workbook's cache key: the CSVs' bytes, in the order of the sheets.
    digest = hashlib.sha256(b"reports\0")
    files: dict[str, bytes] = {}
    rows: dict[str, int] = {}
    big = long_rows(reports) > XLSX_MAX_ROWS
    if big:  # not in the workbook: streamed to its file
        rows["reports"] = write_long_csv(reports, dataset.agencies, out_dir / "reports.csv", digest)
    else:
        frames["reports"] = tidy(reports, dataset.agencies)
        files["reports.csv"] = csv_bytes(frames["reports"])
        digest.update(files["reports.csv"])
    digest.update(b"\0")
    texts = {name: csv_text(frames[name]) for name in ("key_figures", "problems")}
    for name in ("key_figures", "problems"):
        files[f"{name}.csv"] = texts[name].encode("utf-8-sig")
        digest.update(name.encode() + b"\0" + files[f"{name}.csv"] + b"\0")
    digest.update(f"{XLSX_MAX_ROWS}".encode())
    files.update({f"agencies/{a}.csv": data for a, data in split_by_agency(figures, texts["key_figures"]).items()})
    files["nianbao.xlsx"] = _cached_xlsx(frames, digest.hexdigest(), cache_dir, rows)
    files["report.schema.json"] = json_schema_text().encode("utf-8")
    package = datapackage(frames, agencies, version, gz=big)
    charts = all_agency_charts(reports)  # the agency pages' chart data, resources of the package too
    files.update(chart_files(charts, version))
    package["resources"] += chart_resources(charts)
    files.update(compress.shared_schemas(package) if big else {})
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["index.md"] = render_downloads_page(agencies, version, gz=big).encode("utf-8")
    written = [compress.gzip_in_place(p) if big else p for p in [out_dir / "records.json"] + ([out_dir / "reports.csv"] if big else [])]
    for name, data in sorted(files.items()):
        _write(out_dir / name, data)
        written.append(out_dir / name)
    return sorted(written)
