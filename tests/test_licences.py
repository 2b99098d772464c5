"""The licences are stated where users look: the code's in LICENSE and the package metadata, the records'
and downloads' on the site (about page, every page's footer), in datapackage.json and in the README."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml

from nianbao.render.downloads import write_downloads

from .conftest import REPO
from .test_downloads import _dataset

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def test_the_code_is_mit_in_spdx_terms() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT" and project["project"]["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])


def test_the_data_package_names_the_records_licence(tmp_path: Path) -> None:
    write_downloads(_dataset(), tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": CC_BY,
                                    "title": "Creative Commons Attribution 4.0 International"}]


def test_the_site_and_readme_state_what_applies_to_records_sources_and_code() -> None:
    about = (REPO / "content" / "about.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in about and "creativecommons.org/licenses/by/4.0/" in about
    assert "著作权法》第五条" in about and "MIT" in about
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "CC BY 4.0" in config["copyright"]  # Material prints it in every page's footer
    assert {"关于": "about.md"} in config["nav"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "MIT" in readme and "第五条" in readme
