"""The `nianbao` command: new, parse, ingest, fetch, undo, check, build, serve.

Each subcommand lives in its own module; this file only wires arguments to them. Imports are lazy
so that `nianbao parse` starts fast. Errors the user can act on are one line on stderr, exit 2.
The project worked on is chosen once, here (`_choose_root`), like mkdocs: --root, NIANBAO_ROOT, or the
nearest folder with a nianbao.yml or mkdocs.yml from the current one up.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import paths
from .errors import InputError, NianbaoError


def _cmd_new(args: argparse.Namespace) -> int:
    from .new import create_project

    dest = Path(args.dir)
    files = create_project(dest)
    print(f"nianbao: a new project in {dest} ({len(files)} files). Next:\n"
          f"  cd {dest}\n  nianbao ingest REPORTS...   # PDF, DOCX, HTML or text\n  nianbao build")
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    # Parse, then the agency's id from the registry (read only), corrections and checks: pipeline.py.
    from .pipeline import parse_and_check, read_reports

    failed = 0
    for _, report in read_reports([Path(f) for f in args.files], parse_and_check):
        if isinstance(report, str):  # one line saying why; the other files go on
            print(f"nianbao: {report}", file=sys.stderr)
            failed += 1
        else:
            sys.stdout.write(report.to_json(indent=None if args.compact else 2) + "\n")
    return 2 if failed else 0


def _cmd_check(args: argparse.Namespace) -> int:
    if args.store:
        from .fsck import run_store_check

        return run_store_check(args)
    from .checks import run_check
    from .pipeline import read_reports

    return run_check(args.paths, read_raws=read_reports)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import run_ingest

    return run_ingest(args)


def _cmd_fetch(args: argparse.Namespace) -> int:
    from .fetch import run_fetch

    return run_fetch(args)


def _cmd_undo(args: argparse.Namespace) -> int:
    from .replacements import run_undo

    return run_undo(args)


def _cmd_build(args: argparse.Namespace) -> int:
    from .render.site import run_build

    return run_build(args)


def _cmd_assemble(args: argparse.Namespace) -> int:
    from .render.search import index_site
    from .render.shardjobs import run_assemble

    site = Path(args.site) if args.site else paths.BUILD / "site"
    return run_assemble([Path(d) for d in args.dirs], site, None if args.no_search else index_site)


def _cmd_serve(args: argparse.Namespace) -> int:
    from .render.site import run_serve

    return run_serve(args)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="政府信息公开工作年度报告 → checked records → a static transparency site.",
    )
    parser.add_argument("--root", metavar="DIR",
                        help="the project folder (default: NIANBAO_ROOT, else the nearest folder with a "
                             "nianbao.yml or mkdocs.yml from the current one up)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="create a project in DIR (new or empty) that `nianbao build` builds as it is")
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=_cmd_new, project=False)

    p = sub.add_parser("parse", help="parse a report (txt, md, docx, pdf, html) and print its record as JSON "
                       "(the agency's id from data/agencies.yaml when the report names the agency certainly; "
                       "corrections applied; identities checked)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--compact", action="store_true", help="one line of JSON per file")
    p.set_defaults(func=_cmd_parse, project=False)

    p = sub.add_parser("check", help="run the template's arithmetic identities on records or raw reports")
    p.add_argument("paths", nargs="*", metavar="PATH", help="records, raw reports or folders (default data/records/)")
    p.add_argument("--store", action="store_true",
                   help="check the store instead: every record has its raw file (same sha256), its agency in the "
                        "registry and its corrections applied, every raw file its record; finishes an interrupted ingest")
    p.set_defaults(func=_cmd_check, project=None)  # a project only for its records (no PATH)

    p = sub.add_parser("ingest", help="copy reports into data/raw, register the agency, write the records")
    p.add_argument("files", nargs="+", metavar="FILE", help="report files or folders of them")
    p.add_argument("--agency-id", help="use this agency id instead of the one made from the name")
    p.add_argument("--agency-name", help="use this agency name instead of the one read from the report")
    p.add_argument("--year", type=int, help="the year the report is on, when the text does not say")
    p.add_argument("--province", help="override the province inferred from the name")
    p.add_argument("--city", help="override the city inferred from the name")
    p.add_argument("--county", help="override the county inferred from the name")
    p.add_argument("--kind", help="override the kind of agency (民政局, 人民政府, …)")
    p.add_argument("--url", help="the address the report was downloaded from")
    p.add_argument("--retrieved", help="when it was downloaded: a date (YYYY-MM-DD) or an ISO 8601 time, "
                                       "taken as UTC without a zone (2025-02-01T08:30:00Z)")
    p.add_argument("--jobs", type=int, default=0, help="parallel workers (default: all cores)")
    p.add_argument("--replace", action="store_true",
                   help="give a report that holds another source this one; the old raw file, source.yaml and record "
                        "are kept under data/raw/<agency-id>/<year>.replaced/ (`nianbao undo` restores them)")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("fetch", help="collect annual reports from government websites (a report page, a column "
                       "listing or a 政府信息公开 root) and ingest them with where they came from")
    p.add_argument("urls", nargs="*", metavar="URL", help="report pages, listings or 政府信息公开 roots")
    p.add_argument("--sites", metavar="FILE", help="a sites.yaml: url, agency (id or name), platform per site")
    p.add_argument("--agency", help="with URL: the agency (an id of data/agencies.yaml, or a name) of every report")
    p.add_argument("--platform", choices=["trs"], help="with URL: the platform adapter (default: detected)")
    p.add_argument("--delay", type=float, default=1.0, metavar="S",
                   help="seconds between two requests to one host (default 1; robots.txt's Crawl-delay when longer)")
    p.add_argument("--retries", type=int, default=3, help="retries of a 5xx answer or a timeout (default 3)")
    p.add_argument("--backoff", type=float, default=1.0, metavar="S",
                   help="backoff factor of the retries: S, 2S, 4S … seconds (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait for an answer (default 30)")
    p.add_argument("--max-size", type=float, default=200, metavar="MB",
                   help="the largest attachment downloaded (default 200 MB, the largest report file ingest reads)")
    p.add_argument("--jobs", type=int, default=1, help="parse workers of each ingest (default 1)")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("undo", help="restore the source a `nianbao ingest --replace` replaced (no KEY: list them)")
    p.add_argument("key", nargs="?", metavar="KEY", help="<agency-id>/<year>, e.g. ningxia-zhongwei-minzheng/2021")
    p.set_defaults(func=_cmd_undo)

    p = sub.add_parser("build", help="build the static site from data/ and content/ into build/site")
    p.add_argument("--only", metavar="REGION", help="build only the part of the site for one province or city")
    p.add_argument("--site-url", help="the address the site is published at (default: from mkdocs.yml / env)")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p.add_argument("--build-dir", metavar="DIR", help="write DIR/docs and DIR/site instead of build/ (one per shard)")
    p.add_argument("--no-shared", action="store_true",
                   help="with --only: stub the compare, quality and downloads pages (one other job builds them)")
    p.add_argument("--jobs", type=int, default=0,
                   help="MkDocs shards built in parallel, then assembled (default: one per core for large sites)")
    p.add_argument("--render-jobs", type=int, default=1, metavar="N",
                   help="render the agency and report pages in N forked processes (default 1: forked processes "
                        "copy the memory they touch, CPU that MkDocs' shards could use)")
    p.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                   help="the static-site engine: mkdocs (default) or zensical (pip install 'nianbao[zensical]'; one process)")
    p.add_argument("--plan", action="store_true",
                   help="print the jobs of a build in --shards shards (JSON, one per shard: a CI matrix) and stop")
    p.add_argument("--shards", type=int, default=4, metavar="N", help="with --plan: how many shard jobs (default 4)")
    p.add_argument("--shard", metavar="K/N",
                   help="build shard K of N into --build-dir (default build/shard-K), for `nianbao assemble`; "
                        "all/N: every shard here, each rebuilt only when its pages changed, assembled into build/site")
    p.add_argument("--no-store-check", action="store_true",
                   help="build from records that have no raw files in data/raw (test fixtures, records made "
                        "elsewhere): skip `nianbao check --store`, which build otherwise runs and obeys")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("assemble", help="join the folders of `nianbao build --shard K/N` jobs into one site, "
                       "with one search index")
    p.add_argument("dirs", nargs="+", metavar="DIR", help="the shard jobs' build folders, one per shard")
    p.add_argument("--site", metavar="DIR", help="where the site goes (default build/site)")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p.set_defaults(func=_cmd_assemble)

    p = sub.add_parser("serve", help="serve the site with live reload of content/ and data/")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")
    p.set_defaults(func=_cmd_serve)
    return parser


def _choose_root(args: argparse.Namespace) -> None:
    """Point nianbao.paths at the project, and export it to the processes the command starts."""
    given = args.root or os.environ.get("NIANBAO_ROOT")
    root = Path(given) if given else paths.find_root()
    if args.root and not root.is_dir():
        raise InputError("--root: no such folder", root)
    needed = getattr(args, "project", True)
    if root is None and (needed or (needed is None and not args.paths)):
        raise InputError(f"no nianbao project here: no {' or '.join(paths.MARKERS)} in this folder or above it "
                         "(`nianbao new DIR` makes one; --root DIR or NIANBAO_ROOT points at one)", Path.cwd())
    if root is not None:
        paths.set_root(root)
        os.environ["NIANBAO_ROOT"] = str(paths.ROOT)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        _choose_root(args)
        return int(args.func(args) or 0)
    except NianbaoError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
