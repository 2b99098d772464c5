"""Where a raw file came from, as its `<year>.source.yaml` keeps it beside the file's own facts.

The keys (shared with `nianbao fetch`, which passes them to ingest as a `provenance` mapping):
`url` (the address the file was downloaded from), `page_url` (the page that links to it or holds it),
`retrieved` (when: a date, or ISO 8601 in UTC), `http` ({status, etag, last_modified}) and `meta` (the
page's meta tags: SiteName, SiteIDCode, ColumnName, ArticleTitle, PubDate, ContentSource). Only what is
known is written: a key nobody gave stays out, and the page shows 未提供, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .errors import NianbaoError

KEYS = ("url", "page_url", "retrieved", "http", "meta")
HTTP_KEYS = ("status", "etag", "last_modified")
META_KEYS = ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")


def parse_retrieved(value: Any) -> dt.date | dt.datetime:
    """A date stays a date; a moment becomes UTC (one without a zone is taken as UTC)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value
    else:
        text = str(value).strip()
        try:
            if len(text) <= 10:
                return dt.date.fromisoformat(text)
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise NianbaoError(f"retrieved {text!r}: expected an ISO 8601 date or time, "
                               "e.g. 2025-02-01 or 2025-02-01T08:30:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def stored_retrieved(value: dt.date | dt.datetime) -> dt.date | str:
    """As source.yaml keeps it: a date as a YAML date, a moment as ISO 8601 text ending in Z."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _known(section: str, value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise NianbaoError(f"provenance {section}: expected a mapping of {', '.join(keys)}")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise NianbaoError(f"provenance {section}: unknown key {unknown[0]!r} (known: {', '.join(keys)})")
    return {k: value[k] for k in keys if _given(value.get(k))}


def _given(value: Any) -> bool:
    """Neither absent nor blank: an empty or whitespace-only text says nothing."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def clean(given: Mapping[str, Any] | None) -> dict[str, Any]:
    """A provenance mapping checked and in source.yaml's form; unknown keys are refused (a typo would
    otherwise lose a fact silently)."""
    out = _known("", given or {}, KEYS)
    for key in ("url", "page_url"):
        if key in out and not isinstance(out[key], str):
            raise NianbaoError(f"provenance {key}: expected an address, got {out[key]!r}")
    if "retrieved" in out:
        out["retrieved"] = stored_retrieved(parse_retrieved(out["retrieved"]))
    if "http" in out:
        out["http"] = _known("http", out["http"], HTTP_KEYS)
    if "meta" in out:
        out["meta"] = {k: str(v) for k, v in _known("meta", out["meta"], META_KEYS).items()}
    return {k: v for k, v in out.items() if v not in ({}, None)}


def merged(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The provenance of a file, strongest layer first (flags, then the given mapping, then what the
    store kept for the same bytes): each key from the first layer that has it."""
    out: dict[str, Any] = {}
    for layer in layers:
        for key, value in clean(layer).items():
            out.setdefault(key, value)
    return {k: out[k] for k in KEYS if k in out}
