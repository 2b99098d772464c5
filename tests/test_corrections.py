"""Declared corrections: validated with file and line, applied and marked, never lost on re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nianbao.corrections import apply_corrections, load_corrections
from nianbao.errors import RegistryError
from nianbao.ingest import Options, ingest_files
from nianbao.model import Report

from .conftest import SAMPLE_FILES


def _report() -> Report:
    return Report.model_validate({
        "agency": {"id": "zhejiang-jiaxing-pinghu-minzheng", "name": "平湖市民政局"},
        "year": 2021,
        "template": "2021",
        "requests": {"granted": {"natural_person": 5, "total": 5}},
        "proactive": {"fees": {"amount_10k_yuan": 21.584}},
    })


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "2021.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_apply_sets_value_records_original_and_marks(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "- path: requests.granted.total\n  value: 7\n  reason: 原件第3页总计为7，转换时丢失一位\n"
        "- path: proactive.fees.amount_10k_yuan\n  value: 2.1584\n  reason: 单位为万元\n"
    ))
    before = _report()
    after = apply_corrections(before, path)
    assert after.requests.granted.total == 7
    assert after.requests.granted.natural_person == 5  # the rest untouched
    assert after.proactive.fees.amount_10k_yuan == 2.1584
    assert [(c.path, c.original, c.value) for c in after.corrections] == [
        ("requests.granted.total", 5, 7), ("proactive.fees.amount_10k_yuan", 21.584, 2.1584)]
    marks = [p for p in after.problems if p.code == "corrected"]
    assert [(p.severity, p.table, p.row, p.column) for p in marks] == [
        ("info", "requests", "granted", "total"), ("info", "proactive", "fees", "amount_10k_yuan")]
    assert "原件第3页" in marks[0].message
    assert before.requests.granted.total == 5  # the input is not modified


def test_no_file_no_change(tmp_path: Path) -> None:
    report = _report()
    assert apply_corrections(report, tmp_path / "absent.yaml") is report
    assert load_corrections(_write(tmp_path, "")) == []


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- path: requests.granted.total\n  value: 7\n", 1, "reason"),
        ("- path: requests.granted.total\n  value: 7\n  reason: x\n- path: requests.granted.total\n  reason: y\n", 4,
         "value is missing"),
        ("- path: requests.granted.totl\n  value: 7\n  reason: typo\n", 1, "no such field"),
        ("- path: appeals.review.total\n  value: 7\n  reason: table missing\n", 1, "has no appeals"),
        ("- path: requests.granted.total\n  value: seven\n  reason: x\n", 1, "seven"),
        ("- path: Requests granted\n  value: 7\n  reason: x\n", 1, "path"),
        ("- path: requests.granted.total\n  value: 7\n  reason: x\n  extra: 1\n", 1, "extra"),
        ("path: requests.granted.total\n", 1, "expected a list"),
        ("- path: [requests\n", None, "not valid YAML"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RegistryError) as err:
        apply_corrections(_report(), path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: " if line else f"{path}")
    assert words in message
    assert "\n" not in message


def test_corrections_survive_re_ingest(root: Path) -> None:  # noqa: F811
    sample = next(f for f in SAMPLE_FILES if f.name.startswith("zhejiang-pinghu"))
    [out] = ingest_files([sample], Options(jobs=1))
    record_path = root / "data/records" / f"{out.key}.yaml"
    original = yaml.safe_load(record_path.read_text(encoding="utf-8"))
    fix = root / "data/corrections/zhejiang-jiaxing-pinghu-minzheng/2021.yaml"
    fix.parent.mkdir(parents=True)
    fix.write_text("- path: proactive.licensing.decisions\n  value: 129\n  reason: 原件为129，转换时丢失\n", encoding="utf-8")
    for _ in range(2):  # re-ingest twice: applied each time, exactly once
        [out] = ingest_files([sample], Options(jobs=1))
        record = yaml.safe_load(record_path.read_text(encoding="utf-8"))
        assert record["proactive"]["licensing"]["decisions"] == 129
        assert record["corrections"] == [{"path": "proactive.licensing.decisions", "value": 129,
                                          "original": original["proactive"]["licensing"]["decisions"],
                                          "reason": "原件为129，转换时丢失"}]
        assert [p["code"] for p in record["problems"]].count("corrected") == 1
    # A broken corrections file refuses that report (one line, names the file) instead of dropping the fix.
    fix.write_text("- path: proactive.licensing.decisions\n  value: 129\n", encoding="utf-8")
    [out] = ingest_files([sample], Options(jobs=1))
    assert out.status == "refused" and str(fix) in out.reason
    assert yaml.safe_load(record_path.read_text(encoding="utf-8"))["proactive"]["licensing"]["decisions"] == 129


def test_a_batch_checks_each_year_against_the_corrected_year_before(root: Path) -> None:  # noqa: F811
    pingtan = [f for f in SAMPLE_FILES if f.name in ("fujian-pingtan_2019.txt", "fujian-pingtan_2020.txt")]
    fix = root / "data/corrections/fujian-fuzhou-pingtan-guanweihui/2019.yaml"
    fix.parent.mkdir(parents=True)
    fix.write_text("- path: requests.carried_forward.total\n  value: 3\n  reason: 测试跨年度核对\n", encoding="utf-8")
    outcomes = ingest_files(pingtan, Options(jobs=2, agency_name="平潭综合实验区管委会"))
    assert [o.key for o in outcomes] == ["fujian-fuzhou-pingtan-guanweihui/2019", "fujian-fuzhou-pingtan-guanweihui/2020"]
    record = yaml.safe_load((root / "data/records/fujian-fuzhou-pingtan-guanweihui/2020.yaml").read_text("utf-8"))
    carry = [p for p in record["problems"] if p["code"] == "identity-carry-over"]
    assert [(p["column"], p["left"], p["right"]) for p in carry] == [("total", 0, 3)]
