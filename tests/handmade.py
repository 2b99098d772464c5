"""Hand-made records whose arithmetic holds, for the checks, tidy, analysis and downloads tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nianbao import template as T
from nianbao.model import Report

PARTS = [c for c in T.APPLICANT_COLUMNS if c != "total"]


def row(*six: int | None) -> dict[str, int | None]:
    """One row of 表三 with its 总计 (None when a part is None)."""
    cells = dict(zip(PARTS, six, strict=True))
    cells["total"] = None if None in six else sum(six)  # type: ignore[arg-type]
    return cells


def requests(tpl: str = "2021", new: int = 10, carried_over: int = 2, granted: int = 6, partly: int = 3,
             not_held: int = 1, carried_forward: int = 2) -> dict[str, Any]:
    """表三 with every applicant in 自然人 except one 商业企业 request granted; the identities hold."""
    out = {k: row(0, 0, 0, 0, 0, 0) for k in T.request_row_keys(tpl)}
    out["new_received"] = row(new - 1, 1, 0, 0, 0, 0)
    out["carried_over"] = row(carried_over, 0, 0, 0, 0, 0)
    out["granted"] = row(granted - 1, 1, 0, 0, 0, 0)
    out["partly_granted"] = row(partly, 0, 0, 0, 0, 0)
    out["unavailable_not_held"] = row(not_held, 0, 0, 0, 0, 0)
    handled = granted + partly + not_held
    out["total_handled"] = row(handled - 1, 1, 0, 0, 0, 0)
    out["carried_forward"] = row(carried_forward, 0, 0, 0, 0, 0)
    assert new + carried_over == handled + carried_forward, "hand-made table must balance"
    return out


def appeals(review: tuple[int, int, int, int] = (1, 1, 0, 0), direct: tuple[int, int, int, int] = (0, 1, 0, 1),
            after: tuple[int, int, int, int] = (0, 0, 0, 0)) -> dict[str, Any]:
    def group(cells: tuple[int, int, int, int]) -> dict[str, int]:
        return {**dict(zip(("upheld", "corrected", "other", "pending"), cells, strict=True)), "total": sum(cells)}

    return {"review": group(review), "litigation_direct": group(direct), "litigation_after_review": group(after)}


def proactive(tpl: str = "2021", licensing: int | None = 128, penalty: int | None = 5) -> dict[str, Any]:
    if tpl == "2021":
        return {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
                "normative_documents": {"issued": 3, "repealed": 1, "in_force": 12},
                "licensing": {"decisions": licensing}, "penalty": {"decisions": penalty},
                "coercion": {"decisions": 0}, "fees": {"amount_10k_yuan": 21.584}}
    return {"licensing": {"previous_items": 3, "change": -1, "decisions": licensing},
            "penalty": {"previous_items": 2, "change": 0, "decisions": penalty}}


def report(agency_id: str = "zhejiang-jiaxing-pinghu-minzheng", name: str = "平湖市民政局", year: int = 2021,
           published: dt.date | None = dt.date(2022, 1, 14), **parts: Any) -> Report:
    tpl = T.template_for_year(year)
    data: dict[str, Any] = {
        "agency": {"id": agency_id, "name": name}, "year": year, "template": tpl, "published": published,
        "proactive": parts.pop("proactive", proactive(tpl)),
        "requests": parts.pop("requests", requests(tpl)),
        "appeals": parts.pop("appeals", appeals()),
        **parts,
    }
    return Report.model_validate(data)
