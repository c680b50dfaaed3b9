"""The grid as a graph: metric lengths, the moves' flat arrays, validated inputs, the search input.

Turns a DEM (a :class:`~wakhan.grid.Grid`, or a plain array with ``cell_size_m``),
a barrier mask and a friction array into the flat arrays the Numba kernels take
(:class:`_Graph`), and checks start, goal and source cells against it. The moves and
their midpoints come from :mod:`wakhan.solve.moves`; what the moves, edge lengths and
midpoint grades mean is described in :mod:`wakhan.solve.api`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wakhan.cost import KIND_HIGHWAY, KIND_ISOTROPIC
from wakhan.cost.kinds import HW_EARTHWORKS_FACTOR
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.gridio import as_grid
from wakhan.solve.earthworks import GRADIENT_ON_THE_FLY_MIN_CELLS, terrain_gradient
from wakhan.solve.kernels import MODE_MINIMAX, MODE_SUM, N_PARAMS, SearchInput
from wakhan.solve.moves import midpoint_cells, midpoint_slots, neighbour_offsets

__all__ = ["search_input"]


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


def _as_graph(dem, neighbours, barrier, friction, cell_size_m, need_z) -> _Graph:
    dem = as_grid(dem)  # an xarray DataArray DEM becomes a Grid
    grid = None
    if isinstance(dem, Grid):
        grid = dem
        if dem.is_geographic:
            raise InputError(
                "the DEM is in geographic degrees; reproject it to a metric CRS "
                "(wakhan.dem.build_dem does) before solving"
            )
        dx, dy = (float(v) for v in dem.res)
        arr = np.asarray(dem.array)
        valid = dem.valid_mask()
    else:
        arr = np.asarray(dem)
        if arr.ndim != 2:
            raise InputError(f"the DEM must be a 2-D array, got shape {arr.shape}")
        if cell_size_m is None:
            raise InputError("a plain-array DEM needs cell_size_m=(dx, dy) in metres")
        dx, dy = (float(v) for v in np.broadcast_to(np.asarray(cell_size_m, dtype=float), (2,)))
        valid = ~np.isnan(arr) if np.issubdtype(arr.dtype, np.floating) else np.ones(arr.shape, bool)
    if not np.issubdtype(arr.dtype, np.number) or arr.ndim != 2 or arr.size == 0:
        raise InputError(f"the DEM must be a non-empty 2-D numeric array, got {arr.dtype} {arr.shape}")
    if not (math.isfinite(dx) and math.isfinite(dy) and dx > 0 and dy > 0):
        raise InputError(f"cell size ({dx}, {dy}) must be positive metres")
    if np.isinf(arr).any():
        raise InputError("the DEM holds infinite elevations; mark missing cells with NaN instead")
    shape = arr.shape
    passable = valid.copy()
    bar = None
    if barrier is not None:
        bar = np.asarray(barrier)
        if bar.shape != shape:
            raise InputError(f"barrier shape {bar.shape} does not match the DEM shape {shape}")
        if bar.dtype != bool:
            raise InputError(f"barrier must be a boolean array (True = impassable), got {bar.dtype}")
        passable &= ~bar
    fr = np.empty(0, dtype=np.float64)
    fmin = fmax = 1.0
    if friction is not None:
        f = np.asarray(friction)
        if f.shape != shape:
            raise InputError(f"friction shape {f.shape} does not match the DEM shape {shape}")
        fr = np.ascontiguousarray(f, dtype=np.float64).ravel()
        fmin, fmax = float(fr.min()), float(fr.max())
        if math.isnan(fmin) or math.isnan(fmax):
            raise InputError(
                "friction holds NaN; use the barrier mask for impassable cells and a positive multiplier elsewhere"
            )
        if not (fmin > 0 and math.isfinite(fmax)):
            raise InputError(
                "friction must be finite and positive everywhere; use the barrier mask for impassable cells"
            )
    if not passable.any():
        raise InputError("every cell of the DEM is nodata or behind the barrier; nothing is passable")
    moves, crossed = neighbour_offsets(neighbours)
    halves = [midpoint_cells(dr, dc) for dr, dc in moves]
    # A long move needs data at every cell around its midpoint; where those are
    # not all among its crossed cells ((1, 3) moves), elevations are needed to see
    # nodata there even for a grade-blind model (costs are unchanged by them).
    if not need_z and not valid.all() and any({rc for rc, _ in h} - set(cs) for h, cs in zip(halves, crossed)):
        need_z = True
    z = _kernel_z(arr, valid) if need_z else np.empty(0, dtype=np.float32)
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
    return _Graph(
        shape,
        dx,
        dy,
        z,
        np.ascontiguousarray(passable).ravel(),
        valid,
        bar,
        fr,
        off_r,
        off_c,
        off_len,
        mid_ptr,
        mid_r,
        mid_c,
        hm_ptr,
        hm_r,
        hm_c,
        hm_w,
        neighbours,
        grid,
        fmin,
        fmax,
    )


def _kernel_z(arr: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The elevations as the kernels read them: flat, NaN on nodata, float32 when that is exact.

    The kernels convert every elevation they read to float64, so a float32 array
    (SRTM, GEBCO and the built DEMs are float32) gives exactly the costs of a
    float64 copy with half the memory traffic and no 8 B/cell copy; a float64
    DEM whose values float32 does not hold exactly stays float64.
    """
    dtype: type[np.floating] = np.float32
    if arr.dtype == np.float64 or arr.dtype.itemsize > 2 and arr.dtype != np.float32:
        as32 = arr.astype(np.float32)
        same = (as32 == arr) | ~valid
        dtype = np.float32 if same.all() else np.float64
    z = np.ascontiguousarray(arr, dtype=dtype).ravel()
    if not valid.all():
        # nodata reads NaN (a midpoint next to it is undefined), whatever the DEM's nodata value
        z = np.where(valid.ravel(), z, dtype(np.nan))
    return z


def _model_params(model):
    if not hasattr(model, "kernel_params"):
        raise InputError(f"{model!r} is not a wakhan cost model; use wakhan.cost.get_model(name)")
    kind, params = model.kernel_params()
    return kind, params, float(model.max_grade_pct)


def _needs_z(model) -> bool:
    kind, _, max_grade = _model_params(model)
    return kind != KIND_ISOTROPIC or math.isfinite(max_grade)


def search_input(
    g: _Graph,
    model,
    sources: np.ndarray,
    *,
    goal: int = -1,
    hfactor: float = 0.0,
    reverse: bool = False,
    mode: int = MODE_SUM,
) -> SearchInput:
    """The one input structure of both search kernels, for graph ``g``, ``model`` and a query.

    Parameters
    ----------
    g : _Graph
        The validated graph (from ``_as_graph``).
    model : cost model from :mod:`wakhan.cost`, or None
        Ignored (None allowed) in ``MODE_MINIMAX``, which reads only grades.
    sources : int64 array
        Flat indices of the source cells.
    goal : int
        Flat index to stop at, -1 for none.
    hfactor : float
        A* heuristic factor (cost per metre of straight-line distance; 0 = Dijkstra).
    reverse : bool
        Price every edge in the opposite direction.
    mode : int
        ``MODE_SUM`` or ``MODE_MINIMAX`` (:mod:`wakhan.solve.kernels`).

    Returns
    -------
    SearchInput
        Scalars cast to fixed types (int, float, bool), so each kernel compiles once per DEM dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import HighwayModel
    >>> g = _as_graph(np.zeros((3, 4), np.float32), 16, None, None, (90.0, 90.0), True)
    >>> inp = search_input(g, HighwayModel(), np.array([5]), goal=11)
    >>> (inp.nrows, inp.ncols, inp.off_r.size, inp.goal, inp.max_grade_pct)
    (3, 4, 16, 11, 60.0)
    """
    if mode == MODE_MINIMAX:
        kind, params, max_grade = KIND_ISOTROPIC, np.ones(1), math.inf
    else:
        kind, params, max_grade = _model_params(model)
    nrows, ncols = g.shape
    hm_step4, hm_w4 = midpoint_slots(int(ncols), g.hm_ptr, g.hm_r, g.hm_c, g.hm_w)
    return SearchInput(
        g.z,
        g.passable,
        g.friction,
        int(nrows),
        int(ncols),
        g.off_r,
        g.off_c,
        g.off_len,
        g.mid_ptr,
        g.mid_r,
        g.mid_c,
        g.hm_ptr,
        hm_step4,
        hm_w4,
        float(g.dx),
        float(g.dy),
        int(kind),
        _padded(params),
        float(max_grade),
        np.ascontiguousarray(sources, dtype=np.int64),
        int(goal),
        float(hfactor),
        bool(reverse),
        int(mode),
        *_side_slope_inputs(g, kind, params, mode),
    )


def _side_slope_inputs(
    g: _Graph, kind: int, params: np.ndarray, mode: int, on_the_fly_min_cells: int | None = None
) -> tuple:
    """``side_g, side_px, side_py`` of :class:`SearchInput`: empty unless the highway prices earthworks.

    Each move's unit normal ``(px, py)`` is ``(-uy, ux)`` of its unit direction ``(ux, uy)``
    (east, north). The terrain's gradient (float32, east and north interleaved,
    :func:`~wakhan.solve.earthworks.terrain_gradient`) is stored on grids under
    :data:`~wakhan.solve.earthworks.GRADIENT_ON_THE_FLY_MIN_CELLS`;
    on larger ones it is left empty and the kernels compute it where a move is priced
    (:func:`~wakhan.solve.earthworks.cell_gradient`, the same values), saving 8 bytes a cell.

    Examples
    --------
    A plane rising 0.2 m per metre northwards (rows run south), 10 m cells:

    >>> z = np.repeat(np.array([[2.0], [0.0]]), 2, axis=1)  # row 0 is 2 m above row 1
    >>> g = _as_graph(z, 8, None, None, (10.0, 10.0), True)
    >>> from wakhan.cost import HighwayModel
    >>> kind, params = HighwayModel(earthworks_weight=1.0).kernel_params()
    >>> gxy, px, py = _side_slope_inputs(g, kind, params, MODE_SUM)
    >>> round(float(gxy[0]), 6), round(float(gxy[1]), 6)  # float32, cell 0 east and north
    (0.0, 0.2)
    >>> moves, _ = neighbour_offsets(8)
    >>> moves[4], float(px[4]), float(py[4])  # an eastward move: its normal points north
    ((0, 1), -0.0, 1.0)
    >>> [a.size for a in _side_slope_inputs(g, kind, params, MODE_SUM, on_the_fly_min_cells=4)]
    [0, 8, 8]
    """
    if mode != MODE_SUM or kind != KIND_HIGHWAY or g.z.size == 0 or not params[HW_EARTHWORKS_FACTOR] > 0:
        return _NO_SIDES
    east = g.off_c * float(g.dx)
    north = -g.off_r * float(g.dy)
    length = np.hypot(east, north)
    px, py = np.ascontiguousarray(-north / length), np.ascontiguousarray(east / length)
    nrows, ncols = g.shape
    if on_the_fly_min_cells is None:
        on_the_fly_min_cells = GRADIENT_ON_THE_FLY_MIN_CELLS
    if nrows * ncols >= on_the_fly_min_cells:
        return _NO_SIDES[0], px, py
    gxy = np.empty(2 * nrows * ncols, np.float32)  # 8 bytes a cell in all: no float64 temporaries
    terrain_gradient(g.z, int(nrows), int(ncols), float(g.dx), float(g.dy), gxy)
    return gxy, px, py


_NO_SIDES = (np.empty(0, np.float32), np.empty(0, np.float64), np.empty(0, np.float64))


def _padded(params) -> np.ndarray:
    """A model's parameter vector zero-padded to ``N_PARAMS`` float64 values (the kernels read it as a fixed tuple)."""
    out = np.zeros(N_PARAMS, dtype=np.float64)
    p = np.asarray(params, dtype=np.float64).ravel()
    if p.size > N_PARAMS:
        raise InputError(f"a cost model has {p.size} kernel parameters; the kernels take at most {N_PARAMS}")
    out[: p.size] = p
    return out


def _flat_cells(g: _Graph, cells_rc, what: str) -> np.ndarray:
    arr = np.asarray(cells_rc, dtype=np.int64).reshape(-1, 2)
    if arr.size == 0:
        raise InputError(f"no {what} cell given; pass (row, col) pairs")
    nrows, ncols = g.shape
    out = []
    for r, c in arr:
        if not (0 <= r < nrows and 0 <= c < ncols):
            raise InputError(
                f"{what} cell ({r}, {c}) lies outside the {nrows} x {ncols} grid; "
                f"choose a point inside the DEM or enlarge it"
            )
        i = r * ncols + c
        if not g.valid.ravel()[i]:
            raise InputError(f"{what} cell ({r}, {c}) has no elevation data (nodata); move it or fill the DEM's voids")
        if not g.passable[i]:
            raise InputError(f"{what} cell ({r}, {c}) lies on the barrier; move it or edit the barrier")
        out.append(i)
    return np.array(out, dtype=np.int64)
