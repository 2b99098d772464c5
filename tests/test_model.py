"""The record model: its JSON Schema file stays in sync, and every committed record validates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from nianbao import paths
from nianbao.dataset import load_record
from nianbao.model import Report, json_schema_text


def test_schema_file_in_sync() -> None:
    on_disk = paths.SCHEMA.read_text(encoding="utf-8")
    assert on_disk == json_schema_text(), "data/schema/report.schema.json is stale: regenerate it from nianbao.model"


def test_committed_records_validate() -> None:
    records = sorted(paths.RECORDS.glob("*/*.yaml"))
    for path in records:
        report = load_record(path)
        assert path.parent.name == report.agency.id
        assert path.stem == str(report.year)


def test_template_decides_table_shape() -> None:
    base = {"agency": {"id": "x-y", "name": "某局"}, "year": 2020}
    r = Report.model_validate({**base, "template": "2019", "proactive": {"procurement": {"projects": 3}}})
    assert r.proactive.procurement.projects == 3
    with pytest.raises(ValidationError):
        Report.model_validate({**base, "template": "2021", "proactive": {"procurement": {"projects": 3}}})
    with pytest.raises(ValidationError):
        Report.model_validate({**base, "template": None, "requests": {}})


def test_round_trip_keeps_nulls() -> None:
    r = Report.model_validate({"agency": {"id": "x-y", "name": "某局"}, "year": 2021, "template": "2021", "requests": {}})
    data = json.loads(r.to_json())
    assert data["requests"]["granted"]["natural_person"] is None
    assert Report.model_validate(data) == r


def test_schema_names_fixed_keys() -> None:
    schema = json.loads(Path(paths.SCHEMA).read_text(encoding="utf-8"))
    for key in ("schema", "agency", "year", "template", "published", "source", "proactive", "requests", "appeals",
                "sections", "metrics", "problems"):
        assert key in schema["properties"], key
