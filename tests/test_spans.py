"""Every figure to its source: the record's spans point at the printed text each figure was read from."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import template as T
from nianbao.parse import parse_file
from nianbao.parse.numbers import tokens
from nianbao.parse.spans import Located, decode
from nianbao.parse.text import Doc
from nianbao.readers import read_document

from .conftest import SAMPLE_FILES


def _text(doc: Doc, at: Located) -> str:
    start = doc._line_starts[at.line - 1] + at.start
    return doc.text[start:doc._line_starts[at.end_line - 1] + at.end]


def _columns(report, table: str, row: str) -> tuple[str, ...]:
    if table == "requests":
        return T.APPLICANT_COLUMNS
    if table == "appeals":
        return T.APPEAL_COLUMNS
    return next(r.columns for r in T.PROACTIVE_ROWS[report.template] if r.key == row)


def _value(report, table: str, row: str, column: str):
    return getattr(getattr(getattr(report, table), row), column)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_cell_span_holds_its_figure(path: Path) -> None:
    report = parse_file(path)
    doc = Doc(read_document(path).lines)  # the normalised text the source view shows
    cells = 0
    for table in ("proactive", "requests", "appeals"):
        for row, entry in report.spans.get(table, {}).items():
            row_span, *cols = decode(entry)
            assert row_span is not None and _text(doc, row_span).strip(), (table, row)
            if cols:
                assert len(cols) == len(_columns(report, table, row)), (table, row, entry)
            for column, at in zip(_columns(report, table, row), cols, strict=False):
                if at is None:
                    continue
                printed = tokens(_text(doc, at), 0, stop_at_text=False)
                assert len(printed) == 1 and abs(printed[0].value() - _value(report, table, row, column)) < 1e-6, (table, row, column)
                cells += 1
    for key, entry in report.spans.get("metrics", {}).items():
        (at,) = decode(entry)
        assert tokens(_text(doc, at), 0, stop_at_text=False)[0].value() == report.metrics[key].value
        assert at.line == report.metrics[key].line
    if report.template and report.requests is not None and "pingtan" not in path.stem:
        assert cells >= 25, "a report with delimited cells locates each of them"


def test_one_line_report_is_located_by_characters(sample_files: list[Path]) -> None:
    """平潭 2020 is one line of web text: its unreadable 行政许可 run is located by its characters."""
    path = next(p for p in sample_files if p.stem == "fujian-pingtan_2020")
    report = parse_file(path)
    doc = Doc(read_document(path).lines)
    (row_span,) = decode(report.spans["proactive"]["licensing"])
    assert row_span.line == 1 and row_span.start > 1000
    assert _text(doc, row_span) == "行政许可396442278"
    requests = {row: decode(e)[0] for row, e in report.spans["requests"].items()}
    starts = [requests[r.key].start for r in T.REQUEST_ROWS["2019"] if r.key in requests]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "each row has its own place on the line"
