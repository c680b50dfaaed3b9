"""Earthworks of a highway route: the cut of a bench road across the terrain's side slope.

Every step of the route between two neighbouring DEM cells is a piece of road of
its horizontal length; the ground's side slope across it is the DEM gradient's
component normal to the step (the mean of the two cells, as the solver prices it:
:func:`wakhan.solve.kernels.earthworks_per_m`), and the cut per metre is the
full-bench cross-section of :func:`wakhan.cost.highway.earthworks_m3_per_m`.
Tunnel steps (longer than any move) move no earth here. Switchback sections are
counted along the route, not along their developed length.
"""

from __future__ import annotations

import numpy as np

from wakhan.cost import HighwayModel

__all__ = ["route_earthworks_m3"]


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
    z = np.asarray(dem.array, dtype=np.float64)
    if min(z.shape) < 2:
        return 0.0
    dx, dy = abs(dem.transform.a), abs(dem.transform.e)
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
