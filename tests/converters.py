"""The converters journalists use, run on the sample reports printed to PDF by LibreOffice.

Each converter turns a sample's DOCX or PDF (scripts/make_documents.py) into text as the real tool does;
`ocr` damages the clean sample text as OCR does (look-alike characters in labels and names, a dropped
character). Outputs are cached under build/converters/ and made again when missing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

# Look-alike characters OCR confuses in these reports' labels and names.
LOOKALIKES = {"禁止": "止", "沭": "沐", "已获取": "己获取", "未经": "末经"}
DROPPED = ("相关政府信息", "相关政府信")  # a character dropped at the end of a label


def pdftotext(mode: str | None) -> Callable[[Path, Path], str]:
    def run(pdf: Path, docx: Path) -> str:
        cmd = ["pdftotext", "-enc", "UTF-8", *([mode] if mode else []), str(pdf), "-"]
        return subprocess.run(cmd, check=True, capture_output=True, timeout=120).stdout.decode("utf-8")
    return run


def pdfplumber_text(pdf: Path, docx: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def pypdfium2_text(pdf: Path, docx: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\r\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def soffice_text(pdf: Path, docx: Path) -> str:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-txt-") as work:
        cmd = [binary, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
               "--convert-to", "txt:Text (encoded):UTF8", "--outdir", work, str(docx)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        return (Path(work) / f"{docx.stem}.txt").read_text(encoding="utf-8-sig")


def ocr_damage(text: str) -> str:
    for clean, damaged in LOOKALIKES.items():
        text = text.replace(clean, damaged)
    return text.replace(*DROPPED)


CONVERTERS: dict[str, Callable[[Path, Path], str]] = {
    "pdftotext": pdftotext(None),
    "pdftotext-layout": pdftotext("-layout"),
    "pdftotext-raw": pdftotext("-raw"),
    "pdfplumber": pdfplumber_text,
    "pypdfium2": pypdfium2_text,
    "soffice-txt": soffice_text,
}


def cells_read(want: dict[str, object], got: dict[str, object], report, what: str) -> tuple[int, int]:
    """(cells read alike, cells the clean text gives): a converter's report's cells against the clean text's
    (make_documents.table_cells). Fails on a wrong or invented figure, and on a null with no problem."""
    wrong = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) is not None and got.get(k) != v}
    invented = {k: got[k] for k in got if got[k] is not None and want.get(k) is None}
    assert not wrong and not invented, f"{what}: wrong {wrong}, invented {invented}"
    given = [k for k, v in want.items() if v is not None]
    read = sum(1 for k in given if got.get(k) == want[k])
    if read < len(given):
        tables = {k.split(".")[0] for k in given if got.get(k) is None}
        assert any(p.table in tables or p.table is None for p in report.problems), f"{what}: a null without a problem"
    return read, len(given)


def print_shares(shares: dict[str, list[int]], floors: dict[str, float], capsys) -> None:
    """Each converter's share of the cells, printed; a share below its floor fails."""
    import pytest

    if not shares:
        pytest.skip("the matrix did not run")
    lines = [f"{name:17} {read:5}/{given:5} cells ({100 * read / max(given, 1):5.1f} %)"
             for name, (read, given) in sorted(shares.items())]
    with capsys.disabled():
        print("\nconverter matrix:\n" + "\n".join(lines))
    for name, (read, given) in shares.items():
        assert read / given >= floors[name], name


def convert(name: str, pdf: Path, docx: Path, cache: Path) -> Path:
    """The converter's text of one document, cached by converter and document name."""
    out = cache / name / f"{pdf.stem}.txt"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        text = CONVERTERS[name](pdf, docx)
        tmp = out.with_suffix(".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    return out
