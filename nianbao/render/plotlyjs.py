"""The Plotly bundle the site's charts load (assets/nianbao/plotly.min.js, fetched only by pages with a chart).

The site draws scatter and bar traces only (render/charts.py, assets/compare.js, the explorer), so it ships
Plotly's official basic bundle (scatter, bar, pie: 1.2 MB, 0.4 MB gzipped) from the npm package
plotly.js-basic-dist-min that `make site` installs (package.json), instead of the full bundle (4.8 MB)
that the plotly Python package carries. Without node_modules (a project made by `nianbao new` from the
wheel, a checkout where npm was not run) the full bundle is used, and the build says so.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from nianbao import paths

BASIC = Path("node_modules") / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})  # what the basic bundle draws
_CHECKOUT = Path(__file__).resolve().parents[2]  # the repository, when the package runs from one


def plotly_bundle() -> tuple[Path, str]:
    """The bundle to publish and, when it is the full one, a warning saying why and what to do."""
    for base in dict.fromkeys((paths.ROOT, _CHECKOUT)):  # the project's node_modules, else the checkout's
        if (base / BASIC).is_file():
            return base / BASIC, ""
    full = Path(importlib.import_module("plotly").__file__).parent / "package_data" / "plotly.min.js"
    return full, (f"nianbao: warning: {BASIC} not found (`npm install` in the project installs it): "
                  "the site ships Plotly's full bundle (4.8 MB) instead of the basic one (1.2 MB)")
