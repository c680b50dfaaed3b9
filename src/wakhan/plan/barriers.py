"""The cells a planned route may not enter: outside or inside countries, above a height ceiling.

:func:`country_barrier` (``--within`` / ``--avoid``) and :func:`ceiling_barrier`
(``--max-elevation``, a barrier for the road, not for its tunnels) are boolean masks on the DEM;
:func:`wakhan.plan.waypoints.set_up` adds the lakes to the first.
"""

from __future__ import annotations

import numpy as np

from wakhan.borders import country_mask
from wakhan.errors import InputError, option
from wakhan.grid import Grid

__all__ = ["country_barrier", "ceiling_barrier"]


def country_barrier(dem: Grid, within, avoid) -> np.ndarray | None:
    """Cells the route may not enter: outside the ``within`` countries or inside the ``avoid`` ones (None: no limit).

    Examples
    --------
    >>> from affine import Affine
    >>> dem = Grid(np.zeros((2, 2), np.float32), Affine(0.1, 0, 75.0, 0, -0.1, 39.5), "EPSG:4326")
    >>> country_barrier(dem, None, None) is None, country_barrier(dem, ["CN"], None).tolist()
    (True, [[False, False], [False, False]])
    """
    if not within and not avoid:
        return None
    barrier = np.zeros(dem.shape, dtype=bool)
    if within:
        barrier |= ~country_mask(dem, within)
    if avoid:
        barrier |= country_mask(dem, avoid)
    return barrier


def ceiling_barrier(grid: Grid, places, cells, max_elevation_m) -> np.ndarray | None:
    """Cells above the ceiling (a barrier for the road, not for tunnels); checks the waypoints.

    Examples
    --------
    >>> from affine import Affine
    >>> dem = Grid(np.array([[1000.0, 5000.0, 1000.0]], np.float32), Affine(1.0, 0, 0, 0, -1.0, 1), "EPSG:4326")
    >>> ceiling_barrier(dem, ["a", "b"], [(0, 0), (0, 2)], 4000).tolist()
    [[False, True, False]]
    """
    if max_elevation_m is None:
        return None
    z = grid.array  # read in place: a float copy of a 30 m grid would be gigabytes
    above = [(p, float(z[r, c])) for p, (r, c) in zip(places, cells) if float(z[r, c]) > max_elevation_m]
    if len(above) == len(places):
        raise InputError(
            f"{option(f'--max-elevation {max_elevation_m:g} m', f'max_elevation_m={max_elevation_m:g}', subject=True)} is below every waypoint (the lowest, "
            f"{min(h for _, h in above):,.0f} m); raise the ceiling"
        )
    if above:
        p, h = above[0]
        raise InputError(
            f"waypoint {p.name} lies at {h:,.0f} m, above "
            f"{option(f'--max-elevation {max_elevation_m:g} m', f'max_elevation_m={max_elevation_m:g}')}; "
            "raise the ceiling or choose a lower waypoint"
        )
    with np.errstate(invalid="ignore"):
        return z > max_elevation_m  # a cell without data (NaN) is never above it
