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


def test_swiss_route_outputs_read_sensibly(srtm_dir, tmp_path, capsys):
    """The same Furka route through `wakhan route` and `wakhan profile`: the region pack's country layer
    (Natural Earth clipped to 66.5-78 E, 32.5-41.5 N) does not reach Switzerland, so its km are
    "outside the bundled country layer" (they read "unknown") and the layer is not cited; a road that
    stays below 3,500 m shows no "km above 3,500 / 4,000 / 4,500 m" (it read "0.0 / 0.0 / 0.0 km")."""
    import json

    from wakhan.cli import run
    from wakhan.route.files.export import read_route

    tile = srtm_dir / "N46E008.tif"
    out = tmp_path / "furka.geojson"
    args = ["route", "46.62,8.59", "46.55,8.35", "--dem", str(tile), "--max-grade", "16", "-o", str(out)]
    assert run(args) == 0
    table = capsys.readouterr().out
    assert "outside the bundled country layer" in table and "unknown" not in table
    assert "km above" not in table and "Natural Earth" not in table
    assert run([*args[:-2], "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    summary = doc.get("summary", doc)
    assert list(summary["countries_km"]) == ["outside"]
    assert summary["countries_km"]["outside"] == pytest.approx(summary["length_km"], abs=0.01)
    assert summary["max_elevation_m"] == pytest.approx(FURKA_M, abs=40)
    route = read_route(out)
    assert list(route.summary.terrain.countries_km) == ["outside"]

    from wakhan.figures import draw_profile

    fig, ax, _labels = draw_profile(route, dpi=80)
    try:
        text = " ".join(t.get_text() for t in ax.texts).replace("\u00a0", " ")
        assert "highest 2," in text and "above 4,000 m" not in text
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
