"""Numba kernels of the least-cost solver: flat arrays and plain loops only.

Nothing here validates input or knows about :class:`wakhan.grid.Grid`; the
wrappers in :mod:`wakhan.solve.api` do that. Cells are flat row-major indices
``i = row * ncols + col``. Every search reads one input structure,
:class:`SearchInput` (a named tuple of flat arrays and scalars, which Numba
passes as a tuple), built once per search by :func:`wakhan.solve.graph.search_input`.
There are two search kernels:

* :func:`wakhan.solve.heap.search`, an indexed binary heap with decrease-key, for every
  algorithm: ``mode = MODE_SUM``, sum of edge costs (Dijkstra; A* when
  ``hfactor > 0`` and a goal is given; on the reverse graph when ``reverse`` is
  true); ``mode = MODE_MINIMAX``, bottleneck (minimax) of ``abs(grade_pct)``
  along the path, ignoring the grade limit: the gentlest crossing.
* :func:`wakhan.solve.buckets.search_buckets`, an exact bucket queue, faster
  for sums of costs whose edge costs are bounded below and above (the wrapper
  chooses, see :func:`wakhan.solve.search._bucket_plan`).

Both price an edge with the one :func:`edge_cost` (see :mod:`wakhan.cost` for the
formulae). A move within the 8-neighbourhood ``a -> b`` is one piece; a longer
move (16/32 neighbours) is two half-moves ``a -> m -> b`` through its midpoint
``m``, whose elevation ``z[m]`` is the bilinear interpolation of the DEM at the
fractional cell ``(r + dr/2, c + dc/2)`` (the precomputed cells and weights ``hm_*``)::

    grade_pct = 100.0 * dz / piece_length      # dz = z[to] - z[from] of the piece
    impassable if abs(grade_pct) > max_grade_pct for any piece (or z[m] is NaN)
    cost = sum over pieces of piece_length * cost_per_m(kind, params, grade_pct, piece_zmean)
    cost *= (f[a] + f[b]) / 2
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from wakhan.cost.kinds import (
    HW_ALTITUDE_SURCHARGE,
    HW_ALTITUDE_THRESHOLD_M,
    HW_CUT_SLOPE,
    HW_DESIGN_GRADE_BAND0,
    HW_DESIGN_SCALE_BAND0,
    HW_DOWNHILL_WEIGHT,
    HW_EARTHWORKS_FACTOR,
    HW_GRADE_SCALE_PCT,
    HW_HAIRPIN_COST_PER_M,
    HW_MAX_SIDE_SLOPE,
    HW_UPHILL_WEIGHT,
    ISO_COST_PER_M,
    KIND_HIGHWAY,
    KIND_WALKING,
    N_PARAMS,
    WK_ALTITUDE_FLOOR,
    WK_ALTITUDE_LOSS_PER_M,
    WK_ALTITUDE_ONSET_M,
    WK_SLOPE_COEFFICIENT,
    WK_SLOPE_OFFSET,
    WK_SPEED_KMH,
)
from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve._intrinsics import fixed_tuple

SOURCE = -1  # backlink of a source cell
UNREACHED = -2  # backlink of a cell no path reaches
MODE_SUM = 0  # search mode: sum of edge costs
MODE_MINIMAX = 1  # search mode: smallest possible maximum abs(grade_pct) along the path

__all__ = [
    "SOURCE",
    "UNREACHED",
    "MODE_SUM",
    "MODE_MINIMAX",
    "SearchInput",
    "path_step_costs",
    "cost_per_m",
    "N_PARAMS",
    "edge_cost",
    "edge_cost_z",
    "edge_grade",
    "earthworks_per_m",
    "flat_steps",
]


class SearchInput(NamedTuple):
    """Everything a search kernel reads: the graph, the cost model and the query.

    Built (with the scalar types fixed, so that Numba compiles each kernel once
    per array dtype) by :func:`wakhan.solve.graph.search_input`; Numba passes it
    as a tuple, and the kernels read its fields by name.

    Attributes
    ----------
    z : float32[:] or float64[:]
        Elevations (m; read as float64), or an empty array when grades do not matter (isotropic
        model without a grade limit; never in ``MODE_MINIMAX``).
    passable : bool[:]
        False on nodata and barrier cells.
    friction : float64[:]
        Positive multipliers, or an empty array for 1 everywhere.
    nrows, ncols : int
        Grid shape.
    off_r, off_c, off_len : int64[:], int64[:], float64[:]
        Neighbour offsets and their metric lengths.
    mid_ptr, mid_r, mid_c : int64[:]
        Cells each offset's segment passes through (CSR): offset ``k`` needs
        ``mid_r/mid_c[mid_ptr[k]:mid_ptr[k+1]]`` passable too.
    hm_ptr : int64[:]
        ``hm_ptr[k + 1] > hm_ptr[k]`` when move ``k`` has a midpoint (a long move).
    hm_step4, hm_w4 : int64[:, 4], float64[:, 4]
        Each move's midpoint cells as flat offsets from its start cell and their
        bilinear weights, in 4 fixed slots (see :func:`wakhan.solve.graph.midpoint_slots`).
    dx, dy : float
        Cell size in metres (for the heuristic).
    kind, params, max_grade_pct : int, float64[:], float
        Cost model: a ``KIND_*`` constant of :mod:`wakhan.cost` and its
        parameters (see :func:`cost_per_m`), zero-padded to ``N_PARAMS`` values
        (the kernels read them as a tuple).
    sources : int64[:]
        Flat indices of the sources (cost 0).
    goal : int
        Flat index to stop at, or -1 to settle everything reachable.
    hfactor : float
        A* heuristic: ``hfactor * euclidean_distance_m`` to the goal (0 = Dijkstra).
    reverse : bool
        Price edge ``u -> v`` as the travel ``v -> u`` (accumulating towards a goal).
    mode : int
        ``MODE_SUM`` or ``MODE_MINIMAX`` (heap kernel only; the bucket kernel sums).
    side_g : float32[:]
        The terrain's gradient per cell, interleaved: ``side_g[2 i]`` dz/dx east, ``side_g[2 i + 1]``
        dz/dy north (m/m, :func:`terrain_gradient`; the two values of a cell share a cache line, so a
        priced move waits for one memory read per cell, not two) for the highway's earthworks term;
        empty when the model has none, and on grids of
        :data:`GRADIENT_ON_THE_FLY_MIN_CELLS` or more, where the kernels compute it from ``z``
        where a move is priced (:func:`cell_gradient`, the same float32 values): storing it
        takes 8 bytes a cell (4.3 GB on the 30 m grid), computing it about a third more CPU
        time per cell on the highway search (benchmarks/README.md).
    side_px, side_py : float64[:]
        Each move's unit normal in map coordinates (east, north), empty without earthworks: the
        side slope a move crosses at a cell is ``abs(gx * px + gy * py)``. One compiled kernel
        serves every case (loop-invariant tests pick the term and where its gradient comes from).

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve.graph import _as_graph, search_input
    >>> g = _as_graph(np.zeros((2, 3)), 8, None, None, (1.0, 1.0), False)
    >>> inp = search_input(g, IsotropicModel(), np.array([0]))
    >>> inp.nrows, inp.ncols, inp.off_r.size, inp.mode == MODE_SUM
    (2, 3, 8, True)
    """

    z: np.ndarray
    passable: np.ndarray
    friction: np.ndarray
    nrows: int
    ncols: int
    off_r: np.ndarray
    off_c: np.ndarray
    off_len: np.ndarray
    mid_ptr: np.ndarray
    mid_r: np.ndarray
    mid_c: np.ndarray
    hm_ptr: np.ndarray
    hm_step4: np.ndarray
    hm_w4: np.ndarray
    dx: float
    dy: float
    kind: int
    params: np.ndarray
    max_grade_pct: float
    sources: np.ndarray
    goal: int
    hfactor: float
    reverse: bool
    mode: int
    side_g: np.ndarray
    side_px: np.ndarray
    side_py: np.ndarray


@njit(cache=True, nogil=True, inline="always")
def cost_per_m(kind, params, grade_pct, zmean):
    """Cost of one metre at ``grade_pct`` (kinds: the ``KIND_*`` constants of :mod:`wakhan.cost`).

    Highway: a road at the design grade ``gd(zmean)``; steeper terrain is developed
    (switchbacks, ``r = |grade| / gd`` times the length, plus hairpins), see
    :mod:`wakhan.cost`. ``params`` is the model's :meth:`kernel_params` vector, or
    the same values as a tuple (the search kernels pass a tuple: an array passed
    into an inlined function costs two atomic reference-count updates per call).

    Examples
    --------
    A highway metre at 4 % (half the 8 % grade scale) below 3,000 m costs ``1 + (4/8)**2``:

    >>> from wakhan.cost import HighwayModel, KIND_HIGHWAY
    >>> kind, p = HighwayModel().kernel_params()
    >>> kind == KIND_HIGHWAY, float(cost_per_m(kind, p, 0.0, 1000.0)), float(cost_per_m(kind, p, 4.0, 1000.0))
    (True, 1.0, 1.25)
    """
    if kind == KIND_HIGHWAY:
        # Branch-free (grade signs, switchbacks and bands are unpredictable): with r = max(|g| / gd, 1)
        # and s = min(|g|, gd) / g0 both cases are r * (1 + w s^2) + (r - 1) * hairpin, exactly. One
        # division: |g| <= gd gives r = 1 and s = |g| / g0, |g| > gd gives r = |g| / gd and s = gd / g0
        # (a parameter slot, divided once per model): the same IEEE operations on the same values.
        # The design grade of the piece's 1,000 m band above 3,000 m: selects, not a table lookup
        # (a runtime index into the parameter tuple compiles to an indirect jump).
        gd = params[HW_DESIGN_GRADE_BAND0]
        gd_scaled = params[HW_DESIGN_SCALE_BAND0]
        if zmean >= 3000.0:
            gd = params[HW_DESIGN_GRADE_BAND0 + 1]
            gd_scaled = params[HW_DESIGN_SCALE_BAND0 + 1]
        if zmean >= 4000.0:
            gd = params[HW_DESIGN_GRADE_BAND0 + 2]
            gd_scaled = params[HW_DESIGN_SCALE_BAND0 + 2]
        if zmean >= 5000.0:
            gd = params[HW_DESIGN_GRADE_BAND0 + 3]
            gd_scaled = params[HW_DESIGN_SCALE_BAND0 + 3]
        a = 1.0 + params[HW_ALTITUDE_SURCHARGE] if zmean > params[HW_ALTITUDE_THRESHOLD_M] else 1.0
        w = params[HW_UPHILL_WEIGHT] if grade_pct > 0.0 else params[HW_DOWNHILL_WEIGHT]
        g = abs(grade_pct)
        steep = g > gd
        q = g / (gd if steep else params[HW_GRADE_SCALE_PCT])
        r = q if steep else 1.0
        s = gd_scaled if steep else q
        return (r * (1.0 + w * s * s) + (r - 1.0) * params[HW_HAIRPIN_COST_PER_M]) * a
    if kind == KIND_WALKING:
        speed_kmh = params[WK_SPEED_KMH] * math.exp(
            -params[WK_SLOPE_COEFFICIENT] * abs(grade_pct / 100.0 + params[WK_SLOPE_OFFSET])
        )
        loss_per_m = params[WK_ALTITUDE_LOSS_PER_M]
        if loss_per_m > 0.0 and zmean > params[WK_ALTITUDE_ONSET_M]:
            # altitude term: speed x max(1 - loss_per_m * (zmean - onset), floor)
            speed_kmh *= max(1.0 - loss_per_m * (zmean - params[WK_ALTITUDE_ONSET_M]), params[WK_ALTITUDE_FLOOR])
        return 3.6 / speed_kmh
    return params[ISO_COST_PER_M]


@njit(cache=True, nogil=True)
def flat_steps(ncols, off_r, off_c):
    """Flat index offsets ``r * ncols + c`` of the (row, col) offsets ``off_r, off_c``.

    Examples
    --------
    >>> flat_steps(10, np.array([-1, 0, 1]), np.array([0, 1, 1])).tolist()
    [-10, 1, 11]
    """
    out = np.empty(off_r.size, dtype=np.int64)
    for k in range(off_r.size):
        out[k] = off_r[k] * ncols + off_c[k]
    return out


@njit(cache=True, nogil=True, inline="always")
def midpoint_z(z, u, hm_step4, hm_w4, k):
    """Bilinear elevation at the midpoint of move ``k`` from flat cell ``u``.

    ``sum(hm_w4[k, j] * z[u + hm_step4[k, j]])`` over the 4 slots of
    :func:`wakhan.solve.graph.midpoint_slots` (the 2 or 4 cells around the midpoint); NaN when any
    of them is nodata. Elevations are read as float64 whatever ``z``'s dtype
    (float32 -> float64 is exact). The search loops write this sum out in place (see
    :func:`edge_cost_z`).
    """
    zm = 0.0
    for j in range(4):
        zm += hm_w4[k, j] * np.float64(z[u + hm_step4[k, j]])
    return zm


@njit(cache=True, nogil=True, inline="always")
def two_half_cost(kind, params, max_grade_pct, za, zm, zb, half):
    """Cost of the travel ``a -> m -> b`` over two pieces of length ``half``.

    Returns -1.0 when either piece is steeper than ``max_grade_pct`` or ``zm``
    is NaN.
    """
    g1 = 100.0 * (zm - za) / half
    g2 = 100.0 * (zb - zm) / half
    if not (abs(g1) <= max_grade_pct and abs(g2) <= max_grade_pct):
        return -1.0
    return half * cost_per_m(kind, params, g1, 0.5 * (za + zm)) + half * cost_per_m(kind, params, g2, 0.5 * (zm + zb))


@njit(cache=True, nogil=True, inline="always")
def edge_cost_z(kind, params, max_grade_pct, length, za, zm, zb, long_move):
    """THE edge-cost formula, on the elevations of the move's ends and midpoint; -1.0 when impassable.

    ``za``, ``zb``: elevations (m) where the travel starts and ends; ``zm``: the bilinear
    midpoint (:func:`midpoint_z`), read only when ``long_move`` (a move beyond the
    8-neighbourhood, priced as two half-moves); ``length``: the move's metric length.
    Scalars only: the search loops read the elevations themselves and call this, because an
    array passed into an inlined function costs an atomic reference-count increment and
    decrement per call (per priced edge) that Numba's pruning does not remove from a loop
    this large.

    Examples
    --------
    >>> from wakhan.cost import HighwayModel
    >>> kind, p = HighwayModel().kernel_params()
    >>> float(edge_cost_z(kind, p, 60.0, 100.0, 0.0, 0.0, 4.0, False))  # 4 % up: 1 + (4/8)**2 per metre
    125.0
    """
    if long_move:
        return two_half_cost(kind, params, max_grade_pct, za, zm, zb, 0.5 * length)
    gp = 100.0 * (zb - za) / length
    if abs(gp) > max_grade_pct:
        return -1.0
    return length * cost_per_m(kind, params, gp, 0.5 * (za + zb))


@njit(cache=True, nogil=True, inline="always")
def earthworks_per_m(side_slope, params):
    """Earthworks of one metre of highway on ground of ``side_slope`` (m/m across the road), in flat metres.

    A full-bench cross-section (see :class:`wakhan.cost.HighwayModel`): a formation of
    width ``W`` cut into ground of side slope ``s`` with a cut face of slope ``c`` moves
    ``W**2 / 2 * s * c / (c - s)`` m3 per metre of road; slot ``HW_EARTHWORKS_FACTOR`` is
    ``weight * W**2 / 2 * (flat metres per m3)``, ``HW_CUT_SLOPE`` is ``c``, ``HW_MAX_SIDE_SLOPE`` the
    side slope beyond which the section is priced as at that slope (retaining walls).

    Examples
    --------
    >>> from wakhan.cost import HighwayModel
    >>> _, p = HighwayModel(earthworks_weight=1.0).kernel_params()
    >>> float(earthworks_per_m(0.0, p))
    0.0
    """
    s = min(side_slope, params[HW_MAX_SIDE_SLOPE])
    c = params[HW_CUT_SLOPE]
    return params[HW_EARTHWORKS_FACTOR] * s * c / (c - s)


#: Grids of this many cells or more get no stored terrain gradient for the earthworks term: the
#: kernels compute it where a move is priced (8 bytes a cell saved; the 30 m grid has 537 M cells).
GRADIENT_ON_THE_FLY_MIN_CELLS = 256_000_000


@njit(cache=True, nogil=True, inline="always")
def cell_gradient(z, r, c, nrows, ncols, dx, dy):
    """The DEM's slope east and north (m/m) at cell ``(r, c)``, rounded to float32 and returned as float64.

    Central differences inside, one-sided at the edges (as ``numpy.gradient``); a
    difference that touches nodata is 0, so a cell beside a void stays passable.
    The searches compute it on the fly for the highway's earthworks (a stored
    float32 gradient would take 8 bytes a cell: 4.3 GB on the 30 m grid); the
    float32 rounding keeps the costs those of a stored float32 gradient, bit for bit.

    Examples
    --------
    >>> z = np.array([2.0, 2.0, 0.0, 0.0])  # 2 x 2, the top row 2 m higher
    >>> gx, gy = cell_gradient(z, 0, 1, 2, 2, 10.0, 10.0)
    >>> float(gx), round(float(gy), 6), float(gy) == float(np.float32(0.2))
    (0.0, 0.2, True)
    """
    r0 = r - 1 if r > 0 else r
    r1 = r + 1 if r < nrows - 1 else r
    c0 = c - 1 if c > 0 else c
    c1 = c + 1 if c < ncols - 1 else c
    e = (np.float64(z[r * ncols + c1]) - np.float64(z[r * ncols + c0])) / ((c1 - c0) * dx) if c1 > c0 else 0.0
    n = (np.float64(z[r0 * ncols + c]) - np.float64(z[r1 * ncols + c])) / ((r1 - r0) * dy) if r1 > r0 else 0.0
    gx = np.float64(np.float32(e)) if e == e else 0.0  # NaN (nodata) -> 0
    gy = np.float64(np.float32(n)) if n == n else 0.0
    return gx, gy


@njit(cache=True, nogil=True)
def terrain_gradient(z, nrows, ncols, dx, dy, gxy):
    """Fill ``gxy`` (float32, flat, 2 values a cell) with :func:`cell_gradient` at every cell, interleaved:
    ``gxy[2 i]`` m/m east, ``gxy[2 i + 1]`` m/m north.

    Examples
    --------
    >>> z = np.array([2.0, 2.0, 0.0, 0.0])  # 2 x 2, the top row 2 m higher
    >>> gxy = np.empty(8, np.float32)
    >>> terrain_gradient(z, 2, 2, 10.0, 10.0, gxy)
    >>> gxy[0::2].tolist(), [round(v, 6) for v in gxy[1::2].tolist()]
    ([0.0, 0.0, 0.0, 0.0], [0.2, 0.2, 0.2, 0.2])
    """
    for r in range(nrows):
        for c in range(ncols):
            e, n = cell_gradient(z, r, c, nrows, ncols, dx, dy)
            gxy[2 * (r * ncols + c)] = e
            gxy[2 * (r * ncols + c) + 1] = n


@njit(cache=True, nogil=True, inline="always")
def side_slope(gxu, gyu, gxv, gyv, px, py):
    """Mean side slope (m/m) across a move with unit normal ``(px, py)``, from the terrain gradient
    ``(gxu, gyu)`` and ``(gxv, gyv)`` (east, north; :func:`cell_gradient`) at its two end cells."""
    return 0.5 * (abs(gxu * px + gyu * py) + abs(gxv * px + gyv * py))


@njit(cache=True, nogil=True, inline="always")
def with_earthworks(w, length, params, gxu, gyu, gxv, gyv, px, py):
    """``w`` plus the earthworks of a move of ``length`` m (:func:`earthworks_per_m`) when ``w >= 0``."""
    if not w >= 0.0:
        return w
    return w + length * earthworks_per_m(side_slope(gxu, gyu, gxv, gyv, px, py), params)


@njit(cache=True, nogil=True, inline="always")
def edge_cost(z, u, v, k, off_len, hm_ptr, hm_step4, hm_w4, kind, params, max_grade_pct, reverse):
    """Cost of move ``k`` between flat cells ``u -> v`` before friction; -1.0 when impassable.

    The edge-cost formula of every kernel (:func:`edge_cost_z`, see the module doc and
    :mod:`wakhan.cost`) with the elevations read from ``z``: one piece within the
    8-neighbourhood, two half-moves through the bilinear midpoint otherwise; ``reverse``
    prices the travel ``v -> u``. ``z`` is empty for a grade-blind model (cost
    ``length * params[ISO_COST_PER_M]``). For use outside the search loops (which read
    the elevations themselves, see :func:`edge_cost_z`).

    Examples
    --------
    One 100 m move (no midpoint) climbing 4 m: 4 % up costs ``1 + (4/8)**2`` per metre,
    the reverse travel (4 % down) ``1 + 0.5 (4/8)**2``:

    >>> from wakhan.cost import HighwayModel
    >>> kind, p = HighwayModel().kernel_params()
    >>> z, off_len = np.array([0.0, 4.0]), np.array([100.0])
    >>> hm_ptr, hm_step4, hm_w4 = np.zeros(2, np.int64), np.zeros((1, 4), np.int64), np.zeros((1, 4))
    >>> float(edge_cost(z, 0, 1, 0, off_len, hm_ptr, hm_step4, hm_w4, kind, p, 60.0, False))
    125.0
    >>> float(edge_cost(z, 0, 1, 0, off_len, hm_ptr, hm_step4, hm_w4, kind, p, 60.0, True))
    112.5
    >>> float(edge_cost(z, 0, 1, 0, off_len, hm_ptr, hm_step4, hm_w4, kind, p, 3.0, False))  # over a 3 % limit
    -1.0
    """
    length = off_len[k]
    if z.size == 0:
        return length * params[ISO_COST_PER_M]
    za = np.float64(z[u])
    zb = np.float64(z[v])
    if reverse:
        za, zb = zb, za
    long_move = hm_ptr[k + 1] > hm_ptr[k]
    zm = midpoint_z(z, u, hm_step4, hm_w4, k) if long_move else 0.0
    return edge_cost_z(kind, params, max_grade_pct, length, za, zm, zb, long_move)


@njit(cache=True, nogil=True, inline="always")
def edge_grade(z, u, v, k, off_len, hm_ptr, hm_step4, hm_w4):
    """Largest ``abs(grade_pct)`` over the pieces of move ``k`` from ``u`` to ``v``; NaN on nodata.

    Examples
    --------
    >>> z, off_len = np.array([0.0, 4.0]), np.array([100.0])
    >>> hm_ptr, hm_step4, hm_w4 = np.zeros(2, np.int64), np.zeros((1, 4), np.int64), np.zeros((1, 4))
    >>> float(edge_grade(z, 1, 0, 0, off_len, hm_ptr, hm_step4, hm_w4))
    4.0
    """
    length = off_len[k]
    za = np.float64(z[u])
    zb = np.float64(z[v])
    if hm_ptr[k + 1] > hm_ptr[k]:
        zm = midpoint_z(z, u, hm_step4, hm_w4, k)
        half = 0.5 * length
        g1 = abs(100.0 * (zm - za) / half)
        g2 = abs(100.0 * (zb - zm) / half)
        return g1 if g1 > g2 else g2
    return abs(100.0 * (zb - za) / length)


def path_step_costs(inp, cells):
    """Cost of each step ``cells[i] -> cells[i+1]`` of a path (:func:`edge_cost`, as the searches).

    Every step must be one of the moves ``inp.off_r/off_c``; the grade limit is
    not checked here, and the query fields of ``inp`` are not read. The earthworks
    term is added after :func:`edge_cost`, as the searches add it (:func:`with_earthworks`).

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
