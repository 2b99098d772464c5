"""From start addresses to ingested reports: listings, their later pages, report pages, attachments.

A start address is a report page, a column listing (政府信息公开年报), or a site's 政府信息公开 root
whose links lead to such a column. Listings are read for links to annual reports (pages.report_links)
and for their later pages; each report is opened once, its year read from its title, and
- a report on a year before 2019 is listed and skipped (the old template), without a request when the
  listing's title already says the year;
- a page whose body holds the template's tables is the report's source (its bytes as served, HTML);
  otherwise its first DOCX or PDF attachment is; every attachment is downloaded (build/fetch/files);
- the source goes to ingest with its provenance (url, retrieved, page_url, http, meta), unless the store
  already holds the same bytes (unchanged). ingest's refusals (another source, agency uncertain) are
  held with their reason, never a crash.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .. import paths
from ..readers.limits import MAX_FILE_BYTES, MAX_HTML_BYTES
from .client import Client, FetchError, Response
from .pages import Link, Page, attachment_type, column_links, read_page, report_links, report_year

FIRST_NEW_TEMPLATE_YEAR = 2019
MAX_LISTING_PAGES = 100  # listing pages read from one start address
READABLE = ("docx", "pdf")  # attachment formats ingest reads, best first
_SHA = re.compile(r"^sha256: *'?([0-9a-f]{64})'?$", re.M)


@dataclass
class Site:
    url: str
    agency_id: str | None = None
    agency_name: str | None = None
    platform: str | None = None


@dataclass
class Found:
    """One report found, and what became of it: new, unchanged, skipped, held (ingest refused), failed."""

    url: str
    title: str = ""
    year: int | None = None
    status: str = "failed"
    reason: str = ""
    key: str | None = None  # <agency-id>/<year> in the store
    requests: int = 0  # requests made for this report (its page and attachments)
    listing: bool = False  # a listing page that failed, not a report


@dataclass
class Settings:
    max_bytes: int = MAX_FILE_BYTES  # one attachment
    jobs: int = 1
    files: Path = field(default_factory=lambda: paths.BUILD / "fetch" / "files")


class Crawler:
    def __init__(self, client: Client, settings: Settings, progress=None):
        self.client, self.settings, self.progress = client, settings, progress
        self.seen: set[str] = set()  # report pages handled in this run
        self.held_sha = _stored_sha256()

    # Listings -----------------------------------------------------------------------------------

    def crawl(self, site: Site) -> list[Found]:
        """Every report reachable from the site's start address, each handled once."""
        out: list[Found] = []
        queue, visited, depth = [(site.url, 0)], set(), {site.url: 0}
        while queue and len(visited) < MAX_LISTING_PAGES:
            url, level = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            try:
                answer = self.client.get(url, limit=MAX_HTML_BYTES)
                page = read_page(answer.body, answer.url, answer.content_type, site.platform)
            except FetchError as exc:
                if level == 0 or not url.endswith((".htm", ".html", ".shtml")) or "HTTP 404" not in str(exc):
                    out.append(Found(url=url, title="(listing page)", reason=str(exc), requests=1, listing=True))
                continue
            if level == 0 and self._is_report(page):
                found = self.report_page(page, answer, site, Link(url=url, text=page.report_title))
                found.requests += 1  # its page
                out.append(found)
                continue
            for link in report_links(page):
                if _same_site(link.url, site.url) and link.url not in self.seen:
                    self.seen.add(link.url)
                    out.append(self.report(link, site))
            # From a 政府信息公开 root (not itself the report column), its links to the report column.
            more = page.more_pages + (column_links(page) if level == 0 and not page.is_report_column else [])
            for nxt in more:
                if nxt not in depth and _same_site(nxt, site.url):
                    depth[nxt] = level + 1
                    queue.append((nxt, level + 1))
        return out

    @staticmethod
    def _is_report(page: Page) -> bool:
        return report_year(page.report_title) is not None and (
            "ArticleTitle" in page.meta or page.template() is not None)

    # Reports ------------------------------------------------------------------------------------

    def report(self, link: Link, site: Site) -> Found:
        if link.year is not None and link.year < FIRST_NEW_TEMPLATE_YEAR:
            return self._done(Found(url=link.url, title=link.text, year=link.year, status="skipped",
                                    reason=f"old template: a report on {link.year}, before the 2019 template"))
        before = self.client.requests
        try:
            answer = self.client.get(link.url, limit=MAX_HTML_BYTES)
            page = read_page(answer.body, answer.url, answer.content_type, site.platform)
        except FetchError as exc:
            return self._done(Found(url=link.url, title=link.text, year=link.year, reason=str(exc),
                                    requests=self.client.requests - before))
        found = self.report_page(page, answer, site, link)
        found.requests = self.client.requests - before  # the page and its attachments
        return found

    def report_page(self, page: Page, answer: Response, site: Site, link: Link) -> Found:
        before = self.client.requests
        title = page.report_title or link.text
        year = report_year(title, True) or link.year
        found = Found(url=answer.url, title=title, year=year)
        template = page.template()
        if (year is not None and year < FIRST_NEW_TEMPLATE_YEAR) or template == "old":
            found.status = "skipped"
            found.reason = (f"old template: a report on {year}, before the 2019 template" if year and
                            year < FIRST_NEW_TEMPLATE_YEAR else "old template (指标名称/计量单位/历年累计 table)")
            return self._done(found)
        files, failures = [], []
        for attachment in page.attachments:
            try:
                files.append((attachment, self.client.get(attachment.url, limit=self.settings.max_bytes)))
            except FetchError as exc:
                failures.append(f"attachment {attachment.url}: {exc}")
        found.requests = self.client.requests - before
        kept = self._keep([r for _, r in files])
        if template == "new":
            source, fmt = answer, "html"
        else:
            readable = [(attachment_type(a.url), r) for a, r in files if attachment_type(a.url) in READABLE]
            readable.sort(key=lambda fr: READABLE.index(fr[0]))
            if not readable:
                found.status = "failed" if failures else "skipped"
                others = sorted({attachment_type(a.url) or "" for a, _ in files} - {""})
                found.reason = "; ".join(failures) or (
                    f"only {', '.join(others).upper()} attachments, which nianbao does not read (convert to DOCX "
                    f"or PDF: {', '.join(map(str, kept))})" if others else "not a report: no report tables on the page and no attachment")
                return self._done(found)
            fmt, source = readable[0]
        return self._done(self._ingest(found, source, fmt, answer, page, site, failures))

    def _keep(self, responses: list[Response]) -> list[Path]:
        """Every attachment downloaded, under build/fetch/files (the one ingested is copied into data/raw)."""
        return [self._save(response, attachment_type(response.url) or "bin") for response in responses]

    def _save(self, response: Response, fmt: str) -> Path:
        """The downloaded bytes under build/fetch/files/<url hash>/<name>.<fmt> (written when they changed)."""
        stem = urlsplit(response.url).path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "index"
        stem = re.sub(r"[^A-Za-z0-9_-]", "_", stem)[:80] or "index"
        path = self.settings.files / hashlib.sha256(response.url.encode()).hexdigest()[:16] / f"{stem}.{fmt}"
        if not path.exists() or path.read_bytes() != response.body:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(response.body)
        return path

    def _ingest(self, found: Found, source: Response, fmt: str, page_answer: Response, page: Page, site: Site,
                failures: list[str]) -> Found:
        from ..ingest import Options, ingest_files
        from ..parse.agency import agency_from_title

        sha = hashlib.sha256(source.body).hexdigest()
        if sha in self.held_sha:
            found.status, found.key = "unchanged", self.held_sha[sha]
            return found
        provenance = {"url": source.url, "retrieved": source.retrieved, "page_url": page_answer.url,
                      "http": {k: v for k, v in source.http.items() if v is not None},
                      "meta": dict(page.meta)}
        options = Options(agency_id=site.agency_id, agency_name=site.agency_name, year=found.year,
                          jobs=self.settings.jobs, provenance=provenance)
        saved = self._save(source, fmt)
        (outcome,) = ingest_files([saved], options)
        found.key = outcome.key
        if outcome.status == "refused":
            found.status, found.reason = "held", outcome.reason
            named = agency_from_title(page.meta.get("ArticleTitle"))
            if outcome.reason.startswith("agency uncertain") and named and fmt != "html":
                # The attachment does not say; its page's ArticleTitle does, but deciding is the user's.
                found.reason += f" (its page's ArticleTitle names {named}: nianbao fetch {found.url} --agency {named})"
        else:
            found.status = "new"
            problems = [f"{outcome.problems} problem{'s' if outcome.problems > 1 else ''}"] if outcome.problems else []
            found.reason = "; ".join(failures + problems)
            self.held_sha[sha] = outcome.key or ""
        return found

    def _done(self, found: Found) -> Found:
        if self.progress is not None:
            self.progress(found)
        return found


def _same_site(url: str, start: str) -> bool:
    """Listings and report pages are followed on the start address's host only (www. or not); a page's
    links to other sites are not the site's reports. Attachments may be anywhere."""
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").removeprefix("www.")

    return host(url) == host(start)


def _stored_sha256() -> dict[str, str]:
    """sha256 → <agency-id>/<year> of every source the store holds (data/raw/*/<year>.source.yaml)."""
    out = {}
    for meta in sorted(paths.RAW.glob("*/*.source.yaml")):
        match = _SHA.search(meta.read_text(encoding="utf-8", errors="replace"))
        if match:
            out[match.group(1)] = f"{meta.parent.name}/{meta.name.split('.')[0]}"
    return out
