"""Bounded work per input: each bomb is refused with exit 2 and one line, within its limit, and a batch
holding one goes on with the others; a worker past its memory or time budget, or dying, fails its file only.

Peak memory is measured on a child process (tests/hostile.py: run_nianbao), never wall time.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from nianbao.errors import InputError, RegistryError
from nianbao.readers import limits, read_document
from nianbao.registry import load_agencies
from nianbao.workers import Pool

from .conftest import REPO
from .hostile import (
    MB,
    deflated,
    docx_bomb,
    pages_pdf,
    pdf_flate_bomb,
    pdf_many_pages,
    pdf_run_length_bomb,
    run_nianbao,
    yaml_alias_bomb,
)

GOOD = REPO / "data/raw/ningxia-zhongwei-minzheng/2021.txt"
REFUSAL_PEAK = 400 * MB  # what refusing any of these may cost, the interpreter and its imports included

def nianbao(*args: str, root: Path | None = None) -> tuple[int, list[str], int]:
    """(exit code, stderr lines, peak memory in bytes of the process and its workers) of `nianbao args`."""
    return run_nianbao(*args, root=root)[:3]


@pytest.mark.parametrize(
    ("name", "make", "words", "most"),
    [
        ("bomb.docx", lambda p: docx_bomb(p, 300 * MB), "word/document.xml inflates to 300 MB, more than 16 MB",
         REFUSAL_PEAK),
        ("liar.docx", lambda p: docx_bomb(p, 300 * MB, declared=MB), "corrupt or truncated DOCX", REFUSAL_PEAK),
        ("pages.pdf", lambda p: pdf_many_pages(p, 2000), f"more than {limits.MAX_PDF_PAGES} pages", REFUSAL_PEAK),
        ("stream.pdf", lambda p: pdf_flate_bomb(p, 300 * MB), "a PDF stream decodes to more than 64 MB",
         REFUSAL_PEAK),
        ("runs.pdf", lambda p: pdf_run_length_bomb(p, 600_000), "a PDF stream decodes to more than 64 MB",
         REFUSAL_PEAK),  # 1.2 MB of run-length data, 77 MB decoded (pdfminer makes a list of ints: 700 MB)
        # eight streams of 60 MB: the first ones are held until the total passes its limit
        ("streams.pdf", lambda p: pdf_flate_bomb(p, 60 * MB, 8), "streams decode to more than 256 MB",
         limits.MAX_PDF_DECODED + 200 * MB),
    ],
)
def test_a_bomb_is_refused_in_one_line_within_its_limit(tmp_path: Path, name: str, make, words: str,
                                                         most: int) -> None:
    path = make(tmp_path / name)
    assert path.stat().st_size < MB  # small on disk
    code, err, peak = nianbao("parse", str(path))
    assert code == 2
    assert len(err) == 1 and err[0].startswith(f"nianbao: {path}: ") and words in err[0], err
    assert peak < most, f"{peak / MB:.0f} MB"


def test_a_damaged_stream_is_inflated_as_pdfminer_would_within_the_limits(tmp_path: Path) -> None:
    """pdfminer reads a Flate stream whose checksum is cut off one byte at a time (hours for tens of MB): the
    bounded reading gives the same bytes, or the same error for damage before the end, and is refused past
    the stream limit."""
    import random
    import zlib

    from pdfminer import pdftypes

    rng = random.Random(12)
    text = b"".join(rng.choice([b"BT (2021) Tj ET\n", b"0 0 m 10 10 l S\n", rng.randbytes(16)]) for _ in range(3000))
    packed = zlib.compress(text)
    middle = len(packed) // 2
    for data in (packed, packed[:-4], packed[:-1], packed[:-2] + b"\0\0", packed[:100],
                 packed[:middle] + b"\xff" * 50 + packed[middle:]):
        outcomes = []
        for inflate in (pdftypes.decompress_corrupted, limits._Inflater().decompress_corrupted):
            try:
                outcomes.append(inflate(data))
            except zlib.error:
                outcomes.append("error")
        assert outcomes[0] == outcomes[1]
    cut = tmp_path / "cut.pdf"  # 60 MB of page content whose checksum is cut off: pdfminer alone takes ~15 min
    cut.write_bytes(pages_pdf([deflated(60 * MB)[:-4]], flate=True))
    code, err, _, _ = run_nianbao("parse", str(cut), timeout=120)
    assert code == 2 and err == [f"nianbao: {cut}: PDF with no text layer; OCR is not supported"]


def test_the_declared_size_bounds_what_a_docx_member_inflates_to(tmp_path: Path) -> None:
    """A zip that says 1 MB and holds 300 MB: zipfile stops at the declared size, so nothing past it is held."""
    path = docx_bomb(tmp_path / "liar.docx", 300 * MB, declared=MB)
    with pytest.raises(InputError, match="damaged member word/document.xml"):
        read_document(path)


def test_a_file_past_its_format_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    html = tmp_path / "page.html"
    html.write_text("<html><body><p>政府信息公开</p></body></html>" + " " * 4096, encoding="utf-8")
    text = tmp_path / "report.txt"
    text.write_text("政府信息公开\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_HTML_BYTES", 4000)
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 4000)
    with pytest.raises(InputError, match=r"page.html: the file is 4,\d+ bytes, more than an HTML page may be"):
        read_document(html)
    with pytest.raises(InputError, match=r"report.txt: the file is \d+,\d+ bytes, more than a text file may be"):
        read_document(text)


def test_text_past_the_line_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("政府信息公开\n" * (limits.MAX_TEXT_LINES + 1), encoding="utf-8")
    with pytest.raises(InputError, match="lines, more than a report may have"):
        read_document(path)


def test_an_alias_bomb_in_a_corrections_file_refuses_its_report_only(tmp_path: Path) -> None:
    bomb = tmp_path / "data/corrections/ningxia-zhongwei-minzheng/2021.yaml"
    bomb.parent.mkdir(parents=True)
    bomb.write_text(yaml_alias_bomb(), encoding="utf-8")
    assert bomb.stat().st_size < 1024
    other = tmp_path / "pinghu.txt"
    other.write_bytes((REPO / "data/raw/zhejiang-jiaxing-pinghu-minzheng/2021.txt").read_bytes())
    code, err, peak = nianbao("ingest", "--jobs", "1", str(GOOD), str(other), root=tmp_path)
    assert code == 2
    refusals = [line for line in err if line.startswith("nianbao: ")]
    assert len(refusals) == 1 and f"{bomb}:3: a YAML alias" in refusals[0], err
    assert (tmp_path / "data/records/zhejiang-jiaxing-pinghu-minzheng/2021.yaml").exists()
    assert not (tmp_path / "data/records/ningxia-zhongwei-minzheng/2021.yaml").exists()
    assert peak < REFUSAL_PEAK, f"{peak / MB:.0f} MB"


def test_an_alias_in_the_registry_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = tmp_path / "agencies.yaml"
    path.write_text("- id: a\n  name: &n 某某局\n  aliases: [*n]\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"agencies.yaml:2: a YAML alias \(\*name\) repeats the value"):
        load_agencies(path)


def test_a_batch_with_bombs_ingests_the_others(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    docx_bomb(inputs / "a.docx", 300 * MB)
    pdf_many_pages(inputs / "b.pdf", 2000)
    pdf_flate_bomb(inputs / "c.pdf", 100 * MB)
    (inputs / "d.txt").write_bytes(GOOD.read_bytes())
    code, err, peak = nianbao("ingest", "--jobs", "2", str(inputs), root=tmp_path)
    assert code == 2
    refused = sorted(line.split(": ")[1] for line in err if line.startswith("nianbao: "))
    assert refused == [str(inputs / n) for n in ("a.docx", "b.pdf", "c.pdf")], err
    assert (tmp_path / "data/records/ningxia-zhongwei-minzheng/2021.yaml").exists()
    assert peak < REFUSAL_PEAK, f"{peak / MB:.0f} MB"


# The worker budgets ------------------------------------------------------------------------------------


def job(what: str) -> str:
    """A job of each kind: one that takes 2 GB, one that outlives its time, one whose process dies."""
    if what == "memory":
        return str(len(bytearray(2048 * MB)))
    if what == "time":
        time.sleep(30)
    if what == "death":
        os.kill(os.getpid(), signal.SIGKILL)
    return f"done {what}"


def test_a_worker_past_its_budget_fails_its_job_and_the_others_go_on() -> None:
    items = ["a", "memory", "b", "time", "c", "death", "d"]
    with Pool(1, len(items), memory=512 * MB, seconds=2) as pool:
        results = list(pool.map(job, items, failed=lambda why: why))
    assert results[0::2] == ["done a", "done b", "done c", "done d"]  # one worker, replaced twice
    memory, slow, dead = results[1::2]
    assert memory.startswith("refused: it needs more memory than one file may take")
    assert slow.startswith("refused: reading it took more than 2 s, the limit for one file")
    assert dead.startswith("the worker process failed: it died on this file (killed by SIGKILL")


def _shown(name: str, value: int) -> str:
    """A limit as the docs write it: bytes in MB, the memory budget in GB, counts with thousands separators."""
    if name == "MEMORY_BUDGET":
        return f"{value // 2**30} GB"
    if name.endswith(("BYTES", "PART", "TOTAL", "STREAM", "DECODED")):
        return f"{value // MB} MB"
    return f"{value:,}"


def test_every_limit_is_documented_with_its_value() -> None:
    """README.md and the methodology page name each limit and the workers' budgets, with their values."""
    from nianbao import workers

    values = {n: getattr(limits, n) for n in dir(limits) if n.startswith("MAX_")}
    values |= {n: getattr(workers, n) for n in ("MEMORY_BUDGET", "SECONDS_PER_FILE")}
    for doc in (REPO / "README.md", REPO / "content/methodology.md"):
        text = doc.read_text(encoding="utf-8")
        for name, value in values.items():
            assert f"`{name}`" in text and _shown(name, value) in text, (doc.name, name, _shown(name, value))


def test_a_record_with_an_alias_is_refused_and_one_with_the_characters_only_reads(tmp_path: Path) -> None:
    """Records come in through forks' pull requests too: an anchor and alias in one is refused with its
    line, before pydantic could walk the repeated node; `&` and `*` inside text are just characters."""
    from nianbao.dataset import load_record
    from nianbao.errors import RecordError

    sample = REPO / "data/records/ningxia-zhongwei-minzheng/2021.yaml"
    text = sample.read_text(encoding="utf-8")
    bomb = tmp_path / "bomb.yaml"
    nested = "".join(f"  {line}\n" for line in yaml_alias_bomb().splitlines())
    bomb.write_text(f"x-bomb:\n{nested}{text}", encoding="utf-8")
    with pytest.raises(RecordError, match=r"bomb.yaml:\d+: a YAML alias \(\*name\) repeats the value"):
        load_record(bomb)
    plain = tmp_path / "plain.yaml"
    plain.write_text(text.replace("agency:", "# 注 & 说明 *\nagency:", 1), encoding="utf-8")
    assert load_record(plain) == load_record(sample)


def _slow_on_hang(path: Path):
    """A reader that never ends on a file called hang.txt (as a pathological PDF would), else the pipeline's."""
    from nianbao.pipeline import read_report

    if path.name == "hang.txt":
        time.sleep(3600)
    return read_report(path)


def test_parse_and_check_read_each_raw_file_within_its_budget(tmp_path: Path) -> None:
    """`nianbao parse` and `nianbao check` on raw files read each in a worker within the time budget, as
    ingest does: a file that hangs is stopped and named in one line, the files beside it are read."""
    from nianbao.pipeline import read_reports

    good = tmp_path / "pinghu.txt"
    good.write_bytes((REPO / "data/raw/zhejiang-jiaxing-pinghu-minzheng/2021.txt").read_bytes())
    hang = tmp_path / "hang.txt"
    hang.write_bytes(good.read_bytes())
    start = time.monotonic()
    out = list(read_reports([hang, good], _slow_on_hang, jobs=2, seconds=5))
    assert time.monotonic() - start < 60
    assert out[0] == (hang, f"{hang}: refused: reading it took more than 5 s, the limit for one file "
                            "(the worker was stopped)")
    assert out[1][0] == good and out[1][1].agency.name == "平湖市民政局"
    code, err, _ = nianbao("parse", str(tmp_path / "missing.pdf"), str(good))  # the CLI: one line, the rest read
    assert code == 2 and len(err) == 1 and "missing.pdf" in err[0], err
