"""Numba kernel: exact least-cost search with a circular bucket queue.

The second search kernel beside the heap of :mod:`wakhan.solve.heap`: same
input (:class:`~wakhan.solve.kernels.SearchInput`), same edge pricing
(:func:`~wakhan.solve.edges.edge_cost`), sums of costs only. This module sets up
the queue and drives the search loop, which is :mod:`wakhan.solve.buckets_graded`'s
(:mod:`wakhan.solve.buckets_flat`'s for a grade-blind model).

When every (reduced) edge cost is at least ``delta > 0``, all cells whose key
lies in the lowest non-empty bucket ``[k delta, (k+1) delta)`` already carry
their final cost (Dinitz's refinement of Dial's algorithm): they are settled in
any order, so each queue operation is O(1) instead of a heap's O(log n). Ties and
float rounding aside, the costs equal Dijkstra's.

Buckets are stacks of fixed-size blocks of cell indices drawn from one pool;
a cell whose cost improves is simply pushed again (lazy deletion). Each entry
keeps the cost it was pushed with, so a stale entry is recognised when popped by
its cost differing from the cell's current one: no per-cell state array, and one
random memory access less per settled cell. Working memory: the live queue
entries (12 bytes each), beside the ``cost``/``back`` outputs.
A neighbour is looked at only if its cost exceeds the settled cell's: that one
read skips settled cells, cells that cannot improve and (NaN-marked) blocked cells.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from wakhan.cost.kinds import ISO_COST_PER_M
from wakhan.solve import (
    _cache,  # noqa: F401  (keys the kernels' Numba cache on their sources)
    progress,
)
from wakhan.solve.buckets_flat import _loop_flat
from wakhan.solve.buckets_graded import _loop
from wakhan.solve.kernels import SOURCE

__all__ = ["search_buckets"]

_NO_OTHER = np.empty(0)  # ``meet[0]`` of a search that is not one of a bidirectional pair


@njit(cache=True, nogil=True)
def _grow(pool, poolc, bnext, free, bsize):
    """Double the block pool (rare: the queue outgrew it).

    Plain copy loops: a slice assignment ``new[: old.size] = old`` made this
    small function take 2 s of a cold start to compile.
    """
    grow = bnext.size * 2
    pool2 = np.empty(grow * bsize, dtype=np.int32)
    poolc2 = np.empty(grow * bsize, dtype=np.float64)
    for i in range(pool.size):
        pool2[i] = pool[i]
        poolc2[i] = poolc[i]
    bnext2 = np.empty(grow, dtype=np.int32)
    free2 = np.empty(grow, dtype=np.int32)
    for i in range(bnext.size):
        bnext2[i] = bnext[i]
        free2[i] = free[i]
    return pool2, poolc2, bnext2, free2


def search_buckets(inp, delta, nbuckets, cost_floor_per_m, cost, back, meet=None):
    """Sum-of-costs search (Dijkstra, or A* with a goal and ``hfactor > 0``) on a bucket queue.

    Parameters
    ----------
    inp : SearchInput
        As for :func:`wakhan.solve.heap.search` (sum mode only: ``inp.mode``
        is not read; long moves priced as two half-moves through their midpoint).
    delta : float
        A lower bound of every reduced edge cost.
    nbuckets : int
        A power of two above ``max_reduced_edge_cost / delta + 2``.
    cost_floor_per_m : float
        A lower bound of every edge cost per metre of move length (the model's
        minimum cost per metre times the smallest friction).
    cost, back : float64[:] (or float32[:]), int8[:]
        Outputs, ``inf`` and ``UNREACHED`` on entry (see :func:`wakhan.solve.heap.search`).
        float32 costs round each sum as it is stored (see :mod:`wakhan.solve.compact`,
        which also narrows ``delta`` so that the rounding cannot reorder the buckets).
    meet : tuple, optional
        ``(other_cost, shared, side)`` for one search of a bidirectional pair (see
        :func:`~wakhan.solve.buckets_graded._loop`); the search then stops by the pair's stopping
        rule, and ``shared[side]`` is set to ``inf`` when its queue runs empty.

    Returns
    -------
    int
        Number of cells settled.

    Notes
    -----
    A plain-Python driver (set-up in NumPy) of small kernels (:func:`_seed`,
    :func:`~wakhan.solve.buckets_graded._loop` or, for a grade-blind model,
    :func:`~wakhan.solve.buckets_flat._loop_flat`, :func:`_grow`): compiled into one Numba function, the search loop was optimised and compiled twice (once on its
    own, once linked into the caller), a cold start's largest compile. Each
    kernel releases the GIL.

    Examples
    --------
    Flat 3 m x 4 m cells, isotropic cost 1 per metre, from the north-west corner of a 2 x 2
    grid (edges cost at least 3, at most 5: buckets of width 2.9, 4 of them):

    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve.graph import _as_graph, search_input
    >>> cost, back = np.full(4, np.inf), np.full(4, -2, dtype=np.int8)
    >>> inp = search_input(_as_graph(np.zeros((2, 2)), 8, None, None, (3.0, 4.0), False), IsotropicModel(), np.array([0]))
    >>> search_buckets(inp, 2.9, 4, 1.0, cost, back), cost.tolist()
    (4, [0.0, 3.0, 4.0, 5.0])
    """
    ncols, off_r, off_c, sources, goal = inp.ncols, inp.off_r, inp.off_c, inp.sources, inp.goal
    # Blocked cells carry cost NaN during the search (no comparison with NaN
    # succeeds, so one read of cost[v] filters them out) and inf afterwards.
    if inp.passable.size:  # empty: the caller has marked the blocked cells NaN in `cost` (they stay NaN)
        _fill_blocked(inp.passable, cost, np.nan)
    step = off_r * ncols + off_c
    reach = int(max(np.abs(off_r).max(), np.abs(off_c).max()))
    # No edge k costs less than off_len[k] * cost_floor_per_m (the model's minimum cost
    # per metre times the smallest friction): a neighbour whose cost is already within
    # that of u's cannot improve, so its edge is not priced (the result is unchanged).
    wfloor = inp.off_len * cost_floor_per_m * (1.0 - 1e-9)
    mid_step = inp.mid_r * ncols + inp.mid_c
    bsize = 64 if nbuckets <= 4096 else 8
    nblk = max(1024, 2 * sources.size)
    queue = (
        np.full(nbuckets, -1, dtype=np.int32),  # head: first block of each bucket
        np.zeros(nbuckets, dtype=np.int32),  # fill: entries in that block
        np.empty(nblk * bsize, dtype=np.int32),  # pool: cell of each entry
        np.empty(nblk * bsize, dtype=np.float64),  # poolc: the cost it was pushed with
        np.empty(nblk, dtype=np.int32),  # bnext: next block of the same bucket
        np.empty(nblk, dtype=np.int32),  # free: blocks free for reuse
    )
    gr, gc = divmod(goal, ncols) if goal >= 0 else (0, 0)
    consts = (int(gr), int(gc), 1.0 / delta, int(nbuckets - 1), bsize)
    st = np.zeros(5, dtype=np.int64)  # [kcur, count, nfree, nused, settled]
    _seed(inp, queue, consts, st, cost, back)
    loop = _loop
    if inp.z.size == 0:  # grade-blind: each move's cost before friction, as edge_cost prices it
        loop, wfloor = _loop_flat, inp.off_len * inp.params[ISO_COST_PER_M]
    moves = (step, wfloor, reach, mid_step)
    if meet is None:
        meet = (_NO_OTHER, np.zeros(4), 0)
    progress.track(st)  # st[4], the cells settled, is current each time the loop hands back
    try:
        while True:
            status = loop(inp, moves, queue, consts, st, cost, back, meet)
            if status == 0 and meet[0].size:
                meet[1][meet[2]] = math.inf  # all this side can reach is settled: the other may stop
            if status in (0, 3):
                break
            if status == 1:
                queue = queue[:2] + _grow(*queue[2:], bsize)
    finally:
        progress.finish(st)
    if inp.passable.size:
        _fill_blocked(inp.passable, cost, np.inf)
    return int(st[4])


@njit(cache=True, nogil=True)
def _fill_blocked(passable, cost, value):
    """``cost[i] = value`` where ``passable`` is False (a loop: NumPy's ``~passable`` would add 1 B/cell)."""
    for i in range(cost.size):
        if not passable[i]:
            cost[i] = value


@njit(cache=True, nogil=True)
def _seed(inp, queue, consts, st, cost, back):
    """Queue the sources at cost 0 (one block per source at most: no pool growth); fills ``st``."""
    sources, goal, hfactor, dx, dy, ncols = inp.sources, inp.goal, inp.hfactor, inp.dx, inp.dy, inp.ncols
    head, fill, pool, poolc, bnext, _ = queue
    gr, gc, inv, bmask, bsize = consts
    kmin = np.int64(1) << 62
    nused = 0
    for j in range(sources.size):
        s = sources[j]
        cost[s] = 0.0
        back[s] = SOURCE
        key = 0.0
        if hfactor > 0.0 and goal >= 0:
            sr = s // ncols
            sc = s - sr * ncols
            key = hfactor * math.sqrt(((sr - gr) * dy) ** 2 + ((sc - gc) * dx) ** 2)
        kb = np.int64(key * inv)
        kmin = min(kmin, kb)
        b = kb & bmask
        if head[b] < 0 or fill[b] == bsize:
            bnext[nused] = head[b]
            head[b] = nused
            fill[b] = 0
            nused += 1
        pool[head[b] * bsize + fill[b]] = s
        poolc[head[b] * bsize + fill[b]] = 0.0
        fill[b] += 1
    st[0], st[1], st[2], st[3], st[4] = kmin, sources.size, 0, nused, 0
