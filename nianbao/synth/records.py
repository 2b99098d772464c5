"""Synthetic records without the text: each report's true tables as a record holds them, for a site or a
measurement that needs agencies and figures but not the parse (the explorer's tests and its benchmark)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .places import SynthAgency
from .report import AgencyHistory

RECORD_KEYS = ("agency", "year", "template", "proactive", "requests", "appeals")


def truth_records(agencies: Iterable[SynthAgency], years: Sequence[int], seed: int = 0,
                  damage_rate: float = 0.0) -> dict[str, dict]:
    """`{"<agency id>/<year>": record}`: every agency's reports over `years`, as the generator's truth has
    them (a cut table None, its problem beside it)."""
    out = {}
    for agency in agencies:
        history = AgencyHistory(agency, seed)
        for year in sorted(years):
            _, truth = history.report(year, damage_rate)
            record = {k: truth[k] for k in RECORD_KEYS}
            record["problems"] = [{"code": p["code"], "severity": "error", "message": "合成数据：表格缺失", "table": p["table"]}
                                  for p in truth["problems"] if p["code"].endswith("-missing")]
            out[f"{agency.id}/{year}"] = record
    return out


def registry_entries(agencies: Iterable[SynthAgency]) -> list[dict]:
    """The agencies as agencies.yaml lists them."""
    return [{"id": a.id, "name": a.name, "province": a.province, "city": a.city, "county": a.county, "kind": a.kind}
            for a in agencies]
