"""The JSON cache of records: the same reports as from YAML, and a changed record is read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from nianbao import dataset as ds
from nianbao import paths

FIXTURES = Path(__file__).parent / "fixtures" / "records"


@pytest.fixture
def records(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(paths, "BUILD_CACHE", tmp_path / "build" / "cache")
    out = tmp_path / "records"
    for path in FIXTURES.glob("*/*.yaml"):
        (out / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / path.parent.name / path.name)
    return out


def _dump(dataset: ds.Dataset) -> list[dict]:
    return [r.model_dump() for r in dataset.reports]


def test_cached_load_equals_yaml_load(records) -> None:
    plain = ds.load_dataset(records, FIXTURES / "agencies.yaml", cache=False)
    cold = ds.load_dataset(records, FIXTURES / "agencies.yaml")
    cached = list((paths.BUILD_CACHE / "records").rglob("*.json"))
    assert len(cached) == len(plain.reports) > 5
    warm = ds.load_dataset(records, FIXTURES / "agencies.yaml")
    assert _dump(plain) == _dump(cold) == _dump(warm)
    assert plain.errors == cold.errors == warm.errors


def test_changed_record_is_read_again(records) -> None:
    ds.load_dataset(records, FIXTURES / "agencies.yaml")
    path = sorted(records.glob("*/*.yaml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["agency"]["name"] = "改过的机构名称"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a clock too coarse cannot hide it
    again = ds.load_dataset(records, FIXTURES / "agencies.yaml")
    assert "改过的机构名称" in {r.agency.name for r in again.reports}
    # The stale entry is gone: one cache file per record.
    assert len(list((paths.BUILD_CACHE / "records").rglob("*.json"))) == len(again.reports)


def test_broken_record_is_an_error_every_time(records) -> None:
    path = sorted(records.glob("*/*.yaml"))[0]
    path.write_text("agency: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        loaded = ds.load_dataset(records, FIXTURES / "agencies.yaml")
        assert len(loaded.errors) == 1 and path.name in loaded.errors[0]


def test_parallel_cold_load_equals_serial(records, monkeypatch) -> None:
    serial = ds.load_dataset(records, FIXTURES / "agencies.yaml", cache=False)
    monkeypatch.setattr(ds, "PARALLEL_FROM", 1)
    parallel = ds.load_dataset(records, FIXTURES / "agencies.yaml", jobs=2)
    assert _dump(serial) == _dump(parallel)
