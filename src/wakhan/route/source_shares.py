"""How much of a route's length lies on each DEM source: the route's ``source_shares``.

A DEM built from several sources (the region pack's GEBCO 15" and GLOBE 30", SRTM tiles
with the pack where they have no data) keeps, in :attr:`wakhan.grid.Grid.source_index`,
which source each cell came from (:func:`wakhan.dem.build_dem`). Each segment of the
route's line (between two consecutive profile points, cell centres of the solver path)
puts half of its geodesic length on the source of each end's cell, so a route that
crosses from one source onto another is split at the cell boundary, to within half a move.
The road-length model (:mod:`wakhan.route.road_length`) weights its per-source factors by
these shares.
"""

from __future__ import annotations

import numpy as np

from wakhan.grid import NO_SOURCE

__all__ = ["source_shares"]


def source_shares(dem, profile) -> list[dict] | None:
    """Share (0..1) of the route's length on each of the DEM's sources, from the grid's per-cell source index.

    Parameters
    ----------
    dem : Grid or None
        The grid the route was solved on; its ``source_index`` (uint8, which of ``sources``
        each cell came from) is read.
    profile : Profile
        The route's points with their map coordinates ``x, y`` in the DEM's CRS and
        cumulative ``distance_km``.

    Returns
    -------
    list of dict or None
        One entry per source the line touches, in the order of ``dem.sources``:
        ``{"name", "resolution", "share"}`` (share rounded to 4 decimals; the shares sum to 1
        over the length on cells with a known source). ``None`` when the grid records no
        per-cell source (a grid read from a file, or built by hand), when the profile has no
        map coordinates, or when no length lies on a known source.

    Examples
    --------
    Two sources side by side, the western two columns from "A", the eastern two from "B";
    a line along the row centres from column 0 to 3 (three 1 km moves): half of the middle
    move lies on each, so 1.5 km on each source.

    >>> from affine import Affine
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.route.profile import Profile
    >>> index = np.array([[0, 0, 1, 1]] * 2, np.uint8)
    >>> dem = Grid(np.zeros((2, 4), np.float32), Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000), "EPSG:32643",
    ...            sources=(DataSource("A", '3"'), DataSource("B", '30"')), source_index=index)
    >>> x = 500_500.0 + 1000.0 * np.arange(4)
    >>> p = Profile([0.0, 1.0, 2.0, 3.0], [0.0] * 4, [0.0] * 4, [0.0] * 4, x=x, y=[4_099_500.0] * 4)
    >>> source_shares(dem, p)
    [{'name': 'A', 'resolution': '3"', 'share': 0.5}, {'name': 'B', 'resolution': '30"', 'share': 0.5}]
    """
    index = getattr(dem, "source_index", None)
    if index is None or profile is None or profile.x is None or profile.y is None or len(profile) < 2:
        return None
    rows, cols = dem.rowcol(profile.x, profile.y)
    inside = (rows >= 0) & (rows < dem.height) & (cols >= 0) & (cols < dem.width)
    which = np.full(rows.shape, NO_SOURCE, dtype=np.int64)
    which[inside] = index[rows[inside], cols[inside]]
    seg_km = np.diff(np.asarray(profile.distance_km, dtype=np.float64))
    km = np.zeros(256)
    np.add.at(km, which[:-1], 0.5 * seg_km)
    np.add.at(km, which[1:], 0.5 * seg_km)
    km[NO_SOURCE] = 0.0  # length on cells no source supplied (none on a solved route) is left out
    total = float(km.sum())
    if total <= 0.0:
        return None
    return [
        {"name": s.name, "resolution": s.resolution, "share": round(float(km[i]) / total, 4)}
        for i, s in enumerate(dem.sources)
        if i < NO_SOURCE and km[i] > 0.0
    ]
