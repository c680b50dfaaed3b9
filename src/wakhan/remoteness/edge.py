"""Which remoteness values the edge of the data may have lengthened: cells nearer the edge than their settlement.

A remoteness search sees only the settlements inside its grid (the box and its margin, cut to
what the elevation source holds: for the region pack, the pack's region). A settlement beyond
the grid's edge can be reached only by a walk that leaves the grid, and every such walk passes
a cell within one move of the edge; so that settlement is no nearer, in walking time, than the
edge itself. One more reverse search, from the walkable cells within one move of the edge
(1 cell deep at 8 neighbours, 2 at 16, 3 at 32: the longest move's reach), gives each cell's
walking time to the edge. Where a cell's time to its settlement is at most that, no settlement
beyond the edge can be nearer and its value is exact for the settlement sources given; elsewhere
the value is an upper bound.
"""

from __future__ import annotations

import numpy as np

from wakhan.remoteness.surface import Remoteness
from wakhan.solve import accumulate

__all__ = ["EDGE_DEPTH_CELLS", "edge_hours", "edge_bounded"]

#: Depth (cells) of the band along the grid's edge from which a move can leave the grid, by neighbours.
EDGE_DEPTH_CELLS = {8: 1, 16: 2, 32: 3}
#: Relative slack for ties (the hours are float32): a cell as far from its settlement as from the edge is exact.
_TIE_REL = 1e-6


def edge_hours(r: Remoteness) -> np.ndarray:
    """Walking hours from each cell of ``r.hours`` to the edge of the grid its search ran on.

    The walk uses the remoteness search's model, neighbours and walkable cells (those that reach a
    settlement); NaN where ``r.hours`` is NaN.

    Parameters
    ----------
    r : Remoteness

    Returns
    -------
    numpy.ndarray
        float64 hours, shaped like ``r.hours.array``.

    Examples
    --------
    A flat 5 x 7 grid of 1 km cells, one settlement in the middle, Tobler's function (5.04 km/h on
    the flat), 8 neighbours: a cell's time to the edge is its distance to the nearest side.

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.cost import WalkingModel
    >>> from wakhan.dem.project import xy_to_lonlat
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.remoteness import remoteness
    >>> from wakhan.settlements import Settlements
    >>> g = Grid(np.zeros((5, 7), np.float32), Affine(1000, 0, 0, 0, -1000, 0), "EPSG:32643")
    >>> lon, lat = xy_to_lonlat(g.crs, [3500.0], [-2500.0])
    >>> r = remoteness(Settlements(lon, lat, ("mid",), DataSource("test")), dem=g, neighbours=8, model=WalkingModel())
    >>> (edge_hours(r)[2] * 5.0355).round(2).tolist()
    [0.0, 1.0, 2.0, 2.0, 2.0, 1.0, 0.0]
    """
    acc = r.accumulation
    grid = acc.grid
    walkable = np.isfinite(acc.cost)
    rows, cols = np.nonzero(_edge_band(grid.valid_mask(), EDGE_DEPTH_CELLS[int(r.neighbours)]) & walkable)
    r0, c0 = r.offset
    crop = (slice(r0, r0 + r.hours.height), slice(c0, c0 + r.hours.width))
    out = np.full(r.hours.shape, np.nan)
    if rows.size == 0:  # nothing walkable touches the edge: no walk can leave the grid
        out[np.isfinite(r.hours.array)] = np.inf
        return out
    to_edge = accumulate(
        grid,
        r.model,
        np.stack([rows, cols], axis=1),
        neighbours=int(r.neighbours),
        barrier=~walkable,
        reverse=True,
    )
    hours = to_edge.cost[crop] / 3600.0
    keep = np.isfinite(r.hours.array)
    out[keep] = hours[keep]
    return out


def _edge_band(valid: np.ndarray, depth: int) -> np.ndarray:
    """Cells within ``depth`` cells (any direction) of the grid's border or of a cell without elevation data."""
    from scipy import ndimage  # lazy: scipy is slow to import and only the summary needs it

    outside = np.pad(~valid, depth, constant_values=True)  # beyond the grid: no data
    near = ndimage.binary_dilation(outside, structure=np.ones((2 * depth + 1, 2 * depth + 1), bool))
    return near[depth:-depth, depth:-depth]


def edge_bounded(r: Remoteness, to_edge_h: np.ndarray | None = None) -> np.ndarray:
    """Cells whose remoteness is only an upper bound: the grid's edge is nearer than their settlement.

    Parameters
    ----------
    r : Remoteness
    to_edge_h : numpy.ndarray, optional
        :func:`edge_hours` of ``r``, if already computed.

    Returns
    -------
    numpy.ndarray
        bool, shaped like ``r.hours.array``; False where the value is exact or NaN.

    Examples
    --------
    The 5 x 7 grid of :func:`edge_hours`: the middle row's cells 3 km from the settlement are 0 km
    from the edge (bounds), those 2 km away are 1 km from it (bounds), 1 km away 2 km from it (exact).

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.cost import WalkingModel
    >>> from wakhan.dem.project import xy_to_lonlat
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.remoteness import remoteness
    >>> from wakhan.settlements import Settlements
    >>> g = Grid(np.zeros((5, 7), np.float32), Affine(1000, 0, 0, 0, -1000, 0), "EPSG:32643")
    >>> lon, lat = xy_to_lonlat(g.crs, [3500.0], [-2500.0])
    >>> r = remoteness(Settlements(lon, lat, ("mid",), DataSource("test")), dem=g, neighbours=8, model=WalkingModel())
    >>> edge_bounded(r)[2].tolist()
    [True, True, False, False, False, True, True]
    """
    to_edge = edge_hours(r) if to_edge_h is None else to_edge_h
    h = r.hours.array.astype(np.float64)
    with np.errstate(invalid="ignore"):
        return np.isfinite(h) & (h > to_edge * (1.0 + _TIE_REL))
