"""The converter matrix: every sample report × every converter gives the clean text's figures, or null
with a problem, never another number. The share of cells each converter reaches is printed."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from nianbao.parse import parse_file

from .conftest import REPO, SAMPLE_FILES
from .converters import CONVERTERS, cells_read, convert, ocr_damage, print_shares
from .test_readers import make_documents

CACHE = REPO / "build" / "converters"
# Floors measured on the samples (the share of printed cells read); a fall below is a regression.
FLOORS = {"pdftotext": 0.973, "pdftotext-layout": 0.99, "pdftotext-raw": 0.98, "pdfplumber": 0.98,
          "pypdfium2": 0.98, "soffice-txt": 1.0, "ocr": 1.0}
_SHARES: dict[str, list[int]] = {}


def _cache_key() -> str:
    """What the documents are made from: the samples, their golden records and the document writer."""
    digest = hashlib.sha256()
    for path in [REPO / "scripts" / "make_documents.py", *SAMPLE_FILES,
                 *sorted((REPO / "tests" / "golden" / "records").glob("*.json"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def printed():
    """Each sample as DOCX and PDF (LibreOffice), cached under build/converters/<key>/documents."""
    if make_documents.soffice() is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice or poppler-utils missing: `make test` installs them")
        pytest.skip("LibreOffice (soffice) or pdftotext (poppler-utils) is not installed")
    cache = CACHE / _cache_key()
    outdir = cache / "documents"
    missing = [s for s in SAMPLE_FILES if not (outdir / f"{s.stem}.pdf").exists()]
    if missing:
        make_documents.build_all(missing, outdir)
    return outdir


def _cells(report) -> dict[str, object]:
    return make_documents.table_cells(report)


@pytest.mark.parametrize("converter", [*CONVERTERS, "ocr"])
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_converter_gives_the_figures_or_null(printed, converter, sample, tmp_path):
    want = _cells(parse_file(sample))
    if converter == "ocr":
        path = tmp_path / f"{sample.stem}{sample.suffix}"
        path.write_text(ocr_damage(sample.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        path = convert(converter, printed / f"{sample.stem}.pdf", printed / f"{sample.stem}.docx", printed.parent)
    report = parse_file(path)
    got = _cells(report) if report.template == parse_file(sample).template else {}
    read, given = cells_read(want, got, report, f"{converter} {sample.stem}")
    share = _SHARES.setdefault(converter, [0, 0])
    share[0] += read
    share[1] += given


def test_share_of_cells_each_converter_reaches(printed, capsys):
    print_shares(_SHARES, FLOORS, capsys)
