"""The highway as a road engineer builds it, checked on real terrain and against hand computations.

Real terrain: the Swiss SRTM tile N46E008 (3", voids filled) in ``$WAKHAN_SHARED``.

* The Susten pass road (Hauptstrasse 11, built 1938-1945) joins Wassen (Reuss valley,
  46.7069 N 8.5997 E) and Innertkirchen (Hasli valley, 46.7058 N 8.2303 E) over the
  Susten Pass, whose summit tunnel is at 2,224 m below the col at 46.7303 N 8.4495 E
  (Swisstopo, via Wikipedia "Susten Pass"). The road is 45 km long (Wikipedia
  "Sustenpass"; the two ramps measure 17.7 and 27 km on the Swisstopo map) with a
  maximum grade of 9 %. No straight route between the valleys stays under 9 %: the
  road exists because it develops length in hairpins.
* The Gotthard road tunnel (A2, opened 1980) runs 16.9 km from its north portal at
  Goeschenen (1,080 m) to its south portal at Airolo (1,146 m) under the 2,106 m
  Gotthard Pass (Wikipedia "Gotthard Road Tunnel"). With a road ceiling of 1,300 m no
  surface route joins the two villages.
"""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wakhan.cost import HighwayModel
from wakhan.errors import RouteError
from wakhan.grid import Grid
from wakhan.places import haversine_km
from wakhan.plan.plan import plan_route
from wakhan.route.engineering import built_pieces, path_pieces
from wakhan.solve import least_cost_path

WASSEN, INNERTKIRCHEN = "46.7069,8.5997", "46.7058,8.2303"
SUSTEN_LAT, SUSTEN_LON, SUSTEN_ROAD_KM, SUSTEN_MAX_GRADE_PCT = 46.7303, 8.4495, 45.0, 9.0
GOESCHENEN, AIROLO = (46.6675, 8.5875), (46.5283, 8.6083)


@pytest.fixture(scope="module")
def swiss_tile(srtm_dir):
    return str(srtm_dir / "N46E008.tif")


@pytest.mark.slow
def test_susten_pass_road_exists_at_its_design_grade_with_switchbacks(swiss_tile):
    route = plan_route(
        [WASSEN, INNERTKIRCHEN], dem=swiss_tile, buffer_km=8, design_grade_pct=SUSTEN_MAX_GRADE_PCT, places=None
    )
    s = route.summary
    high = max(s.terrain.passes, key=lambda p: p["elevation_m"])
    assert haversine_km(high["lon"], high["lat"], SUSTEN_LON, SUSTEN_LAT) < 2.0
    assert s.engineering.switchback_km > 5 and s.engineering.hairpins > 5
    assert s.engineering.max_built_grade_pct <= SUSTEN_MAX_GRADE_PCT + 1e-9
    # the built road is about as long as the real one; the grid line between the valleys is shorter
    assert s.engineering.built_length_km == pytest.approx(SUSTEN_ROAD_KM, rel=0.12)
    assert s.terrain.length_km < s.engineering.built_length_km
    # held to 9 % without switchbacks, no route exists at all
    with pytest.raises(RouteError, match="gentlest possible crossing"):
        plan_route(
            [WASSEN, INNERTKIRCHEN],
            dem=swiss_tile,
            buffer_km=8,
            places=None,
            model=HighwayModel(max_grade_pct=9, design_grade_pct=9, altitude_grade_reduction_pct=0),
        )


@pytest.mark.slow
def test_under_a_ceiling_the_route_tunnels_where_the_gotthard_road_tunnel_runs(swiss_tile):
    ends = [f"{GOESCHENEN[0]},{GOESCHENEN[1]}", f"{AIROLO[0]},{AIROLO[1]}"]
    with pytest.raises(RouteError):
        plan_route(ends, dem=swiss_tile, buffer_km=10, places=None, max_elevation_m=1300)
    route = plan_route(ends, dem=swiss_tile, buffer_km=10, places=None, max_elevation_m=1300, tunnels=True)
    s = route.summary
    assert len(s.engineering.tunnels) == 1
    t = s.engineering.tunnels[0]
    a, b = t["portal_a"], t["portal_b"]
    assert haversine_km(a["lon"], a["lat"], GOESCHENEN[1], GOESCHENEN[0]) < 3.0
    assert haversine_km(b["lon"], b["lat"], AIROLO[1], AIROLO[0]) < 3.0
    assert 10.0 < t["length_km"] < 16.9 + 1.0
    assert t["grade_pct"] <= 5.0 and t["cost_usd"]["low"] > 0
    assert s.terrain.max_elevation_m <= 1300.0
    # independent cover check: the DEM along the bore, away from the portals, is 30 m or more above it
    dem = route.dem
    x0, x1 = dem.xy(*_cell(dem, a)), dem.xy(*_cell(dem, b))
    frac = np.linspace(0, 1, 200)[1:-1]
    xs, ys = x0[0] + frac * (x1[0] - x0[0]), x0[1] + frac * (x1[1] - x0[1])
    terrain = dem.sample(xs, ys, method="nearest")
    bore = a["elevation_m"] + frac * (b["elevation_m"] - a["elevation_m"])
    away = (frac * t["length_km"] > 0.2) & ((1 - frac) * t["length_km"] > 0.2)
    assert (terrain[away] - bore[away]).min() >= 30.0 - 1e-6
    assert (terrain - bore).max() == pytest.approx(t["max_cover_m"], abs=60)


def _cell(dem, portal):
    from wakhan.dem.project import lonlat_to_xy

    x, y = lonlat_to_xy(dem.crs, [portal["lon"]], [portal["lat"]])
    r, c = dem.rowcol(x, y)
    return int(r[0]), int(c[0])


def _design(model, zmean):
    """The design grade at ``zmean`` written out: -1 point per started 1,000 m above 3,000 m, floor 4 %."""
    steps = 0 if zmean < 3000 else min(3, int((zmean - 3000) // 1000) + 1)
    return max(
        model.design_grade_pct - steps * model.altitude_grade_reduction_pct,
        min(model.design_grade_pct, model.design_grade_floor_pct),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 2**31), st.sampled_from([5.0, 7.0, 9.0]), st.sampled_from([16, 32]), st.sampled_from([0.0, 2500.0])
)
def test_no_built_piece_of_a_switchback_route_exceeds_the_design_grade(seed, design, neighbours, base_m):
    rng = np.random.default_rng(seed)
    # a climb of up to 25 % eastwards with up to 25 m of noise per 100 m cell: under the 60 % hairpin limit
    z = (base_m + np.cumsum(rng.uniform(0, 25, (9, 12)), axis=1) + rng.uniform(0, 25, (9, 12))).astype(np.float32)
    grid = Grid(z, Affine(100.0, 0, 500000.0, 0, -100.0, 4100000.0), "EPSG:32643")
    model = HighwayModel(design_grade_pct=design)
    path = least_cost_path(grid, model, (4, 0), (4, 11), neighbours=neighbours)
    step, length, za, zb = path_pieces(path, grid)
    built, gd, built_grade = built_pieces(length, za, zb, model)
    for L, a, b, bl, g in zip(length, za, zb, built, built_grade):
        terrain = abs(100.0 * (b - a) / L)
        design_here = _design(model, 0.5 * (a + b))
        assert terrain <= model.max_grade_pct + 1e-9  # hairpin limit: hard
        assert g <= design_here + 1e-9  # built at the design grade or gentler
        assert bl == pytest.approx(L * max(1.0, terrain / design_here))  # the developed length
    # the path's solver cost is the sum of the documented per-piece costs
    assert path.total_cost == pytest.approx(path.step_cost.sum(), rel=1e-9)


def test_route_cost_adds_up_the_unit_cost_table_by_hand():
    from wakhan.route.costing import load_unit_costs, route_cost

    c = load_unit_costs()
    for item in ("plain_road", "mountain_road", "switchback_road", "tunnel", "upgrade_road", "altitude_factor"):
        assert c[item]["low"] < c[item]["high"] and c[item]["source"]
    km = {
        "plain": {"km": 10.0, "above_4000m_km": 0.0},
        "switchback": {"km": 4.0, "above_4000m_km": 2.0},
        "tunnel": {"km": 3.0, "above_4000m_km": 0.0},
    }
    got = route_cost(km)
    low = (
        10 * c["plain_road"]["low"]
        + 4 * c["switchback_road"]["low"]
        + 2 * c["switchback_road"]["low"] * (c["altitude_factor"]["low"] - 1)
        + 3 * c["tunnel"]["low"]
    )
    assert got["low"] == pytest.approx(low, abs=5e5)
    assert [b["item"] for b in got["breakdown"]] == ["plain_road", "switchback_road", "tunnel"]


def test_existing_road_cells_cost_an_upgrade(tmp_path):
    """A road along a detour makes the detour cheaper than the straight new build (friction = upgrade ratio)."""
    import json

    from wakhan.plan.roads import UPGRADE_COST_FACTOR, read_roads, road_mask

    z = np.zeros((11, 21), np.float32)
    grid = Grid(z, Affine(1000.0, 0, 500000.0, 0, -1000.0, 4100000.0), "EPSG:32643")
    # a road from (5, 0) up to row 1 and along it, then back down to (5, 20): 8 + 20 + 8 km... on cell centres
    xs = [500500.0, 500500.0, 520500.0, 520500.0]
    ys = [4094500.0, 4098500.0, 4098500.0, 4094500.0]
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:32643", "EPSG:4326", always_xy=True).transform(xs, ys)
    path = tmp_path / "roads.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "LineString", "coordinates": list(map(list, zip(lon, lat)))},
                    }
                ],
            }
        )
    )
    mask = road_mask(read_roads(path), grid)
    assert mask[5, 0] and mask[1, 10] and mask[5, 20] and not mask[5, 10]
    friction = np.where(mask, UPGRADE_COST_FACTOR, 1.0)
    p = least_cost_path(grid, HighwayModel(), (5, 0), (5, 20), friction=friction)
    on = mask[p.rows, p.cols]
    assert on.all()  # up to 28 km of upgrade beat 20 km of new road
    assert p.total_cost <= 28_000 * UPGRADE_COST_FACTOR + 1e-6 < 20_000


def _ridge_dem():
    """Two flat valleys at 1,000 m joined over a 2 km-wide ridge rising to 1,800 m (250 m cells)."""
    z = np.full((21, 41), 1000.0, np.float32)
    cols = np.arange(41)
    z[:, :] += np.clip(800.0 - 100.0 * np.abs(cols - 20), 0, None)[None, :].astype(np.float32)
    return Grid(z, Affine(250.0, 0, 500000.0, 0, -250.0, 4100000.0), "EPSG:32643")


def test_tunnel_under_a_ridge_when_the_bore_is_cheaper_than_the_climb():
    from wakhan.solve import least_cost_path
    from wakhan.solve.tunnels import TUNNEL_MIN_COVER_M, tunnel_leg

    grid = _ridge_dem()
    cheap = HighwayModel(tunnel_cost_factor=1.5)
    surface = least_cost_path(grid, cheap, (10, 0), (10, 40), neighbours=16)
    pieces = tunnel_leg(grid, cheap, (10, 0), (10, 40), surface=[surface], neighbours=16)
    tunnels = [p for p in pieces if hasattr(p, "a_rc")]
    assert len(tunnels) == 1
    t = tunnels[0]
    assert t.a_rc[1] < 20 < t.b_rc[1]  # portals on either side of the crest
    assert t.grade_pct <= 5.0 and t.length_m <= 25_000
    # cover by hand along the bore: the ridge is 100 m higher per cell towards the crest
    z = np.asarray(grid.array, float)
    mid = z[10, 20] - 0.5 * (t.za_m + t.zb_m)
    assert mid >= TUNNEL_MIN_COVER_M and t.max_cover_m == pytest.approx(mid, abs=1)
    total = sum(p.total_cost if not hasattr(p, "a_rc") else p.cost for p in pieces)
    assert total < surface.total_cost
    assert t.cost == pytest.approx(t.length_m * 1.5)
    # at the default factor (a tunnel km costs 11 road km) climbing the ridge is cheaper: no tunnel
    dear = HighwayModel()
    surface = least_cost_path(grid, dear, (10, 0), (10, 40), neighbours=16)
    assert tunnel_leg(grid, dear, (10, 0), (10, 40), surface=[surface], neighbours=16) is None


def test_tunnel_cost_factor_is_the_unit_cost_tables_ratio():
    """The solver prices a tunnel metre as the table's mid tunnel cost over its mid plain-road cost."""
    from wakhan.route.costing import load_unit_costs

    c = load_unit_costs()
    mid = {k: 0.5 * (c[k]["low"] + c[k]["high"]) for k in ("tunnel", "plain_road")}
    assert HighwayModel().tunnel_cost_factor == pytest.approx(mid["tunnel"] / mid["plain_road"], rel=0.05)
