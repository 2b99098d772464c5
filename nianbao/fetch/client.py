"""HTTP for `nianbao fetch`: polite, bounded and resumable.

One `Client` per run. Every request goes through `get`, which
- asks the host's robots.txt first (urllib.robotparser; a Crawl-delay longer than ours is obeyed);
- waits so that one host gets one request at a time, `delay` seconds apart (default 1 s);
- names the project in its User-Agent (with the repository's address: NIANBAO_REPOSITORY or mkdocs.yml);
- retries 5xx answers, refused connections and timeouts with exponential backoff (urllib3's Retry);
- follows redirects (at most `MAX_REDIRECTS`), and asks robots.txt again about where it landed;
- sends If-None-Match / If-Modified-Since when the cache under build/fetch/cache holds the address, so
  that a page or file that did not change is not downloaded again (304: the cached bytes are used);
- refuses a body larger than its limit before or while reading it (nianbao/readers/limits.py).
Cache entries are written whole (body first, then its entry), so an interrupted run resumes where it
stopped: what it had downloaded is asked for again with a conditional request and not downloaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import urllib.robotparser
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import NianbaoError

MAX_REDIRECTS = 5
ROBOTS_AGENT = "nianbao"  # the token robots.txt rules name
RETRY_STATUSES = (500, 502, 503, 504)
_sleep = time.sleep  # the wait between two requests to a host (tests count the waits)


class FetchError(NianbaoError):
    """One address could not be used: forbidden by robots.txt, an HTTP error, too large, unreachable."""


@dataclass
class Response:
    url: str  # where the bytes came from, after redirects
    status: int  # the status that brought these bytes (200; a later 304 leaves it, and sets downloaded False)
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    retrieved: str = ""  # ISO 8601 UTC: when these bytes were downloaded (the first 200, not a later 304)
    downloaded: bool = True  # False: a 304 answered and the cached bytes are used

    @property
    def http(self) -> dict[str, object]:
        return {"status": self.status, "etag": self.etag, "last_modified": self.last_modified}


def user_agent() -> str:
    from .. import __version__
    from ..render.settings import resolve_repository

    where = resolve_repository() or "https://github.com/OWNER/nianbao"
    return f"nianbao/{__version__} (+{where}; collects government information-disclosure annual reports)"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Client:
    def __init__(self, cache_dir: Path, *, delay: float = 1.0, retries: int = 3, backoff: float = 1.0,
                 timeout: float = 30.0, agent: str | None = None):
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.cache_dir, self.delay, self.timeout = cache_dir, delay, timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": agent or user_agent(), "Accept-Encoding": "gzip, deflate"})
        self.session.max_redirects = MAX_REDIRECTS
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, redirect=False,
                      status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                      backoff_factor=backoff, respect_retry_after_header=True, raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._last: dict[str, float] = {}  # host → when its last request ended
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.requests = 0  # requests sent (retries inside urllib3 not counted)
        self.downloaded = 0  # bodies downloaded (not answered by a 304)

    def close(self) -> None:
        self.session.close()

    # Politeness ---------------------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        return self._robots[origin].can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            answer = self._request(origin + "/robots.txt", limit=512 * 1024, check=False)
        except FetchError as exc:  # RFC 9309: none (4xx) allows everything; unreachable or 5xx forbids it
            if str(exc).startswith("HTTP 4"):
                robots.allow_all = True
            else:
                robots.disallow_all = True
            return robots
        text = answer.body.decode("utf-8", errors="replace")
        robots.parse(text.splitlines())
        return robots

    def _wait(self, host: str) -> None:
        robots = self._robots.get(host)
        delay = max(self.delay, float(robots.crawl_delay(ROBOTS_AGENT) or 0) if robots else 0.0)
        wait = self._last.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            _sleep(wait)

    # Requests -----------------------------------------------------------------------------------

    def get(self, url: str, *, limit: int) -> Response:
        """The body at url (at most `limit` bytes), from the cache when the server says it did not change."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"not a web address: {url}")
        if not self.allowed(url):
            raise FetchError("robots.txt forbids it")
        return self._request(url, limit=limit, check=True)

    def _request(self, url: str, *, limit: int, check: bool) -> Response:
        import requests

        url = urlunsplit(urlsplit(url)._replace(fragment=""))
        entry = self._cached(url)
        headers = {}
        if entry is not None:
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        host = urlsplit(url).scheme + "://" + urlsplit(url).netloc
        self._wait(host)
        self.requests += 1
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as answer:
                if check and answer.url != url and not self.allowed(answer.url):
                    raise FetchError(f"redirected to {answer.url}, which robots.txt forbids")
                if answer.status_code == 304 and entry is not None:
                    entry.downloaded = False  # its status stays the one that brought these bytes (200)
                    return entry
                if answer.status_code >= 400:
                    raise FetchError(f"HTTP {answer.status_code} {answer.reason or ''}".strip())
                body = _read(answer, limit)
                response = Response(
                    url=answer.url, status=answer.status_code, body=body,
                    content_type=answer.headers.get("Content-Type", ""), etag=answer.headers.get("ETag"),
                    last_modified=answer.headers.get("Last-Modified"), retrieved=now_utc())
        except requests.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
        except requests.RequestException as exc:
            raise FetchError(f"unreachable ({type(exc).__name__})") from None
        finally:
            self._last[host] = time.monotonic()
        self.downloaded += 1
        self._store(url, response)
        return response

    # The cache ----------------------------------------------------------------------------------

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache_dir / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def _cached(self, url: str) -> Response | None:
        entry_path, body_path = self._paths(url)
        try:
            entry = json.loads(entry_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(body).hexdigest() != entry.pop("sha256", None):
            return None  # a body cut short by a crash: download it again
        return Response(body=body, **entry)

    def _store(self, url: str, response: Response) -> None:
        entry_path, body_path = self._paths(url)
        entry_path.parent.mkdir(parents=True, exist_ok=True)
        entry = {k: v for k, v in asdict(response).items() if k not in ("body", "downloaded")}
        entry["sha256"] = hashlib.sha256(response.body).hexdigest()
        for path, data in ((body_path, response.body), (entry_path, json.dumps(entry).encode("utf-8"))):
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, path)


def _read(answer, limit: int) -> bytes:
    """The body, refused as soon as it is known to be larger than limit (declared or read)."""
    from ..readers.limits import _size

    declared = answer.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"the file is {_size(int(declared))}, more than a download may be ({_size(limit)})")
    chunks, size = [], 0
    for chunk in answer.iter_content(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"the file is more than a download may be ({_size(limit)})")
        chunks.append(chunk)
    return b"".join(chunks)
