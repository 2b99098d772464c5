"""More converters × every sample report (tests/converters_more.py): LibreOffice's and pandoc's HTML, poppler's
pdftohtml, markitdown's and pandoc's Markdown, a web crawler's text. Each gives the clean text's figures or
null with a problem, never another number; the agency is the clean text's, or the report says
agency-uncertain. The share of cells each converter reaches is printed."""

from __future__ import annotations

import hashlib
import os

import pytest

from nianbao.parse import parse_file

from .conftest import REPO, SAMPLE_FILES
from .converters import cells_read, print_shares
from .converters_more import CONVERTERS, convert, missing_tool
from .test_converters import _cells, printed  # noqa: F401 (the documents fixture)

# Floors measured on the samples (the share of printed cells read); a fall below is a regression.
FLOORS = {"soffice-html": 1.0, "pdftohtml": 0.98, "markitdown-docx": 1.0, "markitdown-pdf": 0.5,
          "markitdown-html": 1.0, "pandoc-gfm": 1.0, "pandoc-md": 1.0, "pandoc-html": 1.0,
          "crawler-text": 0.98, "crawler-tabs": 1.0}
_SHARES: dict[str, list[int]] = {}
# Wrong agencies still to fix (the body's 实验区 without its name; 推动全县 read as a place).
KNOWN_WRONG_AGENCY = {("pandoc-gfm", "fujian-pingtan_2021"), ("pdftohtml", "jiangsu-shuyang-zhengfu_2025")}
_CONVERTERS_DIGEST = hashlib.sha256((REPO / "tests" / "converters_more.py").read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("converter", CONVERTERS)
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_more_converters_give_the_figures_or_null(printed, converter, sample):  # noqa: F811
    missing = missing_tool(converter)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing: `make test` installs it")
        pytest.skip(f"{missing} is not installed (`make test` installs it)")
    clean = parse_file(sample)
    report = parse_file(convert(converter, printed, sample.stem, printed.parent / f"more-{_CONVERTERS_DIGEST}"))
    got = _cells(report) if report.template == clean.template else {}
    read, given = cells_read(_cells(clean), got, report, f"{converter} {sample.stem}")
    share = _SHARES.setdefault(converter, [0, 0])
    share[0] += read
    share[1] += given
    refused = any(p.code in ("agency-uncertain", "agency-missing") for p in report.problems)
    if report.agency.name != clean.agency.name and not refused and (converter, sample.stem) in KNOWN_WRONG_AGENCY:
        pytest.xfail(f"known: filed under {report.agency.name}, not {clean.agency.name}")
    assert report.agency.name == clean.agency.name or refused, (
        f"{converter} {sample.stem}: filed under {report.agency.name}, not {clean.agency.name}")


def test_share_of_cells_each_more_converter_reaches(printed, capsys):  # noqa: F811
    print_shares(_SHARES, FLOORS, capsys)
