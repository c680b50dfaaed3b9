"""One accumulation on two threads (:mod:`wakhan.solve.parallel`) against the one-thread search and networkx.

The one-thread bucket search is the peer: costs must be the same bits. Backlinks may differ only
where two moves give a cell the same cost, so every backlink of the two-thread result is checked
to be such a move (the costs of each traced path, summed from its source in order, give the
cell's cost bit for bit). networkx's Dijkstra on the oracle graph of :mod:`test_solve_oracle`
(built edge by edge from the cost models' documented formulae) is the independent reference.
"""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_solve_oracle import FAST, models, oracle_graph

from wakhan.cost import HighwayModel, IsotropicModel, WalkingModel
from wakhan.errors import InputError
from wakhan.interrupt import thread_budget
from wakhan.solve import accumulate, parallel, search
from wakhan.solve.graph import _as_graph, search_input
from wakhan.solve.kernels import UNREACHED
from wakhan.solve.path_costs import path_step_costs
from wakhan.solve.results import _trace_cells


@pytest.fixture
def calls(monkeypatch):
    """Counts the two-thread searches run (so a test knows the two-thread path was taken)."""
    seen = []
    real = parallel.accumulate_two

    def spy(*args):
        out = real(*args)
        seen.append(out[1])
        return out

    monkeypatch.setattr(parallel, "accumulate_two", spy)
    return seen


def fractal(nrows, ncols, seed, relief_m=150.0):
    """A spectral-synthesis surface (m) with continuous values (exact ties are rare)."""
    rng = np.random.default_rng(seed)
    ky, kx = np.fft.fftfreq(nrows)[:, None], np.fft.rfftfreq(ncols)[None, :]
    k = np.hypot(kx, ky)
    k[0, 0] = 1.0
    spec = (rng.standard_normal(k.shape) + 1j * rng.standard_normal(k.shape)) * k**-1.2
    spec[0, 0] = 0
    z = np.fft.irfft2(spec, s=(nrows, ncols))
    return 3000.0 + relief_m * (z - z.min()) / (z.max() - z.min())


def assert_same_but_ties(z, model, one, two, kw):
    """Backlinks equal, but where both moves give the cell its cost exactly (a tie)."""
    np.testing.assert_array_equal(two.backlink == UNREACHED, one.backlink == UNREACHED)
    g = _as_graph(z, kw["neighbours"], kw["barrier"], kw["friction"], kw["cell_size_m"], True)
    inp = search_input(g, model, np.array([0]))
    step = g.off_r * g.shape[1] + g.off_c
    cost = one.cost.ravel()
    for v in np.flatnonzero(two.backlink.ravel() != one.backlink.ravel()):
        for k in (one.backlink.ravel()[v], two.backlink.ravel()[v]):
            u = v - step[k]
            move = [v, u] if kw["reverse"] else [u, v]  # the reverse search prices v -> u from u
            assert cost[u] + path_step_costs(inp, np.array(move))[0] == cost[v]
    return int((two.backlink != one.backlink).sum())


def check_backlinks(z, model, acc, neighbours, barrier, friction, cell, rng, targets=25):
    """Each traced path's costs, summed in order from its source, give the target's cost bit for bit."""
    g = _as_graph(z, neighbours, barrier, friction, cell, True)
    inp = search_input(g, model, np.array([0]))
    reached = np.flatnonzero(acc.backlink.ravel() != UNREACHED)
    for target in rng.choice(reached, size=min(targets, reached.size), replace=False):
        cells = _trace_cells(acc.backlink, g, int(target))[::-1]
        total = np.cumsum(path_step_costs(inp, cells))[-1] if cells.size > 1 else 0.0
        assert total == acc.cost.ravel()[target]


CASES = [
    # model, neighbours, sources, reverse, void, barrier, friction
    (HighwayModel(), 16, [(45, 40)], False, False, False, False),
    (HighwayModel(), 16, [(3, 5)], False, True, True, False),
    (HighwayModel(max_grade_pct=25.0), 16, [(70, 10), (20, 60)], False, True, False, True),
    (HighwayModel(earthworks_weight=0.0), 32, [(50, 77)], False, False, True, False),
    (HighwayModel(), 8, [(89, 0)], True, True, False, False),
    (WalkingModel(), 16, [(48, 40)], False, True, True, True),
    (WalkingModel(), 32, [(10, 20)], True, False, False, False),
    (IsotropicModel(max_grade_pct=20.0), 16, [(60, 30)], False, False, False, True),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_two_threads_give_the_one_thread_costs_bit_for_bit(case, calls):
    model, neighbours, sources, reverse, void, barrier, friction = CASES[case]
    rng = np.random.default_rng(case)
    z = fractal(90, 80, case)
    if void:
        z[30:42, 20:50] = np.nan
    wall = None
    if barrier:
        wall = np.zeros(z.shape, dtype=bool)
        wall[44:47, 5:70] = True  # along the split, with a gap at each end: paths cross it round the ends
    fr = rng.uniform(0.5, 3.0, z.shape) if friction else None
    kw = dict(neighbours=neighbours, barrier=wall, friction=fr, cell_size_m=(90.0, 70.0), reverse=reverse)
    one = accumulate(z, model, sources, **kw)
    two = accumulate(z, model, sources, threads=2, **kw)
    assert len(calls) == 1
    assert np.isfinite(one.cost).sum() > 0.5 * z.size
    np.testing.assert_array_equal(two.cost, one.cost)
    assert assert_same_but_ties(z, model, one, two, kw) < 0.01 * z.size
    if not reverse:
        check_backlinks(z, model, two, neighbours, wall, fr, (90.0, 70.0), rng)


def test_on_a_level_grid_ties_abound_and_costs_still_agree_bit_for_bit(calls):
    # every cell's cost is reached by many equal-cost paths; the threads may keep other (equally cheap) moves
    z = np.full((40, 30), 3000.0)
    model = IsotropicModel(max_grade_pct=20.0)  # graded: runs the general loop
    one = accumulate(z, model, (21, 7), neighbours=16, cell_size_m=(30.0, 30.0))
    two = accumulate(z, model, (21, 7), neighbours=16, cell_size_m=(30.0, 30.0), threads=2)
    assert len(calls) == 1
    np.testing.assert_array_equal(two.cost, one.cost)
    check_backlinks(z, model, two, 16, None, None, (30.0, 30.0), np.random.default_rng(0), targets=200)


@pytest.mark.parametrize("window", [1, 16, 100_000])
def test_paths_that_cross_the_split_many_times_are_settled_again_until_exact(window, monkeypatch):
    # a valley that winds across the split row: its cells are reached through both bands in turn
    nrows, ncols = 60, 200
    rows, cols = np.mgrid[0:nrows, 0:ncols]
    centre = nrows / 2 + 6 * np.sin(cols / 9.0)
    z = 2000.0 + 3.0 * (rows - centre) ** 2 + np.random.default_rng(1).uniform(0, 2, (nrows, ncols))
    model = HighwayModel(max_grade_pct=30.0)
    g = _as_graph(z, 16, None, None, (90.0, 90.0), True)
    inp = search_input(g, model, np.array([30 * ncols + 2]))
    delta, nbuckets, _ = search._bucket_plan(g, model, False)
    floor = float(model.min_cost_per_m) * g.fmin
    monkeypatch.setattr(parallel, "WINDOW", window)
    cost, back = np.full(z.size, np.inf), np.full(z.size, UNREACHED, dtype=np.int8)
    _, work = parallel.accumulate_two(inp, g.shape, delta, nbuckets, floor, cost, back)
    assert work["imported"] > 100  # labels crossed the split
    # every move costs at least a bucket's width: exchanged after each bucket, no label comes late
    assert (work["late"] == 0) if window == 1 else (work["late"] > 0)
    one = accumulate(z, model, (30, 2), neighbours=16, cell_size_m=(90.0, 90.0))
    np.testing.assert_array_equal(cost.reshape(z.shape), one.cost)
    kw = dict(neighbours=16, barrier=None, friction=None, cell_size_m=(90.0, 90.0), reverse=False)
    two = SimpleNamespace(cost=cost.reshape(z.shape), backlink=back.reshape(z.shape))
    assert_same_but_ties(z, model, one, two, kw)


@st.composite
def tall_terrains(draw):
    """Grids tall enough for two bands (the oracle's terrains are at most 7 x 7)."""
    nrows, ncols = draw(st.integers(14, 18)), draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    z = (
        rng.uniform(3800, 4200, (nrows, ncols))
        if draw(st.booleans())
        else rng.integers(0, 40, (nrows, ncols)).astype(float) * 10
    )
    z[rng.random((nrows, ncols)) < draw(st.sampled_from([0.0, 0.1, 0.25]))] = np.nan
    barrier = rng.random((nrows, ncols)) < draw(st.sampled_from([0.0, 0.15])) if draw(st.booleans()) else None
    friction = rng.uniform(0.5, 3.0, (nrows, ncols)) if draw(st.booleans()) else None
    dx, dy = draw(st.sampled_from([30.0, 92.6])), draw(st.sampled_from([30.0, 61.3]))
    return z, dx, dy, barrier, friction, rng


@FAST
@given(tall_terrains(), models, st.sampled_from([8, 16, 32]), st.booleans())
def test_two_thread_accumulation_equals_networkx_and_the_one_thread_search(terrain, model, neighbours, reverse):
    z, dx, dy, barrier, friction, rng = terrain
    ok = ~np.isnan(z) if barrier is None else ~np.isnan(z) & ~barrier
    cells = [tuple(map(int, rc)) for rc in np.argwhere(ok)]
    if not cells:
        return
    sources = [cells[i] for i in rng.choice(len(cells), size=min(len(cells), 2), replace=False)]
    kw = dict(neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy), reverse=reverse)
    two = accumulate(z, model, sources, threads=2, **kw)
    one = accumulate(z, model, sources, **kw)
    np.testing.assert_array_equal(two.cost, one.cost)
    graph = oracle_graph(z, dx, dy, model, neighbours, barrier, friction)
    want = nx.multi_source_dijkstra_path_length(graph.reverse(copy=False) if reverse else graph, set(sources))
    expected = np.full(z.shape, np.inf)
    for (r, c), d in want.items():
        expected[r, c] = d
    np.testing.assert_allclose(two.cost, expected, rtol=1e-9, atol=0)
    assert (two.backlink == UNREACHED).sum() == np.isinf(expected).sum()


def test_one_thread_allowed_or_a_grade_blind_model_runs_the_one_thread_search(calls):
    z = fractal(40, 30, 3)
    with thread_budget(1):
        acc = accumulate(z, HighwayModel(), (20, 15), neighbours=16, cell_size_m=(90.0, 90.0), threads=2)
    flat = accumulate(z, IsotropicModel(), (20, 15), neighbours=16, cell_size_m=(90.0, 90.0), threads=2)
    assert calls == []
    assert acc.cost[0, 0] > 0 and flat.cost[0, 0] > 0
    with pytest.raises(InputError, match="threads=3"):
        accumulate(z, HighwayModel(), (20, 15), cell_size_m=(90.0, 90.0), threads=3)
