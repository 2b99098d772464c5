"""An agency's pages kept from the last build when nothing they are made from changed.

An agency's pages (its page, its reports' pages, their source views and raw files) are made from its
registry entry, its checked reports, its region links, the site's address and the version they cite,
by this package's code and data. Each build into a folder records, per agency, a digest of all that and the
files it wrote there (path, size, modification time) in `.<docs>-pages.json` beside the folder. The
next build that finds the same digest and the files as it left them keeps them without rendering them
again: publishing a correction renders the corrected agency's pages, not the 10,000 others. Pages that
cite the data version itself (no version token) change with every record, so they are never kept. A raw
file changed in the store under an unchanged record (whose sha256 it no longer has) is a store fault:
`nianbao build` stops before rendering (fsck.store_faults).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from ..model import Report
from ..registry import AgencyEntry
from .docs_writer import DocsWriter


@cache
def code_digest() -> str:
    """This package's files, its code and data (any change may change a page)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for file in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


class PageCache:
    """The pages of the agencies rendered by the last build into `out.root`, and what they were made from."""

    def __init__(self, out: DocsWriter, salt: str):
        self.out = out
        self.salt = f"{code_digest()}\0{salt}"
        self.path = out.root.with_name(f".{out.root.name}-pages.json")
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        self.pending: dict[str, str] = {}  # the digest of each agency to render
        with contextlib.suppress(FileNotFoundError, ValueError):
            self.old = json.loads(self.path.read_text(encoding="utf-8"))

    def digest(self, agency: AgencyEntry, reports: Sequence[Report], links: list[tuple[str, str]]) -> str:
        h = hashlib.sha256(self.salt.encode())
        h.update(agency.model_dump_json().encode())
        h.update(json.dumps(links, ensure_ascii=False).encode())
        for report in reports:
            h.update(b"\0" + report.model_dump_json().encode())
        return h.hexdigest()

    def keep(self, agency_id: str, digest: str) -> bool:
        """The agency's pages are those of the last build and still in place: counted as written."""
        entry = self.old.get(agency_id)
        self.pending[agency_id] = digest
        if not entry or entry[0] != digest:
            return False
        paths = []
        for rel, size, mtime in entry[1]:
            path = self.out.root / rel
            try:
                st = os.stat(path)
            except OSError:
                return False
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
            paths.append(path)
        self.out.written.update(paths)
        self.new[agency_id] = entry
        return True

    def record(self, agency_id: str, written: Iterable[Path]) -> None:
        """The files an agency's pages were just written to (after `keep` said no)."""
        digest = self.pending.get(agency_id)
        if digest is None:
            return
        files = []
        for path in sorted(written):
            st = os.stat(path)
            files.append([path.relative_to(self.out.root).as_posix(), st.st_size, st.st_mtime_ns])
        self.new[agency_id] = [digest, files]

    def save(self) -> None:
        """What this build rendered or kept (an agency it did not record is forgotten)."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.new, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
