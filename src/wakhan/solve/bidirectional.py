"""A point-to-point search run from both ends at once, on two threads (bidirectional Dijkstra).

The forward search grows from the start on the graph, the backward one from the
goal on the reverse graph (each edge priced ``u -> v`` while scanned from ``v``,
so up- and downhill keep their own costs). Each is the bucket-queue kernel of
:mod:`wakhan.solve.buckets`, which releases the GIL, so the two run in parallel.
They share ``[top_f, top_b, mu_f, mu_b, margin]``: ``top`` is the key below which a
side has settled every cell, ``mu`` the cheapest path seen through a cell both
have labelled. Each stops once its ``top >= mu / 2 + margin``
(:func:`~wakhan.solve.buckets_flat.meeting_stops`), so that when both have
stopped ``top_f + top_b > mu``, the standard rule.

One answer whatever the timing: which cells a side has settled when it stops,
and the labels of those it has not, depend on the threads' speeds; the labels
below its ``top`` do not (a search's own order decides them; the other thread
only decides when it stops). The driver therefore reads only labels under a
level ``K h`` (``h`` the bucket width) that both sides have passed: over every
move ``x -> y`` with ``cost_f[x]`` and ``cost_b[y]`` both under ``k h``, the
cheapest path ``mu(k) = cost_f[x] + w + cost_b[y]``
(:func:`~wakhan.solve.buckets_flat._seam_levels`), and ``K`` is the first ``k``
with ``2 k h > mu(k)``. The path is the forward tree to ``x``, the move, and the
backward tree from ``y``; among equal costs, the lowest level, then the lowest
``x`` and move. Each side is run to at least ``mu / 2 + 2 h`` for this, which
covers ``K`` (below).

Why it is exact: let ``P`` be a least-cost path, of cost ``d``, and ``2 k h > d``.
Let ``x`` be the last cell of ``P`` with forward distance under ``k h`` (the
start is one) and ``y`` the next: its forward distance is at least ``k h``, so its
backward distance is under ``d - k h < k h``; ``x -> y`` is a move of the seam at
level ``k`` and ``mu(k) = d``. Conversely ``mu(k) >= d`` always, so ``2 k h > mu(k)``
certifies ``mu(k) = d``, and ``K <= floor(d / 2h) + 1``, which both sides have
passed. The threads read each other's arrays without locks: a stale value only
delays a stop, and the seam is read after both have joined.

Why not A*: on the Swiss SRTM tile the straight-line heuristic (the cheapest
cost per metre, which the highway model's flat valley roads set) spares only
6 % of the cells a one-way Dijkstra settles, whereas the two searches together
settle 13-45 % fewer than the one-way A*, each about half of that
(``benchmarks/bidirectional.py``).

The total a caller reports should be summed from the start along the path
(:func:`wakhan.solve.api.least_cost_path` does): ``cost_f[x] + w + cost_b[y]``
equals it to rounding.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from wakhan.interrupt import map_interruptible, threads_allowed
from wakhan.memory import concurrent_solves
from wakhan.solve import buckets
from wakhan.solve.buckets_flat import _seam_levels
from wakhan.solve.graph import _Graph, search_input
from wakhan.solve.kernels import UNREACHED
from wakhan.solve.search import _bucket_plan

__all__: list[str] = []


def usable(g: _Graph, model) -> bool:
    """Whether a bidirectional search applies: two threads allowed, memory for two searches'
    arrays (:func:`wakhan.memory.concurrent_solves`) and a bucket queue for ``model``."""
    cells = g.shape[0] * g.shape[1]
    return threads_allowed(2) >= 2 and concurrent_solves(cells, 2) >= 2 and _bucket_plan(g, model, False) is not None


def _meeting_cell(cost_f: np.ndarray, cost_b: np.ndarray, chunk: int = 1 << 20) -> tuple[float, int]:
    """``(min, argmin)`` of ``cost_f + cost_b``, summed a chunk at a time (no n-cell temporary)."""
    best, meet = math.inf, -1
    for lo in range(0, cost_f.size, chunk):
        through = cost_f[lo : lo + chunk] + cost_b[lo : lo + chunk]
        i = int(np.argmin(through))
        if through[i] < best:
            best, meet = float(through[i]), lo + i
    return best, meet


def _seam_join(inp, cost_f, cost_b, h: float, tops, mu: float):
    """The meeting move chosen from labels under a level both searches passed: ``(total, x, k)``.

    ``(inf, -1, -1)`` when no path was seen (``mu`` infinite), None when no level up to the tops
    certifies the least cost (not expected: see the module doc).
    """
    if not math.isfinite(mu):
        return math.inf, -1, -1
    levels = int(min(min(tops) / h, mu * (1.0 + 1e-9) / (2.0 * h) + 2.0))
    if levels < 1:
        return None
    best_v = np.full(levels + 1, math.inf)
    best_x = np.full(levels + 1, -1, dtype=np.int64)
    best_k = np.full(levels + 1, -1, dtype=np.int64)
    ncols = inp.ncols
    moves = (inp.off_r * ncols + inp.off_c, inp.mid_r * ncols + inp.mid_c)
    _seam_levels(inp, moves, cost_f, cost_b, h, best_v, best_x, best_k)
    upto = np.minimum.accumulate(best_v[1:])  # mu(k), k = 1 ..
    certified = np.flatnonzero(2.0 * h * np.arange(1, levels + 1) > upto)
    if certified.size == 0:
        return None
    top_level = int(certified[0]) + 1
    first = int(np.flatnonzero(best_v[1 : top_level + 1] == upto[top_level - 1])[0]) + 1
    return float(best_v[first]), int(best_x[first]), int(best_k[first])


def search_pair(g: _Graph, model, start: int, goal: int):
    """Search from ``start`` and, on the reverse graph, from ``goal`` at once; stop when they meet.

    The same inputs give the same meeting, whatever the threads' timing (see the module doc).

    Returns
    -------
    (total, meet, cost_f, back_f, cost_b, back_b, settled)
        ``total`` the least start-goal cost (``inf`` when unreachable), ``meet`` the
        flat cell where the two halves join (-1 when unreachable), the two searches'
        flat costs and backlinks, and the cells both settled. ``back_f[meet]`` is set to
        the meeting move, so that the forward backlinks from ``meet`` and the backward
        ones from it trace the path.
    """
    delta, nbuckets, _ = _bucket_plan(g, model, False)
    floor = float(model.min_cost_per_m) * g.fmin
    n = g.shape[0] * g.shape[1]
    cost_f, cost_b = np.full(n, np.inf), np.full(n, np.inf)
    back_f, back_b = np.full(n, UNREACHED, dtype=np.int8), np.full(n, UNREACHED, dtype=np.int8)
    shared = np.array([0.0, 0.0, math.inf, math.inf, 2.0 * delta])  # margin 2 h: see _seam_join's levels
    inp_f = search_input(g, model, np.array([start]))
    jobs = [
        (inp_f, cost_f, back_f, cost_b, 0),
        (search_input(g, model, np.array([goal]), reverse=True), cost_b, back_b, cost_f, 1),
    ]

    # Both searches start together: a fast search on a small grid could otherwise settle all of it
    # before the other thread was even scheduled (it cannot stop before it has seen a path).
    start_line = threading.Barrier(2, timeout=0.5)

    def run(job):
        inp, cost, back, other, side = job
        try:
            start_line.wait()
        except threading.BrokenBarrierError:  # the other thread never came (one worker): search on
            pass
        return buckets.search_buckets(inp, delta, nbuckets, floor, cost, back, meet=(other, shared, side))

    settled = 0
    for value, exc in map_interruptible(run, jobs, workers=2):
        if exc is not None:
            raise exc
        settled += value
    joined = _seam_join(inp_f, cost_f, cost_b, delta, shared[:2], float(shared[2:4].min()))
    if joined is None:  # a safety net, not expected: the least cost, at a meeting cell the timing chose
        total, meet = _meeting_cell(cost_f, cost_b)
    else:
        total, x, k = joined
        meet = -1
        if x >= 0:
            meet = x + int(g.off_r[k]) * g.shape[1] + int(g.off_c[k])
            back_f[meet] = k
    return total, meet, cost_f, back_f, cost_b, back_b, settled
