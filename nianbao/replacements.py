"""What the store holds for a report, the refusal of a different source, and `nianbao undo`.

A `<agency-id>/<year>` that holds one source is never given another without `--replace`; with it, the
old raw file, source.yaml and record are kept (nianbao.store's archive folders) and `nianbao undo`
puts them back, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths, store
from .errors import NianbaoError
from .store import ARCHIVE_RECORD, StoreError
from .yamlsafe import load_data

_TABLES = ("proactive", "requests", "appeals")


@dataclass
class Held:
    """The files the store holds for one report, and the source they come from."""

    raw: Path | None = None
    meta: Path | None = None
    record: Path | None = None
    text: Path | None = None  # the normalised text stored at ingest (source_text.py)
    sha256: str | None = None
    name: str | None = None  # the source's original file name

    @property
    def files(self) -> list[Path]:
        return [p for p in (self.raw, self.meta, self.record, self.text) if p is not None]

    def describe(self) -> str:
        where = self.raw.name if self.raw else "no raw file"
        return f"{self.name or where} ({where}, sha256 {(self.sha256 or '?')[:12]}…)"


def raw_files(agency_id: str, year: int) -> list[Path]:
    """The raw files of a report (one, in a sound store), not its source.yaml, stored text, archives or temp files."""
    folder = paths.RAW / agency_id
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{year}.*")
                  if p.is_file() and p.name not in (f"{year}.source.yaml", f"{year}.text.txt") and not p.name.startswith("."))


def held(agency_id: str, year: int) -> Held:
    out = Held()
    raws = raw_files(agency_id, year)
    out.raw = raws[0] if raws else None
    meta, record = paths.source_meta_path(agency_id, year), paths.record_path(agency_id, year)
    out.meta = meta if meta.is_file() else None
    out.record = record if record.is_file() else None
    text = paths.text_path(agency_id, year)
    out.text = text if text.is_file() else None
    for path, keys in ((out.meta, ("sha256", "original_name")), (out.record, ("source",))):
        data = read_store_yaml(path) if path else None
        if isinstance(data, dict) and keys == ("source",):
            data = data.get("source")
        if isinstance(data, dict) and data.get("sha256"):
            out.sha256, out.name = str(data["sha256"]), data.get("original_name")
            break
    if out.sha256 is None and out.raw is not None:
        out.sha256 = hashlib.sha256(out.raw.read_bytes()).hexdigest()
    return out


def read_store_yaml(path: Path) -> Any:
    """A small YAML file of the store (source.yaml, a record), or None when it does not read."""
    try:
        return load_data(path, NianbaoError)
    except (OSError, NianbaoError):
        return None


def figures(record: dict[str, Any] | None) -> int:
    """How many figures a record's three tables read (numbers, not nulls)."""

    def count(node: Any) -> int:
        if isinstance(node, dict):
            return sum(count(v) for v in node.values())
        return int(isinstance(node, int | float) and not isinstance(node, bool))

    return sum(count(record.get(t)) for t in _TABLES) if isinstance(record, dict) else 0


def compare_figures(old: Held, new_record: dict[str, Any]) -> str:
    """", reads fewer figures (12 where the record holds 230)" when it does, else ""."""
    before = figures(read_store_yaml(old.record)) if old.record else 0
    after = figures(new_record)
    return f"; it reads fewer figures ({after} where the record holds {before})" if after < before else ""


def refusal(key: str, old: Held, name: str, sha: str, new_record: dict[str, Any]) -> str:
    return (f"{key} already holds another source, {old.describe()}; this one is {name} (sha256 {sha[:12]}…)"
            f"{compare_figures(old, new_record)}; not replaced: give --replace to replace it "
            f"(the old files are kept and `nianbao undo {key}` restores them)")


# Undo -----------------------------------------------------------------------------------------------------


def undo(key: str) -> str:
    """Put back the newest replacement kept for key (under the lock); what was done, in one line."""
    agency_id, year = _split(key)
    with store.locked():
        store.recover_and_say()
        numbers = store.archived(agency_id, year)
        if not numbers:
            raise StoreError(f"{key}: no replaced source is kept, nothing to undo")
        folder = store.archive_folder(agency_id, year, numbers[-1])
        now = held(agency_id, year)
        back = {f: (paths.record_path(agency_id, year) if f.name == ARCHIVE_RECORD else paths.RAW / agency_id / f.name)
                for f in sorted(folder.iterdir()) if f.is_file()}
        ops = [["delete", store._rel(p)] for p in now.files if p not in back.values()]
        ops += [["move", store._rel(src), store._rel(dst)] for src, dst in back.items()]
        store.run_journal(ops, what=f"undo of {key}")
        restored = held(agency_id, year)
    return f"{key}: restored {restored.describe()}; removed {now.describe()}"


def listing() -> list[str]:
    """One line per kept replacement: what is kept, and what holds the report now."""
    out = []
    for folder in sorted(paths.RAW.glob("*/*.replaced/*")):
        agency_id, year = folder.parent.parent.name, int(folder.parent.name.split(".")[0])
        meta = read_store_yaml(folder / f"{year}.source.yaml") or {}
        now = held(agency_id, year)
        out.append(f"{agency_id}/{year} #{folder.name}: kept {meta.get('original_name', '?')} "
                   f"(sha256 {str(meta.get('sha256', '?'))[:12]}…) in {folder.relative_to(paths.ROOT).as_posix()}; "
                   f"now {now.describe()}")
    return out


def _split(key: str) -> tuple[str, int]:
    agency_id, _, year = key.strip("/").partition("/")
    if not agency_id or not year.isdigit():
        raise StoreError(f"{key}: expected <agency-id>/<year>, e.g. ningxia-zhongwei-minzheng/2021")
    return agency_id, int(year)


def run_undo(args: argparse.Namespace) -> int:
    """`nianbao undo [KEY]`: restore KEY's replaced source, or list the replacements kept."""
    if not args.key:
        lines = listing()
        print("\n".join(lines) if lines else "no replaced sources are kept")
        return 0
    print(undo(args.key))
    return 0
