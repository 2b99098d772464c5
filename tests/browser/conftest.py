"""Browser-test fixtures: the sample site built once, served under a project path, and one Chromium.

The site is served as GitHub Pages serves a project site (`http://127.0.0.1:PORT/nianbao/`), so every
link and asset must resolve below that path. Every page a test opens is watched: a console error, an
uncaught exception, a failed or 4xx/5xx request, or any request leaving 127.0.0.1 fails the test.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURE_RECORDS = REPO / "tests" / "fixtures" / "records"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
PROJECT = "nianbao"  # the repository name GitHub Pages would serve the site under
HOST = "127.0.0.1"
TIMEOUT_MS = 15_000


# Serving ----------------------------------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: a folder without index.html is a 404, not a listing."""

    def list_directory(self, path):  # noqa: ANN001 (the stdlib's signature)
        self.send_error(404, "Not Found")
        return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


@dataclass
class Server:
    """One server for the session; each site is mounted at /<project>/ (a symlink in the served root)."""

    port: int
    www: Path

    def url(self, project: str) -> str:
        return f"http://{HOST}:{self.port}/{project}/"

    def mount(self, project: str, site: Path) -> str:
        (self.www / project).symlink_to(site, target_is_directory=True)
        return self.url(project)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    www = tmp_path_factory.mktemp("www")
    httpd = ThreadingHTTPServer((HOST, 0), functools.partial(_Handler, directory=str(www)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(httpd.server_address[1], www)
    finally:
        httpd.shutdown()
        httpd.server_close()


# Building -----------------------------------------------------------------------------------------------------


def _has_records(records: Path) -> bool:
    return records.is_dir() and any(records.glob("*/*.yaml"))


def make_root(root: Path, records: dict[str, dict] | None = None, agencies: list[dict] | None = None) -> Path:
    """A NIANBAO_ROOT for a test build: the repo's content/ and mkdocs.yml, and either the given
    records (`{"<agency-id>/<year>": record}`) or the sample data (data/, else the fixture records)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "content").symlink_to(REPO / "content")
    (root / "mkdocs.yml").symlink_to(REPO / "mkdocs.yml")
    data = root / "data"
    if records is None and _has_records(REPO / "data" / "records"):
        data.symlink_to(REPO / "data")
        return root
    data.mkdir()
    if records is None:  # data/records not yet committed: the site engineer's records of the nine samples
        shutil.copytree(FIXTURE_RECORDS, data / "records", ignore=shutil.ignore_patterns("test-*", "agencies.yaml"))
        entries = yaml.safe_load((FIXTURE_RECORDS / "agencies.yaml").read_text(encoding="utf-8"))
        agencies = [a for a in entries if not a["id"].startswith("test-")]
    else:
        for key, record in records.items():
            path = data / "records" / f"{key}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (data / "agencies.yaml").write_text(yaml.safe_dump(agencies or [], allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return root


def build_site(root: Path, site_url: str) -> Path:
    """`nianbao build --site-url URL` in a subprocess (paths.py reads NIANBAO_ROOT at import)."""
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    env.pop("NIANBAO_SITE_URL", None)
    cmd = [sys.executable, "-m", "nianbao.cli", "build", "--site-url", site_url]
    if not (root / "data" / "raw").exists():  # records made by a test, without raw files: not a store to check
        cmd.append("--no-store-check")
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"nianbao build failed ({done.returncode}):\n{done.stderr[-4000:]}")
    site = root / "build" / "site"
    assert (site / "index.html").is_file(), f"no index.html in {site}"
    return site


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("sample") / "root")


@pytest.fixture(scope="session")
def site_dir(sample_root: Path, server: Server) -> Path:
    """The sample site, built once per session, mounted at /nianbao/."""
    site = build_site(sample_root, server.url(PROJECT))
    server.mount(PROJECT, site)
    return site


@pytest.fixture(scope="session")
def base_url(site_dir: Path, server: Server) -> str:
    return server.url(PROJECT)


@pytest.fixture(scope="session")
def dataset(sample_root: Path):
    """The records and registry the sample site was built from (what the pages must show)."""
    from nianbao.dataset import load_dataset

    data = sample_root / "data"
    loaded = load_dataset(records_dir=data / "records", agencies_path=data / "agencies.yaml")
    assert loaded.reports and not loaded.errors, loaded.errors
    return loaded


# The browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Site bugs already reported to the lead: a test about something else may tolerate one (`watch.tolerate`),
# and a strict-xfail test pins each, so the suite goes red the day it is fixed and the tolerance must go.
KNOWN_PAGE_ERRORS: dict[str, str] = {}  # none open now


@dataclass
class Watch:
    """What went wrong on the pages one test visited."""

    tolerate: list[str] = field(default_factory=list)  # keys of KNOWN_PAGE_ERRORS
    tolerated: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_all: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed]
            + [f"request leaving {HOST}: {m}" for m in self.external]
            + [f"dialog: {m}" for m in self.dialogs]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


def watch_page(page, watch: Watch) -> None:
    def on_console(msg) -> None:
        loc = msg.location or {}
        text = f"{msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})"
        watch.console_all.append(f"{msg.type}: {text}")
        if msg.type == "error":
            watch.console_errors.append(text)

    def on_response(response) -> None:
        if response.status >= 400:
            watch.failed.append(f"{response.status} {response.url}")

    def on_dialog(dialog) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    def on_page_error(exc) -> None:
        text = str(exc)
        known = [KNOWN_PAGE_ERRORS[k] for k in watch.tolerate]
        (watch.tolerated if any(k in text for k in known) else watch.page_errors).append(text)

    page.on("pageerror", on_page_error)
    def on_request_failed(req) -> None:
        # ERR_ABORTED is the browser cancelling a request because the page navigated on (a favicon still
        # loading when a test opens the next address): not a fault of the site. A missing file shows as
        # its 4xx response above, a refused external request in `external`.
        if req.failure != "net::ERR_ABORTED":
            watch.failed.append(f"{req.failure} {req.url}")

    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("dialog", on_dialog)


def _guard_network(context, watch: Watch) -> None:
    """Every request for another host is recorded and refused: the site must work offline."""

    def route(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname != HOST:
            watch.external.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.nb_call_passed = report.passed  # read by new_page's teardown
    return report


@pytest.fixture
def new_page(browser, watch: Watch, request: pytest.FixtureRequest) -> Iterator[object]:
    """`new_page(width=1280, height=900, dark=False)` → a watched page in a fresh context; the test fails
    if any page it opened logged an error, failed a request or reached for another host."""
    contexts = []

    def make(width: int = 1280, height: int = 900, dark: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN",
            color_scheme="dark" if dark else "light", service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        _guard_network(context, watch)
        contexts.append(context)
        page = context.new_page()
        watch_page(page, watch)
        return page

    yield make
    for context in contexts:
        context.close()
    if getattr(request.node, "nb_call_passed", False):  # a failed (or xfailed) test has said why already
        watch.assert_clean()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make browser-deps` (npm install) puts axe-core there")
    return AXE
