"""`nianbao ingest FILE|DIR...`: raw copy + provenance, registry entry, corrected and checked record.

Load: every file (folders recursively, in name order) is parsed in parallel on all cores, each parse
served from build/cache/ when the same bytes were parsed by the same parser before. Then, one file at
a time in input order (so ids and output never depend on timing): decide the agency (flags > registry
> gazetteer), copy the source byte for byte to data/raw/<id>/<year>.<ext> with <year>.source.yaml,
apply data/corrections/<id>/<year>.yaml, run the checks, write data/records/<id>/<year>.yaml. Every
write is atomic and skipped when the file already holds the same bytes, so a second run changes
nothing. A file that cannot be used is one line on stderr; the rest go on; exit 2 if any was refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import cache, paths
from .corrections import apply_corrections
from .errors import NianbaoError
from .model import Report, Source
from .registry import AgencyEntry, find_agency, load_agencies, new_agency, save_agencies

PLACEHOLDER_ID = "pending"  # what the parser is given, so it never consults the registry itself


@dataclass
class Options:
    agency_id: str | None = None
    agency_name: str | None = None
    year: int | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    kind: str | None = None
    url: str | None = None
    retrieved: dt.date | None = None
    jobs: int = 0


@dataclass
class Outcome:
    file: str
    status: str  # ingested, problems, refused
    reason: str = ""
    key: str | None = None  # <agency-id>/<year>
    problems: int = 0
    parsed: bool = False  # False when the parse came from the cache
    new_agency: bool = False


@dataclass
class _Parsed:
    record: str | None = None
    error: str | None = None
    parsed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# Entry point --------------------------------------------------------------------------------------


def run_ingest(args: argparse.Namespace) -> int:
    opts = options_from_args(args)
    outcomes = ingest_files([Path(f) for f in args.files], opts)
    print_summary(outcomes)
    return 2 if any(o.status == "refused" for o in outcomes) else 0


def options_from_args(args: argparse.Namespace) -> Options:
    retrieved = getattr(args, "retrieved", None)
    if retrieved:
        try:
            retrieved = dt.date.fromisoformat(retrieved)
        except ValueError:
            raise NianbaoError(f"--retrieved {retrieved}: expected a date YYYY-MM-DD") from None
    return Options(
        agency_id=getattr(args, "agency_id", None),
        agency_name=getattr(args, "agency_name", None),
        year=getattr(args, "year", None),
        province=getattr(args, "province", None),
        city=getattr(args, "city", None),
        county=getattr(args, "county", None),
        kind=getattr(args, "kind", None),
        url=getattr(args, "url", None),
        retrieved=retrieved or None,
        jobs=getattr(args, "jobs", 0) or 0,
    )


def ingest_files(files: list[Path], opts: Options) -> list[Outcome]:
    inputs = collect_files(files)
    agencies = load_agencies()
    known = dict(agencies)
    outcomes: list[Outcome] = []
    seen: dict[str, str] = {}
    try:
        for path, parsed in _parse_all(inputs, opts):
            outcome = _ingest_one(path, parsed, opts, agencies)
            if outcome.status == "refused":
                print(f"nianbao: {path}: {outcome.reason}", file=sys.stderr, flush=True)
            elif outcome.key in seen:  # two files of one report in a batch: the later one is kept
                outcome.reason = f"replaces {seen[outcome.key]} (same agency and year)"
            if outcome.key:
                seen[outcome.key] = outcome.file
            outcomes.append(outcome)
    finally:
        if agencies != known:
            save_agencies(agencies)
    return outcomes


def collect_files(files: list[Path]) -> list[Path]:
    """The files named, and every file under the folders named (hidden ones skipped), in name order."""
    out: list[Path] = []
    for f in files:
        if f.is_dir():
            out.extend(
                p for p in sorted(f.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(f).parts)
            )
        else:
            out.append(f)
    return out


# Parse (in worker processes) ----------------------------------------------------------------------


def _parse_all(inputs: list[Path], opts: Options):
    """(path, _Parsed) for every input, in input order; parsing runs on all cores."""
    # The name flag is applied after parsing, so that the name the report states is kept as an alias.
    kw = {"agency_id": opts.agency_id or PLACEHOLDER_ID, "year": opts.year}
    jobs = min(opts.jobs or os.cpu_count() or 1, len(inputs))
    with _progress(len(inputs)) as advance:
        if jobs <= 1:
            for path in inputs:
                result = parse_job(str(path), kw)
                advance()
                yield path, result
            return
        window: deque[tuple[Path, Future]] = deque()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pending = iter(inputs)
            for path in pending:
                window.append((path, pool.submit(parse_job, str(path), kw)))
                if len(window) >= jobs * 4:
                    break
            while window:
                path, future = window.popleft()
                result = future.result()
                advance()
                yield path, result
                nxt = next(pending, None)
                if nxt is not None:
                    window.append((nxt, pool.submit(parse_job, str(nxt), kw)))


def parse_job(path: str, kw: dict[str, Any]) -> _Parsed:
    """Parse one file (or take it from the cache). Never raises: a refusal is a message."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _Parsed(error=f"cannot read the file: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    key = cache.cache_key(sha, {k: v for k, v in kw.items() if v is not None})
    hit = cache.get(key)
    if hit is not None:
        return _Parsed(record=hit)
    try:
        report = _parse(path, **kw)
    except NianbaoError as exc:
        return _Parsed(error=exc.message, parsed=True)
    except Exception as exc:  # a parser bug must not stop a batch; say what it was, in one line
        return _Parsed(error=f"internal error while parsing ({type(exc).__name__}: {exc})"[:300], parsed=True)
    record = report.to_json(indent=None)
    cache.put(key, record)
    return _Parsed(record=record, parsed=True)


def _parse(path: str, **kw: Any) -> Report:
    from .parse import parse_file

    return parse_file(path, **kw)


# Store (in the main process, in input order) ------------------------------------------------------


def _ingest_one(path: Path, parsed: _Parsed, opts: Options, agencies: dict[str, AgencyEntry]) -> Outcome:
    outcome = Outcome(file=str(path), status="refused", parsed=parsed.parsed)
    if parsed.error is not None:
        outcome.reason = parsed.error
        return outcome
    report = Report.model_validate_json(parsed.record or "{}")
    try:
        entry, is_new = decide_agency(report, opts, agencies)
    except NianbaoError as exc:
        outcome.reason = exc.message
        return outcome
    year = opts.year or report.year
    if year is None:
        outcome.reason = "no report year found in the text; give it with --year"
        return outcome
    try:
        report = _store(path, report, entry, year, opts)
    except NianbaoError as exc:  # a corrections file that does not validate
        outcome.reason = str(exc)
        return outcome
    if is_new:
        agencies[entry.id] = entry
    outcome.key = f"{entry.id}/{year}"
    outcome.new_agency = is_new
    outcome.problems = sum(p.severity in ("error", "warning") for p in report.problems)
    outcome.status = "problems" if outcome.problems else "ingested"
    return outcome


def decide_agency(report: Report, opts: Options, agencies: dict[str, AgencyEntry]) -> tuple[AgencyEntry, bool]:
    """The agency's registry entry, and whether it is new: flags, then the registry, then the gazetteer."""
    name = opts.agency_name or report.agency.name
    if opts.agency_id and opts.agency_id in agencies:
        return agencies[opts.agency_id], False
    if not opts.agency_id:
        if not opts.agency_name and any(p.code == "agency-missing" for p in report.problems):
            raise NianbaoError("no agency name found in the text; give it with --agency-name or --agency-id")
        found = find_agency(name, agencies)
        if found is not None:
            return found, False
    entry = new_agency(name, agencies, agency_id=opts.agency_id, province=opts.province, city=opts.city,
                       county=opts.county, kind=opts.kind)
    stated = report.agency.name
    if stated != entry.name and not any(p.code == "agency-missing" for p in report.problems) \
            and find_agency(stated, agencies) is None:
        # The name the report uses, so that the next ingest finds this agency without flags.
        entry = entry.model_copy(update={"aliases": [stated]})
    return entry, True


def _store(path: Path, report: Report, entry: AgencyEntry, year: int, opts: Options) -> Report:
    data = path.read_bytes()
    fmt = report.source.format or path.suffix.lower().lstrip(".") or "txt"
    raw = paths.raw_path(entry.id, year, fmt)
    meta = _source_meta(path, data, report, fmt, opts, paths.source_meta_path(entry.id, year))
    report.agency.id, report.agency.name, report.year = entry.id, entry.name, year
    report = apply_corrections(report, paths.correction_path(entry.id, year))
    report = _check(report)
    report.source = Source(
        path=raw.relative_to(paths.ROOT).as_posix(), sha256=meta["sha256"], encoding=meta.get("encoding"),
        format=fmt, original_name=path.name, url=meta.get("url"), retrieved=meta.get("retrieved"),
    )
    for stale in raw.parent.glob(f"{year}.*"):  # one raw file per report: a new format replaces the old
        if stale != raw and stale.name != f"{year}.source.yaml" and not stale.name.startswith("."):
            stale.unlink()
    cache.write_atomic(raw, data)
    cache.write_atomic(paths.source_meta_path(entry.id, year), _dump(meta))
    cache.write_atomic(paths.record_path(entry.id, year), _dump(report.to_data()))
    return report


def _source_meta(path: Path, data: bytes, report: Report, fmt: str, opts: Options, where: Path) -> dict[str, Any]:
    sha = hashlib.sha256(data).hexdigest()
    meta: dict[str, Any] = {"original_name": path.name, "sha256": sha, "size": len(data), "format": fmt}
    if report.source.encoding:
        meta["encoding"] = report.source.encoding
    url, retrieved = opts.url, opts.retrieved
    previous = _read_yaml(where)
    if isinstance(previous, dict) and previous.get("sha256") == sha:  # a re-ingest without the flags keeps what was known
        url = url or previous.get("url")
        retrieved = retrieved or previous.get("retrieved")
    if url:
        meta["url"] = url
    if retrieved:
        meta["retrieved"] = retrieved if isinstance(retrieved, dt.date) else dt.date.fromisoformat(str(retrieved))
    return meta


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, yaml.YAMLError):
        return None


def _check(report: Report) -> Report:
    try:
        from .checks import check_report
    except ImportError:  # the checks module is written separately; records are still worth writing
        return report
    return check_report(report)


def _dump(data: Any) -> bytes:
    return yaml.dump(data, allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper).encode("utf-8")


# Output -------------------------------------------------------------------------------------------


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise (clean CI logs)."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if self.total > 1 and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            task = self.bar.add_task("parsing", total=self.total)
            return lambda: self.bar.advance(task)
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_summary(outcomes: list[Outcome]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ingested", "problems", "refused")}
    shown = outcomes if len(outcomes) <= 200 else [o for o in outcomes if o.status != "ingested"]
    if shown:
        table = Table(title="nianbao ingest", show_lines=False)
        table.add_column("file", overflow="fold")
        table.add_column("record", overflow="fold")
        table.add_column("status")
        table.add_column("why / problems")
        for o in shown:
            status = {"ingested": "ingested", "problems": "with problems", "refused": "refused"}[o.status]
            notes = [o.reason] if o.reason else []
            if o.problems:
                notes.append(f"{o.problems} problem{'s' if o.problems > 1 else ''}")
            if o.new_agency:
                notes.append("new agency")
            note = "; ".join(notes)
            table.add_row(o.file, o.key or "", status, note)
        console.print(table)
    console.print(
        f"{len(outcomes)} files: {counts['ingested']} ingested, {counts['problems']} with problems, "
        f"{counts['refused']} refused; {sum(o.parsed for o in outcomes)} parsed, "
        f"{sum(not o.parsed and o.status != 'refused' for o in outcomes)} from the cache"
    )
