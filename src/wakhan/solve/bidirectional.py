"""A point-to-point search run from both ends at once, on two threads (bidirectional Dijkstra).

The forward search grows from the start on the graph, the backward one from the
goal on the reverse graph (each edge priced ``u -> v`` while scanned from ``v``,
so up- and downhill keep their own costs). Each is the bucket-queue kernel of
:mod:`wakhan.solve.buckets`, which releases the GIL, so the two run in parallel.
They share ``[top_f, top_b, mu_f, mu_b]``: ``top`` is the key below which a
side has settled every cell, ``mu`` the cheapest path seen through a cell both
have labelled. Each stops at the standard rule ``top_f + top_b >= mu``; the
driver then takes the exact meeting cell ``argmin(cost_f + cost_b)`` over the
joined results.

Why it is exact: let ``P`` be a least-cost path, of cost ``d``, and suppose
``d < mu``, so ``d < top_f + top_b``. Let ``x`` be the last cell of ``P`` with
forward distance under ``top_f`` (the start is one) and ``y`` the next: its
forward distance is at least ``top_f``, so its backward distance is under
``top_b`` and ``y`` is settled backward, while ``x``, settled forward, has
labelled ``y`` with its forward distance. Hence ``cost_f[y] + cost_b[y] = d``
after the join, and the minimum over all cells is ``d``. The threads read each
other's arrays without locks: a stale value only delays a stop (``top`` grows
and labels shrink as a search runs), and the final minimum reads the joined
arrays.

Why not A*: on the Swiss SRTM tile the straight-line heuristic (the cheapest
cost per metre, which the highway model's flat valley roads set) spares only
6 % of the cells a one-way Dijkstra settles, whereas the two searches together
settle 13-45 % fewer than the one-way A*, each about half of that
(``benchmarks/bidirectional.py``).

The total a caller reports should be summed from the start along the path
(:func:`wakhan.solve.api.least_cost_path` does): ``cost_f + cost_b`` at the
meeting cell equals it to rounding, but which cell of the path the searches
meet at depends on the threads' timing.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from wakhan.interrupt import map_interruptible, threads_allowed
from wakhan.memory import concurrent_solves
from wakhan.solve import buckets
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


def search_pair(g: _Graph, model, start: int, goal: int):
    """Search from ``start`` and, on the reverse graph, from ``goal`` at once; stop when they meet.

    Returns
    -------
    (total, meet, cost_f, back_f, cost_b, back_b, settled)
        ``total`` the least start-goal cost (``inf`` when unreachable), ``meet`` the
        flat cell where the two halves join (-1 when unreachable), the two searches'
        flat costs and backlinks, and the cells both settled.
    """
    delta, nbuckets, _ = _bucket_plan(g, model, False)
    floor = float(model.min_cost_per_m) * g.fmin
    n = g.shape[0] * g.shape[1]
    cost_f, cost_b = np.full(n, np.inf), np.full(n, np.inf)
    back_f, back_b = np.full(n, UNREACHED, dtype=np.int8), np.full(n, UNREACHED, dtype=np.int8)
    shared = np.array([0.0, 0.0, math.inf, math.inf])
    jobs = [
        (search_input(g, model, np.array([start])), cost_f, back_f, cost_b, 0),
        (search_input(g, model, np.array([goal]), reverse=True), cost_b, back_b, cost_f, 1),
    ]

    # Both searches start together: the stopping rule needs both to advance, and a fast search on a
    # small grid could otherwise settle all of it before the other thread was even scheduled.
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
    total, meet = _meeting_cell(cost_f, cost_b)
    return total, meet, cost_f, back_f, cost_b, back_b, settled
