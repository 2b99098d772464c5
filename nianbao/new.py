"""`nianbao new DIR`: a ready project that `nianbao build` builds as it is.

The project is the package's `project/` folder (the site's mkdocs.yml and content/ pages, the same as
this repository's, an empty agency registry, a GitHub Pages workflow, .gitignore, a README), plus the
records' JSON Schema and a requirements.txt naming the nianbao this project was made with.
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata
from pathlib import Path

from .errors import InputError
from .model import json_schema_text

TEMPLATE = Path(__file__).resolve().parent / "project"
RENAMES = {"gitignore": ".gitignore", "github": ".github"}  # dot-files do not travel well as package data


def create_project(dest: Path) -> list[Path]:
    """Write the project into `dest` (new or empty); the files written, sorted."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError("not an empty folder: `nianbao new` writes a project only into a new or empty one", dest)
    shutil.copytree(TEMPLATE, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name, dotted in RENAMES.items():
        (dest / name).rename(dest / dotted)
    schema = dest / "data" / "schema" / "report.schema.json"
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(json_schema_text(), encoding="utf-8")
    (dest / "requirements.txt").write_text(requirements(), encoding="utf-8")
    return sorted(p for p in dest.rglob("*") if p.is_file())


def requirements() -> str:
    """What the project's workflow installs: nianbao from where this copy came (a git repository at its
    commit, per the installer's direct_url.json), else this version by name."""
    head = "# The nianbao that builds this site (.github/workflows/pages.yml installs it).\n"
    dist = metadata.distribution("nianbao")
    origin = json.loads(dist.read_text("direct_url.json") or "{}")
    vcs = origin.get("vcs_info", {})
    if vcs.get("vcs") == "git" and not origin["url"].startswith("file:"):
        return f"{head}nianbao @ git+{origin['url']}@{vcs['commit_id']}\n"
    note = ("# nianbao was installed here from a local copy: replace the line below with where your copy comes\n"
            "# from, e.g. nianbao @ git+https://github.com/OWNER/nianbao@COMMIT\n") if origin else ""
    return f"{head}{note}nianbao=={dist.version}\n"
