"""Numba kernel: label-setting search on an indexed binary heap (every algorithm of the solver).

The heap holds (key float64, cell int32) pairs (n slots, committed only as
used), ``pos`` (int32 per cell) is each cell's heap slot, ``-1`` never queued,
``-2`` settled. It runs the searches the bucket queue of :mod:`wakhan.solve.buckets`
cannot: the minimax grade (``MODE_MINIMAX``) and sums of costs whose edge costs
have no useful bounds. Input and edge pricing are those of :mod:`wakhan.solve.kernels`
and :mod:`wakhan.solve.edges`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve._intrinsics import fixed_tuple
from wakhan.solve.earthworks import cell_gradient, with_earthworks
from wakhan.solve.edges import edge_cost, edge_grade
from wakhan.solve.kernels import MODE_SUM, N_PARAMS, SOURCE, flat_steps

__all__ = ["search"]


@njit(cache=True, nogil=True)
def _sift_up(hkey, hidx, pos, i, key, cell):
    while i > 0:
        parent = (i - 1) >> 1
        pk = hkey[parent]
        if pk <= key:
            break
        pc = hidx[parent]
        hkey[i] = pk
        hidx[i] = pc
        pos[pc] = i
        i = parent
    hkey[i] = key
    hidx[i] = cell
    pos[cell] = i


@njit(cache=True, nogil=True)
def _sift_down(hkey, hidx, pos, size, key, cell):
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        ck = hkey[child]
        right = child + 1
        if right < size:
            rk = hkey[right]
            if rk < ck:
                child = right
                ck = rk
        if ck >= key:
            break
        cc = hidx[child]
        hkey[i] = ck
        hidx[i] = cc
        pos[cc] = i
        i = child
    hkey[i] = key
    hidx[i] = cell
    pos[cell] = i


@njit(cache=True, nogil=True)
def search(inp, cost, back):
    """Run one label-setting search on an indexed binary heap; fill ``cost`` and ``back`` in place.

    Parameters
    ----------
    inp : SearchInput
        Graph, cost model and query; ``inp.mode`` chooses the sum of costs or the minimax grade.
    cost : float64[:]
        Output, must be ``inf`` on entry.
    back : int8[:]
        Output, must be ``UNREACHED`` on entry; offset index that reached each cell.

    Returns
    -------
    int
        Number of cells settled.

    Examples
    --------
    A 1 x 3 row of flat 10 m cells, isotropic cost 1 per metre, from the west end:

    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve.graph import _as_graph, search_input
    >>> from wakhan.solve.kernels import UNREACHED
    >>> g = _as_graph(np.zeros((1, 3)), 8, None, None, (10.0, 10.0), False)
    >>> cost, back = np.full(3, np.inf), np.full(3, UNREACHED, dtype=np.int8)
    >>> int(search(search_input(g, IsotropicModel(), np.array([0])), cost, back))
    3
    >>> cost.tolist()
    [0.0, 10.0, 20.0]
    """
    z, passable, friction, nrows, ncols = inp.z, inp.passable, inp.friction, inp.nrows, inp.ncols
    off_r, off_c, off_len, mid_ptr, hm_ptr = inp.off_r, inp.off_c, inp.off_len, inp.mid_ptr, inp.hm_ptr
    kind, max_grade_pct, reverse = inp.kind, inp.max_grade_pct, inp.reverse
    params = fixed_tuple(inp.params, N_PARAMS)  # a tuple: no reference counting in the loop
    sources, goal, hfactor, dx, dy, mode = inp.sources, inp.goal, inp.hfactor, inp.dx, inp.dy, inp.mode
    n = nrows * ncols
    use_f = friction.size > 0
    noff = off_r.size
    step = flat_steps(ncols, off_r, off_c)
    mid_step = flat_steps(ncols, inp.mid_r, inp.mid_c)
    hm_step4, hm_w4 = inp.hm_step4, inp.hm_w4
    sg, spx, spy = inp.side_g, inp.side_px, inp.side_py  # earthworks (empty: none)
    use_ew = spx.size > 0
    stored = sg.size > 0  # else the gradient is computed from z (a grid too large to store it)
    pos = np.full(n, -1, dtype=np.int32)
    # Each cell is in the heap at most once (decrease-key), so n slots suffice;
    # np.empty leaves untouched pages uncommitted, so only the used part costs memory.
    hkey = np.empty(n, dtype=np.float64)
    hidx = np.empty(n, dtype=np.int32)
    size = 0
    gr = goal // ncols if goal >= 0 else 0
    gc = goal - gr * ncols if goal >= 0 else 0
    astar = hfactor > 0.0 and goal >= 0

    for j in range(sources.size):
        s = sources[j]
        if pos[s] != -1:
            continue
        cost[s] = 0.0
        back[s] = SOURCE
        key = 0.0
        if astar:
            sr = s // ncols
            sc = s - sr * ncols
            key = hfactor * math.sqrt(((sr - gr) * dy) ** 2 + ((sc - gc) * dx) ** 2)
        size += 1
        _sift_up(hkey, hidx, pos, size - 1, key, np.int32(s))

    settled = 0
    while size > 0:
        u = hidx[0]
        size -= 1
        if size > 0:
            _sift_down(hkey, hidx, pos, size, hkey[size], hidx[size])
        pos[u] = -2
        settled += 1
        if u == goal:
            break
        ur = u // ncols
        uc = u - ur * ncols
        du = cost[u]
        fu = friction[u] if use_f else 1.0
        for k in range(noff):
            vr = ur + off_r[k]
            vc = uc + off_c[k]
            if vr < 0 or vr >= nrows or vc < 0 or vc >= ncols:
                continue
            v = u + step[k]
            if pos[v] == -2 or not passable[v]:
                continue
            blocked = False
            for m in range(mid_ptr[k], mid_ptr[k + 1]):
                if not passable[u + mid_step[m]]:
                    blocked = True
                    break
            if blocked:
                continue
            if mode == MODE_SUM:
                w = edge_cost(z, u, v, k, off_len, hm_ptr, hm_step4, hm_w4, kind, params, max_grade_pct, reverse)
                if use_ew:
                    if stored:
                        gxu, gyu = np.float64(sg[2 * u]), np.float64(sg[2 * u + 1])
                        gxv, gyv = np.float64(sg[2 * v]), np.float64(sg[2 * v + 1])
                    else:
                        gxu, gyu = cell_gradient(z, ur, uc, nrows, ncols, dx, dy)
                        gxv, gyv = cell_gradient(z, vr, vc, nrows, ncols, dx, dy)
                    w = with_earthworks(w, off_len[k], params, gxu, gyu, gxv, gyv, spx[k], spy[k])
                if not w >= 0.0:
                    continue
                if use_f:
                    w *= 0.5 * (fu + friction[v])
                nd = du + w
            else:
                gp = edge_grade(z, u, v, k, off_len, hm_ptr, hm_step4, hm_w4)
                if math.isnan(gp):
                    continue
                nd = du if du >= gp else gp
            if nd < cost[v]:
                cost[v] = nd
                back[v] = k
                key = nd
                if astar:
                    key += hfactor * math.sqrt(((vr - gr) * dy) ** 2 + ((vc - gc) * dx) ** 2)
                p = pos[v]
                if p >= 0:
                    _sift_up(hkey, hidx, pos, p, key, np.int32(v))
                else:
                    size += 1
                    _sift_up(hkey, hidx, pos, size - 1, key, np.int32(v))
    return settled
