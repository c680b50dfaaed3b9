"""Numba: the cost of each step of a given path, priced as the searches price it.

The searches keep only each cell's accumulated cost; a path's own step costs (for its
profile, its cost split by leg, or the float64 cost of a route found on float32 labels)
are priced again here with the same edge cost, earthworks term and friction.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from wakhan.cost.kinds import N_PARAMS
from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve._intrinsics import fixed_tuple
from wakhan.solve.earthworks import cell_gradient, with_earthworks
from wakhan.solve.edges import edge_cost

__all__ = ["path_step_costs"]


def path_step_costs(inp, cells):
    """Cost of each step ``cells[i] -> cells[i+1]`` of a path (:func:`~wakhan.solve.edges.edge_cost`, as the searches).

    Every step must be one of the moves ``inp.off_r/off_c``; the grade limit is
    not checked here, and the query fields of ``inp`` are not read. The earthworks
    term is added after :func:`~wakhan.solve.edges.edge_cost`, as the searches add it
    (:func:`~wakhan.solve.earthworks.with_earthworks`).

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve.graph import _as_graph, search_input
    >>> g = _as_graph(np.zeros((1, 3)), 8, None, None, (10.0, 10.0), False)
    >>> path_step_costs(search_input(g, IsotropicModel(), np.array([0])), np.array([0, 1, 2])).tolist()
    [10.0, 10.0]
    """
    return _path_step_costs(inp, np.ascontiguousarray(cells, dtype=np.int64))


@njit(cache=True, nogil=True)
def _path_step_costs(inp, cells):
    """:func:`path_step_costs`'s kernel."""
    friction, nrows, ncols, off_r, off_c = inp.friction, inp.nrows, inp.ncols, inp.off_r, inp.off_c
    side_g, side_px, side_py = inp.side_g, inp.side_px, inp.side_py
    use_f = friction.size > 0
    use_ew = side_px.size > 0
    stored = side_g.size > 0
    hm_step4, hm_w4 = inp.hm_step4, inp.hm_w4
    params = fixed_tuple(inp.params, N_PARAMS)
    out = np.empty(max(cells.size - 1, 0), dtype=np.float64)
    for i in range(cells.size - 1):
        a = cells[i]
        b = cells[i + 1]
        ar = a // ncols
        br = b // ncols
        dr = br - ar
        dc = (b - br * ncols) - (a - ar * ncols)
        k = 0
        while off_r[k] != dr or off_c[k] != dc:
            k += 1
        w = edge_cost(inp.z, a, b, k, inp.off_len, inp.hm_ptr, hm_step4, hm_w4, inp.kind, params, np.inf, False)
        if use_ew:  # as the searches add it
            if stored:
                gxu, gyu = np.float64(side_g[2 * a]), np.float64(side_g[2 * a + 1])
                gxv, gyv = np.float64(side_g[2 * b]), np.float64(side_g[2 * b + 1])
            else:
                gxu, gyu = cell_gradient(inp.z, ar, a - ar * ncols, nrows, ncols, inp.dx, inp.dy)
                gxv, gyv = cell_gradient(inp.z, br, b - br * ncols, nrows, ncols, inp.dx, inp.dy)
            w = with_earthworks(w, inp.off_len[k], params, gxu, gyu, gxv, gyv, side_px[k], side_py[k])
        if use_f:
            w *= 0.5 * (friction[a] + friction[b])
        out[i] = w
    return out
