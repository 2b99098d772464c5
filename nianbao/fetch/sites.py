"""sites.yaml: the sites a newsroom collects, one entry each.

    sites:
      - url: https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/   # a listing, report page or 政府信息公开 root
        agency: 平潭综合实验区管委会     # optional: an agency id of data/agencies.yaml, or a name
        platform: trs                   # optional: the platform adapter (adapters.py), else detected

A bare list of such entries is read too. A broken file is one error naming the file and the entry.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from ..errors import InputError
from .adapters import ADAPTERS
from .crawl import Site

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_KEYS = {"url", "agency", "platform"}


def load_sites(path: str | Path) -> list[Site]:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(f"not YAML ({getattr(exc, 'problem', exc)})", path, line + 1 if line is not None else None) from None
    entries = data.get("sites") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise InputError("expected a list of sites (sites: [{url: …, agency: …, platform: …}])", path)
    return [_site(entry, n, path) for n, entry in enumerate(entries, 1)]


def _site(entry: object, n: int, path: str | Path) -> Site:
    if isinstance(entry, str):
        entry = {"url": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise InputError(f"site {n}: expected an entry with a url", path)
    unknown = set(entry) - _KEYS
    if unknown:
        raise InputError(f"site {n}: unknown keys {', '.join(sorted(map(str, unknown)))} (expected url, agency, platform)", path)
    if not entry["url"].lower().startswith(("http://", "https://")):
        raise InputError(f"site {n}: url {entry['url']} is not a web address (http:// or https://)", path)
    platform = entry.get("platform")
    if platform is not None and str(platform).lower() not in ADAPTERS:
        raise InputError(f"site {n}: unknown platform {platform} (known: {', '.join(ADAPTERS)})", path)
    agency = str(entry["agency"]) if entry.get("agency") is not None else None
    return Site(url=entry["url"], platform=str(platform).lower() if platform else None, **_agency(agency))


def _agency(agency: str | None) -> dict[str, str | None]:
    """An id of the registry goes as agency_id; anything else is a name."""
    if not agency:
        return {}
    from ..registry import load_agencies

    if _ID.fullmatch(agency) and agency in load_agencies():
        return {"agency_id": agency}
    return {"agency_name": agency}


def site_from_args(url: str, args: argparse.Namespace) -> Site:
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"{url}: not a web address (http:// or https://)")
    agency = getattr(args, "agency", None)
    return Site(url=url, platform=getattr(args, "platform", None), **_agency(agency))
