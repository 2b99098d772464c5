"""Bad input: one line on stderr naming the file and what is wrong, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES

CLI = [sys.executable, "-m", "nianbao.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    files = {
        "empty": (b"", "empty"),
        "binary": (bytes(range(256)) * 64, "binary"),
        "not-a-report": ("今天天气很好，我们去公园散步。\n".encode(), "not a 政府信息公开工作年度报告"),
        "huge-line": (("政府信息公开" + "7" * 10_000_000).encode(), "more than a report may hold"),
        "unknown-encoding": (bytes(range(0x80, 0x100)) * 50, "unknown text encoding"),
        "truncated-docx": (b"PK\x03\x04garbage", ""),
    }
    out = {}
    for name, (data, expect) in files.items():
        path = tmp / f"{name}.txt"
        path.write_bytes(data)
        out[name] = (path, expect)
    return out


@pytest.mark.parametrize("name", ["empty", "binary", "not-a-report", "huge-line", "unknown-encoding", "truncated-docx"])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    path, expect = _bad_files(tmp_path)[name]
    proc = _run("parse", str(path))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0]
    assert "Traceback" not in proc.stderr
    assert expect in lines[0]


def test_missing_file(tmp_path: Path) -> None:
    proc = _run("parse", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2
    assert "nope.txt" in proc.stderr and "Traceback" not in proc.stderr


def test_parse_prints_json_with_chinese_unescaped() -> None:
    import json

    proc = _run("parse", str(SAMPLES / "zhejiang-pinghu-minzheng_2021.txt"))
    assert proc.returncode == 0, proc.stderr
    assert "平湖市民政局" in proc.stdout  # not \\u escapes
    data = json.loads(proc.stdout)
    assert data["year"] == 2021 and data["requests"] is None


def test_every_command_has_help() -> None:
    from nianbao.cli import make_parser

    parser = make_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        assert p.format_help(), name
        help_text = next(c.help for c in sub._choices_actions if c.dest == name)
        assert help_text, name
