"""The record store's integrity: one writer at a time, all-or-nothing commits, replacements kept.

- The lock: `build/store.lock`, a POSIX record lock (fcntl.lockf: a forked worker does not inherit it,
  so a killed ingest never leaves it held by an orphan). Writers take it exclusively and write their
  pid and command into it; readers (build) take it shared. A second writer waits and says who holds it.
- A commit: workers write the new files into `data/.staging/` (never into the store). The main process
  then writes `data/.staging/journal.json`, the list of renames that makes the new state (old files
  moved aside first, new ones renamed in, the registry last), applies it and removes it. A kill before
  the journal lands leaves the old state (the staging files are dropped by the next writer); a kill
  after it leaves a journal that the next writer (or `nianbao check --store`) applies to the end.
  Every step of a journal can be done twice: a rename whose source is gone is done already.
  Staged files and the journal reach the disk (fsync, and their folder's) before the journal lands, and
  the folders renamed into before the journal goes: a power cut cannot leave a journal naming lost bytes.
- A replacement keeps the old raw file, its source.yaml and its record under
  `data/raw/<agency-id>/<year>.replaced/<n>/` (the record as `record.yaml`); `nianbao undo` renames
  the newest of them back and removes what replaced them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import NianbaoError

ARCHIVE_RECORD = "record.yaml"  # a replaced record's name in its archive folder


class StoreError(NianbaoError):
    """The store cannot be written as asked (locked, nothing to undo, a journal that does not read)."""


def lock_path() -> Path:
    return paths.BUILD / "store.lock"


def staging_dir() -> Path:
    return paths.DATA / ".staging"


def journal_path() -> Path:
    return staging_dir() / "journal.json"


# The lock -----------------------------------------------------------------------------------------------

_held: dict[str, int] = {}  # lock path → depth, so that a writer calling another writer does not wait on itself


@contextlib.contextmanager
def locked(shared: bool = False) -> Iterator[None]:
    """Hold the store's lock (exclusive for writers, shared for readers), waiting for it if need be."""
    path = lock_path()
    key = str(path)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.lockf(fd, mode | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "a nianbao process reading the store"
            print(f"nianbao: waiting for the store's lock ({path}), held by {holder}", file=sys.stderr, flush=True)
            fcntl.lockf(fd, mode)
        if not shared:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} ({' '.join(['nianbao', *sys.argv[1:]])[:300]})\n".encode(), 0)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            if not shared:
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


# Staging and the journal ------------------------------------------------------------------------------


@dataclass
class Staged:
    """One report's new files, written in the staging area by a worker, for the main process to commit."""

    key: str  # <agency-id>/<year>
    folder: str = ""  # the staging folder (absolute)
    moves: list[tuple[str, str]] = field(default_factory=list)  # staged file name → path under data/
    archive: list[str] = field(default_factory=list)  # paths under data/ to move aside (a replacement)
    note: str = ""  # what the replacement loses, for the summary


def _rel(path: Path) -> str:
    """A path under data/, as the journal names it (lexically: data/raw may be a symbolic link)."""
    return Path(os.path.relpath(path, paths.DATA)).as_posix()


def stage(key: str, files: dict[Path, bytes], archive: list[Path], note: str = "") -> Staged | None:
    """Write the files that differ from what the store holds into a new staging folder; None when
    nothing would change (a re-ingest of the same bytes writes nothing)."""
    moved = set(archive)  # a file moved aside is written again even with the same bytes (a replacement's same text)
    changed = {p: d for p, d in files.items() if p in moved or not _holds(p, d)}
    if not changed and not archive:
        return None
    staging_dir().mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=staging_dir(), prefix="job-"))
    out = Staged(key=key, folder=str(folder), archive=[_rel(p) for p in archive], note=note)
    for i, (target, data) in enumerate(changed.items()):
        name = f"{i}{target.suffix}"
        _write_durably(folder / name, data)
        out.moves.append((name, _rel(target)))
    _sync_dir(folder)
    _sync_dir(folder.parent)  # the job folder's own name
    return out


def _write_durably(path: Path, data: bytes) -> None:
    """Write and flush to the disk, so that the journal never names a file whose bytes a crash could lose."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o666 & ~_umask())


def _sync_dir(folder: Path) -> None:
    """Make the names in a folder (files created or renamed into it) survive a crash."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def archive_folder(agency_id: str, year: int, n: int) -> Path:
    return paths.RAW / agency_id / f"{year}.replaced" / str(n)


def archived(agency_id: str, year: int) -> list[int]:
    """The numbers of the replacements kept for a report, oldest first."""
    folder = paths.RAW / agency_id / f"{year}.replaced"
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit()) if folder.is_dir() else []


def commit(items: list[Staged], registry: bytes | None = None, what: str = "ingest") -> list[str]:
    """Make the staged files (and the registry, when given) the store's, all or none; the archive
    folders used, one per replacing item (in items' order; "" for the others)."""
    ops: list[list[str]] = []
    kept: list[str] = []
    for item in items:
        if not item.archive:
            kept.append("")
            continue
        agency_id, year = item.key.split("/")
        target = archive_folder(agency_id, int(year), (archived(agency_id, int(year)) or [0])[-1] + 1)
        kept.append(_rel(target))
        for src in item.archive:
            name = ARCHIVE_RECORD if src.startswith("records/") else Path(src).name
            ops.append(["archive", src, f"{_rel(target)}/{name}"])
    for item in items:
        folder = _rel(Path(item.folder))
        ops.extend(["move", f"{folder}/{name}", dst] for name, dst in item.moves)
    if registry is not None:
        staging_dir().mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkstemp(dir=staging_dir(), prefix="agencies-", suffix=".yaml")[1])
        _write_durably(staged, registry)
        _sync_dir(staged.parent)
        ops.append(["move", _rel(staged), _rel(paths.AGENCIES)])
    run_journal(ops, what=f"{what} of {', '.join(i.key for i in items) or 'the registry'}")
    return kept


def run_journal(ops: list[list[str]], what: str) -> None:
    """Write the journal (the point of no return), apply it, remove it and the staging area."""
    if ops:
        _write_journal({"what": what, "ops": ops})
        _apply(ops)
        for folder in sorted({(paths.DATA / op[-1]).parent for op in ops if op[0] != "delete"}):
            if folder.is_dir():
                _sync_dir(folder)  # the renames are on the disk before the journal that would redo them goes
        journal_path().unlink()
    _clear_staging()


def _write_journal(data: dict) -> None:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".journal.json.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _sync_dir(path.parent)


def _apply(ops: list[list[str]]) -> None:
    """Each step is safe to repeat: a journal interrupted anywhere is finished by running it again."""
    data = paths.DATA
    for kind, *args in ops:
        if kind == "archive":  # old file → archive folder; done when the archived copy exists
            src, dst = data / args[0], data / args[1]
            if not dst.exists() and src.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
        elif kind == "delete":  # only ever a file no later step writes
            (data / args[0]).unlink(missing_ok=True)
        elif kind == "move":  # staged (or archived) file → its place; done when the source is gone
            src, dst = data / args[0], data / args[1]
            if src.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
                _prune(src.parent)
        else:
            raise StoreError(f"unknown journal step {kind!r}", journal_path())


def _prune(folder: Path) -> None:
    """Remove an emptied archive folder (and its parent when empty too)."""
    for path in (folder, folder.parent):
        if path.name.isdigit() or path.name.endswith(".replaced"):
            with contextlib.suppress(OSError):
                path.rmdir()


def _clear_staging() -> None:
    folder = staging_dir()
    if folder.exists():
        shutil.rmtree(folder)


def recover() -> list[str]:
    """Finish an interrupted commit (its journal), drop staged files no journal names; what was done.
    Call with the lock held."""
    notes: list[str] = []
    path = journal_path()
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            ops = data["ops"]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the journal of an interrupted commit does not read ({exc}); nothing was changed", path) from None
        _apply(ops)
        path.unlink()
        notes.append(f"finished an interrupted {data.get('what', 'commit')} ({len(ops)} steps)")
    folder = staging_dir()
    if folder.exists():
        left = [p for p in folder.iterdir()]
        _clear_staging()
        if left:
            notes.append(f"dropped the staged files of an interrupted run ({len(left)} left in {_rel(folder)})")
    return notes


def recover_and_say() -> None:
    for note in recover():
        print(f"nianbao: {note}", file=sys.stderr, flush=True)
