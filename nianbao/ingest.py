"""`nianbao ingest FILE|DIR...`: raw copy + provenance, registry entry, corrected and checked record.

Three steps per file, pipelined over all cores, with the store's lock held (nianbao.store):
1. parse (worker): parse the file, or take the parse from build/cache/ when the same bytes were parsed
   by the same parser before; place the agency's name with the gazetteer when the registry lacks it;
2. plan (main process, one file at a time in input order, so ids never depend on timing): decide the
   agency (flags > the name the report's evidence decides, looked up in the registry > a new entry placed
   by the gazetteer) and its id; a report whose evidence does not decide its agency (agency-uncertain)
   is refused unless a flag says which it is;
3. store (worker, then main): refuse a report whose <agency-id>/<year> holds another source unless
   --replace, apply data/corrections/<id>/<year>.yaml, run the checks, and stage the raw copy
   (data/raw/<id>/<year>.<ext>), its <year>.source.yaml and the record; the main process commits
   staged reports in groups, each group with its new agencies, all or nothing (a journal).
Files that already hold the same bytes are not written, so a second run changes nothing. A file that
cannot be used is one line on stderr; the rest go on; exit 2 if any was refused.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import cache, lookalikes, paths, source_text, store
from .commits import Commits
from .corrections import apply_corrections
from .errors import NianbaoError
from .model import Evidence, Problem, Report, Source
from .provenance import KEYS as PROVENANCE_KEYS
from .provenance import clean as clean_provenance
from .provenance import merged as merged_provenance
from .provenance import parse_retrieved
from .registry import AgencyEntry, known_names, load_agencies, lookup, name_index, new_agency
from .replacements import compare_figures, held, read_store_yaml, refusal
from .workers import Pool


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
    retrieved: dt.date | dt.datetime | None = None
    # Where the files came from, as nianbao.provenance keys them (fetch passes url, page_url, retrieved,
    # http, meta); --url and --retrieved are stronger.
    provenance: dict[str, Any] = field(default_factory=dict)
    jobs: int = 0
    replace: bool = False  # give a report that holds another source this one (the old files are kept)


@dataclass
class Outcome:
    file: str
    status: str = "refused"  # ingested, problems, refused
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
    name: str = ""
    year: int | None = None
    agency_missing: bool = False
    candidates: list[str] = field(default_factory=list)  # when the report does not say who published it
    region: dict[str, Any] = field(default_factory=dict)  # the gazetteer's entry for the name, when new


# Entry point --------------------------------------------------------------------------------------


def run_ingest(args: argparse.Namespace) -> int:
    outcomes = ingest_files([Path(f) for f in args.files], options_from_args(args))
    print_summary(outcomes)
    return 2 if any(o.status == "refused" for o in outcomes) else 0


def options_from_args(args: argparse.Namespace) -> Options:
    names = ("agency_id", "agency_name", "year", "province", "city", "county", "kind", "url")
    opts = Options(**{n: getattr(args, n, None) for n in names}, jobs=getattr(args, "jobs", 0) or 0,
                   replace=bool(getattr(args, "replace", False)))
    if opts.agency_id and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", opts.agency_id):
        raise NianbaoError(f"--agency-id {opts.agency_id}: use lowercase ASCII letters, digits and dashes")
    retrieved = getattr(args, "retrieved", None)
    if retrieved:
        try:
            opts.retrieved = parse_retrieved(retrieved)
        except NianbaoError:
            raise NianbaoError(f"--retrieved {retrieved}: expected a date YYYY-MM-DD or an ISO 8601 time "
                               "(2025-02-01T08:30:00Z)") from None
    return opts


def ingest_files(files: list[Path], opts: Options, provenance: dict[str, Any] | None = None) -> list[Outcome]:
    """Ingest files holding the store's lock (a second ingest waits), after finishing an interrupted one.
    `provenance`: where the files came from (nianbao.provenance keys), for all of them; checked first."""
    if provenance is not None:
        opts = dataclasses.replace(opts, provenance=dict(provenance))
    clean_provenance(opts.provenance)  # a bad mapping is one clear error before any file is touched
    inputs = collect_files(files)
    with store.locked():
        store.recover_and_say()
        return _ingest(inputs, opts)


def _ingest(inputs: list[Path], opts: Options) -> list[Outcome]:
    agencies = load_agencies()
    index = name_index(agencies)
    outcomes = [Outcome(file=str(p)) for p in inputs]
    kw = {"year": opts.year}  # the agency is decided after the parse (_plan), so a parse is cached for any flags
    with Pool(opts.jobs, len(inputs), "ingest") as pool, Commits(agencies) as commits:
        for outcome, parsed in zip(outcomes, pool.map(parse_job, map(str, inputs), kw, not opts.agency_id, failed=lambda why: _Parsed(error=why)), strict=True):
            outcome.parsed = parsed.parsed
            try:
                entry, is_new, year = _plan(parsed, opts, agencies, index)
            except NianbaoError as exc:
                outcome.reason = exc.message
                print(f"nianbao: {outcome.file}: {outcome.reason}", file=sys.stderr, flush=True)
                continue
            outcome.key, outcome.new_agency = f"{entry.id}/{year}", is_new
            if outcome.key in commits.keys:  # a second file of one report sees the first in the store
                commits.flush()
            # A record is checked against last year's, which may be staged in this batch, not yet committed.
            job = (outcome.file, parsed.record, entry.model_dump_json(), year, opts, commits.staged_record(f"{entry.id}/{year - 1}"))
            commits.add(outcome, entry, pool.submit(store_job, *job))
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


# 1. Parse (worker) --------------------------------------------------------------------------------


def parse_job(path: str, kw: dict[str, Any], infer: bool = True) -> _Parsed:
    """Parse one file (or take it from the cache). Never raises: a refusal is a message."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _Parsed(error=f"cannot read the file: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    key = cache.cache_key(sha, {k: v for k, v in kw.items() if v is not None})
    out = _Parsed(record=cache.get(key))
    if out.record is None:
        try:
            report, lines = _parse(path, **kw)
        except NianbaoError as exc:
            return _Parsed(error=exc.message, parsed=True)
        except Exception as exc:  # a parser bug must not stop a batch; say what it was, in one line
            return _Parsed(error=f"internal error while parsing ({type(exc).__name__}: {exc})"[:300], parsed=True)
        out.record, out.parsed = report.to_json(indent=None), True
        cache.put(key, out.record)
        source_text.remember(sha, lines)  # for the store step, which looks them up by the file's sha256
    record = json.loads(out.record)
    out.name, out.year = record["agency"]["name"], record["year"]
    out.agency_missing = any(p["code"] == "agency-missing" for p in record["problems"])
    if any(p["code"] == "agency-uncertain" for p in record["problems"]):
        out.candidates = [e["name"] for e in record["agency"].get("evidence", [])]
    if infer and not out.agency_missing and not out.candidates and out.name not in known_names():
        out.region = new_agency(out.name, {}).model_dump(include={"province", "city", "county", "kind"})
    return out


def _parse(path: str, **kw: Any) -> tuple[Report, list[str]]:
    from .parse import parse_document

    return parse_document(path, **kw)


# 2. Plan (main process, input order) --------------------------------------------------------------


def _plan(parsed: _Parsed, opts: Options, agencies: dict[str, AgencyEntry], index: dict[str, str]):
    """(entry, is_new, year) for a parsed file: flags, then the registry, then the gazetteer."""
    if parsed.error is not None:
        raise NianbaoError(parsed.error)
    entry, is_new = decide_agency(parsed, opts, agencies, index)
    year = opts.year or parsed.year
    if year is None:
        raise NianbaoError("no report year found in the text; give it with --year")
    if is_new:
        agencies[entry.id] = entry
        for key, ident in name_index({entry.id: entry}).items():
            index.setdefault(key, ident)
    return entry, is_new, year


def decide_agency(parsed: _Parsed, opts: Options, agencies: dict[str, AgencyEntry], index: dict[str, str]):
    """The agency and whether it is new. Region flags shape new agencies only: edit the registry for known ones."""
    stated = parsed.name
    name = opts.agency_name or stated
    if opts.agency_id and opts.agency_id in agencies:
        return agencies[opts.agency_id], False
    if parsed.candidates and not opts.agency_name:
        # Never a guess: the report names more than one agency and nothing says which published it.
        raise NianbaoError(f"agency uncertain: {' / '.join(parsed.candidates)}; the report does not say which "
                           "published it: give it with --agency-name (or --agency-id of a registered agency)")
    if not opts.agency_id:
        if not opts.agency_name and parsed.agency_missing:
            raise NianbaoError("no agency name found in the text; give it with --agency-name or --agency-id")
        found = lookup(name, index)
        if found:
            return agencies[found], False
        if name == stated:
            name = _lookalike(stated, index)
            if name != stated and lookup(name, index):
                return agencies[lookup(name, index)], False
    flags = {k: getattr(opts, k) for k in ("province", "city", "county", "kind")}
    placed = name == stated and bool(parsed.region)  # the worker asked the gazetteer already
    if placed:
        flags = {k: flags[k] or parsed.region.get(k) for k in flags}
    entry = new_agency(name, agencies, agency_id=opts.agency_id, infer=not placed, **flags)
    if (stated != entry.name and not parsed.agency_missing and not parsed.candidates and stated not in index
            and (opts.agency_name or lookalikes.swapped(stated, entry.name) is None)):  # a misreading is no alias unless said
        # The name the report uses, so that the next ingest finds this agency without flags.
        entry = entry.model_copy(update={"aliases": [stated]})
    return entry, True


def _lookalike(name: str, index: dict[str, str]) -> str:
    """The registered agency or placed division an OCR-damaged name is (lookalikes.py), when exactly one;
    the name itself when none; refused (agency uncertain) when several."""
    from . import gazetteer, lookalikes

    def precision(n: str) -> int:  # how many of province, city and county the gazetteer gives
        region = gazetteer.resolve(n)
        return 0 if region.ambiguous else sum(x is not None for x in (region.province, region.city, region.county))

    found = lookalikes.repair(name, lambda n: lookup(n, index) is not None, precision)
    if len(found) > 1:
        raise NianbaoError(f"agency uncertain: {name} may be {' / '.join(found)} (characters OCR confuses); "
                           "give it with --agency-name (or --agency-id of a registered agency)")
    return found[0] if found else name


def attach_agency(report: Report, entry: AgencyEntry, year: int, opts: Options) -> Report:
    """The record under the agency decided: a flag that decided goes first in its evidence, and settles
    the parser's agency-uncertain / agency-missing."""
    agency = report.agency.model_copy(update={"id": entry.id, "name": entry.name})
    problems = report.problems
    if opts.agency_name or opts.agency_id:
        said = f"--agency-name {opts.agency_name}" if opts.agency_name else f"--agency-id {opts.agency_id}"
        flag = Evidence(source="flag", name=entry.name, text=said)
        agency.evidence = [flag, *(e for e in agency.evidence if e.source != "flag")]
        problems = [p for p in problems if p.code not in ("agency-uncertain", "agency-missing")]
    elif (swap := lookalikes.swapped(report.agency.name, entry.name)) is not None:
        printed = report.agency.name
        said = f"{printed}：“{swap[0]}”是“{swap[1]}”的形近字"
        agency.evidence = [Evidence(source="lookalike", name=entry.name, text=said), *agency.evidence]
        problems = [*problems, Problem(code="agency-lookalike", severity="info", message=(
            f"报告印作“{printed}”，与“{entry.name}”只差一个形近字（“{swap[0]}”/“{swap[1]}”，多为识别错误），"
            f"且只有这一个名称是已登记的机关或可以定位的行政区划，按“{entry.name}”归档"))]
    return report.model_copy(update={"agency": agency, "year": year, "problems": problems})


# 3. Store (worker) --------------------------------------------------------------------------------


def store_job(path: str, record: str, entry_json: str, year: int, opts: Options,
              last: str | None = None) -> tuple[str, int, str, store.Staged | None]:
    """(status, problem count, refusal, staged files) after staging the raw copy, its provenance and the
    record; last: last year's record when it is staged and not yet in the store."""
    entry = AgencyEntry.model_validate_json(entry_json)
    try:
        report, staged = _store(Path(path), Report.model_validate_json(record), entry, year, opts, last)
    except NianbaoError as exc:  # a different source without --replace, a corrections file that does not validate
        return "refused", 0, str(exc), None
    problems = sum(p.severity in ("error", "warning") for p in report.problems)
    return ("problems" if problems else "ingested"), problems, "", staged


def _store(path: Path, report: Report, entry: AgencyEntry, year: int, opts: Options,
           last: str | None = None) -> tuple[Report, store.Staged | None]:
    """The report's files, staged (the main process commits them); refused when the store holds another source."""
    data = path.read_bytes()
    fmt = report.source.format or path.suffix.lower().lstrip(".") or "txt"
    key = f"{entry.id}/{year}"
    old = held(entry.id, year)
    meta = _source_meta(path, data, report, fmt, opts, paths.source_meta_path(entry.id, year))
    lines = source_text.read_lines(path, meta["sha256"])  # the parse step left them in the cache
    text = source_text.encode_lines(lines) if lines is not None else None
    if text is not None:
        meta["text_sha256"] = hashlib.sha256(text).hexdigest()  # `nianbao check --store` checks the pair
    replacing = old.sha256 is not None and old.sha256 != meta["sha256"]
    if replacing and not opts.replace:
        raise NianbaoError(refusal(key, old, path.name, meta["sha256"], report.to_data()))
    # The same bytes keep the raw file they have; another source gets the name of its own format.
    raw = old.raw if old.raw and not replacing else paths.raw_path(entry.id, year, fmt)
    report = attach_agency(report, entry, year, opts)
    report = _check(apply_corrections(report, paths.correction_path(entry.id, year)), entry, year, last)
    report.source = Source(
        path=raw.relative_to(paths.ROOT).as_posix(), sha256=meta["sha256"], encoding=meta.get("encoding"),
        format=fmt, original_name=path.name, url=meta.get("url"), page_url=meta.get("page_url"), retrieved=meta.get("retrieved"),
        page_meta=clean_provenance({"meta": meta["meta"]}).get("meta") if meta.get("meta") else None,
    )
    files = {raw: data, paths.source_meta_path(entry.id, year): _dump(meta),
             paths.record_path(entry.id, year): _dump(report.to_data())}
    if text is not None:  # the source view's text, so that a build never reads the raw file again
        files[paths.text_path(entry.id, year)] = text
    note = compare_figures(old, report.to_data()) if replacing else ""
    return report, store.stage(key, files, old.files if replacing else [], note)


def _source_meta(path: Path, data: bytes, report: Report, fmt: str, opts: Options, where: Path) -> dict[str, Any]:
    sha = hashlib.sha256(data).hexdigest()
    meta: dict[str, Any] = {"original_name": path.name, "sha256": sha, "size": len(data), "format": fmt}
    if report.source.encoding:
        meta["encoding"] = report.source.encoding
    previous = read_store_yaml(where)
    # A re-ingest of the same bytes without flags keeps what the store knew of where they came from.
    kept = {k: previous.get(k) for k in PROVENANCE_KEYS} if isinstance(previous, dict) and previous.get("sha256") == sha else None
    flags = {"url": opts.url, "retrieved": opts.retrieved}
    return {**meta, **merged_provenance(flags, opts.provenance, kept)}



def _check(report: Report, entry: AgencyEntry, year: int, last_staged: str | None = None) -> Report:
    """The identities again after the corrections, and against last year's record when there is one."""
    try:
        from .checks import check_report
    except ImportError:  # the checks are written separately; records are still worth writing
        return report
    from .dataset import load_record

    last = Path(last_staged) if last_staged else paths.record_path(entry.id, year - 1)
    try:
        previous = load_record(last) if last.exists() else None
    except NianbaoError:
        previous = None
    return check_report(report, previous, entry.kind)


def _dump(data: Any) -> bytes:
    return yaml.dump(data, allow_unicode=True, sort_keys=False, Dumper=yaml.CSafeDumper).encode("utf-8")


# Output -------------------------------------------------------------------------------------------


def print_summary(outcomes: list[Outcome]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ingested", "problems", "refused")}
    shown = outcomes if len(outcomes) <= 200 else [o for o in outcomes if o.status != "ingested" or o.reason]
    if shown:
        table = Table(title="nianbao ingest")
        for column in ("file", "record", "status", "why / problems"):
            table.add_column(column, overflow="fold")
        for o in shown:
            notes = [o.reason] if o.reason else []
            if o.problems:
                notes.append(f"{o.problems} problem{'s' if o.problems > 1 else ''}")
            if o.new_agency:
                notes.append("new agency")
            status = {"ingested": "ingested", "problems": "with problems", "refused": "refused"}[o.status]
            table.add_row(o.file, o.key or "", status, "; ".join(notes))
        console.print(table)
    console.print(
        f"{len(outcomes)} files: {counts['ingested']} ingested, {counts['problems']} with problems, "
        f"{counts['refused']} refused; {sum(o.parsed for o in outcomes)} parsed, "
        f"{sum(not o.parsed and o.status != 'refused' for o in outcomes)} from the cache"
    )
