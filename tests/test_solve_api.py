"""The solver's wrapper: scikit-image agreement, georeferencing, errors a user can act on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage.graph import MCP_Geometric

from wakhan.cost import HighwayModel, IsotropicModel, WalkingModel
from wakhan.errors import InputError, RouteError
from wakhan.grid import Grid
from wakhan.solve import (
    SOURCE,
    UNREACHED,
    accumulate,
    corridor,
    gentlest_crossing_pct,
    least_cost_path,
    neighbour_offsets,
    trace,
)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 40),
    st.integers(2, 40),
    st.integers(0, 2**31),
    st.sampled_from([1.0, 30.0, 92.5]),
    st.sampled_from([1.0, 30.0, 61.0]),
)
def test_isotropic_8_neighbours_equals_skimage_mcp_geometric(nrows, ncols, seed, dx, dy):
    rng = np.random.default_rng(seed)
    costs = rng.uniform(0.1, 10.0, (nrows, ncols))
    start = (int(rng.integers(nrows)), int(rng.integers(ncols)))
    mcp = MCP_Geometric(costs, fully_connected=True, sampling=(dy, dx))
    want, _ = mcp.find_costs([start])
    dem = np.zeros((nrows, ncols))
    acc = accumulate(dem, IsotropicModel(), start, friction=costs, cell_size_m=(dx, dy))
    np.testing.assert_allclose(acc.cost, want, rtol=1e-9)
    goal = (nrows - 1 - start[0], ncols - 1 - start[1])
    path = least_cost_path(dem, IsotropicModel(), start, goal, friction=costs, cell_size_m=(dx, dy))
    assert path.total_cost == pytest.approx(want[goal], rel=1e-9)
    # skimage's own traceback costs the same.
    route = np.array(mcp.traceback(goal))
    steps = np.diff(route, axis=0)
    lengths = np.hypot(steps[:, 0] * dy, steps[:, 1] * dx)
    sk_total = (lengths * (costs[tuple(route[:-1].T)] + costs[tuple(route[1:].T)]) / 2).sum()
    assert sk_total == pytest.approx(path.total_cost, rel=1e-9)


def test_neighbourhoods_and_crossed_cells():
    for n in (8, 16, 32):
        moves, crossed = neighbour_offsets(n)
        assert len(moves) == len(set(moves)) == n
    moves, crossed = neighbour_offsets(32)
    got = dict(zip(moves, crossed))
    assert got[(1, 1)] == [] and got[(1, 2)] == [(0, 1), (1, 1)]
    assert got[(1, 3)] == [(0, 1), (1, 2)]  # passes a corner exactly
    assert got[(2, 3)] == [(0, 1), (1, 1), (1, 2), (2, 2)]


def test_knight_move_sees_its_gentler_grade():
    # A ramp rising 10 m per row on 10 m cells: 100 % straight up, 45 % by knight move (1 up, 2 across:
    # 10 m over hypot(10, 20) = 22.4 m), 31.6 % by the (1, 3) move.
    z = np.repeat(np.arange(6, dtype=float)[:, None] * 10, 12, axis=1)
    model = HighwayModel(max_grade_pct=50, design_grade_pct=50)  # no switchbacks: the old hard limit
    with pytest.raises(RouteError, match="gentlest crossing needs 70.7 %"):
        least_cost_path(z, model, (0, 0), (5, 0), neighbours=8, cell_size_m=(10, 10))
    path = least_cost_path(z, model, (0, 0), (5, 10), neighbours=16, cell_size_m=(10, 10))
    assert set(np.abs(np.diff(path.rows))) == {1} and set(np.abs(np.diff(path.cols))) == {2}
    assert gentlest_crossing_pct(z, (0, 0), (5, 11), neighbours=32, cell_size_m=(10, 10)) == pytest.approx(
        100 * 10 / math.hypot(10, 30)
    )


def test_anisotropy_up_costs_more_than_down_and_corridor_uses_reverse_graph():
    z = np.tile(np.arange(20, dtype=float) * 5, (3, 1))  # rising west -> east, 5 m per 100 m cell
    model = HighwayModel(uphill_weight=2.0, downhill_weight=0.1, altitude_surcharge=0)
    kw = dict(cell_size_m=(100, 100))
    up = least_cost_path(z, model, (1, 0), (1, 19), **kw).total_cost
    down = least_cost_path(z, model, (1, 19), (1, 0), **kw).total_cost
    assert up == pytest.approx(1900 * (1 + 2.0 * (5 / 8) ** 2))
    assert down == pytest.approx(1900 * (1 + 0.1 * (5 / 8) ** 2))
    cor = corridor(z, model, (1, 0), (1, 19), within_pct=0, **kw)
    assert cor.optimum == pytest.approx(up) and cor.mask[1].all()


def test_altitude_surcharge_pushes_route_below_threshold():
    z = np.full((5, 9), 3900.0)
    z[1:4, 4] = 4200.0  # a high block in the middle; go around it via row 0 or 4
    model = HighwayModel(max_grade_pct=100, altitude_surcharge=5.0, grade_scale_pct=1e6)
    path = least_cost_path(z, model, (2, 0), (2, 8), cell_size_m=(10_000, 10_000))
    assert (z[path.rows, path.cols] < 4000).all()


def test_grid_input_gives_map_coordinates():
    t = Affine(90.0, 0, 500000.0, 0, -30.0, 4100000.0)  # dx 90 m, dy 30 m
    z = np.random.default_rng(3).uniform(0, 5, (20, 30)).astype(np.float32)
    grid = Grid(z, t, "EPSG:32643")
    path = least_cost_path(grid, WalkingModel(), (0, 0), (19, 29))
    x, y = grid.xy(path.rows, path.cols)
    np.testing.assert_array_equal(path.x, x)
    np.testing.assert_array_equal(path.y, y)
    assert path.cost_unit == "s" and path.rows.dtype == np.int64
    plain = least_cost_path(z, WalkingModel(), (0, 0), (19, 29), cell_size_m=(90, 30))
    assert plain.total_cost == path.total_cost
    acc = accumulate(grid, WalkingModel(), [(0, 0), (19, 0)])
    assert acc.backlink[0, 0] == SOURCE and acc.cost[19, 0] == 0
    assert trace(acc, (19, 29)).total_cost == pytest.approx(acc.cost[19, 29])


def test_geographic_grid_is_refused():
    grid = Grid(np.zeros((3, 3), np.float32), Affine(0.1, 0, 70, 0, -0.1, 38), "EPSG:4326")
    with pytest.raises(InputError, match="metric CRS"):
        accumulate(grid, HighwayModel(), (0, 0))


def _ridge():
    z = np.zeros((7, 7))
    z[:, 3] = 1000.0  # a wall in the middle column, 10 m cells
    return z


def test_unreachable_by_grade_names_limit_and_gentlest_crossing():
    with pytest.raises(RouteError, match=r"12 % grade limit; the gentlest crossing needs 7071.1 %") as e:
        least_cost_path(_ridge(), HighwayModel(max_grade_pct=12), (3, 0), (3, 6), cell_size_m=(10, 10))
    # one sentence: a single line that ends in a full stop and starts with the problem
    msg = str(e.value)
    assert "\n" not in msg and msg.endswith(".") and msg.count(". ") == 0, msg
    with pytest.raises(RouteError, match="grade limit"):
        corridor(_ridge(), HighwayModel(), (3, 0), (3, 6), cell_size_m=(10, 10))


def test_unreachable_by_barrier_and_by_nodata():
    z = np.zeros((6, 6))
    barrier = np.zeros(z.shape, bool)
    barrier[:, 2] = True
    with pytest.raises(RouteError, match="barrier mask separates"):
        least_cost_path(z, HighwayModel(), (0, 0), (0, 5), barrier=barrier, cell_size_m=(10, 10))
    # Knight moves may not jump the barrier either.
    with pytest.raises(RouteError, match="barrier"):
        least_cost_path(z, HighwayModel(), (0, 0), (0, 5), barrier=barrier, neighbours=32, cell_size_m=(10, 10))
    z[:, 2] = np.nan
    with pytest.raises(RouteError, match="nodata"):
        least_cost_path(z, IsotropicModel(), (0, 0), (0, 5), cell_size_m=(10, 10))
    acc = accumulate(z, IsotropicModel(), (0, 0), cell_size_m=(10, 10))
    assert np.isinf(acc.cost[:, 2:]).all() and (acc.backlink[:, 2:] == UNREACHED).all()
    with pytest.raises(RouteError, match="not reachable"):
        trace(acc, (0, 5))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(friction=np.full((4, 4), np.nan)), "friction holds NaN"),
        (dict(friction=-np.ones((4, 4))), "finite and positive"),
        (dict(friction=np.ones((3, 4))), "friction shape"),
        (dict(barrier=np.ones((4, 5), bool)), "barrier shape"),
        (dict(barrier=np.ones((4, 4))), "boolean"),
        (dict(barrier=np.ones((4, 4), bool)), "nothing is passable"),
        (dict(neighbours=12), "8, 16 or 32"),
    ],
)
def test_bad_inputs_raise_one_sentence_input_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        accumulate(np.zeros((4, 4)), HighwayModel(), (0, 0), cell_size_m=(10, 10), **kwargs)


def test_bad_cells_and_dem():
    z = np.zeros((4, 4))
    z[1, 1] = np.nan
    barrier = np.zeros((4, 4), bool)
    barrier[2, 2] = True
    kw = dict(cell_size_m=(10, 10), barrier=barrier)
    with pytest.raises(InputError, match="outside the 4 x 4 grid"):
        least_cost_path(z, HighwayModel(), (0, 0), (4, 0), **kw)
    with pytest.raises(InputError, match="nodata"):
        least_cost_path(z, HighwayModel(), (1, 1), (3, 3), **kw)
    with pytest.raises(InputError, match="on the barrier"):
        accumulate(z, HighwayModel(), [(0, 0), (2, 2)], **kw)
    with pytest.raises(InputError, match="cell_size_m"):
        accumulate(z, HighwayModel(), (0, 0))
    with pytest.raises(InputError, match="positive metres"):
        accumulate(z, HighwayModel(), (0, 0), cell_size_m=(0, 10))
    with pytest.raises(InputError, match="2-D"):
        accumulate(np.zeros(5), HighwayModel(), (0, 0), cell_size_m=10)
    with pytest.raises(InputError, match="not a wakhan cost model"):
        accumulate(z, "highway", (0, 0), cell_size_m=10)
    with pytest.raises(InputError, match="within_pct"):
        corridor(z, HighwayModel(), (0, 0), (3, 3), within_pct=-1, cell_size_m=10)


def test_start_equals_goal_is_a_one_cell_path():
    path = least_cost_path(np.zeros((3, 3)), HighwayModel(), (1, 1), (1, 1), cell_size_m=10)
    assert len(path) == 1 and path.total_cost == 0 and path.step_cost.size == 0
