"""Shard jobs as a CI matrix runs them: each `nianbao build --shard K/N` in its own process and folder,
then `nianbao assemble`; the assembled site, search index included, is the one-machine build's bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_site_build import REPO, SITE_URL, _assert_same_tree, _build, _make_root

pytestmark = pytest.mark.slow


def _nianbao(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NIANBAO_ROOT": str(root)}
    env.pop("NIANBAO_SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], env=env, capture_output=True, text=True, cwd=REPO)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The fixture records plus the sample records (some agencies unregistered), built on one machine."""
    root = _make_root(tmp_path_factory.mktemp("jobs"))
    for path in sorted((REPO / "data" / "records").glob("*/*.yaml")):
        target = root / "data" / "records" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    _build(root)
    return root


def test_plan_prints_one_job_per_shard(root):
    proc = _nianbao(root, "build", "--plan", "--shards", "3")
    assert proc.returncode == 0, proc.stderr
    jobs = json.loads(proc.stdout)
    assert [j["shard"] for j in jobs] == ["0/3", "1/3", "2/3"]
    assert all(j["command"].startswith(f"nianbao build --shard {j['shard']} ") for j in jobs)


def test_separate_shard_jobs_assemble_into_the_one_machine_site(root, tmp_path):
    dirs = [tmp_path / f"shard-{k}" for k in range(3)]
    for k, d in enumerate(dirs):  # as the matrix runs them: separate processes, separate folders
        proc = _nianbao(root, "build", "--site-url", SITE_URL, "--no-store-check", "--shard", f"{k}/3",
                        "--build-dir", str(d), "--no-search")
        assert proc.returncode == 0, proc.stderr
        assert "WARNING" not in proc.stderr
    units = [json.loads((d / "shard.json").read_text(encoding="utf-8"))["units"] for d in dirs]
    assert units[0] == [] and all(units[1:])  # shard 0: the shared pages; the units spread over the others
    assert len({u for us in units for u in us}) == sum(map(len, units))  # disjoint
    assert not (dirs[1] / "site" / "index.html").exists()  # another shard's site holds its units only
    proc = _nianbao(root, "assemble", *map(str, dirs), "--site", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr
    _assert_same_tree(root / "build" / "site", tmp_path / "site")
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").exists()
    proc = _nianbao(root, "assemble", str(dirs[0]), str(dirs[2]), "--site", str(tmp_path / "site2"))
    assert proc.returncode == 2 and "missing [1]" in proc.stderr and proc.stderr.count("\n") == 1


def test_all_shards_in_one_place_rebuild_only_what_changed(root, tmp_path):
    build = tmp_path / "all"
    args = ("build", "--site-url", SITE_URL, "--no-store-check", "--shard", "all/3", "--build-dir", str(build))
    first = _nianbao(root, *args)
    assert first.returncode == 0, first.stderr
    assert "built 0, 1, 2 " in first.stderr
    _assert_same_tree(root / "build" / "site", build / "site")
    again = _nianbao(root, *args)
    assert again.returncode == 0 and "built none (unchanged)" in again.stderr
    _assert_same_tree(root / "build" / "site", build / "site")
    # A corrected figure: shard 0 (home, compare, quality, downloads) and the shard of its agency are built
    # again, the one of its province's pages at most besides; the site is the one a fresh one-machine build writes.
    record = root / "data" / "records" / "ningxia-zhongwei-minzheng" / "2021.yaml"
    text = record.read_text(encoding="utf-8")
    assert "  licensing:\n    decisions: 10\n" in text
    record.write_text(text.replace("  licensing:\n    decisions: 10\n", "  licensing:\n    decisions: 11\n"), encoding="utf-8")
    units = {k: json.loads((build / "shard-jobs" / str(k) / "shard.json").read_text(encoding="utf-8"))["units"]
             for k in range(3)}
    agency = next(k for k, us in units.items() if "agencies/ningxia-zhongwei-minzheng" in us)
    region = next(k for k, us in units.items() if "regions/ningxiahuizuzizhiqu" in us)
    fixed = _nianbao(root, *args)
    assert fixed.returncode == 0, fixed.stderr
    built = {int(k) for k in fixed.stderr.split("built ")[1].split(" into")[0].split(", ")}
    assert {0, agency} <= built <= {0, agency, region}  # the region's pages change only if they show the figure
    try:
        _build(root)
    finally:
        record.write_text(text, encoding="utf-8")
    _assert_same_tree(root / "build" / "site", build / "site")
    assert "NBDATAVERSIONTOKEN" not in (build / "site" / "agencies" / "ningxia-zhongwei-minzheng" / "2021" / "index.html").read_text(encoding="utf-8")


def test_a_bad_shard_is_one_line_exit_2(root):
    proc = _nianbao(root, "build", "--no-store-check", "--shard", "3/3")
    assert proc.returncode == 2 and "--shard 3/3: expected K/N" in proc.stderr


def test_workflow_runs_the_plan_as_a_matrix_and_assembles_it():
    import yaml

    path = REPO / ".github" / "workflows" / "shards.yml"
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    plan = " ".join(s.get("run", "") for s in jobs["plan"]["steps"])
    assert "nianbao build --plan --shards" in plan
    shard = jobs["shard"]
    assert shard["needs"] == "plan" and "fromJSON(needs.plan.outputs.jobs)" in shard["strategy"]["matrix"]["job"]
    runs = " ".join(s.get("run", "") for s in shard["steps"])
    assert "nianbao build --shard" in runs and "--build-dir" in runs
    upload = [s for s in shard["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and "shard.json" in upload[0]["with"]["path"]
    assemble = jobs["assemble"]
    assert "nianbao assemble build/shards/shard-*" in " ".join(s.get("run", "") for s in assemble["steps"])
    assert any(s.get("uses", "").startswith("actions/download-artifact@") for s in assemble["steps"])
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in jobs["deploy"]["steps"])
    # the plan's JSON is what the matrix reads
    proc = _nianbao(REPO, "build", "--plan", "--shards", "2")
    assert [set(j) for j in json.loads(proc.stdout)] == [{"shard", "build_dir", "command"}] * 2
    actionlint = shutil.which("actionlint")
    if actionlint:
        done = subprocess.run([actionlint, "-no-color", str(path)], capture_output=True, text=True, cwd=REPO)
        assert done.returncode == 0, done.stdout + done.stderr
