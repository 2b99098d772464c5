"""OCR look-alike characters in agency names (nianbao/lookalikes.py, ingest's agency decision): the real
OCR sample prints 沐阳县人民政府; ingest files it under 沭阳县人民政府 only because exactly one swap gives a
registered agency or a placeable division, says so in the evidence, and never maps a name elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nianbao import lookalikes, paths
from nianbao.ingest import Options, ingest_files
from nianbao.model import Report

from .conftest import SAMPLES

OCR_SAMPLE = SAMPLES / "jiangsu-shuyang-zhengfu_2025.md"


def _record(key: str) -> Report:
    return Report.model_validate(yaml.safe_load((paths.ROOT / "data/records" / f"{key}.yaml").read_text("utf-8")))


def _registry(*entries: tuple[str, str]) -> None:
    (paths.ROOT / "data").mkdir(exist_ok=True)
    text = "".join(f"- id: {ident}\n  name: {name}\n  province: 江苏省\n" for ident, name in entries)
    (paths.ROOT / "data/agencies.yaml").write_text(text, encoding="utf-8")


@pytest.mark.usefixtures("root")
def test_a_misread_name_is_the_one_division_it_can_be() -> None:
    assert "沐阳县人民政府" in OCR_SAMPLE.read_text(encoding="utf-8")
    [out] = ingest_files([OCR_SAMPLE], Options())
    assert out.status != "refused", out.reason
    report = _record(out.key)
    assert report.agency.name == "沭阳县人民政府"
    first = report.agency.evidence[0]
    assert first.source == "lookalike" and "沐" in first.text and "沭" in first.text
    assert any(p.code == "agency-lookalike" for p in report.problems)
    registry = yaml.safe_load((paths.ROOT / "data/agencies.yaml").read_text(encoding="utf-8"))
    [entry] = registry
    assert (entry["city"], entry["county"]) == ("宿迁市", "沭阳县")
    assert "沐阳县人民政府" not in entry.get("aliases", [])  # a misreading is not a name of the agency


@pytest.mark.usefixtures("root")
def test_a_misread_name_is_the_registered_agency_it_can_be() -> None:
    _registry(("jiangsu-shuyang", "沭阳县人民政府"))
    [out] = ingest_files([OCR_SAMPLE], Options())
    assert out.key == "jiangsu-shuyang/2025" and not out.new_agency


@pytest.mark.usefixtures("root")
def test_a_registered_name_as_printed_is_never_swapped() -> None:
    _registry(("jiangsu-shuyang", "沭阳县人民政府"), ("muyang", "沐阳县人民政府"))
    [out] = ingest_files([OCR_SAMPLE], Options())
    assert out.key == "muyang/2025"
    assert not any(p.code == "agency-lookalike" for p in _record(out.key).problems)


def test_two_names_a_swap_away_are_refused() -> None:
    # The printed name is 沐阳县人民政府; a registry holding two agencies one swap away would need a second
    # look-alike in the name, so the choice is shown on the function that decides it.
    found = lookalikes.repair("沐阳县己", lambda n: n in {"沭阳县己", "沐阳县已"}, lambda n: 0)
    assert found == ["沭阳县己", "沐阳县已"]
    assert lookalikes.repair("沐阳县人民政府", lambda n: False, lambda n: 0) == []
    assert lookalikes.swapped("沐阳县人民政府", "沭阳县人民政府") == ("沐", "沭")
    assert lookalikes.swapped("沐阳县人民政府", "沭阳县人民法院") is None


@pytest.mark.usefixtures("root")
def test_an_ambiguous_swap_is_refused_at_ingest(tmp_path: Path) -> None:
    src = tmp_path / "r.md"
    src.write_text(OCR_SAMPLE.read_text(encoding="utf-8").replace("沐阳县人民政府", "沐阳县己人民政府"), encoding="utf-8")
    _registry(("a", "沭阳县己人民政府"), ("b", "沐阳县已人民政府"))
    [out] = ingest_files([src], Options())
    assert out.status == "refused" and "--agency-name" in out.reason
    assert "沭阳县己人民政府" in out.reason and "沐阳县已人民政府" in out.reason
