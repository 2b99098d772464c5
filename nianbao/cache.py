"""Atomic writes, and the parse cache under build/cache/ that makes re-ingesting incremental.

A parsed report is stored under the sha256 of its raw bytes, the parse options and the parser's
version (nianbao.__version__ plus a hash of the parser's and readers' source), so a changed report or
parser re-parses exactly what it must and nothing else. Corrections are not part of the key: they
are applied to the (cached) parse on every ingest, which is cheap, so editing one never needs a
re-parse and can never be served stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths

# The source files whose change changes what parsing a file gives.
_PARSER_SOURCES = ("parse", "readers", "model.py", "template.py", "errors.py")


_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what open() makes: mkstemp's 0600 is changed to it


def write_atomic(path: Path, data: bytes) -> bool:
    """Write data to path via a temp file and a rename; False (and no write) when it already holds data."""
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600; a data file is as readable as any other
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def parser_version() -> str:
    from . import __version__

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for name in _PARSER_SOURCES:
        target = package / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def cache_key(raw_sha256: str, options: dict[str, Any]) -> str:
    opts = json.dumps(options, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256("\0".join((raw_sha256, opts, parser_version())).encode()).hexdigest()


def _entry(key: str) -> Path:
    return paths.BUILD_CACHE / "parse" / key[:2] / f"{key}.json"


def get(key: str) -> str | None:
    """The cached record JSON for key, or None."""
    try:
        return _entry(key).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def put(key: str, record_json: str) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        write_atomic(_entry(key), record_json.encode("utf-8"))
