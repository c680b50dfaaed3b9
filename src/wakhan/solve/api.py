"""Validating wrappers around the Numba search kernels (heap and bucket queue).

The grid is turned into a graph by :mod:`wakhan.solve.graph`; this module runs
the searches on it and turns their results into paths, accumulations and corridors.

The graph: every cell centre is a node; ``neighbours`` = 8, 16 (plus knight's
moves) or 32 (plus the (1, 3) and (2, 3) moves) gives the edges. An edge's length
is its true metric length ``hypot(dc * dx, dr * dy)``, so cells need not be
square. A long move (16/32) is allowed only if every cell its straight segment
passes through is passable too, so a barrier is never jumped.

Grades: a move within the 8-neighbourhood is graded between its two end cells.
A longer move ``(dr, dc)`` (knight's and (1, 3)/(2, 3) moves, about 2.2-3.6
cells long) is split at its midpoint into two half-moves of length
``length / 2``: the midpoint elevation is the bilinear interpolation of the
DEM at the fractional cell ``(r + dr/2, c + dc/2)``, i.e. the mean of the two
cells straddling it for (1, 2) and (2, 3) moves and of the four cells around it
for (1, 3) moves (see :func:`midpoint_cells`). Each half has its own grade,
and the move is impassable when either half is steeper than the model's limit
or any of those midpoint cells has no data. A ridge between the end cells of a
long move is therefore seen. Costs come from the cost model (:mod:`wakhan.cost`):
the cost of a long move is the sum of its two half-moves' costs.

The result types live in :mod:`wakhan.solve.results`, the choice between the
two search kernels in :mod:`wakhan.solve.search`.
"""

from __future__ import annotations

import math

import numpy as np

from wakhan.errors import InputError, RouteError
from wakhan.solve import bidirectional as bidir
from wakhan.solve.graph import _as_graph, _flat_cells, _Graph, _needs_z, search_input
from wakhan.solve.kernels import MODE_MINIMAX, SOURCE, UNREACHED
from wakhan.solve.moves import midpoint_cells, neighbour_offsets
from wakhan.solve.path_costs import path_step_costs
from wakhan.solve.results import Accumulation, Corridor, Path, _make_path, _trace_cells
from wakhan.solve.search import _run

__all__ = [
    "Path",
    "Accumulation",
    "Corridor",
    "least_cost_path",
    "accumulate",
    "check_threads",
    "check_within_pct",
    "trace",
    "corridor",
    "gentlest_crossing_pct",
    "neighbour_offsets",
    "midpoint_cells",
    "SOURCE",
    "UNREACHED",
]


def check_threads(threads) -> int:
    """``threads`` for :func:`accumulate`, checked: 1 or 2 (an int, not a bool), else :class:`InputError`.

    Examples
    --------
    >>> check_threads(2)
    2
    >>> check_threads(3)
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: threads=3 must be 1 or 2
    """
    if isinstance(threads, bool) or threads not in (1, 2):
        raise InputError(f"threads={threads!r} must be 1 or 2")
    return threads


def check_within_pct(within_pct, name: str = "within_pct"):
    """``within_pct`` for :func:`corridor`, checked: a finite number of 0 or more (not a bool), else
    :class:`InputError` naming it as ``name`` (the CLI passes its option, ``--within-pct``).

    Examples
    --------
    >>> check_within_pct(5)
    5
    >>> check_within_pct(float("inf"), "--within-pct")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --within-pct inf must be a percentage of 0 or more above the best route's cost (the band's widest detour), e.g. --within-pct 5
    """
    if isinstance(within_pct, bool) or not (isinstance(within_pct, (int, float)) and 0 <= within_pct < math.inf):
        raise InputError(
            f"{name} {within_pct!r} must be a percentage of 0 or more above the best route's cost "
            f"(the band's widest detour), e.g. {name} 5"
        )
    return within_pct


def accumulate(
    dem,
    model,
    sources_rc,
    *,
    neighbours=8,
    barrier=None,
    friction=None,
    cell_size_m=None,
    reverse=False,
    threads=1,
) -> Accumulation:
    """Accumulated least cost from the nearest source to every cell (Dijkstra).

    Parameters
    ----------
    dem : Grid or numpy.ndarray
        Elevation (m), NaN = missing; a plain array needs ``cell_size_m``.
    model : cost model from :mod:`wakhan.cost`
    sources_rc : (row, col) or sequence of them
    neighbours : {8, 16, 32}
    barrier : bool array, optional
        True = impassable.
    friction : float array, optional
        Positive cost multiplier per cell; an edge uses the mean of its ends.
    cell_size_m : (dx, dy), optional
        Cell size for a plain-array DEM.
    reverse : bool
        Accumulate the cost of travelling *to* the sources (the reverse graph).
    threads : {1, 2}
        2: split the grid in two bands searched on two threads (:mod:`wakhan.solve.parallel`),
        for a graded model (e.g. highway, walking) where two threads and memory for two copies of
        the arrays are available, else one thread. The same costs to the last bit; backlinks may
        differ only where two moves give a cell the same cost.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> accumulate(np.zeros((2, 2)), IsotropicModel(), (0, 0), cell_size_m=(3, 4)).cost.tolist()
    [[0.0, 3.0], [4.0, 5.0]]
    """
    g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    src = _flat_cells(g, sources_rc, "source")
    check_threads(threads)
    cost, back, settled = _run(g, model, src, reverse=reverse, threads=threads)
    return Accumulation(
        cost,
        back,
        model.cost_unit,
        tuple(map(tuple, np.asarray(sources_rc).reshape(-1, 2).tolist())),
        model,
        settled,
        g,
        reverse,
    )


def trace(acc: Accumulation, target_rc) -> Path:
    """The least-cost path from the nearest source to ``target_rc``.

    For a reverse accumulation the path runs from ``target_rc`` to the source.
    Raises :class:`RouteError` when the target was not reached.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> acc = accumulate(np.zeros((1, 3)), IsotropicModel(), (0, 0), cell_size_m=(10, 10))
    >>> p = trace(acc, (0, 2))
    >>> p.rows.tolist(), p.cols.tolist(), p.total_cost
    ([0, 0, 0], [0, 1, 2], 20.0)
    """
    g = acc._graph
    target = int(_flat_cells(g, target_rc, "target")[0])
    if acc.backlink.ravel()[target] == UNREACHED:
        raise RouteError(
            f"target cell {tuple(target_rc)} is not reachable from the sources; relax the grade limit or the barrier."
        )
    cells = _trace_cells(acc.backlink, g, target)
    if not acc.reverse:
        cells = cells[::-1]
    return _make_path(g, acc.model, np.ascontiguousarray(cells), acc.cost.ravel()[target])


def gentlest_crossing_pct(dem, start_rc, goal_rc, *, neighbours=8, barrier=None, cell_size_m=None) -> float:
    """Smallest possible maximum ``abs(grade_pct)`` over the edges of any start-goal path.

    The grades are those the grade limit sees: end to end for moves of the
    8-neighbourhood, each half separately for longer moves (see the module
    doc), so a highway with ``max_grade_pct`` at least this value finds a route.
    Returns ``inf`` when nodata or the barrier separate the two cells.

    Examples
    --------
    A 10 m bump between two 100 m cells: any crossing climbs 10 %:

    >>> import numpy as np
    >>> z = np.array([[0.0, 10.0, 0.0]])
    >>> gentlest_crossing_pct(z, (0, 0), (0, 2), cell_size_m=(100, 100))
    10.0
    """
    g = _as_graph(dem, neighbours, barrier, None, cell_size_m, True)
    src = _flat_cells(g, start_rc, "start")
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    cost, _, _ = _run(g, None, src, goal=goal, mode=MODE_MINIMAX)
    return float(cost.ravel()[goal])


def _diagnose(g: _Graph, model, start: int, goal: int, start_rc, goal_rc) -> RouteError:
    """One sentence: why ``goal`` cannot be reached from ``start`` and what to relax.

    When the grade limit is the cause, the error carries the gentlest crossing
    (``needs_grade_pct``), so that a caller need not search for it again.
    """
    where = f"from {tuple(start_rc)} to {tuple(goal_rc)}"
    limit = float(model.max_grade_pct)
    cost, _, _ = _run(g, None, np.array([start]), goal=goal, mode=MODE_MINIMAX)
    gentlest = float(cost.ravel()[goal])
    if math.isfinite(gentlest):
        if gentlest > limit:
            return RouteError(
                f"no route {where} stays under the {limit:g} % grade limit; the gentlest crossing "
                f"needs {gentlest:.1f} %, so raise max_grade_pct to at least {gentlest:.1f} "
                f"or choose other end points.",
                needs_grade_pct=gentlest,
            )
        return RouteError(f"no route {where} was found although the gentlest crossing needs only {gentlest:.1f} %.")
    if g.barrier is not None:
        open_graph = _Graph(**{**g.__dict__, "passable": np.ascontiguousarray(g.valid).ravel(), "barrier": None})
        cost, _, _ = _run(open_graph, None, np.array([start]), goal=goal, mode=MODE_MINIMAX)
        free = float(cost.ravel()[goal])
        if math.isfinite(free):
            extra = (
                f" (without it the gentlest crossing needs {free:.1f} %, over the {limit:g} % limit)"
                if free > limit
                else ""
            )
            return RouteError(
                f"the barrier mask separates {tuple(start_rc)} from {tuple(goal_rc)}{extra}; "
                f"remove or narrow the barrier."
            )
    return RouteError(
        f"missing elevation data (nodata cells) separates {tuple(start_rc)} from {tuple(goal_rc)}; "
        f"fill the DEM's voids or enlarge the area around the route."
    )


def least_cost_path(
    dem,
    model,
    start_rc,
    goal_rc,
    *,
    neighbours=8,
    barrier=None,
    friction=None,
    cell_size_m=None,
    bidirectional=None,
) -> Path:
    """The least-cost path from ``start_rc`` to ``goal_rc`` (exact).

    Searched from both ends at once on two threads (:mod:`wakhan.solve.bidirectional`)
    when ``bidirectional`` is None or True, two threads are allowed
    (:func:`wakhan.interrupt.thread_budget`) and the model's costs suit the bucket
    queue; else by A* from the start, whose heuristic is the straight-line distance
    times the model's ``min_cost_per_m`` times the smallest friction (admissible and
    consistent). Both give the least cost to rounding; where several paths tie they
    may pick different ones, but each picks the same one on every run (the two
    threads' timing does not decide it). Raises :class:`RouteError` naming the cause when the
    goal is unreachable.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> p = least_cost_path(np.zeros((3, 3)), IsotropicModel(), (0, 0), (2, 2), cell_size_m=(1, 1))
    >>> p.rows.tolist(), p.cols.tolist(), round(p.total_cost, 4)
    ([0, 1, 2], [0, 1, 2], 2.8284)

    A wall of nodata with no way round is named in the error:

    >>> z = np.zeros((3, 3)); z[:, 1] = np.nan
    >>> least_cost_path(z, IsotropicModel(), (0, 0), (0, 2), cell_size_m=(1, 1))
    Traceback (most recent call last):
    ...
    wakhan.errors.RouteError: missing elevation data (nodata cells) separates (0, 0) from (0, 2); fill the DEM's voids or enlarge the area around the route.
    """
    g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    start = _flat_cells(g, start_rc, "start")
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    if bidirectional is not False and start.size == 1 and start[0] != goal and bidir.usable(g, model):
        _, meet, _, back_f, _, back_b, _ = bidir.search_pair(g, model, int(start[0]), goal)
        if meet >= 0:
            cells = np.concatenate([_trace_cells(back_f, g, meet)[::-1], _trace_cells(back_b, g, meet)[1:]])
            # summed from the start as a one-way search sums it: the same path gives the same bits,
            # whichever cell of it the two searches met at (cost_f + cost_b there differs in the last bits)
            steps = path_step_costs(search_input(g, model, cells[:0]), cells)
            return _make_path(g, model, cells, float(np.cumsum(steps)[-1]))
        if g.z.size == 0:
            g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, True)
        raise _diagnose(g, model, int(start[0]), goal, start_rc, goal_rc)
    cost, back, _ = _run(g, model, start, goal=goal, astar=True)
    if back.ravel()[goal] == UNREACHED:
        if g.z.size == 0:
            g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, True)
        raise _diagnose(g, model, int(start[0]), goal, start_rc, goal_rc)
    cells = _trace_cells(back, g, goal)[::-1]
    return _make_path(g, model, np.ascontiguousarray(cells), cost.ravel()[goal])


def corridor(
    dem, model, start_rc, goal_rc, *, within_pct=5.0, neighbours=8, barrier=None, friction=None, cell_size_m=None
) -> Corridor:
    """Cells through which a start-goal route costs at most ``(1 + within_pct/100) * optimum``.

    ``total = cost(start -> cell) + cost(cell -> goal)``; the second term is
    accumulated on the reverse graph so up- and downhill are priced correctly.

    Examples
    --------
    Going round the middle cell of a 3 x 3 flat grid costs ``2 * 10 * sqrt(2)`` = 28.3, within 50 %
    of the straight 20:

    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel

    >>> c = corridor(np.zeros((3, 3)), IsotropicModel(), (1, 0), (1, 2), within_pct=50, cell_size_m=(10, 10))
    >>> c.mask.astype(int).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    """
    check_within_pct(within_pct)
    g = _as_graph(dem, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    start = _flat_cells(g, start_rc, "start")
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    fwd, back, _ = _run(g, model, start)
    if back.ravel()[goal] == UNREACHED:
        gz = g if g.z.size else _as_graph(dem, neighbours, barrier, friction, cell_size_m, True)
        raise _diagnose(gz, model, int(start[0]), goal, start_rc, goal_rc)
    rev, _, _ = _run(g, model, np.array([goal]), reverse=True)
    total = fwd + rev
    optimum = float(fwd.ravel()[goal])
    mask = total <= optimum * (1.0 + within_pct / 100.0) * (1 + 1e-12) + 1e-12
    cells = _trace_cells(back, g, goal)[::-1]
    path = _make_path(g, model, np.ascontiguousarray(cells), optimum)
    return Corridor(total, mask, optimum, float(within_pct), model.cost_unit, path, g.grid)
