"""Synthetic tables whose arithmetic holds (FORMAT.md), and the count of splits of a digit run.

Tables are plain dicts shaped like the record: {row: {column: value}}. Numbers are realistic in shape:
most agencies receive few or no requests, a few receive many; appeals are rare.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from .. import template as T

SIX = T.APPLICANT_COLUMNS[:6]

# How requests end, roughly as the published reports spread them.
_RESULT_WEIGHTS = {
    "granted": 40, "partly_granted": 6, "refused_state_secret": 1, "refused_prohibited": 1, "refused_security": 1,
    "refused_third_party": 2, "refused_internal": 2, "refused_process": 2, "refused_enforcement_file": 1,
    "refused_query": 2, "unavailable_not_held": 25, "unavailable_needs_creation": 4, "unavailable_unclear": 3,
    "not_handled_complaint": 3, "not_handled_repeat": 3, "not_handled_publication": 1, "not_handled_excessive": 1,
    "not_handled_confirmation": 1, "other_handling": 4, "other_no_correction": 2, "other_unpaid_fee": 1,
    "other_other": 2,
}


def _count(rng: random.Random, scale: float, p_zero: float) -> int:
    if rng.random() < p_zero:
        return 0
    return max(0, int(rng.lognormvariate(0, 1.1) * scale))


def requests_table(rng: random.Random, tpl: str, size: float, carried_over: dict[str, int] | None) -> dict:
    """Table 三: rows add to 总计, result rows add to (七) 总计, 新收 + 结转 = 总计 + 结转下年."""
    results = T.result_row_keys(tpl)
    weights = [_RESULT_WEIGHTS[k] for k in results]
    quiet = rng.random() < 0.45  # no requests at all this year
    cells: dict[str, dict[str, int]] = {r: {} for r in T.request_row_keys(tpl)}
    for col in SIX:
        scale, p_zero = (size * 4, 0.1) if col == "natural_person" else (size * 0.7, 0.8)
        new = 0 if quiet else _count(rng, scale, p_zero)
        old = (carried_over or {}).get(col, 0 if rng.random() < 0.85 else rng.randint(1, 3))
        forward = 0 if rng.random() < 0.85 else min(new + old, rng.randint(1, 3))
        handled = new + old - forward
        per_row = dict.fromkeys(results, 0)
        for key in rng.choices(results, weights, k=handled):
            per_row[key] += 1
        cells["new_received"][col] = new
        cells["carried_over"][col] = old
        for key in results:
            cells[key][col] = per_row[key]
        cells["total_handled"][col] = handled
        cells["carried_forward"][col] = forward
    for row in cells.values():
        row["total"] = sum(row[c] for c in SIX)
    return cells


def appeals_table(rng: random.Random, size: float) -> dict:
    """Table 四: each group's 总计 is the sum of its four outcomes."""
    out = {}
    for group in T.APPEAL_GROUPS:
        busy = rng.random() < 0.12 * min(size, 3)
        parts = [rng.choice((0, 0, 0, 1, 1, 2, 3)) if busy else 0 for _ in range(4)]
        out[group] = dict(zip(T.APPEAL_COLUMNS, [*parts, sum(parts)], strict=True))
    return out


def proactive_table(rng: random.Random, tpl: str, size: float, government: bool, state: dict) -> dict:
    """Table 二 for one year; `state` carries the agency's running counts from year to year."""
    docs = state.setdefault("in_force", rng.randint(0, int(20 * size) + 3))
    issued = rng.choice((0, 0, 1, 2, 3, 5, 8, rng.randint(10, 99)))
    repealed = min(docs, rng.choice((0, 0, 0, 1, 2, rng.randint(3, 30))))
    state["in_force"] = docs + issued - repealed
    rules = (rng.randint(0, 3), 0, rng.randint(0, 9)) if government and rng.random() < 0.5 else (0, 0, 0)
    licensing = _count(rng, 60 * size, 0.2)
    penalty = _count(rng, 20 * size, 0.35)
    coercion = _count(rng, 2 * size, 0.8)
    if tpl == "2021":
        fee = 0.0 if rng.random() < 0.6 else float(f"{rng.lognormvariate(2, 2):.4f}")
        return {
            "rules": dict(zip(("issued", "repealed", "in_force"), rules, strict=True)),
            "normative_documents": {"issued": issued, "repealed": repealed, "in_force": state["in_force"]},
            "licensing": {"decisions": licensing},
            "penalty": {"decisions": penalty},
            "coercion": {"decisions": coercion},
            "fees": {"amount_10k_yuan": fee},
        }

    def items(decisions: int) -> dict:
        prev = rng.randint(0, 300) if decisions else rng.choice((0, 0, rng.randint(1, 40)))
        change = rng.choice((0, 0, rng.randint(-20, 40)))
        return {"previous_items": prev, "change": max(change, -prev), "decisions": decisions}

    projects = rng.choice((0, 0, rng.randint(1, 40)))
    amount = float(f"{rng.uniform(5e3, 5e7):.2f}") if projects else 0.0
    return {
        "rules": dict(zip(("made", "published", "total_published"), rules, strict=True)),
        "normative_documents": {"made": issued, "published": issued, "total_published": state["in_force"]},
        "licensing": items(licensing),
        "other_services": items(_count(rng, 10 * size, 0.6)),
        "penalty": items(penalty),
        "coercion": items(coercion),
        "fees": {k: v for k, v in items(0).items() if k != "decisions"},
        "procurement": {"projects": projects, "amount_yuan": amount},
    }


# Splits of a digit run ------------------------------------------------------------------------------

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DEC = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


@lru_cache(maxsize=65536)
def count_sum_splits(run: str, width: int, groups: int = 1, cap: int = 2) -> int:
    """How many ways (up to `cap`) `run` splits into `groups` blocks of `width` integers, each block's
    last number being the sum of the others (table 三 rows: width 7; table 四: width 5, groups 3)."""

    def walk(pos: int, block: int, k: int, acc: int) -> int:
        if block == groups:
            return 1 if pos == len(run) else 0
        if k == width - 1:
            total = str(acc)
            if run.startswith(total, pos):
                return walk(pos + len(total), block + 1, 0, 0)
            return 0
        found = 0
        for m in _prefixes(run, pos, _INT):
            found += walk(pos + len(m), block, k + 1, acc + int(m))
            if found >= cap:
                break
        return found

    return walk(0, 0, 0, 0)


@lru_cache(maxsize=65536)
def count_free_splits(run: str, kinds: str, cap: int = 2) -> int:
    """How many ways (up to `cap`) `run` splits into numbers of the given kinds ("i" integer, "d" decimal)
    with no arithmetic to hold: table 二, whose runs are unique only when nothing else fits."""

    def walk(pos: int, k: int) -> int:
        if k == len(kinds):
            return 1 if pos == len(run) else 0
        found = 0
        for m in _prefixes(run, pos, _DEC if kinds[k] == "d" else _INT):
            found += walk(pos + len(m), k + 1)
            if found >= cap:
                break
        return found

    return walk(0, 0)


def _prefixes(run: str, pos: int, pattern: re.Pattern) -> list[str]:
    """Every number `pattern` allows starting at `pos` (no leading zeros), shortest first."""
    out = []
    for end in range(pos + 1, len(run) + 1):
        m = pattern.fullmatch(run, pos, end)
        if m:
            out.append(m.group())
    return out
