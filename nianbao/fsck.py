"""`nianbao check --store`: does the store hold together? `nianbao build` refuses a store that does not.

A fault is one line naming the file: a record that does not load or does not sit at
records/<its agency>/<its year>.yaml, whose agency is not in the registry, whose raw file is missing or
has another sha256 than the record (or its source.yaml) names, whose stored text (<year>.text.txt) is
missing or has another sha256 than its source.yaml names, whose corrections file changed since it
was written (stale) or does not load; a raw file, source.yaml or stored text without its record; a journal of an
interrupted commit. The check itself first finishes such a journal (it takes the lock), the build only
reports it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import paths, store
from .cache import sha256_file
from .corrections import load_corrections, stands
from .dataset import Dataset, load_dataset
from .errors import NianbaoError
from .model import Report
from .registry import load_agencies

_RAW_NAME = re.compile(r"^(\d{4})\.([A-Za-z0-9]+)$")
_SOURCE_SHA = re.compile(r"^sha256: *'?([0-9a-f]{64})'?$", re.M)  # as ingest writes source.yaml
_TEXT_SHA = re.compile(r"^text_sha256: *'?([0-9a-f]{64})'?$", re.M)
_TEXT_NAME = re.compile(r"^(\d{4})\.text\.txt$")  # the normalised text stored at ingest


def run_store_check(args: argparse.Namespace | None = None) -> int:
    """`nianbao check --store`: finish an interrupted commit, then one line per fault; exit 2 if any."""
    with store.locked():
        store.recover_and_say()
        dataset = load_dataset(hold_back=False)  # a record whose corrections do not stand is a fault here
        faults = store_faults(dataset)
    for fault in faults:
        print(f"nianbao: {fault}", file=sys.stderr)
    print(f"the store: {len(dataset.reports)} records, {len(faults)} fault{'s' if len(faults) != 1 else ''}")
    return 2 if faults else 0


def store_faults(dataset: Dataset) -> list[str]:
    """Every fault of the store whose records are dataset's (loaded from paths.RECORDS)."""
    faults = [f"{_show(store.journal_path())}: an interrupted commit was not finished: "
              "`nianbao check --store` or the next `nianbao ingest` finishes it"] if store.journal_path().exists() else []
    faults += dataset.errors
    try:
        agencies = load_agencies()
    except NianbaoError as exc:
        faults.append(str(exc))
        agencies = None
    on_disk = {f"{p.parent.name}/{p.stem}": p for p in sorted(paths.RECORDS.glob("*/*.yaml"))}
    records: dict[str, Report] = {}
    for report in dataset.reports:
        key = f"{report.agency.id}/{report.year}"
        if key in records or key not in on_disk:
            faults.append(f"a record of {key} is not at {_show(paths.record_path(report.agency.id, report.year or 0))}")
            continue
        records[key] = report
        faults += _record_faults(report, on_disk[key], agencies)
    faults += _raw_faults(records)
    return faults


def _record_faults(report: Report, path: Path, agencies: dict | None) -> list[str]:
    where = _show(path)
    out = []
    if agencies is not None and report.agency.id not in agencies:
        out.append(f"{where}: agency {report.agency.id} is not in {_show(paths.AGENCIES)}")
    raw = paths.ROOT / report.source.path if report.source.path else None
    if raw is None or not raw.is_file():
        out.append(f"{where}: its raw file {report.source.path or '(none named)'} is missing")
    elif (sha := sha256_file(raw)) != report.source.sha256:
        out.append(f"{where}: {report.source.path} has sha256 {sha[:12]}…, the record names {str(report.source.sha256)[:12]}…")
    meta = paths.source_meta_path(report.agency.id, report.year or 0)
    if meta.is_file():
        said = meta.read_text(encoding="utf-8", errors="replace")  # searched: a YAML parse costs 10 times more
        named = _SOURCE_SHA.search(said)
        if not named or named[1] != report.source.sha256:
            out.append(f"{_show(meta)}: names sha256 {named[1][:12] if named else None}…, "
                       f"the record {str(report.source.sha256)[:12]}…")
        out += _text_faults(report, meta, _TEXT_SHA.search(said))
    out += _correction_faults(report, where)
    return out


def _text_faults(report: Report, meta: Path, named: re.Match | None) -> list[str]:
    """The stored text (source_text.py) is the one source.yaml names; a record ingested before texts were
    stored has neither, and its source view reads the raw file (not a fault)."""
    text = paths.text_path(report.agency.id, report.year or 0)
    if named is None:
        return [f"{_show(text)}: source.yaml names no text_sha256 for it"] if text.is_file() else []
    if not text.is_file():
        return [f"{_show(meta)}: names the stored text {_show(text)}, which is missing"]
    if (sha := sha256_file(text)) != named[1]:
        return [f"{_show(text)}: has sha256 {sha[:12]}…, source.yaml names {named[1][:12]}…"]
    return []


def _correction_faults(report: Report, where: str) -> list[str]:
    path = paths.correction_path(report.agency.id, report.year or 0)
    try:
        specs = load_corrections(path)
    except NianbaoError as exc:
        return [f"{where}: its corrections do not load: {exc}"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{where}: its corrections do not load: {_show(path)}: {exc}"]
    if not stands(report, specs):
        return [f"{where}: stale: {_show(path)} changed since the record was written "
                f"({len(report.corrections)} corrections applied, {len(specs)} declared); ingest its raw file again"]
    return []


def _raw_faults(records: dict[str, Report]) -> list[str]:
    """Every raw file and source.yaml under data/raw belongs to a record (archives and dot files aside)."""
    out = []
    named = {r.source.path for r in records.values() if r.source.path}
    for path in sorted(paths.RAW.glob("*/*")):
        if path.name.startswith(".") or path.is_dir():
            continue
        key = f"{path.parent.name}/{path.name.split('.')[0]}"
        if path.name.endswith(".source.yaml") or _TEXT_NAME.match(path.name):
            if key not in records:
                out.append(f"{_show(path)}: a {'source.yaml' if path.name.endswith('.yaml') else 'stored text'} without its record")
        elif not _RAW_NAME.match(path.name):
            out.append(f"{_show(path)}: not a raw file's name (<year>.<format>)")
        elif path.relative_to(paths.ROOT).as_posix() not in named:
            out.append(f"{_show(path)}: a raw file without its record"
                       + (f" (the record of {key} names {records[key].source.path})" if key in records else ""))
    return out


def _show(path: Path) -> str:
    try:
        return path.relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)
