"""Validating wrappers around the Numba search kernel.

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
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from wakhan.errors import InputError, RouteError
from wakhan.grid import Grid
from wakhan.solve import buckets, kernels
from wakhan.solve.kernels import SOURCE, UNREACHED

__all__ = ["Path", "Accumulation", "Corridor", "least_cost_path", "accumulate", "trace",
           "corridor", "gentlest_crossing_pct", "neighbour_offsets", "midpoint_cells", "SOURCE",
           "UNREACHED"]

_EXTRA_MOVES = {8: [], 16: [(1, 2), (2, 1)], 32: [(1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2)]}


def neighbour_offsets(neighbours: int):
    """Moves ``(dr, dc)`` of a neighbourhood, and the cells each move's segment crosses.

    Returns
    -------
    moves : list of (int, int)
    crossed : list of list of (int, int)
        For each move, the cells other than its two ends whose interior the
        straight segment between the cell centres passes through.
    """
    if neighbours not in _EXTRA_MOVES:
        raise InputError(f"neighbours={neighbours!r} is not supported; use 8, 16 or 32.")
    base = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]
    moves = list(base)
    for a, b in _EXTRA_MOVES[neighbours]:
        moves += [(sa * a, sb * b) for sa in (-1, 1) for sb in (-1, 1)]
    crossed = []
    steps = 1000  # even, so no sample lands on the half-integer boundaries of these moves
    t = (np.arange(steps) + 0.5) / steps
    for dr, dc in moves:
        rr = np.rint(t * dr).astype(int)
        cc = np.rint(t * dc).astype(int)
        cells = sorted({(r, c) for r, c in zip(rr, cc)} - {(0, 0), (dr, dc)})
        crossed.append(cells)
    return moves, crossed


def midpoint_cells(dr: int, dc: int):
    """The cells around the midpoint of move ``(dr, dc)`` and their bilinear weights.

    Returns
    -------
    list of ((int, int), float)
        Offsets from the move's start cell with weights summing to 1; empty
        for a move of the 8-neighbourhood (graded end to end, no midpoint).
    """
    if max(abs(dr), abs(dc)) <= 1:
        return []
    out = []
    for r, wr in _axis_weights(dr):
        for c, wc in _axis_weights(dc):
            out.append(((r, c), wr * wc))
    return out


def _axis_weights(d: int):
    """Linear interpolation weights at ``d / 2`` along one axis: [(cell, weight)]."""
    if d % 2 == 0:
        return [(d // 2, 1.0)]
    lo = (d - 1) // 2
    return [(lo, 0.5), (lo + 1, 0.5)]


@dataclass(frozen=True)
class _Graph:
    """Everything the kernel needs, validated and flattened."""

    shape: tuple
    dx: float
    dy: float
    z: np.ndarray
    passable: np.ndarray
    valid: np.ndarray
    barrier: np.ndarray | None
    friction: np.ndarray
    off_r: np.ndarray
    off_c: np.ndarray
    off_len: np.ndarray
    mid_ptr: np.ndarray
    mid_r: np.ndarray
    mid_c: np.ndarray
    hm_ptr: np.ndarray
    hm_r: np.ndarray
    hm_c: np.ndarray
    hm_w: np.ndarray
    neighbours: int
    grid: Grid | None
    fmin: float = 1.0
    fmax: float = 1.0


@dataclass(frozen=True)
class Path:
    """A route as cell indices and map coordinates, with the cost of every step."""

    rows: np.ndarray
    cols: np.ndarray
    step_cost: np.ndarray
    total_cost: float
    cost_unit: str
    x: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return int(self.rows.size)


@dataclass(frozen=True)
class Accumulation:
    """Accumulated cost from the sources (``inf`` unreachable) and backlinks.

    ``backlink`` holds the index of the move (see :func:`neighbour_offsets`)
    that reached each cell: the predecessor is ``(r - dr, c - dc)``;
    ``SOURCE`` (-1) marks sources, ``UNREACHED`` (-2) cells no path reaches.
    """

    cost: np.ndarray
    backlink: np.ndarray
    cost_unit: str
    sources_rc: tuple
    model: object
    settled: int
    _graph: _Graph = field(repr=False)
    reverse: bool = False


@dataclass(frozen=True)
class Corridor:
    """Cells whose best route via them costs within ``within_pct`` of the optimum."""

    total: np.ndarray
    mask: np.ndarray
    optimum: float
    within_pct: float
    cost_unit: str
    path: Path


def _as_graph(dem, model, neighbours, barrier, friction, cell_size_m, need_z) -> _Graph:
    grid = None
    if isinstance(dem, Grid):
        grid = dem
        if dem.is_geographic:
            raise InputError("the DEM is in geographic degrees; reproject it to a metric CRS "
                             "(wakhan.dem.build_dem does) before solving.")
        dx, dy = (float(v) for v in dem.res)
        arr = np.asarray(dem.array)
        valid = dem.valid_mask()
    else:
        arr = np.asarray(dem)
        if arr.ndim != 2:
            raise InputError(f"the DEM must be a 2-D array, got shape {arr.shape}.")
        if cell_size_m is None:
            raise InputError("a plain-array DEM needs cell_size_m=(dx, dy) in metres.")
        dx, dy = (float(v) for v in np.broadcast_to(np.asarray(cell_size_m, dtype=float), (2,)))
        valid = ~np.isnan(arr) if np.issubdtype(arr.dtype, np.floating) else np.ones(arr.shape, bool)
    if not np.issubdtype(arr.dtype, np.number) or arr.ndim != 2 or arr.size == 0:
        raise InputError(f"the DEM must be a non-empty 2-D numeric array, got {arr.dtype} {arr.shape}.")
    if not (math.isfinite(dx) and math.isfinite(dy) and dx > 0 and dy > 0):
        raise InputError(f"cell size ({dx}, {dy}) must be positive metres.")
    if np.isinf(arr).any():
        raise InputError("the DEM holds infinite elevations; mark missing cells with NaN instead.")
    shape = arr.shape
    passable = valid.copy()
    bar = None
    if barrier is not None:
        bar = np.asarray(barrier)
        if bar.shape != shape:
            raise InputError(f"barrier shape {bar.shape} does not match the DEM shape {shape}.")
        if bar.dtype != bool:
            raise InputError(f"barrier must be a boolean array (True = impassable), got {bar.dtype}.")
        passable &= ~bar
    fr = np.empty(0, dtype=np.float64)
    fmin = fmax = 1.0
    if friction is not None:
        f = np.asarray(friction)
        if f.shape != shape:
            raise InputError(f"friction shape {f.shape} does not match the DEM shape {shape}.")
        fr = np.ascontiguousarray(f, dtype=np.float64).ravel()
        fmin, fmax = float(fr.min()), float(fr.max())
        if math.isnan(fmin) or math.isnan(fmax):
            raise InputError("friction holds NaN; use the barrier mask for impassable cells "
                             "and a positive multiplier elsewhere.")
        if not (fmin > 0 and math.isfinite(fmax)):
            raise InputError("friction must be finite and positive everywhere; use the barrier "
                             "mask for impassable cells.")
    if not passable.any():
        raise InputError("every cell of the DEM is nodata or behind the barrier; nothing is passable.")
    moves, crossed = neighbour_offsets(neighbours)
    halves = [midpoint_cells(dr, dc) for dr, dc in moves]
    # A long move needs data at every cell around its midpoint; where those are
    # not all among its crossed cells ((1, 3) moves), elevations are needed to see
    # nodata there even for a grade-blind model (costs are unchanged by them).
    if not need_z and not valid.all() and any(
            {rc for rc, _ in h} - set(cs) for h, cs in zip(halves, crossed)):
        need_z = True
    if need_z:
        z = np.ascontiguousarray(arr, dtype=np.float64).ravel()
        if not valid.all():
            # nodata reads NaN (a midpoint next to it is undefined), whatever the DEM's nodata value
            z = np.where(valid.ravel(), z, np.nan)
    else:
        z = np.empty(0, dtype=np.float64)
    off_r = np.array([m[0] for m in moves], dtype=np.int64)
    off_c = np.array([m[1] for m in moves], dtype=np.int64)
    off_len = np.array([math.sqrt((m[0] * dy) ** 2 + (m[1] * dx) ** 2) for m in moves])
    mid_ptr = np.zeros(len(moves) + 1, dtype=np.int64)
    mid_ptr[1:] = np.cumsum([len(c) for c in crossed])
    mid_r = np.array([c[0] for cs in crossed for c in cs], dtype=np.int64)
    mid_c = np.array([c[1] for cs in crossed for c in cs], dtype=np.int64)
    hm_ptr = np.zeros(len(moves) + 1, dtype=np.int64)
    hm_ptr[1:] = np.cumsum([len(h) for h in halves])
    hm_r = np.array([rc[0] for h in halves for rc, _ in h], dtype=np.int64)
    hm_c = np.array([rc[1] for h in halves for rc, _ in h], dtype=np.int64)
    hm_w = np.array([w for h in halves for _, w in h], dtype=np.float64)
    return _Graph(shape, dx, dy, z, np.ascontiguousarray(passable).ravel(), valid, bar, fr,
                  off_r, off_c, off_len, mid_ptr, mid_r, mid_c, hm_ptr, hm_r, hm_c, hm_w,
                  neighbours, grid, fmin, fmax)


def _model_params(model):
    if not hasattr(model, "kernel_params"):
        raise InputError(f"{model!r} is not a wakhan cost model; use wakhan.cost.get_model(name).")
    kind, params = model.kernel_params()
    return kind, params, float(model.max_grade_pct)


def _needs_z(model) -> bool:
    kind, _, max_grade = _model_params(model)
    return kind != 0 or math.isfinite(max_grade)


def _flat_cells(g: _Graph, cells_rc, what: str) -> np.ndarray:
    arr = np.asarray(cells_rc, dtype=np.int64).reshape(-1, 2)
    if arr.size == 0:
        raise InputError(f"no {what} cell given; pass (row, col) pairs.")
    nrows, ncols = g.shape
    out = []
    for r, c in arr:
        if not (0 <= r < nrows and 0 <= c < ncols):
            raise InputError(f"{what} cell ({r}, {c}) lies outside the {nrows} x {ncols} grid; "
                             f"choose a point inside the DEM or enlarge it.")
        i = r * ncols + c
        if not g.valid.ravel()[i]:
            raise InputError(f"{what} cell ({r}, {c}) has no elevation data (nodata); "
                             f"move it or fill the DEM's voids.")
        if not g.passable[i]:
            raise InputError(f"{what} cell ({r}, {c}) lies on the barrier; move it or edit the barrier.")
        out.append(i)
    return np.array(out, dtype=np.int64)


_ASTAR_WEIGHT = 0.5   # share of the admissible heuristic used with the bucket queue
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


def _run(g: _Graph, model, sources, *, goal=-1, astar=False, reverse=False, mode=0):
    n = g.shape[0] * g.shape[1]
    cost = np.full(n, np.inf)
    back = np.full(n, UNREACHED, dtype=np.int8)
    if mode == 1:
        kind, params, max_grade = 0, np.ones(1), math.inf
    else:
        kind, params, max_grade = _model_params(model)
    hfull = 0.0
    if astar:
        hfull = float(model.min_cost_per_m) * g.fmin * (1.0 - 1e-12)
    plan = _bucket_plan(g, model, astar) if mode == 0 else None
    if plan is not None:
        delta, nbuckets, weight = plan
        settled = buckets.search_buckets(
            g.z, g.passable, g.friction, g.shape[0], g.shape[1], g.off_r, g.off_c, g.off_len,
            g.mid_ptr, g.mid_r, g.mid_c, g.hm_ptr, g.hm_r, g.hm_c, g.hm_w, kind, params, max_grade,
            sources, goal, hfull * weight,
            g.dx, g.dy, reverse, delta, nbuckets, cost, back)
    else:
        settled = kernels.search(
            g.z, g.passable, g.friction, g.shape[0], g.shape[1], g.off_r, g.off_c, g.off_len,
            g.mid_ptr, g.mid_r, g.mid_c, g.hm_ptr, g.hm_r, g.hm_c, g.hm_w, kind, params, max_grade,
            sources, goal, hfull,
            g.dx, g.dy, reverse, mode, cost, back)
    return cost.reshape(g.shape), back.reshape(g.shape), settled


def accumulate(dem, model, sources_rc, *, neighbours=8, barrier=None, friction=None,
               cell_size_m=None, reverse=False) -> Accumulation:
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
    """
    g = _as_graph(dem, model, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    src = _flat_cells(g, sources_rc, "source")
    cost, back, settled = _run(g, model, src, reverse=reverse)
    return Accumulation(cost, back, model.cost_unit, tuple(map(tuple, np.asarray(sources_rc).reshape(-1, 2).tolist())),
                        model, settled, g, reverse)


def _make_path(g: _Graph, model, cells: np.ndarray, total: float) -> Path:
    kind, params, _ = _model_params(model)
    steps = kernels.path_step_costs(g.z, g.friction, cells, g.shape[1], g.off_r, g.off_c, g.off_len,
                                    g.hm_ptr, g.hm_r, g.hm_c, g.hm_w, kind, params)
    rows, cols = np.divmod(cells, g.shape[1])
    if g.grid is not None:
        x, y = g.grid.xy(rows, cols)
    else:
        x, y = (cols + 0.5) * g.dx, -(rows + 0.5) * g.dy
    return Path(rows.astype(np.int64), cols.astype(np.int64), steps, float(total),
                model.cost_unit, np.asarray(x, float), np.asarray(y, float))


def _trace_cells(back: np.ndarray, g: _Graph, target: int) -> np.ndarray:
    flat = back.ravel()
    ncols = g.shape[1]
    step = g.off_r * ncols + g.off_c
    cells = [target]
    i = target
    for _ in range(flat.size):
        k = flat[i]
        if k < 0:
            break
        i = i - step[k]
        cells.append(i)
    return np.array(cells, dtype=np.int64)


def trace(acc: Accumulation, target_rc) -> Path:
    """The least-cost path from the nearest source to ``target_rc``.

    For a reverse accumulation the path runs from ``target_rc`` to the source.
    Raises :class:`RouteError` when the target was not reached.
    """
    g = acc._graph
    target = int(_flat_cells(g, target_rc, "target")[0])
    if acc.backlink.ravel()[target] == UNREACHED:
        raise RouteError(f"target cell {tuple(target_rc)} is not reachable from the sources; "
                         f"relax the grade limit or the barrier.")
    cells = _trace_cells(acc.backlink, g, target)
    if not acc.reverse:
        cells = cells[::-1]
    return _make_path(g, acc.model, np.ascontiguousarray(cells), acc.cost.ravel()[target])


def gentlest_crossing_pct(dem, start_rc, goal_rc, *, neighbours=8, barrier=None,
                          cell_size_m=None) -> float:
    """Smallest possible maximum ``abs(grade_pct)`` over the edges of any start-goal path.

    The grades are those the grade limit sees: end to end for moves of the
    8-neighbourhood, each half separately for longer moves (see the module
    doc), so a highway with ``max_grade_pct`` at least this value finds a route.
    Returns ``inf`` when nodata or the barrier separate the two cells.
    """
    g = _as_graph(dem, None, neighbours, barrier, None, cell_size_m, True)
    src = _flat_cells(g, start_rc, "start")
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    cost, _, _ = _run(g, None, src, goal=goal, mode=1)
    return float(cost.ravel()[goal])


def _diagnose(g: _Graph, model, start: int, goal: int, start_rc, goal_rc) -> str:
    """One sentence: why ``goal`` cannot be reached from ``start`` and what to relax."""
    where = f"from {tuple(start_rc)} to {tuple(goal_rc)}"
    limit = float(model.max_grade_pct)
    cost, _, _ = _run(g, None, np.array([start]), goal=goal, mode=1)
    gentlest = float(cost.ravel()[goal])
    if math.isfinite(gentlest):
        if gentlest > limit:
            return (f"no route {where} stays under the {limit:g} % grade limit; the gentlest crossing "
                    f"needs {gentlest:.1f} %, so raise max_grade_pct to at least {gentlest:.1f} "
                    f"or choose other end points.")
        return f"no route {where} was found although the gentlest crossing needs only {gentlest:.1f} %."
    if g.barrier is not None:
        open_graph = _Graph(**{**g.__dict__, "passable": np.ascontiguousarray(g.valid).ravel(),
                               "barrier": None})
        cost, _, _ = _run(open_graph, None, np.array([start]), goal=goal, mode=1)
        free = float(cost.ravel()[goal])
        if math.isfinite(free):
            extra = (f" (without it the gentlest crossing needs {free:.1f} %, over the {limit:g} % limit)"
                     if free > limit else "")
            return (f"the barrier mask separates {tuple(start_rc)} from {tuple(goal_rc)}{extra}; "
                    f"remove or narrow the barrier.")
    return (f"missing elevation data (nodata cells) separates {tuple(start_rc)} from {tuple(goal_rc)}; "
            f"fill the DEM's voids or enlarge the area around the route.")


def least_cost_path(dem, model, start_rc, goal_rc, *, neighbours=8, barrier=None, friction=None,
                    cell_size_m=None) -> Path:
    """The least-cost path from ``start_rc`` to ``goal_rc`` (A*, exact).

    The heuristic is the straight-line distance times the model's
    ``min_cost_per_m`` times the smallest friction: admissible and consistent.
    Raises :class:`RouteError` naming the cause when the goal is unreachable.
    """
    g = _as_graph(dem, model, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    start = _flat_cells(g, start_rc, "start")
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    cost, back, _ = _run(g, model, start, goal=goal, astar=True)
    if back.ravel()[goal] == UNREACHED:
        if g.z.size == 0:
            g = _as_graph(dem, model, neighbours, barrier, friction, cell_size_m, True)
        raise RouteError(_diagnose(g, model, int(start[0]), goal, start_rc, goal_rc))
    cells = _trace_cells(back, g, goal)[::-1]
    return _make_path(g, model, np.ascontiguousarray(cells), cost.ravel()[goal])


def corridor(dem, model, start_rc, goal_rc, *, within_pct=5.0, neighbours=8, barrier=None,
             friction=None, cell_size_m=None) -> Corridor:
    """Cells through which a start-goal route costs at most ``(1 + within_pct/100) * optimum``.

    ``total = cost(start -> cell) + cost(cell -> goal)``; the second term is
    accumulated on the reverse graph so up- and downhill are priced correctly.
    """
    if not (isinstance(within_pct, (int, float)) and within_pct >= 0):
        raise InputError(f"within_pct={within_pct!r} must be zero or a positive percentage.")
    g = _as_graph(dem, model, neighbours, barrier, friction, cell_size_m, _needs_z(model))
    start = _flat_cells(g, start_rc, "start")
    goal = int(_flat_cells(g, goal_rc, "goal")[0])
    fwd, back, _ = _run(g, model, start)
    if back.ravel()[goal] == UNREACHED:
        gz = g if g.z.size else _as_graph(dem, model, neighbours, barrier, friction, cell_size_m, True)
        raise RouteError(_diagnose(gz, model, int(start[0]), goal, start_rc, goal_rc))
    rev, _, _ = _run(g, model, np.array([goal]), reverse=True)
    total = fwd + rev
    optimum = float(fwd.ravel()[goal])
    mask = total <= optimum * (1.0 + within_pct / 100.0) * (1 + 1e-12) + 1e-12
    cells = _trace_cells(back, g, goal)[::-1]
    path = _make_path(g, model, np.ascontiguousarray(cells), optimum)
    return Corridor(total, mask, optimum, float(within_pct), model.cost_unit, path)
