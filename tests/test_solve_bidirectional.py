"""The point-to-point search run from both ends at once, against networkx and the one-way search.

networkx's Dijkstra on the oracle graph of :mod:`test_solve_oracle` (built edge by
edge from the cost models' documented formulae, up- and downhill priced apart) is
the reference; the one-way A* search (``bidirectional=False``) is the peer. Costs
agree to rounding; paths are compared where the optimum is unique (continuous
random terrain).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_solve_oracle import FAST, MOVES, models, oracle_graph, terrains, two_open_cells

from wakhan.cost import HighwayModel
from wakhan.errors import RouteError
from wakhan.interrupt import thread_budget
from wakhan.solve import accumulate, bidirectional, least_cost_path
from wakhan.solve.graph import _as_graph


@FAST
@given(terrains(), models, st.sampled_from([8, 16, 32]))
def test_both_ends_search_equals_networkx_and_the_one_way_search(terrain, model, neighbours):
    z, dx, dy, barrier, friction, rng = terrain
    ends = two_open_cells(z, barrier, rng)
    if ends is None:
        return
    start, goal = ends
    kw = dict(neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy))
    graph = oracle_graph(z, dx, dy, model, neighbours, barrier, friction)
    try:
        best = nx.dijkstra_path_length(graph, start, goal)
    except nx.NetworkXNoPath:
        with pytest.raises(RouteError) as both:
            least_cost_path(z, model, start, goal, bidirectional=True, **kw)
        with pytest.raises(RouteError) as one:
            least_cost_path(z, model, start, goal, bidirectional=False, **kw)
        assert str(both.value) == str(one.value)
        return
    path = least_cost_path(z, model, start, goal, bidirectional=True, **kw)
    one_way = least_cost_path(z, model, start, goal, bidirectional=False, **kw)
    assert path.total_cost == pytest.approx(best, rel=1e-9)
    assert path.total_cost == pytest.approx(one_way.total_cost, rel=1e-9)
    assert path.step_cost.sum() == pytest.approx(best, rel=1e-9)
    assert (path.rows[0], path.cols[0]) == start and (path.rows[-1], path.cols[-1]) == goal
    if np.array_equal(path.rows, one_way.rows) and np.array_equal(path.cols, one_way.cols):
        assert path.total_cost == one_way.total_cost  # summed from the start either way: the same bits
    for k in range(len(path) - 1):
        assert (path.rows[k + 1] - path.rows[k], path.cols[k + 1] - path.cols[k]) in MOVES[neighbours]
        assert graph.has_edge((path.rows[k], path.cols[k]), (path.rows[k + 1], path.cols[k + 1]))


def rough_valley(nrows, ncols, seed):
    """A tilted valley with random relief (m): continuous values, so the optimum is unique."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:nrows, 0:ncols]
    return 2000.0 + 4.0 * cols + 0.05 * (rows - nrows / 2) ** 2 + rng.uniform(0, 15, (nrows, ncols))


@pytest.mark.parametrize("seed", [1, 2])
def test_on_a_larger_grid_the_searches_meet_early_with_the_one_way_path(seed):
    # large enough that each search outlasts a scheduler's time slice on a busy machine: the stopping
    # rule needs both threads running (a search of the 120 x 160 grid this test used took ~6 ms)
    nrows, ncols = 240, 320
    z = rough_valley(nrows, ncols, seed)
    model = HighwayModel(uphill_weight=2.0, downhill_weight=0.5)
    start, goal = (140, 80), (100, 240)
    kw = dict(neighbours=16, cell_size_m=(90.0, 90.0))
    g = _as_graph(z, 16, None, None, (90.0, 90.0), True)
    total, meet, cost_f, _, cost_b, _, settled = bidirectional.search_pair(
        g, model, start[0] * ncols + start[1], goal[0] * ncols + goal[1]
    )
    full_f = accumulate(z, model, start, **kw)
    full_b = accumulate(z, model, goal, reverse=True, **kw)
    assert total == pytest.approx(full_f.cost[goal], rel=1e-12)
    assert total == pytest.approx(full_b.cost[start], rel=1e-12)  # the reverse graph prices each edge as forward
    # the stopping rule ended both searches long before either had labelled the whole grid
    assert meet >= 0 and settled < full_f.settled
    assert np.isfinite(cost_f).sum() < 0.75 * z.size and np.isfinite(cost_b).sum() < 0.75 * z.size
    # a label is the cost of a real path, never under the distance; at the meeting cell both are exact
    for cost, full in ((cost_f, full_f.cost.ravel()), (cost_b, full_b.cost.ravel())):
        seen = np.isfinite(cost)
        assert np.all(cost[seen] >= full[seen] * (1 - 1e-12))
        assert cost[meet] == pytest.approx(full[meet], rel=1e-12)
    path = least_cost_path(z, model, start, goal, bidirectional=True, **kw)
    one_way = least_cost_path(z, model, start, goal, bidirectional=False, **kw)
    np.testing.assert_array_equal(path.rows, one_way.rows)
    np.testing.assert_array_equal(path.cols, one_way.cols)
    assert path.total_cost == one_way.total_cost
    back = least_cost_path(z, model, goal, start, **kw)  # uphill and downhill swap: another optimum
    assert back.total_cost == pytest.approx(accumulate(z, model, goal, **kw).cost[start], rel=1e-12)
    assert back.total_cost != pytest.approx(path.total_cost, rel=1e-3)


@pytest.mark.parametrize("limit", ["one thread", "memory for one search"])
def test_with_one_thread_or_little_memory_the_one_way_search_runs(monkeypatch, limit):
    def refuse(*args):
        raise AssertionError(f"the bidirectional search ran with {limit}")

    monkeypatch.setattr(bidirectional, "search_pair", refuse)
    z = rough_valley(20, 30, 3)
    # 600 cells x 16 B = 9.4 kB a search: 15 kB allows one search, not two, in half of it
    monkeypatch.setenv("WAKHAN_MEMORY_GB", "24" if limit == "one thread" else str(15_000 / 2**30))
    with thread_budget(1 if limit == "one thread" else 2):
        path = least_cost_path(z, HighwayModel(), (2, 2), (17, 27), neighbours=16, cell_size_m=(90.0, 90.0))
    want = accumulate(z, HighwayModel(), (2, 2), neighbours=16, cell_size_m=(90.0, 90.0)).cost[17, 27]
    assert path.total_cost == pytest.approx(want, rel=1e-12)


def test_meeting_cell_is_the_argmin_of_the_sum_across_chunks():
    rng = np.random.default_rng(5)
    f, b = rng.uniform(0, 100, 1000), rng.uniform(0, 100, 1000)
    f[rng.random(1000) < 0.3] = np.inf
    want = int(np.argmin(f + b))
    assert bidirectional._meeting_cell(f, b, chunk=7) == (f[want] + b[want], want)
    assert bidirectional._meeting_cell(np.full(9, np.inf), np.zeros(9), chunk=4) == (np.inf, -1)
