"""Shared test options and fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("NIANBAO_SAMPLES") or REPO.parent / "shared" / "reports")
SAMPLE_FILES = sorted(p for p in [*SAMPLES.glob("*.txt"), *SAMPLES.glob("*.md")] if p.name != "README.md")


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
        pytest.fail(f"the sample reports are missing: expected them in {SAMPLES}")
    return SAMPLE_FILES
