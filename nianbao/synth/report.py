"""One synthetic report: its numbers, its damage, its text in one layout, and the truth to check it by.

The truth is what a correct parser must return: the tables as the record holds them (None where the
generator damaged or removed cells), the figures the prose states, the date, and the problem codes the
damage must raise.
"""

from __future__ import annotations

import random
from typing import Any

from .. import template as T
from . import grids, prose, realism
from .layouts import LAYOUTS, Draft, render
from .numbers import SIX, appeals_table, count_free_splits, count_sum_splits, proactive_table, requests_table
from .places import SynthAgency

DAMAGES = ("cut-table3", "missing-table4", "broken-identity", "ambiguous-run")

# The problem codes the truth expects (the parser's codes for the same findings).
CODE_TABLE3_MISSING = "table3-missing"
CODE_TABLE4_MISSING = "table4-missing"
CODE_COLUMN_TOTAL = "identity-column-total"
CODE_AMBIGUOUS = "cells-ambiguous"
PROBLEM_CODES = (CODE_TABLE3_MISSING, CODE_TABLE4_MISSING, CODE_COLUMN_TOTAL, CODE_AMBIGUOUS)

_PADS = ("{}", "{}", " {}", "{} ", "　{}", "　　{}", " 　{}")


class _Style:
    """How this report prints its numbers (per report, so one report is consistent in itself)."""

    def __init__(self, rng: random.Random, layout: str):
        self.rng = rng
        self.layout = layout
        web = layout == "glued"
        self.fullwidth = not web and rng.random() < 0.08
        self.thousands = not web and rng.random() < 0.3
        self.fee_unit = rng.random() < 0.4
        self.yuan_unit = rng.random() < 0.5

    def fmt(self, value: Any, column: str) -> str:
        if column == "amount_10k_yuan":
            text = f"{value:.4f}" if self.fee_unit and value else f"{value:.6f}".rstrip("0").rstrip(".")
            text += " 万元" if self.fee_unit and self.layout != "glued" else ""
        elif column == "amount_yuan":
            text = (f"{value:.2f}" if value else "0") + ("元" if self.yuan_unit and value else "")
        elif self.thousands and value >= 1000:
            text = f"{value:,}"
        else:
            text = str(value)
        if self.fullwidth:
            text = text.translate(prose.FULLWIDTH)
        if self.layout == "cells":
            text = self.rng.choice(_PADS).format(text)
        return text


class AgencyHistory:
    """What carries from one year to the next: 结转 requests, documents in force, the agency's layout."""

    def __init__(self, agency: SynthAgency, seed: int, layout: str | None = None, profile: dict | None = None):
        self.agency = agency
        self.profile = profile  # nianbao.synth.profile: prose lengths and cut tables as measured on real reports
        self.rng = random.Random(f"{seed}:{agency.id}")
        government = agency.kind == "人民政府"
        self.size = self.rng.lognormvariate(0, 0.8) * (2.5 if government else 1.0)
        self.government = government
        self.layout = layout or self.rng.choices(LAYOUTS, (3, 2, 2, 2, 1))[0]
        self.fixed_layout = layout is not None
        self.carried: dict[str, int] | None = None
        self.state: dict[str, int] = {}

    def report(self, year: int, damage_rate: float = 0.0, damages: tuple[str, ...] = DAMAGES) -> tuple[str, dict]:
        rng, agency = self.rng, self.agency
        tpl = T.template_for_year(year)
        if tpl is None:
            raise ValueError(f"no national template before 2019 (year {year})")
        if not self.fixed_layout and rng.random() < 0.15:
            self.layout = rng.choice(LAYOUTS)
        layout = self.layout
        proactive = proactive_table(rng, tpl, self.size, self.government, self.state)
        requests = requests_table(rng, tpl, self.size, self.carried)
        appeals = appeals_table(rng, self.size)
        self.carried = {c: requests["carried_forward"][c] for c in SIX}
        damage = None
        if rng.random() < damage_rate:
            choices = [d for d in damages if not (layout == "glued" and d == "ambiguous-run")] or list(damages)
            damage = rng.choice(choices)
        elif self.profile is not None:  # tables cut as often as in the real reports
            present, draw = self.profile["table_present"], rng.random()
            cut_requests = 1 - present["requests"]
            if draw < cut_requests:
                damage = "cut-table3"
            elif draw < cut_requests + 1 - present["appeals"]:
                damage = "missing-table4"
        return _assemble(rng, agency, year, tpl, layout, proactive, requests, appeals, damage, self.profile)


def _assemble(rng, agency, year, tpl, layout, proactive, requests, appeals, damage, profile=None) -> tuple[str, dict]:
    style = _Style(rng, layout)
    problems: list[dict] = []
    truth_proactive = {k: dict(v) for k, v in proactive.items()}
    glue: set[str] = set()
    if damage == "broken-identity":  # one result cell no longer adds up to (七) 总计
        row = rng.choice(T.result_row_keys(tpl))
        col = rng.choice(SIX)
        delta = rng.choice((1, 2, 3, 5, 10)) if requests[row][col] == 0 else rng.choice((-1, 1, 2, 4))
        requests[row][col] += delta
        requests[row]["total"] += delta
        problems += [{"code": CODE_COLUMN_TOTAL, "table": "requests", "column": c} for c in (col, "total")]
    # The profile's draws come from their own stream, so that the prose does not change with their odds.
    real = random.Random(rng.random()) if profile is not None else rng

    def glue_row(key: str) -> None:  # a row of table 二 printed as one run of digits that splits more than one way
        cols = next(r.columns for r in T.PROACTIVE_ROWS[tpl] if r.key == key)
        proactive[key] = dict(zip(cols, realism.ambiguous_values(real), strict=True))
        glue.add(key)
        truth_proactive[key] = dict.fromkeys(cols)
        problems.append({"code": CODE_AMBIGUOUS, "table": "proactive", "row": key})

    if damage == "ambiguous-run":
        glue_row("normative_documents")
    if profile is not None:  # glued rows as often as in the real reports
        for key in realism.glued_rows(real, tpl, layout, profile):
            if key not in glue:
                glue_row(key)
    if layout == "glued":  # web text: a multi-column row of table 二 reads only when one split fits
        for row in T.PROACTIVE_ROWS[tpl]:
            if len(row.columns) < 2 or row.key in glue:
                continue
            run = "".join(style.fmt(proactive[row.key][c], c).removesuffix("元") for c in row.columns)
            kinds = "".join("d" if c in row.decimal else "i" for c in row.columns)
            if count_free_splits(run, kinds) != 1:
                truth_proactive[row.key] = dict.fromkeys(row.columns)
                problems.append({"code": CODE_AMBIGUOUS, "table": "proactive", "row": row.key})

    blank: set[tuple[str, str]] = set()
    if profile is not None and damage != "cut-table3":  # blank cells as often as in the real reports
        blank = realism.blank_cells(real, tpl, layout, profile, len(glue))
    request_rows = grids.request_rows(tpl, requests, style.fmt, blank)
    spaced = set()
    if layout == "glued":
        spaced = {i for i, r in enumerate(request_rows) if count_sum_splits("".join(r[3:]), 7) != 1}
    appeal_cells = grids.appeal_values(appeals, style.fmt)
    truth_requests: dict | None = {k: {c: None if (k, c) in blank else v for c, v in cells.items()} for k, cells in requests.items()}
    truth_appeals: dict | None = appeals
    if damage == "cut-table3":
        request_rows = None
        truth_requests = None
        problems.append({"code": CODE_TABLE3_MISSING, "table": "requests"})
    if damage == "missing-table4":
        appeal_cells = None
        truth_appeals = None
        problems.append({"code": CODE_TABLE4_MISSING, "table": "appeals"})

    proactive_items = int(rng.lognormvariate(4.5, 1.0)) + 5
    received = requests["new_received"]["total"]
    ctx = {"year": year, "us": prose.we(agency.kind, agency.place), "place": agency.place, "name": agency.name,
           "n_training": rng.randint(1, 4)}
    published = prose.publication_date(rng, year, agency.department)
    title = f"{agency.name}{year}年政府信息公开工作年度报告"
    if layout == "markdown" and rng.random() < 0.5:
        title = f"{agency.name} {year} 年度政府信息公开工作年度报告"
    levels = tuple(rng.choice((2, 2, 2, 3, 4)) for _ in range(6)) if layout == "markdown" else (2,) * 6
    shift = None
    if layout == "markdown" and request_rows and rng.random() < 0.3:
        shift = len(request_rows) - 3  # the last 其他处理 row, as henan-pingqiao's `3. 其他`
    sections = {1: prose.section_one(rng, ctx, proactive_items, received, style.fullwidth),
                5: prose.section_five(rng, ctx), 6: prose.section_six(rng, ctx)}
    if profile is not None:
        for number, paras in sections.items():
            target = prose.target_chars(rng, profile["section_chars"][str(number)])
            sections[number] = prose.lengthen(rng, paras, number, ctx, target)
    draft = Draft(
        layout=layout,
        title=title,
        signature=agency.name,
        preamble=prose.preamble(rng, agency.name, year),
        sections=sections,
        proactive=grids.proactive_grid(tpl, proactive, style.fmt, glue),
        requests=request_rows,
        appeals=appeal_cells,
        date=None if layout == "glued" else prose.date_line(rng, published),
        heading_levels=levels,
        shift_row=shift,
        split_words=layout == "cells",
        spaced_runs=spaced,
        spaced_appeals=layout == "glued" and count_sum_splits("".join(appeal_cells or ()), 5, 3) != 1,
    )
    truth = {
        "agency": {"id": agency.id, "name": agency.name},
        "region": {"province": agency.province, "city": agency.city, "county": agency.county},
        "kind": agency.kind,
        "year": year,
        "template": tpl,
        "layout": layout,
        "damage": damage,
        "published": None if layout == "glued" else published.isoformat(),
        "proactive": truth_proactive,
        "requests": truth_requests,
        "appeals": truth_appeals,
        "metrics": {"proactive_items": proactive_items, "requests_received": received},
        "problems": problems,
    }
    return render(draft), truth
