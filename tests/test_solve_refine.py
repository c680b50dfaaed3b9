"""Certified coarse-to-fine routing against the networkx oracle on grids where the full solve fits.

The true optimum comes from networkx's Dijkstra on the oracle graph of
``test_solve_oracle`` (built edge by edge from the documented formulae), not
from the kernels; the certificate must bracket it: lower <= optimum <= upper.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_solve_oracle import FAST, models, oracle_graph, terrains, two_open_cells

from wakhan.cost import HighwayModel, IsotropicModel
from wakhan.errors import InputError, RouteError
from wakhan.solve.refine import certified_path, pair_bound


def _optimum(z, dx, dy, model, neighbours, barrier, friction, s, t):
    graph = oracle_graph(z, dx, dy, model, neighbours, barrier, friction)
    try:
        return nx.dijkstra_path_length(graph, s, t)
    except nx.NetworkXNoPath:
        return math.inf


@FAST
@given(terrains(max_side=12), models, st.sampled_from([8, 16]), st.integers(1, 3))
def test_certificate_brackets_the_true_optimum(terrain, model, neighbours, band):
    z, dx, dy, barrier, friction, rng = terrain
    ends = two_open_cells(z, barrier, rng)
    if ends is None:
        return
    s, t = ends
    best = _optimum(z, dx, dy, model, neighbours, barrier, friction, s, t)
    kw = {"neighbours": neighbours, "barrier": barrier, "friction": friction, "cell_size_m": (dx, dy)}
    if not math.isfinite(best):
        with pytest.raises(RouteError):
            certified_path(z, model, s, t, gap_pct=1e9, coarse_factor=2, band_cells=band, **kw)
        return
    # a huge tolerance returns the first band's result with whatever gap it proves
    path, cert = certified_path(z, model, s, t, gap_pct=1e9, coarse_factor=2, band_cells=band, max_rounds=1, **kw)
    assert cert.lower <= best * (1 + 1e-9)
    assert best <= cert.upper * (1 + 1e-9)
    assert path.total_cost == pytest.approx(cert.upper, rel=1e-12)
    assert path.step_cost.sum() == pytest.approx(cert.upper, rel=1e-9)
    want_gap = 100 * (cert.upper - cert.lower) / cert.upper if cert.upper > 0 else 0.0
    assert cert.gap_pct == pytest.approx(want_gap, abs=1e-9)
    assert (path.rows[0], path.cols[0]) == s and (path.rows[-1], path.cols[-1]) == t


def test_gentle_terrain_is_certified_inside_a_narrow_band():
    """A gently rolling 60 x 60 grid: the band (a small share of the grid) already proves <= 1 %."""
    yy, xx = np.mgrid[0:60, 0:60]
    z = 100 + 5 * np.sin(yy / 7.0) + 5 * np.cos(xx / 9.0)
    model = IsotropicModel(max_grade_pct=50)
    s, t = (3, 4), (55, 50)
    best = _optimum(z, 90.0, 90.0, model, 16, None, None, s, t)
    path, cert = certified_path(z, model, s, t, neighbours=16, cell_size_m=(90, 90), gap_pct=1.0)
    assert cert.band_cells > 0 and cert.band_share < 0.5  # solved inside the band, not the full grid
    assert cert.gap_pct <= 1.0
    assert cert.lower <= best * (1 + 1e-12) <= cert.upper * (1 + 1e-12)
    assert path.total_cost <= best * (1 + cert.gap_pct / 100) * (1 + 1e-12)


def test_a_gap_that_cannot_close_falls_back_to_the_exact_full_solve():
    """Steep terrain under a highway model: the straight-line floor outside the band is too weak."""
    rng = np.random.default_rng(5)
    z = 3000 + np.cumsum(rng.normal(0, 8, (40, 40)), axis=1)
    model = HighwayModel(max_grade_pct=30)
    s, t = (2, 2), (37, 36)
    best = _optimum(z, 90.0, 90.0, model, 8, None, None, s, t)
    path, cert = certified_path(z, model, s, t, neighbours=8, cell_size_m=(90, 90), gap_pct=0.01)
    assert cert.gap_pct == 0.0 and cert.lower == cert.upper
    assert path.total_cost == pytest.approx(best, rel=1e-9)


def test_pair_bound_equals_brute_force():
    rng = np.random.default_rng(2)
    for _ in range(20):
        n, m = rng.integers(1, 30, 2)
        fy, rx = np.sort(rng.uniform(0, 100, n)), np.sort(rng.uniform(0, 100, m))
        yr, yc, xr, xc = (rng.integers(0, 50, k) for k in (n, n, m, m))
        d = np.hypot((yr[:, None] - xr[None, :]) * 30.0, (yc[:, None] - xc[None, :]) * 20.0)
        want = min(150.0, float((fy[:, None] + 0.01 * d + rx[None, :]).min()))
        assert pair_bound(fy, yr, yc, rx, xr, xc, 20.0, 30.0, 0.01, 150.0) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("gap", [0, -1, float("nan"), float("inf")])
def test_gap_tolerance_must_be_positive(gap):
    z = np.zeros((5, 5))
    with pytest.raises(InputError, match="positive percentage"):
        certified_path(z, IsotropicModel(), (0, 0), (4, 4), cell_size_m=(1, 1), gap_pct=gap)


def test_coarse_dem_is_the_mean_of_each_blocks_passable_cells():
    """Strip-wise block means against a plain loop over the blocks (NaN where none is passable)."""
    from wakhan.solve.band import _coarse_dem
    from wakhan.solve.graph import _as_graph

    rng = np.random.default_rng(1)
    for shape, factor in [((37, 53), 4), ((100, 7), 3), ((5, 5), 8)]:
        z = rng.uniform(0, 100, shape).astype(np.float32)
        z[rng.random(shape) < 0.2] = np.nan
        barrier = rng.random(shape) < 0.1
        got = _coarse_dem(_as_graph(z, 8, barrier, None, (1, 1), True), z, factor)
        ok = ~np.isnan(z) & ~barrier
        want = np.full(got.shape, np.nan)
        for i in range(got.shape[0]):
            for j in range(got.shape[1]):
                block = (slice(i * factor, (i + 1) * factor), slice(j * factor, (j + 1) * factor))
                if ok[block].any():
                    want[i, j] = z[block][ok[block]].astype(np.float64).mean()
        np.testing.assert_allclose(got, want, rtol=1e-12)
