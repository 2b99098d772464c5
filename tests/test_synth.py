"""The synthetic corpus: its arithmetic holds, it is deterministic, and the parser reads it back to the truth.

A tiny corpus (every layout, both templates) goes through `parse_text`; each table cell, the date, the
prose figures and the expected problem codes must equal what the generator says it printed.
"""

from __future__ import annotations

import json

import pytest

from nianbao import template as T
from nianbao.parse import parse_text
from nianbao.synth import DAMAGES, LAYOUTS, MARKER, PROBLEM_CODES, generate, write_corpus
from nianbao.synth.grids import request_label_cells
from nianbao.synth.numbers import SIX, count_free_splits, count_sum_splits

# The codes parse_text raises itself; identity-* come from the checks (tested on their own below).
PARSE_CODES = tuple(c for c in PROBLEM_CODES if not c.startswith("identity-"))
CLEAN = list(generate(2 * len(LAYOUTS), (2020, 2022), seed=11, damage_rate=0.0, layouts=LAYOUTS))


def _parse_mismatches(text: str, truth: dict) -> list[str]:
    """Every way the parsed record differs from the truth, in words (empty when it matches)."""
    data = parse_text(text).to_data()
    out = []
    for key in ("agency", "year", "template", "published"):
        want = truth[key]["name"] if key == "agency" else truth[key]
        got = data[key]["name"] if key == "agency" else data[key]
        if got != want:
            out.append(f"{key}: {got!r} != {want!r}")
    for table in ("proactive", "requests", "appeals"):
        want, got = truth[table], data[table]
        if want is None or got is None:
            if want is not got:
                out.append(f"{table}: {'present' if got else 'None'}, truth {'present' if want else 'None'}")
            continue
        for row, cells in want.items():
            for col, value in cells.items():
                if got[row][col] != value:
                    out.append(f"{table}.{row}.{col}: {got[row][col]!r} != {value!r}")
    for key, value in truth["metrics"].items():
        got_metric = data["metrics"].get(key)
        if got_metric is None or got_metric["value"] != value:
            out.append(f"metrics.{key}: {got_metric and got_metric['value']!r} != {value!r}")
    ours = [p for p in data["problems"] if p["code"] in PARSE_CODES]
    for want in truth["problems"]:
        if want["code"] in PARSE_CODES and not any(
            p["code"] == want["code"] and all(p.get(k) == v for k, v in want.items()) for p in ours
        ):
            out.append(f"problem missing: {want}")
    expected = {p["code"] for p in truth["problems"]}
    out += [f"unexpected problem: {p['code']} {p.get('row')}" for p in ours if p["code"] not in expected]
    return out


# The generator itself ------------------------------------------------------------------------------------


def test_every_layout_and_template_is_generated_and_marked() -> None:
    seen = {(t["layout"], t["template"]) for _, t in CLEAN}
    assert seen == {(layout, tpl) for layout in LAYOUTS for tpl in T.TEMPLATES}
    for text, truth in CLEAN:
        assert text.startswith(MARKER + "\n")
        assert truth["agency"]["name"] in text


def test_deterministic_for_a_seed() -> None:
    again = list(generate(2 * len(LAYOUTS), (2020, 2022), seed=11, damage_rate=0.0, layouts=LAYOUTS))
    assert again == CLEAN
    other = list(generate(2 * len(LAYOUTS), (2020, 2022), seed=12, damage_rate=0.0, layouts=LAYOUTS))
    assert [t for t, _ in other] != [t for t, _ in CLEAN]


def _identities(tpl: str, req: dict, appeals: dict) -> list[str]:
    broken = [f"row {r}" for r, cells in req.items() if cells["total"] != sum(cells[c] for c in SIX)]
    for col in T.APPLICANT_COLUMNS:
        if req["total_handled"][col] != sum(req[r][col] for r in T.result_row_keys(tpl)):
            broken.append(f"column {col}")
        if req["new_received"][col] + req["carried_over"][col] != req["total_handled"][col] + req["carried_forward"][col]:
            broken.append(f"balance {col}")
    for group, cells in appeals.items():
        if cells["total"] != sum(cells[c] for c in T.APPEAL_COLUMNS[:4]):
            broken.append(f"appeals {group}")
    return broken


def test_arithmetic_holds_and_carries_across_years() -> None:
    reports = [t for _, t in generate(30, (2019, 2020, 2021, 2022), seed=5, damage_rate=0.0)]
    assert any(t["requests"]["new_received"]["total"] > 0 for t in reports)  # not all zeros
    for truth in reports:
        assert _identities(truth["template"], truth["requests"], truth["appeals"]) == [], truth["agency"]
    by_agency: dict[str, list[dict]] = {}
    for truth in reports:
        by_agency.setdefault(truth["agency"]["id"], []).append(truth)
    for years in by_agency.values():
        for last, this in zip(years, years[1:], strict=False):
            assert this["requests"]["carried_over"] == last["requests"]["carried_forward"]


def test_broken_identity_breaks_exactly_the_columns_it_names() -> None:
    damaged = [t for _, t in generate(10, (2021,), seed=3, damage_rate=1.0, damages=("broken-identity",))]
    for truth in damaged:
        columns = sorted(p["column"] for p in truth["problems"] if p["code"].startswith("identity-"))
        assert columns
        assert sorted(_identities("2021", truth["requests"], truth["appeals"])) == sorted(
            f"column {c}" for c in columns
        )


def test_split_counts_follow_format_examples() -> None:
    assert count_sum_splits("640020470", 7) == 1  # 64|0|0|2|0|4|70 (FORMAT.md)
    assert count_sum_splits("310000031", 7) == 1
    assert count_sum_splits("000000000000000", 5, 3) == 1
    assert count_free_splits("8855698", "iii") == 2  # 行政规范性文件8855698 is ambiguous
    assert count_free_splits("000", "iii") == 1


def test_glued_runs_in_the_text_are_unique_or_spaced() -> None:
    spaced_rows = 0
    for text, truth in generate(40, (2020, 2022), seed=9, damage_rate=0.0, layouts=("glued",)):
        assert text.count("\n") == 2  # marker line, then the whole report on one line
        req, tpl = truth["requests"], truth["template"]
        for labels, row in zip(request_label_cells(tpl), T.request_row_keys(tpl), strict=True):
            values = [str(req[row][c]) for c in T.APPLICANT_COLUMNS]
            if count_sum_splits("".join(values), 7) == 1:
                assert "".join(labels) + "".join(values) in text
            else:
                assert "".join(labels) + " ".join(values) in text
                spaced_rows += 1
    assert spaced_rows  # the corpus does meet runs with more than one split


def test_write_corpus_is_atomic_and_refuses_foreign_folders(tmp_path) -> None:
    out = tmp_path / "corpus"
    summary = write_corpus(out, 6, (2020, 2021), seed=1, damage_rate=0.5)
    assert summary["reports"] == 12 == len(list(out.glob("raw/*/*.txt")))
    truths = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(t["agency"]["id"], t["year"]) for t in truths} == {
        (p.parent.name, int(p.stem)) for p in out.glob("raw/*/*.txt")
    }
    write_corpus(out, 2, (2021,), seed=1)  # replaces its own corpus
    assert len(list(out.glob("raw/*/*.txt"))) == 2
    foreign = tmp_path / "data"
    foreign.mkdir()
    with pytest.raises(FileExistsError):
        write_corpus(foreign, 2, (2021,))


# The parser reads the corpus back --------------------------------------------------------------------------


@pytest.mark.parametrize("tpl", T.TEMPLATES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_parser_reads_clean_reports(layout: str, tpl: str) -> None:
    cases = [(text, t) for text, t in CLEAN if t["layout"] == layout and t["template"] == tpl]
    assert cases
    for text, truth in cases:
        assert _parse_mismatches(text, truth) == [], f"{layout} {tpl} {truth['agency']['id']}"


@pytest.mark.parametrize("damage", DAMAGES)
def test_parser_reads_damaged_reports(damage: str) -> None:
    layouts = [la for la in LAYOUTS if not (damage == "ambiguous-run" and la == "glued")]
    reports = list(generate(len(layouts), (2020, 2022), seed=21, damage_rate=1.0, layouts=layouts, damages=(damage,)))
    assert {t["damage"] for _, t in reports} == {damage}
    failures = {t["layout"] + t["template"]: m for text, t in reports if (m := _parse_mismatches(text, t))}
    assert failures == {}


def test_broken_identity_is_reported_by_the_checks_after_the_parse() -> None:
    from nianbao.checks import check_report

    for text, truth in generate(3, (2021,), seed=3, damage_rate=1.0, damages=("broken-identity",)):
        codes = {(p.code, p.column) for p in check_report(parse_text(text)).problems if p.code.startswith("identity-")}
        assert {(p["code"], p["column"]) for p in truth["problems"] if p["code"].startswith("identity-")} <= codes


# A realistic corpus: prose and cut tables as measured on the sample reports ---------------------------------


def test_committed_profile_is_the_measure_of_the_sample_records() -> None:
    from pathlib import Path

    from nianbao.synth import load_profile, measure
    from nianbao.synth.profile import read_records

    measured = measure(read_records(Path(__file__).resolve().parent.parent / "data" / "records"))
    committed = load_profile()
    assert committed["section_chars"] == measured["section_chars"], "python -m nianbao.synth.profile data/records"
    assert committed["table_present"] == measured["table_present"]


def test_realistic_corpus_follows_the_samples_and_still_parses_to_its_truth() -> None:
    from nianbao.synth import load_profile, measure

    profile = load_profile()
    reports = list(generate(len(LAYOUTS) * 8, (2020, 2022), seed=5, damage_rate=0.0, layouts=LAYOUTS, profile=profile))
    failures = {t["agency"]["id"] + str(t["year"]): m for text, t in reports if (m := _parse_mismatches(text, t))}
    assert failures == {}
    synthetic = measure(parse_text(text).to_data() for text, _ in reports)
    for section, median in profile["section_chars_median"].items():  # within a third of the samples' medians
        assert abs(synthetic["section_chars_median"][section] - median) <= max(median / 3, 30), section
    assert {t["damage"] for _, t in reports} >= {None, "cut-table3", "missing-table4"}
    # Among them, reports printing only table 三's 总计 column and rows of table 二 run together, in line layouts.
    blank = {t["layout"] for _, t in reports if t["requests"] and t["requests"]["new_received"]["natural_person"] is None}
    glued = {t["layout"] for _, t in reports if t["layout"] != "glued" and t["damage"] is None
             and any(p["code"] == "cells-ambiguous" for p in t["problems"])}
    assert len(blank) >= 2 and len(glued) >= 3, (blank, glued)
    short = measure(parse_text(text).to_data() for text, _ in generate(len(LAYOUTS) * 8, (2020, 2022), seed=5,
                                                                       damage_rate=0.0, layouts=LAYOUTS))
    assert short["section_chars_median"]["1"] < profile["section_chars_median"]["1"] / 2  # the old, short prose


def test_realistic_corpus_has_the_samples_blank_cells_and_glued_rows() -> None:
    """Blank cells (null in the truth: a blank is not a 0) and glued rows as often as in the sample records,
    within a fifth, over a corpus large enough for the share to settle (measured on the truth, which the
    parser reads back: the test above)."""
    from nianbao.synth import load_profile, measure

    profile = load_profile()
    truths = [{**t, "sections": []} for _, t in generate(120, (2019, 2020, 2021, 2022, 2023), seed=8, profile=profile)]
    synthetic = measure(truths)
    for share in ("blank_cell_share", "glued_row_share"):
        assert abs(synthetic[share] - profile[share]) <= profile[share] / 5, (share, synthetic[share], profile[share])
    old = measure({**t, "sections": []} for _, t in generate(120, (2019, 2020, 2021, 2022, 2023), seed=8))
    assert old["blank_cell_share"] < profile["blank_cell_share"] / 3  # without a profile: few blanks, as before
