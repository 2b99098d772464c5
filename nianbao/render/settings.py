"""The site's settings: where mkdocs.yml is, the site's address and the repository's address, and the
about page's link to the repository's issue tracker. Each comes from the command line or the environment
(the Pages workflow sets NIANBAO_SITE_URL and NIANBAO_REPOSITORY), else from mkdocs.yml.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import yaml

from nianbao import paths

REPO_MKDOCS_YML = Path(__file__).resolve().parent.parent / "project" / "mkdocs.yml"  # `nianbao new`'s, for a root without one


def mkdocs_yml() -> Path:
    return paths.MKDOCS_YML if paths.MKDOCS_YML.exists() else REPO_MKDOCS_YML


def mkdocs_config() -> dict:
    return yaml.safe_load(mkdocs_yml().read_text(encoding="utf-8")) or {}


def resolve_site_url(args: argparse.Namespace) -> str:
    """--site-url, else NIANBAO_SITE_URL, else mkdocs.yml's site_url; always ending in "/"."""
    url = getattr(args, "site_url", None) or os.environ.get("NIANBAO_SITE_URL")
    if not url:
        url = mkdocs_config().get("site_url") or ""
    return url if not url or url.endswith("/") else url + "/"


def resolve_repository() -> str:
    """NIANBAO_REPOSITORY, else mkdocs.yml's extra.repository: the repository's address, or ""."""
    url = os.environ.get("NIANBAO_REPOSITORY") or (mkdocs_config().get("extra") or {}).get("repository") or ""
    return url.rstrip("/") if url.lower().startswith(("https://", "http://")) else ""


# In content/about.md, the words between these markers become a link to the repository's issue tracker.
ISSUES_MARK = re.compile(r"<!-- issues -->(.*?)<!-- /issues -->", re.S)


def render_about(text: str, repository: str) -> str:
    """content/about.md with its issue-tracker words linked when the repository's address is known."""
    if not repository:
        return ISSUES_MARK.sub(r"\1", text)
    return ISSUES_MARK.sub(lambda m: f"[{m.group(1)}]({repository}/issues)", text)
