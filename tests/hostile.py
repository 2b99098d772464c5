"""Hostile inputs, made small on disk: decompression bombs, a PDF of thousands of pages, YAML alias bombs.

Used by tests/test_limits.py and scripts/hostile_inputs.py (which measures them at the sizes issue 12
reported). Each generator writes the file and returns its path.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

MB = 2**20
REPO = Path(__file__).resolve().parent.parent
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARAGRAPH = b"<w:p><w:r><w:t>0</w:t></w:r></w:p>"


def docx_bomb(path: Path, inflated: int, *, declared: int | None = None) -> Path:
    """A DOCX whose word/document.xml inflates to `inflated` bytes of paragraphs. With `declared`, the
    archive states that size instead (a zip that lies about its members' sizes)."""
    import docx

    base = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("2021年政府信息公开工作年度报告")
    document.save(base)
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'.encode()
    tail = b"</w:body></w:document>"
    block = _PARAGRAPH * (MB // len(_PARAGRAPH))  # whole paragraphs
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, src.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=inflated > 2**31) as f:
                f.write(head)
                left = (inflated - len(head) - len(tail)) // len(_PARAGRAPH) * len(_PARAGRAPH)
                while left > 0:
                    f.write(block[: min(left, len(block))])
                    left -= len(block)
                f.write(tail)
    if declared is not None:
        _declare_size(path, "word/document.xml", declared)
    return path


def _declare_size(path: Path, name: str, size: int) -> None:
    """Overwrite the uncompressed size of member `name` in its local header and central directory entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local, at = archive.getinfo(name).header_offset, archive.start_dir  # start of the central directory
    struct.pack_into("<I", data, local + 22, size)
    while data[at: at + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, at + 28)
        if bytes(data[at + 46: at + 46 + n]).decode() == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at += 46 + n + m + k
    path.write_bytes(bytes(data))


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of numbered objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, *, flate: bool = False) -> bytes:
    extra = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def deflated(size: int, unit: bytes = b" " * 4096) -> bytes:
    """zlib data that inflates to `size` bytes of `unit` (a page content stream of whitespace by default)."""
    packer = zlib.compressobj(9)
    parts, left = [], size
    block = unit * (MB // len(unit))
    while left > 0:
        parts.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(packer.flush())
    return b"".join(parts)


def pages_pdf(contents: list[bytes], *, flate: bool = False) -> bytes:
    """One page per content stream, all with the Helvetica font as F1."""
    n = len(contents)
    first_page = 4 + n
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objects += [_stream(c, flate=flate) for c in contents]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>" % (4 + i) for i in range(n)]
    return _pdf(objects)


def pdf_many_pages(path: Path, pages: int) -> Path:
    """A PDF of `pages` pages, each a line of text, sharing one content stream (a few dozen bytes a page)."""
    text = b"BT /F1 12 Tf 72 720 Td (2021 annual report) Tj ET"
    n = pages
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", _stream(text)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * n
    path.write_bytes(_pdf(objects))
    return path


def pdf_flate_bomb(path: Path, inflated: int, streams: int = 1) -> Path:
    """A PDF of `streams` pages whose FlateDecode content streams inflate to `inflated` bytes each."""
    bomb = deflated(inflated)
    path.write_bytes(pages_pdf([bomb] * streams, flate=True))
    return path


def pdf_run_length_bomb(path: Path, runs: int) -> Path:
    """A PDF page whose content stream, FlateDecode then RunLengthDecode, repeats a space 128 times for
    every two bytes of run-length data."""
    data = zlib.compress(bytes([129, 0x20]) * runs + b"\x80", 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Length %d /Filter [/FlateDecode /RunLengthDecode] >>\nstream\n" % len(data) + data
               + b"\nendstream",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"]
    path.write_bytes(_pdf(objects))
    return path


def yaml_alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A corrections file whose value is a "billion laughs": width**levels strings from a few hundred bytes."""
    lines = ["- path: requests.granted.total", "  reason: 更正", f"  value: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"- &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))  # kills it past
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"code": done.returncode, "err": done.stderr, "peak": peak, "seconds": seconds}))
"""


def run_nianbao(*args: str, root: Path | None = None, timeout: float = 600) -> tuple[int, list[str], int, float]:
    """(exit code, stderr lines, peak memory in bytes, seconds) of `nianbao args` in a child process. The
    peak is the largest resident set of that process and its workers: ru_maxrss of the children of a small
    wrapper process, so that no other child of the caller counts."""
    env = {**os.environ, **({"NIANBAO_ROOT": str(root)} if root else {})}
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(timeout), sys.executable, "-m", "nianbao.cli", *args],
                         capture_output=True, text=True, env=env, cwd=REPO, check=True)
    result = json.loads(out.stdout)
    return result["code"], result["err"].splitlines(), result["peak"], result["seconds"]
