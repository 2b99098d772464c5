"""The normalised text a report was parsed from (the lines the record's spans count in), for its source view.

`nianbao ingest` stores it beside the raw file, `data/raw/<agency-id>/<year>.text.txt` (UTF-8, one line
of the text a line), committed with the record, so a build never reads a raw PDF or DOCX again: a fresh
CI build at 10,000 reports reads 10,000 small text files. A record ingested before the text was stored
has none: its raw file is read again by the same readers and cleaned as the parser cleans it (the build
says so once), kept under build/cache/text/ keyed by the raw file's sha256; ingesting it again stores it.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from . import cache, paths
from .errors import NianbaoError
from .model import Report


def raw_file(report: Report) -> Path | None:
    """The report's raw file in the store, or None when the record names none that exists."""
    if not report.source.path:
        return None
    path = paths.ROOT / report.source.path
    return path if path.is_file() else None


def encode_lines(lines: list[str]) -> bytes:
    """The stored text's bytes: each line ended by "\\n" (a line holds no "\\n": lines are split on it)."""
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def decode_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")[:-1]


def stored_lines(report: Report) -> list[str] | None:
    """The text ingest stored for the report, or None when it stored none (an older record)."""
    if report.year is None:
        return None
    try:
        return decode_lines(paths.text_path(report.agency.id, report.year).read_bytes())
    except (OSError, UnicodeDecodeError):
        return None


def _entry(sha256: str) -> Path:
    key = cache.cache_key(sha256, {"normalised-text": 1})
    return paths.BUILD_CACHE / "text" / key[:2] / f"{key}.json"


def remember(sha256: str, lines: list[str]) -> None:
    """Keep a parse's normalised lines in the cache (ingest's parse step; its store step takes them)."""
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        cache.write_atomic(_entry(sha256), json.dumps(lines, ensure_ascii=False).encode("utf-8"))


def cached(sha256: str) -> list[str] | None:
    with contextlib.suppress(OSError, ValueError):
        return json.loads(_entry(sha256).read_text(encoding="utf-8"))
    return None


def read_lines(raw: Path, sha256: str | None = None) -> list[str] | None:
    """A raw file's normalised lines: from the cache, else read by the readers (and cached); None when
    it can no longer be read."""
    sha = sha256 or cache.sha256_file(raw)
    lines = cached(sha)
    if lines is not None:
        return lines
    from .parse.text import normalised
    from .readers import read_document

    try:
        lines = normalised(read_document(raw).lines)
    except NianbaoError:
        return None
    remember(sha, lines)
    return lines


_told = False


def source_lines(report: Report) -> list[str] | None:
    """The report's normalised lines: the stored text, else (an older record) its raw file read again;
    None when neither is there."""
    lines = stored_lines(report)
    if lines is not None:
        return lines
    raw = raw_file(report)
    if raw is None:
        return None
    global _told
    if not _told:
        _told = True
        print(f"nianbao: {report.source.path} and other records were ingested before their text was stored "
              f"(data/raw/<agency>/<year>.text.txt): their source views read the raw files again (cached under "
              "build/cache/text/); ingesting their files again stores it", file=sys.stderr)
    return read_lines(raw, report.source.sha256)
