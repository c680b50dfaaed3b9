"""The search from both ends gives one path, run after run, where many paths tie (issue 18 item 3).

On flat ground, or on DEMs in whole metres (GEBCO, SRTM) where neighbours share an
elevation, many paths cost exactly the same. The two searches run on two threads,
so how far each has got when they stop depends on the scheduler; the path must not.
The grids here are built so that ties are everywhere (a constant elevation under the
isotropic model; whole-metre terraces under the highway model); each search is run
many times, and once with one search run to its end before the other starts (each
order; the threads replaced by one, so nothing in the search kernels changes).
networkx's Dijkstra on the oracle graph of :mod:`test_solve_oracle` (built edge by
edge from the cost models' documented formulae) gives the least cost.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from test_solve_oracle import oracle_graph

from wakhan.cost import HighwayModel, IsotropicModel
from wakhan.solve import accumulate, bidirectional, least_cost_path
from wakhan.solve.graph import _as_graph, _needs_z, search_input
from wakhan.solve.results import _trace_cells
from wakhan.solve.search import _bucket_plan

CELL_M = 30.0
RUNS = 30


def terraced(nrows, ncols, seed):
    """Whole metres (m), rising gently east: most neighbours share an elevation, a few are 1 m apart."""
    rng = np.random.default_rng(seed)
    cols = np.arange(ncols)[None, :]
    return np.floor(1000.0 + 0.05 * cols + rng.uniform(0.0, 0.8, (nrows, ncols)))


CASES = {
    "flat, isotropic, 16 neighbours": (np.full((60, 80), 3000.0), IsotropicModel(), 16),
    "flat, isotropic, 8 neighbours": (np.full((60, 80), 3000.0), IsotropicModel(), 8),
    "terraced, highway, 16 neighbours": (terraced(60, 80, 1), HighwayModel(), 16),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tied_paths_give_one_answer_every_run_at_the_least_cost(case):
    z, model, neighbours = CASES[case]
    start, goal = (3, 4), (z.shape[0] - 5, z.shape[1] - 3)
    kw = dict(neighbours=neighbours, cell_size_m=(CELL_M, CELL_M))
    paths = {}
    for _ in range(RUNS):
        path = least_cost_path(z, model, start, goal, bidirectional=True, **kw)
        paths.setdefault((path.rows.tobytes(), path.cols.tobytes()), path)
    assert len(paths) == 1, f"{len(paths)} different paths in {RUNS} runs"
    (path,) = paths.values()
    graph = oracle_graph(z, CELL_M, CELL_M, model, neighbours)
    best = nx.dijkstra_path_length(graph, start, goal)
    cells = list(zip(path.rows.tolist(), path.cols.tolist()))
    assert cells[0] == start and cells[-1] == goal
    assert all(graph.has_edge(a, b) for a, b in zip(cells, cells[1:]))
    along = sum(graph.edges[a, b]["weight"] for a, b in zip(cells, cells[1:]))
    assert along == pytest.approx(best, rel=1e-9)
    assert path.total_cost == pytest.approx(best, rel=1e-9)


@pytest.mark.parametrize("case", list(CASES))
def test_the_meeting_move_is_the_one_complete_searches_give(case):
    # the meeting is read from labels under a level both searches have passed, so running either
    # search further must not change it: from the two complete accumulations (every label final,
    # no stop at all) the seam gives the move the pair met at, bit for bit
    z, model, neighbours = CASES[case]
    start, goal = (3, 4), (z.shape[0] - 5, z.shape[1] - 3)
    kw = dict(neighbours=neighbours, cell_size_m=(CELL_M, CELL_M))
    g = _as_graph(z, neighbours, None, None, (CELL_M, CELL_M), _needs_z(model))
    s, t = start[0] * z.shape[1] + start[1], goal[0] * z.shape[1] + goal[1]
    total, meet, _, back_f, _, back_b, _ = bidirectional.search_pair(g, model, s, t)
    full_f = accumulate(z, model, start, **kw).cost.ravel()
    full_b = accumulate(z, model, goal, reverse=True, **kw).cost.ravel()
    delta = _bucket_plan(g, model, False)[0]
    whole, x, k = bidirectional._seam_join(
        search_input(g, model, np.array([s])), full_f, full_b, delta, (np.inf, np.inf), float(full_f[t])
    )
    assert (whole, x + int(g.off_r[k]) * z.shape[1] + int(g.off_c[k]), k) == (total, meet, back_f[meet])
    assert total == pytest.approx(full_f[t], rel=1e-12)
    # the ties are real: more cells lie on some least-cost path than on the one taken
    on_some = np.count_nonzero(full_f + full_b <= full_f[t] * (1 + 1e-12))
    taken = len(_trace_cells(back_f, g, meet)) + len(_trace_cells(back_b, g, meet)) - 1
    assert on_some > taken + 10


def one_after_the_other(order):
    """A stand-in for :func:`wakhan.interrupt.map_interruptible` that runs the jobs on this thread in ``order``:
    the most uneven timing there is (one search runs to its end before the other starts)."""

    def run_all(fn, items, *, workers=2):
        results = {}
        for i in order:
            try:
                results[i] = (fn(items[i]), None)
            except Exception as exc:  # returned, as map_interruptible does
                results[i] = (None, exc)
        return [results[i] for i in range(len(items))]

    return run_all


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["forward first", "backward first"])
@pytest.mark.parametrize("case", list(CASES))
def test_one_search_running_before_the_other_gives_the_same_path(monkeypatch, case, order):
    # the two threads' extremes: the forward (or backward) search alone until it stops, then the other;
    # the path must be the one the threads running together give
    z, model, neighbours = CASES[case]
    start, goal = (3, 4), (z.shape[0] - 5, z.shape[1] - 3)
    kw = dict(neighbours=neighbours, cell_size_m=(CELL_M, CELL_M), bidirectional=True)
    together = least_cost_path(z, model, start, goal, **kw)
    monkeypatch.setattr(bidirectional, "map_interruptible", one_after_the_other(order))
    apart = least_cost_path(z, model, start, goal, **kw)
    np.testing.assert_array_equal(apart.rows, together.rows)
    np.testing.assert_array_equal(apart.cols, together.cols)
    assert apart.total_cost == together.total_cost
