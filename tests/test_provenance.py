"""Where a raw file came from: `nianbao ingest --url URL --retrieved TIME` and ingest's `provenance`
mapping (what `nianbao fetch` passes) land in <year>.source.yaml and the record; unknown facts stay out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from nianbao.errors import NianbaoError
from nianbao.ingest import Options, ingest_files
from nianbao.model import Report
from nianbao.provenance import clean

from .conftest import SAMPLE_FILES

FETCHED = {
    "url": "https://www.example.invalid/zfxxgk/2021.pdf",
    "page_url": "https://www.example.invalid/zfxxgk/nb/",
    "retrieved": "2025-02-01T16:30:00+08:00",
    "http": {"status": 200, "etag": '"abc"', "last_modified": "Tue, 04 Jan 2022 02:00:00 GMT"},
    "meta": {"SiteName": "中卫市人民政府", "ColumnName": "政府信息公开年报", "PubDate": "2022-01-04"},
}


def _sample(word: str) -> Path:
    return next(f for f in SAMPLE_FILES if word in f.name)


def _stored(root: Path, key: str) -> tuple[dict, Report]:
    meta = yaml.load((root / f"data/raw/{key}.source.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    record = Report.model_validate(yaml.load((root / f"data/records/{key}.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader))
    return meta, record


def test_a_provenance_mapping_is_kept_whole(root: Path) -> None:
    (outcome,) = ingest_files([_sample("zhongwei")], Options(jobs=1), provenance=FETCHED)
    assert outcome.status != "refused", outcome.reason
    meta, record = _stored(root, outcome.key)
    # The moment is stored in UTC, as ISO 8601 text.
    assert meta["retrieved"] == "2025-02-01T08:30:00Z"
    assert {k: meta[k] for k in ("url", "page_url", "http", "meta")} == {k: FETCHED[k] for k in ("url", "page_url", "http", "meta")}
    assert record.source.url == FETCHED["url"] and record.source.page_url == FETCHED["page_url"]
    assert record.source.retrieved == dt.datetime(2025, 2, 1, 8, 30, tzinfo=dt.UTC)
    # A second ingest of the same bytes without provenance keeps what the store knew.
    (again,) = ingest_files([_sample("zhongwei")], Options(jobs=1))
    assert _stored(root, again.key)[0] == meta


def test_flags_are_stronger_than_the_mapping_and_a_date_stays_a_date(root: Path) -> None:
    opts = Options(jobs=1, url="https://flag.example.invalid/r.html", retrieved=dt.date(2025, 3, 2))
    (outcome,) = ingest_files([_sample("zhongwei")], opts, provenance=FETCHED)
    meta, record = _stored(root, outcome.key)
    assert meta["url"] == "https://flag.example.invalid/r.html" and meta["page_url"] == FETCHED["page_url"]
    assert meta["retrieved"] == dt.date(2025, 3, 2) and record.source.retrieved == dt.date(2025, 3, 2)


def test_without_provenance_nothing_is_invented(root: Path) -> None:
    (outcome,) = ingest_files([_sample("zhongwei")], Options(jobs=1))
    meta, record = _stored(root, outcome.key)
    assert not set(meta) & {"url", "page_url", "retrieved", "http", "meta"}
    assert (record.source.url, record.source.page_url, record.source.retrieved) == (None, None, None)


def test_a_bad_mapping_is_refused_before_any_file_is_touched(root: Path) -> None:
    with pytest.raises(NianbaoError, match="unknown key 'retrived'"):
        ingest_files([_sample("zhongwei")], Options(jobs=1), provenance={"retrived": "2025-02-01"})
    with pytest.raises(NianbaoError, match="expected an ISO 8601"):
        clean({"retrieved": "yesterday"})
    with pytest.raises(NianbaoError, match="http: unknown key 'code'"):
        clean({"http": {"code": 200}})
    assert not (root / "data" / "raw").exists()


def test_cli_retrieved_takes_a_time(root: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "nianbao.cli", "ingest", str(_sample("zhongwei")), "--jobs", "1",
                           "--url", "https://example.invalid/a.html", "--retrieved", "2025-02-01T08:30:00Z"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (meta_path,) = (root / "data" / "raw").glob("*/*.source.yaml")
    assert yaml.safe_load(meta_path.read_text("utf-8"))["retrieved"] == "2025-02-01T08:30:00Z"
    bad = subprocess.run([sys.executable, "-m", "nianbao.cli", "ingest", str(_sample("zhongwei")), "--retrieved", "soon"],
                         cwd=root, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--retrieved soon" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_blank_meta_tags_say_nothing() -> None:
    """A page whose meta tag is empty or only spaces gives no value for it; its other tags are kept."""
    kept = clean({"meta": {"SiteName": "  ", "ColumnName": "", "PubDate": "2022-01-04", "ContentSource": "\u3000"}})
    assert kept == {"meta": {"PubDate": "2022-01-04"}}
    assert clean({"meta": {"SiteName": " "}}) == {}
