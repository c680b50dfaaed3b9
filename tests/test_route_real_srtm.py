"""A route over a real SRTM tile with voids (Swiss Alps, N46E008): the solver finds the Furka Pass.

The Furka road between Realp (Urseren valley) and Gletsch (upper Rhone valley)
crosses the pass at 46.5726 N, 8.4150 E, 2,429 m (Swiss federal survey). A
least-cost highway route between the two valleys on the 3" tile, voids filled,
must cross that saddle: an independent check of tile reading, void filling,
reprojection, the solver and the pass finder together.
"""

import pytest

from wakhan.places import haversine_km
from wakhan.plan.plan import plan_route

FURKA_LAT, FURKA_LON, FURKA_M = 46.5726, 8.4150, 2429.0


def test_highway_between_urseren_and_rhone_valleys_crosses_the_furka_pass(srtm_dir):
    tile = srtm_dir / "N46E008.tif"
    route = plan_route(["46.62,8.59", "46.55,8.35"], dem=str(tile), buffer_km=5, max_grade_pct=16, places=None)
    s = route.summary
    assert "void" in " ".join(s.provenance.grid["notes"]).lower()  # the tile's voids were filled and said so
    high = max(s.terrain.passes, key=lambda p: p["elevation_m"])
    assert haversine_km(high["lon"], high["lat"], FURKA_LON, FURKA_LAT) < 1.5
    assert high["elevation_m"] == pytest.approx(FURKA_M, abs=40)
    assert s.terrain.max_elevation_m == pytest.approx(FURKA_M, abs=40)
    assert s.terrain.max_grade_pct <= 16.0 + 0.5
    assert s.provenance.data_sources[0]["name"].startswith("N46E008") and s.provenance.data_sources[0][
        "resolution"
    ].startswith("3")
