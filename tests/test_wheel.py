"""The wheel, installed (not editable) in a venv of its own, is a tool like mkdocs: `nianbao new` makes
a project anywhere, `ingest` and `build` work there, and nothing is written into the checkout or beside
the installed package.

Slow (a wheel build and a pip install of the dependencies, from pip's cache when it has them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao import paths

from .conftest import REPO, SAMPLES

pytestmark = pytest.mark.slow

# What the wheel is built from: the package and what pyproject.toml and the package's links name.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "mkdocs.yml", "content", "nianbao")


def _run(cmd: list[str | Path], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NIANBAO_ROOT", "PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "node_modules", "__pycache__", *skip)]
        for name in filenames:
            stat = (Path(dirpath) / name).stat()
            out[os.path.relpath(Path(dirpath) / name, folder)] = (stat.st_mtime_ns, stat.st_size)
    return out


def test_the_installed_wheel_makes_ingests_and_builds_a_project(tmp_path: Path) -> None:
    checkout = _snapshot(REPO, skip=(".pytest_cache", ".hypothesis", ".ruff_cache"))
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:  # a copy, so that the build's own files (build/, *.egg-info) stay out of the checkout
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, src / name, **({"symlinks": True, "ignore": shutil.ignore_patterns("__pycache__")}
                                        if (REPO / name).is_dir() else {}))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path / "dist", src], cwd=tmp_path)
    assert "deprecat" not in (built.stdout + built.stderr).lower()  # the SPDX licence string setuptools asks for
    wheel = next((tmp_path / "dist").glob("nianbao-*.whl"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    python, nianbao = venv / "bin" / "python", venv / "bin" / "nianbao"
    _run([python, "-m", "pip", "install", "-q", wheel], cwd=tmp_path)
    site_packages = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              cwd=tmp_path).stdout.strip())
    where = _run([python, "-c", "import nianbao; print(nianbao.__file__)"], cwd=tmp_path).stdout.strip()
    assert Path(where).parent == site_packages / "nianbao"  # the installed copy runs, not the checkout
    installed = _snapshot(site_packages.parent)

    work = tmp_path / "work"
    work.mkdir()
    assert paths.find_root(work) is None, f"{work} lies inside a project"
    _run([nianbao, "new", "site"], cwd=work)
    project = work / "site"
    _run([nianbao, "ingest", SAMPLES / "xinjiang-wusu-minzheng_2021.txt"], cwd=project)
    records = sorted((project / "data" / "records").glob("*/2021.yaml"))
    assert len(records) == 1
    agency = records[0].parent.name
    _run([nianbao, "build", "--site-url", "https://example.org/site/"], cwd=project)
    page = project / "build" / "site" / "agencies" / agency / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "乌苏市民政局" in html and "CC BY 4.0" in html  # the licence in the footer
    assert (project / "build" / "site" / "assets" / "nianbao" / "site.css").is_file()
    assert (project / "build" / "site" / "pagefind").is_dir()

    assert _snapshot(site_packages.parent) == installed, "nianbao wrote beside its installed package"
    assert _snapshot(REPO, skip=(".pytest_cache", ".hypothesis", ".ruff_cache")) == checkout, \
        "nianbao wrote into the checkout"
