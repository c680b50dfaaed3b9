"""Certified coarse-to-fine routing: solve coarse, refine in a band, bound the optimum.

:func:`certified_path` finds a start-goal route on a fine grid without
searching all of it, and proves how far its cost can be from the true optimum
(:mod:`wakhan.solve.band` builds the coarse route, the band and its exit cells):

1. **Coarse solve.** The DEM is block-averaged by ``coarse_factor`` and the
   route solved there (same model and moves); it only places the band.
2. **Band.** Fine cells within ``band_cells`` cells of the coarse route (plus
   the start and goal). The fine graph restricted to the band is solved
   exactly twice, in two threads (the kernels release the GIL): the cost
   ``F(y)`` from the start and ``R(y)`` to the goal of every band cell.
3. **Upper bound** ``U = F(goal)``: the cost of the returned route, a real path
   of the full fine graph.
4. **Lower bound.** Any start-goal path of the full fine graph either stays in
   the band, so costs at least ``U`` (the band's exact optimum), or leaves it.
   If it leaves (visits a cell outside the band or takes a long move the band
   graph lacks), let ``y`` be its last band cell before it first leaves and
   ``y'`` its first band cell after it last comes back; both lie within a move's
   reach of a passable cell outside the band (*exit cells*). Its part up to ``y`` lies in
   the band, so costs at least ``F(y)``; its part from ``y'`` lies in the band,
   so costs at least ``R(y')``; its middle part is a polyline of moves from
   ``y`` to ``y'``, each costing at least its length times ``c_floor`` (the
   model's ``min_cost_per_m`` times the smallest friction), so at least
   ``c_floor * |y - y'|`` (straight-line metres). Hence the optimum is at least::

       L = min(U, min over exit cells y, y' of F(y) + c_floor * |y - y'| + R(y'))

   and ``gap_pct = 100 * (U - L) / U``. The bound relaxes only the part of a
   path outside the band (to straight lines at the cheapest cost per metre),
   so it can only underestimate.
5. **Widen.** While the gap exceeds ``gap_pct``, the band is doubled; once it
   holds every passable cell, after ``max_rounds``, or at once when the gap is
   more than ten times the tolerance (the straight-line floor is then far below
   what the terrain costs, and widening hardly helps), the full grid is solved
   (A*, exact: gap 0).

What the bound guarantees: for the fine graph as the solver defines it (moves,
midpoint grading, grade limit, barrier, friction), ``L <= true optimum <= U``,
up to floating-point rounding of the sums (relative 1e-12). It says nothing
about the DEM's own error or the coarse grid. It is weak where the route costs
much more per metre than ``c_floor`` (steep or high terrain with a highway
model): a short cut outside the band is then priced far below what it would
really cost, and the band widens until the full grid is solved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from wakhan.errors import InputError
from wakhan.interrupt import map_interruptible
from wakhan.solve.api import least_cost_path
from wakhan.solve.band import _band, _coarse_route, _window, _window_exits
from wakhan.solve.compact import blocked_costs, float32_astar, float32_lower_bound
from wakhan.solve.graph import _as_graph, _flat_cells, _Graph, _needs_z, search_input
from wakhan.solve.kernels import UNREACHED
from wakhan.solve.path_costs import path_step_costs
from wakhan.solve.results import Path, _make_path, _trace_cells
from wakhan.solve.search import _run

__all__ = ["Certificate", "certified_path"]

#: Above this many cells the full grid is solved on float32 costs first (4 bytes a cell fewer: 2.1 GB at 30 m).
FLOAT32_MIN_CELLS = 256_000_000
#: On such a grid a band whose bounding window holds more than this share of the grid is not searched.
LEAN_MAX_WINDOW_SHARE = 0.2
_HOPELESS = 10.0  # a band whose gap exceeds this many tolerances is not widened: the full grid is solved


@dataclass(frozen=True)
class Certificate:
    """How far a route's cost can be from the optimum of the fine graph.

    ``lower <= optimum <= upper`` (``upper`` is the returned route's cost);
    ``gap_pct = 100 * (upper - lower) / upper``.

    Examples
    --------
    >>> c = Certificate(upper=101.0, lower=100.0, gap_pct=100 * 1 / 101, band_cells=8, band_share=0.1,
    ...                 rounds=1, method="coarse lower bound")
    >>> c.as_dict()["optimality_gap_pct"]
    0.9901
    """

    upper: float
    lower: float
    gap_pct: float
    band_cells: int
    band_share: float
    rounds: int
    method: str

    def as_dict(self) -> dict:
        return {
            "optimality_gap_pct": round(self.gap_pct, 4),
            "lower_bound_cost": self.lower,
            "upper_bound_cost": self.upper,
            "optimality_bound": self.method,
            "band_half_width_cells": self.band_cells,
            "band_share_of_grid": round(self.band_share, 4),
        }


@njit(cache=True, nogil=True)
def pair_bound(fy, yr, yc, rx, xr, xc, dx, dy, c_floor, upper):
    """``min(upper, min over i, j of fy[i] + c_floor * |y_i - x_j| + rx[j])``.

    ``fy``: cost from the start at exit cells ``(yr, yc)``; ``rx``: cost to the
    goal at exit cells ``(xr, xc)``; both sorted ascending, so the loops stop as
    soon as the two band costs alone reach the best bound so far.
    """
    best = upper
    if rx.size == 0:
        return best
    for i in range(fy.size):
        if fy[i] + rx[0] >= best:
            break
        for j in range(rx.size):
            base = fy[i] + rx[j]
            if base >= best:
                break
            d = math.sqrt(((yr[i] - xr[j]) * dy) ** 2 + ((yc[i] - xc[j]) * dx) ** 2)
            v = base + c_floor * d
            if v < best:
                best = v
    return best


def certified_path(
    dem,
    model,
    start_rc,
    goal_rc,
    *,
    neighbours=8,
    barrier=None,
    friction=None,
    cell_size_m=None,
    gap_pct=1.0,
    coarse_factor=None,
    band_cells=None,
    max_rounds=3,
    float32_costs=None,
) -> tuple[Path, Certificate]:
    """A start-goal route on the fine grid with a certified bound on its optimality gap.

    Parameters
    ----------
    dem, model, start_rc, goal_rc, neighbours, barrier, friction, cell_size_m
        As :func:`wakhan.solve.least_cost_path`.
    gap_pct : float
        Tolerance: widen the band until ``100 * (upper - lower) / upper <= gap_pct``.
    coarse_factor : int, optional
        Cells per side of a coarse block (>= 2). Default: 4, or more on a grid
        over 64 M cells, so that the coarse grid, which only places the band,
        stays near 4 M cells and is solved in seconds.
    band_cells : int, optional
        First half-width of the band in fine cells (default ``2 * coarse_factor``).
    max_rounds : int
        Band widenings (each doubles the half-width) before the full grid is solved.
    float32_costs : bool, optional
        Solve the full grid on float32 accumulated costs (:mod:`wakhan.solve.compact`: half the
        memory, a certified gap for the rounding) before falling back to float64; the band's costs
        are then not searched when its window holds more than :data:`LEAN_MAX_WINDOW_SHARE` of
        the grid. Default: on a grid of more than :data:`FLOAT32_MIN_CELLS` cells.

    Returns
    -------
    (Path, Certificate)

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> p, cert = certified_path(np.zeros((8, 8)), IsotropicModel(), (0, 0), (7, 7), cell_size_m=(1, 1))
    >>> round(p.total_cost, 4), cert.lower <= p.total_cost <= cert.upper, cert.gap_pct <= 1.0
    (9.8995, True, True)
    """
    if not (isinstance(gap_pct, (int, float)) and math.isfinite(gap_pct) and gap_pct > 0):
        raise InputError(
            f"gap tolerance {gap_pct!r} % must be a positive percentage, e.g. 1; "
            "for an exact full-grid solve use least_cost_path"
        )
    if not (coarse_factor is None or (isinstance(coarse_factor, int) and coarse_factor >= 2)):
        raise InputError(f"coarse_factor={coarse_factor!r} must be an integer of at least 2")
    g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    if coarse_factor is None:  # the coarse solve only places the band: about 4 M cells do that in seconds
        coarse_factor = max(4, math.ceil(math.sqrt(g.shape[0] * g.shape[1] / 4e6)))
    start = int(_flat_cells(g, start_rc, "start")[0])
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    start_rc = divmod(start, g.shape[1])
    goal_rc = divmod(goal, g.shape[1])
    lean = bool(float32_costs or (float32_costs is None and g.passable.size > FLOAT32_MIN_CELLS))
    # the validity mask is read only to check the end cells (done): 1 B a cell less from here on
    g = _Graph(**{**g.__dict__, "valid": g.valid[:1, :1].copy()})  # a copy: a view would keep it all
    arr = np.asarray(dem.array if hasattr(dem, "array") else dem)
    route_c = _coarse_route(g, arr, model, start_rc, goal_rc, coarse_factor, neighbours)
    del arr
    passable = g.passable.reshape(g.shape)
    n_pass = int(passable.sum())
    c_floor = float(model.min_cost_per_m) * g.fmin * (1.0 - 1e-12)
    half = int(band_cells or 2 * coarse_factor)
    rounds = 0
    band_gaps: list[str] = []  # each band's certified gap, said when the full grid is solved instead
    while route_c is not None and rounds < max_rounds:
        rounds += 1
        band = _band(g.shape, route_c, coarse_factor, half, start_rc, goal_rc) & passable
        n_band = int(band.sum())
        if n_band >= n_pass:
            break
        (r0, r1, c0, c1), gb = _window(g, band)
        share = gb.passable.size / band.size
        if lean and share > LEAN_MAX_WINDOW_SHARE:
            band_gaps.append(f"a {half}-cell band not tried: its window holds {100 * share:.0f} % of the grid")
            break  # two searches over that window would take more memory than the full grid on float32
        sw = (start_rc[0] - r0) * (c1 - c0) + start_rc[1] - c0
        gw = (goal_rc[0] - r0) * (c1 - c0) + goal_rc[1] - c0
        both = map_interruptible(
            lambda job, gb=gb: _run(gb, model, np.array([job[0]]), reverse=job[1]), [(sw, False), (gw, True)]
        )
        for _, exc in both:
            if exc is not None:
                raise exc
        (fwd, back, _), (rev, _, _) = both[0][0], both[1][0]
        both.clear()  # so that `del fwd, rev` below frees them
        upper = float(fwd.ravel()[gw])
        if math.isfinite(upper):
            exits = _window_exits(band, passable, neighbours, (r0, r1, c0, c1))
            er, ec = np.nonzero(exits)
            fe, re_ = fwd[er, ec], rev[er, ec]
            del fwd, rev
            i = np.argsort(fe)
            j = np.argsort(re_)
            keep_i = i[fe[i] < upper]
            keep_j = j[re_[j] < upper]
            lower = min(
                upper,
                pair_bound(
                    fe[keep_i], er[keep_i], ec[keep_i], re_[keep_j], er[keep_j], ec[keep_j], g.dx, g.dy, c_floor, upper
                ),
            )
            gap = 100.0 * (upper - lower) / upper if upper > 0 else 0.0
            band_gaps.append(f"{gap:.1f} % with a {half}-cell band")
            if gap <= gap_pct:
                cw = _trace_cells(back, gb, gw)[::-1]
                rr, cc = np.divmod(cw, c1 - c0)
                cells = (rr + r0) * g.shape[1] + cc + c0
                path = _make_path(g, model, np.ascontiguousarray(cells), upper)
                method = (
                    f"band of {half} cells around a {coarse_factor}x coarser route solved exactly "
                    f"(upper bound); lower bound: a path leaving the band pays at least the band's "
                    f"exact costs to its exit and from its re-entry plus {c_floor:.6g} "
                    f"{model.cost_unit}/m (the model's minimum) in a straight line between them"
                )
                return path, Certificate(upper, lower, gap, half, n_band / band.size, rounds, method)
            if gap > _HOPELESS * gap_pct:
                break  # widening narrows a gap this wide too slowly (see the module doc): solve it all
        half *= 2
    band = gb = back = exits = fwd = rev = None  # the full grid needs the memory
    tried = "; ".join(band_gaps) or "no route inside the band"
    after = f", after the band's certified gap stayed above the {gap_pct:g} % tolerance ({tried})" if rounds else ""
    if lean:
        del passable
        box = [blocked_costs(g.passable)]  # the float32 costs carry the mask (NaN): 1 B a cell less
        g = _Graph(**{**g.__dict__, "passable": g.passable[:0].copy()})
        compact = _full_grid_float32(g, model, start, goal, gap_pct, rounds, after, box)
        if compact is not None:
            return compact
        g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, _needs_z(model))  # float64 after all
    # the full grid, on the graph already built (no second copy of its masks)
    cost, back, _ = _run(g, model, np.array([start]), goal=goal, astar=True)
    if back.ravel()[goal] == UNREACHED:
        del cost, back, g
        least_cost_path(
            dem,
            model,
            start_rc,
            goal_rc,
            neighbours=neighbours,
            barrier=barrier,
            friction=friction,
            cell_size_m=cell_size_m,
        )  # raises RouteError naming the cause
    cells = _trace_cells(back, g, goal)[::-1]
    path = _make_path(g, model, np.ascontiguousarray(cells), float(cost.ravel()[goal]))
    method = f"full fine grid solved exactly (A*){after}"
    return path, Certificate(path.total_cost, path.total_cost, 0.0, -1, 1.0, rounds, method)


def _full_grid_float32(g: _Graph, model, start: int, goal: int, gap_pct: float, rounds: int, after: str, box: list):
    """``(path, certificate)`` of an A* over the full grid on float32 costs (:mod:`wakhan.solve.compact`),
    or None when its rounding bound is not certified within ``gap_pct`` (or the goal is not reached):
    the caller then solves in float64. Half the memory of the costs (4 bytes a cell instead of 8).
    ``box`` holds :func:`~wakhan.solve.compact.blocked_costs`, taken out here so that it is freed here."""
    found = float32_astar(g, model, start, goal, box.pop())
    if found is None:
        return None
    cost, back, slack = found
    label = float(cost[goal])
    reached = back[goal] != UNREACHED
    del cost
    if not reached:
        return None
    cells = np.ascontiguousarray(_trace_cells(back, g, goal)[::-1])
    del back
    steps = path_step_costs(search_input(g, model, cells[:0]), cells)
    upper = float(np.cumsum(steps)[-1])  # summed in float64 from the start, as a one-way search sums it
    lower = float32_lower_bound(label, upper, g, model, slack)
    if lower is None:
        return None
    lower = min(lower, upper)
    gap = 100.0 * (upper - lower) / upper if upper > 0 else 0.0
    if gap > gap_pct:
        return None
    path = _make_path(g, model, cells, upper)
    method = (
        f"full fine grid solved by A* on float32 accumulated costs{after}; upper bound: the route's "
        f"float64 cost; lower bound: the goal's float32 label divided by (1 + 2^-24)^n, n = {math.floor(upper / _wmin(g, model)):,} "
        f"the most edges a path of at most the upper bound can have (each sum rounded by at most 2^-24)"
    )
    return path, Certificate(upper, lower, gap, -1, 1.0, rounds, method)


def _wmin(g: _Graph, model) -> float:
    return float(g.off_len.min()) * float(model.min_cost_per_m) * g.fmin
