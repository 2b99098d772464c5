"""The record store keeps what it has: no silent replacement (--replace keeps the old files, undo restores
them), one writer at a time, all-or-nothing commits through a journal, `nianbao check --store`, and
`nianbao build` refusing a store that fails it. Every scenario runs on a copy of the committed sample
store in a scratch NIANBAO_ROOT."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from nianbao import paths, store
from nianbao.dataset import load_dataset
from nianbao.fsck import store_faults

from .conftest import REPO

ZHONGWEI = "ningxia-zhongwei-minzheng/2021"
ZHONGWEI_RAW = REPO / "data" / "raw" / "ningxia-zhongwei-minzheng" / "2021.txt"


def _sample_store(where: Path) -> Path:
    where.mkdir(parents=True)
    shutil.copytree(REPO / "data", where / "data")
    shutil.copytree(REPO / "content", where / "content")
    shutil.copyfile(REPO / "mkdocs.yml", where / "mkdocs.yml")
    return where


def _nianbao(root: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "NIANBAO_ROOT": str(root), "PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=300, **kw)


def _tree(root: Path) -> dict[str, str]:
    """Every file under data/ and its sha256 (hidden ones included: no staging may be left)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "data").rglob("*")) if p.is_file()}


@contextlib.contextmanager
def _pointed_at(root: Path):
    """nianbao.paths (and so every module that reads it) pointed at root, in this process."""
    old = os.environ.get("NIANBAO_ROOT")
    os.environ["NIANBAO_ROOT"] = str(root)
    importlib.reload(paths)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("NIANBAO_ROOT", None)
        else:
            os.environ["NIANBAO_ROOT"] = old
        importlib.reload(paths)


def _faults(root: Path) -> list[str]:
    with _pointed_at(root):
        return store_faults(load_dataset(cache=False, hold_back=False))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixteen synthetic reports of eight agencies the sample store does not know (two years each)."""
    from nianbao.synth import write_corpus

    out = tmp_path_factory.mktemp("corpus") / "corpus"
    write_corpus(out, 8, (2022, 2023), seed=3, damage_rate=0)
    return out / "raw"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> tuple[Path, dict[str, str], float]:
    """The sample store after one uninterrupted ingest of the corpus: root, tree, seconds it took."""
    root = _sample_store(tmp_path_factory.mktemp("reference") / "root")
    start = time.monotonic()
    done = _nianbao(root, "ingest", str(corpus), "--jobs", "2")
    took = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert "16 files: " in done.stdout and " 0 refused" in done.stdout
    assert _faults(root) == []
    return root, _tree(root), took


# 1. No silent replacement ----------------------------------------------------------------------------------


def _truncated(folder: Path, suffix: str = ".txt") -> Path:
    """The first 6,000 bytes of 中卫 2021 (cut on a character), as a file of its own."""
    text = ZHONGWEI_RAW.read_bytes()[:6000].decode("utf-8", "ignore")
    folder.mkdir(exist_ok=True)
    path = folder / f"zhongwei-2021-cut{suffix}"
    if suffix == ".html":
        body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
        path.write_text(f"<html><head><meta charset='utf-8'></head><body>\n{body}</body></html>\n", encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_truncated_report_is_refused_and_the_old_files_stay(tmp_path: Path, corpus: Path) -> None:
    root = _sample_store(tmp_path / "root")
    before = _tree(root)
    cut = _truncated(tmp_path / "incoming")
    other = next(corpus.glob("*/2022.txt"))
    done = _nianbao(root, "ingest", str(cut), str(other), "--jobs", "1")
    assert done.returncode == 2
    [line] = [x for x in done.stderr.splitlines() if x.startswith("nianbao: ")]
    assert line.startswith(f"nianbao: {cut}: {ZHONGWEI} already holds another source, ningxia-zhongwei-minzheng_2021.txt")
    assert "zhongwei-2021-cut.txt" in line and "reads fewer figures" in line and "--replace" in line
    after = _tree(root)
    old = {k: v for k, v in before.items() if k != "data/agencies.yaml"}
    assert {k: v for k, v in after.items() if k in old} == old  # every old file byte-identical
    registry = (root / "data/agencies.yaml").read_text(encoding="utf-8")
    assert registry.startswith((REPO / "data/agencies.yaml").read_text(encoding="utf-8").split("\n- id: ")[0])
    committed = (REPO / "data/agencies.yaml").read_text(encoding="utf-8").count("\n- id: ")
    assert registry.count("\n- id: ") == committed + 1  # the other file's new agency
    added = sorted(set(after) - set(before))  # the other file of the batch went on
    assert len(added) == 4 and all(k.endswith(("/2022.txt", "/2022.source.yaml", "/2022.text.txt", "/2022.yaml")) for k in added)
    assert _faults(root) == []
    # The same bytes again: nothing is written, not even a timestamp.
    stamps = {p: p.stat().st_mtime_ns for p in (root / "data").rglob("*") if p.is_file()}
    same = tmp_path / "incoming" / "ningxia-zhongwei-minzheng_2021.txt"  # its name is part of the provenance
    shutil.copyfile(ZHONGWEI_RAW, same)
    again = _nianbao(root, "ingest", str(same), "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert {p: p.stat().st_mtime_ns for p in (root / "data").rglob("*") if p.is_file()} == stamps


def test_replace_keeps_the_old_files_and_undo_restores_them(tmp_path: Path) -> None:
    root = _sample_store(tmp_path / "root")
    before = _tree(root)
    cut = _truncated(tmp_path / "incoming", ".html")  # another format: the raw file changes name too
    done = _nianbao(root, "ingest", str(cut), "--replace", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "it reads fewer figures" in re.sub(r"[\s│]+", " ", done.stdout)  # the summary table says what was lost
    raw = root / "data/raw/ningxia-zhongwei-minzheng"
    assert sorted(p.name for p in raw.iterdir()) == ["2021.html", "2021.replaced", "2021.source.yaml", "2021.text.txt"]
    kept = raw / "2021.replaced" / "1"
    assert (kept / "2021.txt").read_bytes() == ZHONGWEI_RAW.read_bytes()
    assert (kept / "2021.text.txt").read_bytes() == (REPO / "data/raw/ningxia-zhongwei-minzheng/2021.text.txt").read_bytes()
    assert (kept / "2021.source.yaml").read_bytes() == (REPO / "data/raw/ningxia-zhongwei-minzheng/2021.source.yaml").read_bytes()
    assert (kept / "record.yaml").read_bytes() == (REPO / "data/records/ningxia-zhongwei-minzheng/2021.yaml").read_bytes()
    record = yaml.safe_load((root / "data/records/ningxia-zhongwei-minzheng/2021.yaml").read_text(encoding="utf-8"))
    assert record["source"]["path"] == "data/raw/ningxia-zhongwei-minzheng/2021.html"
    assert _faults(root) == []
    listed = _nianbao(root, "undo")
    assert listed.returncode == 0 and f"{ZHONGWEI} #1: kept ningxia-zhongwei-minzheng_2021.txt" in listed.stdout
    undone = _nianbao(root, "undo", ZHONGWEI)
    assert undone.returncode == 0, undone.stderr
    assert _tree(root) == before  # byte for byte, and no archive folder left
    assert not (raw / "2021.replaced").exists()
    nothing = _nianbao(root, "undo", ZHONGWEI)
    assert nothing.returncode == 2 and "nothing to undo" in nothing.stderr


# 2. One writer at a time, all or nothing ---------------------------------------------------------------------


def test_a_second_writer_waits_and_names_the_holder(tmp_path: Path, corpus: Path) -> None:
    root = _sample_store(tmp_path / "root")
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom nianbao import store\nwith store.locked():\n"
         "    print('held', flush=True)\n    sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "held"
        writer = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "ingest", str(corpus), "--jobs", "1"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
        line = writer.stderr.readline()
        assert "waiting for the store's lock" in line and f"held by pid {holder.pid} " in line
        assert not (root / "data/records/xihu-shengtaihuanjing").exists()  # nothing written while it waits
    finally:
        holder.communicate("\n", timeout=60)
    out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert _faults(root) == []


def test_two_concurrent_ingests_keep_every_agency_and_record(tmp_path: Path, corpus: Path, reference) -> None:
    root = _sample_store(tmp_path / "root")
    folders = sorted(corpus.iterdir())
    halves = [tmp_path / "a", tmp_path / "b"]
    for i, folder in enumerate(folders):
        shutil.copytree(folder, halves[i % 2] / folder.name)
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    runs = [subprocess.Popen([sys.executable, "-m", "nianbao.cli", "ingest", str(h), "--jobs", "1"], env=env, cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for h in halves]
    results = [(r.wait(timeout=300), r.stdout.read(), r.stderr.read()) for r in runs]
    for code, out, err in results:
        assert code == 0, err
        assert "0 refused" in out
    ref_root, ref_tree, _ = reference
    got = _tree(root)
    assert {k for k in got if k.startswith("data/records/")} == {k for k in ref_tree if k.startswith("data/records/")}
    registry = yaml.safe_load((root / "data/agencies.yaml").read_text(encoding="utf-8"))
    expected = yaml.safe_load((ref_root / "data/agencies.yaml").read_text(encoding="utf-8"))
    assert sorted(a["id"] for a in registry) == sorted(a["id"] for a in expected)  # 6 + 8, none lost
    assert _faults(root) == []


class _Killed(BaseException):
    """Raised by a rename, as a kill -9 would stop the process there (no handler may recover from it)."""


@contextlib.contextmanager
def _renames_die_after(calls: int | None, seen: list[int]):
    """os.replace, counting its calls into seen; the call after `calls` of them raises _Killed."""
    real = os.replace

    def replace(src, dst, **kw):
        if calls is not None and len(seen) >= calls:
            raise _Killed
        seen.append(1)
        return real(src, dst, **kw)

    os.replace = replace
    try:
        yield
    finally:
        os.replace = real


def _ingest_in_process(corpus: Path) -> None:
    from nianbao.ingest import Options, ingest_files

    outcomes = ingest_files([corpus], Options(jobs=1))
    assert not any(o.status == "refused" for o in outcomes)


def _warm_copy(base: Path, where: Path, ref_root: Path) -> Path:
    shutil.copytree(base, where)
    for kind in ("parse", "text"):  # parsed already (the record and its normalised text)
        shutil.copytree(ref_root / "build" / "cache" / kind, where / "build" / "cache" / kind)
    return where


def test_a_commit_interrupted_at_any_rename_is_finished_by_the_next_run(tmp_path: Path, corpus: Path, reference) -> None:
    """A kill between any two renames of an ingest, tried at every one: the store is the old one or has a
    journal; the next writer finishes the journal; ingesting again gives the uninterrupted run's bytes."""
    ref_root, ref_tree, _ = reference
    base = _sample_store(tmp_path / "base")
    seen: list[int] = []
    with _pointed_at(_warm_copy(base, tmp_path / "count", ref_root)), _renames_die_after(None, seen):
        _ingest_in_process(corpus)
    assert len(seen) >= 16 * 4 + 2  # the journal, raw, source.yaml, text and record of each report, the registry
    journals = 0
    stops = sorted({0, 1, len(seen) - 1, *random.Random(5).sample(range(2, len(seen) - 1), 9)})
    for calls in stops:  # the journal's own rename, the first step, the registry's (last) and 9 between
        root = _warm_copy(base, tmp_path / f"killed-{calls}", ref_root)
        with _pointed_at(root):
            with _renames_die_after(calls, []), pytest.raises(_Killed):
                _ingest_in_process(corpus)
            faults = store_faults(load_dataset(cache=False))
            if store.journal_path().exists():  # past the point of no return: finished, not undone
                journals += 1
                assert faults[0].startswith("data/.staging/journal.json: an interrupted commit")
                if journals == 1:  # once through the commands: build refuses it, the store check finishes it
                    build = _nianbao(root, "build", "--no-search")
                    assert build.returncode == 2 and "an interrupted commit was not finished" in build.stderr
                    check = _nianbao(root, "check", "--store")
                    assert check.returncode == 0, check.stderr
                    assert check.stderr.startswith("nianbao: finished an interrupted ingest of ")
                else:
                    with store.locked():
                        assert store.recover()[0].startswith("finished an interrupted ingest")
                assert _tree(root) == ref_tree
            else:  # before it: the old store, whole
                assert faults == []
            assert store_faults(load_dataset(cache=False)) == []
            _ingest_in_process(corpus)
        assert _tree(root) == ref_tree, calls
        shutil.rmtree(root)
    assert journals == len(stops) - 1


def _killed_ingest(root: Path, corpus: Path, delay: float | None) -> float:
    """`nianbao ingest` of the corpus in a subprocess (with workers), kill -9 `delay` seconds after it
    starts staging files (None: let it end); how long it ran from then."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "NIANBAO_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "ingest", str(corpus), "--jobs", "2"], env=env,
                            cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = root / "data" / ".staging"
    while proc.poll() is None and not staging.exists():
        time.sleep(0.002)
    start = time.monotonic()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=delay)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers
    proc.wait(timeout=60)
    return time.monotonic() - start


def test_kill_9_at_random_moments_leaves_a_store_that_passes_the_check(tmp_path: Path, corpus: Path, reference) -> None:
    ref_root, ref_tree, _ = reference
    base = _sample_store(tmp_path / "base")
    span = _killed_ingest(_warm_copy(base, tmp_path / "timing", ref_root), corpus, None)  # staging → end
    rng = random.Random(12)
    states = []
    for i in range(10):
        root = _warm_copy(base, tmp_path / f"run-{i}", ref_root)
        _killed_ingest(root, corpus, rng.uniform(0, 1.2) * span)
        with _pointed_at(root):
            journal = store.journal_path().exists()
            states.append("journal" if journal else "staged" if store.staging_dir().exists() else "done")
            if not journal:  # the old store or the new one, whole
                assert store_faults(load_dataset(cache=False)) == []
            with store.locked():  # what the next writer (or `nianbao check --store`) does first
                store.recover()
            assert store_faults(load_dataset(cache=False)) == []
            _ingest_in_process(corpus)
        assert _tree(root) == ref_tree
        shutil.rmtree(root)
    print(f"kill -9 within {span:.2f} s of staging:", states)


# 3. The store check, and build obeying it --------------------------------------------------------------------


def test_the_committed_store_passes_the_check(tmp_path: Path) -> None:
    assert _faults(REPO) == []
    done = _nianbao(_sample_store(tmp_path / "root"), "check", "--store")
    assert done.returncode == 0, done.stderr
    records = len(list((REPO / "data/records").glob("*/*.yaml")))
    assert done.stdout == f"the store: {records} records, 0 faults\n"


def test_each_fault_is_one_line_naming_the_file(tmp_path: Path) -> None:
    root = _sample_store(tmp_path / "root")
    data = root / "data"
    (data / "raw/zhejiang-jiaxing-pinghu-minzheng/2021.txt").write_bytes(b"edited")
    (data / "raw/xinjiang-tacheng-wusu-minzheng/2020.pdf").write_bytes(b"%PDF")
    registry = yaml.safe_load((data / "agencies.yaml").read_text(encoding="utf-8"))
    (data / "agencies.yaml").write_text(yaml.safe_dump([a for a in registry if a["id"] != "henan-xinyang-pingqiao-minzheng"],
                                                       allow_unicode=True), encoding="utf-8")
    fix = data / "corrections/ningxia-zhongwei-minzheng/2021.yaml"
    fix.parent.mkdir(parents=True)
    fix.write_text("- path: requests.new_received.total\n  value: 7\n  reason: 测试\n", encoding="utf-8")
    faults = _faults(root)
    assert faults == [
        "data/records/henan-xinyang-pingqiao-minzheng/2024.yaml: agency henan-xinyang-pingqiao-minzheng is not in data/agencies.yaml",
        "data/records/ningxia-zhongwei-minzheng/2021.yaml: stale: data/corrections/ningxia-zhongwei-minzheng/2021.yaml "
        "changed since the record was written (0 corrections applied, 1 declared); ingest its raw file again",
        faults[2],
        "data/raw/xinjiang-tacheng-wusu-minzheng/2020.pdf: a raw file without its record",
    ]
    assert faults[2].startswith("data/records/zhejiang-jiaxing-pinghu-minzheng/2021.yaml: "
                                "data/raw/zhejiang-jiaxing-pinghu-minzheng/2021.txt has sha256 ")


def test_build_refuses_a_store_whose_raw_file_is_gone(tmp_path: Path) -> None:
    root = _sample_store(tmp_path / "root")
    (root / "data/raw/ningxia-zhongwei-minzheng/2021.txt").unlink()
    done = _nianbao(root, "build", "--no-search")
    assert done.returncode == 2
    assert ("nianbao: data/records/ningxia-zhongwei-minzheng/2021.yaml: its raw file "
            "data/raw/ningxia-zhongwei-minzheng/2021.txt is missing") in done.stderr.splitlines()
    assert "nothing built" in done.stderr
    assert not (root / "build" / "site").exists() and not (root / "build" / "docs").exists()


def test_staged_bytes_reach_the_disk_before_the_journal_and_renames_before_it_goes(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """The order a power cut needs: every staged file and its folder flushed (fsync) before the journal is
    renamed into place; the folders the journal renames into flushed before the journal is removed."""
    root = _sample_store(tmp_path / "root")
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_unlink = os.fsync, os.replace, Path.unlink

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append(("replace", str(dst)))
        real_replace(src, dst)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        events.append(("unlink", str(self)))
        real_unlink(self, missing_ok=missing_ok)

    with _pointed_at(root):
        importlib.reload(store)
        try:
            target = paths.RAW / "fsync-test-agency" / "2023.txt"
            record = paths.DATA / "records" / "fsync-test-agency" / "2023.yaml"
            monkeypatch.setattr(os, "fsync", fsync)
            monkeypatch.setattr(os, "replace", replace)
            monkeypatch.setattr(Path, "unlink", unlink)
            with store.locked():
                staged = store.stage("fsync-test-agency/2023", {target: b"raw", record: b"record"}, [])
                store.commit([staged])
            journal = str(store.journal_path())
        finally:
            monkeypatch.undo()
            importlib.reload(store)
    assert (root / "data/raw/fsync-test-agency/2023.txt").read_bytes() == b"raw"
    landed = events.index(("replace", journal))
    synced_before = {path for kind, path in events[:landed] if kind == "fsync"}
    staged_files = {str(Path(staged.folder) / name) for name, _ in staged.moves}
    assert staged_files <= synced_before, "a staged file was not flushed before the journal landed"
    assert staged.folder in synced_before and str(Path(journal).parent) in synced_before
    gone = events.index(("unlink", journal))
    synced_after = {path for kind, path in events[landed:gone] if kind == "fsync"}
    assert {str(root / "data/raw/fsync-test-agency"), str(root / "data/records/fsync-test-agency")} <= synced_after
