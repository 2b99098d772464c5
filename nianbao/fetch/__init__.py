"""`nianbao fetch URL… | --sites sites.yaml`: collect annual reports from government websites into the
store, with where each came from (source.yaml: url, retrieved, page_url, http, meta).

client.py is the polite HTTP client (robots.txt, delay, retries, conditional requests, cache, limits),
pages.py reads a page, adapters.py knows platforms, crawl.py walks listings to reports and hands them to
ingest, sites.py reads sites.yaml, and this module runs it all and prints the summary.
"""

from __future__ import annotations

import argparse
import sys

from .. import paths
from ..readers.limits import MB
from .crawl import Crawler, Found, Settings, Site
from .sites import load_sites, site_from_args

STATUSES = ("new", "unchanged", "skipped", "held", "failed")


def run_fetch(args: argparse.Namespace) -> int:
    from .client import Client

    sites = load_sites(args.sites) if args.sites else []
    sites += [site_from_args(url, args) for url in args.urls]
    if not sites:
        from ..errors import InputError

        raise InputError("nothing to fetch: give report or listing addresses, or --sites FILE")
    client = Client(paths.BUILD / "fetch" / "cache", delay=args.delay, retries=args.retries,
                    backoff=args.backoff, timeout=args.timeout)
    settings = Settings(max_bytes=int(args.max_size * MB), jobs=args.jobs)
    try:
        with _progress() as advance:
            found = fetch_sites(sites, client, settings, advance)
    finally:
        client.close()
    print_summary(found, client)
    return 2 if any(f.status == "failed" for f in found) else 0


def fetch_sites(sites: list[Site], client, settings: Settings, progress=None) -> list[Found]:
    crawler = Crawler(client, settings, progress)
    out: list[Found] = []
    for site in sites:
        out += crawler.crawl(site)
    return out


class _progress:
    """A rich progress bar on stderr when it is a terminal (one tick per report handled), else nothing."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} reports"),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("nianbao fetch", total=None)
        return self.advance

    def advance(self, found: Found) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=f"{found.status}: {found.title or found.url}"[:70])

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_summary(found: list[Found], client) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    reports = [f for f in found if not f.listing]
    counts = {s: sum(f.status == s for f in reports) for s in STATUSES}
    shown = [f for f in found if f.status != "unchanged"]
    if shown:
        table = Table(title="nianbao fetch")
        for column in ("report", "year", "status", "record / why"):
            table.add_column(column, overflow="fold")
        for f in shown:
            why = "; ".join(x for x in (f.key or "", f.reason) if x)
            table.add_row(f.title or f.url, str(f.year or ""), f.status, why)
        console.print(table)
    listings = len(found) - len(reports)
    console.print(
        f"{len(reports)} reports found: {counts['new']} new, {counts['unchanged']} unchanged, "
        f"{counts['skipped']} skipped, {counts['held']} held, {counts['failed']} failed; "
        + (f"{listings} listing pages failed; " if listings else "")
        + f"{client.requests} requests, {client.downloaded} downloads")
