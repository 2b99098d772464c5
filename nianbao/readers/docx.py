"""DOCX → lines: the body's paragraphs and tables in document order, tables laid on their grid.

python-docx opens the package; the body is walked at the XML level because `row.cells` repeats a merged
cell once per grid column it covers, while the grid (w:gridSpan, w:vMerge) says where each cell starts.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from . import Document, cell_text, lay_out, properties, prose_text, table_block
from .docx_numbering import Numbering
from .limits import check_docx_archive

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt"
_T = f"{_W}t"
_TEXT_TAGS = {_T, f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers that only wrap content: a content control, custom XML, tracked insertions of whole rows.
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"}


def read_docx(data: bytes, path: str | Path) -> Document:
    document = _open(data, path)
    try:
        numbering = Numbering(document.part.numbering_part.element, document.styles.element)
    except Exception:  # a damaged numbering or styles part: read on without automatic numbers
        numbering = Numbering(None, None)
    lines: list[str] = []
    _read_blocks(document.element.body, lines, numbering)
    if not any(line.strip() for line in lines):
        raise InputError("the DOCX document has no text", path)
    return Document(lines=lines, format="docx", encoding=None, properties=_properties(document))


def _properties(document) -> dict[str, str]:
    """Core properties (title, author) and the company of the extended properties, where the writer set them."""
    try:
        core = document.core_properties
        pairs = [("docx-title", core.title), ("docx-author", core.author)]
    except Exception:  # a damaged core-properties part: the document is still worth reading
        pairs = []
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            from lxml import etree

            try:
                app = etree.fromstring(part.blob)
            except etree.XMLSyntaxError:
                break
            pairs.append(("docx-company", app.findtext("{*}Company")))
            break
    return properties(pairs)


def _open(data: bytes, path: str | Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_docx_archive(archive, path)  # before anything is inflated
            names = set(archive.namelist())
            bad = archive.testzip()
    except InputError:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise InputError(f"corrupt or truncated DOCX file ({exc})", path) from None
    except Exception as exc:  # zlib errors and the like inside a damaged archive
        raise InputError(f"corrupt or truncated DOCX file ({type(exc).__name__}: {exc})", path) from None
    if bad is not None:
        raise InputError(f"corrupt or truncated DOCX file (damaged member {bad})", path)
    if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
        if any(n.lower().endswith("ofd.xml") for n in names):
            raise InputError("an OFD document, which is not read; use the PDF or DOCX the agency also publishes", path)
        if "xl/workbook.xml" in names:
            raise InputError("an Excel workbook, not a report document", path)
        raise InputError("a ZIP archive but not a Word document (no word/document.xml)", path)
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise InputError(f"not a readable DOCX document ({exc})", path) from None
    except Exception as exc:  # lxml syntax errors in a damaged part
        raise InputError(f"corrupt DOCX document ({type(exc).__name__}: {exc})", path) from None


def _children(el, tags: set[str]):
    """Child elements with one of `tags`, looking through wrappers such as content controls."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _read_blocks(container, lines: list[str], numbering: Numbering) -> None:
    for child in _children(container, {_P, _TBL}):
        if child.tag == _P:
            lines.extend(_paragraph_lines(child, numbering))
        else:
            _read_table(child, lines, numbering)


def _paragraph_text(p, numbering: Numbering) -> str:
    parts: list[str] = [numbering.label(p)]
    for el in _text_elements(p):
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag == f"{_W}tab":
            parts.append(" ")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        else:  # w:br, w:cr
            parts.append("\n")
    return "".join(parts)


def _text_elements(el):
    """The text-bearing elements under el in order. Deleted text (w:delText) is not among them, and of a
    text box given twice (mc:AlternateContent: the drawing, then a VML fallback) only the first counts."""
    for child in el:
        tag = child.tag
        if tag in _TEXT_TAGS:
            yield child
        elif tag == _FALLBACK or not isinstance(tag, str):
            continue
        else:
            yield from _text_elements(child)


def _paragraph_lines(p, numbering: Numbering) -> list[str]:
    text = _paragraph_text(p, numbering)
    lines = [prose_text(part) for part in text.split("\n")]
    return [line for line in lines if line] or [""]


def _is_layout_table(tbl) -> bool:
    """A table used as a frame (one cell, or cells holding tables) is read as the blocks it holds."""
    if tbl.find(f".//{_TC}//{_TBL}") is not None:
        return True
    rows = list(_children(tbl, {_TR}))
    return len(rows) == 1 and len(list(_children(rows[0], {_TC}))) == 1


def _read_table(tbl, lines: list[str], numbering: Numbering) -> None:
    if _is_layout_table(tbl):
        for tr in _children(tbl, {_TR}):
            for tc in _children(tr, {_TC}):
                _read_blocks(tc, lines, numbering)
        return
    cells: list[tuple[int, int, int, str]] = []
    for r, tr in enumerate(_children(tbl, {_TR})):
        c = _grid_value(tr, "gridBefore")
        cells += [(r, j, 1, "") for j in range(c)]  # grid columns a row leaves out are blank cells
        for tc in _children(tr, {_TC}):
            span = max(1, min(_cell_prop(tc, "gridSpan") or 1, 64))
            if _vmerge(tc) != "continue":  # a cell merged downwards is written on its first row only
                text = cell_text(" ".join(_paragraph_text(p, numbering) for p in tc.iter(_P)))
                cells.append((r, c, span, text))
            c += span
        cells += [(r, c + j, 1, "") for j in range(_grid_value(tr, "gridAfter"))]
    lines.extend(table_block(lay_out(cells, _narrow_columns(tbl))))


def _narrow_columns(tbl) -> frozenset[int]:
    """Grid columns under about a millimetre wide (w:gridCol in twips): edges that nearly meet."""
    widths = [_val_int(col, "w") for col in tbl.iterfind(f"{_W}tblGrid/{_W}gridCol")]
    return frozenset(j for j, w in enumerate(widths) if w is not None and w < 60)


def _val_int(el, name: str) -> int | None:
    try:
        return int(el.get(f"{_W}{name}"))
    except (TypeError, ValueError):
        return None


def _val(el) -> str | None:
    return el.get(f"{_W}val") if el is not None else None


def _cell_prop(tc, name: str) -> int | None:
    value = _val(tc.find(f"{_W}tcPr/{_W}{name}"))
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _grid_value(tr, name: str) -> int:
    value = _val(tr.find(f"{_W}trPr/{_W}{name}"))
    try:
        return max(0, min(int(value), 64)) if value is not None else 0
    except ValueError:
        return 0


def _vmerge(tc) -> str | None:
    """'restart' for the first cell of a vertical merge, 'continue' for the cells under it, else None."""
    el = tc.find(f"{_W}tcPr/{_W}vMerge")
    if el is None:
        return None
    return _val(el) or "continue"
