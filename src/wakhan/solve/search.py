"""Choosing and running a search kernel on a graph: the bucket queue when the costs allow it, else the heap."""

from __future__ import annotations

import math

import numpy as np

from wakhan.interrupt import run_interruptible as _run_interruptible  # kernels are nogil: Ctrl-C acts at once
from wakhan.solve import buckets, heap, parallel
from wakhan.solve.graph import _Graph, search_input
from wakhan.solve.kernels import MODE_SUM, UNREACHED

__all__: list[str] = []


_ASTAR_WEIGHT = 0.5  # share of the admissible heuristic used with the bucket queue
_MAX_BUCKETS = 1 << 22


def _bucket_plan(g: _Graph, model, astar: bool):
    """``(delta, nbuckets, heuristic weight)`` for the bucket queue, or None to use the heap.

    Buckets need every (reduced) edge cost >= delta > 0 and a bounded ratio of
    the largest edge cost to delta; A* keeps half its heuristic so that reduced
    costs stay >= half the smallest edge cost.
    """
    fmin, fmax = g.fmin, g.fmax
    wmin = float(g.off_len.min()) * float(model.min_cost_per_m) * fmin
    wmax = float(g.off_len.max()) * float(getattr(model, "max_cost_per_m", math.inf)) * fmax
    weight = _ASTAR_WEIGHT if astar else 0.0
    delta = wmin * (1.0 - weight) * (1.0 - 1e-9)
    if not (delta > 0 and math.isfinite(wmax)):
        return None
    ratio = wmax * (1.0 + weight) / delta
    if not ratio < _MAX_BUCKETS:
        return None
    return delta, 1 << int(ratio + 3).bit_length(), weight


def _run(g: _Graph, model, sources, *, goal=-1, astar=False, reverse=False, mode=MODE_SUM, threads=1):
    """Run one search on ``g``: the bucket queue when :func:`_bucket_plan` allows, else the heap.

    ``threads=2``: an accumulation (no goal) of a graded model on two threads where
    :func:`wakhan.solve.parallel.usable` allows (same costs), else on one.
    """
    n = g.shape[0] * g.shape[1]
    hfull = 0.0
    if astar:
        hfull = float(model.min_cost_per_m) * g.fmin * (1.0 - 1e-12)
    inp = search_input(g, model, sources, goal=goal, hfactor=hfull, reverse=reverse, mode=mode)
    plan = _bucket_plan(g, model, astar) if mode == MODE_SUM else None
    if plan is not None and threads >= 2 and not astar and parallel.usable(g.shape, inp, n):
        cost, back = np.empty(n), np.empty(n, dtype=np.int8)  # filled by the two threads, in parallel
        delta, nbuckets, _ = plan
        floor = float(model.min_cost_per_m) * g.fmin
        settled, _ = parallel.accumulate_two(inp, g.shape, delta, nbuckets, floor, cost, back)
        return cost.reshape(g.shape), back.reshape(g.shape), settled
    cost = np.full(n, np.inf)
    back = np.full(n, UNREACHED, dtype=np.int8)
    if plan is not None:
        delta, nbuckets, weight = plan
        settled = _run_interruptible(
            buckets.search_buckets,
            inp._replace(hfactor=hfull * weight),
            delta,
            nbuckets,
            float(model.min_cost_per_m) * g.fmin,
            cost,
            back,
        )
    else:
        settled = _run_interruptible(heap.search, inp, cost, back)
    return cost.reshape(g.shape), back.reshape(g.shape), settled
