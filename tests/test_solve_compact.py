"""The float32 full-grid A* (wakhan.solve.compact) and its certified rounding bound, against independent optima.

The optimum comes from networkx's Dijkstra on the oracle graph of ``test_solve_oracle`` (built edge
by edge from the documented formulae, in float64), or from the float64 search where the grid is too
long for networkx to be quick; the certificate must bracket it: lower <= optimum <= upper.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from test_solve_oracle import FAST, models, oracle_graph, terrains, two_open_cells

from wakhan.cost import IsotropicModel
from wakhan.errors import RouteError
from wakhan.solve import least_cost_path
from wakhan.solve.compact import ROUND32, float32_astar, float32_lower_bound
from wakhan.solve.graph import _as_graph
from wakhan.solve.refine import certified_path


@FAST
@given(terrains(max_side=12), models)
def test_float32_full_grid_certificate_brackets_the_networkx_optimum(terrain, model):
    z, dx, dy, barrier, friction, rng = terrain
    ends = two_open_cells(z, barrier, rng)
    if ends is None:
        return
    s, t = ends
    kw = {"neighbours": 16, "barrier": barrier, "friction": friction, "cell_size_m": (dx, dy)}
    graph = oracle_graph(z, dx, dy, model, 16, barrier, friction)
    try:
        best = nx.dijkstra_path_length(graph, s, t)
    except nx.NetworkXNoPath:
        with pytest.raises(RouteError):
            certified_path(z, model, s, t, max_rounds=0, float32_costs=True, **kw)
        return
    path, cert = certified_path(z, model, s, t, max_rounds=0, float32_costs=True, **kw)
    assert cert.lower <= best * (1 + 1e-9) and best <= cert.upper * (1 + 1e-9)
    assert cert.gap_pct <= 1.0
    assert path.step_cost.sum() == pytest.approx(cert.upper, rel=1e-9)
    assert (path.rows[0], path.cols[0]) == s and (path.rows[-1], path.cols[-1]) == t
    g = _as_graph(z, 16, barrier, friction, (dx, dy), True)
    if float32_astar(g, model, 0, 1) is not None:  # the model suits the bucket queue: float32 was used
        assert "float32" in cert.method and cert.band_cells == -1


def test_rounding_that_really_happens_stays_inside_the_bound():
    """3,000 moves of 0.1 m: float32 sums drift from the float64 ones, the bound still holds them."""
    z = np.zeros((1, 3001))
    g = _as_graph(z, 8, None, None, (0.1, 0.1), False)
    model = IsotropicModel()
    cost, back, slack = float32_astar(g, model, 0, 3000)
    label = float(cost[3000])
    exact = least_cost_path(z, model, (0, 0), (0, 3000), cell_size_m=(0.1, 0.1), bidirectional=False).total_cost
    assert label != exact  # the rounding is real here
    assert math.fsum([0.1] * 3000) == pytest.approx(exact, rel=1e-12)
    low = float32_lower_bound(label, exact, g, model, slack)
    assert low <= exact <= label * (1 + 3000 * ROUND32)
    assert (exact - low) / exact <= 2 * 3000 * ROUND32 + 1e-12  # the stated size: about n * 2^-24
    path, cert = certified_path(z, model, (0, 0), (0, 3000), cell_size_m=(0.1, 0.1), max_rounds=0, float32_costs=True)
    assert cert.lower <= exact <= cert.upper and len(path) == 3001


def test_labels_too_large_for_the_slack_are_not_certified():
    g = _as_graph(np.zeros((3, 3)), 8, None, None, (10.0, 10.0), False)
    slack = 0.01
    too_big = slack / ROUND32  # a label whose rounding could exceed the bucket slack
    assert float32_lower_bound(too_big, too_big, g, IsotropicModel(), slack) is None
    assert float32_lower_bound(100.0, 100.0, g, IsotropicModel(), slack) is not None
