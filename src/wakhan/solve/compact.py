"""A* over the full grid on float32 accumulated costs, with a certified bound on what the rounding costs.

A full-grid search holds its accumulated costs for every cell: 8 bytes a cell in
float64 (4.3 GB on the 537 M-cell 30 m grid of the Kashgar-Kabul box), 4 in float32.
:func:`float32_astar` runs the bucket-queue A* of :mod:`wakhan.solve.buckets` on a
float32 cost array; :func:`float32_lower_bound` turns its label at the goal into a
lower bound of the exact (float64) optimum, so that the route it finds comes with
a certified optimality gap instead of a claim of exactness.

The bound. Every edge cost ``w`` is priced in float64 exactly as by the float64
search; only the sums are rounded: a label is ``d' = fl32(d + w)``, so
``d' <= (d + w)(1 + u)`` with ``u = 2**-24`` (round to nearest). Rounding is
monotone, so the search computes, for every settled cell, the least over paths of
these rounded sums (a Dijkstra/A* on a monotone, increasing path algebra), provided
the bucket queue pops cells in key order. It does when every key step is at least
the bucket width ``delta``: the exact reduced edge cost is at least
``wmin (1 - weight)`` (:func:`wakhan.solve.search._bucket_plan`), the rounding
takes at most ``u`` times a label, so the width is narrowed by :data:`_SLACK` and
:func:`float32_lower_bound` checks afterwards that ``u * (label + wmax)`` (every
label the search settled or relaxed is at most the goal's plus one edge) stayed
within that slack; else it returns None and the caller solves in float64.

Then for the optimal path ``P*`` of ``n*`` edges, ``label(goal) <= rounded sum of
P* <= cost(P*) (1 + u)**n*``, and ``n* <= cost(P*) / wmin <= U / wmin`` (no edge
costs less than ``wmin``; ``U`` is the float64 cost of the returned path, an upper
bound of the optimum). Hence::

    L = label(goal) / (1 + u)**floor(U / wmin)  <=  optimum  <=  U

On the 30 m Kashgar-Kabul legs (U about 0.65 M flat metres, wmin 30 m x 1) that
is ``(1 + 2**-24)**21700 - 1``: 0.13 % at most, plus whatever the rounding really
changed in the route (usually nothing).
"""

from __future__ import annotations

import math

import numpy as np

from wakhan.interrupt import run_interruptible
from wakhan.solve import buckets
from wakhan.solve.graph import _Graph, search_input
from wakhan.solve.kernels import UNREACHED
from wakhan.solve.search import _bucket_plan

__all__ = ["blocked_costs", "float32_astar", "float32_lower_bound", "ROUND32"]

#: Unit roundoff of float32 with round to nearest: ``fl32(x) = x (1 + e)``, ``|e| <= ROUND32``.
ROUND32 = 2.0**-24
#: Share of the bucket width left for float32 rounding (a key step may fall short by that much).
_SLACK = 1.0 / 64


def _edge_range(g: _Graph, model) -> tuple[float, float]:
    """The least and the largest cost of any edge of ``g`` (friction included)."""
    wmin = float(g.off_len.min()) * float(model.min_cost_per_m) * g.fmin
    wmax = float(g.off_len.max()) * float(getattr(model, "max_cost_per_m", math.inf)) * g.fmax
    return wmin, wmax


def blocked_costs(passable: np.ndarray) -> np.ndarray:
    """float32 costs to start a search with: inf, NaN where ``passable`` is False (the mask the search reads).

    Examples
    --------
    >>> blocked_costs(np.array([True, False])).tolist()
    [inf, nan]
    """
    cost = np.full(passable.size, np.inf, dtype=np.float32)
    buckets._fill_blocked(passable, cost, np.nan)
    return cost


def float32_astar(g: _Graph, model, start: int, goal: int, cost: np.ndarray | None = None):
    """``(cost, back, slack)`` of an A* from ``start`` to ``goal`` on float32 costs, or None.

    ``cost`` is float32 (4 bytes a cell), ``back`` the int8 backlinks, ``slack``
    the absolute rounding a key step may absorb (for :func:`float32_lower_bound`).
    None when the model's costs do not suit the bucket queue (the heap is float64 only).
    A ``cost`` given is :func:`blocked_costs` of the passable cells, and ``g.passable``
    may then be empty (the NaN in ``cost`` mark the blocked cells; they stay NaN).

    Examples
    --------
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve.graph import _as_graph
    >>> g = _as_graph(np.zeros((3, 3)), 8, None, None, (10.0, 10.0), False)
    >>> cost, back, slack = float32_astar(g, IsotropicModel(), 0, 8)
    >>> cost.dtype.name, round(float(cost[8]), 3), slack > 0
    ('float32', 28.284, True)
    """
    plan = _bucket_plan(g, model, True)
    if plan is None:
        return None
    _, _, weight = plan
    wmin, wmax = _edge_range(g, model)
    exact = wmin * (1.0 - weight)  # the least reduced edge cost, before any margin
    delta = exact * (1.0 - _SLACK)
    ratio = wmax * (1.0 + weight) / delta
    nbuckets = 1 << int(ratio + 3).bit_length()
    n = g.shape[0] * g.shape[1]
    if cost is None:
        cost = blocked_costs(g.passable)
        g = _Graph(**{**g.__dict__, "passable": g.passable[:0]})
    back = np.full(n, UNREACHED, dtype=np.int8)
    hfull = float(model.min_cost_per_m) * g.fmin * (1.0 - 1e-12)
    inp = search_input(g, model, np.array([start]), goal=goal, hfactor=hfull * weight)
    floor = float(model.min_cost_per_m) * g.fmin
    run_interruptible(buckets.search_buckets, inp, delta, nbuckets, floor, cost, back)
    # the margin of _bucket_plan (1e-9 of the width) covers the float64 heuristic's rounding
    return cost, back, exact * (1.0 - 1e-9) - delta


def float32_lower_bound(label: float, upper: float, g: _Graph, model, slack: float) -> float | None:
    """A lower bound of the optimum from a float32 A* label at the goal (see the module doc), or None.

    ``upper``: the float64 cost of a start-goal path of ``g`` (the one traced).
    None when the rounding could have reordered the bucket queue (labels too large
    for the slack of :func:`float32_astar`): then nothing is certified.

    Examples
    --------
    A label of 1000 on a graph whose edges cost at least 10: the path has at most
    100 edges, each sum rounded by at most 2**-24:

    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve.graph import _as_graph
    >>> g = _as_graph(np.zeros((3, 3)), 8, None, None, (10.0, 10.0), False)
    >>> low = float32_lower_bound(1000.0, 1000.0, g, IsotropicModel(), 0.1)
    >>> 1000.0 - 100 * 1000.0 * 2**-24 < low < 1000.0
    True
    """
    wmin, wmax = _edge_range(g, model)
    if not (math.isfinite(label) and math.isfinite(upper)) or ROUND32 * (label + wmax) > slack:
        return None
    n_max = math.floor(upper / wmin)
    return label * math.exp(-n_max * math.log1p(ROUND32)) * (1.0 - 1e-12)
