"""The Wakhan track priced as a new road (wakhan.claims.track_cost), against a hand computation."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.claims.highway import COST_RATIO_LIMIT
from wakhan.claims.track_cost import road_masks_without, track_as_new_build, track_sensitivity, track_words
from wakhan.cost import get_model
from wakhan.grid import Grid
from wakhan.route import RouteResult, build_summary
from wakhan.route.engineering import road_length_factor
from wakhan.route.profile import profile_from_path
from wakhan.solve.api import Path as SolverPath

ROOT = Path(__file__).resolve().parents[1]
CELL_M = 1000.0
N_STEPS = 20  # a straight path of 20 one-km moves along row 1
SHARED_FROM = 12  # the other road covers the path's cells 12..20: its last 8 moves


def _unit_costs() -> dict:
    """data/unit_costs.csv read here, apart from the package's reader."""
    with (ROOT / "data" / "unit_costs.csv").open(encoding="utf-8") as f:
        return {r["item"]: (float(r["low"]), float(r["high"])) for r in csv.DictReader(f)}


def _flat_route():
    """A straight route over flat ground at 2,000 m (below the altitude factor's 4,000 m, no side slope)."""
    dem = Grid(
        np.full((3, N_STEPS + 2), 2000.0, np.float32),
        Affine(CELL_M, 0, 500_000, 0, -CELL_M, 4_100_000),
        "EPSG:32643",
    )
    cols = np.arange(N_STEPS + 1)
    path = SolverPath(
        np.ones(cols.size, np.int64),
        cols,
        np.zeros(N_STEPS),
        0.0,
        "m",
        500_000 + CELL_M * (cols + 0.5),
        np.full(cols.size, 4_100_000 - 1.5 * CELL_M),
    )
    prof = profile_from_path([path], dem)
    summary = build_summary(prof, "flat", dem, places=None, country_at=None)
    return RouteResult(summary, prof, dem=dem, paths=(path,), model=get_model("highway"))


def _roads_file(folder: Path, dem) -> Path:
    """The track along the whole path and another road over its cells SHARED_FROM..N_STEPS, as GeoJSON."""
    lonlat = Transformer.from_crs(dem.crs, "EPSG:4326", always_xy=True).transform
    y = 4_100_000 - 1.5 * CELL_M

    def feature(col_from: int, col_to: int, road_id: str) -> dict:
        xs = (500_000 + CELL_M * (col_from + 0.5), 500_000 + CELL_M * (col_to + 0.5))
        return {
            "type": "Feature",
            "properties": {"id": road_id},
            "geometry": {"type": "LineString", "coordinates": [list(lonlat(x, y)) for x in xs]},
        }

    f = folder / "roads.geojson"
    features = [feature(0, N_STEPS, "wakhan-road"), feature(SHARED_FROM, N_STEPS, "other-road")]
    f.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return f


def test_masks_keep_a_cell_shared_with_another_road(tmp_path):
    route = _flat_route()
    on, off = road_masks_without([_roads_file(tmp_path, route.dem)], route.dem)
    assert on[1, : N_STEPS + 1].all()
    # off the track: only the other road's cells remain, those it shares with the track included
    assert off[1].tolist() == [c >= SHARED_FROM and c <= N_STEPS for c in range(N_STEPS + 2)]
    assert not off[0].any() and not off[2].any()


def test_cost_equals_km_times_unit_rates(tmp_path):
    """12 km off the other road are priced as plain road, the 8 km shared with it stay an upgrade."""
    route = _flat_route()
    on, off = road_masks_without([_roads_file(tmp_path, route.dem)], route.dem)
    t = track_as_new_build(route, on, off)
    rates = _unit_costs()
    factor = road_length_factor(route.dem)  # surface km are grid km times the road-length factor
    plain_km, upgrade_km = SHARED_FROM * CELL_M / 1000.0 * factor, (N_STEPS - SHARED_FROM) * CELL_M / 1000.0 * factor
    rows = {r["item"]: r for r in t["cost_usd"]["breakdown"]}
    assert rows["plain_road"]["km"] == pytest.approx(plain_km, abs=0.05)
    assert rows["upgrade_road"]["km"] == pytest.approx(upgrade_km, abs=0.05)
    for i, end in enumerate(("low", "high")):
        hand = plain_km * rates["plain_road"][i] + upgrade_km * rates["upgrade_road"][i]
        assert t["cost_usd"][end] == round(hand, -6)
        assert rows["plain_road"][end] == round(plain_km * rates["plain_road"][i], -5)
    # every move is on the track; 12 of them only because of it (km as length_km measures them)
    assert t["km_on_track"] == pytest.approx(12.0, rel=0.01)
    assert t["upgrade_built_km"] == pytest.approx(N_STEPS * factor, abs=0.01)
    assert t["upgrade_built_km_without_track"] == pytest.approx(upgrade_km, abs=0.01)


def test_a_planned_route_gives_its_own_upgrade_km_and_is_summarised_once(tmp_path, monkeypatch):
    """A route planned with the roads holds its upgrade km: they are read, not summarised a second time."""
    import wakhan.claims.track_cost as track_cost
    from wakhan.plan import plan_route

    dem = _flat_route().dem
    lonlat = Transformer.from_crs(dem.crs, "EPSG:4326", always_xy=True).transform
    ends = []
    for col in (0, N_STEPS):
        lon, lat = lonlat(500_000 + CELL_M * (col + 0.5), 4_100_000 - 1.5 * CELL_M)
        ends.append(f"{lat:.7f},{lon:.7f}")
    roads = _roads_file(tmp_path, dem)
    route = plan_route(ends, dem=dem, places=None, roads=[roads], neighbours=8)
    assert route.paths[0].rows.tolist() == [1] * (N_STEPS + 1)  # along the roads' row
    calls = []
    real = track_cost.engineering_summary
    monkeypatch.setattr(track_cost, "engineering_summary", lambda *a, **k: calls.append(1) or real(*a, **k))
    on, off = road_masks_without([roads], dem)
    t = track_as_new_build(route, on, off)
    factor = road_length_factor(dem)
    # every move on a road: N_STEPS km built as upgrade (times the road-length factor), as the summary says
    assert t["upgrade_built_km"] == pytest.approx(N_STEPS * factor, abs=0.01)
    assert t["upgrade_built_km"] == route.summary.engineering.built_km_by_class["upgrade"]["km"]
    assert t["upgrade_built_km_without_track"] == pytest.approx((N_STEPS - SHARED_FROM) * factor, abs=0.01)
    assert len(calls) == 1  # only the classes without the track


def test_sensitivity_ratio_and_words(tmp_path):
    route = _flat_route()
    rates = _unit_costs()
    kkh_usd_per_km = 0.8e6
    t = track_sensitivity(route, [_roads_file(tmp_path, route.dem)], kkh_usd_per_km)
    mid = 0.5 * (t["cost_usd"]["low"] + t["cost_usd"]["high"]) / route.summary.terrain.length_km
    assert t["road"] == "wakhan-road"
    assert t["cost_ratio_to_kkh"] == pytest.approx(mid / kkh_usd_per_km, abs=1e-3)
    # by hand: 12 km at the plain road's mid rate and 8 km at the upgrade's, per km of the 20 km route
    factor = road_length_factor(route.dem)
    mid_rate = {k: 0.5 * (low + high) for k, (low, high) in rates.items()}
    hand = factor * (12 * mid_rate["plain_road"] + 8 * mid_rate["upgrade_road"]) / 20.0 / kkh_usd_per_km
    assert t["cost_ratio_to_kkh"] == pytest.approx(hand, rel=0.02)  # the totals are rounded to the million
    assert t["cost_ratio_to_kkh"] > COST_RATIO_LIMIT
    words = track_words(t, COST_RATIO_LIMIT)
    assert "priced as a new road where the Wakhan track runs (12 km)" in words
    assert 'the verdict would be "depends"' in words
    assert "would still be met" in track_words({**t, "cost_ratio_to_kkh": 1.2}, COST_RATIO_LIMIT)


def test_masks_read_no_file_the_planner_has_read(tmp_path, monkeypatch):
    """The planner reads each road layer once; the masks without the track use what it read."""
    import pyogrio

    from wakhan.plan.roads import read_road_layers

    route = _flat_route()
    roads = _roads_file(tmp_path, route.dem)
    read_road_layers([roads])  # as plan_route and compare_routes read it
    reads = []
    real = pyogrio.read_dataframe
    monkeypatch.setattr(pyogrio, "read_dataframe", lambda *a, **k: reads.append(a) or real(*a, **k))
    on, off = road_masks_without([roads], route.dem)
    assert reads == [] and on[1, : N_STEPS + 1].all() and not off[1, :SHARED_FROM].any()
    _ = roads.write_text(roads.read_text() + "\n")  # a changed file is read again
    road_masks_without([roads], route.dem)
    assert len(reads) == 1
