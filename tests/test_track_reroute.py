"""The Wakhan highway searched again without the track (wakhan.claims.track_reroute, PlanOptions.roads_left_out).

Flat ground of 1 km cells at 2,000 m: the route runs from cell (4, 2) to cell (4, 22). The "track"
(id ``wakhan-road``) makes a U through those two cells: up column 2 to row 1, along row 1, down
column 22; another road (id ``other-road``) covers row 4 from column 15 to 22. A move between two
road cells costs a quarter (mean friction of its ends). With the track, the U (20 + 2 sqrt 5 km
at 0.25, its corners cut by knight's moves: 6.1) beats the straight row (12 km at 1, one move at
0.625, 7 at 0.25: 14.375); without it, the straight row wins. The oracle is networkx's Dijkstra
on the graph tests/test_solve_oracle.py builds from the documented cost formulae, with the
friction of the hand-drawn roads.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.claims.track_reroute import departure_km, track_rerouted
from wakhan.cost import HighwayModel
from wakhan.grid import Grid
from wakhan.plan import plan_route
from wakhan.plan.compare import Variant, compare_routes
from wakhan.plan.roads import read_road_layers

_spec = importlib.util.spec_from_file_location("oracle", Path(__file__).with_name("test_solve_oracle.py"))
assert _spec is not None and _spec.loader is not None
oracle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracle)

ROWS, COLS, CELL_M = 9, 25, 1000.0
A, B = (4, 2), (4, 22)
TRANSFORM = Affine(CELL_M, 0, 500_000, 0, -CELL_M, 4_100_000)
TO_LONLAT = Transformer.from_crs("EPSG:32643", "EPSG:4326", always_xy=True).transform


def _dem() -> Grid:
    return Grid(np.full((ROWS, COLS), 2000.0, np.float32), TRANSFORM, "EPSG:32643")


def _centre(rc) -> tuple[float, float]:
    return TRANSFORM @ (rc[1] + 0.5, rc[0] + 0.5)


def _latlon(rc) -> str:
    lon, lat = TO_LONLAT(*_centre(rc))
    return f"{lat:.7f},{lon:.7f}"


def _roads(folder: Path) -> Path:
    def feature(cells, road_id):
        coords = [list(TO_LONLAT(*_centre(rc))) for rc in cells]
        return {
            "type": "Feature",
            "properties": {"id": road_id},
            "geometry": {"type": "LineString", "coordinates": coords},
        }

    f = folder / "roads.geojson"
    track = feature([A, (1, 2), (1, 22), B], "wakhan-road")
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [track, feature([(4, 15), B], "other-road")]}))
    return f


def _hand_roads(track: bool) -> np.ndarray:
    on = np.zeros((ROWS, COLS), bool)
    on[4, 15:23] = True
    if track:
        on[1:5, 2] = on[1, 2:23] = on[1:5, 22] = True
    return on


def _oracle_cost(track: bool) -> float:
    z = np.full((ROWS, COLS), 2000.0)
    friction = np.where(_hand_roads(track), 0.25, 1.0)
    graph = oracle.oracle_graph(z, CELL_M, CELL_M, HighwayModel(), 16, friction=friction)
    return nx.dijkstra_path_length(graph, A, B, weight="weight")


def test_road_layers_leave_out_only_the_named_feature(tmp_path):
    from wakhan.plan.roads import road_mask

    f = _roads(tmp_path)
    assert road_mask(read_road_layers([f]), _dem()).tolist() == _hand_roads(True).tolist()
    assert road_mask(read_road_layers([f], left_out=("wakhan-road",)), _dem()).tolist() == _hand_roads(False).tolist()
    assert len(read_road_layers(f, left_out=("no-such-road",))) == 2


@pytest.mark.parametrize("left_out", [(), ("wakhan-road",)])
def test_route_follows_the_track_only_while_it_is_a_road_and_costs_what_networkx_says(tmp_path, left_out):
    r = plan_route([_latlon(A), _latlon(B)], dem=_dem(), places=None, roads=[_roads(tmp_path)], roads_left_out=left_out)
    (path,) = r.paths
    track = not left_out
    assert path.total_cost == pytest.approx(_oracle_cost(track), rel=1e-9)
    # by hand: the U, its corners cut by a knight's move (sqrt 5 km) on track cells, 20 + 2 sqrt 5 km at 0.25;
    # the straight row 12 km at 1, one move at 0.625 (column 14 to 15), 7 km at 0.25
    assert path.total_cost == pytest.approx(250.0 * (20 + 2 * 5**0.5) if track else 14375.0, rel=1e-9)
    if track:
        assert _hand_roads(True)[path.rows, path.cols].all() and (path.rows == 1).any()  # along the U
    else:
        assert set(path.rows.tolist()) == {4}  # off the strip of rows 1-3


def test_rerouted_with_nothing_left_out_is_the_headline_and_without_the_track_leaves_it(tmp_path):
    v, ends = Variant("direct"), (_latlon(A), _latlon(B))
    infra = {"roads": [_roads(tmp_path)]}
    (headline,) = compare_routes(*ends, [v], dem=_dem(), neighbours=16, tunnels=True, places=None, **infra)
    same = track_rerouted(headline, v, infra, 16, None, left_out=(), ends=ends)
    assert same["cost_usd"] == {k: headline.summary.costs.cost_usd[k] for k in ("low", "high")}
    assert same["length_km"] == headline.summary.terrain.length_km
    assert (same["departs_km"], same["max_departure_km"]) == (0.0, 0.0)
    kkh_usd_per_km = 2.0e6
    off = track_rerouted(headline, v, infra, 16, kkh_usd_per_km, ends=ends)
    # the straight row: 20 one-km moves, 20.008 km on the ellipsoid (UTM scale 0.9996 at 500 km east, 37 N)
    assert off["length_km"] == pytest.approx(20.0, abs=0.02)
    # its cells 4..20 of row 4 lie more than 1 km from the U (3 km below row 1; 2 and more from columns 2, 22)
    assert off["departs_km"] == pytest.approx(16.0, abs=0.1) and off["max_departure_km"] == 3.0
    # 7 km on the other road (columns 15-22), none on the track
    assert off["on_existing_road_km"] == pytest.approx(7.0, abs=0.01)
    mid = 0.5 * (off["cost_usd"]["low"] + off["cost_usd"]["high"]) / off["length_km"]
    assert off["cost_ratio_to_kkh"] == round(mid / kkh_usd_per_km, 3)
    assert off["crosses_wakhjir_pass"] is False


def test_departure_counts_steps_with_both_ends_away():
    from types import SimpleNamespace

    from wakhan.route.profile import Profile

    x = np.arange(0, 11) * 1000.0
    flat = np.full(x.size, 2000.0)
    old = SimpleNamespace(profile=Profile(x / 1000.0, 75 + 0 * x, 37 + 0 * x, flat, x, 0 * x))
    y = np.where(x == 5000.0, 1500.0, 0.0)  # one point 1.5 km off: no step has both ends away
    new = SimpleNamespace(profile=Profile(x / 1000.0, 75 + 0 * x, 37 + 0 * x, flat, x, y))
    assert departure_km(new, old) == (0.0, 1.5)
