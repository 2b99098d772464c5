"""The normalised text a report was parsed from (the lines the record's spans count in), for its source view.

It is the raw file read again by the same readers and cleaned as the parser cleans it (parse.text.Doc),
so a span in the record lands on the same characters here. Reading a PDF or DOCX again is slow, so the
text is kept under build/cache/text/, keyed by the raw file's sha256 and the parser's version.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from .. import cache, paths
from ..errors import NianbaoError
from ..model import Report


def raw_file(report: Report) -> Path | None:
    """The report's raw file in the store, or None when the record names none that exists."""
    if not report.source.path:
        return None
    path = paths.ROOT / report.source.path
    return path if path.is_file() else None


def _entry(sha256: str) -> Path:
    key = cache.cache_key(sha256, {"normalised-text": 1})
    return paths.BUILD_CACHE / "text" / key[:2] / f"{key}.json"


def source_lines(report: Report) -> list[str] | None:
    """The report's normalised lines, or None when its raw file is missing or can no longer be read."""
    raw = raw_file(report)
    if raw is None:
        return None
    sha = report.source.sha256 or cache.sha256_file(raw)
    entry = _entry(sha)
    with contextlib.suppress(OSError, ValueError):
        return json.loads(entry.read_text(encoding="utf-8"))
    from ..parse.text import Doc
    from ..readers import read_document

    try:
        lines = Doc(read_document(raw).lines).lines
    except NianbaoError:
        return None
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        cache.write_atomic(entry, json.dumps(lines, ensure_ascii=False).encode("utf-8"))
    return lines
