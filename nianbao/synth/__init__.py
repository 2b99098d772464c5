"""A synthetic corpus of annual reports, clearly marked as such, with the truth each must parse to.

`generate(n_agencies, years, seed, damage_rate)` yields `(text, truth)` pairs: raw report text in every
layout of FORMAT.md, both templates, realistic numbers whose arithmetic holds, and a few percent of the
real kinds of damage. Deterministic for a seed. `write_corpus` puts a corpus in a scratch folder; it
never belongs in data/.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .corpus import write_corpus
from .layouts import LAYOUTS, MARKER
from .places import SynthAgency, make_agencies
from .profile import load_profile, measure
from .report import DAMAGES, PROBLEM_CODES, AgencyHistory

DEFAULT_YEARS = (2019, 2020, 2021, 2022, 2023)


def generate(
    n_agencies: int,
    years: Sequence[int] = DEFAULT_YEARS,
    seed: int = 0,
    damage_rate: float = 0.03,
    layouts: Sequence[str] | None = None,
    damages: Sequence[str] = DAMAGES,
    profile: dict | None = None,
) -> Iterator[tuple[str, dict]]:
    """Reports of `n_agencies` agencies over `years`, agency by agency. `layouts`, when given, assigns
    them in turn (agency i gets layouts[i % len]); otherwise each agency has its own, changing now and then.
    With a `profile` (nianbao.synth.profile), prose is as long and tables are cut as often as measured on
    real reports; without one, prose is a few short paragraphs (fast for the parser's tests)."""
    for i, agency in enumerate(make_agencies(n_agencies, seed)):
        history = AgencyHistory(agency, seed, layouts[i % len(layouts)] if layouts else None, profile)
        for year in sorted(years):
            yield history.report(year, damage_rate, tuple(damages))


__all__ = ["DAMAGES", "DEFAULT_YEARS", "LAYOUTS", "MARKER", "PROBLEM_CODES", "SynthAgency", "generate",
           "load_profile", "make_agencies", "measure", "write_corpus"]
