"""How much work one input may ask for: sizes, pages and decoded bytes, checked before the work is done.

A small file can ask for a lot: a DOCX part that inflates a thousandfold, a PDF of thousands of empty
pages or with a compressed stream that inflates to gigabytes. Each limit below is far above what an
annual report needs (they run to a few dozen pages and a few MB) and low enough that no single input
takes more than about 1 GB of memory or a minute. Each refusal is one InputError naming the file and
the limit. README.md and content/methodology.md list them; the worker processes of `ingest` add a
memory and time budget per file on top (nianbao/workers.py).
"""

from __future__ import annotations

import io
import itertools
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from ..errors import InputError

MB = 2**20

MAX_FILE_BYTES = 200 * MB  # any report file
MAX_HTML_BYTES = 8 * MB  # a saved web page (a report page is well under 1 MB)
MAX_TEXT_BYTES = 16 * MB  # a text or Markdown file
MAX_TEXT_CHARS = 5_000_000  # the text read out of any file (a long report holds about 50,000)
MAX_TEXT_LINES = 200_000  # its lines (a long report has about 2,000)

MAX_DOCX_MEMBERS = 10_000  # files inside a DOCX archive
MAX_DOCX_XML_PART = 16 * MB  # one XML part (word/document.xml …) once inflated
MAX_DOCX_PART = 128 * MB  # any other part (an image) once inflated
MAX_DOCX_TOTAL = 256 * MB  # all parts together once inflated

MAX_PDF_PAGES = 200
MAX_PDF_CHARS = 100_000  # characters on all pages (a long report has about 30,000)
MAX_PDF_STREAM = 64 * MB  # one stream (page content, font, …) once decoded
MAX_PDF_DECODED = 256 * MB  # all streams of one PDF together once decoded


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def check_file_size(size: int, fmt: str, path: str | Path) -> None:
    """The file's own size, by format: a text or HTML file is read whole into memory and parsed."""
    limit = {"html": MAX_HTML_BYTES, "txt": MAX_TEXT_BYTES, "md": MAX_TEXT_BYTES}.get(fmt, MAX_FILE_BYTES)
    if size > limit:
        what = {"html": "an HTML page", "txt": "a text file", "md": "a text file"}.get(fmt, "a report file")
        raise InputError(f"the file is {_size(size)}, more than {what} may be ({_size(limit)})", path)


def check_text_length(lines: list[str], path: str | Path) -> None:
    if len(lines) > MAX_TEXT_LINES:
        raise InputError(f"the text read from it has {len(lines):,} lines, more than a report may have "
                         f"({MAX_TEXT_LINES:,})", path)
    chars = sum(map(len, lines))
    if chars > MAX_TEXT_CHARS:
        raise InputError(f"the text read from it is {chars:,} characters, more than a report may hold "
                         f"({MAX_TEXT_CHARS:,})", path)


def check_docx_archive(archive: zipfile.ZipFile, path: str | Path) -> None:
    """The sizes the archive declares for its members once inflated. zipfile never inflates a member past
    its declared size (it stops there and fails the CRC), so these bound what opening the DOCX costs."""
    members = archive.infolist()
    if len(members) > MAX_DOCX_MEMBERS:
        raise InputError(f"the DOCX archive holds {len(members):,} files, more than {MAX_DOCX_MEMBERS:,}", path)
    total = 0
    for info in members:
        xml = info.filename.lower().endswith((".xml", ".rels"))
        limit = MAX_DOCX_XML_PART if xml else MAX_DOCX_PART
        if info.file_size > limit:
            raise InputError(f"the DOCX part {info.filename} inflates to {_size(info.file_size)}, more than "
                             f"{_size(limit)}", path)
        total += info.file_size
    if total > MAX_DOCX_TOTAL:
        raise InputError(f"the DOCX parts inflate to {_size(total)} together, more than {_size(MAX_DOCX_TOTAL)}", path)


def check_pdf_pages(doc, path: str | Path) -> None:
    """At most MAX_PDF_PAGES pages in a pdfminer PDFDocument (counted without reading past the limit)."""
    from pdfminer.pdfpage import PDFPage

    if sum(1 for _ in itertools.islice(PDFPage.create_pages(doc), MAX_PDF_PAGES + 1)) > MAX_PDF_PAGES:
        raise InputError(f"the PDF has more than {MAX_PDF_PAGES} pages, more than a report may have", path)


def check_pdf_chars(count: int, path: str | Path) -> None:
    if count > MAX_PDF_CHARS:
        raise InputError(f"the PDF has more than {MAX_PDF_CHARS:,} characters, more than a report may have", path)


class DecodedTooLarge(Exception):
    """A PDF stream decodes past MAX_PDF_STREAM, or the PDF's streams past MAX_PDF_DECODED."""


def _stream_too_large() -> DecodedTooLarge:
    return DecodedTooLarge(f"a PDF stream decodes to more than {_size(MAX_PDF_STREAM)}")


class _Inflater:
    """zlib as pdfminer uses it, with a bound on what decompress() may return, one stream and in all."""

    error = zlib.error

    def __init__(self) -> None:
        self.total = 0

    def decompress(self, data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, MAX_PDF_STREAM + 1)
        if len(out) > MAX_PDF_STREAM or inflater.unconsumed_tail:
            raise _stream_too_large()
        if not inflater.eof:  # a truncated stream: pdfminer then inflates it byte by byte, as far as it goes
            raise zlib.error("incomplete or truncated stream")
        self._count(len(out))
        return out

    def decompressobj(self, *args, **kwargs):
        return _BoundedInflater(zlib.decompressobj(*args, **kwargs), self)

    def decompress_corrupted(self, data: bytes) -> bytes:
        """pdfminer's decompress_corrupted (a stream whose checksum, its last bytes, is damaged or cut off:
        keep what inflates before it; damage earlier is an error), in linear time: pdfminer feeds one byte
        at a time and joins the output as it grows, which takes hours for a stream of tens of MB. Here
        the data goes in blocks, and only a block that fails is fed again byte by byte, to find where."""
        inflater, out, start = self.decompressobj(), [], 0
        while start < len(data):
            block, saved = data[start: start + 4096], inflater.inner.copy()
            try:
                out.append(inflater.decompress(block))
            except zlib.error:
                inflater.inner = saved
                for i in range(start, start + len(block)):
                    try:
                        out.append(inflater.decompress(data[i: i + 1]))
                    except zlib.error:
                        if i < len(data) - 3:
                            raise
                        break
                break
            start += len(block)
        return b"".join(out)

    def _count(self, n: int) -> None:
        self.total += n
        if self.total > MAX_PDF_DECODED:
            raise DecodedTooLarge(f"the PDF's streams decode to more than {_size(MAX_PDF_DECODED)}")


class _BoundedInflater:
    def __init__(self, inner, owner: _Inflater) -> None:
        self.inner, self.owner, self.out = inner, owner, 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self.inner.decompress(data, max_length)
        self.out += len(out)
        if self.out > MAX_PDF_STREAM:
            raise _stream_too_large()
        self.owner._count(len(out))
        return out

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


@contextmanager
def bounded_pdf_streams() -> Iterator[None]:
    """While reading one PDF: pdfminer's FlateDecode, LZWDecode and RunLengthDecode stop at the stream and
    total limits.

    pdfminer inflates a stream whole (zlib.decompress) with no bound and offers no hook, so its module's
    `zlib`, `lzwdecode`, `rldecode` and `decompress_corrupted` are swapped for bounded ones for the duration
    of the read (RunLengthDecode repeats a byte up to 128 times for two)."""
    from pdfminer import lzw, pdftypes, runlength

    inflater = _Inflater()

    def lzwdecode(data: bytes) -> bytes:
        out, size = [], 0
        for chunk in lzw.LZWDecoder(io.BytesIO(data)).run():
            size += len(chunk)
            if size > MAX_PDF_STREAM:
                raise _stream_too_large()
            out.append(chunk)
        inflater._count(size)
        return b"".join(out)

    def rldecode(data: bytes) -> bytes:
        if len(data) * 128 > MAX_PDF_STREAM and _run_length_size(data) > MAX_PDF_STREAM:  # it could: count
            raise _stream_too_large()
        out = runlength.rldecode(data)
        inflater._count(len(out))
        return out

    saved = pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode, pdftypes.decompress_corrupted
    pdftypes.zlib = SimpleNamespace(decompress=inflater.decompress, decompressobj=inflater.decompressobj,
                                    error=zlib.error)
    pdftypes.lzwdecode, pdftypes.rldecode, pdftypes.decompress_corrupted = (
        lzwdecode, rldecode, inflater.decompress_corrupted)
    try:
        yield
    finally:
        pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode, pdftypes.decompress_corrupted = saved


def _run_length_size(data: bytes) -> int:
    """What RunLengthDecode makes of data (PDF 1.7 §7.4.5: a length byte n, then n + 1 bytes as they are
    when n < 128, or one byte 257 - n times when n > 128; 128 ends), counted without making it."""
    size = i = 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        size, i = (size + n + 1, i + n + 2) if n < 128 else (size + 257 - n, i + 2)
    return size
