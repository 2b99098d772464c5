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
