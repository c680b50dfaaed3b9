"""A tunnel is weighed against, and the road around it re-traced on, the surface as the leg's search priced it.

``plan_route`` prices existing roads (``--roads``) as upgrades (:data:`UPGRADE_COST_FACTOR` of a new
road) through a friction grid. The tunnel search used to ignore that grid: it judged a tunnel's saving
against the road-free surface cost and re-traced the road around an accepted tunnel without the
existing roads, so a route tunnelled under a pass that its road crosses for a quarter of the price.

The ground: two flat valleys at 1,000 m either side of a ridge rising 100 m per 250 m cell to
1,800 m (cells 12-28 of 41), and an existing road straight along row 10 over the ridge, from one end
of the leg to the other. A level bore joins the ridge's feet at columns 12 and 28 (4,000 m; the
shortest with cover, see ``test_tunnel_under_a_ridge_when_the_bore_is_cheaper_than_the_climb``),
leaving 12 flat cells (3,000 m) of road on either side.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.cost import HighwayModel
from wakhan.grid import Grid
from wakhan.plan.roads import UPGRADE_COST_FACTOR
from wakhan.solve import least_cost_path
from wakhan.solve.tunnels import tunnel_leg

CELL_M = 250.0
START, GOAL = (10, 0), (10, 40)
BORE_M = 16 * CELL_M  # columns 12 -> 28
APPROACH_M = 2 * 12 * CELL_M  # columns 0 -> 12 and 28 -> 40, flat


def _ridge():
    z = np.full((21, 41), 1000.0, np.float32)
    z += np.clip(800.0 - 100.0 * np.abs(np.arange(41) - 20), 0, None)[None, :].astype(np.float32)
    return Grid(z, Affine(CELL_M, 0, 500000.0, 0, -CELL_M, 4100000.0), "EPSG:32643")


def _road_friction(grid):
    on = np.zeros(grid.array.shape, bool)
    on[START[0], :] = True
    return on, np.where(on, UPGRADE_COST_FACTOR, 1.0)


def _lonlat(grid, cells):
    x, y = grid.xy(np.array([r for r, _ in cells]), np.array([c for _, c in cells]))
    return Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True).transform(np.asarray(x), np.asarray(y))


def _total(pieces):
    return sum(p.cost if hasattr(p, "a_rc") else p.total_cost for p in pieces)


@pytest.mark.parametrize("factor", [3.0, 5.0])
def test_a_road_over_the_pass_beats_a_tunnel_that_only_beats_the_road_free_climb(factor):
    """The tunnel (approaches + factor x 4 km) beats the road-free climb but not the road over the top."""
    grid = _ridge()
    on, friction = _road_friction(grid)
    model = HighwayModel(tunnel_cost_factor=factor)
    free = least_cost_path(grid, model, START, GOAL, neighbours=16)  # the oracle: tunnel-free searches
    road = least_cost_path(grid, model, START, GOAL, neighbours=16, friction=friction)
    tunnel_free_roads = APPROACH_M + factor * BORE_M
    tunnel_on_roads = UPGRADE_COST_FACTOR * APPROACH_M + factor * BORE_M
    assert tunnel_free_roads < free.total_cost  # without the roads the tunnel would win...
    assert road.total_cost < tunnel_on_roads  # ...with them the road over the pass is cheaper
    assert on[road.rows, road.cols].all()
    # the road-free pricing is what the tunnel search used to see: it tunnels
    got_free = tunnel_leg(grid, model, START, GOAL, surface=[free], neighbours=16)
    assert got_free is not None and _total(got_free) == pytest.approx(tunnel_free_roads)
    # priced as the leg's search priced it, no tunnel beats the road
    assert tunnel_leg(grid, model, START, GOAL, surface=[road], neighbours=16, friction=friction) is None


def test_a_tunnel_that_beats_even_the_road_is_kept_and_its_approaches_follow_the_road():
    """At 1.5 road metres per tunnel metre the bore wins with the road priced; the approaches stay on it."""
    grid = _ridge()
    on, friction = _road_friction(grid)
    model = HighwayModel(tunnel_cost_factor=1.5)
    road = least_cost_path(grid, model, START, GOAL, neighbours=16, friction=friction)
    pieces = tunnel_leg(grid, model, START, GOAL, surface=[road], neighbours=16, friction=friction)
    tunnels = [p for p in pieces if hasattr(p, "a_rc")]
    assert [(t.a_rc, t.b_rc, t.length_m) for t in tunnels] == [((10, 12), (10, 28), BORE_M)]
    paths = [p for p in pieces if not hasattr(p, "a_rc")]
    assert all(on[p.rows, p.cols].all() for p in paths)
    # approaches priced as upgrades: 6 km x 0.25 + 1.5 x 4 km, by hand
    assert _total(pieces) == pytest.approx(UPGRADE_COST_FACTOR * APPROACH_M + 1.5 * BORE_M)
    assert sum(p.total_cost for p in paths) == pytest.approx(UPGRADE_COST_FACTOR * APPROACH_M)


def _plan(tmp_path, factor):
    from wakhan.plan import plan_route

    grid = _ridge()
    lon, lat = _lonlat(grid, [(START[0], c) for c in (0, 40)])
    roads = tmp_path / "roads.geojson"
    line = {"type": "LineString", "coordinates": [[float(a), float(b)] for a, b in zip(lon, lat)]}
    roads.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": line}]})
    )
    ends = [f"{b:.7f},{a:.7f}" for a, b in zip(lon, lat)]
    model = HighwayModel(tunnel_cost_factor=factor)
    kw = dict(dem=grid, places=None, model=model, neighbours=16, roads=str(roads))
    return plan_route(ends, tunnels=True, **kw), plan_route(ends, tunnels=False, **kw)


def test_plan_route_keeps_the_road_over_the_pass_when_only_the_road_free_climb_loses_to_a_tunnel(tmp_path):
    tunnelled, plain = _plan(tmp_path, 5.0)
    assert not tunnelled.summary.engineering.tunnels
    assert tunnelled.summary.provenance.cost == plain.summary.provenance.cost
    assert tunnelled.length_km == plain.length_km == pytest.approx(10.0, abs=0.01)
    assert tunnelled.summary.engineering.on_existing_road_km == plain.summary.engineering.on_existing_road_km > 0


def test_plan_route_prices_the_road_around_an_accepted_tunnel_as_an_upgrade(tmp_path):
    tunnelled, plain = _plan(tmp_path, 1.5)
    (t,) = tunnelled.summary.engineering.tunnels
    assert t["length_km"] == pytest.approx(BORE_M / 1000)
    expected = UPGRADE_COST_FACTOR * APPROACH_M + 1.5 * BORE_M
    assert tunnelled.summary.provenance.cost == pytest.approx(expected, rel=1e-6)
    assert tunnelled.summary.provenance.cost < plain.summary.provenance.cost


def test_on_existing_road_km_is_the_route_length_along_the_road_not_the_built_km(tmp_path):
    """The road runs the whole 10 km leg (40 cells x 250 m); the bore leaves its two 3 km approaches on it.

    The upgrade cost class counts the same steps as built km (the ridge's climb developed in switchbacks,
    times the road-length factor): it used to be reported as ``on_existing_road_km``, 31 km on this leg.
    """
    tunnelled, plain = _plan(tmp_path, 1.5)
    assert plain.length_km == pytest.approx(10.0, abs=0.01)
    assert plain.summary.engineering.on_existing_road_km == pytest.approx(plain.length_km, abs=1e-3)
    assert tunnelled.summary.engineering.on_existing_road_km == pytest.approx(APPROACH_M / 1000, abs=0.01)
    assert plain.summary.engineering.built_km_by_class["upgrade"]["km"] > 2 * plain.length_km
