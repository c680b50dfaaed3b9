"""Numba: the highway's earthworks term, and the terrain gradient it reads.

A highway on a hillside pays for the cut of its bench (:func:`earthworks_per_m`, see
:class:`wakhan.cost.HighwayModel`), from the side slope the move crosses: the terrain's gradient
(:func:`cell_gradient`, stored per cell by :func:`terrain_gradient` on grids under
:data:`GRADIENT_ON_THE_FLY_MIN_CELLS`, else computed where a move is priced) dotted with the
move's unit normal. The search kernels add it to :func:`wakhan.solve.edges.edge_cost`'s price with
:func:`with_earthworks`, before friction.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from wakhan.cost.kinds import HW_CUT_SLOPE, HW_EARTHWORKS_FACTOR, HW_MAX_SIDE_SLOPE
from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)

__all__ = [
    "GRADIENT_ON_THE_FLY_MIN_CELLS",
    "earthworks_per_m",
    "cell_gradient",
    "terrain_gradient",
    "side_slope",
    "with_earthworks",
]


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
    ``(gxu, gyu)`` and ``(gxv, gyv)`` (east, north; :func:`cell_gradient`) at its two end cells.

    Examples
    --------
    On the plane ``z = 0.1 x`` (rising 0.1 m/m east) a move north (unit normal east, ``(1, 0)``)
    crosses a side slope of 0.1, a move east (normal ``(0, 1)``) none; where the ground steepens
    to 0.3 m/m at the far end, the mean of the two ends:

    >>> float(side_slope(0.1, 0.0, 0.1, 0.0, 1.0, 0.0)), float(side_slope(0.1, 0.0, 0.1, 0.0, 0.0, 1.0))
    (0.1, 0.0)
    >>> float(side_slope(0.1, 0.0, 0.3, 0.0, 1.0, 0.0))
    0.2
    """
    return 0.5 * (abs(gxu * px + gyu * py) + abs(gxv * px + gyv * py))


@njit(cache=True, nogil=True, inline="always")
def with_earthworks(w, length, params, gxu, gyu, gxv, gyv, px, py):
    """``w`` plus the earthworks of a move of ``length`` m (:func:`earthworks_per_m`) when ``w >= 0``.

    Examples
    --------
    On flat ground nothing is added; an impassable move (-1.0) stays impassable; a 10 m move
    north on the plane ``z = 0.1 x`` (side slope 0.1, :func:`side_slope`) adds ten metres of
    the bench cut on that slope:

    >>> from wakhan.cost import HighwayModel
    >>> _, p = HighwayModel().kernel_params()
    >>> float(with_earthworks(100.0, 10.0, p, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0))
    100.0
    >>> float(with_earthworks(-1.0, 10.0, p, 0.1, 0.0, 0.1, 0.0, 1.0, 0.0))
    -1.0
    >>> w = float(with_earthworks(100.0, 10.0, p, 0.1, 0.0, 0.1, 0.0, 1.0, 0.0))
    >>> w == 100.0 + 10.0 * float(earthworks_per_m(0.1, p)), w > 100.0
    (True, True)
    """
    if not w >= 0.0:
        return w
    return w + length * earthworks_per_m(side_slope(gxu, gyu, gxv, gyv, px, py), params)
