"""Bytes → clean text: encodings, BOMs, line endings, full-width characters, converter artefacts."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import InputError

_CJK = re.compile(r"[\u4e00-\u9fff]")

# Full-width digits and punctuation that carry numbers; kept as a translate table for speed.
_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９－＋％"}
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None,
                   0xFEFF: None, 0x2212: ord("-"), 0xFE63: ord("-"), 0x2010: ord("-"), 0x2011: ord("-")})

# Full-width separators inside a number (２，７８８ / ２１．５): made ASCII only there, so prose keeps its ，。
_NUMBER_PUNCT = re.compile(r"(?<=\d)[，．](?=\d)")
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\{#[^}]*\}")


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str]:
    """Decode a text report: UTF-8 (with or without BOM), UTF-16 (BOM or not), GB18030/GBK.

    Raises InputError for binary data or text in no encoding we can trust.
    """
    if not data:
        raise InputError("the file is empty", path)
    if data.startswith(b"\xef\xbb\xbf"):
        return _finish(data[3:].decode("utf-8", errors="replace"), "utf-8-sig", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _finish(data.decode("utf-16", errors="replace"), "utf-16", path)
    utf16 = _guess_utf16(data)
    if utf16:
        return _finish(data.decode(utf16, errors="replace"), utf16, path)
    if b"\x00" in data[:65536]:
        raise InputError("binary data, not text (a NUL byte in the first 64 KB)", path)
    try:
        return _finish(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    try:
        return _finish(data.decode("gb18030"), "gb18030", path)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            "unknown text encoding: neither UTF-8, UTF-16 nor GB18030 (GBK); save the file as UTF-8", path, line
        ) from None


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII-heavy UTF-16 has NULs in one byte position; CJK-heavy UTF-16 has none, but decodes cleanly
    # into mostly CJK, which UTF-8 never does for such bytes.
    if odd_nul > half * 0.3 and even_nul < half * 0.05:
        return "utf-16-le"
    if even_nul > half * 0.3 and odd_nul < half * 0.05:
        return "utf-16-be"
    if len(data) % 2 == 0:
        try:
            data.decode("utf-8")
            return None
        except UnicodeDecodeError:
            pass
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data[:4096].decode(enc)
            except UnicodeDecodeError:
                continue
            cjk = len(_CJK.findall(text))
            if cjk > len(text) * 0.5:
                return enc
    return None


def _finish(text: str, encoding: str, path: str | Path) -> tuple[str, str]:
    bad = text.count("\ufffd")
    if bad > max(8, len(text) // 50):
        raise InputError(f"unknown text encoding: {bad} undecodable characters as {encoding}", path)
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, min(len(text), 65536) // 100):
        raise InputError("binary data, not text (control characters)", path)
    return normalize_newlines(text), encoding


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


# Page numbers a PDF converter leaves between table rows (`- 3 -`, `— 3 —`, `第 3 页`, `3 / 12`).
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]+\s*\d{1,3}\s*[-—–]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")


def clean_line(line: str) -> str:
    """A line with full-width digits and spaces made ASCII and converter artefacts removed.

    Tabs are kept: they separate table cells. A line holding only a page number becomes empty (its
    line number stays, so every figure still points at its source line).
    """
    line = line.translate(_FULLWIDTH)
    if len(line.strip()) < 24 and _PAGE_NUMBER.match(line):
        return ""
    if "，" in line or "．" in line:
        line = _NUMBER_PUNCT.sub(lambda m: "," if m.group(0) == "，" else ".", line)
    if "[" in line or "{#" in line:
        line = _ARTEFACTS.sub("", line)
    return line


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
