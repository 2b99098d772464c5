"""nianbao works on the project around the current folder (or --root / NIANBAO_ROOT), never on its own
install location, and `nianbao new` makes a project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nianbao import new, paths
from nianbao.model import json_schema_text

from .conftest import REPO, SAMPLES


def _nianbao(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "NIANBAO_ROOT"}
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_root_is_the_nearest_folder_with_a_marker(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert paths.find_root(tmp_path / "a" / "b") not in (tmp_path, tmp_path / "a", tmp_path / "a" / "b")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert paths.find_root(tmp_path / "a" / "b") == tmp_path
    (tmp_path / "a" / "nianbao.yml").write_text("", encoding="utf-8")
    assert paths.find_root(tmp_path / "a" / "b") == tmp_path / "a"
    assert paths.find_root(REPO / "nianbao" / "render") == REPO


def test_set_root_moves_every_path(tmp_path: Path) -> None:
    before = paths.ROOT
    try:
        paths.set_root(tmp_path)
        assert (tmp_path / "data" / "raw", tmp_path / "build" / "site") == (paths.RAW, paths.BUILD_SITE)
        assert paths.record_path("x-y", 2021) == tmp_path / "data" / "records" / "x-y" / "2021.yaml"
    finally:
        paths.set_root(before)


def test_new_makes_a_project_and_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    made = {p.relative_to(dest).as_posix() for p in new.create_project(dest)}
    assert made == {"mkdocs.yml", "README.md", ".gitignore", "requirements.txt", ".github/workflows/pages.yml", "package.json",
                    "content/home.md", "content/methodology.md", "content/about.md", "data/agencies.yaml",
                    "data/schema/report.schema.json"}
    assert (dest / "content" / "methodology.md").read_bytes() == (REPO / "content" / "methodology.md").read_bytes()
    assert (dest / "data" / "schema" / "report.schema.json").read_text(encoding="utf-8") == json_schema_text()
    assert yaml.safe_load((dest / "data" / "agencies.yaml").read_text(encoding="utf-8")) == []
    assert "nianbao" in (dest / "requirements.txt").read_text(encoding="utf-8")
    workflow = yaml.safe_load((dest / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert "python -m pip install -r requirements.txt" in steps and "nianbao build" in steps
    # The Plotly bundle the site ships (render/plotlyjs.py): the same as this repository's, installed before the build.
    bundle = "plotly.js-basic-dist-min"
    assert (json.loads((dest / "package.json").read_text(encoding="utf-8"))["dependencies"][bundle]
            == json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"][bundle])
    assert steps.index("npm install --no-audit --no-fund") < steps.index("nianbao build")
    with pytest.raises(Exception, match="not an empty folder"):
        new.create_project(dest)
    done = _nianbao("new", str(dest), cwd=tmp_path)
    assert done.returncode == 2 and "not an empty folder" in done.stderr


def test_commands_that_need_a_project_say_so_outside_one(tmp_path: Path) -> None:
    if paths.find_root(tmp_path) is not None:
        pytest.skip(f"{tmp_path} lies inside a project")
    done = _nianbao("build", cwd=tmp_path)
    assert done.returncode == 2 and "no nianbao project here" in done.stderr
    assert not (tmp_path / "build").exists() and not (tmp_path / "data").exists()
    done = _nianbao("parse", str(SAMPLES / "ningxia-zhongwei-minzheng_2021.txt"), cwd=tmp_path)
    assert done.returncode == 0 and "中卫市民政局" in done.stdout  # parse needs no project


def test_ingest_writes_into_the_project_it_is_run_in_or_given(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    new.create_project(one), new.create_project(two)
    sample = str(SAMPLES / "ningxia-zhongwei-minzheng_2021.txt")
    (one / "content" / "deep").mkdir()
    assert _nianbao("ingest", sample, cwd=one / "content" / "deep").returncode == 0  # found by walking up
    assert [p.relative_to(one).as_posix() for p in (one / "data" / "records").rglob("*.yaml")] == [
        "data/records/ningxia-zhongwei-minzheng/2021.yaml"]
    assert _nianbao("--root", str(two), "ingest", sample, cwd=one).returncode == 0
    assert (two / "data" / "records" / "ningxia-zhongwei-minzheng" / "2021.yaml").is_file()
    assert _nianbao("ingest", sample, cwd=tmp_path, NIANBAO_ROOT=str(two)).returncode == 0
    assert not (tmp_path / "data").exists()
    done = _nianbao("--root", str(tmp_path / "nowhere"), "build", cwd=tmp_path)
    assert done.returncode == 2 and "no such folder" in done.stderr
