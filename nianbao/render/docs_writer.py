"""Writing build/docs: a file is written only when its content changed, and what a build did not write is removed."""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path


class DocsWriter:
    """Writes files under build/docs only when their content changed (so `serve` does not loop and an
    unchanged page keeps its file), each through a temp file and a rename; removes what was not written."""

    def __init__(self, root: Path):
        self.root = root
        self.written: set[Path] = set()
        self.log: list[Path] | None = None  # when a list: every path written (or kept) is added to it too
        self._dirs: set[Path] = set()  # made (or found) already: one mkdir per folder, not per file

    def _folder(self, path: Path) -> None:
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)

    def _mark(self, path: Path) -> None:
        self.written.add(path)
        if self.log is not None:
            self.log.append(path)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        self._mark(path)
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                return
        except FileNotFoundError:  # a new file: written in place (a broken one differs next time, and is replaced)
            self._folder(path)
            with suppress(FileExistsError), open(path, "xb") as fh:
                fh.write(data)
                return
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def copy(self, src: Path, rel: str) -> None:
        path = self.root / rel
        self._mark(path)
        if path.exists() and filecmp.cmp(path, src, shallow=False):  # compared in blocks: downloads are large
            return
        self._folder(path)
        tmp = path.with_name(f".{path.name}.tmp")
        shutil.copyfile(src, tmp)
        os.replace(tmp, path)

    def move(self, src: Path, rel: str) -> None:
        """Like copy, for a file made to be moved (on the same file system): renamed into place, not copied
        (the downloads run to hundreds of MB); left where it is when the file there is the same."""
        path = self.root / rel
        self._mark(path)
        if path.exists() and filecmp.cmp(path, src, shallow=False):
            return
        self._folder(path)
        os.replace(src, path)

    def prune(self, only: Callable[[str], bool] | None = None) -> None:
        """Remove what was not written (of the files `only` selects by relative path, if given), then the
        folders left empty; the tree is listed without a stat per file."""
        self._dirs.clear()  # a folder left empty goes too
        for top, _subdirs, files in os.walk(self.root, topdown=False):
            rel = os.path.relpath(top, self.root)
            prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            for name in files:
                if (only is None or only(prefix + name)) and Path(top, name) not in self.written:
                    os.unlink(os.path.join(top, name))
            if rel != "." and (only is None or only(prefix[:-1])) and not os.listdir(top):
                os.rmdir(top)
