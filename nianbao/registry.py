"""data/agencies.yaml → validated AgencyEntry objects.

The ingest work extends this module (gazetteer, id making); the AgencyEntry fields and the functions
below are the contract the rest of the package uses.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import paths
from .errors import RegistryError


class AgencyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    kind: str | None = Field(default=None, description="民政局, 人民政府, 管理委员会, …")
    website: str | None = None
    aliases: list[str] = Field(default_factory=list, description="Other names the reports use")


def load_agencies(path: Path | None = None) -> dict[str, AgencyEntry]:
    path = path or paths.AGENCIES
    if not path.exists():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None) from None
    if isinstance(data, dict):
        data = data.get("agencies", [])
    out: dict[str, AgencyEntry] = {}
    for i, item in enumerate(data):
        try:
            entry = AgencyEntry.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise RegistryError(f"agency #{i + 1}: {'.'.join(map(str, first['loc']))}: {first['msg']}", path) from None
        out[entry.id] = entry
    return out


def agency_for_name(name: str) -> tuple[str, str]:
    """(id, name) for an agency named in a report: the registry's entry when known, else a new id."""
    for entry in load_agencies().values():
        if name == entry.name or name in entry.aliases:
            return entry.id, entry.name
    from pypinyin import lazy_pinyin

    ident = "-".join(p for p in lazy_pinyin(name) if p.isascii() and p.isalnum()).lower() or "unknown"
    return ident, name
