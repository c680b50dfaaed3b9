"""What the least-cost solver's Numba kernels share: their one input, backlink codes and modes.

The kernels take flat arrays and run plain loops. Nothing here validates input or
knows about :class:`wakhan.grid.Grid`; the wrappers in :mod:`wakhan.solve.api` do
that. Cells are flat row-major indices ``i = row * ncols + col``. Every search
reads one input structure, :class:`SearchInput` (a named tuple of flat arrays and
scalars, which Numba passes as a tuple), built once per search by
:func:`wakhan.solve.graph.search_input`. There are two search kernels:

* :func:`wakhan.solve.heap.search`, an indexed binary heap with decrease-key, for every
  algorithm: ``mode = MODE_SUM``, sum of edge costs (Dijkstra; A* when
  ``hfactor > 0`` and a goal is given; on the reverse graph when ``reverse`` is
  true); ``mode = MODE_MINIMAX``, bottleneck (minimax) of ``abs(grade_pct)``
  along the path, ignoring the grade limit: the gentlest crossing.
* :func:`wakhan.solve.buckets.search_buckets`, an exact bucket queue, faster
  for sums of costs whose edge costs are bounded below and above (the wrapper
  chooses, see :func:`wakhan.solve.search._bucket_plan`).

Both price an edge with the one :func:`~wakhan.solve.edges.edge_cost` (:mod:`wakhan.solve.edges`,
which states the formula; the highway's earthworks term is :mod:`wakhan.solve.earthworks`), and
:func:`~wakhan.solve.path_costs.path_step_costs` prices the steps of a found path the same way.
This module holds what they share: :class:`SearchInput`, the backlink codes ``SOURCE`` and
``UNREACHED``, the search modes and the flat steps of the moves (:func:`flat_steps`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from wakhan.cost.kinds import N_PARAMS
from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)

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
    "N_PARAMS",
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
        bilinear weights, in 4 fixed slots (see :func:`wakhan.solve.moves.midpoint_slots`).
    dx, dy : float
        Cell size in metres (for the heuristic).
    kind, params, max_grade_pct : int, float64[:], float
        Cost model: a ``KIND_*`` constant of :mod:`wakhan.cost` and its
        parameters (see :func:`~wakhan.solve.edges.cost_per_m`), zero-padded to ``N_PARAMS`` values
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
        dz/dy north (m/m, :func:`~wakhan.solve.earthworks.terrain_gradient`; the two values of a
        cell share a cache line, so a priced move waits for one memory read per cell, not two) for
        the highway's earthworks term; empty when the model has none, and on grids of
        :data:`~wakhan.solve.earthworks.GRADIENT_ON_THE_FLY_MIN_CELLS` or more, where the kernels
        compute it from ``z`` where a move is priced (:func:`~wakhan.solve.earthworks.cell_gradient`,
        the same float32 values): storing it takes 8 bytes a cell (4.3 GB on the 30 m grid),
        computing it about a third more CPU time per cell on the highway search (benchmarks/README.md).
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
