"""Read a source file into lines of text: the one shape the parser reads.

Tables come out one row per line with cells separated by tabs, so DOCX, PDF and HTML tables reach the
parser in the same shape as converter text. The format is recognised from the content, not only the
extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Document:
    lines: list[str]
    format: str  # txt, md, docx, pdf, html
    encoding: str | None  # of text formats; None for binary containers


def sniff_format(data: bytes, path: Path) -> str:
    """The file's format from its first bytes, falling back on the extension for plain text."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    probe = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        probe.startswith(b"<") and (b"<body" in head.lower() or b"<table" in head.lower() or b"<div" in head.lower())
    ):
        return "html"
    ext = path.suffix.lower().lstrip(".")
    return "md" if ext in ("md", "markdown") else "txt"


def read_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path) from None
    if path.is_dir():
        raise InputError("is a folder, not a report file", path)
    if size == 0:
        raise InputError("the file is empty", path)
    if size > MAX_BYTES:
        raise InputError(f"the file is {size // 2**20} MB, larger than a report can be", path)
    data = path.read_bytes()
    fmt = sniff_format(data, path)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, path)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, path)
    if fmt == "html":
        from .html import read_html

        return read_html(data, path)
    from ..parse.normalize import decode_bytes

    text, encoding = decode_bytes(data, path)
    return Document(lines=text.split("\n"), format=fmt, encoding=encoding)
