"""Docs are tested against the code: every problem code the code can emit is explained on the methodology page."""

from __future__ import annotations

import re
from pathlib import Path

from nianbao import checks

REPO = Path(__file__).resolve().parent.parent
_EMIT = re.compile(r'code="([a-z0-9]+(?:-[a-z0-9]+)*)"|_problem\(\s*doc,\s*"([a-z0-9]+(?:-[a-z0-9]+)*)"')


def emitted_codes() -> set[str]:
    codes: set[str] = set(checks.CHECK_CODES)
    for path in (REPO / "nianbao").rglob("*.py"):
        for m in _EMIT.finditer(path.read_text(encoding="utf-8")):
            codes.add(m.group(1) or m.group(2))
    return codes


def test_the_scan_finds_the_codes() -> None:
    codes = emitted_codes()
    # The scan must see codes from the parser, the checks and the corrections, or it checks nothing.
    assert {"table3-missing", "cells-ambiguous", "identity-balance", "corrected"} <= codes


def test_every_problem_code_is_explained() -> None:
    page = (REPO / "content" / "methodology.md").read_text(encoding="utf-8")
    missing = sorted(c for c in emitted_codes() if f"`{c}`" not in page)
    assert not missing, f"explain these problem codes in content/methodology.md: {missing}"
