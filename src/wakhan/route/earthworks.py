"""Earthworks of a highway route: the cut of a bench road across the terrain's side slope.

Every step of the route between two neighbouring DEM cells is a piece of road of
its horizontal length; the ground's side slope across it is the DEM gradient's
component normal to the step (the mean of the two cells, as the solver prices it:
:func:`wakhan.solve.earthworks.earthworks_per_m`), and the cut per metre is the
full-bench cross-section of :func:`wakhan.cost.highway.earthworks_m3_per_m`.
Tunnel steps (longer than any move) move no earth here. Switchback sections are
counted along the route, not along their developed length.
"""

from __future__ import annotations

import numpy as np

from wakhan.cost import HighwayModel

__all__ = ["route_earthworks_m3"]


#: Above this many cells the gradient is computed at the route's cells only (the whole grid's, in float64 with
#: its temporaries, took over 17 GB on the 537 M-cell 30 m grid); the same formulae as ``numpy.gradient``.
LOCAL_GRADIENT_MIN_CELLS = 256_000_000


def gradient_at(z, rows, cols, dx: float, dy: float):
    """``(east, north)`` slope (m/m) at cells ``(rows, cols)`` of ``z``: ``numpy.gradient``'s values there.

    Central differences inside, one-sided at the edges (``edge_order=1``), in float64; NaN -> 0.

    Examples
    --------
    >>> z = np.array([[0.0, 1.0, 4.0], [2.0, 3.0, 9.0]], np.float32)
    >>> e, n = gradient_at(z, np.array([0, 1]), np.array([1, 2]), 1.0, 1.0)
    >>> gr, gc = np.gradient(z.astype(np.float64), 1.0, 1.0)
    >>> bool(np.all(e == gc[[0, 1], [1, 2]]) and np.all(n == -gr[[0, 1], [1, 2]]))
    True
    """
    nr, nc = z.shape
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)

    def diff(lo_r, lo_c, hi_r, hi_c, span):
        return (z[hi_r, hi_c].astype(np.float64) - z[lo_r, lo_c].astype(np.float64)) / span

    c_lo, c_hi = np.maximum(cols - 1, 0), np.minimum(cols + 1, nc - 1)
    r_lo, r_hi = np.maximum(rows - 1, 0), np.minimum(rows + 1, nr - 1)
    # numpy.gradient: (f[i+1] - f[i-1]) / (2 dx) inside, (f[1] - f[0]) / dx and (f[-1] - f[-2]) / dx at the edges
    east = diff(rows, c_lo, rows, c_hi, np.where((cols > 0) & (cols < nc - 1), 2.0 * dx, dx))
    d_row = diff(r_lo, cols, r_hi, cols, np.where((rows > 0) & (rows < nr - 1), 2.0 * dy, dy))
    return np.nan_to_num(east, nan=0.0), np.nan_to_num(-d_row, nan=0.0)


class _AtCells:
    """``east[r, c]`` / ``north[r, c]`` of :func:`gradient_at`, computed where indexed."""

    def __init__(self, z, dx, dy, which):
        self.z, self.dx, self.dy, self.i = z, dx, dy, 0 if which == "east" else 1

    def __getitem__(self, rc):
        return gradient_at(self.z, rc[0], rc[1], self.dx, self.dy)[self.i]


def route_earthworks_m3(paths, dem, model) -> float:
    """Cut (m3) of a highway along the solver paths, or 0 for a model without earthworks.

    Parameters
    ----------
    paths : sequence of wakhan.solve.Path
        The route's legs (rows, cols of DEM cells).
    dem : Grid
        The metric DEM they were solved on.
    model : HighwayModel
        Gives the formation width and cut slope (:meth:`HighwayModel.earthworks_m3_per_m`).

    Returns
    -------
    float

    Examples
    --------
    A plane rising 30 % northwards, 100 m cells; a route 10 cells east along the contour
    cuts 1 km x 8.5**2 / 2 x 0.3 x (4/3) / (4/3 - 0.3) = 13,984 m3:

    >>> from types import SimpleNamespace
    >>> from affine import Affine
    >>> from wakhan.cost import HighwayModel
    >>> from wakhan.grid import Grid
    >>> z = np.repeat((np.arange(5)[::-1] * 30.0)[:, None], 12, axis=1).astype(np.float32)
    >>> dem = Grid(z, Affine(100.0, 0, 500_000, 0, -100.0, 4_100_000), "EPSG:32643")
    >>> path = SimpleNamespace(rows=np.full(11, 2), cols=np.arange(11))
    >>> round(route_earthworks_m3([path], dem, HighwayModel()))
    13984
    """
    if not isinstance(model, HighwayModel):  # only a road is cut into the slope
        return 0.0
    if min(dem.array.shape) < 2:
        return 0.0
    dx, dy = abs(dem.transform.a), abs(dem.transform.e)
    if dem.array.size > LOCAL_GRADIENT_MIN_CELLS:
        east = _AtCells(dem.array, dx, dy, "east")
        north = _AtCells(dem.array, dx, dy, "north")
    else:
        z = np.asarray(dem.array, dtype=np.float64)
        d_row, d_col = np.gradient(z, dy, dx)
        # np.gradient of a 2-D array gives 2-D arrays (its stubs say "float64 | Any")
        east = np.nan_to_num(np.asarray(d_col), nan=0.0)
        north = np.nan_to_num(-np.asarray(d_row), nan=0.0)
    total = 0.0
    for p in paths:
        r = np.asarray(p.rows, dtype=np.int64)
        c = np.asarray(p.cols, dtype=np.int64)
        if r.size < 2:
            continue
        de = np.diff(c) * dx
        dn = -np.diff(r) * dy
        length = np.hypot(de, dn)
        move = (np.maximum(np.abs(np.diff(r)), np.abs(np.diff(c))) <= 3) & (length > 0)  # not a tunnel jump
        safe = np.where(length > 0, length, 1.0)
        px, py = -dn / safe, de / safe
        side = 0.5 * (
            np.abs(east[r[:-1], c[:-1]] * px + north[r[:-1], c[:-1]] * py)
            + np.abs(east[r[1:], c[1:]] * px + north[r[1:], c[1:]] * py)
        )
        total += float(np.sum(np.where(move, length * model.earthworks_m3_per_m(side), 0.0)))
    return total
