"""The optional floodplain term (wakhan.cost.floodplain, plan_route's floodplain_weight, route --floodplain).

The terrain is built so that the answer is known by hand: a valley of 1 km cells falling east,
with a flat floor six rows wide (rows 9-14, within 3 m of the stream row 12, falling 0.1 m a
cell along the valley), a bench 20 m above it on the north side (rows 4-8) and walls of 30 %
beyond (four times the highway's 7 % design grade: switchback country). Its heads (the west and
east columns) are raised, except the stream's outlet, so every cell drains along the valley. The
floor is floodplain (HAND <= 5 m above a stream draining >= 100 km2), the bench is not. The
route's oracle is networkx's Dijkstra on the graph tests/test_solve_oracle.py builds from the
documented cost formulae, with the friction of the hand-drawn floor.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.cli import run
from wakhan.cost import HighwayModel
from wakhan.cost.floodplain import floodplain_friction, floodplain_mask
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.plan import plan_route
from wakhan.plan.options import PlanOptions
from wakhan.plan.roads import road_friction
from wakhan.solve import least_cost_path

_spec = importlib.util.spec_from_file_location("oracle", Path(__file__).with_name("test_solve_oracle.py"))
assert _spec is not None and _spec.loader is not None
oracle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracle)

ROWS, COLS, STREAM_ROW = 21, 41, 12
FLOOR = slice(9, 15)  # rows 9-14
BENCH = slice(4, 9)  # rows 4-8
CELL_M = 1000.0
TRANSFORM = Affine(CELL_M, 0, 500_000, 0, -CELL_M, 4_100_000)


def _valley() -> Grid:
    rows, cols = np.mgrid[0:ROWS, 0:COLS].astype(np.float64)
    d = rows - STREAM_ROW
    across = np.select(
        [rows >= 15, rows >= 9, rows >= 4],
        [2.0 + 300.0 * (rows - 14), 1.0 * np.abs(d), 20.0 + 0.1 * (8 - rows)],
        20.4 + 300.0 * (4 - rows),  # north wall, rows 0-3
    )
    z = 1000.0 - 0.1 * cols + across
    z[:, 0] += 500.0  # the head
    outlet = z[STREAM_ROW, -1]
    z[:, -1] += 500.0
    z[STREAM_ROW, -1] = outlet  # the stream's only way out
    return Grid(z.astype(np.float32), TRANSFORM, "EPSG:32643")


def _hand_floor() -> np.ndarray:
    """The floodplain by hand: the floor rows between the raised heads, and the stream's outlet."""
    expect = np.zeros((ROWS, COLS), bool)
    expect[FLOOR, 1:-1] = True
    expect[STREAM_ROW, -1] = True
    return expect


def test_floor_is_floodplain_and_bench_and_walls_are_not():
    # 19 km2 a column (rows 1-19; rows 0 and 20 are edge outlets) drain into the stream row within 11 columns
    # (D8 moves at most one column east a row), so it passes 100 km2 (19 x 6 = 114) by column 6 + 11 = 17; a floor
    # cell lies at most 3 m + 0.1 m a column (column 1 to 17) = 4.6 m above the stream cell it drains to, the
    # bench 20 m and the walls 300 m or more
    mask = floodplain_mask(_valley())
    assert mask.tolist() == _hand_floor().tolist()
    assert not mask[BENCH].any()


def test_thresholds_move_the_floodplain():
    g = _valley()
    # 861 km2 in all: no stream drains 1,000 km2
    assert not floodplain_mask(g, min_catchment_km2=1000.0).any()
    # 25 m above the stream takes the bench (20-20.4 m, plus at most 1.6 m of fall to the stream's start) too
    wide = floodplain_mask(g, max_hand_m=25.0)
    assert wide[BENCH, 1:-1].all() and wide[FLOOR, 1:-1].all() and not wide[:4].any()
    # 0.1 m: only the stream itself (its cells are their own drain), from where it passes 100 km2 (not before
    # column 6: 19 x 5 = 95 km2 lie west of it; by column 17, above) to the outlet
    thin = floodplain_mask(g, max_hand_m=0.1)
    assert np.flatnonzero(thin.any(axis=1)).tolist() == [STREAM_ROW]
    cols = np.flatnonzero(thin[STREAM_ROW])
    assert cols.tolist() == list(range(cols[0], COLS)) and 6 <= cols[0] <= 17


def test_friction_is_one_plus_weight_on_the_floodplain_and_multiplies_road_friction():
    f = floodplain_friction(np.array([[True, False, True]]), 4.0)
    assert f.tolist() == [[5.0, 1.0, 5.0]]
    both = road_friction(np.array([[True, True, False]])) * f
    assert both.tolist() == [[1.25, 0.25, 5.0]]  # a road on the floodplain: 0.25 x 5


def _leg(weight: float):
    g = _valley()
    friction = floodplain_friction(floodplain_mask(g), weight) if weight else None
    return least_cost_path(g, HighwayModel(), (STREAM_ROW, 8), (STREAM_ROW, 36), neighbours=16, friction=friction)


def test_route_leaves_the_floor_for_the_bench_and_matches_the_networkx_oracle():
    model = HighwayModel()
    z = np.asarray(_valley().array, dtype=np.float64)
    off, on = _leg(0.0), _leg(4.0)
    # off: the straight line down the floor (any other line is longer and no gentler)
    assert set(off.rows.tolist()) == {STREAM_ROW}
    # on (floor 5x): 28 km of floor cost 140 km; up 4 km to the bench, along it, down again costs ~36 km
    on_bench = (on.rows >= BENCH.start) & (on.rows < BENCH.stop)
    assert on_bench.sum() >= 0.6 * len(on.rows) and not ((on.rows < BENCH.start) | (on.rows >= FLOOR.stop)).any()
    for path, weight in ((off, 0.0), (on, 4.0)):
        friction = np.where(_hand_floor(), 1.0 + weight, 1.0)  # the hand-drawn floor, not the code's mask
        graph = oracle.oracle_graph(z, CELL_M, CELL_M, model, 16, friction=friction)
        best = nx.dijkstra_path_length(graph, (STREAM_ROW, 8), (STREAM_ROW, 36), weight="weight")
        assert path.total_cost == pytest.approx(best, rel=1e-9)


def _lonlat(rc):
    x, y = TRANSFORM @ (rc[1] + 0.5, rc[0] + 0.5)
    lon, lat = Transformer.from_crs("EPSG:32643", "EPSG:4326", always_xy=True).transform(x, y)
    return f"{lat:.6f},{lon:.6f}"


def test_plan_route_floodplain_weight_is_off_by_default_and_noted_when_on():
    ends = [_lonlat((STREAM_ROW, 8)), _lonlat((STREAM_ROW, 36))]
    default = plan_route(ends, dem=_valley(), places=None)
    zero = plan_route(ends, dem=_valley(), places=None, floodplain_weight=0.0)
    on = plan_route(ends, dem=_valley(), places=None, floodplain_weight=4.0)
    assert default.summary.to_dict() == zero.summary.to_dict()
    assert not any("floodplain" in n for n in default.summary.to_dict()["notes"])
    assert any(
        n.startswith("floodplain term: 235 cells (235.0 km2)") for n in on.summary.to_dict()["notes"]
    )  # 6 x 39 + 1
    rows_on = np.concatenate([p.rows for p in on.paths])
    assert ((rows_on >= BENCH.start) & (rows_on < BENCH.stop)).mean() >= 0.6


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "1"])
def test_bad_floodplain_weight_is_refused(value):
    with pytest.raises(InputError, match="--floodplain"):
        PlanOptions(floodplain_weight=value)


def test_floodplain_on_a_walking_route_is_refused():
    with pytest.raises(InputError, match="highway model only"):
        PlanOptions(model="walking", floodplain_weight=1.0)


@pytest.mark.parametrize(
    "value, message", [("-1", "--floodplain -1"), ("lots", "--floodplain"), ("inf", "--floodplain")]
)
def test_bad_floodplain_weight_exits_2_at_parse_time(capsys, value, message):
    assert run(["route", "kashgar", "tashkurgan", "--floodplain", value]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
