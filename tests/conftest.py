"""Shared test options and fixtures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from nianbao import paths

REPO = Path(__file__).resolve().parent.parent


def load_script(name: str):
    """A module of scripts/ (they are not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# The sample reports committed under data/raw/, copied under the names they were published with (a
# record carries its file's name): the tests need nothing outside the repository.
SAMPLES = load_script("samples").sample_dir(REPO / "build" / "samples")
SAMPLE_FILES = sorted([*SAMPLES.glob("*.txt"), *SAMPLES.glob("*.md")])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite golden files from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sample_files() -> list[Path]:
    if not SAMPLE_FILES:
        pytest.fail(f"no sample reports committed under {REPO / 'data' / 'raw'}")
    return SAMPLE_FILES


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A scratch project root: NIANBAO_ROOT for subprocesses, and nianbao.paths pointed at it here."""
    monkeypatch.setenv("NIANBAO_ROOT", str(tmp_path))
    importlib.reload(paths)
    yield tmp_path
    monkeypatch.undo()
    importlib.reload(paths)
