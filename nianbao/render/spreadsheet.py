"""Files safe to open in a spreadsheet: text that looks like a formula stays text, and the workbook.

A text cell starting with =, +, -, @, a tab or a carriage return is a formula to Excel, LibreOffice or
Sheets when a CSV is opened (=1+2 in an agency name, or worse, =HYPERLINK(…)). As OWASP advises against
CSV injection, such a field gets a leading single quote in the CSVs; in the workbook it is a string cell
with Excel's quotePrefix, never a formula cell. Figures are numbers and never touched (-185 stays -185).

The workbook is byte-identical for the same tables (zip entries and document dates pinned), and the
temporary files openpyxl writes while making it live under build/tmp/, never in /tmp.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from .. import paths

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PINNED = b"1980-01-01T00:00:00Z"


def inert_text(text: str) -> str:
    """A text field as a CSV must hold it: one that a spreadsheet would take for a formula gets a leading '."""
    return "'" + text if text.startswith(FORMULA_START) else text


def inert_column(text: pd.Series) -> pd.Series:
    """inert_text on every string of a column (other values as they are)."""
    risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START)).astype(bool)
    return text.where(~risky, "'" + text.where(risky, "")) if risky.any() else text


def workbook(sheets: dict[str, pd.DataFrame], headers: dict[str, str], note: list[str] | None = None) -> bytes:
    """An xlsx of `sheets` (header row frozen, `headers` naming the columns) and, with `note`, a 说明 sheet."""
    from openpyxl import Workbook

    with _temp_under_build():
        book = Workbook(write_only=True)
        for name, frame in sheets.items():
            sheet = book.create_sheet(name)
            sheet.freeze_panes = "A2"
            sheet.append([headers[c] for c in frame.columns])
            for row in frame.itertuples(index=False):
                sheet.append([_cell(sheet, v) for v in row])
        if note:
            sheet = book.create_sheet("说明")
            for line in ["说明", *note]:
                sheet.append([line])
        raw = io.BytesIO()
        book.save(raw)
    return _pin_zip(raw.getvalue())


def _cell(sheet, value):
    """A cell's value: numbers as numbers, missing as empty, and text that openpyxl would write as a formula
    (it starts with "=") or that a spreadsheet would evaluate when edited, a string cell marked as text."""
    if pd.isna(value):
        return None
    if isinstance(value, str):
        if not value.startswith(FORMULA_START):
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # not "f": never a formula
        cell.quotePrefix = True  # Excel's own mark for text typed with a leading '
        return cell
    return value.item() if hasattr(value, "item") else value


def _pin_zip(data: bytes) -> bytes:
    """openpyxl stamps the zip entries and docProps/core.xml with the time of saving: pin both."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _PINNED, body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@contextmanager
def _temp_under_build() -> Iterator[None]:
    """openpyxl's write-only workbook keeps each sheet in a temporary file, in tempfile's folder (/tmp),
    removed only at a clean exit. While a workbook is made, that folder is one of its own under build/tmp/,
    removed when done; one that a killed build left behind is removed by the next."""
    root = paths.BUILD / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob("xlsx-*-*"):
        if not _alive(int(old.name.split("-")[1])):
            shutil.rmtree(old, ignore_errors=True)
    here = tempfile.mkdtemp(prefix=f"xlsx-{os.getpid()}-", dir=root)
    saved, tempfile.tempdir = tempfile.tempdir, here
    try:
        yield
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(here, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
