"""Measure what the hostile inputs of issue 12 cost now: exit code, wall time and peak memory of each.

    .venv/bin/python scripts/hostile_inputs.py [--out build/hostile]

Makes each input at the size the issue reported (tests/hostile.py makes them), runs `nianbao parse` (or
`ingest` into a scratch root for the YAML ones) in a child process, and prints a Markdown table. Peak
memory is the largest resident set of the child and its workers (tests/hostile.py: run_nianbao).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.hostile import (  # noqa: E402
    MB,
    docx_bomb,
    pages_pdf,
    pdf_flate_bomb,
    pdf_many_pages,
    pdf_run_length_bomb,
    run_nianbao,
    yaml_alias_bomb,
)

GOOD = REPO / "data/raw/ningxia-zhongwei-minzheng/2021.txt"


def _dense_pdf(path: Path) -> Path:
    """Two pages of 200,000 characters each (tiny text, 400 lines of 500 letters)."""
    rows = [b"BT /F1 2 Tf 10 %d Td (%s) Tj ET" % (y * 2 + 10, b"x" * 500) for y in range(400)]
    path.write_bytes(pages_pdf([b"\n".join(rows)] * 2))
    return path


def _html(path: Path, size: int) -> Path:
    body = "<p>0</p>" * (size // 8 - 20)
    path.write_text(f"<html><head><meta charset=utf-8></head><body>{body}</body></html>", encoding="utf-8")
    return path


def _corrections_root(root: Path, text: bytes) -> Path:
    fix = root / "data/corrections/ningxia-zhongwei-minzheng/2021.yaml"
    fix.parent.mkdir(parents=True, exist_ok=True)
    fix.write_bytes(text)
    return fix


def _registry_root(root: Path) -> Path:
    registry = root / "data/agencies.yaml"
    registry.parent.mkdir(parents=True, exist_ok=True)
    lines = ["- id: a", "  name: 某局", "  aliases: &l0 [甲, 甲, 甲, 甲, 甲, 甲, 甲, 甲, 甲]"]
    lines += [f"- {{id: a{i}, name: 局{i}, aliases: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]}}" for i in range(1, 9)]
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return registry


def _batch(folder: Path, out: Path) -> Path:
    """The DOCX, page and stream bombs beside one good report, for one `ingest` of the folder."""
    folder.mkdir(exist_ok=True)
    for name in ("bomb.docx", "pages.pdf", "flate.pdf"):
        (folder / name).write_bytes((out / name).read_bytes())
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build/hostile")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    cases = [
        ("DOCX, document.xml inflating to 1.15 GB", lambda: docx_bomb(out / "bomb.docx", 1178 * MB), None),
        ("DOCX stating 1 MB for a 1.15 GB member", lambda: docx_bomb(out / "liar.docx", 1178 * MB, declared=MB), None),
        ("PDF of 2,000 pages", lambda: pdf_many_pages(out / "pages.pdf", 2000), None),
        ("PDF, one FlateDecode stream of 1.5 GB", lambda: pdf_flate_bomb(out / "flate.pdf", 1536 * MB), None),
        ("PDF, 8 FlateDecode streams of 60 MB", lambda: pdf_flate_bomb(out / "streams.pdf", 60 * MB, 8), None),
        ("PDF, FlateDecode + RunLengthDecode stream of 77 MB",
         lambda: pdf_run_length_bomb(out / "runs.pdf", 600_000), None),
        ("PDF, 2 pages of 200,000 characters", lambda: _dense_pdf(out / "dense.pdf"), None),
        ("HTML of 9 MB", lambda: _html(out / "big.html", 9 * MB), None),
        ("HTML of 8 MB, a million paragraphs", lambda: _html(out / "lines.html", 8 * MB - 64), None),
        ("corrections: YAML alias bomb (billion laughs)",
         lambda: _corrections_root(out / "root-laughs", yaml_alias_bomb().encode()), "root-laughs"),
        ("corrections: value true", lambda: _corrections_root(
            out / "root-bool", b"- path: requests.granted.total\n  value: true\n  reason: x\n"), "root-bool"),
        ("corrections: GB18030, not UTF-8", lambda: _corrections_root(
            out / "root-gbk", "- path: requests.granted.total\n  value: 7\n  reason: 原件为七\n".encode("gb18030")),
         "root-gbk"),
        ("registry: YAML alias bomb", lambda: _registry_root(out / "root-registry"), "root-registry"),
        ("ingest --jobs 2 of the three bombs above and a good report", lambda: _batch(out / "batch", out),
         "root-batch"),
    ]
    print("| input | on disk | exit | time | peak memory | message |")
    print("|---|---|---|---|---|---|")
    for title, make, root in cases:
        path = make()
        args = ["parse", str(path)] if root is None else ["ingest", "--jobs", "2", str(path if path.is_dir() else GOOD)]
        code, err, peak, seconds = run_nianbao(*args, root=out / root if root else None)
        line = next((e for e in err if e.startswith("nianbao:")), err[-1] if err else "")
        if path.is_dir():
            line = f"{sum(e.startswith('nianbao:') for e in err)} refused; {err[-1]}"
        size = sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size
        shown = f"{size / MB:.1f} MB" if size >= MB else f"{size:,} B"
        line = line.replace(str(out) + "/", "").replace(str(REPO) + "/", "")
        print(f"| {title} | {shown} | {code} | {seconds:.1f} s | {peak / MB:.0f} MB | {line} |", flush=True)


if __name__ == "__main__":
    main()
